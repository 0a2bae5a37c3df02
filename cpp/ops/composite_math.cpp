// Norms, the addmm family, cdist, pointwise extras and nan-aware / paired reductions, as torch defines them,
// built from differentiable primitives (DESIGN: a composite op gets every order of gradient from its parts).
#include <algorithm>
#include <cmath>
#include <limits>

#include "aten_names.h"
#include "linalg_common.h"
#include "op_common.h"
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"
#include "scalar_range.h"

namespace rb {
namespace {

// f(s) where s != 0, and 0 (with a zero gradient) where s == 0: PyTorch's norm backward gives a zero
// norm a zero gradient. f only ever sees the safe value 1 there, so no 0 * inf reaches the gradient.
template <class F>
Tensor where_nonzero(const Tensor& s, F f) {
  Tensor zero = binary(BinaryOp::Eq, s, Scalar(0.0));
  return masked_fill(f(masked_fill(s, zero, Scalar(1.0))), zero, Scalar(0.0));
}

bool is_one(const Scalar& s) { return s.is_floating() ? s.f == 1.0 : s.i == 1; }
bool is_zero(const Scalar& s) { return s.is_floating() ? s.f == 0.0 : s.i == 0; }

// beta * input + alpha * prod, skipping the multiplications by one; beta == 0 drops input's values but still
// checks that it broadcasts to prod's shape.
// A number scaling a result of dtype dt, taken as PyTorch's kernels take it: checked against the type it is
// converted to (checked_dt: dt, or the float math type of addcmul's float16), and truncated for an integer dt,
// so an integer product stays integer (addmv of int16 with beta=0.5 is int16, beta 0).
Scalar scalar_for(Scalar v, DType dt, DType checked_dt) {
  check_scalar_range(v, checked_dt);
  return is_floating(dt) || dt == DType::Bool || !v.is_floating() ? v : Scalar(v.i);
}

struct BetaZeroBackward : Node {
  std::string name() const override { return "MulBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override { return {mul(g[0], Scalar(0.0))}; }
};

Tensor beta_alpha(const Tensor& input, const Tensor& prod, Scalar beta, Scalar alpha, const char* op) {
  DType dt = promote(input.dtype(), prod.dtype());
  beta = scalar_for(beta, dt, dt);
  alpha = scalar_for(alpha, dt, dt);
  Tensor p = is_one(alpha) ? prod : mul(prod, alpha);
  Shape out = broadcast_shapes(input.shape(), prod.shape());
  RB_CHECK(out == prod.shape(), Error, op, ": the input of shape ", input.shape(),
           " does not broadcast to the product's shape ", prod.shape());
  if (is_zero(beta)) {
    if (!needs_grad(input)) return p;
    // input's values are dropped (its nan and inf included) but not its gradient, PyTorch's grad * beta: a term
    // of value -0 (p + -0 is p, signed zeros included) whose backward is that product carries it.
    Tensor term = full(input.shape(), Scalar(-0.0), input.dtype(), input.device());
    record(std::make_shared<BetaZeroBackward>(), {&input}, {&term});
    return add(p, term);
  }
  return add(is_one(beta) ? input : mul(input, beta), p);
}

Tensor float_of(const Tensor& x) { return is_floating(x.dtype()) ? x : to_dtype(x, DType::Float32); }

Tensor isnan(const Tensor& x) { return classify(FloatClass::IsNan, x); }

Dims all_dims(const Tensor& x) {
  Dims d(x.dim());
  for (int64_t i = 0; i < x.dim(); ++i) d[i] = i;
  return d;
}

}  // namespace

// ---- norms ----

namespace {
struct NoGradientNormBackward : Node {  // the 0 "norm" (a count): piecewise constant
  std::string name() const override { return "LinalgVectorNormBackward0"; }
  std::vector<Tensor> apply(std::vector<Tensor>&) override { return {Tensor()}; }
};
}  // namespace

Tensor linalg_vector_norm(const Tensor& x, double p, const Dims& dims, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error,
           "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ", aten_name(x.dtype()));
  if (p == 2)
    return where_nonzero(sum(mul(x, x), dims, keepdim), [](const Tensor& s) { return unary(UnaryOp::Sqrt, s); });
  if (p == 1) return sum(unary(UnaryOp::Abs, x), dims, keepdim);
  if (p < 0 || std::isinf(p)) {  // a max or a min, or a sum of |x|^p with no identity: ATen refuses empty dims
    const std::string ord = std::isinf(p)        ? (p > 0 ? "inf" : "-inf")
                            : p == std::floor(p) ? std::to_string(static_cast<int64_t>(p))
                                                 : str(p);
    RB_CHECK(x.numel() > 0 || !dims.empty(), Error, "linalg.vector_norm cannot compute the ", ord,
             " norm on an empty tensor because the operation does not have an identity");
    for (int64_t d : dims)
      RB_CHECK(x.size(wrap_dim(d, x.dim())) > 0, Error, "linalg.vector_norm cannot compute the ", ord,
               " norm on the dimension ", wrap_dim(d, x.dim()),
               "because this dimension is empty and the operation does not have an identity");
  }
  if (std::isinf(p)) {
    return p > 0 ? amax(unary(UnaryOp::Abs, x), dims, keepdim) : amin(unary(UnaryOp::Abs, x), dims, keepdim);
  }
  if (p == 0) {
    Tensor count = sum(to_dtype(binary(BinaryOp::Ne, x.detach(), Scalar(0.0)), x.dtype()), dims, keepdim);
    // PyTorch records the node and its backward returns no gradient (backward() runs and leaves x.grad None).
    if (needs_grad(x)) record(std::make_shared<NoGradientNormBackward>(), {&x}, {&count});
    return count;
  }
  // p < 1: |x|^p's slope is infinite at 0, where PyTorch's norm backward gives 0 (masked_fill where x == 0).
  auto pow_p = [p](const Tensor& v) { return binary(BinaryOp::Pow, v, Scalar(p)); };
  Tensor a = unary(UnaryOp::Abs, x);
  Tensor s = sum(p < 1 ? where_nonzero(a, pow_p) : pow_p(a), dims, keepdim);
  return where_nonzero(s, [p](const Tensor& v) { return binary(BinaryOp::Pow, v, Scalar(1.0 / p)); });
}

Tensor linalg_matrix_norm(const Tensor& x, const std::string& ord, Dims dims, bool keepdim) {
  RB_CHECK(ord == "fro" || ord == "nuc", Error, "linalg.matrix_norm: Order ", ord, " not supported.");
  RB_CHECK(x.dim() >= 2, Error, "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
  RB_CHECK(dims.size() == 2, Error, "linalg.matrix_norm: dim must be a 2-tuple. Got ", dims.size(), " dims");
  if (ord == "nuc") {
    linalg::check_matrix(x, "linalg.matrix_norm");  // the SVD's dtypes, empty or not (no float16/bfloat16)
    return linalg::svd_matrix_norm(x, 0, dims, keepdim);
  }
  return linalg_vector_norm(x, 2, dims, keepdim);
}

Tensor linalg_matrix_norm(const Tensor& x, double ord, Dims dims, bool keepdim) {
  RB_CHECK(x.dim() >= 2, Error, "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
  RB_CHECK(dims.size() == 2, Error, "linalg.matrix_norm: dim must be a 2-tuple. Got ", dims.size(), " dims");
  RB_CHECK(std::abs(ord) == 1 || std::abs(ord) == 2 || std::isinf(ord), Error, "linalg.matrix_norm: Order ", ord,
           " not supported.");
  RB_CHECK(is_floating(x.dtype()), Error,
           "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got ", aten_name(x.dtype()));
  int64_t d0 = wrap_dim(dims[0], x.dim()), d1 = wrap_dim(dims[1], x.dim());
  RB_CHECK(d0 != d1, Error, "linalg.matrix_norm: dims must be different. Got (", dims[0], ", ", dims[1], ")");
  // An empty matrix has norm 0 for the positive orders in PyTorch (their max over no rows is 0); the negative
  // ones reduce as usual, and amin raises where it finds no element.
  if (std::abs(ord) == 2) linalg::check_matrix(x, "linalg.matrix_norm");  // the SVD's dtypes, empty or not
  if (x.numel() == 0 && ord > 0) return mul(sum(x, {d0, d1}, keepdim), Scalar(0.0));
  if (std::abs(ord) == 2) return linalg::svd_matrix_norm(x, ord, dims, keepdim);
  // ord +-1: max/min column sum (sum over rows d0, then over columns d1); ord +-inf: the same with rows.
  int64_t sum_dim = std::isinf(ord) ? d1 : d0, red_dim = std::isinf(ord) ? d0 : d1;
  Tensor s = sum(unary(UnaryOp::Abs, x), {sum_dim}, true);
  Tensor r = ord > 0 ? amax(s, {red_dim}, true) : amin(s, {red_dim}, true);
  return keepdim ? r : squeeze(r, std::vector<int64_t>{d0, d1});
}

Tensor cross(const Tensor& a, const Tensor& b, int64_t dim) {
  check_same_device(a, b, "linalg.cross");
  RB_CHECK(a.dim() == b.dim(), Error, "linalg.cross: inputs must have the same number of dimensions.");
  Shape s = broadcast_shapes(a.shape(), b.shape());
  int64_t d = wrap_dim(dim, static_cast<int64_t>(s.size()));
  RB_CHECK(a.size(d) == 3 && b.size(d) == 3, Error, "linalg.cross: inputs dimension ", dim, " must have length 3. Got ",
           a.size(d), " and ", b.size(d));
  DType dt = result_type(a, b);
  Tensor x = expand(cast(a, dt), s), y = expand(cast(b, dt), s);
  auto c = [d](const Tensor& t, int64_t i) { return narrow(t, d, i, 1); };
  return cat({sub(mul(c(x, 1), c(y, 2)), mul(c(x, 2), c(y, 1))), sub(mul(c(x, 2), c(y, 0)), mul(c(x, 0), c(y, 2))),
              sub(mul(c(x, 0), c(y, 1)), mul(c(x, 1), c(y, 0)))},
             d);
}

// ---- the addmm family ----

Tensor addmm(const Tensor& input, const Tensor& mat1, const Tensor& mat2, Scalar beta, Scalar alpha) {
  RB_CHECK(mat1.dim() == 2, Error, "mat1 must be a matrix, got ", mat1.dim(), "-D tensor");
  RB_CHECK(mat2.dim() == 2, Error, "mat2 must be a matrix, got ", mat2.dim(), "-D tensor");
  // ATen's addmm of an empty mat1 (no columns) into a non-empty result multiplies nothing and scales the result by
  // beta in place: a floating beta (not 0) cannot be written into an integer result there (a product converts it).
  DType dt = promote(input.dtype(), promote(mat1.dtype(), mat2.dtype()));
  const bool scales_in_place = mat1.size(1) == 0 && mat1.size(0) > 0 && mat2.size(1) > 0;
  RB_CHECK(!scales_in_place || is_floating(dt) || beta.kind != Scalar::Kind::Float || beta.f == 0.0, Error,
           "result type Float can't be cast to the desired output type ", aten_name(dt));
  return beta_alpha(input, mm(mat1, mat2), beta, alpha, "addmm");
}

Tensor addmv(const Tensor& input, const Tensor& mat, const Tensor& vec, Scalar beta, Scalar alpha) {
  RB_CHECK(input.dim() <= 1 && mat.dim() == 2 && vec.dim() == 1, Error, "vector + matrix @ vector expected, got ",
           input.dim(), ", ", mat.dim(), ", ", vec.dim());
  RB_CHECK(mat.size(1) == vec.size(0) && (input.numel() == mat.size(0) || input.numel() == 1), Error,
           "size mismatch, got input (", input.numel(), "), mat (", mat.size(0), "x", mat.size(1), "), vec (",
           vec.size(0), ")");
  return beta_alpha(input, matmul(mat, vec), beta, alpha, "addmv");
}

Tensor addbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta, Scalar alpha) {
  RB_CHECK(batch1.dim() == 3, Error, "batch1 must be a 3D tensor");
  RB_CHECK(batch2.dim() == 3, Error, "batch2 must be a 3D tensor");
  Tensor p = bmm(batch1, batch2);  // summed in int64 for an integer dtype, then cast back as PyTorch's wraps
  return beta_alpha(input, cast(sum(p, {0}), p.dtype()), beta, alpha, "addbmm");
}

Tensor baddbmm(const Tensor& input, const Tensor& batch1, const Tensor& batch2, Scalar beta, Scalar alpha) {
  RB_CHECK(batch1.dim() == 3, Error, "batch1 must be a 3D tensor");
  RB_CHECK(batch2.dim() == 3, Error, "batch2 must be a 3D tensor");
  return beta_alpha(input, bmm(batch1, batch2), beta, alpha, "baddbmm");
}

Tensor addcmul(const Tensor& input, const Tensor& t1, const Tensor& t2, Scalar value) {
  DType dt = promote(promote(input.dtype(), t1.dtype()), t2.dtype());
  value = scalar_for(value, dt, compute_type(dt) == DType::Int64 ? dt : compute_type(dt));
  Tensor p = mul(t1, t2);
  return add(input, is_one(value) ? p : mul(p, value));
}

Tensor addcdiv(const Tensor& input, const Tensor& t1, const Tensor& t2, Scalar value) {
  RB_CHECK(is_floating(t1.dtype()) || is_floating(t2.dtype()), Error,
           "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true "
           "division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * "
           "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / "
           "tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value "
           "* tensor1 / tensor2), for all dtypes.");
  Tensor q = div(t1, t2);
  return add(input, is_one(value) ? q : mul(q, value));
}

namespace {
// cdist's gradient where ATen's kernels (DistanceOpsKernel.cpp) differ from the norm's, for a diff
// (..., P, R, M) and its distances (..., P, R). p = 0: zeros (zdist has no backward; _cdist_backward returns
// zeros). p = 1: g * sign(diff), nan where diff is (their vectorised sign; the norm's abs gives 0 there).
// p = inf (idist_calc::backward): the gradient goes whole (not shared out as amax's) to each coordinate whose
// |diff| equals the distance, signed by diff, written as ATen writes it,
// sign(diff) * (1 - min(1, ceil(| |diff| - dist |))), so it is nan where that is (a nan or infinite diff).
// Built from ops, so it differentiates again (to zero: sign and ceil are piecewise constant).
struct CdistBackward : Node {
  SavedTensor diff, dist;
  double p = 0;
  std::string name() const override { return "CdistBackward0"; }
  void release_saved() override { diff.reset(), dist.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor d = diff.unpack(*this);
    if (p == 0) return {zeros_like(d)};
    Tensor sign = unary(UnaryOp::Sign, d);
    if (p == 1) return {mul(unsqueeze(g[0], -1), where(isnan(d), d, sign))};
    Tensor off = unary(UnaryOp::Abs, sub(unary(UnaryOp::Abs, d), unsqueeze(dist.unpack(*this), -1)));
    Tensor tie = binary(BinaryOp::Sub, 1.0, binary(BinaryOp::Minimum, rounding(RoundOp::Ceil, off), Scalar(1.0)));
    return {mul(mul(unsqueeze(g[0], -1), sign), tie)};
  }
};

// The distances for p = 0, 1 or inf with CdistBackward's gradient. p = 0 as ATen's zdist_calc, the sum of
// min(ceil(|diff|), 1): nan where a diff is. p = inf as ATen's cdist loop: the largest |diff| of a pair that is
// not nan (the running max starts at 0 and std::max keeps it where a coordinate is nan), 0 for vectors of no
// coordinates.
Tensor cdist_by_kernel_rule(const Tensor& diff, double p) {
  Tensor out;
  {
    NoGradGuard ng;
    Shape s(diff.shape().begin(), diff.shape().end() - 1);
    Tensor a = unary(UnaryOp::Abs, diff);
    out = p == 0               ? sum(binary(BinaryOp::Minimum, rounding(RoundOp::Ceil, a), Scalar(1.0)), {-1})
          : p == 1             ? linalg_vector_norm(diff, p, {-1}, false)
          : diff.size(-1) == 0 ? zeros(s, diff.dtype(), diff.device())
                               : amax(masked_fill(a, isnan(a), Scalar(0.0)), {-1});
  }
  if (needs_grad(diff)) {
    auto node = std::make_shared<CdistBackward>();
    node->diff = SavedTensor(diff), node->p = p;
    if (std::isinf(p)) node->dist = SavedTensor::output(out);
    record(node, {&diff}, {&out});
  }
  return out;
}

// The matrix-product path's gradient as ATen's EuclideanDistBackward0 (_euclidean_dist_backward): with
// ratio = g / dist (0 where dist is 0), dx1 = x1 * ratio.sum(-1) - ratio @ x2 and dx2 = x2 * ratio.sum(-2) -
// ratio^T @ x1. Autograd through the composite would differ where a value is not finite: the clamp's and the
// root's gradients give 0 or inf per pair where this formula spreads nan through the products with x1 and x2.
// x1: (..., P, M), x2: (..., R, M) broadcast to the same batch, dist: (..., P, R). Built from ops, so it
// differentiates again as ATen's does.
struct EuclideanDistBackward : Node {
  SavedTensor x1, x2, dist;
  std::string name() const override { return "EuclideanDistBackward0"; }
  void release_saved() override { x1.reset(), x2.reset(), dist.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor a = x1.unpack(*this), b = x2.unpack(*this), d = dist.unpack(*this);
    Tensor ratio = masked_fill(div(g[0], d), binary(BinaryOp::Eq, d.detach(), Scalar(0.0)), Scalar(0.0));
    return {sub(mul(a, sum(ratio, {-1}, true)), matmul(ratio, b)),
            sub(mul(b, unsqueeze(sum(ratio, {-2}), -1)), matmul(transpose(ratio, -1, -2), a))};
  }
};

// ||a||^2 + ||b||^2 - 2 a.b, clamped at 1e-30 before the root as ATen's _euclidean_dist; no columns give zeros
// of x1's dtype (ATen's cdist_impl returns them before the product).
Tensor euclidean_dist(const Tensor& x1, const Tensor& x2) {
  Shape batch = broadcast_shapes(Shape(x1.shape().begin(), x1.shape().end() - 2),
                                 Shape(x2.shape().begin(), x2.shape().end() - 2));
  auto with_batch = [&batch](const Tensor& t) {
    Shape s = batch;
    s.push_back(t.size(-2)), s.push_back(t.size(-1));
    return expand(t, s);
  };
  Tensor a = with_batch(x1), b = with_batch(x2);
  Tensor out;
  {
    NoGradGuard ng;
    if (a.size(-1) == 0) {
      Shape s = batch;
      s.push_back(a.size(-2)), s.push_back(b.size(-2));
      out = zeros(s, a.dtype(), a.device());
    } else {
      Tensor n1 = sum(mul(a, a), {-1}, true), n2 = unsqueeze(sum(mul(b, b), {-1}), -2);
      Tensor d2 = add(sub(n1, mul(matmul(a, transpose(b, -1, -2)), Scalar(2.0))), n2);
      out = unary(UnaryOp::Sqrt, clamp(d2, Scalar(1e-30), std::nullopt));
    }
  }
  if (needs_grad(a, b)) {
    auto node = std::make_shared<EuclideanDistBackward>();
    node->x1 = SavedTensor(a), node->x2 = SavedTensor(b), node->dist = SavedTensor::output(out);
    record(node, {&a, &b}, {&out});
  }
  return out;
}
}  // namespace

Tensor cdist(const Tensor& x1, const Tensor& x2, double p, const std::string& compute_mode) {
  RB_CHECK(compute_mode == "use_mm_for_euclid_dist_if_necessary" || compute_mode == "use_mm_for_euclid_dist" ||
               compute_mode == "donot_use_mm_for_euclid_dist",
           ValueError, compute_mode, " is not a valid value for compute_mode");
  RB_CHECK(x1.dim() >= 2, Error, "cdist only supports at least 2D tensors, X1 got: ", x1.dim(), "D");
  RB_CHECK(x2.dim() >= 2, Error, "cdist only supports at least 2D tensors, X2 got: ", x2.dim(), "D");
  RB_CHECK(is_floating(x1.dtype()), Error,
           "cdist only supports floating-point dtypes, X1 got: ", aten_name(x1.dtype()));
  RB_CHECK(is_floating(x2.dtype()), Error,
           "cdist only supports floating-point dtypes, X2 got: ", aten_name(x2.dtype()));
  RB_CHECK(x1.size(-1) == x2.size(-1), Error, "X1 and X2 must have the same number of columns. X1: ", x1.size(-1),
           " X2: ", x2.size(-1));
  RB_CHECK(p >= 0, Error, "cdist only supports non-negative p values");
  check_same_device(x1, x2, "cdist");
  const int64_t P = x1.size(-2), R = x2.size(-2);
  bool use_mm = p == 2 && (compute_mode == "use_mm_for_euclid_dist" ||
                           (compute_mode == "use_mm_for_euclid_dist_if_necessary" && (P > 25 || R > 25)));
  if (use_mm) return euclidean_dist(x1, x2);
  Tensor diff = sub(unsqueeze(x1, -2), unsqueeze(x2, -3));  // (..., P, R, M)
  if (p == 0 || p == 1 || std::isinf(p)) return cdist_by_kernel_rule(diff, p);
  return linalg_vector_norm(diff, p, {-1}, false);
}

// ---- pointwise ----

Tensor logaddexp(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);  // PyTorch has no integer kernel (a float operand makes the pair float)
  RB_CHECK(is_floating(dt), NotImplementedError, "\"logaddexp_cpu\" not implemented for '", aten_name(dt), "'");
  Tensor x = float_of(a), y = float_of(b);
  Tensor m = binary(BinaryOp::Maximum, x, y);
  Tensor out = add(m, math(MathOp::Log1p, exp(unary(UnaryOp::Neg, unary(UnaryOp::Abs, sub(x, y))))));
  // Equal infinities: inf - inf is nan, and the answer is the infinity itself.
  Tensor same_inf = logical(LogicalOp::And, classify(FloatClass::IsInf, m), binary(BinaryOp::Eq, x, y));
  return where(same_inf, m, out);
}

Tensor logaddexp2(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);  // PyTorch has no integer kernel (a float operand makes the pair float)
  RB_CHECK(is_floating(dt), NotImplementedError, "\"logaddexp2_cpu\" not implemented for '", aten_name(dt), "'");
  Tensor x = float_of(a), y = float_of(b);
  Tensor m = binary(BinaryOp::Maximum, x, y);
  Tensor t = math(MathOp::Log1p, math(MathOp::Exp2, unary(UnaryOp::Neg, unary(UnaryOp::Abs, sub(x, y)))));
  Tensor out = add(m, mul(t, Scalar(1.0 / std::log(2.0))));
  Tensor same_inf = logical(LogicalOp::And, classify(FloatClass::IsInf, m), binary(BinaryOp::Eq, x, y));
  return where(same_inf, m, out);
}

