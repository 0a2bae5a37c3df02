"""Docstrings of rosenblatt.linalg and rosenblatt.special, bound from C++ (see rosenblatt/_docs/__init__.py)."""

DOCS = r"""
@@ inv
The inverse of each square matrix; raises :class:`rosenblatt.linalg.LinAlgError` (a RuntimeError) for a
singular one.

Shape:
    A: ``(*, n, n)``, float32 or float64; output: ``(*, n, n)``.

Example:
    >>> rb.linalg.inv(rb.tensor([[2., 0.], [0., 4.]])).tolist()
    [[0.5, 0.0], [0.0, 0.25]]

@@ inv_ex
:func:`inv` that returns ``(inverse, info)`` instead of raising: ``info`` is 0 for an invertible matrix, else
the index (from 1) of the zero pivot of its LU.

Shape:
    A: ``(*, n, n)``; inverse: ``(*, n, n)``; info: ``(*)``, int32.

Example:
    >>> rb.linalg.inv_ex(rb.zeros(2, 2)).info.item()
    1

@@ solve
``X`` with ``A X = B`` (``left=False``: ``X A = B``); batch dimensions broadcast, and a vector ``B`` with
``A``'s batch is read as one right-hand side, as PyTorch. Raises LinAlgError for a singular ``A``.

Shape:
    A: ``(*, n, n)``; B: ``(*, n, k)``, or ``(n,)`` / ``(*, n)``; output: B's shape (broadcast).

Example:
    >>> rb.linalg.solve(rb.tensor([[2., 0.], [0., 4.]]), rb.tensor([2., 2.])).tolist()
    [1.0, 0.5]

@@ solve_ex
:func:`solve` that returns ``(result, info)`` instead of raising.

Shape:
    as :func:`solve`; info: ``(*)``, int32.

Example:
    >>> rb.linalg.solve_ex(rb.eye(2), rb.ones(2)).info.item()
    0

@@ solve_triangular
``X`` with ``A X = B`` (``left=False``: ``X A = B``) for a triangular ``A``, reading only its upper
(``upper=True``) or lower triangle, with an implicit unit diagonal when ``unitriangular``.

Shape:
    A: ``(*, n, n)``; B: ``(*, n, k)`` (left) or ``(*, k, n)``; batch dimensions broadcast; output: B's shape.

Example:
    >>> A = rb.tensor([[2., 1.], [0., 1.]])
    >>> rb.linalg.solve_triangular(A, rb.tensor([[3.], [1.]]), upper=True).tolist()
    [[1.0], [1.0]]

@@ det
The determinant of each square matrix; differentiable also where the matrix is singular (through its SVD, as
PyTorch).

Shape:
    A: ``(*, n, n)``; output: ``(*)``.

Example:
    >>> rb.linalg.det(rb.tensor([[1., 2.], [3., 4.]])).item()
    -2.0

@@ slogdet
The sign and the log of the absolute value of the determinant, a named tuple ``(sign, logabsdet)``; a
singular matrix gives sign 0 and logabsdet ``-inf``.

Shape:
    A: ``(*, n, n)``; sign, logabsdet: ``(*)``.

Example:
    >>> rb.linalg.slogdet(rb.tensor([[0., 1.], [1., 0.]])).sign.item()
    -1.0

@@ cholesky
The Cholesky factor ``L`` (lower triangular, ``A = L L^T``) of each symmetric positive-definite matrix, or
``U = L^T`` when ``upper``; reads ``A``'s lower (``upper``: upper) triangle. Raises LinAlgError when ``A`` is
not positive-definite.

Shape:
    A: ``(*, n, n)``; output: ``(*, n, n)``.

Example:
    >>> rb.linalg.cholesky(rb.tensor([[4., 2.], [2., 2.]])).tolist()
    [[2.0, 0.0], [1.0, 1.0]]

@@ cholesky_ex
:func:`cholesky` that returns ``(L, info)`` instead of raising: ``info`` is the order of the leading minor
that is not positive-definite, else 0.

Shape:
    A: ``(*, n, n)``; L: ``(*, n, n)``; info: ``(*)``, int32.

Example:
    >>> rb.linalg.cholesky_ex(rb.tensor([[1., 0.], [0., -1.]])).info.item()
    2

@@ qr
The QR decomposition ``A = Q R``, a named tuple ``(Q, R)``: ``mode='reduced'`` (the default), ``'complete'``,
or ``'r'`` (R only; Q is empty).

Shape:
    A: ``(*, m, n)``, ``k = min(m, n)``; reduced: Q ``(*, m, k)``, R ``(*, k, n)``; complete: Q ``(*, m, m)``,
    R ``(*, m, n)``.

Example:
    >>> Q, R = rb.linalg.qr(rb.tensor([[3., 0.], [4., 5.]]))
    >>> R.abs().tolist()
    [[5.0, 4.0], [0.0, 3.0]]

@@ svd
The singular value decomposition ``A = U diag(S) Vh``, a named tuple ``(U, S, Vh)`` with ``S`` descending;
gradients through ``U`` and ``Vh`` are defined for distinct singular values, as in PyTorch.

Shape:
    A: ``(*, m, n)``, ``k = min(m, n)``; U: ``(*, m, m)``, S: ``(*, k)``, Vh: ``(*, n, n)``; with
    ``full_matrices=False`` U ``(*, m, k)``, Vh ``(*, k, n)``.

Example:
    >>> rb.linalg.svd(rb.tensor([[3., 0.], [0., -4.]])).S.tolist()
    [4.0, 3.0]

@@ svdvals
The singular values, descending.

Shape:
    A: ``(*, m, n)``; output: ``(*, min(m, n))``.

Example:
    >>> rb.linalg.svdvals(rb.tensor([[0., 2.], [1., 0.]])).tolist()
    [2.0, 1.0]

@@ eigh
The eigenvalues (ascending) and eigenvectors (in columns) of a symmetric matrix read from its lower
(``UPLO='L'``) or upper triangle, a named tuple ``(eigenvalues, eigenvectors)``.

Shape:
    A: ``(*, n, n)``; eigenvalues: ``(*, n)``; eigenvectors: ``(*, n, n)``.

Example:
    >>> rb.linalg.eigh(rb.tensor([[2., 0.], [0., 1.]])).eigenvalues.tolist()
    [1.0, 2.0]

@@ eigvalsh
The eigenvalues (ascending) of a symmetric matrix.

Shape:
    A: ``(*, n, n)``; output: ``(*, n)``.

Example:
    >>> rb.linalg.eigvalsh(rb.tensor([[2., 1.], [1., 2.]])).tolist()
    [1.0, 3.0]

@@ pinv
The Moore-Penrose pseudo-inverse through the SVD (``hermitian=True``: the eigendecomposition of a symmetric
``A``). Singular values up to ``max(atol, rtol * largest)`` count as zero; ``rtol`` defaults to
``eps * max(m, n)``, or to 0 when ``atol`` is given and positive.

Shape:
    A: ``(*, m, n)``; output: ``(*, n, m)``.

Example:
    >>> rb.linalg.pinv(rb.tensor([[2., 0.], [0., 0.]])).tolist()
    [[0.5, 0.0], [0.0, 0.0]]

@@ matrix_rank
The number of singular values above ``max(atol, rtol * largest)``, counted as :func:`pinv` counts them.

Shape:
    A: ``(*, m, n)``; output: ``(*)``, int64.

Example:
    >>> rb.linalg.matrix_rank(rb.tensor([[1., 2.], [2., 4.]])).item()
    1

@@ lstsq
The least-squares solution of ``A X = B``, a named tuple ``(solution, residuals, rank, singular_values)``: the
minimum-norm solution through the SVD, singular values up to ``rcond * largest`` (default
``eps * max(m, n)``) dropped. As in PyTorch, ``driver`` (``'gelsy'`` by default, ``'gels'``, ``'gelsd'``,
``'gelss'``) decides which of residuals, rank and singular_values are filled in.

Shape:
    A: ``(*, m, n)``; B: ``(*, m, k)`` or ``(*, m)``; solution: ``(*, n, k)``; residuals: ``(*, k)``; rank:
    ``(*)``.

Example:
    >>> A = rb.tensor([[1., 0.], [0., 2.], [0., 0.]])
    >>> rb.linalg.lstsq(A, rb.tensor([1., 2., 5.])).solution.tolist()
    [1.0, 1.0]

@@ vector_norm
The vector ``ord``-norm of ``x`` over ``dim`` (all elements when ``dim`` is None): ``sum(|x|**ord)**(1/ord)``;
``ord=inf`` is ``max(|x|)``, ``-inf`` ``min(|x|)`` and ``0`` the count of non-zeros.

Shape:
    x: ``(*)``; output: ``x``'s shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.linalg.vector_norm(rb.tensor([3.0, -4.0]))
    tensor(5.)
    >>> rb.linalg.vector_norm(rb.tensor([[3.0, -4.0], [1.0, 1.0]]), ord=1, dim=1)
    tensor([7., 2.])

@@ matrix_norm
The matrix norm of ``A`` over the two dimensions ``dim``: ``'fro'`` (Frobenius, the default), ``1`` and ``-1``
(the largest and smallest column sum of ``|A|``), ``inf`` and ``-inf`` (row sums). ``'nuc'`` (the sum of the
singular values), ``2`` and ``-2`` (the largest and smallest singular value).

Shape:
    A: ``(*, m, n)``; output: ``(*)`` (``(*, 1, 1)`` with ``keepdim=True``).

Example:
    >>> A = rb.tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> rb.linalg.matrix_norm(A)
    tensor(5.4772)
    >>> rb.linalg.matrix_norm(A, ord=1)
    tensor(6.)

@@ norm
A vector norm (:func:`vector_norm`) when ``dim`` is an int or ``A`` is 1-D, a matrix norm (:func:`matrix_norm`)
when ``dim`` is a pair or ``A`` is 2-D; ``ord=None`` is the 2-norm, or the Frobenius norm of a matrix.

Shape:
    A: ``(*)``; output: ``A``'s shape without the reduced dimensions.

Example:
    >>> rb.linalg.norm(rb.tensor([[1.0, 2.0], [2.0, 4.0]]))
    tensor(5.)
    >>> rb.linalg.norm(rb.tensor([[1.0, 2.0], [2.0, 4.0]]), dim=1)
    tensor([2.2361, 4.4721])

@@ cross
The cross product of 3-vectors along ``dim``.

Shape:
    input, other: broadcastable, of size 3 along ``dim``; output: the broadcast shape.

Example:
    >>> rb.linalg.cross(rb.tensor([1.0, 0.0, 0.0]), rb.tensor([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])

"""

