// Embedding lookups (torch.embedding, the op behind nn.Embedding), their dense gradient, the
// max_norm renormalization, bags of lookups reduced by sum, mean or max (nn.EmbeddingBag), and one_hot.
#pragma once
#include <cstdint>
#include <optional>

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

// weight: (V, D) float; indices: (n) int64, each in [0, V); offsets: (B) int64, bag b starting at
// offsets[b] (offsets[0] == 0, non-decreasing, at most n); with include_last_offset offsets has B + 1
// entries, the last the end of the last bag (else n is). Returns (B, D): per bag the sum (each row
// times per_sample_weights[i] when given: (n), mode 0 only), mean (mode 1) or elementwise max (mode 2)
// of its rows; entries equal to padding_idx (in [-V, V), negative counting from the end) are left out,
// an empty bag gives zeros. Differentiable in weight and per_sample_weights, to any order; the max's
// gradient goes to the row each maximum came from. max_norm: the rows named in indices are first
// renormalized in place as embedding_renorm_ does, once every argument has been checked.
Tensor embedding_bag(const Tensor& weight, const Tensor& indices, const Tensor& offsets, bool scale_grad_by_freq,
                     int64_t mode, const std::optional<Tensor>& per_sample_weights = std::nullopt,
                     bool include_last_offset = false, std::optional<int64_t> padding_idx = std::nullopt,
                     std::optional<double> max_norm = std::nullopt, double norm_type = 2.0);

// int64 indices of any shape -> int64 of shape indices.shape + (num_classes,) with a 1 at each
// index; num_classes -1 means max(indices) + 1.
Tensor one_hot(const Tensor& indices, int64_t num_classes = -1);

}  // namespace rb
