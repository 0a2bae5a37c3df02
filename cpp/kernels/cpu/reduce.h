// CPU reduction kernels over a contiguous input viewed as (outer, R, inner): reduce the middle.
#pragma once
#include "capability.h"
#include "rosenblatt/tensor.h"

namespace rb::cpu {

// The family's kernels for one CPU capability: kernels/cpu/reduce.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct ReduceKernels {
  void (*sum_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  void (*minmax_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool is_max, Tensor* values,
                         Tensor* indices);
  void (*prod_forward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out);
  void (*prod_backward)(const Tensor& x, int64_t outer, int64_t R, int64_t inner, const Tensor& dout, Tensor& dx);
};
template <>
const ReduceKernels& kernels<ReduceKernels>();

// x: contiguous (outer, R, inner) of any numeric dtype; out: (outer, inner), dtype of the sum.
// float32 accumulates in double so long sums match PyTorch's cascade summation closely.
inline void sum_forward(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out) {
  kernels<ReduceKernels>().sum_forward(x, outer, R, inner, out);
}

// x: contiguous (outer, R > 0, inner), any dtype; values: (outer, inner) of x's dtype (may be null),
// indices: (outer, inner) int64 (may be null). NaN wins (PyTorch's max/min); ties keep the first.
inline void minmax_forward(const Tensor& x, int64_t outer, int64_t R, int64_t inner, bool is_max, Tensor* values,
                           Tensor* indices) {
  kernels<ReduceKernels>().minmax_forward(x, outer, R, inner, is_max, values, indices);
}

// x: contiguous (outer, R, inner), numeric; out: (outer, inner) of out's dtype.
inline void prod_forward(const Tensor& x, int64_t outer, int64_t R, int64_t inner, Tensor& out) {
  kernels<ReduceKernels>().prod_forward(x, outer, R, inner, out);
}
// x: contiguous (outer, R, inner); dout: contiguous (outer, inner); dx: (outer, R, inner), written.
// dx[r] = dout * prod of the other elements, from prefix and suffix products (exact with zeros).
inline void prod_backward(const Tensor& x, int64_t outer, int64_t R, int64_t inner, const Tensor& dout, Tensor& dx) {
  kernels<ReduceKernels>().prod_backward(x, outer, R, inner, dout, dx);
}

}  // namespace rb::cpu
