// The attention family's kernel table: scaled dot-product attention computed block by block with
// FlashAttention-2's online softmax, so neither pass holds more than a block of the score matrix,
// and the backward recomputes the scores from the row log-sum-exps the forward saved.
#pragma once
#include <cstdint>

namespace rb {

// softmax(scale * q k^T + mask) v for B (batch x query heads) independent problems.
struct AttentionGeom {
  int64_t B;            // query batch: the leading dims of q flattened
  int64_t group;        // query heads per key/value head (enable_gqa), else 1: q problem b reads k/v b / group
  int64_t L, S, E, Ev;  // query and key lengths, q/k width, v width
  double scale;
  bool causal;  // key j is seen by query i only when j <= i (top-left aligned, as PyTorch)
  // An additive mask or none: mask element (b, i, j) at
  // mask[mask_offset[b] + i * mask_stride_l + j * mask_stride_s] (strides 0 where it broadcasts).
  const int64_t* mask_offset;
  int64_t mask_stride_l, mask_stride_s;
  // Dropout on the attention weights: weight (b, i, j) is kept, scaled by 1 / (1 - p), when a hash of
  // (seed, b, i, j) clears dropout_p, so the backward and the mask kernel redraw the same mask.
  double dropout_p;
  uint64_t seed;
};

template <class T>
struct AttentionKernels {
  // q: (B, L, E), k: (B / group, S, E), v: (B / group, S, Ev), mask as in g or null
  // -> out: (B, L, Ev), lse: (B, L), the log-sum-exp of each row's scores (+inf where every key is
  // masked; that row's output is 0, as PyTorch's).
  void (*sdpa_forward)(const AttentionGeom& g, const T* q, const T* k, const T* v, const T* mask, T* out, T* lse);
  // The gradients of sdpa_forward from dout: (B, L, Ev), with out and lse from the forward:
  // P = exp(scale q k^T + mask - lse), D = rowsum(dout * out), dv = P^T dout, dP = dout v^T,
  // dS = P (dP - D), dq = scale dS k, dk = scale dS^T q. dq: (B, L, E), dk: (B / group, S, E), dv.
  void (*sdpa_backward)(const AttentionGeom& g, const T* q, const T* k, const T* v, const T* mask, const T* out,
                        const T* lse, const T* dout, T* dq, T* dk, T* dv);
  // The dropout multipliers the kernels draw for g: keep / (1 - p), as (B, L, S).
  void (*sdpa_dropout_mask)(const AttentionGeom& g, T* mask);
};

}  // namespace rb
