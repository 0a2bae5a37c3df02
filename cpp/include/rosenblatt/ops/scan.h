// Cumulative sums and products along a dim (torch.cumsum, torch.cumprod), differentiable to any order.
#pragma once
#include <optional>

#include "rosenblatt/tensor.h"

namespace rb {

// dtype: the result's (x is converted first); by default x's for floats, int64 for int64 and bool.
Tensor cumsum(const Tensor& x, int64_t dim, std::optional<DType> dtype = {});
// The gradient is exact where x holds zeros (PyTorch's rule: each element's gradient is the sum of
// the products that omit it).
Tensor cumprod(const Tensor& x, int64_t dim, std::optional<DType> dtype = {});

}  // namespace rb
