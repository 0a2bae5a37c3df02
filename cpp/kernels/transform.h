// The transform family's kernel table: ops that move or mask elements by their position (tril/triu,
// flip, roll), over contiguous inputs viewed as (outer, R, inner) or as a batch of (M, N) matrices.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct TransformKernels {
  // x, out: contiguous (B, M, N), any dtype, distinct. out[b, i, j] = x[b, i, j] where j - i <= diagonal
  // (lower, tril) or j - i >= diagonal (upper, triu), else zero.
  void (*triangle)(const Tensor& x, int64_t B, int64_t M, int64_t N, int64_t diagonal, bool upper, Tensor& out);
  // x, out: contiguous (outer, R, inner), any dtype, distinct. out[o, r, i] = x[o, R - 1 - r, i].
  void (*flip)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  // x, out: contiguous (outer, R, inner), distinct; shift in [0, R). out[o, (r + shift) % R, i] = x[o, r, i].
  void (*roll)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, int64_t shift, Tensor& out);
};

}  // namespace rb
