// CPU batch-normalization kernels on contiguous (N, C, L) data (L = the product of the spatial
// dims): per-channel statistics accumulated in double, normalization and its closed-form backward.
#pragma once
#include "capability.h"
#include "rosenblatt/tensor.h"

namespace rb::cpu {

// The family's kernels for one CPU capability: kernels/cpu/norm.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct NormKernels {
  void (*batch_norm_stats)(const Tensor& x, int64_t N, int64_t C, int64_t L, double* mean, double* var);
  void (*batch_norm_forward)(const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean, const double* invstd,
                             const Tensor& weight, const Tensor& bias, Tensor& y);
  void (*batch_norm_backward)(const Tensor& dy, const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean,
                              const double* invstd, const Tensor& weight, bool training, Tensor* dx, Tensor* dweight,
                              Tensor* dbias);
};
template <>
const NormKernels& kernels<NormKernels>();

// x: (N, C, L); mean, var: (C), var biased. One pass (sum and sum of squares in double).
inline void batch_norm_stats(const Tensor& x, int64_t N, int64_t C, int64_t L, double* mean, double* var) {
  kernels<NormKernels>().batch_norm_stats(x, N, C, L, mean, var);
}
// x, y: (N, C, L); mean, invstd: (C); weight, bias: (C) or undefined.
// y = (x - mean) * invstd * weight + bias.
inline void batch_norm_forward(const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean,
                               const double* invstd, const Tensor& weight, const Tensor& bias, Tensor& y) {
  kernels<NormKernels>().batch_norm_forward(x, N, C, L, mean, invstd, weight, bias, y);
}
// dy, x, dx: (N, C, L); dweight, dbias: (C); any output may be null. training: the statistics
// came from this batch, so dx carries their gradient:
// dx = w * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)); otherwise dx = w * invstd * dy.
inline void batch_norm_backward(const Tensor& dy, const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean,
                                const double* invstd, const Tensor& weight, bool training, Tensor* dx, Tensor* dweight,
                                Tensor* dbias) {
  kernels<NormKernels>().batch_norm_backward(dy, x, N, C, L, mean, invstd, weight, training, dx, dweight, dbias);
}

}  // namespace rb::cpu