Tensor hypot(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  RB_CHECK(is_floating(dt), Error, "\"hypot_cpu\" not implemented for '", aten_name(dt), "'");
  return unary(UnaryOp::Sqrt, add(mul(a, a), mul(b, b)));
}

Tensor signbit(const Tensor& x) {
  if (x.dtype() == DType::Bool) return zeros(x.shape(), DType::Bool, x.device());
  Tensor neg = binary(BinaryOp::Lt, x, Scalar(0));
  if (!is_floating(x.dtype())) return neg;
  // -0.0 has its sign bit set: 1 / -0.0 is -inf.
  Tensor negzero = logical(LogicalOp::And, binary(BinaryOp::Eq, x, Scalar(0.0)),
                           binary(BinaryOp::Lt, reciprocal(x.detach()), Scalar(0.0)));
  return logical(LogicalOp::Or, neg, negzero);
}

Tensor copysign(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  if (!is_floating(dt)) dt = DType::Float32;
  Tensor m = unary(UnaryOp::Abs, cast(a, dt));
  Shape s = broadcast_shapes(a.shape(), b.shape());
  return where(expand(signbit(b.detach()), s), unary(UnaryOp::Neg, m), m);
}

namespace {
// PyTorch's xlogy derivatives (derivatives.yaml): d/dx = xlogy(g, y), 0 where x == 0 and y <= 0, so at x == 0 and
// y > 0 it is g * log(y) (the value's mask would give those points a zero gradient); d/dy = g * x / y, nan at
// x == y == 0. Built from ops, so it differentiates again.
struct XlogyBackward : Node {
  SavedTensor x, y;
  std::string name() const override { return "XlogyBackward0"; }
  void release_saved() override { x.reset(), y.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor xv = x.unpack(*this), yv = y.unpack(*this);
    Tensor dead = logical(LogicalOp::And, binary(BinaryOp::Eq, xv.detach(), Scalar(0.0)),
                          binary(BinaryOp::Le, yv.detach(), Scalar(0.0)));
    Tensor dx = masked_fill(xlogy(g[0], yv), dead, Scalar(0.0));
    return {sum_to(dx, xv.shape()), sum_to(div(mul(g[0], xv), yv), yv.shape())};
  }
};
}  // namespace

