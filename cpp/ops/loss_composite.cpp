// The losses PyTorch itself builds from pointwise ops (aten Loss.cpp, LossMultiMargin's formula,
// functional.py's gaussian_nll_loss), built here from differentiable primitives: every order of
// gradient comes from the parts (DESIGN: "a composite op is built from primitives with known gradients").
#include "rosenblatt/ops.h"

#include <cmath>

#include "aten_names.h"
#include "op_common.h"

namespace rb {
namespace {

Tensor apply_reduction(const Tensor& loss, Reduction red) {
  if (red == Reduction::Mean) return mean(loss);
  if (red == Reduction::Sum) return sum(loss);
  return loss;
}

Tensor scalar_like(double v, const Tensor& t) { return scalar_tensor(Scalar(v), t.dtype(), t.device()); }

// max(x, 0), with PyTorch's clamp_min gradient (1 where x > 0... and at 0, as clamp passes x >= min); an
// integer x stays integer, as ATen's clamp_min_(0) in place.
Tensor clamp_min0(const Tensor& x) {
  return clamp(x, is_floating(x.dtype()) ? Scalar(0.0) : Scalar(int64_t(0)), std::nullopt);
}

// x * log(x), 0 where x == 0 (xlogy(x, x)).
Tensor xlogx(const Tensor& x) { return masked_fill(mul(x, log(x)), binary(BinaryOp::Eq, x, Scalar(0.0)), Scalar(0.0)); }

bool host_any(const Tensor& cond) { return any(cond).item<int64_t>() != 0; }

}  // namespace

Tensor kl_div(const Tensor& input, const Tensor& target, Reduction reduction, bool log_target) {
  check_same_device(input, target, "kl_div");
  RB_CHECK(is_floating(input.dtype()) && is_floating(target.dtype()), Error, "kl_div: Integral inputs not supported.");
  Tensor out = log_target ? mul(exp(target), sub(target, input)) : sub(xlogx(target), mul(target, input));
  return apply_reduction(out, reduction);
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full, double eps,
                        Reduction reduction) {
  check_same_device(input, target, "poisson_nll_loss");
  Tensor loss = log_input ? sub(exp(input), mul(target, input)) : sub(input, mul(target, log(add(input, Scalar(eps)))));
  if (full) {
    // Stirling's approximation of log(target!), for targets above 1.
    Tensor stirling = add(sub(mul(target, log(target)), target), mul(log(mul(target, 2 * M_PI)), 0.5));
    loss = add(loss, masked_fill(stirling, binary(BinaryOp::Le, target, Scalar(1.0)), Scalar(0.0)));
  }
  return apply_reduction(loss, reduction);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var_in, bool full, double eps,
                         const std::string& reduction) {
  check_same_device(input, target, "gaussian_nll_loss");
  RB_CHECK(!host_any(binary(BinaryOp::Lt, var_in.detach(), Scalar(0.0))), ValueError, "var has negative entry/entries");
  Tensor var = var_in;
  if (var.shape() != input.shape()) {
    Shape leading(input.shape().begin(), input.shape().end() - (input.dim() > 0 ? 1 : 0));
    int64_t differing = 0;  // the sizes of var where it differs from input: one dim of size 1 is heteroscedastic
    if (input.dim() == var.dim())
      for (int64_t d = 0; d < var.dim(); ++d) differing += var.size(d) != input.size(d) ? var.size(d) : 0;
    if (input.dim() > 0 && var.shape() == leading)
      var = unsqueeze(var, -1);
    else
      RB_CHECK(input.dim() == var.dim() && differing == 1, ValueError, "var is of incorrect size");
  }
  Reduction red;
  try {
    red = parse_reduction(reduction);
  } catch (const ValueError&) {
    throw ValueError(reduction + " is not valid");
  }
  // PyTorch clamps a clone of var in place under no_grad: the value is clamped, the gradient is not (and an
  // integer var cannot take the float clamp in place, so it raises).
  RB_CHECK(is_floating(var.dtype()), Error, "result type Float can't be cast to the desired output type ",
           dtype_name(var.dtype()));
  Tensor vd = var.detach();
  Tensor v = add(var, sub(clamp(vd, Scalar(eps), std::nullopt), vd));
  Tensor d = sub(input, target);
  Tensor loss = mul(add(log(v), div(mul(d, d), v)), 0.5);
  if (full) loss = add(loss, Scalar(0.5 * std::log(2 * M_PI)));
  return apply_reduction(loss, red);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                             Reduction reduction) {
  const int64_t td = target.dim();
  RB_CHECK(td == 1 || td == 0, Error, "0D or 1D target tensor expected, multi-target not supported");
  RB_CHECK(input1.dim() == td + 1, Error, td, "D target tensor expects ", td + 1,
           "D input tensors, but found inputs with sizes ", input1.shape(), " and ", input2.shape(), ".");
  constexpr double kEps = 1e-12;  // PyTorch's EPSILON, added to both squared magnitudes
  Tensor prod = sum(mul(input1, input2), {td});
  Tensor mag1 = add(sum(mul(input1, input1), {td}), Scalar(kEps));
  Tensor mag2 = add(sum(mul(input2, input2), {td}), Scalar(kEps));
  Tensor cos = div(prod, unary(UnaryOp::Sqrt, mul(mag1, mag2)));
  Tensor zero = scalar_like(0.0, cos);
  Tensor similar = where(binary(BinaryOp::Eq, target, Scalar(1)), binary(BinaryOp::Sub, Scalar(1.0), cos), zero);
  Tensor dissimilar = where(binary(BinaryOp::Eq, target, Scalar(-1)), clamp_min0(add(cos, Scalar(-margin))), zero);
  return apply_reduction(add(similar, dissimilar), reduction);
}

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, double margin, Reduction reduction) {
  Tensor zero = scalar_like(0.0, input);
  // margin - input in input's dtype, as ATen's Scalar - Tensor (a tensor filled with the margin, minus input):
  // an integer input gets an integer loss with the margin truncated, as in PyTorch.
  Tensor margin_minus = sub(full(input.shape(), Scalar(margin), input.dtype(), input.device()), input);
  Tensor margin_part = where(binary(BinaryOp::Ne, target, Scalar(1)), clamp_min0(margin_minus), zero);
  Tensor self_part = where(binary(BinaryOp::Ne, target, Scalar(-1)), input, zero);
  return apply_reduction(add(margin_part, self_part), reduction);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                           Reduction reduction) {
  return apply_reduction(clamp_min0(add(mul(neg(target), sub(input1, input2)), Scalar(margin))), reduction);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin,
                           double p, double eps, bool swap, Reduction reduction) {
  RB_CHECK(anchor.dim() == positive.dim() && positive.dim() == negative.dim(), Error,
           "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: "
           "anchor ",
           anchor.dim(), "D, positive ", positive.dim(), "D, and negative ", negative.dim(), "D inputs");
  RB_CHECK(margin > 0, ValueError, "margin must be greater than 0, got ", margin);
  Tensor d_pos = pairwise_distance(anchor, positive, p, eps);
  Tensor d_neg = pairwise_distance(anchor, negative, p, eps);
  if (swap) d_neg = binary(BinaryOp::Minimum, d_neg, pairwise_distance(positive, negative, p, eps));
  return apply_reduction(clamp_min0(add(sub(d_pos, d_neg), Scalar(margin))), reduction);
}

