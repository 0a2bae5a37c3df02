// The elementwise family's kernel table. Inputs arrive already promoted to the compute dtype;
// broadcasting is expressed through strides, so no operand is copied to the output shape.
#pragma once
#include <optional>

#include "rosenblatt/kinds.h"
#include "rosenblatt/tensor.h"

namespace rb {

struct ElementwiseKernels {
  // a, b: same dtype, broadcastable to out.shape(); out: that dtype, or bool for comparisons.
  void (*binary_forward)(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out);
  // x, out: same shape and dtype.
  void (*unary_forward)(UnaryOp op, const Tensor& x, Tensor& out);
  // src broadcastable to dst.shape(); converts dtype.
  void (*copy)(const Tensor& src, Tensor& dst);
  void (*fill)(Tensor& dst, Scalar v);
  // cond: bool; a, b, out: one dtype; all broadcast to out.shape().
  void (*where_forward)(const Tensor& cond, const Tensor& a, const Tensor& b, Tensor& out);
  // x, out: same shape and dtype.
  void (*clamp_forward)(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi, Tensor& out);
};

}  // namespace rb
