// More of PyTorch's tensor toolbox, each a composite of differentiable ops (so gradients work to
// any order): dim moves, diagonals, outer/trace, index_add/copy/fill, take_along_dim, isclose, einsum.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// Views: source dims moved to destination positions (the others keep their order); swapaxes.
Tensor movedim(const Tensor& x, const std::vector<int64_t>& source, const std::vector<int64_t>& destination);
Tensor swapaxes(const Tensor& x, int64_t dim0, int64_t dim1);

// diagonal: a view with dim1 and dim2 removed and the diagonal appended last.
Tensor diagonal(const Tensor& x, int64_t offset = 0, int64_t dim1 = 0, int64_t dim2 = 1);
// x: (..., n) -> the n values placed on the offset diagonal of new (n+|offset|)^2 dims dim1, dim2.
Tensor diag_embed(const Tensor& x, int64_t offset = 0, int64_t dim1 = -2, int64_t dim2 = -1);
Tensor diag(const Tensor& x, int64_t diagonal = 0);  // 1-D -> 2-D matrix, 2-D -> 1-D copy of a diagonal
Tensor trace(const Tensor& x);                       // 2-D only
Tensor outer(const Tensor& a, const Tensor& b);      // 1-D x 1-D -> 2-D

// Gathers along dim after broadcasting x and indices (all but dim); no dim: of the flattened tensors.
Tensor take_along_dim(const Tensor& x, const Tensor& indices, std::optional<int64_t> dim = {});
// The slices of x along dim at index get source's slices added (times alpha), written, or value.
Tensor index_add(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha = Scalar(1));
Tensor index_copy(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& source);
Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, const Tensor& value);  // value: 0-d
Tensor& index_add_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& source, Scalar alpha = Scalar(1));
Tensor& index_copy_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& source);
Tensor& index_fill_(Tensor& x, int64_t dim, const Tensor& index, const Tensor& value);
// value a number: converted to x's dtype with PyTorch's range check, which its kernel runs before any index check.
Tensor index_fill(const Tensor& x, int64_t dim, const Tensor& index, Scalar value);
Tensor& index_fill_(Tensor& x, int64_t dim, const Tensor& index, Scalar value);

// |a - b| <= atol + rtol |b| (or equal; or both NaN with equal_nan), a and b of one dtype, broadcast.
Tensor isclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
bool allclose(const Tensor& a, const Tensor& b, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
bool equal(const Tensor& a, const Tensor& b);  // same shape and values

// Einstein summation: "ij,jk->ik", implicit output (the once-seen letters, sorted), "..." ellipsis.
Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands);

}  // namespace rb