Tensor xlogy(const Tensor& x, const Tensor& y) {
  Tensor yf = float_of(y);
  Tensor out;
  {
    NoGradGuard ng;
    out = mul(x, log(yf));
    // 0 * log(y) is 0 for every y but nan.
    Tensor zero = logical(LogicalOp::And, binary(BinaryOp::Eq, x, Scalar(0)), logical_not(isnan(yf)));
    out = masked_fill(out, zero, Scalar(0.0));
  }
  if (needs_grad(x, yf)) {
    auto node = std::make_shared<XlogyBackward>();
    node->x = SavedTensor(x), node->y = SavedTensor(yf);
    record(node, {&x, &yf}, {&out});
  }
  return out;
}

namespace {
// PyTorch's entr derivative, -(1 + log x), everywhere: inf at 0 and nan below 0, as derivatives.yaml has it
// (the value's masks would give those points a zero gradient). Built from ops, so it differentiates again.
struct SpecialEntrBackward : Node {
  SavedTensor x;
  std::string name() const override { return "SpecialEntrBackward0"; }
  void release_saved() override { x.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    return {mul(g[0], unary(UnaryOp::Neg, add(log(x.unpack(*this)), Scalar(1.0))))};
  }
};
}  // namespace

Tensor special_entr(const Tensor& x) {
  Tensor xf = float_of(x);
  Tensor out;
  {
    NoGradGuard ng;
    Tensor pos = binary(BinaryOp::Gt, xf, Scalar(0.0));
    Tensor safe = where(pos, xf, ones_like(xf));
    out = where(pos, unary(UnaryOp::Neg, mul(safe, log(safe))), zeros_like(xf));
    out = masked_fill(out, binary(BinaryOp::Lt, xf, Scalar(0.0)), Scalar(-std::numeric_limits<double>::infinity()));
    out = masked_fill(out, isnan(xf), Scalar(std::numeric_limits<double>::quiet_NaN()));
  }
  if (needs_grad(xf)) {
    auto node = std::make_shared<SpecialEntrBackward>();
    node->x = SavedTensor(xf);
    record(node, {&xf}, {&out});
  }
  return out;
}

