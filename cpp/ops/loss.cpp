// Losses: shape/dtype/range checks with PyTorch's messages, reduction, and autograd nodes whose
// backward is one kernel pass (softmax - onehot for cross-entropy, sigmoid - y for BCE-with-logits).
#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"
#include "pointers.h"

#include "../kernels/loss.h"

namespace rb {
namespace {

// The loss kernels for input and target, which must share one device.
const LossKernels& loss_kernels(const Tensor& input, const Tensor& target, const char* op) {
  check_same_device(input, target, op);
  return kernels<LossKernels>(op, input);
}

// The reduced value as a 0-d tensor; mean divides by denom (0/0 gives nan, as PyTorch).
Tensor reduced(const LossSums& s, Reduction red, double denom, DType dt, Device dev) {
  double v = red == Reduction::Sum ? s.loss : s.loss / denom;
  return scalar_tensor(Scalar(v), dt, dev);
}

// The geometry of an elementwise loss over n elements of dtype dt.
LossGeom elementwise_geom(int64_t n, DType dt) {
  LossGeom g;
  g.n = n, g.dtype = dt;
  return g;
}

bool want_grad(const Tensor& t) { return GradMode::enabled() && t.defined() && t.requires_grad(); }

// An optional per-element tensor (weight, pos_weight) broadcast to `shape`, contiguous, in dtype dt.
// It gets no gradient, as in PyTorch.
Tensor broadcast_aux(const std::optional<Tensor>& t, const Shape& shape, DType dt) {
  if (!t || !t->defined()) return Tensor();
  NoGradGuard ng;
  Tensor w = cast(t->detach(), dt);
  if (w.shape() != shape) {
    RB_CHECK(broadcast_shapes(w.shape(), shape) == shape, Error, "weight of shape ", w.shape(),
             " can't be broadcast to the input shape ", shape);  // broadcast_shapes itself raises on a clash
    w = expand(w, shape);
  }
  return w.contiguous();
}

// --- elementwise losses -----------------------------------------------------------------------

// The pointwise losses' derivative in d = x - y from differentiable ops, for a backward run with
// create_graph: mse 2d; l1 sign(d); smooth_l1 d/beta inside |d| < beta, sign(d) outside; huber d
// inside |d| < delta, delta sign(d) outside. Times g (and 1/n for the mean); dy = -dx.
std::vector<Tensor> pointwise_loss_backward_graph(PointLoss kind, const Tensor& g, const Tensor& x, const Tensor& y,
                                                  Reduction red, int64_t n, double param, bool need_x, bool need_y) {
  Tensor d = sub(x, y), sign = unary(UnaryOp::Sign, d), deriv;
  switch (kind) {
    case PointLoss::MSE: deriv = mul(d, 2.0); break;
    case PointLoss::L1: deriv = sign; break;
    case PointLoss::SmoothL1:
      deriv = param == 0 ? sign : where(binary(BinaryOp::Lt, unary(UnaryOp::Abs, d), param), mul(d, 1.0 / param), sign);
      break;
    case PointLoss::Huber:
      deriv = where(binary(BinaryOp::Lt, unary(UnaryOp::Abs, d), param), d, mul(sign, param));
      break;
  }
  Tensor dx = mul(deriv, red == Reduction::Mean ? mul(g, 1.0 / static_cast<double>(n)) : g);
  return {need_x ? dx : Tensor(), need_y ? neg(dx) : Tensor()};
}

struct PointwiseLossBackward : Node {
  PointLoss kind;
  double param = 0;
  Reduction red;
  int64_t n = 0;
  SavedTensor x, y;
  bool need_x = false, need_y = false;
  std::string name() const override {
    static const char* names[] = {"MseLossBackward", "L1LossBackward", "SmoothL1LossBackward", "HuberLossBackward"};
    return names[static_cast<int>(kind)];
  }
  void release_saved() override { x.reset(), y.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this), yv = y.unpack(*this);
    if (GradMode::enabled())
      return pointwise_loss_backward_graph(kind, grads[0], xv, yv, red, n, param, need_x, need_y);
    Tensor g = red == Reduction::None ? grads[0].contiguous() : grads[0];
    Tensor dx, dy;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_y) dy = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    LossGeom geom = elementwise_geom(xv.numel(), xv.dtype());
    geom.scalar_dout = g.dim() == 0;
    kernels<LossKernels>("pointwise_loss_backward", g)
        .pointwise_loss_backward(geom, kind, g.raw_data(), red == Reduction::Mean ? 1.0 / n : 1.0, xv.raw_data(),
                                 yv.raw_data(), param, raw_or_null(dx), raw_or_null(dy));
    return {dx, dy};
  }
};

