// CPU elementwise kernels. Inputs arrive already promoted to the compute dtype; broadcasting is
// expressed through strides, so no operand is copied to the output shape.
#pragma once
#include <optional>

#include "../elementwise.h"
#include "capability.h"

namespace rb::cpu {
template <>
const ElementwiseKernels& kernels<ElementwiseKernels>();
}  // namespace rb::cpu
