// Looking inside numbers: frexp splits floats into mantissa and exponent; histogram counts (or weighs)
// values into bins given by number or by their edges, as torch.frexp and torch.histogram.
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

}  // namespace rb