Tensor pointwise_loss(PointLoss kind, const Tensor& input, const Tensor& target, Reduction red, double param,
                      const char* op) {
  const auto& k = loss_kernels(input, target, op);
  DType dt = promote(input.dtype(), target.dtype());
  RB_CHECK(is_floating(dt), Error, "\"", op, "\" not implemented for '", dtype_name(dt), "'");
  if (!is_compute_dtype(dt))  // float16: computed in float32, rounded back once
    return cast(pointwise_loss(kind, widen(cast(input, dt)), widen(cast(target, dt)), red, param, op), dt);
  Tensor x = cast(input, dt), y = cast(target, dt);
  if (x.shape() != y.shape()) {
    // PyTorch broadcasts (with a warning); differentiable expands sum the gradient back.
    Shape b = broadcast_shapes(x.shape(), y.shape());
    x = expand(x, b), y = expand(y, b);
  }
  x = x.contiguous(), y = y.contiguous();
  const LossGeom geom = elementwise_geom(x.numel(), dt);
  Tensor out;
  LossSums s;
  if (red == Reduction::None) {
    out = Tensor::empty(x.shape(), dt, x.device());
    s = k.pointwise_loss_forward(geom, kind, x.raw_data(), y.raw_data(), param, out.raw_data());
  } else {
    s = k.pointwise_loss_forward(geom, kind, x.raw_data(), y.raw_data(), param, nullptr);
    out = reduced(s, red, static_cast<double>(x.numel()), dt, x.device());
  }
  if (needs_grad(x, y)) {
    auto node = std::make_shared<PointwiseLossBackward>();
    node->kind = kind, node->param = param, node->red = red, node->n = x.numel();
    node->need_x = x.requires_grad(), node->need_y = y.requires_grad();
    node->x = SavedTensor(x), node->y = SavedTensor(y);
    record(node, {&x, &y}, {&out});
  }
  return out;
}

// --- binary cross-entropy ---------------------------------------------------------------------

// The BCE derivatives from differentiable ops, for a backward run with create_graph (PyTorch's
// formulas, Loss.cpp): on probabilities dx = gw (x - y) / max(x (1 - x), 1e-12), dy = gw (log(1 - x)
// - log x); on logits dx = gw ((1 + (pw - 1) y) sigmoid(x) - pw y), dy = gw (-x + (pw - 1)
// softplus(-x)) (pw = 1 without pos_weight). g carries the 1/n of the mean.
std::vector<Tensor> bce_backward_graph(bool logits, const Tensor& g_in, const Tensor& x, const Tensor& y,
                                       const Tensor& w, const Tensor& pw, Reduction red, int64_t n, bool need_x,
                                       bool need_y) {
  Tensor g = red == Reduction::Mean ? mul(g_in, 1.0 / static_cast<double>(n)) : g_in;
  if (w.defined()) g = mul(g, w);
  Tensor dx, dy;
  if (!logits) {
    if (need_x) dx = mul(g, div(sub(x, y), clamp(mul(x, binary(BinaryOp::Sub, 1.0, x)), Scalar(1e-12), std::nullopt)));
    if (need_y) dy = mul(g, sub(log(binary(BinaryOp::Sub, 1.0, x)), log(x)));
    return {dx, dy};
  }
  if (need_x) {
    Tensor pwy = pw.defined() ? mul(pw, y) : y;
    Tensor coef = pw.defined() ? add(sub(pwy, y), 1.0) : Tensor();
    Tensor sg = sigmoid(x);
    dx = mul(g, sub(coef.defined() ? mul(coef, sg) : sg, pwy));
  }
  if (need_y) {
    Tensor d = neg(x);
    if (pw.defined()) {
      Tensor softplus_neg = add(relu(d), log(add(exp(neg(unary(UnaryOp::Abs, x))), 1.0)));
      d = add(d, mul(binary(BinaryOp::Sub, pw, 1.0), softplus_neg));
    }
    dy = mul(g, d);
  }
  return {dx, dy};
}

