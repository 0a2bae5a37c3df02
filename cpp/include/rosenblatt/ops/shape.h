// Shape ops. View ops (view, transpose, permute, expand, squeeze, unsqueeze, slicing) share storage
// with their input; reshape views when it can and copies otherwise.
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

Tensor view(const Tensor& x, Shape shape);  // one -1 allowed
Tensor reshape(const Tensor& x, Shape shape);
Tensor transpose(const Tensor& x, int64_t d0, int64_t d1);
Tensor permute(const Tensor& x, const std::vector<int64_t>& dims);
Tensor expand(const Tensor& x, const Shape& shape);  // -1 keeps a size
Tensor unsqueeze(const Tensor& x, int64_t dim);
Tensor squeeze(const Tensor& x, std::optional<std::vector<int64_t>> dims = {});
Tensor as_strided_view(const Tensor& x, Shape sizes, Shape strides, int64_t offset);  // differentiable view
Tensor flatten(const Tensor& x, int64_t start_dim = 0, int64_t end_dim = -1);
Tensor unflatten(const Tensor& x, int64_t dim, const Shape& sizes);  // one -1 allowed in sizes

}  // namespace rb
