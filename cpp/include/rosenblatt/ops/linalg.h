// Matrix products through the BLAS: matmul with PyTorch's 1-D/2-D/batched broadcasting rules.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);

}  // namespace rb
