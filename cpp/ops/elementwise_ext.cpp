// Elementwise extras: logical/bitwise ops, isnan/isinf/isfinite, floor_divide, remainder,
// reciprocal, square, rounding, the math functions (sin ... erfinv), atan2, fmod and lerp, with
// PyTorch's dtype rules; assign_result_ gives in-place forms.
#include <cmath>

#include "rosenblatt/ops.h"

#include "aten_names.h"
#include "op_common.h"

#include "../kernels/elementwise_ext.h"

namespace rb {
namespace {

const char* logical_name(LogicalOp op) { return op == LogicalOp::And ? "and" : op == LogicalOp::Or ? "or" : "xor"; }

struct ZeroGradBackward : Node {  // rounding: piecewise constant
  std::string name() const override { return "RoundBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {zeros_like(g[0])}; }
};

// remainder (floor of a / b) and fmod (truncate = true): d/da = 1, d/db = -q(a / b).
struct RemainderBackward : Node {
  SavedTensor a, b;
  Shape a_shape, b_shape;
  bool need_a = false, need_b = false, truncate = false;
  std::string name() const override { return truncate ? "FmodBackward0" : "RemainderBackward"; }
  void release_saved() override { a.reset(), b.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor ga, gb;
    if (need_a) ga = sum_to(g[0], a_shape);
    if (need_b) {
      Tensor av = a.unpack(*this), bv = b.unpack(*this);
      Tensor q = truncate ? rounding(RoundOp::Trunc, div(av, bv)) : floor_divide(av, bv);
      gb = sum_to(neg(mul(g[0], q)), b_shape);
    }
    return {ga, gb};
  }
};

// d math(op, x) / dx as ops on x and the output, so the gradient is differentiable again.
struct MathBackward : Node {
  MathOp op;
  SavedTensor x, out;
  std::string name() const override {
    static const char* n[] = {"SinBackward0",   "CosBackward0",   "TanBackward0",   "AsinBackward0",   "AcosBackward0",
                              "AtanBackward0",  "SinhBackward0",  "CoshBackward0",  "AsinhBackward0",  "AcoshBackward0",
                              "AtanhBackward0", "Log1PBackward0", "Expm1Backward0", "Log2Backward0",   "Log10Backward0",
                              "Exp2Backward0",  "ErfBackward0",   "ErfcBackward0",  "ErfinvBackward0", "RsqrtBackward0",
                              "FracBackward0"};
    return n[static_cast<int>(op)];
  }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    const double kLn2 = 0.69314718055994530942, kLn10 = 2.30258509299404568402;
    const double k2RsqrtPi = 1.12837916709551257390, kSqrtPi2 = 0.88622692545275801365;  // 2/sqrt(pi), sqrt(pi)/2
    auto X = [&] { return x.unpack(*this); };
    auto Y = [&] { return out.unpack(*this); };
    auto one_minus_sq = [&] { return add(neg(mul(X(), X())), Scalar(1.0)); };
    switch (op) {
      case MathOp::Sin: return {mul(g, math(MathOp::Cos, X()))};
      case MathOp::Cos: return {neg(mul(g, math(MathOp::Sin, X())))};
      case MathOp::Tan: return {mul(g, add(mul(Y(), Y()), Scalar(1.0)))};
      case MathOp::Asin: return {mul(g, math(MathOp::Rsqrt, one_minus_sq()))};
      case MathOp::Acos: return {neg(mul(g, math(MathOp::Rsqrt, one_minus_sq())))};
      case MathOp::Atan: return {div(g, add(mul(X(), X()), Scalar(1.0)))};
      case MathOp::Sinh: return {mul(g, math(MathOp::Cosh, X()))};
      case MathOp::Cosh: return {mul(g, math(MathOp::Sinh, X()))};
      case MathOp::Asinh: return {mul(g, math(MathOp::Rsqrt, add(mul(X(), X()), Scalar(1.0))))};
      case MathOp::Acosh: return {mul(g, math(MathOp::Rsqrt, add(mul(X(), X()), Scalar(-1.0))))};
      case MathOp::Atanh: return {div(g, one_minus_sq())};
      case MathOp::Log1p: return {div(g, add(X(), Scalar(1.0)))};
      case MathOp::Expm1: return {mul(g, add(Y(), Scalar(1.0)))};
      case MathOp::Log2: return {div(g, mul(X(), Scalar(kLn2)))};
      case MathOp::Log10: return {div(g, mul(X(), Scalar(kLn10)))};
      case MathOp::Exp2: return {mul(g, mul(Y(), Scalar(kLn2)))};
      case MathOp::Erf: return {mul(g, mul(exp(neg(mul(X(), X()))), Scalar(k2RsqrtPi)))};
      case MathOp::Erfc: return {mul(g, mul(exp(neg(mul(X(), X()))), Scalar(-k2RsqrtPi)))};
      case MathOp::Erfinv: return {mul(g, mul(exp(mul(Y(), Y())), Scalar(kSqrtPi2)))};
      case MathOp::Rsqrt: return {mul(g, mul(mul(Y(), mul(Y(), Y())), Scalar(-0.5)))};
      case MathOp::Frac: return {g};
    }
    return {Tensor()};
  }
};

bool math_saves_output(MathOp op) {
  return op == MathOp::Tan || op == MathOp::Expm1 || op == MathOp::Exp2 || op == MathOp::Erfinv || op == MathOp::Rsqrt;
}

struct Atan2Backward : Node {
  SavedTensor a, b;
  std::string name() const override { return "Atan2Backward0"; }
  void release_saved() override { a.reset(), b.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // ATen's atan2_backward, in its order of operations (the signs of zeros follow it): d/da = g * b * recip,
    // d/db = g * -a * recip, recip = 1 / (a^2 + b^2) and 0 where that sum is 0 (at 0/0, or a and b so small
    // their squares underflow), so the gradient there is a signed 0, not nan.
    Tensor av = a.unpack(*this), bv = b.unpack(*this);
    Tensor den = add(mul(av, av), mul(bv, bv));
    Tensor recip = masked_fill(reciprocal(den), binary(BinaryOp::Eq, den.detach(), Scalar(0.0)), Scalar(0.0));
    return {sum_to(mul(mul(g[0], bv), recip), av.shape()), sum_to(mul(mul(g[0], neg(av)), recip), bv.shape())};
  }
};

// Integer division by zero raises, as ATen's kernels do for the elements they compute: none when the broadcast
// result a op b is empty.
void check_int_divisor(const Tensor& a, const Tensor& b) {
  if (is_floating(b.dtype()) || numel_of(broadcast_shapes(a.shape(), b.shape())) == 0) return;
  Tensor zero = binary(BinaryOp::Eq, b, Scalar(int64_t(0)));
  RB_CHECK(sum(zero).item<int64_t>() == 0, Error, "ZeroDivisionError");
}

// A two-operand op in a storage dtype dt: computed in compute_type(dt), rounded back to dt.
template <class F>
Tensor widened(const Tensor& a, const Tensor& b, DType dt, F&& f) {
  DType wt = compute_type(dt);
  return cast(f(cast(a, wt), cast(b, wt)), dt);
}

}  // namespace

Tensor logical_not(const Tensor& x) {
  if (!is_compute_dtype(x.dtype())) return logical_not(widen(x));
  Tensor out = Tensor::empty(x.shape(), DType::Bool, x.device());
  kernels<ElementwiseExtKernels>("logical_not", x).logical_not_forward(loop_geom(out, x), x.raw_data(), out.raw_data());
  return out;
}

Tensor logical(LogicalOp op, const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "logical_", logical_name(op), ": expected both tensors on one device");
  DType dt = compute_type(promote(a.dtype(), b.dtype()));
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), DType::Bool, a.device());
  NoGradGuard ng;
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  kernels<ElementwiseExtKernels>("logical", out)
      .logical_forward(op, loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  return out;
}