struct BceBackward : Node {
  bool logits = false;
  Reduction red;
  int64_t n = 0;
  SavedTensor x, y;
  Tensor w, pw;  // private broadcast copies (or views of inputs that get no gradient)
  bool need_x = false, need_y = false;
  std::string name() const override {
    return logits ? "BinaryCrossEntropyWithLogitsBackward" : "BinaryCrossEntropyBackward";
  }
  void release_saved() override { x.reset(), y.reset(), w = Tensor(), pw = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this), yv = y.unpack(*this);
    if (GradMode::enabled()) return bce_backward_graph(logits, grads[0], xv, yv, w, pw, red, n, need_x, need_y);
    Tensor g = red == Reduction::None ? grads[0].contiguous() : grads[0];
    Tensor dx, dy;
    if (need_x) dx = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    if (need_y) dy = Tensor::empty(xv.shape(), xv.dtype(), xv.device());
    double scale = red == Reduction::Mean ? 1.0 / n : 1.0;
    LossGeom geom = elementwise_geom(xv.numel(), xv.dtype());
    geom.scalar_dout = g.dim() == 0;
    if (logits)
      kernels<LossKernels>("binary_cross_entropy_with_logits_backward", g)
          .bce_logits_backward(geom, g.raw_data(), scale, xv.raw_data(), yv.raw_data(), raw_or_null(w), raw_or_null(pw),
                               raw_or_null(dx), raw_or_null(dy));
    else
      kernels<LossKernels>("binary_cross_entropy_backward", g)
          .bce_backward(geom, g.raw_data(), scale, xv.raw_data(), yv.raw_data(), raw_or_null(w), raw_or_null(dx),
                        raw_or_null(dy));
    return {dx, dy};
  }
};

Tensor bce_impl(bool logits, const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                const std::optional<Tensor>& pos_weight, Reduction red) {
  const char* op = logits ? "binary_cross_entropy_with_logits" : "binary_cross_entropy";
  const auto& k = loss_kernels(input, target, op);
  if (logits)
    RB_CHECK(input.shape() == target.shape(), ValueError, "Target size (", target.shape(),
             ") must be the same as input size (", input.shape(), ")");
  else
    RB_CHECK(input.shape() == target.shape(), ValueError, "Using a target size (", target.shape(),
             ") that is different to the input size (", input.shape(),
             ") is deprecated. Please ensure they have the same size.");
  RB_CHECK(is_floating(input.dtype()), Error, "\"", op, "\" not implemented for '", dtype_name(input.dtype()), "'");
  DType dt = input.dtype();
  if (!is_compute_dtype(dt)) {  // float16/bfloat16: computed in float32 from the dt-rounded operands, rounded once
    auto wide = [dt](const std::optional<Tensor>& t) {
      return t && t->defined() ? std::optional<Tensor>(widen(cast(*t, dt))) : std::nullopt;
    };
    return cast(bce_impl(logits, widen(input), widen(cast(target, dt)), wide(weight), wide(pos_weight), red), dt);
  }
  Tensor x = input.contiguous(), y = cast(target, dt).contiguous();
  if (!logits && y.numel()) {  // PyTorch's kernel check; a NaN target fails it too
    NoGradGuard ng;
    double lo = min(y).item<double>(), hi = max(y).item<double>();
    RB_CHECK(lo >= 0.0 && hi <= 1.0, Error, "all elements of target should be between 0 and 1");
  }
  Tensor w = broadcast_aux(weight, x.shape(), dt);
  Tensor pw = broadcast_aux(pos_weight, x.shape(), dt);
  const LossGeom geom = elementwise_geom(x.numel(), dt);
  Tensor out;
  if (red == Reduction::None) out = Tensor::empty(x.shape(), dt, x.device());
  LossSums s =
      logits ? k.bce_logits_forward(geom, x.raw_data(), y.raw_data(), raw_or_null(w), raw_or_null(pw), raw_or_null(out))
             : k.bce_forward(geom, x.raw_data(), y.raw_data(), raw_or_null(w), raw_or_null(out));
  if (red != Reduction::None) out = reduced(s, red, static_cast<double>(x.numel()), dt, x.device());
  if (needs_grad(x, y)) {
    auto node = std::make_shared<BceBackward>();
    node->logits = logits, node->red = red, node->n = x.numel();
    node->need_x = x.requires_grad(), node->need_y = y.requires_grad();
    node->x = SavedTensor(x), node->y = SavedTensor(y);
    node->w = w, node->pw = pw;
    record(node, {&x, &y}, {&out});
  }
  return out;
}

