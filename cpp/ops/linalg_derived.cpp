// torch.linalg functions built on the factorization primitives (linalg_decomp.cpp): solve with PyTorch's
// broadcasting rules, inv, logdet, the determinant's backward, pinv, matrix_rank and the SVD matrix norms.
// Composites of differentiable ops, so their gradients come from the primitives' nodes.
#include <cmath>

#include "linalg_common.h"

namespace rb {
using linalg::mT;

namespace {

const char* kSingularSolve = "The solver failed because the input matrix is singular.";

Tensor eye_like(const Tensor& A) {
  int64_t n = A.size(-1);
  return expand(eye(n, n, A.dtype(), A.device()), A.shape());
}

// g[..., None, None] * x
Tensor scale_matrices(const Tensor& g, const Tensor& x) { return mul(unsqueeze(unsqueeze(g, -1), -1), x); }

// The product of all the other entries along the last dim, without dividing (zeros allowed).
Tensor prod_of_others(const Tensor& s) {
  int64_t k = s.size(-1);
  Tensor one = ones_like(narrow(s, -1, 0, 1));
  Tensor before = cumprod(cat({one, narrow(s, -1, 0, k - 1)}, -1), -1);
  Tensor after = flip(cumprod(flip(cat({narrow(s, -1, 1, k - 1), one}, -1), {-1}), -1), {-1});
  return mul(before, after);
}

// The cut-off below which singular (or eigen) values count as zero: max(atol, rtol * largest), (..., 1).
Tensor tolerance(const std::optional<Tensor>& atol, const std::optional<Tensor>& rtol, const Tensor& largest, int64_t m,
                 int64_t n) {
  NoGradGuard ng;
  DType dt = largest.dtype();
  Tensor def = scalar_tensor(linalg::eps_of(dt) * std::max(m, n), dt, largest.device());
  Tensor zero = scalar_tensor(0.0, dt, largest.device());
  auto col = [&](const Tensor& t) { return unsqueeze(cast(t.detach(), dt), -1); };
  Tensor r = rtol ? col(*rtol) : atol ? where(binary(BinaryOp::Gt, col(*atol), zero), zero, def) : def;
  Tensor a = atol ? col(*atol) : zero;
  return binary(BinaryOp::Maximum, a, mul(r, largest.detach()));
}

Tensor keep_mask(const Tensor& mag, const Tensor& tol) { return binary(BinaryOp::Gt, mag.detach(), tol); }

// right diag(1 / s) left^T over the kept values: the pseudo-inverse of left diag(s) right^T. The reciprocal
// is of a masked 1 where a value is dropped, so its gradient stays finite where s is 0.
Tensor pinv_of(const Tensor& s, const Tensor& left, const Tensor& right, const Tensor& keep) {
  Tensor inv = where(keep, reciprocal(where(keep, s, ones_like(s))), zeros_like(s));
  return matmul(mul(right, unsqueeze(inv, -2)), mT(left));
}

}  // namespace

std::pair<Tensor, Tensor> linalg_solve_ex(const Tensor& A, const Tensor& B, bool left, bool check_errors) {
  const char* op = "linalg.solve";
  linalg::check_square(A, op, "A", /*low_precision_ok=*/true);
  RB_CHECK(A.dtype() == B.dtype(), Error, op, ": Expected A and B to have the same dtype, but found A of type ",
           aten_name(A.dtype()), " and B of type ", aten_name(B.dtype()), " instead");
  check_same_device(A, B, op);
  // B is a (batch of) vector(s) when it is 1-D or has A's shape without its last dim, as in PyTorch.
  Shape a_rows(A.shape().begin(), A.shape().end() - 1);
  bool vector = B.dim() == 1 || (B.dim() == A.dim() - 1 && B.shape() == a_rows);
  RB_CHECK(left || !vector, Error,
           "linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this case "
           "linalg.solve is equivalent to B / A.squeeze(-1)");
  Tensor b = vector ? unsqueeze(B, -1) : B;
  int64_t n = A.size(-1);
  RB_CHECK(b.dim() >= 2 && (left ? b.size(-2) : b.size(-1)) == n, Error, op,
           ": Incompatible shapes of A and B for the equation ", left ? "AX = B" : "XA = B", " (", n, "x", n, " and ",
           b.dim() >= 2 ? b.size(-2) : 0, "x", b.size(-1), ")");
  Tensor a = left ? A : mT(A);  // X A = B  <=>  A^T X^T = B^T
  if (!left) b = mT(b);
  Shape batch = broadcast_shapes(linalg::batch_shape(a), linalg::batch_shape(b));
  a = expand(a, linalg::with_matrix(batch, n, n));
  b = expand(b, linalg::with_matrix(batch, n, b.size(-1)));
  const DType dt = a.dtype();
  if (!is_compute_dtype(dt)) {
    // float16/bfloat16: ATen's LU has no kernel for them, and an empty A returns its empty result before it.
    RB_CHECK(a.numel() == 0, NotImplementedError, "\"lu_cpu\" not implemented for '", aten_name(dt), "'");
    a = widen(a), b = widen(b);
  }
  auto [X, info] = linalg::solve(a, b);
  X = cast(X, dt);
  if (check_errors)
    linalg::raise_on_info(info, a, "torch.linalg.solve", [](int32_t) { return std::string(kSingularSolve); });
  if (!left) X = mT(X);
  if (vector) X = squeeze(X, std::vector<int64_t>{-1});
  return {X, info};
}

Tensor linalg_solve(const Tensor& A, const Tensor& B, bool left) { return linalg_solve_ex(A, B, left, true).first; }

std::pair<Tensor, Tensor> linalg_inv_ex(const Tensor& A, bool check_errors) {
  const char* op = "linalg.inv";
  linalg::check_square(A, op);
  auto [X, info] = linalg::solve(A, eye_like(A));
  if (check_errors)
    linalg::raise_on_info(info, A, op, [](int32_t i) {
      return str("The diagonal element ", i,
                 " is zero, the inversion could not be completed because the input matrix is singular.");
    });
  return {X, info};
}

Tensor linalg_inv(const Tensor& A) { return linalg_inv_ex(A, true).first; }

Tensor linalg::det_backward(const Tensor& g, const Tensor& det, const Tensor& A) {
  // Invertible A: gA = g det A^-T (a solve). Singular A: the cofactor matrix from the SVD,
  // U diag(prod_{j != i} s_j) Vh det(U) det(Vh), which needs no division (PyTorch's singular case).
  auto invertible = [&](const Tensor& a) { return solve(mT(a), scale_matrices(mul(g, det), eye_like(a))).first; };
  Tensor singular;
  {
    NoGradGuard ng;
    singular = binary(BinaryOp::Eq, det.detach(), Scalar(0.0));
    if (!any(singular).item<bool>()) singular = Tensor();
  }
  if (!singular.defined()) return invertible(A);
  auto [U, S, Vh] = linalg::svd(A, false, true, "linalg.det");
  Tensor D = mul(unsqueeze(mul(g, mul(linalg_det(U), linalg_det(Vh))), -1), prod_of_others(S));
  Tensor cofactor = matmul(mul(U, unsqueeze(D, -2)), Vh);
  Tensor mask = unsqueeze(unsqueeze(singular, -1), -1);
  return where(mask, cofactor, invertible(where(mask, eye_like(A), A)));
}

Tensor logdet(const Tensor& A) {
  linalg::check_square(A, "logdet");
  auto [sign, logabs] = linalg_slogdet(A);
  Tensor nan = scalar_tensor(NAN, A.dtype(), A.device());
  return where(binary(BinaryOp::Lt, sign, Scalar(0.0)), nan, logabs);
}

Tensor linalg_cholesky(const Tensor& A, bool upper) { return linalg_cholesky_ex(A, upper, true).first; }

std::tuple<Tensor, Tensor, Tensor> linalg_svd(const Tensor& A, bool full_matrices) {
  linalg::check_matrix(A, "linalg.svd", "A", /*low_precision_ok=*/true);
  if (linalg::low_precision_empty(A, "linalg_svd_cpu")) {
    auto [U, S, Vh] = linalg_svd(widen(A), full_matrices);
    return {cast(U, A.dtype()), cast(S, A.dtype()), cast(Vh, A.dtype())};
  }
  return linalg::svd(A, full_matrices, true, "linalg.svd");
}

Tensor linalg_svdvals(const Tensor& A) {
  linalg::check_matrix(A, "linalg.svd", "A", /*low_precision_ok=*/true);
  if (linalg::low_precision_empty(A, "linalg_svd_cpu")) return cast(linalg_svdvals(widen(A)), A.dtype());
  // With a gradient to compute, the vectors are needed anyway (gA = U diag(gS) Vh).
  return std::get<1>(linalg::svd(A, false, needs_grad(A), "linalg.svd"));
}

std::pair<Tensor, Tensor> linalg_eigh(const Tensor& A, const std::string& UPLO) {
  return linalg::eigh(A, UPLO, true, "linalg.eigh");
}

Tensor linalg_eigvalsh(const Tensor& A, const std::string& UPLO) {
  return linalg::eigh(A, UPLO, needs_grad(A), "linalg.eigh").first;
}

Tensor linalg_pinv(const Tensor& A, const std::optional<Tensor>& atol, const std::optional<Tensor>& rtol,
                   bool hermitian) {
  RB_CHECK(A.dim() >= 2 && (A.dtype() == DType::Float32 || A.dtype() == DType::Float64), Error, "linalg.pinv(",
           aten_name(A.dtype()), "{", A.shape(),
           "}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types");
  int64_t m = A.size(-2), n = A.size(-1);
  if (A.numel() == 0)
    return add(zeros(linalg::with_matrix(linalg::batch_shape(A), n, m), A.dtype(), A.device()),
               mul(sum(A), Scalar(0.0)));  // keeps the graph: an empty A still gets a (zero) gradient
  // A^+ = V diag(1 / s) U^T over the singular values above the tolerance (eigen: |values|, U = V).
  Tensor s, left, right;  // A = left diag(s) right^T
  if (hermitian) {
    auto [L, V] = linalg::eigh(A, "L", true, "linalg.pinv");
    s = L, left = V, right = V;
  } else {
    auto [U, S, Vh] = linalg::svd(A, false, true, "linalg.pinv");
    s = S, left = U, right = mT(Vh);
  }
  Tensor mag = hermitian ? unary(UnaryOp::Abs, s) : s;
  return pinv_of(s, left, right, keep_mask(mag, tolerance(atol, rtol, amax(mag.detach(), {-1}, true), m, n)));
}

Tensor linalg_matrix_rank(const Tensor& A, const std::optional<Tensor>& atol, const std::optional<Tensor>& rtol,
                          bool hermitian) {
  RB_CHECK(A.dim() >= 2, Error, "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.");
  // ATen's default rtol (eps * max(m, n)) has no float16/bfloat16 (nor integer) epsilon, checked before the SVD;
  // with rtol given, the SVD's kernel refuses a non-empty low-precision A and an empty one has rank 0.
  RB_CHECK(rtol.has_value() || A.dtype() == DType::Float32 || A.dtype() == DType::Float64, Error,
           "This function doesn't handle types other than float and double");
  // An empty A has rank 0 before any factorization checks it (a non-square one with hermitian=True, an integer one).
  if (A.numel() == 0) return zeros(linalg::batch_shape(A), DType::Int64, A.device());
  NoGradGuard ng;  // an integer result: nothing to differentiate
  Tensor s = hermitian ? unary(UnaryOp::Abs, linalg_eigvalsh(A)) : linalg_svdvals(A);
  Tensor tol = tolerance(atol, rtol, amax(s, {-1}, true), A.size(-2), A.size(-1));
  return sum(binary(BinaryOp::Gt, s, tol), {-1}, false, DType::Int64);
}

LstsqResult linalg_lstsq(const Tensor& A, const Tensor& B, std::optional<double> rcond, const std::string& driver) {
  const char* op = "torch.linalg.lstsq";
  RB_CHECK(driver == "gels" || driver == "gelsy" || driver == "gelsd" || driver == "gelss", Error, op,
           ": parameter `driver` should be one of (gels, gelsy, gelsd, gelss)");
  linalg::check_matrix(A, "linalg.lstsq");
  RB_CHECK(A.dtype() == B.dtype(), Error, op,
           ": Expected input and other to have the same dtype, but got input's "
           "dtype ",
           aten_name(A.dtype()), " and other's dtype ", aten_name(B.dtype()));
  check_same_device(A, B, op);
  RB_CHECK(A.dim() >= B.dim() && A.dim() - B.dim() <= 1, Error, op,
           ": input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1");
  bool vector = B.dim() == A.dim() - 1;  // B (*, m): a batch of vectors
  Tensor b = vector ? unsqueeze(B, -1) : B;
  RB_CHECK(b.dim() >= 2 && b.size(-2) == A.size(-2), Error, op, ": input.size(-2) should match other.size(-2)");
  int64_t m = A.size(-2), n = A.size(-1);
  auto [U, S, Vh] = linalg::svd(A, false, true, "linalg.lstsq");
  DType dt = A.dtype();
  double r = !rcond ? linalg::eps_of(dt) * std::max(m, n) : *rcond < 0 ? linalg::eps_of(dt) : *rcond;
  Tensor keep, empty = zeros({0}, dt, A.device());
  {
    NoGradGuard ng;
    Tensor largest = S.size(-1) ? narrow(S.detach(), -1, 0, 1) : zeros_like(S);
    keep = keep_mask(S, mul(largest, Scalar(r)));
  }
  Tensor X = matmul(pinv_of(S, U, mT(Vh), keep), b);
  LstsqResult res{vector ? squeeze(X, std::vector<int64_t>{-1}) : X, empty, zeros({0}, DType::Int64, A.device()),
                  empty};
  Tensor rank = sum(keep, {-1}, false, DType::Int64);
  if (driver != "gels") res.rank = rank;
  if (driver == "gelsd" || driver == "gelss") res.singular_values = S.detach();
  // gels (a QR) needs every A of full rank; the others report residuals only then, and only when m > n.
  int64_t full = std::min(m, n);
  Tensor deficient;
  {
    NoGradGuard ng;
    deficient = binary(BinaryOp::Lt, rank, Scalar(full));
  }
  if (driver == "gels")
    linalg::raise_on_info(to_dtype(mul(deficient, add(rank, Scalar(int64_t(1)))), DType::Int32), A, op, [](int32_t i) {
      return str(
          "The least squares solution could not be computed because the input matrix does not have full rank "
          "(error code: ",
          i, ").");
    });
  bool full_rank = !any(deficient).item<bool>();
  if (driver != "gelsy" && m > n && full_rank) {
    Tensor d = sub(matmul(A, X), b);
    res.residuals = sum(mul(d, d), {-2});
  }
  return res;
}

Tensor linalg::svd_matrix_norm(const Tensor& x, double ord, const Dims& dims, bool keepdim) {
  RB_CHECK(is_floating(x.dtype()), Error,
           "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got ", aten_name(x.dtype()));
  int64_t d0 = wrap_dim(dims[0], x.dim()), d1 = wrap_dim(dims[1], x.dim());
  RB_CHECK(d0 != d1, Error, "linalg.matrix_norm: dims must be different. Got (", dims[0], ", ", dims[1], ")");
  Tensor s = linalg_svdvals(movedim(x, {d0, d1}, {-2, -1}));
  Tensor r = ord == 0 ? sum(s, {-1}) : ord > 0 ? amax(s, {-1}) : amin(s, {-1});
  if (!keepdim) return r;
  return unsqueeze(unsqueeze(r, std::min(d0, d1)), std::max(d0, d1));
}

}  // namespace rb
