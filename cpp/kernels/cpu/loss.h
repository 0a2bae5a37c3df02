// CPU loss kernels: each forward writes per-element losses (out non-null, reduction none) and
// returns their sum; each backward takes dout (per element, or 0-d for mean/sum) times `scale`.
#pragma once
#include "capability.h"
#include "rosenblatt/tensor.h"

namespace rb::cpu {

enum class PointLoss : uint8_t { MSE, L1, SmoothL1, Huber };

struct LossSums {
  double loss = 0;    // sum of the per-element (per-position) losses
  double weight = 0;  // cross_entropy/nll: sum of the class weights of non-ignored targets
};

// The family's kernels for one CPU capability: kernels/cpu/loss.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct LossKernels {
  LossSums (*pointwise_loss_forward)(PointLoss k, const Tensor& x, const Tensor& y, double param, Tensor* out);
  void (*pointwise_loss_backward)(PointLoss k, const Tensor& dout, double scale, const Tensor& x, const Tensor& y,
                                  double param, Tensor* dx, Tensor* dy);
  LossSums (*bce_forward)(const Tensor& x, const Tensor& y, const Tensor* w, Tensor* out);
  void (*bce_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w, Tensor* dx,
                       Tensor* dy);
  LossSums (*bce_logits_forward)(const Tensor& x, const Tensor& y, const Tensor* w, const Tensor* pw, Tensor* out);
  void (*bce_logits_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w,
                              const Tensor* pw, Tensor* dx, Tensor* dy);
  LossSums (*cross_entropy_forward)(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                                    int64_t inner, int64_t ignore_index, double eps, Tensor* out, Tensor& lse);
  void (*cross_entropy_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& target,
                                 const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                 int64_t ignore_index, double eps, Tensor& dx);
  LossSums (*cross_entropy_prob_forward)(const Tensor& x, const Tensor& q, const Tensor* w, int64_t N, int64_t C,
                                         int64_t inner, double eps, Tensor* out, Tensor& lse);
  void (*cross_entropy_prob_backward)(const Tensor& dout, double scale, const Tensor& x, const Tensor& q,
                                      const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                      double eps, Tensor* dx, Tensor* dq);
  LossSums (*nll_forward)(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C, int64_t inner,
                          int64_t ignore_index, Tensor* out);
  void (*nll_backward)(const Tensor& dout, double scale, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                       int64_t inner, int64_t ignore_index, Tensor& dx);
};
template <>
const LossKernels& kernels<LossKernels>();

// x, y, out: n contiguous elements of one float dtype; param: beta (smooth_l1) or delta (huber).
inline LossSums pointwise_loss_forward(PointLoss k, const Tensor& x, const Tensor& y, double param, Tensor* out) {
  return kernels<LossKernels>().pointwise_loss_forward(k, x, y, param, out);
}
// dout: like out, or 0-d; dx, dy: like x, or null.
inline void pointwise_loss_backward(PointLoss k, const Tensor& dout, double scale, const Tensor& x, const Tensor& y,
                                    double param, Tensor* dx, Tensor* dy) {
  kernels<LossKernels>().pointwise_loss_backward(k, dout, scale, x, y, param, dx, dy);
}

// Binary cross-entropy on probabilities x in [0, 1]; w: like x, or null. Raises if x leaves [0, 1].
inline LossSums bce_forward(const Tensor& x, const Tensor& y, const Tensor* w, Tensor* out) {
  return kernels<LossKernels>().bce_forward(x, y, w, out);
}
inline void bce_backward(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w,
                         Tensor* dx, Tensor* dy) {
  kernels<LossKernels>().bce_backward(dout, scale, x, y, w, dx, dy);
}
// Binary cross-entropy on logits; w, pw (pos_weight): like x (already broadcast), or null.
inline LossSums bce_logits_forward(const Tensor& x, const Tensor& y, const Tensor* w, const Tensor* pw, Tensor* out) {
  return kernels<LossKernels>().bce_logits_forward(x, y, w, pw, out);
}
inline void bce_logits_backward(const Tensor& dout, double scale, const Tensor& x, const Tensor& y, const Tensor* w,
                                const Tensor* pw, Tensor* dx, Tensor* dy) {
  kernels<LossKernels>().bce_logits_backward(dout, scale, x, y, w, pw, dx, dy);
}

// Class losses. x: contiguous (N, C, inner); target: contiguous int64 (N, inner), already checked to be
// in [0, C) or ignore_index; w: (C) or null; out: (N, inner); lse: (N, inner, 2) holds
// each position's max and log-sum-exp of the shifted logits (so softmax = exp((x - max) - logsum) stays
// exact at large logits). eps: label smoothing.
// Backward is then one pass:
// dx = g * (softmax * A - eps/C * w - (1-eps) * w_t * onehot).
inline LossSums cross_entropy_forward(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                                      int64_t inner, int64_t ignore_index, double eps, Tensor* out, Tensor& lse) {
  return kernels<LossKernels>().cross_entropy_forward(x, target, w, N, C, inner, ignore_index, eps, out, lse);
}
inline void cross_entropy_backward(const Tensor& dout, double scale, const Tensor& x, const Tensor& target,
                                   const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                   int64_t ignore_index, double eps, Tensor& dx) {
  kernels<LossKernels>().cross_entropy_backward(dout, scale, x, target, w, lse, N, C, inner, ignore_index, eps, dx);
}
// Class-probability targets: q: like x (float); loss = -sum_c w_c q'_c log_softmax(x)_c, q' = q(1-eps) + eps/C.
inline LossSums cross_entropy_prob_forward(const Tensor& x, const Tensor& q, const Tensor* w, int64_t N, int64_t C,
                                           int64_t inner, double eps, Tensor* out, Tensor& lse) {
  return kernels<LossKernels>().cross_entropy_prob_forward(x, q, w, N, C, inner, eps, out, lse);
}
inline void cross_entropy_prob_backward(const Tensor& dout, double scale, const Tensor& x, const Tensor& q,
                                        const Tensor* w, const Tensor& lse, int64_t N, int64_t C, int64_t inner,
                                        double eps, Tensor* dx, Tensor* dq) {
  kernels<LossKernels>().cross_entropy_prob_backward(dout, scale, x, q, w, lse, N, C, inner, eps, dx, dq);
}
// x: log-probabilities (N, C, inner).
inline LossSums nll_forward(const Tensor& x, const Tensor& target, const Tensor* w, int64_t N, int64_t C, int64_t inner,
                            int64_t ignore_index, Tensor* out) {
  return kernels<LossKernels>().nll_forward(x, target, w, N, C, inner, ignore_index, out);
}
inline void nll_backward(const Tensor& dout, double scale, const Tensor& target, const Tensor* w, int64_t N, int64_t C,
                         int64_t inner, int64_t ignore_index, Tensor& dx) {
  kernels<LossKernels>().nll_backward(dout, scale, target, w, N, C, inner, ignore_index, dx);
}

}  // namespace rb::cpu
