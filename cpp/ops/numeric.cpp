// frexp (a kernel of the numeric family, its gradient an op) and histogram/histogramdd (composites of
// searchsorted and index_add: the binning is torch's, each point in the bin whose edges enclose it).
#include <cctype>
#include <cmath>
#include <string>

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/numeric.h"

namespace rb {
namespace {

// d mantissa / dx = 2^-exponent (the exponent is piecewise constant): exact, and itself differentiable.
struct FrexpBackward : Node {
  Tensor exponent;  // int32, saved from the forward
  std::string name() const override { return "FrexpBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor scale = math(MathOp::Exp2, neg(cast(exponent, g[0].dtype())));
    return {mul(g[0], scale)};
  }
};

}  // namespace

MantissaExponent frexp(const Tensor& x_in) {
  RB_CHECK(is_floating(x_in.dtype()), Error, "torch.frexp() only supports floating-point dtypes");
  const auto& k = kernels<NumericKernels>("frexp", x_in);
  // float16/bfloat16 split through float32: their mantissas have fewer bits, so the cast back is exact.
  Tensor x = contiguous_nograd(widen(x_in.detach()));
  Tensor mantissa = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor exponent = Tensor::empty(x.shape(), DType::Int32, x.device());
  if (x.numel() > 0) {
    k.frexp_forward(NumericGeom{x.numel(), x.dtype()}, x.raw_data(), mantissa.raw_data(), exponent.data<int32_t>());
  }
  mantissa = cast(mantissa, x_in.dtype());
  if (needs_grad(x_in)) {
    auto node = std::make_shared<FrexpBackward>();
    node->exponent = exponent;
    record(node, {&x_in}, {&mantissa});
  }
  return {mantissa, exponent};
}

namespace {

// torch names dtypes in these messages in lower case ("float", "double").
std::string lower_name(DType t) {
  std::string s = aten_name(t);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// dd: x holds points (..., D) and weight one per point; else x's values are the points, weight one each.
void check_histogram_input(const Tensor& x, const std::optional<Tensor>& weight, bool dd) {
  // float16 and bfloat16 count in float32 (histogram_over); without range= PyTorch's has no kernel for them (its
  // aminmax), where ours computes the range in the dtype (docs/differences.rst)
  RB_CHECK(is_floating(x.dtype()), NotImplementedError, "\"histogramdd\" not implemented for '", aten_name(x.dtype()),
           "'");
  if (!weight) return;
  RB_CHECK(weight->dtype() == x.dtype(), Error,
           "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the same "
           "dtype, but got input(",
           lower_name(x.dtype()), "), and weight(", lower_name(weight->dtype()), ")");
  // torch's 1-D histogram views x as (numel, 1) points, so a 1-D weight of the same length fits a 0-d x
  const bool fits =
      dd ? weight->shape() == Shape(x.shape().begin(), x.shape().end() - 1)
         : weight->shape() == x.shape() || (x.dim() <= 1 && weight->numel() == x.numel() && weight->dim() <= 1);
  RB_CHECK(fits, Error,
           "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
           "excluding its innermost dimension, but got input with shape ",
           dd ? x.shape() : Shape{x.numel(), 1}, " and weight with shape ", weight->shape());
}

// The edges of a histogram's dimension d given as a tensor, checked against x (n, D) as torch's.
void check_edges(const Tensor& x, const Tensor& e, size_t d) {
  check_same_device(x, e, "histogramdd");
  RB_CHECK(e.dtype() == x.dtype(), Error,
           "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype ",
           lower_name(x.dtype()), " and bins for dimension ", d, " with dtype ", lower_name(e.dtype()));
  RB_CHECK(e.dim() == 1, Error, "torch.histogramdd: bins tensor should have one dimension, but got ", e.dim(),
           " dimensions in the bins tensor for dimension ", d);
  RB_CHECK(e.numel() >= 1, Error, "torch.histogramdd: bins tensor should have at least 1 element, but got ", e.numel(),
           " elements in the bins tensor for dimension ", d);
  RB_CHECK(e.numel() >= 2, Error, "torch.histogram(): bins must be > 0, but got ", e.numel() - 1, " for dimension ", d);
}

// bins + 1 evenly spaced edges over column d of x (n, D): over the range given (lo, hi), else the column's
// min and max ([0, 1] when x is empty), equal ends widened by 0.5 each side; in x's dtype.
Tensor uniform_edges(const Tensor& x, size_t d, int64_t bins, const double* range) {
  RB_CHECK(bins > 0, Error, "torch.histogram(): bins must be > 0, but got ", bins, " for dimension ", d);
  double lo = 0, hi = 1;
  if (range) {
    lo = range[0], hi = range[1];
  } else if (x.numel() > 0) {
    NoGradGuard no_grad;
    Tensor col = select(x.detach(), 1, static_cast<int64_t>(d));
    lo = min(col).item<double>(), hi = max(col).item<double>();
  }
  RB_CHECK(lo <= hi || std::isnan(lo) || std::isnan(hi), Error,
           "torch.histogramdd: min should not exceed max, but got min ", lo, " max ", hi, " for dimension ", d);
  RB_CHECK(std::isfinite(lo) && std::isfinite(hi), Error, "torch.histogramdd: dimension ", d, "'s range [", lo, ", ",
           hi, "] is not finite");
  if (lo == hi) lo -= 0.5, hi += 0.5;
  return linspace(Scalar(lo), Scalar(hi), bins + 1, x.dtype(), x.device());
}

// The histogram of the points x (n, D) over the edges of each dimension (checked): a point goes to the
// bin whose edges enclose it in every dimension, edges[i] <= v < edges[i + 1] with each last edge in
// its last bin; points outside are left out. hist: (edges[0].numel() - 1, ..., edges[D-1].numel() - 1).
Tensor histogram_over(const Tensor& x_in, const std::vector<Tensor>& edges, const std::optional<Tensor>& weight,
                      bool density) {
  NoGradGuard no_grad;
  if (!is_compute_dtype(x_in.dtype())) {  // float16: counted in float32 (the edges exact there), rounded once
    std::vector<Tensor> wide;
    for (const Tensor& e : edges) wide.push_back(widen(e));
    std::optional<Tensor> w;
    if (weight) w = widen(*weight);
    return cast(histogram_over(widen(x_in), wide, w, density), x_in.dtype());
  }
  const int64_t n = x_in.shape()[0];
  Shape shape;
  for (const Tensor& e : edges) shape.push_back(e.numel() - 1);
  Tensor hist = zeros({numel_of(shape)}, x_in.dtype(), x_in.device());
  if (n > 0 && hist.numel() > 0) {
    Tensor x = x_in.detach();
    Tensor flat = zeros({n}, DType::Int64, x.device()), inside = ones({n}, DType::Bool, x.device());
    int64_t stride = hist.numel();
    for (size_t d = 0; d < edges.size(); ++d) {
      const int64_t nb = shape[d];
      stride /= nb;
      Tensor v = contiguous_nograd(select(x, 1, static_cast<int64_t>(d)));
      Tensor first = select(edges[d], 0, 0), last = select(edges[d], 0, nb);
      inside = logical(LogicalOp::And, inside,
                       logical(LogicalOp::And, binary(BinaryOp::Ge, v, first), binary(BinaryOp::Le, v, last)));
      Tensor bin = clamp(binary(BinaryOp::Sub, searchsorted(edges[d], v, false, true), Scalar(int64_t(1))),
                         std::optional<Scalar>(), std::optional<Scalar>(Scalar(nb - 1)));
      flat = binary(BinaryOp::Add, flat, binary(BinaryOp::Mul, bin, Scalar(stride)));
    }
    Tensor w = weight ? reshape(weight->detach(), {n}) : ones({n}, x.dtype(), x.device());
    hist = index_add(hist, 0, masked_select(flat, inside), masked_select(w, inside));
  }
  hist = reshape(hist, shape);
  if (density) {  // as torch: by the total first, then by each bin's width in each dimension
    hist = binary(BinaryOp::Div, hist, sum(hist));
    for (size_t d = 0; d < edges.size(); ++d) {
      Shape along(edges.size(), 1);
      along[d] = shape[d];
      hist = binary(BinaryOp::Div, hist, reshape(diff(edges[d]), along));
    }
  }
  return hist;
}

// x as the (n, D) points of a histogram: a 1-D histogram's values are n points of one dimension.
Tensor points(const Tensor& x, bool dd) {
  if (dd) {
    RB_CHECK(x.dim() >= 2, Error, "torch.histogramdd: input tensor should have at least 2 dimensions");
    return reshape(x, {-1, x.shape().back()});
  }
  return reshape(x, {x.numel(), 1});
}

}  // namespace

HistogramResult histogram(const Tensor& x, int64_t bins, const std::optional<std::vector<double>>& range,
                          const std::optional<Tensor>& weight, bool density) {
  check_histogram_input(x, weight, false);
  if (range)
    RB_CHECK(range->size() == 2, Error,
             "torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, but got ", range->size());
  Tensor p = points(x, false);
  Tensor edges = uniform_edges(p, 0, bins, range ? range->data() : nullptr);
  return {histogram_over(p, {edges}, weight, density), edges};
}

HistogramResult histogram(const Tensor& x, const Tensor& bins, const std::optional<Tensor>& weight, bool density) {
  check_histogram_input(x, weight, false);
  check_edges(x, bins, 0);
  Tensor edges = bins.detach().contiguous();
  return {histogram_over(points(x, false), {edges}, weight, density), edges};
}

HistogramddResult histogramdd(const Tensor& x, const std::vector<int64_t>& bins,
                              const std::optional<std::vector<double>>& range, const std::optional<Tensor>& weight,
                              bool density) {
  Tensor p = points(x, true);
  const size_t D = static_cast<size_t>(p.shape()[1]);
  check_histogram_input(x, weight, true);
  RB_CHECK(bins.size() == D, Error,
           "histogramdd: The size of bins must be equal to the innermost dimension of the input.");
  if (range)
    RB_CHECK(range->size() == 2 * D, Error, "torch.histogramdd: for a ", D, "-dimensional histogram range should have ",
             2 * D, " elements, but got ", range->size());
  std::vector<Tensor> edges;
  for (size_t d = 0; d < D; ++d) edges.push_back(uniform_edges(p, d, bins[d], range ? range->data() + 2 * d : nullptr));
  return {histogram_over(p, edges, weight, density), edges};
}

HistogramddResult histogramdd(const Tensor& x, const std::vector<Tensor>& bins, const std::optional<Tensor>& weight,
                              bool density) {
  Tensor p = points(x, true);
  const size_t D = static_cast<size_t>(p.shape()[1]);
  check_histogram_input(x, weight, true);
  RB_CHECK(bins.size() == D, Error, "torch.histogramdd: expected ", D, " sequences of bin edges for a ", D,
           "-dimensional histogram but got ", bins.size());
  std::vector<Tensor> edges;
  for (size_t d = 0; d < D; ++d) {
    check_edges(x, bins[d], d);
    edges.push_back(bins[d].detach().contiguous());
  }
  return {histogram_over(p, edges, weight, density), edges};
}

}  // namespace rb
