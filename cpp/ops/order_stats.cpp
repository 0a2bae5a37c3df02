// median/nanmedian, mode, quantile/nanquantile, cummax/cummin and logcumsumexp. The selecting ops find
// positions without autograd and take their values with gather, whose backward is PyTorch's (the
// gradient goes to the selected positions); quantile is PyTorch's composite of sort, gather and lerp.
#include <cmath>
#include <limits>

#include "aten_names.h"
#include "columns.h"
#include "op_common.h"
#include "rosenblatt/ops/search.h"

#include "../kernels/search.h"

namespace rb {
namespace {

Shape keep_shape(const Shape& s, int64_t d) {
  Shape r = s;
  r[d] = 1;
  return r;
}

// A value-selecting reduction's result: values gathered at indices (keepdim form), differentiable,
// dims dropped unless keepdim, values in x's dtype.
ValuesIndices select_at(const Tensor& x, const Tensor& xw, int64_t d, Tensor indices, bool keepdim) {
  ValuesIndices r{gather(xw, d, indices), indices};
  if (!keepdim) {
    r.values = squeeze(r.values, std::vector<int64_t>{d});
    NoGradGuard ng;
    r.indices = squeeze(r.indices, std::vector<int64_t>{d});
  }
  r.values = cast(r.values, x.dtype());
  return r;
}

ValuesIndices scalar_result(const Tensor& x) { return {clone(x), zeros({}, DType::Int64, x.device())}; }

// d/dx of a value shared by the elements equal to it: the gradient split evenly among them
// (PyTorch's evenly_distribute_backward); `share` holds 1/count at those elements, 0 elsewhere.
struct EvenlyDistributeBackward : Node {
  std::string op;
  Tensor share;
  std::string name() const override { return op + "Backward0"; }
  void release_saved() override { share = Tensor(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {mul(share, g[0])}; }
};

Tensor median_all(const Tensor& x, bool ignore_nan) {
  const char* op = ignore_nan ? "NanMedian" : "Median";
  if (x.numel() == 0) {
    // PyTorch fills nan, which its integer types take as x86 converts it: int32's and int64's minimum (the other
    // integer types keep the low bits of that, 0, and bool true). The result keeps the graph: backward gives an
    // empty gradient.
    const int64_t nan_as_int =
        x.dtype() == DType::Int32 ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
    Tensor out = is_floating(x.dtype()) ? full({}, Scalar(std::nan("")), x.dtype(), x.device())
                                        : full({}, Scalar(nan_as_int), x.dtype(), x.device());
    if (needs_grad(x)) {
      auto node = std::make_shared<EvenlyDistributeBackward>();
      node->op = op, node->share = zeros_like(x.detach());
      record(node, {&x}, {&out});
    }
    return out;
  }
  Tensor xw = widen(x);
  Tensor value, share;
  const bool grad = needs_grad(xw);
  {
    NoGradGuard ng;
    Tensor flat = reshape(xw, {xw.numel()});
    const int64_t n = flat.numel();
    const int64_t nnan = is_floating(xw.dtype()) ? sum(classify(FloatClass::IsNan, flat)).item<int64_t>() : 0;
    int64_t k = (n - 1) / 2;
    if (nnan > 0) k = ignore_nan ? std::max<int64_t>((n - nnan - 1) / 2, 0) : n - nnan;
    value = clone(reshape(narrow(sort(flat, 0).values, 0, k, 1), {}));
    if (grad) {
      Tensor mask =
          std::isnan(value.item<double>()) ? classify(FloatClass::IsNan, xw) : binary(BinaryOp::Eq, xw, value);
      Tensor m = cast(mask, xw.dtype());
      share = div(m, sum(m));
    }
  }
  if (share.defined()) {
    auto node = std::make_shared<EvenlyDistributeBackward>();
    node->op = op, node->share = share;
    record(node, {&xw}, {&value});
  }
  return cast(value, x.dtype());
}

ValuesIndices median_dim(const Tensor& x, int64_t dim, bool keepdim, bool ignore_nan) {
  const int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0) return scalar_result(x);
  // PyTorch names median in nanmedian's message too.
  RB_CHECK(x.size(d) > 0, IndexError, "median(): Expected reduction dim ", d, " to have non-zero size.");
  Tensor xw = widen(x);
  const int64_t R = x.size(d);
  Tensor idx;
  {
    NoGradGuard ng;
    // The stable sort puts NaNs last in their order, so the first of them is the first NaN of the slice.
    ValuesIndices s = sort(xw, d);
    Tensor k = full(keep_shape(x.shape(), d), Scalar((R - 1) / 2), DType::Int64, x.device());
    if (is_floating(xw.dtype())) {
      Tensor nnan = sum(classify(FloatClass::IsNan, xw), {d}, true);
      Tensor non_nan = binary(BinaryOp::Sub, Scalar(R), nnan);
      k = ignore_nan ? clamp(floor_divide(binary(BinaryOp::Sub, non_nan, Scalar(int64_t(1))), Scalar(int64_t(2))),
                             Scalar(int64_t(0)), std::nullopt)
                     : where(binary(BinaryOp::Gt, nnan, Scalar(int64_t(0))), non_nan, k);
    }
    idx = gather(s.indices, d, k);
  }
  return select_at(x, xw, d, idx, keepdim);
}

ValuesIndices cum_extreme(const Tensor& x, int64_t dim, bool is_min) {
  const int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0) return scalar_result(x);
  const auto& k = kernels<ScanKernels>(is_min ? "cummin" : "cummax", x);
  Tensor xw = x.dtype() == DType::Bool ? x : widen(x);
  ValuesIndices r{Tensor::empty(xw.shape(), xw.dtype(), x.device()),
                  Tensor::empty(x.shape(), DType::Int64, x.device())};
  if (x.numel() > 0) {
    k.cummax(scan_geom(x.shape(), d, xw.dtype()), contiguous_nograd(xw).raw_data(), is_min, r.values.raw_data(),
             static_cast<int64_t*>(r.indices.raw_data()));
  }
  if (needs_grad(xw)) r.values = gather(xw, d, r.indices);  // empty too: the result still has a grad_fn
  r.values = cast(r.values, x.dtype());
  return r;
}

Tensor logcumsumexp_impl(const Tensor& x, int64_t d);

// PyTorch's logcumsumexp_backward: the positive and negative parts of the gradient, each summed in
// log space from the end, so no exp overflows; built from ops, so it is differentiable again.
struct LogcumsumexpBackward : Node {
  SavedTensor x, out;
  int64_t dim = 0;
  std::string name() const override { return "LogcumsumexpBackward0"; }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    const Tensor& grad = g[0];
    if (grad.numel() <= 1 || grad.dim() == 0) return {grad};
    Tensor self = x.unpack(*this), res = out.unpack(*this);
    const double lowest =
        grad.dtype() == DType::Float64 ? std::numeric_limits<double>::lowest() : std::numeric_limits<float>::lowest();
    Tensor floor_v = full({}, Scalar(lowest), grad.dtype(), grad.device());
    Tensor log_abs = unary(UnaryOp::Log, unary(UnaryOp::Abs, grad));
    Tensor pos = where(binary(BinaryOp::Gt, grad, Scalar(0.0)), log_abs, floor_v);
    Tensor neg = where(binary(BinaryOp::Lt, grad, Scalar(0.0)), log_abs, floor_v);
    const int64_t d = dim;
    auto reverse_lcse = [d](const Tensor& t) { return flip(logcumsumexp_impl(flip(t, {d}), d), {d}); };
    Tensor out_pos = unary(UnaryOp::Exp, add(reverse_lcse(sub(pos, res)), self));
    Tensor out_neg = unary(UnaryOp::Exp, add(reverse_lcse(sub(neg, res)), self));
    return {sub(out_pos, out_neg)};
  }
};

