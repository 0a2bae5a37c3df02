// The factorization primitives of torch.linalg (solve, triangular solve, LU determinant, Cholesky, QR,
// SVD, symmetric eigen), each a LAPACK kernel call with an autograd node whose backward is PyTorch's
// formula (derivatives.yaml, FunctionsManual.cpp) written with differentiable ops, so it differentiates again.
#include "linalg_common.h"

namespace rb {
using linalg::mT;

namespace {

// A gradient the engine filled with zeros for an output nobody used: skipped, as PyTorch skips an
// undefined one (the SVD and eigen formulas divide by eigenvalue gaps, which 0/0 would turn to nan).
bool is_used(const Tensor& g) {
  NoGradGuard ng;
  return any(binary(BinaryOp::Ne, g, Scalar(0.0))).item<bool>();
}

// Keeps only the triangle that a triangular solve reads (without the diagonal when it is implicit).
Tensor triangle(const Tensor& x, bool upper, bool unit) {
  return upper ? triu(x, unit ? 1 : 0) : tril(x, unit ? -1 : 0);
}

// ---- solve: X = A^-1 B on already broadcast (..., n, n) and (..., n, k) ----

std::pair<Tensor, Tensor> solve_core(const Tensor& A, const Tensor& B);

struct LinalgSolveBackward : Node {
  SavedTensor A, X;
  std::string name() const override { return "LinalgSolveExBackward0"; }
  void release_saved() override { A.reset(), X.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // gB = A^-T gX, gA = -gB X^T
    Tensor a = A.unpack(*this), x = X.unpack(*this);
    Tensor gB = solve_core(mT(a), g[0]).first;
    return {neg(matmul(gB, mT(x))), gB};
  }
};

std::pair<Tensor, Tensor> solve_core(const Tensor& A, const Tensor& B) {
  Tensor a = linalg::batch_copy(A), b = linalg::batch_copy(B);
  int64_t n = a.size(1), k = b.size(2);
  Tensor info = Tensor::empty({a.size(0)}, DType::Int32, A.device());
  RB_DISPATCH_FLOATING(A.dtype(), "linalg.solve", [&] {
    kernels<LapackKernels<scalar_t>>("linalg.solve", A)
        .solve(a.size(0), n, k, a.data<scalar_t>(), b.data<scalar_t>(), info.data<int32_t>());
  });
  Tensor X = reshape(b, B.shape());
  if (needs_grad(A, B)) {
    auto node = std::make_shared<LinalgSolveBackward>();
    node->A = SavedTensor(A);
    node->X = SavedTensor::output(X);
    record(node, {&A, &B}, {&X});
  }
  return {X, reshape(info, linalg::batch_shape(A))};
}

// ---- triangular solve ----

Tensor solve_triangular_core(const Tensor& A, const Tensor& B, bool upper, bool left, bool unit);

struct LinalgSolveTriangularBackward : Node {
  SavedTensor A, X;
  bool upper, left, unit;
  std::string name() const override { return "LinalgSolveTriangularBackward0"; }
  void release_saved() override { A.reset(), X.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // left: gB = A^-T gX, gA = -gB X^T; right: gB = gX A^-T, gA = -X^T gB; gA keeps A's triangle
    Tensor a = A.unpack(*this), x = X.unpack(*this);
    Tensor gB = solve_triangular_core(mT(a), g[0], !upper, left, unit);
    Tensor gA = left ? matmul(gB, mT(x)) : matmul(mT(x), gB);
    return {neg(triangle(gA, upper, unit)), gB};
  }
};

Tensor solve_triangular_core(const Tensor& A, const Tensor& B, bool upper, bool left, bool unit) {
  Tensor a = linalg::batch_copy(A), b = linalg::batch_copy(B);
  int64_t n = a.size(1), k = left ? b.size(2) : b.size(1);
  RB_DISPATCH_FLOATING(A.dtype(), "linalg.solve_triangular", [&] {
    kernels<LapackKernels<scalar_t>>("linalg.solve_triangular", A)
        .trsm(a.size(0), left, upper, unit, n, k, a.data<scalar_t>(), b.data<scalar_t>());
  });
  Tensor X = reshape(b, B.shape());
  if (needs_grad(A, B)) {
    auto node = std::make_shared<LinalgSolveTriangularBackward>();
    node->A = SavedTensor(A);
    node->X = SavedTensor::output(X);
    node->upper = upper, node->left = left, node->unit = unit;
    record(node, {&A, &B}, {&X});
  }
  return X;
}

}  // namespace

namespace linalg {
std::pair<Tensor, Tensor> solve(const Tensor& A, const Tensor& B) { return solve_core(A, B); }
}  // namespace linalg

Tensor linalg_solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left, bool unitriangular) {
  const char* op = "linalg.solve_triangular";
  linalg::check_square(A, op);
  linalg::check_matrix(B, op, "B");
  RB_CHECK(A.dtype() == B.dtype(), Error, op, ": Expected A and B to have the same dtype, but found A of type ",
           aten_name(A.dtype()), " and B of type ", aten_name(B.dtype()), " instead");
  check_same_device(A, B, op);
  int64_t n = A.size(-1), bn = left ? B.size(-2) : B.size(-1);
  RB_CHECK(bn == n, Error, op, ": Incompatible shapes of A and B for the equation ", left ? "AX = B" : "XA = B", " (",
           A.size(-2), "x", n, " and ", B.size(-2), "x", B.size(-1), ")");
  Shape batch = broadcast_shapes(linalg::batch_shape(A), linalg::batch_shape(B));
  Tensor a = expand(A, linalg::with_matrix(batch, n, n));
  Tensor b = expand(B, linalg::with_matrix(batch, B.size(-2), B.size(-1)));
  return solve_triangular_core(a, b, upper, left, unitriangular);
}

