// The loss family's kernel table: each forward writes per-element losses (out non-null, reduction
// none) and returns their sum; each backward takes dout (per element, or one value for mean/sum) times `scale`.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

enum class PointLoss : uint8_t { MSE, L1, SmoothL1, Huber };

struct LossSums {
  double loss = 0;    // sum of the per-element (per-position) losses
  double weight = 0;  // cross_entropy/nll: sum of the class weights of non-ignored targets
};

// The sizes of a loss: n contiguous elements (pointwise and binary losses), or the class losses'
// input as (N, C, inner) with one target per position (N, inner). dtype is the input's (floating);
// nll_backward reads it as the gradient's. scalar_dout: a backward's dout is one value for every
// element (reduction mean or sum), not one per element.
struct LossGeom {
  int64_t n = 0;                    // pointwise and binary losses
  int64_t N = 1, C = 1, inner = 1;  // class losses
  bool scalar_dout = false;
  DType dtype = DType::Float32;
};

struct LossKernels {
  // x, y, out: (n), one float dtype; out: null for a reduction; param: beta (smooth_l1) or delta (huber).
  LossSums (*pointwise_loss_forward)(const LossGeom& g, PointLoss k, const void* x, const void* y, double param,
                                     void* out);
  // dout: like out, or one value; dx, dy: like x, or null.
  void (*pointwise_loss_backward)(const LossGeom& g, PointLoss k, const void* dout, double scale, const void* x,
                                  const void* y, double param, void* dx, void* dy);
  // Binary cross-entropy on probabilities x in [0, 1]; w: like x, or null. Raises if x leaves [0, 1].
  LossSums (*bce_forward)(const LossGeom& g, const void* x, const void* y, const void* w, void* out);
  void (*bce_backward)(const LossGeom& g, const void* dout, double scale, const void* x, const void* y, const void* w,
                       void* dx, void* dy);
  // Binary cross-entropy on logits; w, pw (pos_weight): like x (already broadcast), or null.
  LossSums (*bce_logits_forward)(const LossGeom& g, const void* x, const void* y, const void* w, const void* pw,
                                 void* out);
  void (*bce_logits_backward)(const LossGeom& g, const void* dout, double scale, const void* x, const void* y,
                              const void* w, const void* pw, void* dx, void* dy);
  // Class losses. x: (N, C, inner); target: int64 (N, inner), already checked to be in [0, C) or
  // ignore_index; w: (C) or null; out: (N, inner) or null; lse: (N, inner, 2) holds each position's
  // max and log-sum-exp of the shifted logits (so softmax = exp((x - max) - logsum) stays exact at
  // large logits). eps: label smoothing.
  LossSums (*cross_entropy_forward)(const LossGeom& g, const void* x, const int64_t* target, const void* w,
                                    int64_t ignore_index, double eps, void* out, void* lse);
  // Backward is then one pass: dx = g * (softmax * A - eps/C * w - (1-eps) * w_t * onehot).
  void (*cross_entropy_backward)(const LossGeom& g, const void* dout, double scale, const void* x,
                                 const int64_t* target, const void* w, const void* lse, int64_t ignore_index,
                                 double eps, void* dx);
  // Class-probability targets: q: like x (float); loss = -sum_c w_c q'_c log_softmax(x)_c, q' = q(1-eps) + eps/C.
  LossSums (*cross_entropy_prob_forward)(const LossGeom& g, const void* x, const void* q, const void* w, double eps,
                                         void* out, void* lse);
  // dx, dq: like x, or null.
  void (*cross_entropy_prob_backward)(const LossGeom& g, const void* dout, double scale, const void* x, const void* q,
                                      const void* w, const void* lse, double eps, void* dx, void* dq);
  // x: log-probabilities (N, C, inner).
  LossSums (*nll_forward)(const LossGeom& g, const void* x, const int64_t* target, const void* w, int64_t ignore_index,
                          void* out);
  // dx: (N, C, inner), overwritten.
  void (*nll_backward)(const LossGeom& g, const void* dout, double scale, const int64_t* target, const void* w,
                       int64_t ignore_index, void* dx);
};

}  // namespace rb
