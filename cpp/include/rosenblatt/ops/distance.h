// Distances and similarities between vectors, with PyTorch's defaults: cosine similarity, the
// p-norm distance of pairs, p-norm normalization. Composites of differentiable ops (cpp/ops/distance.cpp).
#pragma once
#include "rosenblatt/tensor.h"

namespace rb {

// x1 and x2 broadcast together; the result drops dim (of the broadcast shape). Norms are clamped
// to >= eps in value only, as PyTorch does (the gradient reads the unclamped norm).
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
// ||x1 - x2 + eps||_p over the last dim of the broadcast shape; p may be 0, inf, -inf or any real.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2.0, double eps = 1e-6, bool keepdim = false);
// x / max(||x||_p over dim, eps).
Tensor normalize(const Tensor& x, double p = 2.0, int64_t dim = 1, double eps = 1e-12);

}  // namespace rb
