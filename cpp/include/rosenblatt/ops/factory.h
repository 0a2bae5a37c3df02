// Tensor creation: constant fills, ranges, and random tensors drawn from a seedable Generator.
#pragma once
#include <optional>

#include "rosenblatt/tensor.h"

namespace rb {

Tensor zeros(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor ones(const Shape& shape, DType dtype = DType::Float32, Device device = {});
Tensor full(const Shape& shape, Scalar value, DType dtype = DType::Float32, Device device = {});
Tensor scalar_tensor(Scalar value, DType dtype, Device device = {});  // 0-d
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);

}  // namespace rb
