// CPU random fills on contiguous buffers. Draws are sequential from one Generator (the caller holds
// its mutex), so a seed fixes the values whatever the thread count.
#pragma once
#include "../random.h"
#include "capability.h"

namespace rb::cpu {
template <>
const RandomKernels& kernels<RandomKernels>();
}  // namespace rb::cpu
