// CPU attention kernels: blockwise scaled dot-product attention on small register-tiled products,
// parallel over (problem, query block) in the forward and (key/value problem, key block) in the backward.
#pragma once
#include "../attention.h"
#include "capability.h"

namespace rb::cpu {
template <>
const AttentionKernels<float>& kernels<AttentionKernels<float>>();
template <>
const AttentionKernels<double>& kernels<AttentionKernels<double>>();
}  // namespace rb::cpu
