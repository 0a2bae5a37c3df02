// Bindings of the loss family (ops/loss.h) into module _C._nn; the reduction arrives as PyTorch's string.
#include "bind.h"

namespace rb::bind {

void loss(py::module_& m, TensorClass& cls) {
  (void)cls;
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");
  using OptT = std::optional<Tensor>;
  nn.def(
      "mse_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r) { return mse_loss(x, y, parse_reduction(r)); },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean");
  nn.def(
      "l1_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r) { return l1_loss(x, y, parse_reduction(r)); },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean");
  nn.def(
      "smooth_l1_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r, double beta) {
        return smooth_l1_loss(x, y, parse_reduction(r), beta);
      },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("beta") = 1.0);
  nn.def(
      "huber_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r, double delta) {
        return huber_loss(x, y, parse_reduction(r), delta);
      },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("delta") = 1.0);
  nn.def(
      "binary_cross_entropy",
      [](const Tensor& x, const Tensor& y, OptT w, const std::string& r) {
        return binary_cross_entropy(x, y, w, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("reduction") = "mean");
  nn.def(
      "binary_cross_entropy_with_logits",
      [](const Tensor& x, const Tensor& y, OptT w, OptT pw, const std::string& r) {
        return binary_cross_entropy_with_logits(x, y, w, pw, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("pos_weight") = py::none(),
      py::arg("reduction") = "mean");
  nn.def(
      "cross_entropy",
      [](const Tensor& x, const Tensor& y, OptT w, int64_t ignore_index, const std::string& r, double ls) {
        Reduction red = parse_reduction(r);
        py::gil_scoped_release nogil;
        return cross_entropy(x, y, w, ignore_index, red, ls);
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("ignore_index") = -100,
      py::arg("reduction") = "mean", py::arg("label_smoothing") = 0.0);
  nn.def(
      "nll_loss",
      [](const Tensor& x, const Tensor& y, OptT w, int64_t ignore_index, const std::string& r) {
        return nll_loss(x, y, w, ignore_index, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("ignore_index") = -100,
      py::arg("reduction") = "mean");
}

}  // namespace rb::bind