Tensor bitwise_not(const Tensor& x) {
  // The narrow integers: bit operations commute with truncation, so int64 then cast back is exact.
  if (!is_compute_dtype(x.dtype()) && !is_floating(x.dtype())) return cast(bitwise_not(widen(x)), x.dtype());
  RB_CHECK(x.dtype() == DType::Bool || x.dtype() == DType::Int64, TypeError,
           "~ (operator.invert) is only implemented on integer and Boolean-type tensors (got ", dtype_name(x.dtype()),
           ")");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  kernels<ElementwiseExtKernels>("bitwise_not", x).bitwise_not_forward(loop_geom(out, x), x.raw_data(), out.raw_data());
  return out;
}

Tensor bitwise(LogicalOp op, const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  if (!is_compute_dtype(dt) && !is_floating(dt))
    return widened(a, b, dt, [op](const Tensor& x, const Tensor& y) { return bitwise(op, x, y); });
  RB_CHECK(dt == DType::Bool || dt == DType::Int64, NotImplementedError, "\"bitwise_", logical_name(op),
           "_cpu\" not implemented for '", aten_name(dt), "'");
  RB_CHECK(a.device() == b.device(), Error, "bitwise_", logical_name(op), ": expected both tensors on one device");
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  kernels<ElementwiseExtKernels>("bitwise", out)
      .bitwise_forward(op, loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  return out;
}

Tensor bitwise(LogicalOp op, const Tensor& a, Scalar b) {
  RB_CHECK(!b.is_floating(), NotImplementedError, "\"bitwise_", logical_name(op), "_cpu\" not implemented for 'Float'");
  DType dt = result_type(a, b);
  return bitwise(op, a, scalar_tensor(b, dt, a.device()));
}

Tensor classify(FloatClass c, const Tensor& x) {
  if (!is_compute_dtype(x.dtype())) return classify(c, widen(x));
  Tensor out = Tensor::empty(x.shape(), DType::Bool, x.device());
  kernels<ElementwiseExtKernels>("isfinite", x).classify_forward(c, loop_geom(out, x), x.raw_data(), out.raw_data());
  return out;
}

Tensor floor_divide(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "floor_divide: expected both tensors on one device");
  DType dt = result_type(a, b);
  RB_CHECK(dt != DType::Bool, Error, "\"div_floor_cpu\" not implemented for 'Bool'");
  if (!is_compute_dtype(dt))
    return widened(a, b, dt, [](const Tensor& x, const Tensor& y) { return floor_divide(x, y); });
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  check_int_divisor(ac, bc);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("floor_divide", out)
      .floor_divide_forward(loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  return out;
}
Tensor floor_divide(const Tensor& a, Scalar b) {
  // ATen's div_floor kernel takes a number divisor of a float16/bfloat16 tensor in float32 (its opmath type),
  // not rounded to the half type as remainder and fmod take it.
  DType dt = result_type(a, b);
  return floor_divide(a, scalar_tensor(b, is_floating(dt) ? compute_type(dt) : dt, a.device()));
}
Tensor floor_divide(Scalar a, const Tensor& b) {
  return floor_divide(scalar_tensor(a, result_type(b, a), b.device()), b);
}

Tensor remainder(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "remainder: expected both tensors on one device");
  DType dt = result_type(a, b);
  RB_CHECK(dt != DType::Bool, Error, "\"remainder_cpu\" not implemented for 'Bool'");
  if (!is_compute_dtype(dt)) return widened(a, b, dt, [](const Tensor& x, const Tensor& y) { return remainder(x, y); });
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  check_int_divisor(ac, bc);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("remainder", out)
      .remainder_forward(loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  if (is_floating(dt) && needs_grad(ac, bc)) {
    auto node = std::make_shared<RemainderBackward>();
    node->need_a = ac.requires_grad(), node->need_b = bc.requires_grad();
    node->a_shape = ac.shape(), node->b_shape = bc.shape();
    if (node->need_b) node->a = SavedTensor(ac), node->b = SavedTensor(bc);
    record(node, {&ac, &bc}, {&out});
  }
  return out;
}
Tensor remainder(const Tensor& a, Scalar b) { return remainder(a, scalar_tensor(b, result_type(a, b), a.device())); }
Tensor remainder(Scalar a, const Tensor& b) { return remainder(scalar_tensor(a, result_type(b, a), b.device()), b); }

Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> rounding_mode) {
  if (!rounding_mode) return div(a, b);
  RB_CHECK(*rounding_mode == "trunc" || *rounding_mode == "floor", Error,
           "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '", *rounding_mode, "'");
  if (*rounding_mode == "floor") return floor_divide(a, b);
  // A float quotient rounded to its dtype, then truncated (ATen's div_trunc: a true division, then trunc_,
  // so a float16 quotient of 4.9986 is 5); an integer one exactly: a - fmod(a, b) is a multiple of b.
  if (is_floating(result_type(a, b))) return rounding(RoundOp::Trunc, div(a, b));
  return floor_divide(sub(a, fmod(a, b)), b);
}

