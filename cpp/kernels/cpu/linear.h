// CPU kernels of the fused dense layer y = x W^T + b: the bias is written into y first and the
// GEMM adds onto it (beta = 1), so there is no separate bias pass over y.
#pragma once
#include "capability.h"
#include "rosenblatt/tensor.h"

namespace rb::cpu {

// The family's kernels for one CPU capability: kernels/cpu/linear.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct LinearKernels {
  void (*linear_forward)(const Tensor& x, const Tensor& w, bool w_t, const Tensor* b, Tensor& out);
  void (*linear_backward)(const Tensor& dout, int64_t M, int64_t K, const Tensor& x, const Tensor& w, bool w_t,
                          Tensor* dx, Tensor* dw, Tensor* db);
};
template <>
const LinearKernels& kernels<LinearKernels>();

// x: (M, K) contiguous; w: (N, K), stored row-major, or (w_t) a transposed view of a row-major (K, N);
// b: (N) contiguous or null; out: (M, N) contiguous. x, w, b, out share one float dtype.
inline void linear_forward(const Tensor& x, const Tensor& w, bool w_t, const Tensor* b, Tensor& out) {
  kernels<LinearKernels>().linear_forward(x, w, w_t, b, out);
}
// dout: (M, N) contiguous; x (needed for dw) and w (needed for dx) as in forward; dx: (M, K), dw: (N, K), db: (N), each
// contiguous or null when not needed.
inline void linear_backward(const Tensor& dout, int64_t M, int64_t K, const Tensor& x, const Tensor& w, bool w_t,
                            Tensor* dx, Tensor* dw, Tensor* db) {
  kernels<LinearKernels>().linear_backward(dout, M, K, x, w, w_t, dx, dw, db);
}

}  // namespace rb::cpu
