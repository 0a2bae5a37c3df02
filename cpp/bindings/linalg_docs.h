// The docstrings of rosenblatt.linalg's factorizations (bindings/linalg_decomp.cpp): shapes, errors and an
// example each; tests/test_linalg.py runs the examples.
#pragma once

namespace rb::bind::linalg_docs {

inline const char* inv = R"(The inverse of each square matrix: A (*, n, n) -> (*, n, n), float32 or float64.
Raises LinAlgError (a RuntimeError) for a singular matrix.

>>> rb.linalg.inv(rb.tensor([[2., 0.], [0., 4.]])).tolist()
[[0.5, 0.0], [0.0, 0.25]]
)";
inline const char* inv_ex = R"(inv that returns (inverse, info) instead of raising: info (*), int32, is 0 for
an invertible matrix, else the index (from 1) of the zero pivot of its LU.

>>> rb.linalg.inv_ex(rb.zeros(2, 2)).info.item()
1
)";
inline const char* solve = R"(X with A X = B (left=False: X A = B). A (*, n, n); B (*, n, k), or a vector
(n,) / (*, n) with A's batch; batch dims broadcast. Raises LinAlgError for a singular A.

>>> rb.linalg.solve(rb.tensor([[2., 0.], [0., 4.]]), rb.tensor([2., 2.])).tolist()
[1.0, 0.5]
)";
inline const char* solve_ex = R"(solve that returns (result, info) instead of raising; info (*), int32.

>>> rb.linalg.solve_ex(rb.eye(2), rb.ones(2)).info.item()
0
)";
inline const char* solve_triangular = R"(X with A X = B (left=False: X A = B) for triangular A (*, n, n),
reading only its upper (upper=True) or lower triangle, with an implicit unit diagonal when unitriangular.
B (*, n, k) (left) or (*, k, n); batch dims broadcast.

>>> rb.linalg.solve_triangular(rb.tensor([[2., 1.], [0., 1.]]), rb.tensor([[3.], [1.]]), upper=True).tolist()
[[1.0], [1.0]]
)";
inline const char* det = R"(The determinant of each square matrix: A (*, n, n) -> (*). Differentiable also
where A is singular (through its SVD, as PyTorch).

>>> rb.linalg.det(rb.tensor([[1., 2.], [3., 4.]])).item()
-2.0
)";
inline const char* slogdet = R"(The sign and log of the absolute value of the determinant: A (*, n, n) ->
named tuple (sign (*), logabsdet (*)); a singular matrix gives sign 0 and logabsdet -inf.

>>> rb.linalg.slogdet(rb.tensor([[0., 1.], [1., 0.]])).sign.item()
-1.0
)";
inline const char* cholesky = R"(The Cholesky factor L (lower triangular, A = L L^T) of each symmetric
positive-definite matrix, or U = L^T when upper: A (*, n, n) -> (*, n, n). Reads A's lower triangle (upper:
its upper triangle). Raises LinAlgError when A is not positive-definite.

>>> rb.linalg.cholesky(rb.tensor([[4., 2.], [2., 2.]])).tolist()
[[2.0, 0.0], [1.0, 1.0]]
)";
inline const char* cholesky_ex = R"(cholesky that returns (L, info) instead of raising: info (*), int32, is
the order of the leading minor that is not positive-definite, else 0.

>>> rb.linalg.cholesky_ex(rb.tensor([[1., 0.], [0., -1.]])).info.item()
2
)";
inline const char* qr = R"(The QR decomposition A = Q R: A (*, m, n), k = min(m, n) -> named tuple (Q, R):
mode 'reduced' Q (*, m, k), R (*, k, n); 'complete' Q (*, m, m), R (*, m, n); 'r' only R (Q is empty).

>>> Q, R = rb.linalg.qr(rb.tensor([[3., 0.], [4., 5.]]))
>>> R.abs().tolist()
[[5.0, 4.0], [0.0, 3.0]]
)";
inline const char* svd = R"(The singular value decomposition A = U diag(S) Vh: A (*, m, n), k = min(m, n) ->
named tuple (U (*, m, m), S (*, k) descending, Vh (*, n, n)); with full_matrices=False U (*, m, k), Vh (*, k, n).
Gradients through U and Vh are defined for distinct singular values, as in PyTorch.

>>> rb.linalg.svd(rb.tensor([[3., 0.], [0., -4.]])).S.tolist()
[4.0, 3.0]
)";
inline const char* svdvals = R"(The singular values of A (*, m, n), descending: (*, min(m, n)).

>>> rb.linalg.svdvals(rb.tensor([[0., 2.], [1., 0.]])).tolist()
[2.0, 1.0]
)";
inline const char* eigh = R"(The eigenvalues (ascending) and eigenvectors (in columns) of symmetric A
(*, n, n), read from its lower (UPLO='L') or upper triangle -> named tuple (eigenvalues (*, n),
eigenvectors (*, n, n)).

>>> rb.linalg.eigh(rb.tensor([[2., 0.], [0., 1.]])).eigenvalues.tolist()
[1.0, 2.0]
)";
inline const char* eigvalsh = R"(The eigenvalues (ascending) of symmetric A (*, n, n): (*, n).

>>> rb.linalg.eigvalsh(rb.tensor([[2., 1.], [1., 2.]])).tolist()
[1.0, 3.0]
)";
inline const char* pinv = R"(The Moore-Penrose pseudo-inverse: A (*, m, n) -> (*, n, m), through the SVD
(hermitian=True: the eigendecomposition of symmetric A). Singular values up to max(atol, rtol * largest)
count as zero; rtol defaults to eps * max(m, n), or to 0 when atol is given and positive.

>>> rb.linalg.pinv(rb.tensor([[2., 0.], [0., 0.]])).tolist()
[[0.5, 0.0], [0.0, 0.0]]
)";
inline const char* matrix_rank = R"(The number of singular values above max(atol, rtol * largest), as pinv
counts them: A (*, m, n) -> (*), int64.

>>> rb.linalg.matrix_rank(rb.tensor([[1., 2.], [2., 4.]])).item()
1
)";
inline const char* lstsq = R"(The least-squares solution of A X = B: A (*, m, n), B (*, m, k) or (*, m) ->
named tuple (solution (*, n, k), residuals, rank, singular_values), the minimum-norm solution through the SVD,
singular values up to rcond * largest (default eps * max(m, n)) dropped. As in PyTorch, driver (gelsy by
default, gels, gelsd, gelss) decides which of residuals (*, k), rank (*) and singular_values are filled in.

>>> rb.linalg.lstsq(rb.tensor([[1., 0.], [0., 2.], [0., 0.]]), rb.tensor([1., 2., 5.])).solution.tolist()
[1.0, 1.0]
)";

}  // namespace rb::bind::linalg_docs