Tensor clamp(const Tensor& x, const std::optional<Tensor>& lo, const std::optional<Tensor>& hi) {
  RB_CHECK(lo || hi, Error, "torch.clamp: At least one of 'min' or 'max' must not be None");
  // where() keeps x's NaNs (a comparison with NaN is false) and routes each gradient to the value taken.
  Tensor out = x;
  if (lo) out = where(binary(BinaryOp::Lt, out, *lo), *lo, out);
  if (hi) out = where(binary(BinaryOp::Gt, out, *hi), *hi, out);
  if (lo && hi) {
    // Below a min equal to the max, PyTorch's clamp_backward_min_max routes the gradient nowhere (min's needs
    // min < max, max's x > max or max < min, x's x >= min): the value taken, min, passes none.
    Tensor dead = logical(LogicalOp::And, binary(BinaryOp::Lt, x.detach(), lo->detach()),
                          binary(BinaryOp::Eq, lo->detach(), hi->detach()));
    out = where(dead, out.detach(), out);
  }
  const DType dt = lo && hi ? promote(result_type(x, *lo), hi->dtype()) : result_type(x, lo ? *lo : *hi);
  return out.dtype() == dt ? out : to_dtype(out, dt);
}

Tensor reciprocal(const Tensor& x) {
  return binary(BinaryOp::Div, Scalar(1.0), is_floating(x.dtype()) ? x : cast(x, DType::Float32));
}