// ---- determinant: det, sign and log|det| from one LU ----

namespace {

struct LinalgDetBackward : Node {
  SavedTensor A, det;
  std::string name() const override { return "LinalgDetBackward0"; }
  void release_saved() override { A.reset(), det.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor a = A.unpack(*this), d = det.unpack(*this);
    return {linalg::det_backward(g[0], d, a)};
  }
};

struct LinalgSlogdetBackward : Node {
  SavedTensor A;
  std::string name() const override { return "LinalgSlogdetBackward0"; }
  void release_saved() override { A.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // d log|det A| = tr(A^-1 dA): gA = g A^-T; the sign is piecewise constant
    Tensor a = A.unpack(*this);
    int64_t n = a.size(-1);
    Tensor rhs = mul(unsqueeze(unsqueeze(g[1], -1), -1), eye(n, n, a.dtype(), a.device()));
    return {solve_core(mT(a), expand(rhs, a.shape())).first};
  }
};

}  // namespace

namespace linalg {

// (det, sign, logabsdet), not recorded.
std::tuple<Tensor, Tensor, Tensor> lu_det(const Tensor& A, const char* op) {
  check_square(A, op);
  Tensor a = batch_copy(A);
  Shape batch = batch_shape(A);
  Tensor det = Tensor::empty(batch, A.dtype(), A.device()), sign = Tensor::empty(batch, A.dtype(), A.device()),
         logabs = Tensor::empty(batch, A.dtype(), A.device());
  RB_DISPATCH_FLOATING(A.dtype(), op, [&] {
    kernels<LapackKernels<scalar_t>>(op, A).det(a.size(0), a.size(1), a.data<scalar_t>(), det.data<scalar_t>(),
                                                sign.data<scalar_t>(), logabs.data<scalar_t>());
  });
  return {det, sign, logabs};
}

}  // namespace linalg

