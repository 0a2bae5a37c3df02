// CPU reduction kernels over a contiguous input viewed as (outer, R, inner): reduce the middle.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb::cpu {

// x: contiguous (outer, R, inner) of any numeric dtype; out: (outer, inner), dtype of the sum.
// float32 accumulates in double so long sums match PyTorch's cascade summation closely.
void sum_forward(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);

}  // namespace rb::cpu
