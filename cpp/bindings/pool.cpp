// Bindings of the pooling, normalization and resizing families into module _C._nn (thin: the
// Python layer in rosenblatt.nn.functional normalizes arguments the way torch.nn.functional does).
#include "bind.h"

namespace rb::bind {

void pool(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  using IntList = std::vector<int64_t>;
  using OptT = std::optional<Tensor>;

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
  nn.def("max_unpool2d", &max_unpool2d, py::arg("input"), py::arg("indices"), py::arg("output_size"),
         py::call_guard<py::gil_scoped_release>());

  nn.def(
      "batch_norm",
      [](const Tensor& x, OptT rm, OptT rv, OptT w, OptT b, bool training, double momentum, double eps) {
        py::gil_scoped_release nogil;
        return batch_norm(x, rm, rv, w, b, training, momentum, eps);
      },
      py::arg("input"), py::arg("running_mean"), py::arg("running_var"), py::arg("weight") = py::none(),
      py::arg("bias") = py::none(), py::arg("training") = false, py::arg("momentum") = 0.1, py::arg("eps") = 1e-5);

  nn.def(
      "feature_dropout",
      [](const Tensor& x, double p, bool training, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        return feature_dropout(x, p, training, g);
      },
      py::arg("input"), py::arg("p"), py::arg("training"), py::arg("generator") = py::none());
  nn.def(
      "feature_dropout_mask",
      [](const Tensor& x, double p, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        return feature_dropout_mask(x, p, g);
      },
      py::arg("input"), py::arg("p"), py::arg("generator") = py::none());

  nn.def(
      "upsample2d",
      [](const Tensor& x, const std::string& mode, int64_t oh, int64_t ow, bool align, std::optional<double> sh,
         std::optional<double> sw) {
        InterpMode m;
        if (mode == "nearest")
          m = InterpMode::Nearest;
        else if (mode == "nearest-exact")
          m = InterpMode::NearestExact;
        else if (mode == "bilinear")
          m = InterpMode::Bilinear;
        else if (mode == "bicubic")
          m = InterpMode::Bicubic;
        else
          throw NotImplementedError("upsample2d: unknown mode " + mode);
        py::gil_scoped_release nogil;
        return upsample2d(x, m, oh, ow, align, sh, sw);
      },
      py::arg("input"), py::arg("mode"), py::arg("out_h"), py::arg("out_w"), py::arg("align_corners") = false,
      py::arg("scale_h") = py::none(), py::arg("scale_w") = py::none());

  nn.def("constant_pad_nd", &constant_pad_nd, py::arg("input"), py::arg("pad"), py::arg("value") = 0.0);
}

}  // namespace rb::bind
