// Looking inside numbers: frexp splits floats into mantissa and exponent; histogram counts (or weighs)
// values into bins given by number or by their edges, histogramdd points into D-dimensional bins, as
// torch.frexp, torch.histogram and torch.histogramdd.
#pragma once
#include <optional>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

struct MantissaExponent {
  Tensor mantissa, exponent;
};
// x (float) = mantissa * 2^exponent, |mantissa| in [0.5, 1); 0, inf and NaN give themselves and exponent 0.
// mantissa: x's dtype and shape; exponent: int32. The mantissa's gradient is dmantissa * 2^-exponent.
MantissaExponent frexp(const Tensor& x);

struct HistogramResult {
  Tensor hist, bin_edges;
};
// x (float, any shape, flattened): hist (bins) counts (or sums weight, x's shape) of the values in each
// bin, right-open but the last closed; values outside the edges are left out. density divides by the
// total and the bin widths. With a number of bins, the edges split range (default: x's min and max)
// evenly, equal ends being widened by 0.5 each side. Both results have x's dtype; no gradient.
HistogramResult histogram(const Tensor& x, int64_t bins, const std::optional<std::vector<double>>& range = {},
                          const std::optional<Tensor>& weight = {}, bool density = false);
// bins: 1-D increasing edges, x's dtype, at least 2 of them.
HistogramResult histogram(const Tensor& x, const Tensor& bins, const std::optional<Tensor>& weight = {},
                          bool density = false);

struct HistogramddResult {
  Tensor hist;
  std::vector<Tensor> bin_edges;  // one 1-D tensor per dimension
};
// x (float, (..., D)): the points' D-dimensional histogram, hist (bins[0], ..., bins[D-1]), each
// dimension binned as histogram's; weight: one per point (x's shape without its last dim). range holds
// (lo, hi) per dimension; density divides by the total and each bin's volume. Both x's dtype.
HistogramddResult histogramdd(const Tensor& x, const std::vector<int64_t>& bins,
                              const std::optional<std::vector<double>>& range = {},
                              const std::optional<Tensor>& weight = {}, bool density = false);
// bins: D tensors of edges (1-D, x's dtype, at least one edge each).
HistogramddResult histogramdd(const Tensor& x, const std::vector<Tensor>& bins,
                              const std::optional<Tensor>& weight = {}, bool density = false);

}  // namespace rb
