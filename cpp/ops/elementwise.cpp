// Elementwise ops: type promotion, broadcasting, in-place rules and the autograd node of each.
// Backward formulas are written with the ops themselves (composite), which run under no_grad.
#include <cmath>
#include "rosenblatt/ops.h"

#include "op_common.h"
#include "rosenblatt/ops/device.h"
#include "scalar_range.h"

#include "../kernels/elementwise.h"

namespace rb {
namespace {

int category(DType t) { return dtype_category(t); }
bool is_comparison(BinaryOp op) { return op >= BinaryOp::Eq; }
const char* op_name(BinaryOp op) {
  static const char* names[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum",
                                "eq",  "ne",  "lt",  "le",  "gt",  "ge"};
  return names[static_cast<int>(op)];
}
const char* op_name(UnaryOp op) {
  static const char* names[] = {"neg", "exp", "log", "sqrt", "abs", "sign"};
  return names[static_cast<int>(op)];
}
// PyTorch's autograd node names, which users see in grad_fn.
const char* node_name(BinaryOp op) {
  static const char* names[] = {"AddBackward0", "SubBackward0",     "MulBackward0",    "DivBackward0",
                                "PowBackward1", "MaximumBackward0", "MinimumBackward0"};
  return static_cast<int>(op) < 7 ? names[static_cast<int>(op)] : "CompareBackward0";
}
// True division of integers gives the default float dtype.
DType compute_dtype(BinaryOp op, DType rt) { return op == BinaryOp::Div && !is_floating(rt) ? DType::Float32 : rt; }

struct BinaryBackward : Node {
  BinaryOp op;
  SavedTensor a, b, out;
  Shape a_shape, b_shape;
  DType a_dtype, b_dtype;
  bool need_a, need_b;
  std::string name() const override { return node_name(op); }
  void release_saved() override { a.reset(), b.reset(), out.reset(); }

  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    Tensor ga, gb;
    switch (op) {
      case BinaryOp::Add: ga = g, gb = g; break;
      case BinaryOp::Sub: ga = g, gb = need_b ? neg(g) : Tensor(); break;
      case BinaryOp::Mul:
        if (need_a) ga = mul(g, b.unpack(*this));
        if (need_b) gb = mul(g, a.unpack(*this));
        break;
      case BinaryOp::Div: {
        Tensor bv = b.unpack(*this);
        if (need_a) ga = div(g, bv);
        if (need_b) gb = neg(div(mul(g, out.unpack(*this)), bv));  // -g * a / b^2 = -g * out / b
        break;
      }
      case BinaryOp::Pow: {
        Tensor av = a.unpack(*this), bv = b.unpack(*this);
        if (need_a) {
          // b a^(b-1), and 0 where b == 0 (PyTorch's pow_backward_self: 0 * 0^-1 would be nan at a == 0).
          Tensor t = mul(g, mul(bv, binary(BinaryOp::Pow, av, binary(BinaryOp::Sub, bv, Scalar(1.0)))));
          ga = where(binary(BinaryOp::Eq, bv, Scalar(0.0)), zeros_like(t), t);
        }
        if (need_b) {
          // d/db a^b = a^b log a; PyTorch defines it as 0 where a == 0 and b >= 0.
          Tensor t = mul(g, mul(out.unpack(*this), log(av)));
          Tensor zero_mask =
              binary(BinaryOp::Mul, binary(BinaryOp::Eq, av, Scalar(0.0)), binary(BinaryOp::Ge, bv, Scalar(0.0)));
          gb = where(zero_mask, zeros_like(t), t);
        }
        break;
      }
      case BinaryOp::Maximum:
      case BinaryOp::Minimum: {
        // The winner takes the gradient; ties split it evenly, as in PyTorch.
        Tensor av = a.unpack(*this), bv = b.unpack(*this);
        BinaryOp win = op == BinaryOp::Maximum ? BinaryOp::Gt : BinaryOp::Lt;
        Tensor half = mul(g, Scalar(0.5));
        Tensor tie = binary(BinaryOp::Eq, av, bv);
        Tensor zero = zeros_like(g);
        if (need_a) ga = where(binary(win, av, bv), g, where(tie, half, zero));
        if (need_b) gb = where(binary(win, bv, av), g, where(tie, half, zero));
        break;
      }
      default: break;
    }
    return {need_a && ga.defined() ? grad_for(ga, a_shape, a_dtype) : Tensor(),
            need_b && gb.defined() ? grad_for(gb, b_shape, b_dtype) : Tensor()};
  }
};

// a, b already in the compute dtype ct.
Tensor binary_impl(BinaryOp op, const Tensor& a, const Tensor& b, DType ct) {
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), is_comparison(op) ? DType::Bool : ct, a.device());
  kernels<ElementwiseKernels>(op_name(op), a)
      .binary_forward(op, loop_geom(out, a, b), a.raw_data(), b.raw_data(), out.raw_data());
  if (!is_comparison(op) && needs_grad(a, b)) {
    auto node = std::make_shared<BinaryBackward>();
    node->op = op;
    node->need_a = a.requires_grad();
    node->need_b = b.requires_grad();
    node->a_shape = a.shape(), node->b_shape = b.shape();
    node->a_dtype = a.dtype(), node->b_dtype = b.dtype();
    bool save_a = op == BinaryOp::Mul || op == BinaryOp::Pow || op == BinaryOp::Maximum || op == BinaryOp::Minimum;
    bool save_b = save_a || op == BinaryOp::Div;
    if (save_a) node->a = SavedTensor(a);
    if (save_b) node->b = SavedTensor(b);
    if (op == BinaryOp::Div || op == BinaryOp::Pow) node->out = SavedTensor::output(out);
    record(node, {&a, &b}, {&out});
  }
  return out;
}

