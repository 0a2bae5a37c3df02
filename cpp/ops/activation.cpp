// Activations and dropout: checks, dtype rules, output allocation and the autograd nodes, whose
// backward runs one fused kernel pass (from the saved output for sigmoid/tanh/softmax). Each
// backward is itself an op, so a backward run with create_graph can be differentiated again.
#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "scalar_range.h"

#include "../kernels/activation.h"

namespace rb {
namespace {

const char* act_name(Act a) {
  // PyTorch's node names where it has the op (selu is its EluBackward0, relu6 its Hardtanh's).
  static const char* n[] = {"Sigmoid",   "Tanh", "Relu", "LeakyRelu",  "Elu",      "HeavisideStep", "Gelu",
                            "Gelu",      "Silu", "Mish", "Softplus",   "Softsign", "Hardtanh",      "Hardsigmoid",
                            "Hardswish", "Elu",  "Celu", "LogSigmoid", "Threshold"};
  static_assert(sizeof(n) / sizeof(n[0]) == static_cast<int>(Act::Threshold) + 1, "one name per Act");
  return n[static_cast<int>(a)];
}
bool saves_output(Act a) { return a == Act::Sigmoid || a == Act::Tanh; }
// The piecewise-linear activations that keep an int64 input's dtype, as PyTorch's do.
bool keeps_int(Act a) { return a == Act::Relu || a == Act::Hardtanh || a == Act::Threshold; }

Tensor activation_backward(Act act, const Tensor& g, const Tensor& s, ActParams p);

struct ActivationBackward : Node {
  Act act;
  ActParams p;
  SavedTensor saved;  // output for sigmoid/tanh, input otherwise
  std::string name() const override { return std::string(act_name(act)) + "Backward"; }
  void release_saved() override { saved.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    return {activation_backward(act, grads[0], saved.unpack(*this), p)};
  }
};

Tensor lt_mask(const Tensor& x, double v) { return binary(BinaryOp::Lt, x, v); }
Tensor gt_mask(const Tensor& x, double v) { return binary(BinaryOp::Gt, x, v); }
// f'' where x <= 0 and zero above: the exponential side of elu, selu and celu.
Tensor below_zero(const Tensor& x, const Tensor& curve) { return where(gt_mask(x, 0.0), zeros_like(x), curve); }

// The derivative of f' with respect to the saved tensor s, composed from differentiable ops so
// that it can be differentiated again in turn; undefined where it is zero (the piecewise-linear
// ones). s is the output y for sigmoid (f' = y(1-y)) and tanh (f' = 1-y^2), the input x otherwise.
Tensor act_second_derivative(Act act, const Tensor& s, ActParams p) {
  const Tensor& x = s;
  switch (act) {
    case Act::Sigmoid: return binary(BinaryOp::Sub, 1.0, mul(s, 2.0));
    case Act::Tanh: return mul(s, -2.0);
    case Act::Elu: return below_zero(x, mul(exp(x), p.a));
    case Act::Selu: return below_zero(x, mul(exp(x), kSeluScale * kSeluAlpha));
    case Act::Celu: return below_zero(x, mul(exp(mul(x, 1.0 / p.a)), 1.0 / p.a));
    case Act::Gelu: {  // phi(x) (2 - x^2)
      Tensor x2 = mul(x, x);
      return mul(mul(exp(mul(x2, -0.5)), kInvSqrt2Pi), binary(BinaryOp::Sub, 2.0, x2));
    }
    case Act::GeluTanh: {  // (1 - t^2) (u' - x t u'^2 + x u''/2), t = tanh(u), u = beta (x + kappa x^3)
      Tensor x2 = mul(x, x);
      Tensor t = tanh(mul(add(x, mul(mul(x2, x), kGeluKappa)), kGeluBeta));
      Tensor du = mul(add(mul(x2, 3 * kGeluKappa), 1.0), kGeluBeta);
      Tensor inner = sub(add(du, mul(x2, 3 * kGeluKappa * kGeluBeta)), mul(mul(x, t), mul(du, du)));
      return mul(binary(BinaryOp::Sub, 1.0, mul(t, t)), inner);
    }
    case Act::Silu: {  // s (1-s) (2 + x (1 - 2s)), s = sigmoid(x)
      Tensor sg = sigmoid(x);
      Tensor ds = mul(sg, binary(BinaryOp::Sub, 1.0, sg));
      return mul(ds, add(mul(x, binary(BinaryOp::Sub, 1.0, mul(sg, 2.0))), 2.0));
    }
    case Act::Mish: {  // (1 - T^2) s (2 + x (1 - s - 2 T s)), T = tanh(softplus(x)), s = sigmoid(x)
      Tensor t = tanh(softplus(x)), sg = sigmoid(x);
      Tensor inner = sub(binary(BinaryOp::Sub, 1.0, sg), mul(mul(t, sg), 2.0));
      return mul(mul(binary(BinaryOp::Sub, 1.0, mul(t, t)), sg), add(mul(x, inner), 2.0));
    }
    case Act::Softplus: {  // beta s (1-s), s = sigmoid(beta x); zero past the threshold
      Tensor bx = mul(x, p.a), sg = sigmoid(bx);
      Tensor curve = mul(mul(sg, binary(BinaryOp::Sub, 1.0, sg)), p.a);
      return where(gt_mask(bx, p.b), zeros_like(x), curve);
    }
    case Act::LogSigmoid: {  // -s (1-s)
      Tensor sg = sigmoid(x);
      return mul(mul(sg, binary(BinaryOp::Sub, 1.0, sg)), -1.0);
    }
    case Act::Softsign: {  // -2 sign(x) / (1 + |x|)^3
      Tensor d = add(unary(UnaryOp::Abs, x), 1.0);
      return div(mul(unary(UnaryOp::Sign, x), -2.0), mul(mul(d, d), d));
    }
    case Act::Hardswish: {  // 1/3 on (-3, 3)
      Tensor inside = logical(LogicalOp::And, gt_mask(x, -3.0), lt_mask(x, 3.0));
      return mul(to_dtype(inside, x.dtype()), 1.0 / 3);
    }
    case Act::Relu:
    case Act::LeakyRelu:
    case Act::Step:
    case Act::Hardtanh:
    case Act::Hardsigmoid:
    case Act::Threshold: return Tensor();
  }
  return Tensor();
}

// d(dx)/d(g) is the same op on the incoming gradient gg; d(dx)/d(s) is g * gg * f'' (written in s).
struct ActivationBackwardBackward : Node {
  Act act;
  ActParams p;
  SavedTensor g, s;
  std::string name() const override { return std::string(act_name(act)) + "BackwardBackward"; }
  void release_saved() override { g.reset(), s.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& gg = grads[0];
    Tensor sv = s.unpack(*this), d_g = activation_backward(act, gg, sv, p), d_s;
    Tensor f2 = act_second_derivative(act, sv, p);
    if (f2.defined()) d_s = mul(mul(gg, g.unpack(*this)), f2);
    return {d_g, d_s};
  }
};

// dx = g * f'(s), one fused pass; s is the saved output for sigmoid/tanh and the input otherwise.
Tensor activation_backward(Act act, const Tensor& g, const Tensor& s, ActParams p) {
  Tensor dx = Tensor::empty(s.shape(), s.dtype(), s.device());
  kernels<ActivationKernels>("activation_backward", s)
      .activation_backward(act, loop_geom(dx, g, s), g.raw_data(), s.raw_data(), dx.raw_data(), p);
  if (needs_grad(g, s)) {
    auto node = std::make_shared<ActivationBackwardBackward>();
    node->act = act, node->p = p;
    node->g = SavedTensor(g), node->s = SavedTensor(s);
    record(node, {&g, &s}, {&dx});
  }
  return dx;
}

struct StepBackward : Node {
  std::string name() const override { return "HeavisideStepBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {zeros_like(grads[0])}; }
};

// Integer inputs: relu, hardtanh (relu6) and threshold keep int64 (as PyTorch); sigmoid, tanh,
// step and softsign compute in float32; the rest are float-only in PyTorch.
Tensor act_input(Act act, const Tensor& x, const char* op) {
  if (is_floating(x.dtype())) return x;
  if (keeps_int(act) && x.dtype() == DType::Int64) return x;
  if (act == Act::Sigmoid || act == Act::Tanh || act == Act::Step || act == Act::Softsign)
    return to_dtype(x, DType::Float32);
  throw Error(str("\"", op, "\" not implemented for '", dtype_name(x.dtype()), "'"));
}

Tensor activation(Act act, const Tensor& x_in, ActParams p, const char* op) {
  if (!is_compute_dtype(x_in.dtype()) && (is_floating(x_in.dtype()) || keeps_int(act)))
    return cast(activation(act, widen(x_in), p, op), x_in.dtype());
  const auto& k = kernels<ActivationKernels>(op, x_in);
  Tensor x = act_input(act, x_in, op);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  k.activation_forward(act, loop_geom(out, x), x.raw_data(), out.raw_data(), p);
  if (needs_grad(x)) {
    if (act == Act::Step) {
      record(std::make_shared<StepBackward>(), {&x}, {&out});
    } else {
      auto node = std::make_shared<ActivationBackward>();
      node->act = act;
      node->p = p;
      node->saved = saves_output(act) ? SavedTensor::output(out) : SavedTensor(x);
      record(node, {&x}, {&out});
    }
  }
  return out;
}

Tensor& activation_(Act act, Tensor& x, ActParams p, const char* op) {
  const auto& k = kernels<ActivationKernels>(op, x);
  check_inplace(x);
  RB_CHECK(is_floating(x.dtype()) || (keeps_int(act) && x.dtype() != DType::Bool), Error,
           "result type Float can't be cast to the desired output type ", dtype_name(x.dtype()));
  if (!is_compute_dtype(x.dtype())) return write_back(x, activation(act, x, p, op));  // float16, uint8: widened
  if (needs_grad(x)) {
    // Out of place (on a copy when backward needs the input), then write back and take over
    // the result's history, as the in-place elementwise ops do.
    Tensor r = activation(act, saves_output(act) ? x : clone(x), p, op);
    return write_back(x, r);
  }
  k.activation_forward(act, loop_geom(x, x), x.raw_data(), x.raw_data(), p);
  x.bump_version();
  return x;
}

// The checks of the ops with arguments, shared by their in-place forms.
Act gelu_act(const std::string& approximate) {
  RB_CHECK(approximate == "none" || approximate == "tanh", Error, "approximate argument must be either none or tanh.");
  return approximate == "tanh" ? Act::GeluTanh : Act::Gelu;
}
ActParams hardtanh_params(double min_val, double max_val) {
  RB_CHECK(min_val <= max_val, ValueError, "min_val cannot be greater than max_val");
  return {min_val, max_val};
}
ActParams celu_params(double alpha) {
  RB_CHECK(alpha != 0.0, Error, "ZeroDivisionError: alpha cannot be 0 for CELU");
  return {alpha};
}
// PyTorch converts both numbers to x's dtype, checked: 300 for uint8 raises rather than wrapping to 44.
// ATen's threshold kernel converts both numbers to x's dtype: checked (c10's conversion), and an integer
// x gets them wrapped to its type (uint8: -1 is 255) before its math, which here runs in a wider type.
ActParams threshold_params(const Tensor& x, Scalar threshold, Scalar value) {
  check_scalar_range(threshold, x.dtype());
  check_scalar_range(value, x.dtype());
  auto in_dtype = [&](Scalar s) {
    return is_floating(x.dtype()) ? s.to<double>() : scalar_tensor(s, x.dtype()).item<double>();
  };
  return {in_dtype(threshold), in_dtype(value)};
}

struct SoftmaxBackward : Node {
  SavedTensor out;
  int64_t outer, C, inner, dim;
  bool log;
  std::string name() const override { return log ? "LogSoftmaxBackward" : "SoftmaxBackward"; }
  void release_saved() override { out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor y = out.unpack(*this);
    if (GradMode::enabled() && (y.requires_grad() || grads[0].requires_grad())) {
      // create_graph: the same formula from differentiable primitives (the fused pass below is
      // invisible to autograd). softmax: y * (g - sum(g y)); log_softmax: g - e^y sum(g).
      const Tensor& g = grads[0];
      if (log) return {sub(g, mul(exp(y), sum(g, {dim}, true)))};
      return {mul(y, sub(g, sum(mul(g, y), {dim}, true)))};
    }
    Tensor g = grads[0].contiguous();
    Tensor dx = Tensor::empty(y.shape(), y.dtype(), y.device());
    // An empty tensor has nothing to compute (the kernels divide by the row count).
    if (y.numel())
      kernels<ActivationKernels>("softmax_backward", y)
          .softmax_backward(y.dtype(), g.raw_data(), y.raw_data(), outer, C, inner, log, dx.raw_data());
    return {dx};
  }
};

Tensor softmax_impl(const Tensor& x_in, int64_t dim, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  if (is_floating(x_in.dtype()) && !is_compute_dtype(x_in.dtype()))
    return cast(softmax_impl(widen(x_in), dim, log), x_in.dtype());
  const auto& k = kernels<ActivationKernels>(op, x_in);
  const Tensor& x = x_in;
  int64_t d = wrap_dim(dim, x.dim());
  // PyTorch has no integer softmax (F.softmax(x, dtype=...) converts first); its kernel's name in the message.
  // An empty input reaches no kernel there: it is returned as it is.
  RB_CHECK(is_floating(x.dtype()) || x.numel() == 0, NotImplementedError, "\"", op,
           d == x.dim() - 1 || x.dim() == 0 ? "_lastdim" : "", "_kernel_impl\" not implemented for '",
           aten_name(x.dtype()), "'");
  int64_t outer = 1, C = 1, inner = 1;
  for (int64_t i = 0; i < x.dim(); ++i) {
    if (i < d)
      outer *= x.shape()[i];
    else if (i > d)
      inner *= x.shape()[i];
    else
      C = x.shape()[i];
  }
  Tensor xc;
  {
    NoGradGuard ng;
    xc = x.contiguous();
  }
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (x.numel())
    k.softmax_forward(xc.dtype(), xc.raw_data(), outer, C, inner, log,
                      out.raw_data());  // the kernel divides by outer * inner
  if (needs_grad(x)) {
    auto node = std::make_shared<SoftmaxBackward>();
    node->out = SavedTensor::output(out);
    node->outer = outer, node->C = C, node->inner = inner, node->dim = d, node->log = log;
    record(node, {&x}, {&out});
  }
  return out;
}

struct DropoutBackward : Node {
  Tensor mask;  // private to the node: nothing else can write to it
  std::string name() const override { return "MulBackward"; }
  void release_saved() override { mask = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    check_not_released();
    if (GradMode::enabled() && grads[0].requires_grad()) return {mul(grads[0], mask)};  // create_graph
    Tensor dx = Tensor::empty(mask.shape(), mask.dtype(), mask.device());
    kernels<ActivationKernels>("dropout_backward", mask)
        .dropout_backward(loop_geom(dx, grads[0], mask), grads[0].raw_data(), mask.raw_data(), dx.raw_data());
    return {dx};
  }
};

}  // namespace

Tensor sigmoid(const Tensor& x) { return activation(Act::Sigmoid, x, {}, "sigmoid"); }
Tensor tanh(const Tensor& x) { return activation(Act::Tanh, x, {}, "tanh"); }
Tensor relu(const Tensor& x) { return activation(Act::Relu, x, {}, "relu"); }
Tensor leaky_relu(const Tensor& x, double slope) { return activation(Act::LeakyRelu, x, {slope}, "leaky_relu"); }
Tensor elu(const Tensor& x, double alpha) { return activation(Act::Elu, x, {alpha}, "elu"); }
Tensor heaviside_step(const Tensor& x) { return activation(Act::Step, x, {}, "heaviside_step"); }
Tensor gelu(const Tensor& x, const std::string& approximate) {
  return activation(gelu_act(approximate), x, {}, "gelu");
}
Tensor silu(const Tensor& x) { return activation(Act::Silu, x, {}, "silu"); }
Tensor mish(const Tensor& x) { return activation(Act::Mish, x, {}, "mish"); }
Tensor softplus(const Tensor& x, double beta, double threshold) {
  return activation(Act::Softplus, x, {beta, threshold}, "softplus");
}
Tensor softsign(const Tensor& x) { return activation(Act::Softsign, x, {}, "softsign"); }
Tensor hardtanh(const Tensor& x, double min_val, double max_val) {
  return activation(Act::Hardtanh, x, hardtanh_params(min_val, max_val), "hardtanh");
}
Tensor relu6(const Tensor& x) { return activation(Act::Hardtanh, x, {0.0, 6.0}, "relu6"); }
Tensor hardsigmoid(const Tensor& x) { return activation(Act::Hardsigmoid, x, {}, "hardsigmoid"); }
Tensor hardswish(const Tensor& x) { return activation(Act::Hardswish, x, {}, "hardswish"); }
Tensor selu(const Tensor& x) { return activation(Act::Selu, x, {}, "selu"); }
Tensor celu(const Tensor& x, double alpha) { return activation(Act::Celu, x, celu_params(alpha), "celu"); }
Tensor log_sigmoid(const Tensor& x) { return activation(Act::LogSigmoid, x, {}, "log_sigmoid"); }
Tensor threshold(const Tensor& x, Scalar threshold, Scalar value) {
  return activation(Act::Threshold, x, threshold_params(x, threshold, value), "threshold");
}

Tensor& sigmoid_(Tensor& x) { return activation_(Act::Sigmoid, x, {}, "sigmoid_"); }
Tensor& tanh_(Tensor& x) { return activation_(Act::Tanh, x, {}, "tanh_"); }
Tensor& relu_(Tensor& x) { return activation_(Act::Relu, x, {}, "relu_"); }
Tensor& leaky_relu_(Tensor& x, double slope) { return activation_(Act::LeakyRelu, x, {slope}, "leaky_relu_"); }
Tensor& elu_(Tensor& x, double alpha) { return activation_(Act::Elu, x, {alpha}, "elu_"); }
Tensor& silu_(Tensor& x) { return activation_(Act::Silu, x, {}, "silu_"); }
Tensor& mish_(Tensor& x) { return activation_(Act::Mish, x, {}, "mish_"); }
Tensor& hardtanh_(Tensor& x, double min_val, double max_val) {
  return activation_(Act::Hardtanh, x, hardtanh_params(min_val, max_val), "hardtanh_");
}
Tensor& relu6_(Tensor& x) { return activation_(Act::Hardtanh, x, {0.0, 6.0}, "relu6_"); }
Tensor& hardsigmoid_(Tensor& x) { return activation_(Act::Hardsigmoid, x, {}, "hardsigmoid_"); }
Tensor& hardswish_(Tensor& x) { return activation_(Act::Hardswish, x, {}, "hardswish_"); }
Tensor& selu_(Tensor& x) { return activation_(Act::Selu, x, {}, "selu_"); }
Tensor& celu_(Tensor& x, double alpha) { return activation_(Act::Celu, x, celu_params(alpha), "celu_"); }
Tensor& threshold_(Tensor& x, Scalar threshold, Scalar value) {
  return activation_(Act::Threshold, x, threshold_params(x, threshold, value), "threshold_");
}

// Composed from differentiable ops (so autograd and double backward come with them): glu is
// a * sigmoid(b) over the two halves of dim; softmin is softmax(-x); prelu selects x or
// weight * x with the weight broadcast along dim 1.
Tensor glu(const Tensor& x, int64_t dim) {
  RB_CHECK(x.dim() > 0, Error, "glu does not support scalars because halving size must be even");
  const int64_t d = wrap_dim(dim, x.dim()), n = x.shape()[d];
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"glu\" not implemented for '", dtype_name(x.dtype()), "'");
  RB_CHECK(n % 2 == 0, Error, "Halving dimension must be even, but dimension ", d, " is size ", n);
  return mul(narrow(x, d, 0, n / 2), sigmoid(narrow(x, d, n / 2, n / 2)));
}

Tensor softmin(const Tensor& x, int64_t dim) { return softmax(neg(x), dim); }

Tensor prelu(const Tensor& x, const Tensor& weight) {
  RB_CHECK(weight.dim() <= 1, Error,
           "prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = ", weight.dim());
  const int64_t n = weight.numel(), channels = x.dim() >= 2 ? x.shape()[1] : 1;
  RB_CHECK(n == 1 || n == channels, Error, "Mismatch of parameter numbers and input channel size. Found parameter ",
           "numbers = ", n, " and channel size = ", channels, ".");
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"prelu_cpu\" not implemented for '", aten_name(x.dtype()),
           "'");
  Shape ws;  // () for one weight; (C, 1, ..., 1) against (N, C, ...) otherwise
  if (n != 1) ws.assign(x.dim() - 1, 1), ws[0] = n;
  return where(binary(BinaryOp::Gt, x, 0.0), x, mul(reshape(weight, ws), x));
}