// --- cross-entropy and nll ---------------------------------------------------------------------

// input (N, C, d1, ...) or (C,) viewed as (N, C, inner); the per-position output shape.
struct ClassLayout {
  int64_t N = 1, C = 1, inner = 1;
  Shape out_shape;
  // The kernels' geometry in dtype dt; scalar_dout: a backward's gradient is 0-d (mean or sum).
  LossGeom geom(DType dt, bool scalar_dout = false) const {
    LossGeom k;
    k.N = N, k.C = C, k.inner = inner, k.scalar_dout = scalar_dout, k.dtype = dt;
    return k;
  }
};

ClassLayout class_layout(const Tensor& input) {
  RB_CHECK(input.dim() >= 1, Error, "Expected 1 or more dimensions (got ", input.dim(), ")");
  ClassLayout L;
  if (input.dim() == 1) {
    L.C = input.size(0);
    return L;
  }
  L.N = input.size(0), L.C = input.size(1);
  L.out_shape.push_back(L.N);
  for (int64_t d = 2; d < input.dim(); ++d) L.inner *= input.size(d), L.out_shape.push_back(input.size(d));
  return L;
}

void check_class_target(const Tensor& input, const Tensor& target, const ClassLayout& L, int64_t ignore_index) {
  RB_CHECK(target.dtype() == DType::Int64, Error, "expected scalar type Long but found ", dtype_name(target.dtype()));
  if (input.dim() == 1) {
    RB_CHECK(target.dim() == 0, Error, "0D target tensor expected, multi-target not supported");
  } else if (input.dim() == 2) {
    RB_CHECK(target.dim() == 1, Error, "1D target tensor expected, multi-target not supported (input shape ",
             input.shape(), ", target shape ", target.shape(), ")");
    RB_CHECK(target.size(0) == L.N, ValueError, "Expected input batch_size (", L.N, ") to match target batch_size (",
             target.size(0), ").");
  } else {
    RB_CHECK(target.shape() == L.out_shape, Error, "Expected target size ", L.out_shape, ", got ", target.shape());
  }
}

void check_target_range(const Tensor& tc, int64_t C, int64_t ignore_index) {
  const int64_t* t = tc.data<int64_t>();
  for (int64_t i = 0, n = tc.numel(); i < n; ++i)
    if ((t[i] < 0 || t[i] >= C) && t[i] != ignore_index) throw IndexError(str("Target ", t[i], " is out of bounds."));
}

Tensor class_weight(const std::optional<Tensor>& weight, int64_t C, DType dt) {
  if (!weight || !weight->defined()) return Tensor();
  RB_CHECK(weight->dim() == 1 && weight->numel() == C, Error, "weight tensor should be defined either for all ", C,
           " classes or no classes but got weight tensor of shape: ", weight->shape());
  NoGradGuard ng;
  return cast(weight->detach(), dt).contiguous();
}

// The mean's denominator with probability targets, ATen's numel / C: the positions, nan without classes (0 / 0).
double prob_denominator(const Tensor& input, const ClassLayout& L) {
  return static_cast<double>(input.numel()) / static_cast<double>(L.C);
}

enum class ClassKind : uint8_t { CrossEntropy, CrossEntropyProb, Nll };

Tensor class_loss(ClassKind kind, const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                  int64_t ignore_index, Reduction red, double eps);
Tensor class_loss_graph(ClassKind kind, const Tensor& x, const Tensor& t, const Tensor& w, int64_t ignore_index,
                        Reduction red, double eps, double scale);

