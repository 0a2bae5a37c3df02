// Searching, counting and order statistics: searchsorted/bucketize, unique, bincount/histc,
// scatter_reduce, median/nanmedian, mode, quantile/nanquantile, cummax/cummin and logcumsumexp.
#pragma once
#include <optional>
#include <string>

#include "rosenblatt/ops/reduce.h"
#include "rosenblatt/tensor.h"

namespace rb {

// Positions where input's values would be inserted into the last dim of sorted_sequence (1-D, or
// the leading dims matching input's) to keep it sorted: int64 (int32 with out_int32). side ("left" or
// "right") overrides right; sorter (int64, sorted_sequence's shape) orders an unsorted sequence.
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& input, bool out_int32 = false, bool right = false,
                    const std::optional<std::string>& side = {}, const std::optional<Tensor>& sorter = {});
Tensor searchsorted(const Tensor& sorted_sequence, Scalar input, bool out_int32 = false, bool right = false,
                    const std::optional<std::string>& side = {}, const std::optional<Tensor>& sorter = {});
// The bucket of each input value among 1-D boundaries: searchsorted(boundaries, input, right).
Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32 = false, bool right = false);
Tensor bucketize(Scalar input, const Tensor& boundaries, bool out_int32 = false, bool right = false);

// The distinct values (or slices along dim) of x, with the group of each input element (inverse,
// x's shape, or x.size(dim)) and the size of each group (counts). NaNs are all distinct.
struct UniqueResult {
  Tensor values, inverse, counts;
};
UniqueResult unique(const Tensor& x, bool sorted = true, bool return_inverse = false, bool return_counts = false,
                    std::optional<int64_t> dim = {});
// As unique, merging only runs of equal consecutive elements (or slices).
UniqueResult unique_consecutive(const Tensor& x, bool return_inverse = false, bool return_counts = false,
                                std::optional<int64_t> dim = {});

// Counts of each value of a 1-D non-negative integer x (summed weights with weights), at least minlength bins.
Tensor bincount(const Tensor& x, const std::optional<Tensor>& weights = {}, int64_t minlength = 0);
// A histogram of x in `bins` equal bins over [min, max] (min == max: x's own range); x's dtype.
Tensor histc(const Tensor& x, int64_t bins = 100, Scalar min = Scalar(0), Scalar max = Scalar(0));

// x with src reduced into it along dim at index: reduce is "sum", "prod", "mean", "amax" or "amin";
// include_self=false leaves x's value out of each written position. Differentiable in x and src.
Tensor scatter_reduce(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, const std::string& reduce,
                      bool include_self = true);
Tensor& scatter_reduce_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& src, const std::string& reduce,
                        bool include_self = true);

// The lower median of all elements (NaN if any is NaN; nanmedian: of the non-NaN ones); the gradient
// goes evenly to the elements equal to it.
Tensor median(const Tensor& x);
Tensor nanmedian(const Tensor& x);
// Along dim: values and the position of each (the first NaN where median meets one).
ValuesIndices median(const Tensor& x, int64_t dim, bool keepdim = false);
ValuesIndices nanmedian(const Tensor& x, int64_t dim, bool keepdim = false);
// The most frequent value along dim (the smallest of equally frequent ones) and a position of it.
ValuesIndices mode(const Tensor& x, int64_t dim = -1, bool keepdim = false);

// The q-th quantiles (q scalar or 1-D, in [0, 1]) of x along dim (all of x without dim); a 1-D q is the
// result's first dim. interpolation: "linear", "lower", "higher", "midpoint" or "nearest". nanquantile
// ignores NaNs (quantile gives NaN for a slice holding one).
Tensor quantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = {}, bool keepdim = false,
                const std::string& interpolation = "linear");
Tensor quantile(const Tensor& x, double q, std::optional<int64_t> dim = {}, bool keepdim = false,
                const std::string& interpolation = "linear");
Tensor nanquantile(const Tensor& x, const Tensor& q, std::optional<int64_t> dim = {}, bool keepdim = false,
                   const std::string& interpolation = "linear");
Tensor nanquantile(const Tensor& x, double q, std::optional<int64_t> dim = {}, bool keepdim = false,
                   const std::string& interpolation = "linear");

// Running maximum / minimum along dim and the last position reaching it (NaN sticks).
ValuesIndices cummax(const Tensor& x, int64_t dim);
ValuesIndices cummin(const Tensor& x, int64_t dim);
// log(cumsum(exp(x))) along dim, computed stably; differentiable to any order.
Tensor logcumsumexp(const Tensor& x, int64_t dim);

}  // namespace rb
