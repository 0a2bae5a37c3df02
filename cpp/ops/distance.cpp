// Cosine similarity, pairwise distance and normalization, built from differentiable primitives
// (DESIGN: a composite op gets every order of gradient from its parts), with PyTorch's checks.
#include "rosenblatt/ops.h"
#include "rosenblatt/ops/composite.h"

#include <cmath>
#include <limits>

#include "op_common.h"

namespace rb {
namespace {

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
  Tensor na = clamp_value_only(linalg_vector_norm(a, 2, d, true), eps);
  Tensor nb = clamp_value_only(linalg_vector_norm(b, 2, d, true), eps);
  return sum(mul(div(a, na), div(b, nb)), d);
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  check_same_device(x1, x2, "pairwise_distance");
  const int64_t out_dim = std::max(x1.dim(), x2.dim());
  Tensor diff = add(sub(x1, x2), Scalar(eps));  // integer inputs become float here, as in PyTorch
  // A 0-d pair is its own one-element vector.
  return linalg_vector_norm(diff, p, out_dim == 0 ? Dims{} : Dims{out_dim - 1}, keepdim);
}

Tensor normalize(const Tensor& x, double p, int64_t dim, double eps) {
  Tensor n = linalg_vector_norm(x, p, {wrap_dim(dim, x.dim())}, true);
  return div(x, clamp(n, Scalar(eps), std::nullopt));
}

}  // namespace rb
