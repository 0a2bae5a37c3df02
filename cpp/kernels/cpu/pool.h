// CPU pooling kernels on contiguous NCHW planes, parallel over the N*C planes (serial for small
// work). Max pooling saves the argmax of each window so backward is a scatter.
#pragma once
#include "../pool.h"
#include "capability.h"

namespace rb::cpu {
template <>
const PoolKernels& kernels<PoolKernels>();
}  // namespace rb::cpu