Tensor soft_margin_loss(const Tensor& input, const Tensor& target, Reduction reduction) {
  // log(1 + exp(-y x)) as softplus, which stays finite where exp would overflow.
  return apply_reduction(softplus(neg(mul(input, target))), reduction);
}

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight,
                                   Reduction reduction) {
  RB_CHECK(input.dim() >= 1, IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -1)");
  // -(y log sigmoid(x) + (1 - y) log sigmoid(-x))
  Tensor loss = neg(
      add(mul(target, log_sigmoid(input)), mul(binary(BinaryOp::Sub, Scalar(1.0), target), log_sigmoid(neg(input)))));
  if (weight && weight->defined()) loss = mul(loss, *weight);
  const int64_t cdim = input.dim() - 1;
  loss = mul(sum(loss, {cdim}), 1.0 / static_cast<double>(input.size(cdim)));
  return apply_reduction(loss, reduction);
}

Tensor multi_margin_loss(const Tensor& input, const Tensor& target, int64_t p, double margin,
                         const std::optional<Tensor>& weight, Reduction reduction) {
  RB_CHECK(p == 1 || p == 2, ValueError, "only p == 1 and p == 2 supported");
  const int64_t nd = input.dim();
  RB_CHECK((nd == 2 && input.size(1) != 0) || (nd == 1 && input.size(0) != 0) || nd == 0, Error,
           "Expected non-empty vector or matrix with optional 0-dim batch size, but got: ", input.shape());
  const int64_t N = nd <= 1 ? 1 : input.size(0), C = nd == 0 ? 1 : input.size(nd - 1);
  RB_CHECK(target.dim() <= 1 && target.numel() == N, Error,
           "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples (batch "
           "size). Expected target size [",
           N, "], but got ", target.shape(), ". Input has shape ", input.shape(), ".");
  RB_CHECK(target.dtype() == DType::Int64, Error, "expected scalar type Long but found ",
           target.dtype() == DType::Bool      ? "Bool"
           : target.dtype() == DType::Float64 ? "Double"
                                              : "Float");
  check_same_device(input, target, "multi_margin_loss");
  Tensor w;
  if (weight && weight->defined()) {
    RB_CHECK(weight->dim() == 1, ValueError, "weight must be one-dimensional");
    RB_CHECK(weight->numel() == C, Error, "inconsistent weight size, expected ", C, " but got ", weight->shape());
    w = to_dtype(weight->detach(), input.dtype());
  }
  // PyTorch's kernel is floating-point only, but after its checks it returns before the kernel where there
  // is no sample: an empty integer 'none' loss; its 'sum' and 'mean' are then uninitialised, ours the empty
  // sum 0 and, for 'mean', the refusal (an integer has no nan for the mean of nothing).
  RB_CHECK(is_floating(input.dtype()) || (input.numel() == 0 && reduction != Reduction::Mean), NotImplementedError,
           "\"multi_margin_loss_cpu_kernel\" not implemented for '", aten_name(input.dtype()), "'");
  if (!is_floating(input.dtype()))
    return reduction == Reduction::None ? Tensor::empty({N}, input.dtype(), input.device())
                                        : zeros({}, input.dtype(), input.device());
  Tensor t = reshape(target, {N, 1});
  RB_CHECK(!host_any(logical(LogicalOp::Or, binary(BinaryOp::Lt, t, Scalar(0)), binary(BinaryOp::Ge, t, Scalar(C)))),
           Error, "target out of range");
  // z[i, j] = max(0, margin - x[i, y_i] + x[i, j]) over j != y_i, to the power p, times w[y_i], over C.
  Tensor x = reshape(input, {N, C});
  Tensor z = clamp_min0(add(sub(x, gather(x, 1, t)), Scalar(margin)));
  if (p == 2) z = mul(z, z);
  if (w.defined()) z = mul(z, reshape(index_select(w, 0, reshape(t, {N})), {N, 1}));
  Tensor own = binary(BinaryOp::Eq, arange(Scalar(0), Scalar(C), Scalar(1), DType::Int64, input.device()), t);
  Tensor loss = mul(sum(masked_fill(z, own, Scalar(0.0)), {1}), 1.0 / static_cast<double>(C));
  if (nd <= 1) loss = reshape(loss, target.shape());  // an unbatched input gives the target's shape
  return apply_reduction(loss, reduction);
}

}  // namespace rb
