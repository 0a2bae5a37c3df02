// CPU kernels of the fused dense layer y = x W^T + b: the bias is written into y first and the
// GEMM adds onto it (beta = 1), so there is no separate bias pass over y.
#pragma once
#include "../linear.h"
#include "capability.h"

namespace rb::cpu {
template <>
const LinearKernels& kernels<LinearKernels>();
}  // namespace rb::cpu
