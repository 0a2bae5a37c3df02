// The embedding family's kernel table: rows of a (V, D) table looked up by int64 indices, the
// gradient summed back into rows, and the max_norm renormalization of the rows looked up.
// Index values arrive checked: each in [0, V).
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct EmbeddingKernels {
  // weight: (V, D) contiguous; idx: (n) int64 contiguous; out: (n, D) contiguous, weight's dtype.
  // out[i] = weight[idx[i]].
  void (*embedding_forward)(const Tensor& weight, const Tensor& idx, Tensor& out);
  // dout: (n, D) contiguous; idx: (n); dweight: (V, D) contiguous, written whole:
  // dweight[v] = sum over i with idx[i] == v of dout[i] * s(v), s = 0 for v == padding_idx (-1: none),
  // 1 / count(v) with scale_grad_by_freq, else 1.
  void (*embedding_backward)(const Tensor& dout, const Tensor& idx, int64_t padding_idx, bool scale_grad_by_freq,
                             Tensor& dweight);
  // weight: (V, D) contiguous, changed in place; idx: (n). Each distinct row named in idx whose
  // norm_type-norm exceeds max_norm is scaled by max_norm / (norm + 1e-7), as PyTorch's renorm.
  void (*embedding_renorm)(Tensor& weight, const Tensor& idx, double max_norm, double norm_type);
};

}  // namespace rb