Tensor logcumsumexp_impl(const Tensor& x, int64_t d) {
  const auto& k = kernels<ScanKernels>("logcumsumexp", x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  if (x.numel() > 0) {
    k.logcumsumexp(scan_geom(x.shape(), d, x.dtype()), contiguous_nograd(x).raw_data(), out.raw_data());
  }
  if (needs_grad(x)) {
    auto node = std::make_shared<LogcumsumexpBackward>();
    node->x = SavedTensor(x), node->out = SavedTensor::output(out), node->dim = d;
    record(node, {&x}, {&out});
  }
  return out;
}

enum class Interp { Linear, Lower, Higher, Midpoint, Nearest };

Interp parse_interp(const std::string& s) {
  if (s == "linear") return Interp::Linear;
  if (s == "lower") return Interp::Lower;
  if (s == "higher") return Interp::Higher;
  if (s == "midpoint") return Interp::Midpoint;
  if (s == "nearest") return Interp::Nearest;
  throw Error(str("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ", s));
}

// ATen's quantile_compute: sort each slice (NaN last), place each q on it as a rank, read the values
// there and interpolate.
Tensor quantile_impl(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                     const std::string& interpolation, bool ignore_nan) {
  check_same_device(x, q, "quantile");
  RB_CHECK(x.numel() > 0, Error, "quantile() input tensor must be non-empty");
  RB_CHECK(q.dim() <= 1, Error, "quantile() q must be a scalar or 1D tensor");
  RB_CHECK(x.dtype() == DType::Float32 || x.dtype() == DType::Float64, Error,
           "quantile() input tensor must be either float or double dtype");
  RB_CHECK(x.dtype() == q.dtype(), Error, "quantile() q tensor must be same dtype as the input tensor");
  const Interp mode = parse_interp(interpolation);
  {
    NoGradGuard ng;
    RB_CHECK(q.numel() == 0 || all(logical(LogicalOp::And, binary(BinaryOp::Ge, q, Scalar(0.0)),
                                           binary(BinaryOp::Le, q, Scalar(1.0))))
                                   .item<bool>(),
             Error, "quantile() q values must be in the range [0, 1]");
  }
  const int64_t d = dim ? wrap_dim(*dim, x.dim()) : 0;
  // Slices along the last dim: (..., n), then each q on its own: (..., Q).
  Tensor xs = dim && x.dim() > 0 ? movedim(x, {d}, {-1}) : reshape(x, {x.numel()});
  Tensor sorted = sort(xs, -1).values;
  const int64_t n = sorted.size(-1);
  // The ranks stay differentiable in q, as in PyTorch (through the interpolation weights).
  Tensor ranks, qv = reshape(q, {q.numel()}), isnan;
  {
    NoGradGuard ng;
    isnan = classify(FloatClass::IsNan, sorted.detach());
  }
  if (ignore_nan) {
    Tensor valid = sum(logical_not(isnan), {-1}, true);
    ranks = mul(qv, binary(BinaryOp::Sub, valid, Scalar(int64_t(1))));
    ranks = masked_fill(ranks, binary(BinaryOp::Lt, ranks.detach(), Scalar(0.0)), Scalar(0.0));
  } else {
    Tensor has_nan = any(isnan, {-1}, true);
    Shape bshape = sorted.shape();
    bshape.back() = qv.numel();
    ranks = expand(mul(qv, Scalar(n - 1)), bshape);
    ranks = masked_fill(ranks, has_nan, Scalar(n - 1));
  }
  if (mode == Interp::Lower) ranks = rounding(RoundOp::Floor, ranks);
  if (mode == Interp::Higher) ranks = rounding(RoundOp::Ceil, ranks);
  if (mode == Interp::Nearest) ranks = rounding(RoundOp::Round, ranks);
  Tensor below = cast(ranks, DType::Int64);
  Tensor result = gather(sorted, -1, below);
  if (mode == Interp::Linear || mode == Interp::Midpoint) {
    Tensor weights = mode == Interp::Midpoint ? full(ranks.shape(), Scalar(0.5), ranks.dtype(), ranks.device())
                                              : sub(ranks, cast(below, ranks.dtype()));
    Tensor above;
    {
      NoGradGuard ng;
      above = cast(rounding(RoundOp::Ceil, ranks), DType::Int64);
    }
    result = lerp(result, gather(sorted, -1, above), weights);
  }
  // (..., Q) -> (Q, ...), then PyTorch's output shape.
  result = movedim(result, {-1}, {0});
  if (keepdim) {
    if (dim && x.dim() > 0)
      result = unsqueeze(result, d + 1);
    else
      for (int64_t i = 0; i < x.dim(); ++i) result = unsqueeze(result, -1);
  }
  if (q.dim() == 0) result = squeeze(result, std::vector<int64_t>{0});
  return result;
}

Tensor quantile_scalar(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                       const std::string& interpolation, bool ignore_nan) {
  RB_CHECK(q >= 0 && q <= 1, Error, "quantile() q must be in the range [0, 1] but got ", q);
  return quantile_impl(x, scalar_tensor(Scalar(q), x.dtype(), x.device()), dim, keepdim, interpolation, ignore_nan);
}

}  // namespace

