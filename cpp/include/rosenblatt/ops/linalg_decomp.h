// torch.linalg's factorizations and what is built on them (cpp/ops/linalg_decomp.cpp, linalg_derived.cpp):
// A is (..., n, n) or (..., m, n), float32 or float64; the *_ex forms return LAPACK's info (int32, one per
// matrix) instead of raising LinAlgError. Every result is differentiable to any order.
#pragma once
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "rosenblatt/error.h"
#include "rosenblatt/tensor.h"

namespace rb {

// A singular or not positive-definite matrix: rosenblatt.linalg.LinAlgError (torch.linalg.LinAlgError),
// a RuntimeError.
struct LinAlgError : Error {
  using Error::Error;
};

// (X, info): X = A^-1 B (left) or B A^-1; B (..., n, k), or (n,) / (..., n) as a vector when it is one.
std::pair<Tensor, Tensor> linalg_solve_ex(const Tensor& A, const Tensor& B, bool left = true,
                                          bool check_errors = false);
Tensor linalg_solve(const Tensor& A, const Tensor& B, bool left = true);
// B (..., n, k) (left) or (..., k, n); A's other triangle is not read.
Tensor linalg_solve_triangular(const Tensor& A, const Tensor& B, bool upper, bool left = true,
                               bool unitriangular = false);
std::pair<Tensor, Tensor> linalg_inv_ex(const Tensor& A, bool check_errors = false);  // (inverse, info)
Tensor linalg_inv(const Tensor& A);
Tensor linalg_det(const Tensor& A);                         // (...)
std::pair<Tensor, Tensor> linalg_slogdet(const Tensor& A);  // (sign, logabsdet)
Tensor logdet(const Tensor& A);                             // nan for a negative determinant
// (L, info): A = L L^T (upper: A = U^T U).
std::pair<Tensor, Tensor> linalg_cholesky_ex(const Tensor& A, bool upper = false, bool check_errors = false);
Tensor linalg_cholesky(const Tensor& A, bool upper = false);
// mode "reduced", "complete" or "r" (Q empty).
std::pair<Tensor, Tensor> linalg_qr(const Tensor& A, const std::string& mode = "reduced");
// (U, S, Vh): U (..., m, full ? m : k), S (..., k) descending, Vh (..., full ? n : k, n), k = min(m, n).
std::tuple<Tensor, Tensor, Tensor> linalg_svd(const Tensor& A, bool full_matrices = true);
Tensor linalg_svdvals(const Tensor& A);
// (eigenvalues ascending, eigenvectors in columns); UPLO "L" or "U" names the triangle read.
std::pair<Tensor, Tensor> linalg_eigh(const Tensor& A, const std::string& UPLO = "L");
Tensor linalg_eigvalsh(const Tensor& A, const std::string& UPLO = "L");
// Singular (hermitian: eigen) values at most max(atol, rtol * largest) count as zero; atol/rtol broadcast
// against A's batch. rtol defaults to eps * max(m, n) when atol is not given, else to 0.
Tensor linalg_pinv(const Tensor& A, const std::optional<Tensor>& atol = {}, const std::optional<Tensor>& rtol = {},
                   bool hermitian = false);
Tensor linalg_matrix_rank(const Tensor& A, const std::optional<Tensor>& atol = {},
                          const std::optional<Tensor>& rtol = {}, bool hermitian = false);  // int64

// The least-squares solution X (*, n, k) of A X = B, A (*, m, n), B (*, m, k) or (*, m), through the SVD
// (the minimum-norm solution, as LAPACK's gelsy/gelsd/gelss give). driver (default "gelsy") decides, as in
// PyTorch, which of residuals (*, k) (m > n, every A of full rank, driver not gelsy), rank (*) int64 (not
// gels) and singular_values (*, min(m, n)) (gelsd, gelss) are computed; the others are empty.
struct LstsqResult {
  Tensor solution, residuals, rank, singular_values;
};
LstsqResult linalg_lstsq(const Tensor& A, const Tensor& B, std::optional<double> rcond = {},
                         const std::string& driver = "gelsy");

}  // namespace rb
