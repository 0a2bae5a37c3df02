// The scan family's kernel table: cumulative sums and products along the middle dim of a contiguous
// input viewed as (outer, R, inner).
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
};

}  // namespace rb