struct UnaryBackward : Node {
  UnaryOp op;
  SavedTensor x, out;
  std::string name() const override {
    static const char* n[] = {"NegBackward0",  "ExpBackward0", "LogBackward0",
                              "SqrtBackward0", "AbsBackward0", "SgnBackward0"};
    return n[static_cast<int>(op)];
  }
  void release_saved() override { x.reset(), out.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    switch (op) {
      case UnaryOp::Neg: return {neg(g)};
      case UnaryOp::Exp: return {mul(g, out.unpack(*this))};
      case UnaryOp::Log: return {div(g, x.unpack(*this))};
      case UnaryOp::Sqrt: return {div(g, mul(out.unpack(*this), Scalar(2.0)))};
      case UnaryOp::Abs: return {mul(g, unary(UnaryOp::Sign, x.unpack(*this)))};
      case UnaryOp::Sign: return {zeros_like(g)};
    }
    return {Tensor()};
  }
};

struct ToDtypeBackward : Node {
  DType src;
  std::string name() const override { return "ToCopyBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {to_dtype(grads[0], src)}; }
};

struct IdentityBackward : Node {
  std::string name() const override { return "CloneBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {grads[0]}; }
};

struct CopyBackward : Node {  // dst.copy_(src): the gradient flows to src only
  Shape src_shape;
  DType src_dtype;
  std::string name() const override { return "CopyBackwards"; }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override { return {grad_for(grads[0], src_shape, src_dtype)}; }
};

struct NoGradientBackward : Node {  // fill_: what was there before no longer matters
  std::string name() const override { return "FillBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>&) override { return {}; }
};

struct WhereBackward : Node {
  SavedTensor cond;
  Shape a_shape, b_shape;
  DType a_dtype, b_dtype;
  std::string name() const override { return "WhereBackward0"; }
  void release_saved() override { cond.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    const Tensor& g = grads[0];
    Tensor c = cond.unpack(*this), z = zeros_like(g);
    return {grad_for(where(c, g, z), a_shape, a_dtype), grad_for(where(c, z, g), b_shape, b_dtype)};
  }
};

struct ClampBackward : Node {
  SavedTensor x;
  std::optional<Scalar> lo, hi;
  std::string name() const override { return "ClampBackward1"; }
  void release_saved() override { x.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& grads) override {
    Tensor xv = x.unpack(*this);
    Tensor keep = ones(xv.shape(), DType::Bool, xv.device());
    if (lo) keep = binary(BinaryOp::Mul, keep, binary(BinaryOp::Ge, xv, *lo));
    if (hi) keep = binary(BinaryOp::Mul, keep, binary(BinaryOp::Le, xv, *hi));
    return {where(keep, grads[0], zeros_like(grads[0]))};
  }
};

bool can_cast(DType from, DType to) { return category(from) <= category(to); }

}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
  bool da = a.dim() > 0, db = b.dim() > 0;
  if (da == db) return promote(a.dtype(), b.dtype());
  const Tensor& dimmed = da ? a : b;
  const Tensor& zero_d = da ? b : a;
  // A 0-d tensor only decides the dtype when it is of a higher category (bool < int < float).
  return category(zero_d.dtype()) > category(dimmed.dtype()) ? zero_d.dtype() : dimmed.dtype();
}

DType result_type(const Tensor& a, Scalar s) {
  return category(s.dtype()) > category(a.dtype()) ? s.dtype() : a.dtype();
}

// The op in dtype ct; a storage ct (float16, int8...) computes in its compute type and rounds back.
static Tensor binary_in(BinaryOp op, const Tensor& a, const Tensor& b, DType ct) {
  DType wt = compute_type(ct);
  Tensor r = binary_impl(op, cast(a, wt), cast(b, wt), wt);
  return is_comparison(op) ? r : cast(r, ct);
}

Tensor binary(BinaryOp op, const Tensor& a, const Tensor& b) {
  check_same_device(a, b, op_name(op));
  return binary_in(op, a, b, compute_dtype(op, result_type(a, b)));
}

// A Python number next to a storage-dtype tensor: an integer wraps to the tensor's type first
// (uint8 < -1 compares with 255), a float stays in float32 (not rounded to float16), as PyTorch.
static DType scalar_dtype(DType ct) { return is_floating(ct) ? compute_type(ct) : ct; }

// ATen refuses a negative integer exponent given as a number (pow(Tensor, Scalar)); a tensor of exponents
// computes (ipow: 1, -1 or 0).
static void check_integer_power(BinaryOp op, DType ct, Scalar exponent) {
  RB_CHECK(!(op == BinaryOp::Pow && !is_floating(ct) && !is_floating(exponent.dtype()) && exponent.to<int64_t>() < 0),
           Error, "Integers to negative integer powers are not allowed.");
}

Tensor binary(BinaryOp op, const Tensor& a, Scalar s) {
  DType ct = compute_dtype(op, result_type(a, s));
  check_integer_power(op, ct, s);
  return binary_in(op, a, scalar_tensor(s, scalar_dtype(ct), a.device()), ct);
}

Tensor binary(BinaryOp op, Scalar s, const Tensor& b) {
  DType ct = compute_dtype(op, result_type(b, s));
  return binary_in(op, scalar_tensor(s, scalar_dtype(ct), b.device()), b, ct);
}

static Tensor& binary_inplace(BinaryOp op, Tensor& self, const Tensor& other, DType ct) {
  check_inplace(self);
  RB_CHECK(!is_comparison(op), Error, op_name(op), "_: comparison ops have no in-place form here");
  RB_CHECK(can_cast(ct, self.dtype()), Error, "result type ", dtype_name(ct),
           " can't be cast to the desired output type ", dtype_name(self.dtype()));
  Shape shape = broadcast_shapes(self.shape(), other.shape());
  RB_CHECK(shape == self.shape(), Error, "output with shape ", self.shape(), " doesn't match the broadcast shape ",
           shape);
  if (needs_grad(self, other) || !is_compute_dtype(ct) || !is_compute_dtype(self.dtype())) {
    // Compute out of place (on a copy of self when the node saves it), then write back and take
    // over the result's history. Storage dtypes take this path too: they have no kernels.
    bool saves_self = op != BinaryOp::Add && op != BinaryOp::Sub;
    Tensor src = saves_self && needs_grad(self, other) ? clone(self) : self;
    Tensor r = cast(binary_in(op, src, other, ct), self.dtype());
    return write_back(self, r);
  }
  Tensor o = cast(other, ct);
  const auto& k = kernels<ElementwiseKernels>(op_name(op), self);
  if (ct == self.dtype()) {
    k.binary_forward(op, loop_geom(self, self, o), self.raw_data(), o.raw_data(), self.raw_data());
  } else {
    Tensor tmp = Tensor::empty(self.shape(), ct, self.device()), sc = cast(self, ct);
    k.binary_forward(op, loop_geom(tmp, sc, o), sc.raw_data(), o.raw_data(), tmp.raw_data());
    k.copy(loop_geom(self, tmp), tmp.raw_data(), self.raw_data());
  }
  self.bump_version();
  return self;
}

Tensor& binary_(BinaryOp op, Tensor& self, const Tensor& other) {
  check_same_device(self, other, op_name(op));
  return binary_inplace(op, self, other, compute_dtype(op, result_type(self, other)));
}

Tensor& binary_(BinaryOp op, Tensor& self, Scalar other) {
  DType ct = compute_dtype(op, result_type(self, other));
  check_integer_power(op, ct, other);
  return binary_inplace(op, self, scalar_tensor(other, scalar_dtype(ct), self.device()), ct);
}

Tensor unary(UnaryOp op, const Tensor& x) {
  bool float_only = op == UnaryOp::Exp || op == UnaryOp::Log || op == UnaryOp::Sqrt;
  RB_CHECK(!(op == UnaryOp::Neg && x.dtype() == DType::Bool), TypeError,
           "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the "
           "`~` or `logical_not()` operator instead.");
  if (!is_compute_dtype(x.dtype())) {  // computed in float32/int64, rounded back
    DType rt = float_only && !is_floating(x.dtype()) ? DType::Float32 : x.dtype();
    return cast(unary(op, widen(x)), rt);
  }
  Tensor xin = x;
  if (float_only && !is_floating(x.dtype()))
    xin = to_dtype(x, DType::Float32);
  else if (x.dtype() == DType::Bool)
    xin = to_dtype(x, DType::Int64);
  Tensor out = Tensor::empty(xin.shape(), xin.dtype(), xin.device());
  kernels<ElementwiseKernels>(op_name(op), xin).unary_forward(op, loop_geom(out, xin), xin.raw_data(), out.raw_data());
  if (needs_grad(xin)) {
    auto node = std::make_shared<UnaryBackward>();
    node->op = op;
    if (op == UnaryOp::Log || op == UnaryOp::Abs) node->x = SavedTensor(xin);
    if (op == UnaryOp::Exp || op == UnaryOp::Sqrt) node->out = SavedTensor::output(out);
    record(node, {&xin}, {&out});
  }
  return out;
}

Tensor& unary_(UnaryOp op, Tensor& x) {
  check_inplace(x);
  if (needs_grad(x) || !is_compute_dtype(x.dtype())) {
    Tensor r = unary(op, op == UnaryOp::Neg ? x : clone(x));
    RB_CHECK(r.dtype() == x.dtype(), Error, "result type ", dtype_name(r.dtype()),
             " can't be cast to the desired output type ", dtype_name(x.dtype()));
    return write_back(x, r);
  }
  bool float_only = op == UnaryOp::Exp || op == UnaryOp::Log || op == UnaryOp::Sqrt;
  RB_CHECK(!float_only || is_floating(x.dtype()), Error, "result type Float can't be cast to the desired output type ",
           dtype_name(x.dtype()));
  kernels<ElementwiseKernels>(op_name(op), x).unary_forward(op, loop_geom(x, x), x.raw_data(), x.raw_data());
  x.bump_version();
  return x;
}

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  RB_CHECK(cond.dtype() == DType::Bool, Error,
           "where expected condition to be a boolean tensor, but got a tensor with dtype ", dtype_name(cond.dtype()));
  check_same_device(a, b, "where");
  check_same_device(cond, a, "where");
  DType dt = result_type(a, b);
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  Shape shape = broadcast_shapes(broadcast_shapes(cond.shape(), a.shape()), b.shape());
  Tensor out = Tensor::empty(shape, dt, a.device());
  kernels<ElementwiseKernels>("where", out)
      .where_forward(loop_geom(out, cond, ac, bc), cond.data<bool>(), ac.raw_data(), bc.raw_data(), out.raw_data());
  if (needs_grad(ac, bc)) {
    auto node = std::make_shared<WhereBackward>();
    node->cond = SavedTensor(cond);
    node->a_shape = ac.shape(), node->b_shape = bc.shape();
    node->a_dtype = ac.dtype(), node->b_dtype = bc.dtype();
    record(node, {&ac, &bc}, {&out});
  }
  return out;
}

