// CPU elementwise kernels. Inputs arrive already promoted to the compute dtype; broadcasting is
// expressed through strides, so no operand is copied to the output shape.
#pragma once
#include <optional>

#include "capability.h"

#include "rosenblatt/ops/elementwise.h"

namespace rb::cpu {

// The family's kernels for one CPU capability: kernels/cpu/elementwise.cpp fills one per
// capability and the functions below call through the one in use (capability.h).
struct ElementwiseKernels {
  void (*binary_forward)(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out);
  void (*unary_forward)(UnaryOp op, const Tensor& x, Tensor& out);
  void (*copy)(const Tensor& src, Tensor& dst);
  void (*fill)(Tensor& dst, Scalar v);
  void (*where_forward)(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor& out);
  void (*clamp_forward)(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi, Tensor& out);
};
template <>
const ElementwiseKernels& kernels<ElementwiseKernels>();

// a, b: same dtype, broadcastable to out.shape(); out: that dtype, or bool for comparisons.
inline void binary_forward(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseKernels>().binary_forward(op, a, b, out);
}
// x, out: same shape and dtype.
inline void unary_forward(UnaryOp op, const Tensor& x, Tensor& out) {
  kernels<ElementwiseKernels>().unary_forward(op, x, out);
}
// src broadcastable to dst.shape(); converts dtype.
inline void copy(const Tensor& src, Tensor& dst) { kernels<ElementwiseKernels>().copy(src, dst); }
inline void fill(Tensor& dst, Scalar v) { kernels<ElementwiseKernels>().fill(dst, v); }
// cond: bool; a, b, out: one dtype; all broadcast to out.shape().
inline void where_forward(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor& out) {
  kernels<ElementwiseKernels>().where_forward(cond, a, b, out);
}
// x, out: same shape and dtype.
inline void clamp_forward(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi, Tensor& out) {
  kernels<ElementwiseKernels>().clamp_forward(x, lo, hi, out);
}

}  // namespace rb::cpu
