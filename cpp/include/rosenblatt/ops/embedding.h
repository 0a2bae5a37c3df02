// Embedding lookups (torch.embedding, the op behind nn.Embedding), their dense gradient, the
// max_norm renormalization, and one_hot.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

// weight: (V, D) float; indices: int64 of any shape, each in [0, V) (IndexError otherwise).
// Returns indices.shape + (D,): the rows of weight. padding_idx in [0, V) or -1 (none): that row
// gets no gradient; scale_grad_by_freq divides each row's gradient by its count in indices.
// Differentiable in weight, to any order.
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx = -1,
                 bool scale_grad_by_freq = false);
// The gradient of embedding for weight: (num_weights, D) from grad of shape indices.shape + (D,).
Tensor embedding_dense_backward(const Tensor& grad, const Tensor& indices, int64_t num_weights, int64_t padding_idx,
                                bool scale_grad_by_freq);
// In place, not recorded by autograd: rows of weight named in indices with norm_type-norm above
// max_norm are scaled down to it (nn.Embedding's max_norm, applied before each lookup).
Tensor& embedding_renorm_(Tensor& weight, const Tensor& indices, double max_norm, double norm_type);

// int64 indices of any shape -> int64 of shape indices.shape + (num_classes,) with a 1 at each
// index; num_classes -1 means max(indices) + 1.
Tensor one_hot(const Tensor& indices, int64_t num_classes = -1);

}  // namespace rb