Tensor sinc(const Tensor& x) {
  Tensor xf = float_of(x);
  Tensor zero = binary(BinaryOp::Eq, xf.detach(), Scalar(0.0));
  Tensor px = mul(masked_fill(xf, zero, Scalar(1.0)), Scalar(M_PI));
  return masked_fill(div(math(MathOp::Sin, px), px), zero, Scalar(1.0));
}

Tensor heaviside(const Tensor& x, const Tensor& values) {
  RB_CHECK(x.dtype() == values.dtype(), Error, "heaviside is not yet implemented for tensors with different dtypes");
  Tensor xd = x.detach(), vd = values.detach();
  Tensor step = cast(binary(BinaryOp::Gt, xd, Scalar(0)), x.dtype());
  Shape s = broadcast_shapes(x.shape(), values.shape());
  return where(binary(BinaryOp::Eq, expand(xd, s), Scalar(0)), expand(vd, s), expand(step, s));
}

Tensor nan_to_num(const Tensor& x, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  if (!is_floating(x.dtype())) return clone(x);
  double big = x.dtype() == DType::Float64    ? std::numeric_limits<double>::max()
               : x.dtype() == DType::Float16  ? 65504.0
               : x.dtype() == DType::BFloat16 ? 3.3895313892515355e38
                                              : static_cast<double>(std::numeric_limits<float>::max());
  Tensor xd = x.detach();
  const double inf = std::numeric_limits<double>::infinity();
  Tensor out = masked_fill(x, isnan(xd), Scalar(nan.value_or(0.0)));
  out = masked_fill(out, binary(BinaryOp::Eq, xd, Scalar(inf)), Scalar(posinf.value_or(big)));
  return masked_fill(out, binary(BinaryOp::Eq, xd, Scalar(-inf)), Scalar(neginf.value_or(-big)));
}

