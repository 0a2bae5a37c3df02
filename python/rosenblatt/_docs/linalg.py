"""Docstrings of rosenblatt.linalg and rosenblatt.special, bound from C++ (see rosenblatt/_docs/__init__.py)."""

DOCS = r"""
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
(the largest and smallest column sum of ``|A|``), ``inf`` and ``-inf`` (row sums). ``'nuc'``, ``2`` and ``-2``
need singular values, which rosenblatt does not compute: they raise NotImplementedError.

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
