// Activations and dropout: checks, dtype rules, output allocation and the autograd nodes, whose
// backward runs one fused kernel pass (from the saved output for sigmoid/tanh/softmax). Each
// backward is itself an op, so a backward run with create_graph can be differentiated again.
#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/activation.h"

namespace rb {
namespace {

const char* act_name(Act a) {
  static const char* n[] = {"Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu", "HeavisideStep"};
  return n[static_cast<int>(a)];
}
bool saves_output(Act a) { return a == Act::Sigmoid || a == Act::Tanh; }

Tensor activation_backward(Act act, const Tensor& g, const Tensor& s, double param);

struct ActivationBackward : Node {
  Act act;
  double param = 0;
  SavedTensor saved;  // output for sigmoid/tanh, input otherwise
  std::string name() const override { return std::string(act_name(act)) + "Backward"; }
  void release_saved() override { saved.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    return {activation_backward(act, grads[0], saved.unpack(*this), param)};
  }
};

// d(dx)/d(g) is the same op on the incoming gradient gg; d(dx)/d(s) is g * gg times the
// derivative of f' written in s: sigmoid f' = y(1-y) -> 1-2y; tanh f' = 1-y^2 -> -2y;
// elu f' = alpha e^x (x <= 0) -> alpha e^x; the piecewise-linear ones have none.
struct ActivationBackwardBackward : Node {
  Act act;
  double param = 0;
  SavedTensor g, s;
  std::string name() const override { return std::string(act_name(act)) + "BackwardBackward"; }
  void release_saved() override { g.reset(), s.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& gg = grads[0];
    Tensor sv = s.unpack(*this), d_g = activation_backward(act, gg, sv, param), d_s;
    switch (act) {
      case Act::Sigmoid: d_s = mul(mul(gg, g.unpack(*this)), binary(BinaryOp::Sub, 1.0, mul(sv, 2.0))); break;
      case Act::Tanh: d_s = mul(mul(gg, g.unpack(*this)), mul(sv, -2.0)); break;
      case Act::Elu: {
        Tensor curve = mul(exp(sv), param);
        d_s = mul(mul(gg, g.unpack(*this)), where(binary(BinaryOp::Gt, sv, 0.0), zeros_like(sv), curve));
        break;
      }
      default: break;
    }
    return {d_g, d_s};
  }
};

// dx = g * f'(s), one fused pass; s is the saved output for sigmoid/tanh and the input otherwise.
Tensor activation_backward(Act act, const Tensor& g, const Tensor& s, double param) {
  Tensor dx = Tensor::empty(s.shape(), s.dtype(), s.device());
  kernels<ActivationKernels>("activation_backward", s).activation_backward(act, g, s, dx, param);
  if (needs_grad(g, s)) {
    auto node = std::make_shared<ActivationBackwardBackward>();
    node->act = act, node->param = param;
    node->g = SavedTensor(g), node->s = SavedTensor(s);
    record(node, {&g, &s}, {&dx});
  }
  return dx;
}

struct StepBackward : Node {
  std::string name() const override { return "HeavisideStepBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {zeros_like(grads[0])}; }
};

// Integer inputs: relu keeps the dtype (as PyTorch); sigmoid/tanh/step compute in float32;
// leaky_relu and elu are float-only in PyTorch.
Tensor act_input(Act act, const Tensor& x, const char* op) {
  if (is_floating(x.dtype())) return x;
  if (act == Act::Relu && x.dtype() == DType::Int64) return x;
  if (act == Act::Sigmoid || act == Act::Tanh || act == Act::Step) return to_dtype(x, DType::Float32);
  throw Error(str("\"", op, "\" not implemented for '", dtype_name(x.dtype()), "'"));
}

Tensor activation(Act act, const Tensor& x_in, double param, const char* op) {
  const auto& k = kernels<ActivationKernels>(op, x_in);
  Tensor x = act_input(act, x_in, op);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  k.activation_forward(act, x, out, param);
  if (needs_grad(x)) {
    if (act == Act::Step) {
      record(std::make_shared<StepBackward>(), {&x}, {&out});
    } else {
      auto node = std::make_shared<ActivationBackward>();
      node->act = act;
      node->param = param;
      node->saved = saves_output(act) ? SavedTensor::output(out) : SavedTensor(x);
      record(node, {&x}, {&out});
    }
  }
  return out;
}

Tensor& activation_(Act act, Tensor& x, double param, const char* op) {
  const auto& k = kernels<ActivationKernels>(op, x);
  check_inplace(x);
  RB_CHECK(is_floating(x.dtype()) || (act == Act::Relu && x.dtype() == DType::Int64), Error,
           "result type Float can't be cast to the desired output type ", dtype_name(x.dtype()));
  if (needs_grad(x)) {
    // Out of place (on a copy when backward needs the input), then write back and take over
    // the result's history, as the in-place elementwise ops do.
    Tensor r = activation(act, saves_output(act) ? x : clone(x), param, op);
    return write_back(x, r);
  }
  k.activation_forward(act, x, x, param);
  x.bump_version();
  return x;
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
    kernels<ActivationKernels>("softmax_backward", y).softmax_backward(g, y, outer, C, inner, log, dx);
    return {dx};
  }
};

Tensor softmax_impl(const Tensor& x_in, int64_t dim, bool log) {
  const char* op = log ? "log_softmax" : "softmax";
  const auto& k = kernels<ActivationKernels>(op, x_in);
  Tensor x = is_floating(x_in.dtype()) ? x_in : to_dtype(x_in, DType::Float32);
  int64_t d = wrap_dim(dim, x.dim());
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
  k.softmax_forward(xc, outer, C, inner, log, out);
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
    kernels<ActivationKernels>("dropout_backward", mask).dropout_backward(grads[0], mask, dx);
    return {dx};
  }
};

}  // namespace

