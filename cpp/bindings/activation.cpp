// Bindings of the activation family (ops/activation.h) into module _C._nn, plus the activations
// PyTorch also has at top level and as Tensor methods (rb.relu, x.softmax(dim), ...).
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

void activation(py::module_& m, TensorClass& cls) {
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");

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