struct ClassLossBackward : Node {
  ClassKind kind;
  Reduction red;
  ClassLayout L;
  int64_t ignore_index = -100;
  double eps = 0, scale = 1;
  SavedTensor x, target;  // target: int64 classes, or float probabilities
  Tensor w, lse;          // private to the node
  Shape in_shape;
  bool need_x = false, need_t = false;
  std::string name() const override { return kind == ClassKind::Nll ? "NllLossBackward" : "CrossEntropyLossBackward"; }
  void release_saved() override { x.reset(), target.reset(), w = Tensor(), lse = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    check_not_released();
    Tensor tv = target.unpack(*this);
    if (kind != ClassKind::Nll && GradMode::enabled()) {
      // create_graph: differentiate the loss rebuilt from log_softmax and nll (both recorded).
      auto f = [&](const std::vector<Tensor>& in) {
        return std::vector<Tensor>{class_loss_graph(kind, in[0], in[1], w, ignore_index, red, eps, scale)};
      };
      std::vector<Tensor> r = grad_of_recomputed(f, {x.unpack(*this), tv}, {grads[0]});
      if (kind == ClassKind::CrossEntropy) r.resize(1);
      return r;
    }
    Tensor g = red == Reduction::None ? grads[0].contiguous() : grads[0];
    Tensor dx, dt;
    if (need_x) dx = Tensor::empty(in_shape, g.dtype(), g.device());
    if (kind == ClassKind::Nll) {
      kernels<LossKernels>("nll_loss_backward", g)
          .nll_backward(L.geom(g.dtype(), g.dim() == 0), g.raw_data(), scale, tv.data<int64_t>(), raw_or_null(w),
                        ignore_index, dx.raw_data());
      // Linear in g and free of x: its adjoint is nll_loss itself (same target, weight, reduction).
      record_adjoint("NllLoss", grads[0], dx, [tv, w = w, ii = ignore_index, red = red](const Tensor& gg) {
        return class_loss(ClassKind::Nll, gg, tv, w.defined() ? std::optional<Tensor>(w) : std::nullopt, ii, red, 0.0);
      });
      return {dx};
    }
    Tensor xv = contiguous_nograd(x.unpack(*this));
    Tensor tc = contiguous_nograd(tv);
    const LossGeom geom = L.geom(xv.dtype(), g.dim() == 0);
    if (kind == ClassKind::CrossEntropy) {
      kernels<LossKernels>("cross_entropy_backward", g)
          .cross_entropy_backward(geom, g.raw_data(), scale, xv.raw_data(), tc.data<int64_t>(), raw_or_null(w),
                                  lse.raw_data(), ignore_index, eps, dx.raw_data());
      return {dx};
    }
    if (need_t) dt = Tensor::empty(in_shape, g.dtype(), g.device());
    kernels<LossKernels>("cross_entropy_backward", g)
        .cross_entropy_prob_backward(geom, g.raw_data(), scale, xv.raw_data(), tc.raw_data(), raw_or_null(w),
                                     lse.raw_data(), eps, raw_or_null(dx), raw_or_null(dt));
    return {dx, dt};
  }
};

// The cross-entropies from differentiable primitives, as PyTorch defines them (LossNLL.cpp):
// log_softmax over the class dim, then nll_loss; label smoothing eps mixes in the (weighted,
// ignore-masked) mean of -log p over the classes; probability targets q give -sum w q' log p with
// q' = (1 - eps) q + eps / C. scale: 1/denominator of the mean (the forward's).
Tensor class_loss_graph(ClassKind kind, const Tensor& x, const Tensor& t, const Tensor& w, int64_t ignore_index,
                        Reduction red, double eps, double scale) {
  const int64_t cdim = x.dim() == 1 ? 0 : 1, C = x.size(cdim);
  Tensor logp = log_softmax(x, cdim);
  Shape wshape(x.dim(), 1);
  wshape[cdim] = C;
  Tensor wb = w.defined() ? reshape(w, wshape) : Tensor();
  auto reduce = [&](const Tensor& per_position) {
    if (red == Reduction::None) return per_position;
    Tensor total = sum(per_position);
    return red == Reduction::Mean ? mul(total, scale) : total;
  };
  if (kind == ClassKind::CrossEntropyProb) {
    Tensor q = eps > 0 ? add(mul(t, 1.0 - eps), eps / static_cast<double>(C)) : t;
    Tensor terms = mul(logp, q);
    return reduce(neg(sum(wb.defined() ? mul(terms, wb) : terms, {cdim})));
  }
  Tensor nll = class_loss(ClassKind::Nll, logp, t, w.defined() ? std::optional<Tensor>(w) : std::nullopt, ignore_index,
                          red, 0.0);
  if (eps == 0) return nll;
  Tensor smooth = neg(sum(wb.defined() ? mul(logp, wb) : logp, {cdim}));
  smooth = where(binary(BinaryOp::Ne, t, Scalar(ignore_index)), smooth, zeros_like(smooth));
  return add(mul(nll, 1.0 - eps), mul(reduce(smooth), eps / static_cast<double>(C)));
}

