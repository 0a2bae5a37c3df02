// Bindings of the nn family: module _C._nn (what rosenblatt.nn.functional calls) plus the
// activations PyTorch also has at top level and as Tensor methods (rb.relu, x.softmax(dim), ...).
#include "bind.h"

namespace rb::bind {
namespace {

// In-place forms hand back the same Python object, as PyTorch does.
template <class F>
auto inplace(F f) {
  return [f](py::object self) {
    f(self.cast<Tensor&>());
    return self;
  };
}
template <class F>
auto inplace1(F f) {
  return [f](py::object self, double a) {
    f(self.cast<Tensor&>(), a);
    return self;
  };
}

}  // namespace

void nn(py::module_& m, TensorClass& cls) {
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");

  nn.def(
      "linear",
      [](const Tensor& x, const Tensor& w, std::optional<Tensor> b) {
        py::gil_scoped_release nogil;  // a heavy call: other Python threads may run meanwhile
        return linear(x, w, b);
      },
      py::arg("input"), py::arg("weight"), py::arg("bias") = py::none());

  // activations
  nn.def("sigmoid", &sigmoid, py::arg("input"));
  nn.def("tanh", &tanh, py::arg("input"));
  nn.def("relu", &relu, py::arg("input"));
  nn.def("leaky_relu", &leaky_relu, py::arg("input"), py::arg("negative_slope") = 0.01);
  nn.def("elu", &elu, py::arg("input"), py::arg("alpha") = 1.0);
  nn.def("heaviside_step", &heaviside_step, py::arg("input"));
  nn.def("softmax", &softmax, py::arg("input"), py::arg("dim"));
  nn.def("log_softmax", &log_softmax, py::arg("input"), py::arg("dim"));
  nn.def("relu_", inplace([](Tensor& x) { relu_(x); }), py::arg("input"));
  nn.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }), py::arg("input"));
  nn.def("tanh_", inplace([](Tensor& x) { tanh_(x); }), py::arg("input"));
  nn.def("leaky_relu_", inplace1([](Tensor& x, double a) { leaky_relu_(x, a); }), py::arg("input"),
         py::arg("negative_slope") = 0.01);
  nn.def("elu_", inplace1([](Tensor& x, double a) { elu_(x, a); }), py::arg("input"), py::arg("alpha") = 1.0);

  // The Generator class is bound elsewhere; it is looked up only when one is passed.
  nn.def(
      "dropout",
      [](const Tensor& x, double p, bool training, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        return dropout(x, p, training, g);
      },
      py::arg("input"), py::arg("p") = 0.5, py::arg("training") = true, py::arg("generator") = py::none());

  // losses
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

  // PyTorch's top-level functions and Tensor methods for the common activations.
  m.def("sigmoid", &sigmoid, py::arg("input"));
  m.def("tanh", &tanh, py::arg("input"));
  m.def("relu", &relu, py::arg("input"));
  m.def("softmax", &softmax, py::arg("input"), py::arg("dim"));
  m.def("log_softmax", &log_softmax, py::arg("input"), py::arg("dim"));
  m.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }), py::arg("input"));
  m.def("tanh_", inplace([](Tensor& x) { tanh_(x); }), py::arg("input"));
  m.def("relu_", inplace([](Tensor& x) { relu_(x); }), py::arg("input"));
  cls.def("sigmoid", &sigmoid);
  cls.def("tanh", &tanh);
  cls.def("relu", &relu);
  cls.def("softmax", &softmax, py::arg("dim"));
  cls.def("log_softmax", &log_softmax, py::arg("dim"));
  cls.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }));
  cls.def("tanh_", inplace([](Tensor& x) { tanh_(x); }));
  cls.def("relu_", inplace([](Tensor& x) { relu_(x); }));
}

}  // namespace rb::bind
