// The reduction family's kernel table, over a contiguous input viewed as (outer, R, inner): each
// kernel reduces the middle dim.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct ReduceKernels {
  // x: contiguous (outer, R, inner) of any numeric dtype; out: (outer, inner), dtype of the sum.
  // float32 accumulates in double so long sums match PyTorch's cascade summation closely.
  void (*sum_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  // x: contiguous (outer, R > 0, inner), any dtype; values: (outer, inner) of x's dtype (may be null),
  // indices: (outer, inner) int64 (may be null). NaN wins (PyTorch's max/min); ties keep the first.
  void (*minmax_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool is_max, Tensor* values,
                         Tensor* indices);
  // x: contiguous (outer, R, inner), numeric; out: (outer, inner) of out's dtype.
  void (*prod_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  // x: contiguous (outer, R, inner); dout: contiguous (outer, inner); dx: (outer, R, inner), written.
  // dx[r] = dout * prod of the other elements, from prefix and suffix products (exact with zeros).
  void (*prod_backward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, const Tensor& dout, Tensor& dx);
};

}  // namespace rb
