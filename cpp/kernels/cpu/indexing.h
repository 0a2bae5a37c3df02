// CPU indexing kernels: copies through offset tables (advanced indexing and its backward), gather
// and scatter along one dim, nonzero. Index values arrive already checked and wrapped.
#pragma once
#include "../indexing.h"
#include "capability.h"

namespace rb::cpu {
template <>
const IndexingKernels& kernels<IndexingKernels>();
}  // namespace rb::cpu
