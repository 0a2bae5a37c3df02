// The scan family's kernel table: cumulative sums and products along the middle dim of a contiguous
// input viewed as (outer, R, inner), and the running max/min and log-sum-exp.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct ScanKernels {
  // x, out: contiguous (outer, R, inner), the same numeric dtype. out[o, r] = sum of x[o, s] over
  // s <= r, or over s >= r with reverse (the gradient of the forward scan). float32 accumulates in
  // double, as PyTorch's CPU scan does.
  void (*cumsum)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool reverse, Tensor& out);
  // x, out: as cumsum; out[o, r] = product of x[o, s] over s <= r.
  void (*cumprod)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  // x: contiguous (outer, R, inner), any dtype; values: x's dtype, indices: int64, both (outer, R, inner).
  // The running maximum (minimum with is_min) and where it was last reached: ties move the index on,
  // and a NaN takes over (each later NaN too), as PyTorch's cummax/cummin.
  void (*cummax)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool is_min, Tensor& values,
                 Tensor& indices);
  // x, out: contiguous float (outer, R, inner); out[r] = log(sum of exp(x[s]) over s <= r), one
  // log-add-exp per step (PyTorch's, so infinities of one sign give that infinity, not NaN).
  void (*logcumsumexp)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
};

}  // namespace rb