Tensor gcd(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  RB_CHECK(!is_floating(dt) && dt != DType::Bool, Error, "\"gcd_cpu\" not implemented for '", aten_name(dt), "'");
  NoGradGuard no_grad;
  Shape s = broadcast_shapes(a.shape(), b.shape());
  Tensor x = clone(expand(unary(UnaryOp::Abs, cast(a, DType::Int64)), s));
  Tensor y = clone(expand(unary(UnaryOp::Abs, cast(b, DType::Int64)), s));
  // Euclid's algorithm on every element at once; at most ~92 rounds for int64.
  while (any(binary(BinaryOp::Ne, y, Scalar(0))).item<int64_t>() != 0) {
    Tensor nz = binary(BinaryOp::Ne, y, Scalar(0));
    Tensor r = remainder(x, masked_fill(y, logical_not(nz), Scalar(1)));
    x = where(nz, y, x);
    y = where(nz, r, y);
  }
  return cast(x, dt);
}

Tensor lcm(const Tensor& a, const Tensor& b) {
  DType dt = result_type(a, b);
  RB_CHECK(!is_floating(dt) && dt != DType::Bool, Error, "\"lcm_cpu\" not implemented for '", aten_name(dt), "'");
  NoGradGuard no_grad;
  Tensor g = gcd(a, b);
  Tensor ai = unary(UnaryOp::Abs, cast(a, DType::Int64)), bi = unary(UnaryOp::Abs, cast(b, DType::Int64));
  Tensor q = floor_divide(ai, masked_fill(cast(g, DType::Int64), binary(BinaryOp::Eq, g, Scalar(0)), Scalar(1)));
  return cast(mul(q, bi), dt);
}