Tensor clamp(const Tensor& x, std::optional<Scalar> lo, std::optional<Scalar> hi) {
  RB_CHECK(lo || hi, Error, "torch.clamp: At least one of 'min' or 'max' must not be None");
  // The result promotes with the bounds as PyTorch's does (an integer tensor clamped to 0.5 is float).
  const DType dt = lo && hi ? promote(result_type(x, *lo), result_type(x, *hi)) : result_type(x, lo ? *lo : *hi);
  if (dt != x.dtype()) return clamp(to_dtype(x, dt), lo, hi);
  RB_CHECK(x.dtype() != DType::Bool, TypeError, "clamp is not supported for bool tensors");
  if (!is_compute_dtype(x.dtype())) return cast(clamp(widen(x), lo, hi), x.dtype());
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  kernels<ElementwiseKernels>("clamp", x).clamp_forward(loop_geom(out, x), x.raw_data(), lo, hi, out.raw_data());
  if (needs_grad(x)) {
    auto node = std::make_shared<ClampBackward>();
    node->x = SavedTensor(x);
    node->lo = lo, node->hi = hi;
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor to_dtype(const Tensor& x, DType dtype) {
  // An empty tensor keeps its strides, as torch's .to (preserve format; empty counts as contiguous): view(dtype)
  // reads them. A non-empty one comes out contiguous, which the callers that promote operands rely on.
  Tensor out = x.numel() == 0 ? empty_strided(x.shape(), x.strides(), dtype, x.device())
                              : Tensor::empty(x.shape(), dtype, x.device());
  copy_values(x, out);
  if (needs_grad(x) && is_floating(dtype)) {
    auto node = std::make_shared<ToDtypeBackward>();
    node->src = x.dtype();
    record(node, {&x}, {&out});
  }
  return out;
}

Tensor clone(const Tensor& x) {
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  copy_values(x, out);
  if (needs_grad(x)) record(std::make_shared<IdentityBackward>(), {&x}, {&out});
  return out;
}

Tensor clone(const Tensor& x, MemoryFormat fmt) {
  Tensor out = empty_strided(x.shape(), format_strides(x.shape(), fmt, &x), x.dtype(), x.device());
  copy_values(x, out);
  if (needs_grad(x)) record(std::make_shared<IdentityBackward>(), {&x}, {&out});
  return out;
}

Tensor& copy_(Tensor& dst, const Tensor& src_in) {
  check_inplace(dst);
  Shape shape = broadcast_shapes(dst.shape(), src_in.shape());
  RB_CHECK(shape == dst.shape(), Error, "output with shape ", dst.shape(), " doesn't match the broadcast shape ",
           shape);
  // From another device, as PyTorch's copy_: the values move to dst's device first (a kernel reads one
  // device's memory), and the gradient goes back through that move.
  const Tensor src = src_in.device() == dst.device() ? src_in : to_device(src_in, dst.device());
  copy_values(src, dst);
  dst.bump_version();
  if (needs_grad(src) && is_floating(dst.dtype())) {
    auto node = std::make_shared<CopyBackward>();
    node->src_shape = src.shape();
    node->src_dtype = src.dtype();
    record(node, {&src}, {&dst});
  }
  return dst;
}

// PyTorch's checked conversion of a number into dtype (fill_, and through it full and full_like; threshold,
// addcmul, the addmm family): a number outside dtype's range raises "value cannot be converted to type T
// without overflow" (a negative integer, not a float, may wrap into an unsigned type, as c10 allows).
void check_scalar_range(Scalar v, DType dt) {
  struct Range {
    const char* name;  // c10's spelling of the type in the message
    double lo, hi;
    bool integral;
  };
  Range r;
  switch (dt) {
    case DType::UInt8: r = {"uint8_t", 0, 255, true}; break;
    case DType::Int8: r = {"int8_t", -128, 127, true}; break;
    case DType::Int16: r = {"int16_t", -32768, 32767, true}; break;
    case DType::Int32: r = {"int", -2147483648.0, 2147483647.0, true}; break;
    case DType::Int64: r = {"int64_t", -9223372036854775808.0, 9223372036854775807.0, true}; break;
    case DType::Float16: r = {"c10::Half", -65504.0, 65504.0, false}; break;
    case DType::BFloat16: r = {"c10::BFloat16", -3.3895313892515355e38, 3.3895313892515355e38, false}; break;
    case DType::Float32: r = {"float", -3.4028234663852886e38, 3.4028234663852886e38, false}; break;
    default: return;  // bool and float64 hold any value
  }
  bool over;
  if (!r.integral) {
    over = v.is_floating() && std::isfinite(v.f) && (v.f < r.lo || v.f > r.hi);  // inf and NaN convert
  } else if (!v.is_floating()) {
    over = dt != DType::Int64 && (v.i > r.hi || (r.lo == 0 ? v.i < -r.hi : v.i < r.lo));
  } else {
    // A float is checked before truncation, as c10 does (255.5 overflows uint8); 2**63 itself overflows int64.
    // Only an integer wraps into an unsigned type: -2.0 overflows uint8 where -2 gives 254.
    over = !std::isfinite(v.f) || v.f > r.hi || v.f >= 9223372036854775808.0 || v.f < r.lo;
  }
  RB_CHECK(!over, Error, "value cannot be converted to type ", r.name, " without overflow");
}

Tensor& fill_(Tensor& dst, Scalar value) {
  check_scalar_range(value, dst.dtype());
  check_inplace(dst, /*overlap_ok=*/true);
  fill_values(dst, value);
  dst.bump_version();
  if (GradMode::enabled() && dst.requires_grad()) record(std::make_shared<NoGradientBackward>(), {}, {&dst});
  return dst;
}

}  // namespace rb
