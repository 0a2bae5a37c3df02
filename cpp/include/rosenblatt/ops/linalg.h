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
// y[..., o] = x1[..., :] W[o] x2[..., :]^T + b[o]; x1: (*, in1), x2: (*, in2), weight: (out, in1, in2),
// bias: (out,) or undefined. A composite of linear and bmm (their gradients, to any order).
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const std::optional<Tensor>& bias = {});

}  // namespace rb
