// CPU search kernels: binary search, bin counts, grouping of equal rows, mode and scatter-reduce;
// threads split the searched values and the columns.
#pragma once
#include "../search.h"
#include "capability.h"

namespace rb::cpu {
template <>
const SearchKernels& kernels<SearchKernels>();
}  // namespace rb::cpu
