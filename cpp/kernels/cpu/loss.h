// CPU loss kernels: each forward writes per-element losses (out non-null, reduction none) and
// returns their sum; each backward takes dout (per element, or 0-d for mean/sum) times `scale`.
#pragma once
#include "../loss.h"
#include "capability.h"

namespace rb::cpu {
template <>
const LossKernels& kernels<LossKernels>();
}  // namespace rb::cpu
