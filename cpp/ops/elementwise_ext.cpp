// Elementwise extras: logical/bitwise ops, isnan/isinf/isfinite, floor_divide, remainder,
// reciprocal, square and rounding, with PyTorch's dtype rules; assign_result_ gives in-place forms.
#include "rosenblatt/ops.h"

#include "op_common.h"

#include "../kernels/elementwise_ext.h"

namespace rb {
namespace {

const char* type_word(DType t) {
  switch (t) {
    case DType::Bool: return "Bool";
    case DType::Int64: return "Long";
    case DType::Float32: return "Float";
    case DType::Float64: return "Double";
  }
  return "?";
}
const char* logical_name(LogicalOp op) { return op == LogicalOp::And ? "and" : op == LogicalOp::Or ? "or" : "xor"; }

struct ZeroGradBackward : Node {  // rounding: piecewise constant
  std::string name() const override { return "RoundBackward"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {zeros_like(g[0])}; }
};

struct RemainderBackward : Node {
  SavedTensor a, b;
  Shape a_shape, b_shape;
  bool need_a = false, need_b = false;
  std::string name() const override { return "RemainderBackward"; }
  void release_saved() override { a.reset(), b.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor ga, gb;
    if (need_a) ga = sum_to(g[0], a_shape);
    if (need_b) gb = sum_to(neg(mul(g[0], floor_divide(a.unpack(*this), b.unpack(*this)))), b_shape);
    return {ga, gb};
  }
};

void check_int_divisor(const Tensor& b) {
  if (is_floating(b.dtype())) return;
  Tensor zero = binary(BinaryOp::Eq, b, Scalar(int64_t(0)));
  RB_CHECK(sum(zero).item<int64_t>() == 0, Error, "ZeroDivisionError");
}

}  // namespace

Tensor logical_not(const Tensor& x) {
  Tensor out = Tensor::empty(x.shape(), DType::Bool, x.device());
  kernels<ElementwiseExtKernels>("logical_not", x).logical_not_forward(x, out);
  return out;
}

Tensor logical(LogicalOp op, const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "logical_", logical_name(op), ": expected both tensors on one device");
  DType dt = promote(a.dtype(), b.dtype());
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), DType::Bool, a.device());
  NoGradGuard ng;
  kernels<ElementwiseExtKernels>("logical", out).logical_forward(op, cast(a, dt), cast(b, dt), out);
  return out;
}

Tensor bitwise_not(const Tensor& x) {
  RB_CHECK(x.dtype() == DType::Bool || x.dtype() == DType::Int64, TypeError,
           "~ (operator.invert) is only implemented on integer and Boolean-type tensors (got ", dtype_name(x.dtype()),
           ")");
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  kernels<ElementwiseExtKernels>("bitwise_not", x).bitwise_not_forward(x, out);
  return out;
}

Tensor bitwise(LogicalOp op, const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  RB_CHECK(dt == DType::Bool || dt == DType::Int64, NotImplementedError, "\"bitwise_", logical_name(op),
           "_cpu\" not implemented for '", type_word(dt), "'");
  RB_CHECK(a.device() == b.device(), Error, "bitwise_", logical_name(op), ": expected both tensors on one device");
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("bitwise", out).bitwise_forward(op, cast(a, dt), cast(b, dt), out);
  return out;
}

Tensor bitwise(LogicalOp op, const Tensor& a, Scalar b) {
  RB_CHECK(!b.is_floating(), NotImplementedError, "\"bitwise_", logical_name(op), "_cpu\" not implemented for 'Float'");
  DType dt = result_type(a, b);
  return bitwise(op, a, scalar_tensor(b, dt, a.device()));
}

Tensor classify(FloatClass c, const Tensor& x) {
  Tensor out = Tensor::empty(x.shape(), DType::Bool, x.device());
  kernels<ElementwiseExtKernels>("isfinite", x).classify_forward(c, x, out);
  return out;
}

Tensor floor_divide(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "floor_divide: expected both tensors on one device");
  DType dt = result_type(a, b);
  RB_CHECK(dt != DType::Bool, Error, "\"div_floor_cpu\" not implemented for 'Bool'");
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  check_int_divisor(bc);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("floor_divide", out).floor_divide_forward(ac, bc, out);
  return out;
}
Tensor floor_divide(const Tensor& a, Scalar b) {
  return floor_divide(a, scalar_tensor(b, result_type(a, b), a.device()));
}
Tensor floor_divide(Scalar a, const Tensor& b) {
  return floor_divide(scalar_tensor(a, result_type(b, a), b.device()), b);
}

Tensor remainder(const Tensor& a, const Tensor& b) {
  RB_CHECK(a.device() == b.device(), Error, "remainder: expected both tensors on one device");
  DType dt = result_type(a, b);
  RB_CHECK(dt != DType::Bool, Error, "\"remainder_cpu\" not implemented for 'Bool'");
  Tensor ac = cast(a, dt), bc = cast(b, dt);
  check_int_divisor(bc);
  Tensor out = Tensor::empty(broadcast_shapes(a.shape(), b.shape()), dt, a.device());
  kernels<ElementwiseExtKernels>("remainder", out).remainder_forward(ac, bc, out);
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
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  kernels<ElementwiseExtKernels>("round", x).rounding_forward(op, x, decimals, out);
  if (needs_grad(x)) record(std::make_shared<ZeroGradBackward>(), {&x}, {&out});
  return out;
}

Tensor& assign_result_(Tensor& self, const Tensor& result, const char* op) {
  check_inplace(self);
  RB_CHECK(result.shape() == self.shape(), Error, op, ": output with shape ", self.shape(),
           " doesn't match the broadcast shape ", result.shape());
  auto cat = [](DType t) { return t == DType::Bool ? 0 : t == DType::Int64 ? 1 : 2; };
  RB_CHECK(cat(result.dtype()) <= cat(self.dtype()), Error, "result type ", dtype_name(result.dtype()),
           " can't be cast to the desired output type ", dtype_name(self.dtype()));
  {
    NoGradGuard ng;
    copy_values(result, self);
  }
  self.bump_version();
  if (GradMode::enabled() && result.requires_grad()) rebase_history(self, result);
  return self;
}

}  // namespace rb
