// CPU transform kernels: tril/triu row by row (a copied prefix or suffix, zeros elsewhere), flip and
// roll as block copies of the `inner` elements behind each index of the moved dim.
#pragma once
#include "../transform.h"
#include "capability.h"

namespace rb::cpu {
template <>
const TransformKernels& kernels<TransformKernels>();
}  // namespace rb::cpu
