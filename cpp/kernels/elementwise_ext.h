// The extended elementwise family's kernel table: logical and bitwise ops, float classification,
// floor division and remainder with Python's sign rules, rounding to decimals, the math functions.
#pragma once
#include <cstdint>

#include "rosenblatt/kinds.h"

#include "geometry.h"

namespace rb {

// Each entry walks g.shape: operand 0 of g is out, then the inputs in argument order (kernels/geometry.h).
struct ElementwiseExtKernels {
  // a, b: one dtype; out: bool.
  void (*logical_forward)(LogicalOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out);
  // x: any dtype; out: bool (x == 0).
  void (*logical_not_forward)(const LoopGeom<2>& g, const void* x, void* out);
  // a, b, out: one dtype, bool or int64.
  void (*bitwise_forward)(LogicalOp op, const LoopGeom<3>& g, const void* a, const void* b, void* out);
  void (*bitwise_not_forward)(const LoopGeom<2>& g, const void* x, void* out);
  // x: any dtype; out: bool.
  void (*classify_forward)(FloatClass c, const LoopGeom<2>& g, const void* x, void* out);
  // a, b, out: one numeric dtype; integer divisors are non-zero (checked by the op).
  void (*floor_divide_forward)(const LoopGeom<3>& g, const void* a, const void* b, void* out);
  void (*remainder_forward)(const LoopGeom<3>& g, const void* a, const void* b, void* out);
  // x, out: one dtype (integers are copied).
  void (*rounding_forward)(RoundOp op, const LoopGeom<2>& g, const void* x, int64_t decimals, void* out);
  // x, out: one floating dtype. out = op(x) (libm's functions; erfinv by Newton steps on erf).
  void (*math_forward)(MathOp op, const LoopGeom<2>& g, const void* x, void* out);
  // a, b, out: one floating dtype (broadcast). atan2(a, b); fmod(a, b): the remainder with a's sign.
  void (*atan2_forward)(const LoopGeom<3>& g, const void* a, const void* b, void* out);
  void (*fmod_forward)(const LoopGeom<3>& g, const void* a, const void* b, void* out);
};

}  // namespace rb