Tensor square(const Tensor& x) {
  Tensor v = x.dtype() == DType::Bool ? cast(x, DType::Int64) : x;
  return mul(v, v);
}

Tensor rounding(RoundOp op, const Tensor& x, int64_t decimals) {
  RB_CHECK(x.dtype() != DType::Bool, Error, "\"",
           op == RoundOp::Floor   ? "floor"
           : op == RoundOp::Ceil  ? "ceil"
           : op == RoundOp::Round ? "round"
                                  : "trunc",
           "_cpu\" not implemented for 'Bool'");
  RB_CHECK(decimals == 0 || is_floating(x.dtype()), Error, "round_cpu: decimals are not supported for integer tensors");
  if (!is_compute_dtype(x.dtype())) return cast(rounding(op, widen(x), decimals), x.dtype());
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  kernels<ElementwiseExtKernels>("round", x)
      .rounding_forward(op, loop_geom(out, x), x.raw_data(), decimals, out.raw_data());
  if (needs_grad(x)) record(std::make_shared<ZeroGradBackward>(), {&x}, {&out});
  return out;
}

Tensor math(MathOp op, const Tensor& x) {
  RB_CHECK(op != MathOp::Frac || is_floating(x.dtype()), NotImplementedError, "\"frac_cpu\" not implemented for '",
           aten_name(x.dtype()), "'");
  if (is_floating(x.dtype()) && !is_compute_dtype(x.dtype())) return cast(math(op, widen(x)), x.dtype());
  Tensor xin = is_floating(x.dtype()) ? x : cast(x, DType::Float32);
  Tensor out = Tensor::empty(xin.shape(), xin.dtype(), xin.device());
  kernels<ElementwiseExtKernels>("math", xin).math_forward(op, loop_geom(out, xin), xin.raw_data(), out.raw_data());
  if (needs_grad(xin)) {
    auto node = std::make_shared<MathBackward>();
    node->op = op;
    if (math_saves_output(op))
      node->out = SavedTensor::output(out);
    else
      node->x = SavedTensor(xin);
    record(node, {&xin}, {&out});
  }
  return out;
}