Tensor median(const Tensor& x) { return median_all(x, false); }
Tensor nanmedian(const Tensor& x) { return median_all(x, true); }
ValuesIndices median(const Tensor& x, int64_t dim, bool keepdim) { return median_dim(x, dim, keepdim, false); }
ValuesIndices nanmedian(const Tensor& x, int64_t dim, bool keepdim) { return median_dim(x, dim, keepdim, true); }

ValuesIndices mode(const Tensor& x, int64_t dim, bool keepdim) {
  const auto& k = kernels<SearchKernels>("mode", x);
  const int64_t d = wrap_dim(dim, x.dim());
  if (x.dim() == 0) return scalar_result(x);
  RB_CHECK(x.size(d) > 0, IndexError, "mode(): Expected reduction dim ", d, " to have non-zero size.");
  Tensor xw = x.dtype() == DType::Bool ? x : widen(x);
  ScanGeom c = scan_geom(x.shape(), d, xw.dtype());
  Shape ks = keep_shape(x.shape(), d);
  Tensor values = Tensor::empty(ks, xw.dtype(), x.device()), idx = Tensor::empty(ks, DType::Int64, x.device());
  if (values.numel() > 0) k.mode(c, contiguous_nograd(xw).raw_data(), values.raw_data(), idx.data<int64_t>());
  if (needs_grad(xw)) return select_at(x, xw, d, idx, keepdim);
  ValuesIndices r{cast(values, x.dtype()), idx};
  if (!keepdim)
    r.values = squeeze(r.values, std::vector<int64_t>{d}), r.indices = squeeze(r.indices, std::vector<int64_t>{d});
  return r;
}

Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                const std::string& interpolation) {
  return quantile_impl(x, q, dim, keepdim, interpolation, false);
}
Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim, const std::string& interpolation) {
  return quantile_scalar(x, q, dim, keepdim, interpolation, false);
}
Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim, bool keepdim,
                   const std::string& interpolation) {
  return quantile_impl(x, q, dim, keepdim, interpolation, true);
}
Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim, bool keepdim,
                   const std::string& interpolation) {
  return quantile_scalar(x, q, dim, keepdim, interpolation, true);
}

ValuesIndices cummax(const Tensor& x, int64_t dim) { return cum_extreme(x, dim, false); }
ValuesIndices cummin(const Tensor& x, int64_t dim) { return cum_extreme(x, dim, true); }

Tensor logcumsumexp(const Tensor& x, int64_t dim) {
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"logcumsumexp_out_cpu\" not implemented for '",
           aten_name(x.dtype()), "'");
  const int64_t d = wrap_dim(dim, x.dim());
  Tensor xw = widen(x);
  return cast(logcumsumexp_impl(xw, d), x.dtype());
}

}  // namespace rb
