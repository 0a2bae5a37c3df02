// The embedding family's kernel table: rows of a (V, D) table looked up by int64 indices, the
// gradient summed back into rows, the max_norm renormalization of the rows looked up, and bags of
// rows reduced by sum, mean or max (EmbeddingBag) with their gradient.
// Index values arrive checked: each in [0, V).
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// A (V, D) table of dtype rows looked up by n indices, grouped into B bags for EmbeddingBag.
// Entries equal to padding_idx (-1: none) get no gradient and are left out of their bag; with
// scale_grad_by_freq a row's gradient is divided by its count in the indices.
struct EmbeddingGeom {
  int64_t V, D, n;
  DType dtype;
  int64_t padding_idx = -1;
  bool scale_grad_by_freq = false;
  int64_t B = 0;     // bags
  int64_t mode = 0;  // the bag reduction: 0 sum, 1 mean, 2 max
};

struct EmbeddingKernels {
  // weight: (V, D), idx: (n) -> out: (n, D), all contiguous. out[i] = weight[idx[i]].
  void (*embedding_forward)(const EmbeddingGeom& g, const void* weight, const int64_t* idx, void* out);
  // dout: (n, D), idx: (n) -> dweight: (V, D), written whole:
  // dweight[v] = sum over i with idx[i] == v of dout[i] * s(v), s = 0 for v == padding_idx,
  // 1 / count(v) with scale_grad_by_freq, else 1.
  void (*embedding_backward)(const EmbeddingGeom& g, const void* dout, const int64_t* idx, void* dweight);
  // weight: (V, D), changed in place; idx: (n). Each distinct row named in idx whose norm_type-norm
  // exceeds max_norm is scaled by max_norm / (norm + 1e-7), as PyTorch's renorm.
  void (*embedding_renorm)(const EmbeddingGeom& g, void* weight, const int64_t* idx, double max_norm, double norm_type);

  // weight: (V, D); idx: (n); bounds: (B + 1), non-decreasing, bag b is idx[bounds[b] .. bounds[b + 1]);
  // psw: (n) or null -> out: (B, D); argmax: (B, D), written for mode 2.
  // mode 0: out[b] = sum of psw[i] * weight[idx[i]] (psw 1 when null); 1: the mean over the bag's
  // entries; 2: the elementwise max, argmax the row it came from (the first at a tie). An empty bag
  // gives zeros (argmax -1).
  void (*embedding_bag_forward)(const EmbeddingGeom& g, const void* weight, const int64_t* idx, const int64_t* bounds,
                                const void* psw, void* out, int64_t* argmax);
  // dout: (B, D) -> dweight: (V, D), written whole. Modes 0 and 1: each entry i of bag b adds
  // dout[b] * s to dweight[idx[i]], s = psw[i] (mode 0) or 1 / (the bag's entries) (mode 1),
  // divided by the count of idx[i] in idx with scale_grad_by_freq, 0 at padding_idx. Mode 2:
  // dweight[argmax[b, j], j] += dout[b, j].
  void (*embedding_bag_backward)(const EmbeddingGeom& g, const void* dout, const int64_t* idx, const int64_t* bounds,
                                 const void* psw, const int64_t* argmax, void* dweight);
};

}  // namespace rb
