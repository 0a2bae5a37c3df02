// CPU CTC kernels: the alpha and beta recursions in log space, one sample per thread.
#pragma once
#include "../ctc.h"
#include "capability.h"

namespace rb::cpu {
template <>
const CtcKernels& kernels<CtcKernels>();
}  // namespace rb::cpu
