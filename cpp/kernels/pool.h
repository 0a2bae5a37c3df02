// The pooling family's kernel table, on contiguous NC(D)HW data seen as N*C planes (a plane is a
// volume D x H x W; 2-D pooling keeps the depth defaults). Max pooling saves the argmax of each
// window so its backward is a scatter.
#pragma once
#include <cstdint>

#include "rosenblatt/dtype.h"

namespace rb {

// planes = N * C planes of (D, H, W) pooled to (OD, OH, OW); dtype is the data's (floating), the
// indices are int64.
struct PoolGeom {
  int64_t planes, H, W, OH, OW;  // planes = N * C
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
  int64_t D = 1, OD = 1, kd = 1, sd = 1, pd = 0, dd = 1;  // depth: the window's size, stride, padding, dilation
  DType dtype = DType::Float32;
  int64_t in_plane() const { return D * H * W; }
  int64_t out_plane() const { return OD * OH * OW; }
};

struct PoolKernels {
  // x: (planes, D, H, W) -> out, indices: (planes, OD, OH, OW), indices int64 ((d * H + h) * W + w).
  void (*max_pool2d_forward)(const PoolGeom& g, const void* x, void* out, int64_t* indices);
  // dout, indices: (planes, OD, OH, OW) -> dx: (planes, D, H, W), overwritten. Also the backward of
  // the adaptive max pool, and (accumulate = false) the forward of max-unpooling.
  void (*max_pool2d_backward)(const PoolGeom& g, const void* dout, const int64_t* indices, bool accumulate, void* dx);
  // x: (planes, D, H, W) -> out: (planes, OD, OH, OW) gathered at indices: the backward of max-unpooling.
  void (*index_gather2d)(const PoolGeom& g, const void* x, const int64_t* indices, void* out);
  // x: (planes, D, H, W) -> out: (planes, OD, OH, OW); divisor: 0 means none (count_include_pad decides).
  void (*avg_pool2d_forward)(const PoolGeom& g, const void* x, bool count_include_pad, int64_t divisor, void* out);
  // dout: (planes, OD, OH, OW) -> dx: (planes, D, H, W), overwritten.
  void (*avg_pool2d_backward)(const PoolGeom& g, const void* dout, bool count_include_pad, int64_t divisor, void* dx);
  // x: (planes, D, H, W) -> out: (planes, OD, OH, OW); windows [floor(i*H/OH), ceil((i+1)*H/OH)), depth alike.
  void (*adaptive_avg_pool2d_forward)(const PoolGeom& g, const void* x, void* out);
  // dout: (planes, OD, OH, OW) -> dx: (planes, D, H, W), overwritten.
  void (*adaptive_avg_pool2d_backward)(const PoolGeom& g, const void* dout, void* dx);
  // x: (planes, D, H, W) -> out, indices: (planes, OD, OH, OW), as max_pool2d_forward's.
  void (*adaptive_max_pool2d_forward)(const PoolGeom& g, const void* x, void* out, int64_t* indices);
};

}  // namespace rb
