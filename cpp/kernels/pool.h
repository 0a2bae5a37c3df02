// The pooling family's kernel table, on contiguous NCHW data seen as N*C planes. Max pooling saves
// the argmax of each window so its backward is a scatter.
#pragma once
#include <cstdint>

#include "rosenblatt/tensor.h"

namespace rb {

struct PoolGeom {
  int64_t planes, H, W, OH, OW;  // planes = N * C
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
};

struct PoolKernels {
  // x: (planes, H, W); out, indices: (planes, OH, OW), indices int64 (h * W + w).
  void (*max_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices);
  // dout, indices: (planes, OH, OW); dx: (planes, H, W), overwritten. Also the backward of the
  // adaptive max pool, and (accumulate = false) the forward of max-unpooling.
  void (*max_pool2d_backward)(const Tensor& dout, const Tensor& indices, const PoolGeom& g, Tensor& dx,
                              bool accumulate);
  // x: (planes, H, W) -> out: (planes, OH, OW) gathered at indices: the backward of max-unpooling.
  void (*index_gather2d)(const Tensor& x, const Tensor& indices, const PoolGeom& g, Tensor& out);
  // divisor: 0 means none (count_include_pad decides).
  void (*avg_pool2d_forward)(const Tensor& x, const PoolGeom& g, bool count_include_pad, int64_t divisor, Tensor& out);
  void (*avg_pool2d_backward)(const Tensor& dout, const PoolGeom& g, bool count_include_pad, int64_t divisor,
                              Tensor& dx);
  // Windows [floor(i*H/OH), ceil((i+1)*H/OH)).
  void (*adaptive_avg_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out);
  void (*adaptive_avg_pool2d_backward)(const Tensor& dout, const PoolGeom& g, Tensor& dx);
  void (*adaptive_max_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices);
};

}  // namespace rb
