// CPU sort and top-k: each column of (outer, R, inner) gathered, ordered by std::stable_sort or
// std::partial_sort, and written back; threads split the columns.
#pragma once
#include "../sort.h"
#include "capability.h"

namespace rb::cpu {
template <>
const SortKernels& kernels<SortKernels>();
}  // namespace rb::cpu
