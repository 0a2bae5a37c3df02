// The elementwise family's kernel table. Inputs arrive already promoted to the compute dtype;
// broadcasting is expressed through strides, so no operand is copied to the output shape.
#pragma once
#include <optional>

#include "rosenblatt/kinds.h"
#include "rosenblatt/scalar.h"

#include "geometry.h"

namespace rb {

// Each entry walks g.shape, operand 0 of g being the output and the rest the inputs in argument
// order, each at its strides in g (0 where it is broadcast) and of its dtype in g.
struct ElementwiseKernels {
  // g: (out, a, b); a, b: one dtype; out: that dtype, or bool for comparisons.
  void (*binary_forward)(BinaryOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out);
  // g: (out, x); x, out: one dtype.
  void (*unary_forward)(UnaryOp op, const LoopGeom<2>& g, const void* x, void* out);
  // g: (dst, src); converts src's dtype to dst's.
  void (*copy)(const LoopGeom<2>& g, const void* src, void* dst);
  // g: (dst).
  void (*fill)(const LoopGeom<1>& g, void* dst, Scalar v);
  // g: (out, cond, a, b); cond: bool; a, b, out: one dtype.
  void (*where_forward)(const LoopGeom<4>& g, const bool* cond, const void* a, const void* b, void* out);
  // g: (out, x); x, out: one dtype.
  void (*clamp_forward)(const LoopGeom<2>& g, const void* x, std::optional<Scalar> lo, std::optional<Scalar> hi,
                        void* out);
};

}  // namespace rb