// float16/bfloat16 as ATen composes them: nll_loss widened to float32 (its opmath accumulation) and rounded once;
// cross_entropy as class_loss_graph does, log_softmax rounded to dt then nll_loss, the label smoothing and the
// probability targets in dt's ops. The mean of the smoothing term divides by the target weights' sum in dt.
Tensor class_loss_low(ClassKind kind, const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                      int64_t ignore_index, Reduction red, double eps) {
  const DType dt = input.dtype();
  const ClassLayout L = class_layout(input);
  Tensor w = class_weight(weight, L.C, dt);
  if (kind == ClassKind::Nll) {
    std::optional<Tensor> ww;
    if (w.defined()) ww = widen(w);
    return cast(class_loss(kind, widen(input), target, ww, ignore_index, red, 0.0), dt);
  }
  double denom = prob_denominator(input, L);
  if (kind == ClassKind::CrossEntropyProb) {
    RB_CHECK(is_floating(target.dtype()), Error,
             "Expected floating point type for target with class probabilities, got ", dtype_name(target.dtype()));
    RB_CHECK(ignore_index < 0, Error, "ignore_index is not supported for floating point target");
  } else {
    check_class_target(input, target, L, ignore_index);
    check_target_range(contiguous_nograd(target), L.C, ignore_index);
    if (red == Reduction::Mean && eps > 0) {
      NoGradGuard ng;
      Tensor valid = binary(BinaryOp::Ne, target, Scalar(ignore_index));
      Tensor tw = w.defined() ? reshape(index_select(w, 0, reshape(where(valid, target, zeros_like(target)), {-1})),
                                        target.shape())
                              : ones(target.shape(), dt, input.device());
      denom = sum(where(valid, tw, zeros_like(tw))).item<double>();
    }
  }
  return class_loss_graph(kind, input, target, w, ignore_index, red, eps, 1.0 / denom);
}

Tensor class_loss(ClassKind kind, const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                  int64_t ignore_index, Reduction red, double eps) {
  const char* op = kind == ClassKind::Nll ? "nll_loss" : "cross_entropy";
  // ATen's nll_loss_nd checks the dimensions and the batch sizes (ValueError) before anything looks at a dtype, a
  // weight or the target's other dims; cross_entropy reaches it after its log_softmax, whose kernel refuses a
  // non-empty integer input (an empty one runs no kernel).
  RB_CHECK(kind == ClassKind::Nll || input.numel() == 0 || is_floating(input.dtype()), NotImplementedError, "\"",
           input.dim() <= 2 ? "log_softmax_lastdim_kernel_impl" : "log_softmax_kernel_impl", "\" not implemented for '",
           aten_name(input.dtype()), "'");
  RB_CHECK(input.dim() >= 1, ValueError, "Expected 1 or more dimensions (got ", input.dim(), ")");
  RB_CHECK(input.dim() == 1 || target.dim() == 0 || input.size(0) == target.size(0), ValueError,
           "Expected input batch_size (", input.size(0), ") to match target batch_size (", target.size(0), ").");
  const auto& k = loss_kernels(input, target, op);
  RB_CHECK(is_floating(input.dtype()), Error, "\"", op, "\" not implemented for '", dtype_name(input.dtype()), "'");
  if (!is_compute_dtype(input.dtype())) return class_loss_low(kind, input, target, weight, ignore_index, red, eps);
  ClassLayout L = class_layout(input);
  DType dt = input.dtype();
  Tensor w = class_weight(weight, L.C, dt);
  Tensor x = contiguous_nograd(input);
  const LossGeom geom = L.geom(dt);
  Tensor out;
  if (red == Reduction::None) out = Tensor::empty(L.out_shape, dt, x.device());
  const int64_t positions = L.N * L.inner;
  Tensor lse;
  Tensor tgt;  // what backward reads as the target
  Tensor q;    // probability targets in the input's dtype (differentiable cast)
  LossSums s;
  double denom;
  if (kind == ClassKind::CrossEntropyProb) {
    RB_CHECK(is_floating(target.dtype()), Error,
             "Expected floating point type for target with class probabilities, got ", dtype_name(target.dtype()));
    RB_CHECK(ignore_index < 0, Error, "ignore_index is not supported for floating point target");
    q = cast(target, dt);
    tgt = contiguous_nograd(q);
    lse = Tensor::empty({positions, 2}, dt, x.device());
    s = k.cross_entropy_prob_forward(geom, x.raw_data(), tgt.raw_data(), raw_or_null(w), eps, raw_or_null(out),
                                     lse.raw_data());
    denom = prob_denominator(input, L);
  } else {
    check_class_target(input, target, L, ignore_index);
    tgt = contiguous_nograd(target);
    check_target_range(tgt, L.C, ignore_index);
    if (kind == ClassKind::CrossEntropy) {
      lse = Tensor::empty({positions, 2}, dt, x.device());
      s = k.cross_entropy_forward(geom, x.raw_data(), tgt.data<int64_t>(), raw_or_null(w), ignore_index, eps,
                                  raw_or_null(out), lse.raw_data());
    } else {
      s = k.nll_forward(geom, x.raw_data(), tgt.data<int64_t>(), raw_or_null(w), ignore_index, raw_or_null(out));
    }
    denom = s.weight;
  }
  if (red != Reduction::None) out = reduced(s, red, denom, dt, x.device());
  bool need_t = kind == ClassKind::CrossEntropyProb && want_grad(q);
  if (want_grad(input) || need_t) {
    auto node = std::make_shared<ClassLossBackward>();
    node->kind = kind, node->red = red, node->L = L, node->ignore_index = ignore_index, node->eps = eps;
    node->scale = red == Reduction::Mean ? 1.0 / denom : 1.0;
    node->need_x = input.requires_grad(), node->need_t = need_t;
    node->in_shape = input.shape();
    if (kind != ClassKind::Nll) node->x = SavedTensor(input);  // with its history, for create_graph
    node->target = kind == ClassKind::CrossEntropyProb ? SavedTensor(q) : SavedTensor(tgt);
    node->w = w, node->lse = lse;
    if (kind == ClassKind::CrossEntropyProb)
      record(node, {&input, &q}, {&out});
    else
      record(node, {&input}, {&out});
  }
  return out;
}

}  // namespace

