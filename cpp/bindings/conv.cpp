// Bindings of the convolution family into module _C._nn: conv1d/2d/3d (int, tuple or string
// padding) and conv_transpose1d/2d/3d. Ints and sequences both reach the core as vectors.
#include "bind.h"

namespace rb::bind {

void conv(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  using Conv = Tensor (*)(const Tensor&, const Tensor&, const Tensor&, const std::vector<int64_t>&,
                          const std::vector<int64_t>&, const std::vector<int64_t>&, int64_t);
  using ConvStr = Tensor (*)(const Tensor&, const Tensor&, const Tensor&, const std::vector<int64_t>&,
                             const std::string&, const std::vector<int64_t>&, int64_t);
  auto make = [](Conv f, ConvStr fs) {
    return [f, fs](const Tensor& x, const Tensor& w, std::optional<Tensor> b, py::handle stride, py::handle padding,
                   py::handle dilation, int64_t groups) {
      Tensor bias = b ? *b : Tensor();
      auto st = shape_from_object(stride), dl = shape_from_object(dilation);
      if (py::isinstance<py::str>(padding)) {
        std::string p = padding.cast<std::string>();
        py::gil_scoped_release nogil;
        return fs(x, w, bias, st, p, dl, groups);
      }
      auto p = shape_from_object(padding);
      py::gil_scoped_release nogil;
      return f(x, w, bias, st, p, dl, groups);
    };
  };
  // Bound in _nn (for nn.functional) and at top level, where PyTorch has them too (torch.conv2d).
  for (py::module_ mod : {nn, m}) {
    mod.def("conv2d", make(static_cast<Conv>(&rb::conv2d), static_cast<ConvStr>(&rb::conv2d)), py::arg("input"),
            py::arg("weight"), py::arg("bias") = py::none(), py::arg("stride") = 1, py::arg("padding") = 0,
            py::arg("dilation") = 1, py::arg("groups") = 1);
    mod.def("conv3d", make(static_cast<Conv>(&rb::conv3d), static_cast<ConvStr>(&rb::conv3d)), py::arg("input"),
            py::arg("weight"), py::arg("bias") = py::none(), py::arg("stride") = 1, py::arg("padding") = 0,
            py::arg("dilation") = 1, py::arg("groups") = 1);
    mod.def("conv1d", make(static_cast<Conv>(&rb::conv1d), static_cast<ConvStr>(&rb::conv1d)), py::arg("input"),
            py::arg("weight"), py::arg("bias") = py::none(), py::arg("stride") = 1, py::arg("padding") = 0,
            py::arg("dilation") = 1, py::arg("groups") = 1);
    using ConvT =
        Tensor (*)(const Tensor&, const Tensor&, const Tensor&, const std::vector<int64_t>&,
                   const std::vector<int64_t>&, const std::vector<int64_t>&, int64_t, const std::vector<int64_t>&);
    auto make_t = [](ConvT f) {
      return [f](const Tensor& x, const Tensor& w, std::optional<Tensor> b, py::handle stride, py::handle padding,
                 py::handle output_padding, int64_t groups, py::handle dilation) {
        Tensor bias = b ? *b : Tensor();
        auto st = shape_from_object(stride), p = shape_from_object(padding), op = shape_from_object(output_padding),
             dl = shape_from_object(dilation);
        py::gil_scoped_release nogil;
        return f(x, w, bias, st, p, op, groups, dl);
      };
    };
    for (auto [name, f] : {std::pair<const char*, ConvT>{"conv_transpose3d", &rb::conv_transpose3d},
                           std::pair<const char*, ConvT>{"conv_transpose2d", &rb::conv_transpose2d},
                           std::pair<const char*, ConvT>{"conv_transpose1d", &rb::conv_transpose1d}})
      mod.def(name, make_t(f), py::arg("input"), py::arg("weight"), py::arg("bias") = py::none(), py::arg("stride") = 1,
              py::arg("padding") = 0, py::arg("output_padding") = 0, py::arg("groups") = 1, py::arg("dilation") = 1);
  }
}

}  // namespace rb::bind