// ---- reductions ----

Tensor count_nonzero(const Tensor& x, const Dims& dims) {
  return sum(binary(BinaryOp::Ne, x.detach(), Scalar(0)), dims, false, DType::Int64);
}

Tensor nansum(const Tensor& x, const Dims& dims, bool keepdim, std::optional<DType> dtype) {
  if (!is_floating(x.dtype())) return sum(x, dims, keepdim, dtype);
  return sum(masked_fill(x, isnan(x.detach()), Scalar(0.0)), dims, keepdim, dtype);
}

Tensor nanmean(const Tensor& x, const Dims& dims, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error, "nanmean(): expected input to have floating point or complex dtype but got ",
           aten_name(x.dtype()));
  Tensor not_nan = logical_not(isnan(x.detach()));
  return div(nansum(x, dims, keepdim), sum(not_nan, dims, keepdim, x.dtype()));
}

std::pair<Tensor, Tensor> var_mean(const Tensor& x, const Dims& dims, double correction, bool keepdim) {
  return {var(x, dims, correction, keepdim), mean(x, dims, keepdim)};
}

std::pair<Tensor, Tensor> std_mean(const Tensor& x, const Dims& dims, double correction, bool keepdim) {
  return {stddev(x, dims, correction, keepdim), mean(x, dims, keepdim)};
}

