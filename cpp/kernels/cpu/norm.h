// CPU batch-normalization kernels on contiguous (N, C, L) data (L = the product of the spatial
// dims): per-channel statistics accumulated in double, normalization and its closed-form backward.
#pragma once
#include "../norm.h"
#include "capability.h"

namespace rb::cpu {
template <>
const NormKernels& kernels<NormKernels>();
}  // namespace rb::cpu
