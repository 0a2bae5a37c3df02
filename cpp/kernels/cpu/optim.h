// CPU kernels of the fused optimizer updates: one pass per parameter over the parameter, its gradient
// and its state buffers, with PyTorch's single-tensor arithmetic (operation order and rounding).
#pragma once
#include <cstdint>

#include "../optim.h"
#include "capability.h"

namespace rb::cpu {
template <>
const OptimKernels<float>& kernels<OptimKernels<float>>();
template <>
const OptimKernels<double>& kernels<OptimKernels<double>>();
}  // namespace rb::cpu
