// Matrix products through the BLAS: matmul with PyTorch's 1-D/2-D/batched broadcasting rules.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);

}  // namespace rb

#include <optional>

namespace rb {

// y = x W^T + b in one GEMM; x: (*, in), weight: (out, in), bias: (out,) or undefined.
Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = {});

}  // namespace rb
