// frexp (a kernel of the numeric family, its gradient an op) and histogram (a composite of searchsorted
// and index_add: the binning is torch's, each value in the bin whose edges enclose it).
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

void check_histogram_input(const Tensor& x, const std::optional<Tensor>& weight) {
  // PyTorch's histogramdd kernel takes float16 but not bfloat16
  RB_CHECK(is_floating(x.dtype()) && x.dtype() != DType::BFloat16, NotImplementedError,
           "\"histogramdd\" not implemented for '", aten_name(x.dtype()), "'");
  if (!weight) return;
  RB_CHECK(weight->dtype() == x.dtype(), Error,
           "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the same "
           "dtype, but got input(",
           lower_name(x.dtype()), "), and weight(", lower_name(weight->dtype()), ")");
  RB_CHECK(weight->shape() == x.shape() || (x.dim() <= 1 && weight->numel() == x.numel() && weight->dim() <= 1), Error,
           "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
           "excluding its innermost dimension, but got input with shape ",
           Shape{x.numel(), 1}, " and weight with shape ", weight->shape());
}

// The histogram of x's values over the edges (checked): value v goes to the bin i with
// edges[i] <= v < edges[i + 1], the last edge itself to the last bin; values outside are left out.
HistogramResult histogram_over(const Tensor& x_in, const Tensor& edges, const std::optional<Tensor>& weight,
                               bool density) {
  NoGradGuard no_grad;
  if (!is_compute_dtype(x_in.dtype())) {  // float16: counted in float32 (the edges exact there), rounded once
    std::optional<Tensor> w;
    if (weight) w = widen(*weight);
    HistogramResult r = histogram_over(widen(x_in), widen(edges), w, density);
    return {cast(r.hist, x_in.dtype()), edges};
  }
  const int64_t nbins = edges.numel() - 1;
  Tensor x = reshape(x_in.detach(), {x_in.numel()});
  Tensor hist = zeros({nbins}, x.dtype(), x.device());
  if (x.numel() > 0) {
    Tensor first = select(edges, 0, 0), last = select(edges, 0, nbins);
    Tensor inside = logical(LogicalOp::And, binary(BinaryOp::Ge, x, first), binary(BinaryOp::Le, x, last));
    Tensor bin = clamp(binary(BinaryOp::Sub, searchsorted(edges, x, false, true), Scalar(int64_t(1))),
                       std::optional<Scalar>(), std::optional<Scalar>(Scalar(nbins - 1)));
    Tensor w = weight ? reshape(weight->detach(), {x.numel()}) : ones({x.numel()}, x.dtype(), x.device());
    hist = index_add(hist, 0, masked_select(bin, inside), masked_select(w, inside));
  }
  if (density) {  // as torch: by the total first, then by each bin's width
    hist = binary(BinaryOp::Div, hist, sum(hist));
    hist = binary(BinaryOp::Div, hist, diff(edges));
  }
  return {hist, edges};
}

}  // namespace

HistogramResult histogram(const Tensor& x, int64_t bins, const std::optional<std::vector<double>>& range,
                          const std::optional<Tensor>& weight, bool density) {
  check_histogram_input(x, weight);
  RB_CHECK(bins > 0, Error, "torch.histogram(): bins must be > 0, but got ", bins, " for dimension 0");
  double lo = 0, hi = 1;  // an empty input without a range: torch's [0, 1]
  if (range) {
    RB_CHECK(range->size() == 2, Error,
             "torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, but got ", range->size());
    lo = (*range)[0], hi = (*range)[1];
  } else if (x.numel() > 0) {
    NoGradGuard no_grad;
    lo = min(x.detach()).item<double>(), hi = max(x.detach()).item<double>();
  }
  RB_CHECK(lo <= hi || std::isnan(lo) || std::isnan(hi), Error,
           "torch.histogramdd: min should not exceed max, but got min ", lo, " max ", hi, " for dimension 0");
  RB_CHECK(std::isfinite(lo) && std::isfinite(hi), Error, "torch.histogramdd: dimension 0's range [", lo, ", ", hi,
           "] is not finite");
  if (lo == hi) lo -= 0.5, hi += 0.5;
  Tensor edges = linspace(Scalar(lo), Scalar(hi), bins + 1, x.dtype(), x.device());
  return histogram_over(x, edges, weight, density);
}

HistogramResult histogram(const Tensor& x, const Tensor& bins, const std::optional<Tensor>& weight, bool density) {
  check_histogram_input(x, weight);
  check_same_device(x, bins, "histogram");
  RB_CHECK(bins.dim() == 1, Error, "torch.histogramdd: bins tensor should have one dimension, but got ", bins.dim(),
           " dimensions in the bins tensor for dimension 0");
  RB_CHECK(bins.numel() >= 2, Error, "torch.histogram(): bins must be > 0, but got ", bins.numel() - 1,
           " for dimension 0");
  RB_CHECK(bins.dtype() == x.dtype(), Error,
           "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with dtype ",
           lower_name(x.dtype()), " and bins for dimension 0 with dtype ", lower_name(bins.dtype()));
  return histogram_over(x, bins.detach().contiguous(), weight, density);
}

}  // namespace rb
