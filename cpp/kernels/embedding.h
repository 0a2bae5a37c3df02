// The embedding family's kernel table: rows of a (V, D) table looked up by int64 indices, the
// gradient summed back into rows, the max_norm renormalization of the rows looked up, and bags of
// rows reduced by sum, mean or max (EmbeddingBag) with their gradient.
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

  // weight: (V, D) contiguous; idx: (n); bounds: (B + 1) int64, non-decreasing, bag b is
  // idx[bounds[b] .. bounds[b + 1]); psw: (n) weight's dtype or undefined; out: (B, D); argmax: (B, D)
  // int64, written for mode 2. Entries equal to padding_idx (-1: none) are left out of their bag.
  // mode 0: out[b] = sum of psw[i] * weight[idx[i]] (psw 1 when undefined); 1: the mean over the bag's
  // entries; 2: the elementwise max, argmax the row it came from (the first at a tie). An empty bag
  // gives zeros (argmax -1).
  void (*embedding_bag_forward)(const Tensor& weight, const Tensor& idx, const Tensor& bounds, int64_t mode,
                                const Tensor& psw, int64_t padding_idx, Tensor& out, Tensor* argmax);
  // dout: (B, D); dweight: (V, D) contiguous, written whole. Modes 0 and 1: each entry i of bag b
  // adds dout[b] * s to dweight[idx[i]], s = psw[i] (mode 0) or 1 / (the bag's entries) (mode 1),
  // divided by the count of idx[i] in idx with scale_grad_by_freq, 0 at padding_idx. Mode 2:
  // dweight[argmax[b, j], j] += dout[b, j].
  void (*embedding_bag_backward)(const Tensor& dout, const Tensor& idx, const Tensor& bounds, int64_t mode,
                                 const Tensor& psw, int64_t padding_idx, bool scale_grad_by_freq, const Tensor& argmax,
                                 Tensor& dweight);
};

}  // namespace rb
