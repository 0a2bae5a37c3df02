// Bindings of matrix products: matmul/mm/bmm and the @ operator.
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
}

}  // namespace rb::bind
