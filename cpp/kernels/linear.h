// The dense layer's kernel table, y = x W^T + b fused: the bias is written into y first and the
// GEMM adds onto it (beta = 1), so there is no separate bias pass over y.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// x: (M, K) row-major; w: (N, K) row-major or, with w_t, a transposed view of a row-major (K, N);
// y: (M, N). dtype is the float dtype all operands share.
struct LinearGeom {
  int64_t M, K, N;
  bool w_t = false;
  DType dtype = DType::Float32;
};

struct LinearKernels {
  // x: (M, K), w: (N, K), b: (N) or null -> out: (M, N).
  void (*linear_forward)(const LinearGeom& g, const void* x, const void* w, const void* b, void* out);
  // dout: (M, N); x (needed for dw) and w (needed for dx) as in forward -> dx: (M, K), dw: (N, K),
  // db: (N), each null when not needed.
  void (*linear_backward)(const LinearGeom& g, const void* dout, const void* x, const void* w, void* dx, void* dw,
                          void* db);
};

}  // namespace rb
