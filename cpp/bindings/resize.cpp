// Bindings of the resizing family (ops/resize.h: upsampling, constant padding) into module _C._nn.
#include "bind.h"

namespace rb::bind {

void resize(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");

  nn.def(
      "upsample2d",
      [](const Tensor& x, const std::string& mode, int64_t oh, int64_t ow, bool align, std::optional<double> sh,
         std::optional<double> sw, bool antialias) {
        InterpMode m;
        if (mode == "nearest")
          m = InterpMode::Nearest;
        else if (mode == "nearest-exact")
          m = InterpMode::NearestExact;
        else if (mode == "bilinear")
          m = InterpMode::Bilinear;
        else if (mode == "bicubic")
          m = InterpMode::Bicubic;
        else if (mode == "lanczos")
          m = InterpMode::Lanczos;
        else
          throw NotImplementedError("upsample2d: unknown mode " + mode);
        py::gil_scoped_release nogil;
        return upsample2d(x, m, oh, ow, align, sh, sw, antialias);
      },
      py::arg("input"), py::arg("mode"), py::arg("out_h"), py::arg("out_w"), py::arg("align_corners") = false,
      py::arg("scale_h") = py::none(), py::arg("scale_w") = py::none(), py::arg("antialias") = false);

  nn.def("constant_pad_nd", &constant_pad_nd, py::arg("input"), py::arg("pad"), py::arg("value") = 0.0);
}

}  // namespace rb::bind
