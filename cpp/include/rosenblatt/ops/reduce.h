// Reductions over dims (empty dims = all), with keepdim as in PyTorch.
#pragma once
#include <optional>

#include "rosenblatt/tensor.h"

namespace rb {

using Dims = std::vector<int64_t>;

Tensor sum(const Tensor& x, const Dims& dims = {}, bool keepdim = false, std::optional<DType> dtype = {});
Tensor mean(const Tensor& x, const Dims& dims = {}, bool keepdim = false);
// Sums a broadcast gradient back to `shape` (the inverse of broadcasting `shape` to x.shape()).
Tensor sum_to(const Tensor& x, const Shape& shape);

}  // namespace rb