Tensor softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, false); }
Tensor log_softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, true); }

Tensor dropout(const Tensor& x, double p, bool training, Generator* gen) {
  RB_CHECK(p >= 0.0 && p <= 1.0, ValueError, "dropout probability has to be between 0 and 1, but got ", p);
  const auto& k = kernels<ActivationKernels>("dropout", x);
  // As PyTorch on the CPU: the input itself when nothing is dropped; a zero product when all is.
  if (!training || p == 0.0 || x.numel() == 0) return x;
  if (p == 1.0 && !is_floating(x.dtype())) return mul(x, scalar_tensor(Scalar(0), x.dtype(), x.device()));
  RB_CHECK(is_floating(x.dtype()), Error, "dropout: expected a floating point tensor, got ", dtype_name(x.dtype()));
  if (!is_compute_dtype(x.dtype())) return cast(dropout(widen(x), p, training, gen), x.dtype());
  if (p == 1.0) return mul(x, scalar_tensor(Scalar(0.0), x.dtype(), x.device()));
  Tensor xc;
  {
    NoGradGuard ng;
    xc = x.contiguous();
  }
  Tensor mask = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  k.dropout_forward(xc.dtype(), xc.numel(), xc.raw_data(), p, gen ? *gen : default_generator(), mask.raw_data(),
                    out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<DropoutBackward>();
    node->mask = mask;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
