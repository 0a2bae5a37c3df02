// The normalization family's kernel table: batch norm on contiguous (N, C, L) data (L = the product
// of the spatial dims), group norm on (N, C, L) in groups of C/G channels, layer and RMS norm on
// contiguous (M, N) rows; statistics accumulated in double, normalization and its closed-form backward.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// Batch and group norm see x as (N, C, L), group norm in G groups of C/G channels; layer and RMS
// norm as (rows, cols), each row normalized on its own. dtype is x's (floating), and that of every
// other operand but batch norm's double statistics.
struct NormGeom {
  int64_t N = 1, C = 1, L = 1, G = 1;
  int64_t rows = 1, cols = 1;
  DType dtype = DType::Float32;
};

struct NormKernels {
  // x: (N, C, L) -> mean, var: (C), var biased. Two passes (the mean, then the centred squares), in double.
  void (*batch_norm_stats)(const NormGeom& g, const void* x, double* mean, double* var);
  // x: (N, C, L); mean, invstd: (C); weight, bias: (C) or null -> y: (N, C, L).
  // y = (x - mean) * invstd * weight + bias.
  void (*batch_norm_forward)(const NormGeom& g, const void* x, const double* mean, const double* invstd,
                             const void* weight, const void* bias, void* y);
  // dy, x: (N, C, L) -> dx: (N, C, L), dweight, dbias: (C); any output may be null. training: the
  // statistics came from this batch, so dx carries their gradient:
  // dx = w * invstd * (dy - mean(dy) - xhat * mean(dy * xhat)); otherwise dx = w * invstd * dy.
  void (*batch_norm_backward)(const NormGeom& g, const void* dy, const void* x, const double* mean,
                              const double* invstd, const void* weight, bool training, void* dx, void* dweight,
                              void* dbias);

  // x: (rows, cols); weight, bias: (cols) or null -> y: (rows, cols), mean, rstd: (rows). Each row is
  // normalized by its own statistics (two passes over the row, in double):
  // y = (x - mean) * rstd * weight + bias, rstd = 1 / sqrt(var + eps), var biased.
  void (*layer_norm_forward)(const NormGeom& g, const void* x, double eps, const void* weight, const void* bias,
                             void* y, void* mean, void* rstd);
  // dy, x: (rows, cols); mean, rstd: (rows) from the forward -> dx: (rows, cols), dweight, dbias:
  // (cols); any output may be null. With xhat = (x - mean) * rstd and gw = dy * weight, per row:
  // dx = rstd * (gw - mean(gw) - xhat * mean(gw * xhat)); dweight = sum_rows(dy * xhat), dbias = sum_rows(dy).
  void (*layer_norm_backward)(const NormGeom& g, const void* dy, const void* x, const void* mean, const void* rstd,
                              const void* weight, void* dx, void* dweight, void* dbias);

  // x: (N, C, L); weight, bias: (C) or null -> y: (N, C, L), mean, rstd: (N * G). Each group, the
  // C/G channels (n, g*C/G .. (g+1)*C/G - 1), is one contiguous row normalized as layer norm's, then
  // the affine is per channel: y = (x - mean[n,g]) * rstd[n,g] * weight[c] + bias[c].
  void (*group_norm_forward)(const NormGeom& g, const void* x, double eps, const void* weight, const void* bias,
                             void* y, void* mean, void* rstd);
  // dy, x: (N, C, L); mean, rstd: (N * G) -> dx: (N, C, L), dweight, dbias: (C); any output may be
  // null. Layer norm's row formula with gw = dy * weight[c] over each group's row;
  // dweight[c] = sum(dy * xhat), dbias[c] = sum(dy), over N and L.
  void (*group_norm_backward)(const NormGeom& g, const void* dy, const void* x, const void* mean, const void* rstd,
                              const void* weight, void* dx, void* dweight, void* dbias);

  // x: (rows, cols); weight: (cols) or null -> y: (rows, cols), rstd: (rows).
  // y = x * rstd * weight, rstd = 1 / sqrt(mean(x^2) + eps) over each row (in double).
  void (*rms_norm_forward)(const NormGeom& g, const void* x, double eps, const void* weight, void* y, void* rstd);
  // dy, x: (rows, cols); rstd: (rows) -> dx: (rows, cols), dweight: (cols); either output may be null.
  // With xhat = x * rstd and gw = dy * weight, per row: dx = rstd * (gw - xhat * mean(gw * xhat));
  // dweight = sum_rows(dy * xhat).
  void (*rms_norm_backward)(const NormGeom& g, const void* dy, const void* x, const void* rstd, const void* weight,
                            void* dx, void* dweight);
};

}  // namespace rb
