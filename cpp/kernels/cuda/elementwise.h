// The CUDA copy of the elementwise family's table (kernels/elementwise.h).
#pragma once
#include "../elementwise.h"

namespace rb::cuda {

const ElementwiseKernels& elementwise_kernels();

}  // namespace rb::cuda
