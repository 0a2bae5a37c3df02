// Bindings of the pooling family (ops/pool.h) into module _C._nn (thin: the
// Python layer in rosenblatt.nn.functional normalizes arguments the way torch.nn.functional does).
#include "bind.h"

namespace rb::bind {

void pool(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  using IntList = std::vector<int64_t>;

  nn.def(
      "max_pool2d_with_indices",
      [](const Tensor& x, IntList k, IntList s, IntList p, IntList d, bool ceil) {
        py::gil_scoped_release nogil;
        return max_pool2d_with_indices(x, k, s, p, d, ceil);
      },
      py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"), py::arg("dilation"),
      py::arg("ceil_mode"));
  nn.def(
      "max_pool2d",
      [](const Tensor& x, IntList k, IntList s, IntList p, IntList d, bool ceil) {
        py::gil_scoped_release nogil;
        return max_pool2d(x, k, s, p, d, ceil);
      },
      py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"), py::arg("dilation"),
      py::arg("ceil_mode"));
  nn.def(
      "avg_pool2d",
      [](const Tensor& x, IntList k, IntList s, IntList p, bool ceil, bool cip, std::optional<int64_t> div) {
        py::gil_scoped_release nogil;
        return avg_pool2d(x, k, s, p, ceil, cip, div);
      },
      py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"), py::arg("ceil_mode"),
      py::arg("count_include_pad"), py::arg("divisor_override"));
  nn.def("adaptive_avg_pool2d", &adaptive_avg_pool2d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("adaptive_max_pool2d", &adaptive_max_pool2d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_pool1d_with_indices", &max_pool1d_with_indices, py::arg("input"), py::arg("kernel_size"),
         py::arg("stride"), py::arg("padding"), py::arg("dilation"), py::arg("ceil_mode"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_pool1d", &max_pool1d, py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"),
         py::arg("dilation"), py::arg("ceil_mode"), py::call_guard<py::gil_scoped_release>());
  nn.def("avg_pool1d", &avg_pool1d, py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"),
         py::arg("ceil_mode"), py::arg("count_include_pad"), py::call_guard<py::gil_scoped_release>());
  nn.def("adaptive_avg_pool1d", &adaptive_avg_pool1d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("adaptive_max_pool1d", &adaptive_max_pool1d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_unpool2d", &max_unpool2d, py::arg("input"), py::arg("indices"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_pool3d_with_indices", &max_pool3d_with_indices, py::arg("input"), py::arg("kernel_size"),
         py::arg("stride"), py::arg("padding"), py::arg("dilation"), py::arg("ceil_mode"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_pool3d", &max_pool3d, py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"),
         py::arg("dilation"), py::arg("ceil_mode"), py::call_guard<py::gil_scoped_release>());
  nn.def("avg_pool3d", &avg_pool3d, py::arg("input"), py::arg("kernel_size"), py::arg("stride"), py::arg("padding"),
         py::arg("ceil_mode"), py::arg("count_include_pad"), py::arg("divisor_override"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("adaptive_avg_pool3d", &adaptive_avg_pool3d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("adaptive_max_pool3d", &adaptive_max_pool3d, py::arg("input"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
  nn.def("max_unpool3d", &max_unpool3d, py::arg("input"), py::arg("indices"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());
}

}  // namespace rb::bind