SPECIAL = r"""
@@ xlogy | bc
``input * log(other)``, with 0 where ``input == 0`` (even where ``other`` is 0).

Example:
    >>> rb.special.xlogy(rb.tensor([0.0, 1.0, 2.0]), rb.tensor([0.0, 2.0, 3.0]))
    tensor([0.0000, 0.6931, 2.1972])

@@ entr | ew
Elementwise entropy term ``-x * log(x)``: 0 at ``x == 0`` and ``-inf`` for ``x < 0``.

Example:
    >>> rb.special.entr(rb.tensor([-1.0, 0.0, 0.5, 1.0]))
    tensor([  -inf, 0.0000, 0.3466, -0.0000])

@@ sinc | ew
The normalized sinc, ``sin(pi * x) / (pi * x)``, and 1 at ``x == 0``.

Example:
    >>> rb.special.sinc(rb.tensor([0.0, 0.5, 1.0]))
    tensor([ 1.0000e+00,  6.3662e-01, -2.7828e-08])

@@ logsumexp | red
``log(sum(exp(input), dim))``, computed stably (the max is subtracted first).

Example:
    >>> rb.special.logsumexp(rb.tensor([[0.0, 0.0], [1.0, 2.0]]), dim=1)
    tensor([0.6931, 2.3133])

"""
