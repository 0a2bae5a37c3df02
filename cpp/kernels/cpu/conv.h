// Convolution kernels (NCHW): im2col/col2im plus cpu::gemm, parallel over the batch with one
// image's columns per thread. Transposed convolution reuses them (its forward is conv's dinput).
#pragma once
#include <cstdint>

#include "../conv.h"
#include "capability.h"

namespace rb::cpu {
template <>
const ConvKernels<float>& kernels<ConvKernels<float>>();
template <>
const ConvKernels<double>& kernels<ConvKernels<double>>();
template <>
const ConvKernels<int64_t>& kernels<ConvKernels<int64_t>>();  // conv_int.cpp
}  // namespace rb::cpu