Reduction parse_reduction(const std::string& r) {
  if (r == "mean") return Reduction::Mean;
  if (r == "sum") return Reduction::Sum;
  if (r == "none") return Reduction::None;
  throw ValueError(r + " is not a valid value for reduction");
}

Tensor mse_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  return pointwise_loss(PointLoss::MSE, input, target, reduction, 0, "mse_loss");
}
Tensor l1_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  DType dt = promote(input.dtype(), target.dtype());
  if (!is_floating(dt) && dt != DType::Bool) {  // PyTorch's integer l1_loss: |x - y| in the dtype (sum: int64)
    Tensor d = unary(UnaryOp::Abs, sub(input, target));
    return reduction == Reduction::None ? d : reduction == Reduction::Sum ? sum(d) : mean(d);
  }
  return pointwise_loss(PointLoss::L1, input, target, reduction, 0, "l1_loss");
}
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, Reduction reduction, double beta) {
  RB_CHECK(beta >= 0, Error, "smooth_l1_loss does not support negative values for beta.");
  return pointwise_loss(PointLoss::SmoothL1, input, target, reduction, beta, "smooth_l1_loss");
}
Tensor huber_loss(const Tensor& input, const Tensor& target, Reduction reduction, double delta) {
  RB_CHECK(delta > 0, Error, "huber_loss does not support non-positive values for delta.");
  return pointwise_loss(PointLoss::Huber, input, target, reduction, delta, "huber_loss");
}

Tensor binary_cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                            Reduction reduction) {
  return bce_impl(false, input, target, weight, std::nullopt, reduction);
}
Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                                        const std::optional<Tensor>& pos_weight, Reduction reduction) {
  return bce_impl(true, input, target, weight, pos_weight, reduction);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                     int64_t ignore_index, Reduction reduction, double label_smoothing) {
  RB_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0, Error,
           "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
  // Same shape as the input means class probabilities, as in PyTorch.
  ClassKind kind = input.shape() == target.shape() ? ClassKind::CrossEntropyProb : ClassKind::CrossEntropy;
  return class_loss(kind, input, target, weight, ignore_index, reduction, label_smoothing);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight, int64_t ignore_index,
                Reduction reduction) {
  return class_loss(ClassKind::Nll, input, target, weight, ignore_index, reduction, 0.0);
}

}  // namespace rb
