// CPU kernels of the numeric family: frexp, one pass over the elements.
#pragma once
#include "../numeric.h"
#include "capability.h"

namespace rb::cpu {
template <>
const NumericKernels& kernels<NumericKernels>();
}  // namespace rb::cpu
