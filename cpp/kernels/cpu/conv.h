// Convolution kernels (NCHW): im2col/col2im plus cpu::gemm, parallel over the batch with one
// image's columns per thread. Transposed convolution reuses them (its forward is conv's dinput).
#pragma once
#include <cstdint>

#include "capability.h"

namespace rb::cpu {

// One 2-D convolution: x (N, C, H, W) * w (OC, C/groups, KH, KW) -> y (N, OC, OH, OW).
// pad_h/pad_w are the top/left padding; OH/OW already account for any extra bottom/right padding.
struct ConvGeom {
  int64_t N, C, H, W, OC, KH, KW, OH, OW;
  int64_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
};

// The family's kernels for one CPU capability: kernels/cpu/conv.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
template <class T>
struct ConvKernels {
  void (*conv2d_forward)(const ConvGeom& g, const T* x, const T* w, const T* b, T* y);
  void (*conv2d_backward)(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db);
  void (*add_channel_bias)(int64_t N, int64_t C, int64_t HW, const T* b, T* y);
  void (*channel_sum)(int64_t N, int64_t C, int64_t HW, const T* dy, T* db);
};
template <>
const ConvKernels<float>& kernels<ConvKernels<float>>();
template <>
const ConvKernels<double>& kernels<ConvKernels<double>>();

// x: (N, C, H, W), w: (OC, C/groups, KH, KW), b: (OC) or null -> y: (N, OC, OH, OW)
template <class T>
void conv2d_forward(const ConvGeom& g, const T* x, const T* w, const T* b, T* y) {
  kernels<ConvKernels<T>>().conv2d_forward(g, x, w, b, y);
}

// The gradients of conv2d_forward, each computed only when its pointer is non-null:
// dx: (N, C, H, W) = col2im(w^T dy), dw: (OC, C/groups, KH, KW) = sum_n dy_n im2col(x_n)^T, db: (OC).
// x is needed only for dw; w only for dx.
template <class T>
void conv2d_backward(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db) {
  kernels<ConvKernels<T>>().conv2d_backward(g, x, w, dy, dx, dw, db);
}

// y: (N, C, HW) += b: (C), broadcast over images and positions.
template <class T>
void add_channel_bias(int64_t N, int64_t C, int64_t HW, const T* b, T* y) {
  kernels<ConvKernels<T>>().add_channel_bias(N, C, HW, b, y);
}

// dy: (N, C, HW) -> db: (C), the sum over images and positions.
template <class T>
void channel_sum(int64_t N, int64_t C, int64_t HW, const T* dy, T* db) {
  kernels<ConvKernels<T>>().channel_sum(N, C, HW, dy, db);
}

}  // namespace rb::cpu