Tensor linalg_det(const Tensor& A) {
  linalg::check_square(A, "linalg.det", "A", /*low_precision_ok=*/true);
  if (linalg::low_precision_empty(A, "lu_cpu")) return cast(linalg_det(widen(A)), A.dtype());
  Tensor det = std::get<0>(linalg::lu_det(A, "linalg.det"));
  if (needs_grad(A)) {
    auto node = std::make_shared<LinalgDetBackward>();
    node->A = SavedTensor(A);
    node->det = SavedTensor::output(det);
    record(node, {&A}, {&det});
  }
  return det;
}

std::pair<Tensor, Tensor> linalg_slogdet(const Tensor& A) {
  auto [det, sign, logabs] = linalg::lu_det(A, "linalg.slogdet");
  if (needs_grad(A)) {
    auto node = std::make_shared<LinalgSlogdetBackward>();
    node->A = SavedTensor(A);
    record(node, {&A}, {&sign, &logabs});
  }
  return {sign, logabs};
}

// ---- Cholesky ----

namespace {

struct LinalgCholeskyBackward : Node {
  SavedTensor L;
  bool upper;
  std::string name() const override { return "LinalgCholeskyExBackward0"; }
  void release_saved() override { L.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // gA = L^-T Phi(L^T gL) L^-1, Phi taking the lower triangle with its diagonal halved (symmetrized)
    Tensor l = L.unpack(*this), gl = g[0];
    if (upper) l = mT(l), gl = mT(gl);
    Tensor gA = tril(matmul(mT(l), gl));
    gA = mul(add(gA, mT(tril(gA, -1))), Scalar(0.5));
    gA = solve_triangular_core(mT(l), gA, true, true, false);
    return {solve_triangular_core(l, gA, false, false, false)};
  }
};

}  // namespace

std::pair<Tensor, Tensor> linalg_cholesky_ex(const Tensor& A, bool upper, bool check_errors) {
  const char* op = "linalg.cholesky";
  linalg::check_square(A, op, "A", /*low_precision_ok=*/true);
  if (linalg::low_precision_empty(A, "cholesky_cpu")) {
    auto [L, info] = linalg_cholesky_ex(widen(A), upper, check_errors);
    return {cast(L, A.dtype()), info};
  }
  Tensor a = linalg::batch_copy(A);
  Tensor info = Tensor::empty({a.size(0)}, DType::Int32, A.device());
  RB_DISPATCH_FLOATING(A.dtype(), op, [&] {
    kernels<LapackKernels<scalar_t>>(op, A).cholesky(a.size(0), a.size(1), a.data<scalar_t>(), upper,
                                                     info.data<int32_t>());
  });
  if (check_errors)
    linalg::raise_on_info(info, A, op, [](int32_t i) {
      return str(
          "The factorization could not be completed because the input is not positive-definite (the leading "
          "minor of order ",
          i, " is not positive-definite).");
    });
  Tensor L = reshape(a, A.shape());
  if (needs_grad(A)) {
    auto node = std::make_shared<LinalgCholeskyBackward>();
    node->L = SavedTensor::output(L);
    node->upper = upper;
    record(node, {&A}, {&L});
  }
  return {L, reshape(info, linalg::batch_shape(A))};
}

// ---- QR ----

