// The convolution family's kernel table (NCDHW; 1-D and 2-D are D = KD = OD = 1). Transposed
// convolution reuses it: its forward is conv's dinput and its dinput conv's forward.
#pragma once
#include <cstdint>

namespace rb {

// One convolution: x (N, C, D, H, W) * w (OC, C/groups, KD, KH, KW) -> y (N, OC, OD, OH, OW); a
// 2-D one keeps the depth defaults. pad_* are the front/top/left padding; OD/OH/OW already account
// for any extra back/bottom/right padding.
struct ConvGeom {
  int64_t N, C, H, W, OC, KH, KW, OH, OW;
  int64_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
  int64_t D = 1, KD = 1, OD = 1, stride_d = 1, pad_d = 0, dil_d = 1;
  int64_t in_pixels() const { return D * H * W; }
  int64_t out_pixels() const { return OD * OH * OW; }
  int64_t taps() const { return KD * KH * KW; }
  bool planar() const { return D == 1 && KD == 1 && OD == 1; }  // a 2-D convolution
};

template <class T>
struct ConvKernels {
  // x: (N, C, D, H, W), w: (OC, C/groups, KD, KH, KW), b: (OC) or null -> y: (N, OC, OD, OH, OW)
  void (*conv_forward)(const ConvGeom& g, const T* x, const T* w, const T* b, T* y);
  // The gradients of conv_forward, each computed only when its pointer is non-null:
  // dx: (N, C, D, H, W) = col2im(w^T dy), dw: (OC, C/groups, KD, KH, KW) = sum_n dy_n im2col(x_n)^T,
  // db: (OC).
  // x is needed only for dw; w only for dx.
  void (*conv_backward)(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db);
  // y: (N, C, HW) += b: (C), broadcast over images and positions.
  void (*add_channel_bias)(int64_t N, int64_t C, int64_t HW, const T* b, T* y);
  // dy: (N, C, HW) -> db: (C), the sum over images and positions.
  void (*channel_sum)(int64_t N, int64_t C, int64_t HW, const T* dy, T* db);
};

}  // namespace rb
