// CPU reduction kernels over a contiguous input viewed as (outer, R, inner): reduce the middle.
#pragma once
#include "../reduce.h"
#include "capability.h"

namespace rb::cpu {
template <>
const ReduceKernels& kernels<ReduceKernels>();
}  // namespace rb::cpu
