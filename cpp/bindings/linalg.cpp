// Bindings of the linear-algebra family (ops/linalg.h): matmul/mm/bmm, the @ operator, and the dense
// layer's linear in module _C._nn.
#include "bind.h"

namespace rb::bind {

void linalg(py::module_& m, TensorClass& cls) {
  auto mm_ = [](const Tensor& a, const Tensor& b) {
    py::gil_scoped_release nogil;
    return matmul(a, b);
  };
  m.def("matmul", mm_, py::arg("input"), py::arg("other"));
  cls.def("matmul", mm_, py::arg("other"));
  cls.def("__matmul__", mm_, py::is_operator());
  cls.def(
      "__rmatmul__", [](const Tensor& a, const Tensor& b) { return matmul(b, a); }, py::is_operator());
  m.def("mm", &mm, py::arg("input"), py::arg("mat2"));
  cls.def("mm", &mm, py::arg("mat2"));
  m.def("bmm", &bmm, py::arg("input"), py::arg("mat2"));
  cls.def("bmm", &bmm, py::arg("mat2"));

  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  nn.def(
      "linear",
      [](const Tensor& x, const Tensor& w, std::optional<Tensor> b) {
        py::gil_scoped_release nogil;  // a heavy call: other Python threads may run meanwhile
        return linear(x, w, b);
      },
      py::arg("input"), py::arg("weight"), py::arg("bias") = py::none());
  for (py::module_* mod : {&m, &nn})  // torch.bilinear is torch.nn.functional.bilinear
    mod->def("bilinear", &bilinear, py::arg("input1"), py::arg("input2"), py::arg("weight"),
             py::arg("bias") = py::none());
}

}  // namespace rb::bind
