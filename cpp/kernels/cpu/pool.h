// CPU pooling kernels on contiguous NCHW planes, parallel over the N*C planes (serial for small
// work). Max pooling saves the argmax of each window so backward is a scatter.
#pragma once
#include "capability.h"
#include "rosenblatt/tensor.h"

namespace rb::cpu {

struct PoolGeom {
  int64_t planes, H, W, OH, OW;  // planes = N * C
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1;
};

// The family's kernels for one CPU capability: kernels/cpu/pool.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct PoolKernels {
  void (*max_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices);
  void (*max_pool2d_backward)(const Tensor& dout, const Tensor& indices, const PoolGeom& g, Tensor& dx,
                              bool accumulate);
  void (*index_gather2d)(const Tensor& x, const Tensor& indices, const PoolGeom& g, Tensor& out);
  void (*avg_pool2d_forward)(const Tensor& x, const PoolGeom& g, bool count_include_pad, int64_t divisor, Tensor& out);
  void (*avg_pool2d_backward)(const Tensor& dout, const PoolGeom& g, bool count_include_pad, int64_t divisor,
                              Tensor& dx);
  void (*adaptive_avg_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out);
  void (*adaptive_avg_pool2d_backward)(const Tensor& dout, const PoolGeom& g, Tensor& dx);
  void (*adaptive_max_pool2d_forward)(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices);
};
template <>
const PoolKernels& kernels<PoolKernels>();

// x: (planes, H, W); out, indices: (planes, OH, OW), indices int64 (h * W + w).
inline void max_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices) {
  kernels<PoolKernels>().max_pool2d_forward(x, g, out, indices);
}
// dout, indices: (planes, OH, OW); dx: (planes, H, W), overwritten. Also the backward of the
// adaptive max pool, and (accumulate = false) the forward of max-unpooling.
inline void max_pool2d_backward(const Tensor& dout, const Tensor& indices, const PoolGeom& g, Tensor& dx,
                                bool accumulate = true) {
  kernels<PoolKernels>().max_pool2d_backward(dout, indices, g, dx, accumulate);
}
// x: (planes, H, W) -> out: (planes, OH, OW) gathered at indices: the backward of max-unpooling.
inline void index_gather2d(const Tensor& x, const Tensor& indices, const PoolGeom& g, Tensor& out) {
  kernels<PoolKernels>().index_gather2d(x, indices, g, out);
}

// divisor: 0 means none (count_include_pad decides).
inline void avg_pool2d_forward(const Tensor& x, const PoolGeom& g, bool count_include_pad, int64_t divisor,
                               Tensor& out) {
  kernels<PoolKernels>().avg_pool2d_forward(x, g, count_include_pad, divisor, out);
}
inline void avg_pool2d_backward(const Tensor& dout, const PoolGeom& g, bool count_include_pad, int64_t divisor,
                                Tensor& dx) {
  kernels<PoolKernels>().avg_pool2d_backward(dout, g, count_include_pad, divisor, dx);
}

// Windows [floor(i*H/OH), ceil((i+1)*H/OH)).
inline void adaptive_avg_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out) {
  kernels<PoolKernels>().adaptive_avg_pool2d_forward(x, g, out);
}
inline void adaptive_avg_pool2d_backward(const Tensor& dout, const PoolGeom& g, Tensor& dx) {
  kernels<PoolKernels>().adaptive_avg_pool2d_backward(dout, g, dx);
}
inline void adaptive_max_pool2d_forward(const Tensor& x, const PoolGeom& g, Tensor& out, Tensor& indices) {
  kernels<PoolKernels>().adaptive_max_pool2d_forward(x, g, out, indices);
}

}  // namespace rb::cpu
