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
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", nogil);
  nn.def(
      "l1_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r) { return l1_loss(x, y, parse_reduction(r)); },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", nogil);
  nn.def(
      "smooth_l1_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r, double beta) {
        return smooth_l1_loss(x, y, parse_reduction(r), beta);
      },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("beta") = 1.0, nogil);
  nn.def(
      "huber_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r, double delta) {
        return huber_loss(x, y, parse_reduction(r), delta);
      },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("delta") = 1.0, nogil);
  nn.def(
      "binary_cross_entropy",
      [](const Tensor& x, const Tensor& y, OptT w, const std::string& r) {
        return binary_cross_entropy(x, y, w, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("reduction") = "mean", nogil);
  nn.def(
      "binary_cross_entropy_with_logits",
      [](const Tensor& x, const Tensor& y, OptT w, OptT pw, const std::string& r) {
        return binary_cross_entropy_with_logits(x, y, w, pw, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("pos_weight") = py::none(),
      py::arg("reduction") = "mean", nogil);
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
      py::arg("reduction") = "mean", nogil);
  // The composites (ops/loss.h, cpp/ops/loss_composite.cpp); size_average/reduce and "batchmean" are
  // nn.functional's.
  nn.def(
      "kl_div",
      [](const Tensor& x, const Tensor& y, const std::string& r, bool log_target) {
        return kl_div(x, y, parse_reduction(r), log_target);
      },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", py::arg("log_target") = false, nogil);
  nn.def(
      "poisson_nll_loss",
      [](const Tensor& x, const Tensor& y, bool log_input, bool full, double eps, const std::string& r) {
        return poisson_nll_loss(x, y, log_input, full, eps, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("log_input") = true, py::arg("full") = false, py::arg("eps") = 1e-8,
      py::arg("reduction") = "mean", nogil);
  nn.def("gaussian_nll_loss", &gaussian_nll_loss, py::arg("input"), py::arg("target"), py::arg("var"),
         py::arg("full") = false, py::arg("eps") = 1e-6, py::arg("reduction") = "mean", nogil);
  nn.def(
      "cosine_embedding_loss",
      [](const Tensor& a, const Tensor& b, const Tensor& y, double margin, const std::string& r) {
        return cosine_embedding_loss(a, b, y, margin, parse_reduction(r));
      },
      py::arg("input1"), py::arg("input2"), py::arg("target"), py::arg("margin") = 0.0, py::arg("reduction") = "mean",
      nogil);
  nn.def(
      "hinge_embedding_loss",
      [](const Tensor& x, const Tensor& y, double margin, const std::string& r) {
        return hinge_embedding_loss(x, y, margin, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("margin") = 1.0, py::arg("reduction") = "mean", nogil);
  nn.def(
      "margin_ranking_loss",
      [](const Tensor& a, const Tensor& b, const Tensor& y, double margin, const std::string& r) {
        return margin_ranking_loss(a, b, y, margin, parse_reduction(r));
      },
      py::arg("input1"), py::arg("input2"), py::arg("target"), py::arg("margin") = 0.0, py::arg("reduction") = "mean",
      nogil);
  nn.def(
      "triplet_margin_loss",
      [](const Tensor& a, const Tensor& p, const Tensor& n, double margin, double norm, double eps, bool swap,
         const std::string& r) { return triplet_margin_loss(a, p, n, margin, norm, eps, swap, parse_reduction(r)); },
      py::arg("anchor"), py::arg("positive"), py::arg("negative"), py::arg("margin") = 1.0, py::arg("p") = 2.0,
      py::arg("eps") = 1e-6, py::arg("swap") = false, py::arg("reduction") = "mean", nogil);
  nn.def(
      "soft_margin_loss",
      [](const Tensor& x, const Tensor& y, const std::string& r) { return soft_margin_loss(x, y, parse_reduction(r)); },
      py::arg("input"), py::arg("target"), py::arg("reduction") = "mean", nogil);
  nn.def(
      "multilabel_soft_margin_loss",
      [](const Tensor& x, const Tensor& y, OptT w, const std::string& r) {
        return multilabel_soft_margin_loss(x, y, w, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("weight") = py::none(), py::arg("reduction") = "mean", nogil);
  nn.def(
      "multi_margin_loss",
      [](const Tensor& x, const Tensor& y, int64_t p, double margin, OptT w, const std::string& r) {
        return multi_margin_loss(x, y, p, margin, w, parse_reduction(r));
      },
      py::arg("input"), py::arg("target"), py::arg("p") = 1, py::arg("margin") = 1.0, py::arg("weight") = py::none(),
      py::arg("reduction") = "mean", nogil);
}

}  // namespace rb::bind
