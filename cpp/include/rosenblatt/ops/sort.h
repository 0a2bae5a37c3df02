// Sorting along a dim: sort, argsort, topk and kthvalue, each with the positions the values came from.
// Gradients flow to the positions the indices name (scattered back into the input's shape).
#pragma once
#include "rosenblatt/ops/reduce.h"
#include "rosenblatt/tensor.h"

namespace rb {

// values: x sorted along dim; indices: int64, where each came from. NaN orders above every number.
// The sort is always stable (stable=false allows any order of equal values; this one is valid).
ValuesIndices sort(const Tensor& x, int64_t dim = -1, bool descending = false, bool stable = false);
Tensor argsort(const Tensor& x, int64_t dim = -1, bool descending = false, bool stable = false);
// The k largest (or smallest) along dim, 0 <= k <= x.size(dim), in order (sorted=false allows any
// order; this one is sorted).
ValuesIndices topk(const Tensor& x, int64_t k, int64_t dim = -1, bool largest = true, bool sorted = true);
// The k-th smallest along dim (1 <= k <= x.size(dim)) and its position; keepdim keeps dim as size 1.
ValuesIndices kthvalue(const Tensor& x, int64_t k, int64_t dim = -1, bool keepdim = false);

}  // namespace rb
