"""rosenblatt.linalg: the norms and cross product of torch.linalg, bound in C++ (cpp/ops/composite_math.cpp);
the decompositions (svd, qr, inv, ...) are not implemented."""
from ._C import _linalg

vector_norm = _linalg.vector_norm  # (x, ord=2, dim=None, keepdim=False, *, dtype=None)
matrix_norm = _linalg.matrix_norm  # (A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None)
norm = _linalg.norm  # (A, ord=None, dim=None, keepdim=False, *, dtype=None)
cross = _linalg.cross  # (input, other, *, dim=-1)

__all__ = ["cross", "matrix_norm", "norm", "vector_norm"]
