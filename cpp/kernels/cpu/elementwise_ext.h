// CPU kernels of the elementwise extras: logical/bitwise, float classification, floor division,
// remainder and rounding. Operands arrive in one dtype, broadcast to out.shape() through strides.
#pragma once
#include "capability.h"
#include "rosenblatt/ops/elementwise.h"

namespace rb::cpu {

// The family's kernels for one CPU capability: kernels/cpu/elementwise_ext.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct ElementwiseExtKernels {
  void (*logical_forward)(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out);
  void (*logical_not_forward)(const Tensor& x, Tensor& out);
  void (*bitwise_forward)(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out);
  void (*bitwise_not_forward)(const Tensor& x, Tensor& out);
  void (*classify_forward)(FloatClass c, const Tensor& x, Tensor& out);
  void (*floor_divide_forward)(const Tensor& a, const Tensor& b, Tensor& out);
  void (*remainder_forward)(const Tensor& a, const Tensor& b, Tensor& out);
  void (*rounding_forward)(RoundOp op, const Tensor& x, int64_t decimals, Tensor& out);
};
template <>
const ElementwiseExtKernels& kernels<ElementwiseExtKernels>();

// a, b: one dtype; out: bool.
inline void logical_forward(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseExtKernels>().logical_forward(op, a, b, out);
}
// x: any dtype; out: bool (x == 0).
inline void logical_not_forward(const Tensor& x, Tensor& out) {
  kernels<ElementwiseExtKernels>().logical_not_forward(x, out);
}
// a, b, out: one dtype, bool or int64.
inline void bitwise_forward(LogicalOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseExtKernels>().bitwise_forward(op, a, b, out);
}
inline void bitwise_not_forward(const Tensor& x, Tensor& out) {
  kernels<ElementwiseExtKernels>().bitwise_not_forward(x, out);
}
// x: any dtype; out: bool.
inline void classify_forward(FloatClass c, const Tensor& x, Tensor& out) {
  kernels<ElementwiseExtKernels>().classify_forward(c, x, out);
}
// a, b, out: one numeric dtype; integer divisors are non-zero (checked by the op).
inline void floor_divide_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseExtKernels>().floor_divide_forward(a, b, out);
}
inline void remainder_forward(const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseExtKernels>().remainder_forward(a, b, out);
}
// x, out: one dtype (integers are copied).
inline void rounding_forward(RoundOp op, const Tensor& x, int64_t decimals, Tensor& out) {
  kernels<ElementwiseExtKernels>().rounding_forward(op, x, decimals, out);
}

}  // namespace rb::cpu
