// CPU dense factorizations through the LAPACK inside scipy-openblas32 (single-threaded, as the BLAS),
// with the library's OpenMP over the batch: one matrix per iteration.
#pragma once
#include "../lapack.h"
#include "capability.h"

namespace rb::cpu {
template <>
const LapackKernels<float>& kernels<LapackKernels<float>>();
template <>
const LapackKernels<double>& kernels<LapackKernels<double>>();
}  // namespace rb::cpu
