// The sort family's kernel table: sorting and top-k selection along the middle dim of a contiguous
// input viewed as (outer, R, inner), each column ordered by value with its positions as indices.
// NaN orders above every number, as in PyTorch: last when ascending, first when descending.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct SortKernels {
  // x: contiguous (outer, R, inner), any dtype; values: (outer, R, inner) of x's dtype, indices: the
  // same shape, int64, the position along R each value came from. Stable: equal values keep their order.
  void (*sort)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool descending, Tensor& values,
               Tensor& indices);
  // As sort, keeping the first k in (outer, k, inner): the k largest (or smallest) of each column in
  // order, equal values by position.
  void (*topk)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, int64_t k, bool largest, Tensor& values,
               Tensor& indices);
};

}  // namespace rb
