// The CUDA copy of the reduction family's table (kernels/reduce.h).
#pragma once
#include "../reduce.h"

namespace rb::cuda {

const ReduceKernels& reduce_kernels();

}  // namespace rb::cuda
