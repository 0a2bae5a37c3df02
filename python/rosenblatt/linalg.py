"""rosenblatt.linalg: torch.linalg on float32 and float64 tensors, bound in C++.

The norms and cross (cpp/ops/composite_math.cpp) and the factorizations through the LAPACK of the BLAS
wheel (cpp/ops/linalg_decomp.cpp, linalg_derived.cpp, cpp/kernels/cpu/lapack.cpp): inv, solve,
solve_triangular, det, slogdet, cholesky, qr, svd, svdvals, eigh, eigvalsh, pinv, matrix_rank, lstsq, and the
*_ex forms that return LAPACK's info instead of raising. Every function takes a batch ``(..., m, n)``, one
matrix per LAPACK call, and is differentiable to any order with PyTorch's formulas. A singular or not
positive-definite input raises ``LinAlgError`` (a ``RuntimeError``), with PyTorch's message. Tuple results
are named tuples with ``torch.return_types``' names and fields. There are no complex dtypes, so no eig,
eigvals or other complex results; lu, matrix_exp and the rest are not implemented.
"""
from ._C import _linalg
from ._C import _LinAlgError as LinAlgError

vector_norm = _linalg.vector_norm  # (x, ord=2, dim=None, keepdim=False, *, dtype=None)
matrix_norm = _linalg.matrix_norm  # (A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None)
norm = _linalg.norm  # (A, ord=None, dim=None, keepdim=False, *, dtype=None)
cross = _linalg.cross  # (input, other, *, dim=-1)
inv = _linalg.inv  # (A)
inv_ex = _linalg.inv_ex  # (A, *, check_errors=False) -> (inverse, info)
solve = _linalg.solve  # (A, B, *, left=True)
solve_ex = _linalg.solve_ex  # (A, B, *, left=True, check_errors=False) -> (result, info)
solve_triangular = _linalg.solve_triangular  # (A, B, *, upper, left=True, unitriangular=False)
det = _linalg.det  # (A)
slogdet = _linalg.slogdet  # (A) -> (sign, logabsdet)
cholesky = _linalg.cholesky  # (A, *, upper=False)
cholesky_ex = _linalg.cholesky_ex  # (A, *, upper=False, check_errors=False) -> (L, info)
qr = _linalg.qr  # (A, mode='reduced') -> (Q, R)
svd = _linalg.svd  # (A, full_matrices=True, *, driver=None) -> (U, S, Vh)
svdvals = _linalg.svdvals  # (A, *, driver=None)
eigh = _linalg.eigh  # (A, UPLO='L') -> (eigenvalues, eigenvectors)
eigvalsh = _linalg.eigvalsh  # (A, UPLO='L')
pinv = _linalg.pinv  # (A, *, atol=None, rtol=None, hermitian=False)
matrix_rank = _linalg.matrix_rank  # (A, *, atol=None, rtol=None, hermitian=False), or (A, tol, hermitian=False)
lstsq = _linalg.lstsq  # (A, B, rcond=None, *, driver=None) -> (solution, residuals, rank, singular_values)

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cross", "det", "eigh", "eigvalsh", "inv", "inv_ex", "lstsq",
           "matrix_norm", "matrix_rank", "norm", "pinv", "qr", "slogdet", "solve", "solve_ex", "solve_triangular",
           "svd", "svdvals", "vector_norm"]