std::pair<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  if (!dim) {
    RB_CHECK(x.numel() > 0, Error,
             "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
    if (keepdim) {
      Dims d = all_dims(x);
      return {amin(x, d, true), amax(x, d, true)};
    }
    return {amin(x), amax(x)};
  }
  int64_t d = x.dim() == 0 ? 0 : wrap_dim(*dim, x.dim());
  RB_CHECK(x.dim() == 0 || x.size(d) > 0, IndexError, "aminmax(): Expected reduction dim ", *dim,
           " to have non-zero size.");
  if (x.dim() == 0) return {clone(x), clone(x)};
  return {amin(x, {d}, keepdim), amax(x, {d}, keepdim)};
}

Tensor renorm(const Tensor& x, double p, int64_t dim, double maxnorm) {
  RB_CHECK(p > 0, Error, "renorm: non-positive-norm not supported");
  RB_CHECK(maxnorm >= 0, Error, "renorm: expected maxnorm to be >= 0 but got ", maxnorm);
  RB_CHECK(x.dim() > 1, Error, "renorm: input needs at least 2 dimensions, got ", x.dim(), " dimensions");
  int64_t d = wrap_dim(dim, x.dim());
  Dims others;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (i != d) others.push_back(i);
  Tensor n = linalg_vector_norm(x, p, others, true);
  // ATen: maxnorm / (norm + 1e-7) where the norm exceeds maxnorm, 1 elsewhere.
  Tensor factor = div(full({}, Scalar(maxnorm), x.dtype(), x.device()), add(n, Scalar(1e-7)));
  factor = where(binary(BinaryOp::Gt, n, Scalar(maxnorm)), factor, ones_like(n));
  return mul(x, factor);
}

