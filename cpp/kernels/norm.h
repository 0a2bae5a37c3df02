// The normalization family's kernel table: batch norm on contiguous (N, C, L) data (L = the product
// of the spatial dims), group norm on (N, C, HW) in groups of C/G channels, layer and RMS norm on
// contiguous (M, N) rows; statistics accumulated in double, normalization and its closed-form backward.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct NormKernels {
  // x: (N, C, L); mean, var: (C), var biased. One pass (sum and sum of squares in double).
  void (*batch_norm_stats)(const Tensor& x, int64_t N, int64_t C, int64_t L, double* mean, double* var);
  // x, y: (N, C, L); mean, invstd: (C); weight, bias: (C) or undefined.
  // y = (x - mean) * invstd * weight + bias.
  void (*batch_norm_forward)(const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean, const double* invstd,
                             const Tensor& weight, const Tensor& bias, Tensor& y);
  // dy, x, dx: (N, C, L); dweight, dbias: (C); any output may be null. training: the statistics
  // came from this batch, so dx carries their gradient:
  // dx = w * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)); otherwise dx = w * invstd * dy.
  void (*batch_norm_backward)(const Tensor& dy, const Tensor& x, int64_t N, int64_t C, int64_t L, const double* mean,
                              const double* invstd, const Tensor& weight, bool training, Tensor* dx, Tensor* dweight,
                              Tensor* dbias);

  // x, y: (M, N); weight, bias: (N) or undefined; mean, rstd: (M) outputs, x's dtype. Each row is
  // normalized by its own statistics (two passes over the row, in double):
  // y = (x - mean) * rstd * weight + bias, rstd = 1 / sqrt(var + eps), var biased.
  void (*layer_norm_forward)(const Tensor& x, int64_t M, int64_t N, double eps, const Tensor& weight,
                             const Tensor& bias, Tensor& y, Tensor& mean, Tensor& rstd);
  // dy, x, dx: (M, N); mean, rstd: (M) from the forward; dweight, dbias: (N); any output may be null.
  // With xhat = (x - mean) * rstd and gw = dy * weight, per row:
  // dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)); dweight = sum_rows(dy * xhat), dbias = sum_rows(dy).
  void (*layer_norm_backward)(const Tensor& dy, const Tensor& x, int64_t M, int64_t N, const Tensor& mean,
                              const Tensor& rstd, const Tensor& weight, Tensor* dx, Tensor* dweight, Tensor* dbias);

  // x, y: (N, C, HW); weight, bias: (C) or undefined; mean, rstd: (N * G) outputs, x's dtype. Each
  // group, the C/G channels (n, g*C/G .. (g+1)*C/G - 1), is one contiguous row normalized as layer
  // norm's, then the affine is per channel: y = (x - mean[n,g]) * rstd[n,g] * weight[c] + bias[c].
  void (*group_norm_forward)(const Tensor& x, int64_t N, int64_t C, int64_t HW, int64_t G, double eps,
                             const Tensor& weight, const Tensor& bias, Tensor& y, Tensor& mean, Tensor& rstd);
  // dy, x, dx: (N, C, HW); mean, rstd: (N * G); dweight, dbias: (C); any output may be null. Layer
  // norm's row formula with gw = dy * weight[c] over each group's row; dweight[c] = sum(dy * xhat),
  // dbias[c] = sum(dy), over N and HW.
  void (*group_norm_backward)(const Tensor& dy, const Tensor& x, int64_t N, int64_t C, int64_t HW, int64_t G,
                              const Tensor& mean, const Tensor& rstd, const Tensor& weight, Tensor* dx, Tensor* dweight,
                              Tensor* dbias);

  // x, y: (M, N); weight: (N) or undefined; rstd: (M) output, x's dtype.
  // y = x * rstd * weight, rstd = 1 / sqrt(mean(x^2) + eps) over each row (in double).
  void (*rms_norm_forward)(const Tensor& x, int64_t M, int64_t N, double eps, const Tensor& weight, Tensor& y,
                           Tensor& rstd);
  // dy, x, dx: (M, N); rstd: (M); dweight: (N); either output may be null. With xhat = x * rstd and
  // gw = dy * weight, per row: dx = rstd * (gw - xhat * mean(gw * xhat)); dweight = sum_rows(dy * xhat).
  void (*rms_norm_backward)(const Tensor& dy, const Tensor& x, int64_t M, int64_t N, const Tensor& rstd,
                            const Tensor& weight, Tensor* dx, Tensor* dweight);
};

}  // namespace rb
