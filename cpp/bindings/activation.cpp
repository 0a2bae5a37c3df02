// Bindings of the activation family (ops/activation.h) into module _C._nn, plus the activations
// PyTorch also has at top level and as Tensor methods (rb.relu, x.softmax(dim), ...).
#include "bind.h"

namespace rb::bind {
namespace {

// In-place forms hand back the same Python object, as PyTorch does.
template <class F>
auto inplace(F f) {
  return [f](py::object self) {
    Tensor& t = self.cast<Tensor&>();
    {
      py::gil_scoped_release released;
      f(t);
    }
    return self;
  };
}
template <class F>
auto inplace1(F f) {
  return [f](py::object self, double a) {
    Tensor& t = self.cast<Tensor&>();
    {
      py::gil_scoped_release released;
      f(t, a);
    }
    return self;
  };
}
template <class Arg = double, class F>
auto inplace2(F f) {
  return [f](py::object self, Arg a, Arg b) {
    Tensor& t = self.cast<Tensor&>();
    {
      py::gil_scoped_release released;
      f(t, a, b);
    }
    return self;
  };
}

}  // namespace

void activation(py::module_& m, TensorClass& cls) {
  py::module_ nn = m.def_submodule("_nn", "the C++ ops behind rosenblatt.nn.functional");

  // activations
  nn.def("sigmoid", &sigmoid, py::arg("input"), nogil);
  nn.def("tanh", &tanh, py::arg("input"), nogil);
  nn.def("relu", &relu, py::arg("input"), nogil);
  nn.def("leaky_relu", &leaky_relu, py::arg("input"), py::arg("negative_slope") = 0.01, nogil);
  nn.def("elu", &elu, py::arg("input"), py::arg("alpha") = 1.0, nogil);
  nn.def("heaviside_step", &heaviside_step, py::arg("input"), nogil);
  nn.def("softmax", &softmax, py::arg("input"), py::arg("dim"), nogil);
  nn.def("log_softmax", &log_softmax, py::arg("input"), py::arg("dim"), nogil);
  nn.def("relu_", inplace([](Tensor& x) { relu_(x); }), py::arg("input"));
  nn.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }), py::arg("input"));
  nn.def("tanh_", inplace([](Tensor& x) { tanh_(x); }), py::arg("input"));
  nn.def("leaky_relu_", inplace1([](Tensor& x, double a) { leaky_relu_(x, a); }), py::arg("input"),
         py::arg("negative_slope") = 0.01);
  nn.def("elu_", inplace1([](Tensor& x, double a) { elu_(x, a); }), py::arg("input"), py::arg("alpha") = 1.0);
  nn.def("gelu", &gelu, py::arg("input"), py::arg("approximate") = "none", nogil);
  nn.def("silu", &silu, py::arg("input"), nogil);
  nn.def("mish", &mish, py::arg("input"), nogil);
  nn.def("softplus", &softplus, py::arg("input"), py::arg("beta") = 1.0, py::arg("threshold") = 20.0, nogil);
  nn.def("softsign", &softsign, py::arg("input"), nogil);
  nn.def("hardtanh", &hardtanh, py::arg("input"), py::arg("min_val") = -1.0, py::arg("max_val") = 1.0, nogil);
  nn.def("relu6", &relu6, py::arg("input"), nogil);
  nn.def("hardsigmoid", &hardsigmoid, py::arg("input"), nogil);
  nn.def("hardswish", &hardswish, py::arg("input"), nogil);
  nn.def("selu", &selu, py::arg("input"), nogil);
  nn.def("celu", &celu, py::arg("input"), py::arg("alpha") = 1.0, nogil);
  nn.def("log_sigmoid", &log_sigmoid, py::arg("input"), nogil);
  nn.def("threshold", &threshold, py::arg("input"), py::arg("threshold"), py::arg("value"), nogil);
  nn.def("glu", &glu, py::arg("input"), py::arg("dim") = -1, nogil);
  nn.def("prelu", &prelu, py::arg("input"), py::arg("weight"), nogil);
  nn.def("softmin", &softmin, py::arg("input"), py::arg("dim"), nogil);
  nn.def("silu_", inplace([](Tensor& x) { silu_(x); }), py::arg("input"));
  nn.def("mish_", inplace([](Tensor& x) { mish_(x); }), py::arg("input"));
  nn.def("hardtanh_", inplace2([](Tensor& x, double a, double b) { hardtanh_(x, a, b); }), py::arg("input"),
         py::arg("min_val") = -1.0, py::arg("max_val") = 1.0);
  nn.def("relu6_", inplace([](Tensor& x) { relu6_(x); }), py::arg("input"));
  nn.def("hardsigmoid_", inplace([](Tensor& x) { hardsigmoid_(x); }), py::arg("input"));
  nn.def("hardswish_", inplace([](Tensor& x) { hardswish_(x); }), py::arg("input"));
  nn.def("selu_", inplace([](Tensor& x) { selu_(x); }), py::arg("input"));
  nn.def("celu_", inplace1([](Tensor& x, double a) { celu_(x, a); }), py::arg("input"), py::arg("alpha") = 1.0);
  nn.def("threshold_", inplace2<Scalar>([](Tensor& x, Scalar a, Scalar b) { threshold_(x, a, b); }), py::arg("input"),
         py::arg("threshold"), py::arg("value"));

  // The Generator class is bound elsewhere; it is looked up only when one is passed.
  nn.def(
      "dropout",
      [](const Tensor& x, double p, bool training, py::object gen) {
        Generator* g = gen.is_none() ? nullptr : &gen.cast<Generator&>();
        py::gil_scoped_release released;
        return dropout(x, p, training, g);
      },
      py::arg("input"), py::arg("p") = 0.5, py::arg("training") = true, py::arg("generator") = py::none());

  m.def("sigmoid", &sigmoid, py::arg("input"), nogil);
  m.def("tanh", &tanh, py::arg("input"), nogil);
  m.def("relu", &relu, py::arg("input"), nogil);
  // dtype: the input is cast first, as torch.softmax(input, dim, dtype) does
  auto softmax_dt = [](const Tensor& x, int64_t dim, std::optional<DType> dt) {
    return softmax(dt ? to_dtype(x, *dt) : x, dim);
  };
  auto log_softmax_dt = [](const Tensor& x, int64_t dim, std::optional<DType> dt) {
    return log_softmax(dt ? to_dtype(x, *dt) : x, dim);
  };
  m.def("softmax", softmax_dt, py::arg("input"), py::arg("dim"), py::arg("dtype") = py::none(), nogil);
  m.def("log_softmax", log_softmax_dt, py::arg("input"), py::arg("dim"), py::arg("dtype") = py::none(), nogil);
  m.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }), py::arg("input"));
  m.def("tanh_", inplace([](Tensor& x) { tanh_(x); }), py::arg("input"));
  m.def("relu_", inplace([](Tensor& x) { relu_(x); }), py::arg("input"));
  // torch.selu / celu / threshold / prelu at top level, with their in-place forms (and x.prelu(w))
  m.def("selu", &selu, py::arg("input"), nogil);
  m.def("celu", &celu, py::arg("input"), py::arg("alpha") = 1.0, nogil);
  m.def("threshold", &threshold, py::arg("input"), py::arg("threshold"), py::arg("value"), nogil);
  m.def("prelu", &prelu, py::arg("input"), py::arg("weight"), nogil);
  m.def("selu_", inplace([](Tensor& x) { selu_(x); }), py::arg("input"));
  m.def("celu_", inplace1([](Tensor& x, double a) { celu_(x, a); }), py::arg("input"), py::arg("alpha") = 1.0);
  m.def("threshold_", inplace2([](Tensor& x, double a, double b) { threshold_(x, a, b); }), py::arg("input"),
        py::arg("threshold"), py::arg("value"));
  cls.def("sigmoid", &sigmoid, nogil);
  cls.def("tanh", &tanh, nogil);
  cls.def("relu", &relu, nogil);
  cls.def("softmax", softmax_dt, py::arg("dim"), py::arg("dtype") = py::none(), nogil);
  cls.def("log_softmax", log_softmax_dt, py::arg("dim"), py::arg("dtype") = py::none(), nogil);
  cls.def("sigmoid_", inplace([](Tensor& x) { sigmoid_(x); }));
  cls.def("tanh_", inplace([](Tensor& x) { tanh_(x); }));
  cls.def("relu_", inplace([](Tensor& x) { relu_(x); }));
  cls.def("prelu", &prelu, py::arg("weight"), nogil);
}

}  // namespace rb::bind
