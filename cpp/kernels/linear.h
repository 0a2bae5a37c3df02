// The dense layer's kernel table, y = x W^T + b fused: the bias is written into y first and the
// GEMM adds onto it (beta = 1), so there is no separate bias pass over y.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct LinearKernels {
  // x: (M, K) contiguous; w: (N, K), stored row-major, or (w_t) a transposed view of a row-major (K, N);
  // b: (N) contiguous or null; out: (M, N) contiguous. x, w, b, out share one float dtype.
  void (*linear_forward)(const Tensor& x, const Tensor& w, bool w_t, const Tensor* b, Tensor& out);
  // dout: (M, N) contiguous; x (needed for dw) and w (needed for dx) as in forward; dx: (M, K), dw: (N, K),
  // db: (N), each contiguous or null when not needed.
  void (*linear_backward)(const Tensor& dout, int64_t M, int64_t K, const Tensor& x, const Tensor& w, bool w_t,
                          Tensor* dx, Tensor* dw, Tensor* db);
};

}  // namespace rb