Tensor local_response_norm(const Tensor& x, int64_t size, double alpha, double beta, double k) {
  RB_CHECK(x.dim() >= 3, ValueError, "Expected 3D or higher dimensionality input (got ", x.dim(), " dimensions)");
  RB_CHECK(size > 0, Error, "local_response_norm: size must be positive, got ", size);
  if (x.numel() == 0) return x;
  // The channel window's sum: x^2 zero-padded along dim 1, then `size` shifted slices added in window order
  // (avg_pool's order), so every op has a known gradient and create_graph works.
  std::vector<int64_t> pad(2 * static_cast<size_t>(x.dim() - 1), 0);  // last dim first, as F.pad
  pad[pad.size() - 2] = size / 2, pad[pad.size() - 1] = (size - 1) / 2;
  const Tensor sq = constant_pad_nd(mul(x, x), pad, 0.0);
  const int64_t C = x.size(1);
  Tensor window = narrow(sq, 1, 0, C);
  for (int64_t j = 1; j < size; ++j) window = add(window, narrow(sq, 1, j, C));
  Tensor div = binary(BinaryOp::Div, window, Scalar(static_cast<double>(size)));  // count_include_pad
  div = binary(BinaryOp::Pow, add(mul(div, Scalar(alpha)), Scalar(k)), Scalar(beta));
  return binary(BinaryOp::Div, x, div);
}

}  // namespace rb
