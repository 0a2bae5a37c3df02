// Cosine similarity, pairwise distance and normalization, built from differentiable primitives
// (DESIGN: a composite op gets every order of gradient from its parts), with PyTorch's checks.
#include "rosenblatt/ops.h"

#include <cmath>
#include <limits>

#include "op_common.h"

namespace rb {
namespace {

// f(s) where s != 0, and 0 (with a zero gradient) where s == 0: PyTorch's norm backward gives a zero
// norm a zero gradient. f only ever sees the safe value 1 there, so no 0 * inf reaches the gradient.
template <class F>
Tensor where_nonzero(const Tensor& s, F f) {
  Tensor zero = binary(BinaryOp::Eq, s, Scalar(0.0));
  return masked_fill(f(masked_fill(s, zero, Scalar(1.0))), zero, Scalar(0.0));
}

// The p-norm over dims (linalg.vector_norm): 0 counts non-zeros, +-inf is the max / min of |x|.
Tensor vector_norm(const Tensor& x, double p, const Dims& dims, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error,
           "linalg.vector_norm: Expected a floating point or complex tensor as input. Got ",
           x.dtype() == DType::Int64 ? "Long" : "Bool");
  if (p == 2)
    return where_nonzero(sum(mul(x, x), dims, keepdim), [](const Tensor& s) { return unary(UnaryOp::Sqrt, s); });
  if (p == 1) return sum(unary(UnaryOp::Abs, x), dims, keepdim);
  if (std::isinf(p))
    return p > 0 ? amax(unary(UnaryOp::Abs, x), dims, keepdim) : amin(unary(UnaryOp::Abs, x), dims, keepdim);
  if (p == 0) return sum(to_dtype(binary(BinaryOp::Ne, x.detach(), Scalar(0.0)), x.dtype()), dims, keepdim);
  Tensor s = sum(binary(BinaryOp::Pow, unary(UnaryOp::Abs, x), Scalar(p)), dims, keepdim);
  return where_nonzero(s, [p](const Tensor& v) { return binary(BinaryOp::Pow, v, Scalar(1.0 / p)); });
}

// max(n, eps) in value, n in gradient: PyTorch clamps the norm in place under no_grad.
Tensor clamp_value_only(const Tensor& n, double eps) {
  Tensor nd = n.detach();
  return add(n, sub(clamp(nd, Scalar(eps), std::nullopt), nd));
}

}  // namespace

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  DType dt = result_type(x1, x2);
  RB_CHECK(is_floating(dt), Error, "expected common dtype to be floating point, yet common dtype is ",
           dt == DType::Int64 ? "Long" : "Bool");
  check_same_device(x1, x2, "cosine_similarity");
  Tensor a = to_dtype(x1, dt), b = to_dtype(x2, dt);
  if (a.shape() != b.shape()) {
    Shape s = broadcast_shapes(a.shape(), b.shape());
    a = expand(a, s), b = expand(b, s);
  }
  const Dims d{wrap_dim(dim, a.dim())};
  // Each vector divided by its norm first, as PyTorch: the result stays within [-1, 1].
  Tensor na = clamp_value_only(vector_norm(a, 2, d, true), eps);
  Tensor nb = clamp_value_only(vector_norm(b, 2, d, true), eps);
  return sum(mul(div(a, na), div(b, nb)), d);
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  check_same_device(x1, x2, "pairwise_distance");
  const int64_t out_dim = std::max(x1.dim(), x2.dim());
  Tensor diff = add(sub(x1, x2), Scalar(eps));  // integer inputs become float here, as in PyTorch
  // A 0-d pair is its own one-element vector.
  return vector_norm(diff, p, out_dim == 0 ? Dims{} : Dims{out_dim - 1}, keepdim);
}

Tensor normalize(const Tensor& x, double p, int64_t dim, double eps) {
  Tensor n = vector_norm(x, p, {wrap_dim(dim, x.dim())}, true);
  return div(x, clamp(n, Scalar(eps), std::nullopt));
}

}  // namespace rb
