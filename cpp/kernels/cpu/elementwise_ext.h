// CPU kernels of the elementwise extras: logical/bitwise, float classification, floor division,
// remainder and rounding. Operands arrive in one dtype, broadcast to out.shape() through strides.
#pragma once
#include "../elementwise_ext.h"
#include "capability.h"

namespace rb::cpu {
template <>
const ElementwiseExtKernels& kernels<ElementwiseExtKernels>();
}  // namespace rb::cpu