Tensor atan2(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "atan2: expected both tensors on one device");
  DType dt = result_type(a, b);
  if (!is_floating(dt)) dt = DType::Float32;
  if (!is_compute_dtype(dt)) return widened(a, b, dt, [](const Tensor& x, const Tensor& y) { return atan2(x, y); });
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("atan2", out)
      .atan2_forward(loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  if (needs_grad(ac, bc)) {
    auto node = std::make_shared<Atan2Backward>();
    node->a = SavedTensor(ac), node->b = SavedTensor(bc);
    record(node, {&ac, &bc}, {&out});
  }
  return out;
}

Tensor fmod(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "fmod: expected both tensors on one device");
  DType dt = result_type(a, b);
  RB_CHECK(dt != DType::Bool, Error, "\"fmod_cpu\" not implemented for 'Bool'");
  if (!is_compute_dtype(dt)) return widened(a, b, dt, [](const Tensor& x, const Tensor& y) { return fmod(x, y); });
  if (!is_floating(dt)) {  // integers: C's % truncates toward zero, which is fmod's rule
    Tensor ai = cast(a, dt), bi = cast(b, dt);
    check_int_divisor(ai, bi);
    Tensor q = rounding(RoundOp::Trunc, div(cast(ai, DType::Float64), cast(bi, DType::Float64)));
    return sub(ai, mul(bi, cast(q, dt)));
  }
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("fmod", out)
      .fmod_forward(loop_geom(out, ac, bc), ac.raw_data(), bc.raw_data(), out.raw_data());
  if (needs_grad(ac, bc)) {
    // d/da = 1, d/db = -trunc(a / b), as PyTorch's.
    auto node = std::make_shared<RemainderBackward>();
    node->a = SavedTensor(ac), node->b = SavedTensor(bc);
    node->a_shape = ac.shape(), node->b_shape = bc.shape();
    node->need_a = ac.requires_grad(), node->need_b = bc.requires_grad();
    node->truncate = true;
    record(node, {&ac, &bc}, {&out});
  }
  return out;
}
Tensor fmod(const Tensor& a, Scalar b) { return fmod(a, scalar_tensor(b, result_type(a, b), a.device())); }

Tensor lerp(const Tensor& start, const Tensor& end, const Tensor& weight) {
  RB_CHECK(is_floating(promote(result_type(start, end), weight.dtype())), NotImplementedError,
           "\"lerp_kernel_tensor\" not implemented for '", aten_name(result_type(start, end)), "'");
  // PyTorch's form: from start below weight 0.5, from end above (exact at both ends).
  Tensor diff = sub(end, start);
  Tensor near_start = binary(BinaryOp::Lt, unary(UnaryOp::Abs, weight), Scalar(0.5));
  return where(near_start, add(start, mul(weight, diff)), sub(end, mul(diff, add(neg(weight), Scalar(1.0)))));
}
Tensor lerp(const Tensor& start, const Tensor& end, Scalar weight) {
  RB_CHECK(is_floating(result_type(start, end)), NotImplementedError, "\"lerp_kernel_scalar\" not implemented for '",
           aten_name(result_type(start, end)), "'");
  return lerp(start, end, scalar_tensor(weight, result_type(start, end), start.device()));
}

Tensor& assign_result_(Tensor& self, const Tensor& result, const char* op) {
  check_inplace(self);
  RB_CHECK(result.shape() == self.shape(), Error, op, ": output with shape ", self.shape(),
           " doesn't match the broadcast shape ", result.shape());
  RB_CHECK(dtype_category(result.dtype()) <= dtype_category(self.dtype()), Error, "result type ",
           dtype_name(result.dtype()), " can't be cast to the desired output type ", dtype_name(self.dtype()));
  {
    NoGradGuard ng;
    copy_values(result, self);
  }
  self.bump_version();
  if (GradMode::enabled() && result.requires_grad()) rebase_history(self, result);
  return self;
}

}  // namespace rb