Tensor sigmoid(const Tensor& x) { return activation(Act::Sigmoid, x, 0, "sigmoid"); }
Tensor tanh(const Tensor& x) { return activation(Act::Tanh, x, 0, "tanh"); }
Tensor relu(const Tensor& x) { return activation(Act::Relu, x, 0, "relu"); }
Tensor leaky_relu(const Tensor& x, double slope) { return activation(Act::LeakyRelu, x, slope, "leaky_relu"); }
Tensor elu(const Tensor& x, double alpha) { return activation(Act::Elu, x, alpha, "elu"); }
Tensor heaviside_step(const Tensor& x) { return activation(Act::Step, x, 0, "heaviside_step"); }
Tensor& sigmoid_(Tensor& x) { return activation_(Act::Sigmoid, x, 0, "sigmoid_"); }
Tensor& tanh_(Tensor& x) { return activation_(Act::Tanh, x, 0, "tanh_"); }
Tensor& relu_(Tensor& x) { return activation_(Act::Relu, x, 0, "relu_"); }
Tensor& leaky_relu_(Tensor& x, double slope) { return activation_(Act::LeakyRelu, x, slope, "leaky_relu_"); }
Tensor& elu_(Tensor& x, double alpha) { return activation_(Act::Elu, x, alpha, "elu_"); }

Tensor softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, false); }
Tensor log_softmax(const Tensor& x, int64_t dim) { return softmax_impl(x, dim, true); }

Tensor dropout(const Tensor& x, double p, bool training, Generator* gen) {
  RB_CHECK(p >= 0.0 && p <= 1.0, ValueError, "dropout probability has to be between 0 and 1, but got ", p);
  const auto& k = kernels<ActivationKernels>("dropout", x);
  // As PyTorch on the CPU: the input itself when nothing is dropped; a zero product when all is.
  if (!training || p == 0.0 || x.numel() == 0) return x;
  RB_CHECK(is_floating(x.dtype()), Error, "dropout: expected a floating point tensor, got ", dtype_name(x.dtype()));
  if (p == 1.0) return mul(x, scalar_tensor(Scalar(0.0), x.dtype(), x.device()));
  Tensor xc;
  {
    NoGradGuard ng;
    xc = x.contiguous();
  }
  Tensor mask = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  k.dropout_forward(xc, p, gen ? *gen : default_generator(), mask, out);
  if (needs_grad(x)) {
    auto node = std::make_shared<DropoutBackward>();
    node->mask = mask;
    record(node, {&x}, {&out});
  }
  return out;
}

}  // namespace rb
