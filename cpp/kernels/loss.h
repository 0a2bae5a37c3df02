// The loss family's kernel table: each forward writes per-element losses (out non-null, reduction
// none) and returns their sum; each backward takes dout (per element, or 0-d for mean/sum) times `scale`.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

enum class PointLoss : uint8_t { MSE, L1, SmoothL1, Huber };

struct LossSums {
  double loss = 0;    // sum of the per-element (per-position) losses
  double weight = 0;  // cross_entropy/nll: sum of the class weights of non-ignored targets
};

struct LossKernels {
  // x, y, out: n contiguous elements of one float dtype; param: beta (smooth_l1) or delta (huber).
  LossSums (*pointwise_loss_forward)(PointLoss k, const Tensor& x, const Tensor& y, double param, Tensor* out);
  // dout: like out, or 0-d; dx, dy: like x, or null.
  void (*pointwise_loss_backward)(PointLoss k, const Tensor& dout, double scale, const Tensor& x, const Tensor& y,
                                  double param, Tensor* dx, Tensor* dy);
  // Binary cross-entropy on probabilities x in [0, 1]; w: like x, or null. Raises if x leaves [0, 1].
  LossSums (*bce_forward)(const Tensor& x, const Tensor& y, const Tensor* w, Tensor* out);
  void (*bce_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w, Tensor* dx,
                       Tensor* dy);
  // Binary cross-entropy on logits; w, pw (pos_weight): like x (already broadcast), or null.
  LossSums (*bce_logits_forward)(const Tensor& x, const Tensor& y, const Tensor* w, const Tensor* pw, Tensor* out);
  void (*bce_logits_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w,
                              const Tensor* pw, Tensor* dx, Tensor* dy);
  // Class losses. x: contiguous (N, C, inner); target: contiguous int64 (N, inner), already checked to be
  // in [0, C) or ignore_index; w: (C) or null; out: (N, inner); lse: (N, inner, 2) holds
  // each position's max and log-sum-exp of the shifted logits (so softmax = exp((x - max) - logsum) stays
  // exact at large logits). eps: label smoothing.
  LossSums (*cross_entropy_forward)(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                                    int64_t inner, int64_t ignore_index, double eps, Tensor* out, Tensor& lse);
  // Backward is then one pass: dx = g * (softmax * A - eps/C * w - (1-eps) * w_t * onehot).
  void (*cross_entropy_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& target,
                                 const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                 int64_t ignore_index, double eps, Tensor& dx);
  // Class-probability targets: q: like x (float); loss = -sum_c w_c q'_c log_softmax(x)_c, q' = q(1-eps) + eps/C.
  LossSums (*cross_entropy_prob_forward)(const Tensor& x, const Tensor& q, const Tensor* w, int64_t N, int64_t C,
                                         int64_t inner, double eps, Tensor* out, Tensor& lse);
  void (*cross_entropy_prob_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& q,
                                      const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                      double eps, Tensor* dx, Tensor* dq);
  // x: log-probabilities (N, C, inner).
  LossSums (*nll_forward)(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C, int64_t inner,
                          int64_t ignore_index, Tensor* out);
  void (*nll_backward)(const Tensor& dout, double scale, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                       int64_t inner, int64_t ignore_index, Tensor& dx);
};

}  // namespace rb
