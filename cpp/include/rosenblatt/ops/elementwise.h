// Elementwise ops with NumPy/PyTorch broadcasting and type promotion, out-of-place and in-place
// (the in-place forms bump the version counter and, under autograd, rebase the tensor's history).
#pragma once
#include <optional>
#include <string_view>

#include "rosenblatt/kinds.h"
#include "rosenblatt/tensor.h"

namespace rb {

// The dtype PyTorch gives a op(a, b) / op(a, scalar) before the op's own rule (true division of
// integers yields float32, comparisons yield bool).
DType result_type(const Tensor& a, const Tensor& b);
DType result_type(const Tensor& a, Scalar b);

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b);
Tensor binary(BinaryOp op, const Tensor& a, Scalar b);
Tensor binary(BinaryOp op, Scalar a, const Tensor& b);
Tensor& binary_(BinaryOp op, Tensor& self, const Tensor& other);
Tensor& binary_(BinaryOp op, Tensor& self, Scalar other);
Tensor unary(UnaryOp op, const Tensor& x);
Tensor& unary_(UnaryOp op, Tensor& x);

inline Tensor add(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Add, a, b); }
inline Tensor sub(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Sub, a, b); }
inline Tensor mul(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Mul, a, b); }
inline Tensor div(const Tensor& a, const Tensor& b) { return binary(BinaryOp::Div, a, b); }
inline Tensor add(const Tensor& a, Scalar b) { return binary(BinaryOp::Add, a, b); }
inline Tensor mul(const Tensor& a, Scalar b) { return binary(BinaryOp::Mul, a, b); }
inline Tensor& add_(Tensor& a, const Tensor& b) { return binary_(BinaryOp::Add, a, b); }
inline Tensor& mul_(Tensor& a, Scalar b) { return binary_(BinaryOp::Mul, a, b); }
inline Tensor neg(const Tensor& x) { return unary(UnaryOp::Neg, x); }
inline Tensor exp(const Tensor& x) { return unary(UnaryOp::Exp, x); }
inline Tensor log(const Tensor& x) { return unary(UnaryOp::Log, x); }

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);
Tensor clamp(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi);

Tensor to_dtype(const Tensor& x, DType dtype);    // differentiable between float dtypes
Tensor clone(const Tensor& x);                    // contiguous copy, differentiable
Tensor clone(const Tensor& x, MemoryFormat fmt);  // a copy laid out as fmt (Preserve: as x), differentiable
Tensor& copy_(Tensor& dst, const Tensor& src);    // broadcasting copy with dtype conversion
Tensor& fill_(Tensor& dst, Scalar value);

inline Tensor operator+(const Tensor& a, const Tensor& b) { return add(a, b); }
inline Tensor operator-(const Tensor& a, const Tensor& b) { return sub(a, b); }
inline Tensor operator*(const Tensor& a, const Tensor& b) { return mul(a, b); }
inline Tensor operator/(const Tensor& a, const Tensor& b) { return div(a, b); }
inline Tensor operator-(const Tensor& a) { return neg(a); }

}  // namespace rb

// Logical and bitwise ops, float classification, floor division and remainder (Python's sign
// rules), reciprocal, square and rounding (appended by the indexing branch; cpp/ops/elementwise_ext.cpp).
namespace rb {

Tensor logical_not(const Tensor& x);                             // bool result, any input dtype
Tensor logical(LogicalOp op, const Tensor& a, const Tensor& b);  // bool result
Tensor bitwise_not(const Tensor& x);                             // bool and int64 only
Tensor bitwise(LogicalOp op, const Tensor& a, const Tensor& b);  // bool and int64 only
Tensor bitwise(LogicalOp op, const Tensor& a, Scalar b);
Tensor classify(FloatClass c, const Tensor& x);         // isnan / isinf / isfinite
Tensor floor_divide(const Tensor& a, const Tensor& b);  // rounds toward -inf; not differentiable
Tensor floor_divide(const Tensor& a, Scalar b);
Tensor floor_divide(Scalar a, const Tensor& b);
Tensor remainder(const Tensor& a, const Tensor& b);  // the sign of the divisor, as Python's %
Tensor remainder(const Tensor& a, Scalar b);
Tensor remainder(Scalar a, const Tensor& b);
Tensor reciprocal(const Tensor& x);                                  // integers give float32
Tensor square(const Tensor& x);                                      // bool gives int64
Tensor rounding(RoundOp op, const Tensor& x, int64_t decimals = 0);  // zero gradient; half to even
// sin, cos, ..., erfinv, rsqrt, frac: float results (integer and bool inputs give float32);
// differentiable to any order (each derivative is written in ops).
Tensor math(MathOp op, const Tensor& x);
Tensor atan2(const Tensor& a, const Tensor& b);  // broadcast; float results
Tensor fmod(const Tensor& a, const Tensor& b);   // the sign of the dividend, as C's fmod
Tensor fmod(const Tensor& a, Scalar b);
// torch.div with rounding_mode: none (true division), "trunc" (toward zero) or "floor"; the rounded
// modes have a zero gradient and keep integer inputs integer.
Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode);
// torch.clamp with tensor bounds (broadcast, promoted): max(min(x... as PyTorch: min applies first, then
// max; the gradient goes to x inside the bounds (ties included), to a bound where it was taken.
Tensor clamp(const Tensor& x, const std::optional<Tensor>& lo, const std::optional<Tensor>& hi);
// start + weight (end - start), computed from the nearer end as PyTorch does.
Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight);
Tensor lerp(const Tensor& start, const Tensor& end, Scalar weight);
// self <- result (same shape, dtype castable to self's), taking over result's history; the in-place
// form of the ops above.
Tensor& assign_result_(Tensor& self, const Tensor& result, const char* op);

}  // namespace rb