namespace {

// The backward of A = QR for m >= n (Q: (m, n), R: (n, n)):
// gA = (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q, copyltu(M) = tril(M) + tril(M, -1)^T.
Tensor qr_backward_tall(const Tensor& gQ, const Tensor& gR, const Tensor& Q, const Tensor& R) {
  Tensor M = sub(matmul(R, mT(gR)), matmul(mT(gQ), Q));
  Tensor sym = add(tril(M), mT(tril(M, -1)));
  return solve_triangular_core(mT(R), add(gQ, matmul(Q, sym)), false, false, false);
}

struct LinalgQrBackward : Node {
  SavedTensor Q, R;
  std::string mode;
  std::string name() const override { return "LinalgQrBackward0"; }
  void release_saved() override { Q.reset(), R.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    RB_CHECK(mode != "r", Error,
             "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
             "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
    Tensor q = Q.unpack(*this), r = R.unpack(*this);
    int64_t m = q.size(-2), n = r.size(-1);
    RB_CHECK(mode != "complete" || m <= n, Error,
             "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    if (m >= n) return {qr_backward_tall(g[0], g[1], q, r)};
    // m < n: A = [X | Y] with X = Q U square and Y = Q V, so gY = Q gV and X gets gQ + Y gV^T.
    Tensor u = narrow(r, -1, 0, m), v = narrow(r, -1, m, n - m);
    Tensor gU = narrow(g[1], -1, 0, m), gV = narrow(g[1], -1, m, n - m);
    Tensor gX = qr_backward_tall(add(g[0], matmul(matmul(q, v), mT(gV))), gU, q, u);
    return {cat({gX, matmul(q, gV)}, -1)};
  }
};

}  // namespace

std::pair<Tensor, Tensor> linalg_qr(const Tensor& A, const std::string& mode) {
  const char* op = "linalg.qr";
  RB_CHECK(mode == "reduced" || mode == "complete" || mode == "r", Error, "qr received unrecognized mode '", mode,
           "' but expected one of 'reduced' (default), 'r', or 'complete'");
  linalg::check_matrix(A, op, "A", /*low_precision_ok=*/true);
  // ATen's geqrf refuses float16/bfloat16 even for an empty A (QR has no early return for it).
  RB_CHECK(is_compute_dtype(A.dtype()), NotImplementedError, "\"geqrf_cpu\" not implemented for '",
           aten_name(A.dtype()), "'");
  Tensor a = linalg::batch_copy(A);
  int64_t bn = a.size(0), m = a.size(1), n = a.size(2), c = mode == "complete" ? m : std::min(m, n);
  Shape batch = linalg::batch_shape(A);
  Tensor Q = mode == "r" ? Tensor::empty({0}, A.dtype(), A.device())
                         : Tensor::empty(linalg::with_matrix(batch, m, c), A.dtype(), A.device());
  Tensor R = Tensor::empty(linalg::with_matrix(batch, c, n), A.dtype(), A.device());
  RB_DISPATCH_FLOATING(A.dtype(), op, [&] {
    kernels<LapackKernels<scalar_t>>(op, A).qr(bn, m, n, a.data<scalar_t>(), mode == "r" ? nullptr : Q.data<scalar_t>(),
                                               R.data<scalar_t>(), mode == "complete");
  });
  if (needs_grad(A)) {
    auto node = std::make_shared<LinalgQrBackward>();
    node->Q = SavedTensor::output(Q, 0);
    node->R = SavedTensor::output(R, 1);
    node->mode = mode;
    record(node, {&A}, {&Q, &R});
  }
  return {Q, R};
}

// ---- SVD ----

namespace {

// PyTorch's svd_backward for the reduced factors (U: (m, k), S: (k), Vh: (k, n)), distinct singular values.
Tensor svd_backward(const Tensor& gU, const Tensor& gS, const Tensor& gVh, const Tensor& U, const Tensor& S,
                    const Tensor& Vh) {
  int64_t m = U.size(-2), n = Vh.size(-1);
  bool use_u = is_used(gU), use_v = is_used(gVh);
  if (!use_u && !use_v)  // values only: gA = U diag(gS) Vh
    return matmul(mul(U, unsqueeze(gS, -2)), Vh);
  auto skew = [](const Tensor& x) { return sub(x, mT(x)); };
  Tensor s_row = unsqueeze(S, -2), s_col = unsqueeze(S, -1);
  Tensor S2 = mul(S, S);
  // E_ij = s_j^2 - s_i^2, with ones on the diagonal: any non-zero, as it divides the zero diagonal of the skews
  int64_t k = S.size(-1);
  Tensor E = add(sub(unsqueeze(S2, -2), unsqueeze(S2, -1)), eye(k, k, S.dtype(), S.device()));
  Tensor inner;
  if (use_u && use_v)
    inner = div(add(mul(skew(matmul(mT(U), gU)), s_row), mul(s_col, skew(matmul(Vh, mT(gVh))))), E);
  else if (use_u)
    inner = div(mul(skew(matmul(mT(U), gU)), s_row), E);
  else
    inner = div(mul(s_col, skew(matmul(Vh, mT(gVh)))), E);
  inner = add(inner, diag_embed(gS));
  if (m > n && use_u) {  // gA = [U inner + (I - U U^T) gU S^-1] Vh
    Tensor gUSinv = div(gU, s_row);
    Tensor gA = add(matmul(U, inner), sub(gUSinv, matmul(U, matmul(mT(U), gUSinv))));
    return matmul(gA, Vh);
  }
  if (m < n && use_v) {  // gA = U [inner Vh + S^-1 gVh (I - V Vh)]
    Tensor SinvgVh = div(gVh, s_col);
    Tensor gA = add(matmul(inner, Vh), sub(SinvgVh, matmul(matmul(SinvgVh, mT(Vh)), Vh)));
    return matmul(U, gA);
  }
  return matmul(U, matmul(inner, Vh));
}

struct LinalgSvdBackward : Node {
  SavedTensor U, S, Vh;
  bool full;
  std::string name() const override { return "LinalgSvdBackward0"; }
  void release_saved() override { U.reset(), S.reset(), Vh.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    Tensor u = U.unpack(*this), s = S.unpack(*this), vh = Vh.unpack(*this);
    Tensor gu = g[0], gvh = g[2];
    if (full) {  // only the first k columns of U and rows of Vh are determined by A
      int64_t k = s.size(-1);
      u = narrow(u, -1, 0, k), vh = narrow(vh, -2, 0, k);
      gu = narrow(gu, -1, 0, k), gvh = narrow(gvh, -2, 0, k);
    }
    return {svd_backward(gu, g[1], gvh, u, s, vh)};
  }
};

void check_converged(const Tensor& info, const Tensor& A, const char* op) {
  linalg::raise_on_info(info, A, op, [](int32_t i) {
    if (i < 0)  // the kernel's code for a NaN in A
      return std::string("The algorithm failed to converge because the input matrix contained non-finite values.");
    return str(
        "The algorithm failed to converge because the input matrix is ill-conditioned or has too many "
        "repeated singular values (error code: ",
        i, ").");
  });
}

}  // namespace

namespace linalg {

// U, S, Vh (U and Vh undefined when !compute_uv), recorded when compute_uv.
std::tuple<Tensor, Tensor, Tensor> svd(const Tensor& A, bool full, bool compute_uv, const char* op) {
  check_matrix(A, op);
  Tensor a = batch_copy(A);
  int64_t bn = a.size(0), m = a.size(1), n = a.size(2), k = std::min(m, n);
  Shape batch = batch_shape(A), sb = batch;
  sb.push_back(k);
  Tensor S = Tensor::empty(sb, A.dtype(), A.device()), U, Vh;
  if (compute_uv) {
    U = Tensor::empty(with_matrix(batch, m, full ? m : k), A.dtype(), A.device());
    Vh = Tensor::empty(with_matrix(batch, full ? n : k, n), A.dtype(), A.device());
  }
  Tensor info = Tensor::empty({bn}, DType::Int32, A.device());
  RB_DISPATCH_FLOATING(A.dtype(), op, [&] {
    kernels<LapackKernels<scalar_t>>(op, A).svd(bn, m, n, a.data<scalar_t>(), compute_uv ? U.data<scalar_t>() : nullptr,
                                                S.data<scalar_t>(), compute_uv ? Vh.data<scalar_t>() : nullptr, full,
                                                info.data<int32_t>());
  });
  check_converged(info, A, op);
  if (compute_uv && needs_grad(A)) {
    auto node = std::make_shared<LinalgSvdBackward>();
    node->U = SavedTensor::output(U, 0);
    node->S = SavedTensor::output(S, 1);
    node->Vh = SavedTensor::output(Vh, 2);
    node->full = full;
    record(node, {&A}, {&U, &S, &Vh});
  }
  return {U, S, Vh};
}

}  // namespace linalg

// ---- symmetric eigendecomposition ----

namespace {

struct LinalgEighBackward : Node {
  SavedTensor L, V;
  std::string name() const override { return "LinalgEighBackward0"; }
  void release_saved() override { L.reset(), V.reset(); }
  std::vector<Tensor> apply(std::vector<Tensor>& g) override {
    // gA = V (diag(gL) + skew(V^T gV) / 2 / E) V^T, E_ij = L_j - L_i
    Tensor l = L.unpack(*this), v = V.unpack(*this);
    Tensor inner = diag_embed(g[0]);
    if (is_used(g[1])) {
      Tensor VtgV = matmul(mT(v), g[1]);
      int64_t n = l.size(-1);
      Tensor E = add(sub(unsqueeze(l, -2), unsqueeze(l, -1)), eye(n, n, l.dtype(), l.device()));
      inner = add(inner, div(mul(sub(VtgV, mT(VtgV)), Scalar(0.5)), E));
    }
    return {matmul(v, matmul(inner, mT(v)))};
  }
};

}  // namespace

namespace linalg {

std::pair<Tensor, Tensor> eigh(const Tensor& A, const std::string& UPLO, bool compute_v, const char* op) {
  RB_CHECK(UPLO == "L" || UPLO == "U" || UPLO == "l" || UPLO == "u", Error,
           "Expected UPLO argument to be 'L' or 'U', but got ", UPLO);
  // ATen's linalg_eigh checks no dtype: its kernel refuses integers and bool as it does float16/bfloat16
  // ('"linalg_eigh_cpu" not implemented for 'Long''), and an empty input of any dtype has empty results of it.
  check_square(A, op, "A", /*low_precision_ok=*/true, /*any_dtype=*/true);
  if (!is_floating(A.dtype())) {
    RB_CHECK(A.numel() == 0, NotImplementedError, "\"linalg_eigh_cpu\" not implemented for '", aten_name(A.dtype()),
             "'");
    Shape wb = batch_shape(A);
    wb.push_back(A.size(-1));
    return {zeros(wb, A.dtype(), A.device()), compute_v ? zeros(A.shape(), A.dtype(), A.device()) : Tensor()};
  }
  if (low_precision_empty(A, "linalg_eigh_cpu")) {
    auto [W, V] = eigh(widen(A), UPLO, compute_v, op);
    return {cast(W, A.dtype()), compute_v ? cast(V, A.dtype()) : V};
  }
  Tensor a = batch_copy(A);
  int64_t bn = a.size(0), n = a.size(1);
  Shape wb = batch_shape(A);
  wb.push_back(n);
  Tensor W = Tensor::empty(wb, A.dtype(), A.device()), V;
  if (compute_v) V = Tensor::empty(A.shape(), A.dtype(), A.device());
  Tensor info = Tensor::empty({bn}, DType::Int32, A.device());
  bool upper = UPLO == "U" || UPLO == "u";
  RB_DISPATCH_FLOATING(A.dtype(), op, [&] {
    kernels<LapackKernels<scalar_t>>(op, A).eigh(bn, n, a.data<scalar_t>(), W.data<scalar_t>(),
                                                 compute_v ? V.data<scalar_t>() : nullptr, upper, info.data<int32_t>());
  });
  raise_on_info(info, A, op, [](int32_t i) {
    return str(
        "The algorithm failed to converge because the input matrix is ill-conditioned or has too many "
        "repeated eigenvalues (error code: ",
        i, ").");
  });
  if (compute_v && needs_grad(A)) {
    auto node = std::make_shared<LinalgEighBackward>();
    node->L = SavedTensor::output(W, 0);
    node->V = SavedTensor::output(V, 1);
    record(node, {&A}, {&W, &V});
  }
  return {W, V};
}

}  // namespace linalg
}  // namespace rb
