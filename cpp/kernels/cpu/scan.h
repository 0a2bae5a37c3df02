// CPU scans over a contiguous input viewed as (outer, R, inner): a running accumulator per column.
#pragma once
#include "../scan.h"
#include "capability.h"

namespace rb::cpu {
template <>
const ScanKernels& kernels<ScanKernels>();
}  // namespace rb::cpu
