"""Docstrings of the top-level rosenblatt functions bound from C++ (torch.*), see rosenblatt/_docs/__init__.py.
Entries run in alphabetical groups: creation, elementwise math, comparison, reductions, shapes, indexing,
linear algebra, random sampling, the rest."""

DOCS = r"""
@@ inverse
The inverse of each square matrix (``torch.inverse``, as :func:`rosenblatt.linalg.inv`).

Shape:
    input: ``(*, n, n)``; output: ``(*, n, n)``.

Example:
    >>> rb.inverse(rb.tensor([[2., 0.], [0., 4.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])

@@ det
The determinant of each square matrix (as :func:`rosenblatt.linalg.det`).

Shape:
    input: ``(*, n, n)``; output: ``(*)``.

Example:
    >>> rb.det(rb.tensor([[1., 2.], [3., 4.]]))
    tensor(-2.)

@@ logdet
The log of the determinant of each square matrix: NaN where it is negative, ``-inf`` where it is 0.

Shape:
    input: ``(*, n, n)``; output: ``(*)``.

Example:
    >>> rb.logdet(rb.tensor([[2., 0.], [0., 3.]]))
    tensor(1.7918)

@@ slogdet
The sign and log absolute value of the determinant, a named tuple ``(sign, logabsdet)`` (as
:func:`rosenblatt.linalg.slogdet`).

Shape:
    input: ``(*, n, n)``; sign, logabsdet: ``(*)``.

Example:
    >>> rb.slogdet(rb.tensor([[0., 1.], [1., 0.]])).sign
    tensor(-1.)

@@ cholesky
The Cholesky factor (deprecated in PyTorch in favour of :func:`rosenblatt.linalg.cholesky`, and warning so):
lower triangular ``L`` with ``A = L L^T``, or ``U = L^T`` when ``upper=True``.

Shape:
    input: ``(*, n, n)``; output: ``(*, n, n)``.

Example:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     rb.cholesky(rb.tensor([[4., 2.], [2., 2.]]))
    tensor([[2., 0.],
            [1., 1.]])

@@ qr
The QR decomposition (deprecated in PyTorch in favour of :func:`rosenblatt.linalg.qr`, and warning so):
``some=True`` is the reduced mode, ``False`` the complete one.

Shape:
    input: ``(*, m, n)``, ``k = min(m, n)``; Q: ``(*, m, k)``, R: ``(*, k, n)`` (``some=False``: ``(*, m, m)``
    and ``(*, m, n)``).

Example:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     Q, R = rb.qr(rb.tensor([[3., 0.], [4., 5.]]))
    >>> R.abs()
    tensor([[5., 4.],
            [0., 3.]])

@@ svd
The old SVD, ``torch.svd``: a named tuple ``(U, S, V)`` with ``V`` (not ``Vh``), reduced when ``some=True``;
``compute_uv=False`` gives zero-filled U and V.

Shape:
    input: ``(*, m, n)``, ``k = min(m, n)``; U: ``(*, m, k)``, S: ``(*, k)``, V: ``(*, n, k)`` (``some=False``:
    ``(*, m, m)`` and ``(*, n, n)``).

Example:
    >>> rb.svd(rb.tensor([[3., 0.], [0., -4.]])).S
    tensor([4., 3.])

@@ pinverse
The pseudo-inverse, ``torch.pinverse``: singular values up to ``rcond`` times the largest count as zero.

Shape:
    input: ``(*, m, n)``; output: ``(*, n, m)``.

Example:
    >>> rb.pinverse(rb.tensor([[2., 0.], [0., 0.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.0000]])

@@ zeros | size
A tensor of zeros (float32 unless ``dtype`` says otherwise).

Example:
    >>> rb.zeros(2, 3)
    tensor([[0., 0., 0.],
            [0., 0., 0.]])
    >>> rb.zeros((2,), dtype=rb.int64)
    tensor([0, 0])

@@ ones | size
A tensor of ones (float32 unless ``dtype`` says otherwise).

Example:
    >>> rb.ones(2, 2)
    tensor([[1., 1.],
            [1., 1.]])

@@ empty | size
An uninitialized tensor (its values are whatever the memory held), laid out as ``memory_format`` says
(``rb.channels_last`` for a 4-d ``(N, C, H, W)`` keeps ``C`` innermost).

Example:
    >>> rb.empty(2, 3).shape
    rosenblatt.Size([2, 3])

@@ empty_strided
An uninitialized tensor of shape ``size`` whose elements lie ``stride`` elements apart along each dim; its
storage holds exactly the elements those strides reach.

Shape:
    output: ``size``, with strides ``stride``.

Example:
    >>> rb.empty_strided((2, 3), (1, 2)).stride()
    (1, 2)

@@ full
A tensor of shape ``size`` filled with ``fill_value``; the dtype follows the value (bool, int64 or float32)
unless ``dtype`` is given.

Shape:
    output: ``size``, a sequence of integers.

Example:
    >>> rb.full((2, 2), 7.0)
    tensor([[7., 7.],
            [7., 7.]])
    >>> rb.full((3,), 1).dtype == rb.int64
    True

@@ zeros_like | like
Zeros with the shape (and, unless given, the dtype and device) of ``input``.

Example:
    >>> rb.zeros_like(rb.tensor([[1, 2], [3, 4]]))
    tensor([[0, 0],
            [0, 0]])

@@ ones_like | like
Ones with the shape (and, unless given, the dtype and device) of ``input``.

Example:
    >>> rb.ones_like(rb.tensor([1.5, 2.5]))
    tensor([1., 1.])

@@ empty_like | like
An uninitialized tensor with the shape (and, unless given, the dtype and device) of ``input``. The default
``memory_format=rb.preserve_format`` keeps the strides of a dense ``input`` (a transposed one stays transposed).

Example:
    >>> rb.empty_like(rb.zeros(2, 3)).shape
    rosenblatt.Size([2, 3])

@@ full_like | like
``fill_value`` with the shape (and, unless given, the dtype and device) of ``input``.

Example:
    >>> rb.full_like(rb.zeros(2, 2), 0.5)
    tensor([[0.5000, 0.5000],
            [0.5000, 0.5000]])

@@ arange
Values from ``start`` (default 0) up to, not including, ``end``, spaced by ``step`` (default 1):
``arange(end)``, ``arange(start, end)``, ``arange(start, end, step)``. The dtype is int64 when all three are
integers, float32 otherwise.

Shape:
    output: ``(ceil((end - start) / step),)``.

Example:
    >>> rb.arange(5)
    tensor([0, 1, 2, 3, 4])
    >>> rb.arange(1, 2.5, 0.5)
    tensor([1.0000, 1.5000, 2.0000])

@@ linspace
``steps`` values evenly spaced from ``start`` to ``end``, both included.

Shape:
    output: ``(steps,)``.

Example:
    >>> rb.linspace(0, 1, steps=5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])

@@ logspace
``steps`` values spaced evenly on a log scale: ``base ** linspace(start, end, steps)``, computed in float64
and rounded once to ``dtype``, as PyTorch's.

Shape:
    output: ``(steps,)``.

Example:
    >>> rb.logspace(0, 3, steps=4)
    tensor([   1.,   10.,  100., 1000.])
    >>> rb.logspace(0, 2, steps=3, base=2.0)
    tensor([1., 2., 4.])

@@ scalar_tensor
A 0-d tensor holding ``s``, of the default dtype (float32) unless ``dtype`` is given.

Shape:
    output: ``()``.

Example:
    >>> rb.scalar_tensor(3)
    tensor(3.)

@@ eye
The identity matrix: ones on the diagonal, of shape ``(n, m)`` (``m`` defaults to ``n``).

Shape:
    output: ``(n, m)``.

Example:
    >>> rb.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    >>> rb.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])

@@ from_numpy
A tensor sharing memory with the numpy array ``ndarray`` (no copy): writes to one show in the other.

Shape:
    output: the array's shape.

Example:
    >>> import numpy as np
    >>> a = np.array([1.0, 2.0])
    >>> t = rb.from_numpy(a)
    >>> a[0] = 5.0
    >>> t
    tensor([5., 2.], dtype=rosenblatt.float64)

@@ from_dlpack
A tensor sharing memory with ``ext_tensor``, any object with ``__dlpack__`` (numpy, PyTorch, JAX, CuPy arrays),
or a DLPack capsule.

Shape:
    output: the shape of ``ext_tensor``.

Example:
    >>> import numpy as np
    >>> rb.from_dlpack(np.arange(3.0))
    tensor([0., 1., 2.], dtype=rosenblatt.float64)

@@ tril_indices
The indices of the lower triangle of a ``row`` x ``col`` matrix, on and below diagonal ``offset``, as a
``(2, N)`` int64 tensor of row indices then column indices.

Shape:
    output: ``(2, N)``, ``N`` the number of elements in the triangle.

Example:
    >>> rb.tril_indices(3, 3)
    tensor([[0, 1, 1, 2, 2, 2],
            [0, 0, 1, 0, 1, 2]])

@@ triu_indices
The indices of the upper triangle of a ``row`` x ``col`` matrix, on and above diagonal ``offset``, as a
``(2, N)`` int64 tensor of row indices then column indices.

Shape:
    output: ``(2, N)``, ``N`` the number of elements in the triangle.

Example:
    >>> rb.triu_indices(3, 3, offset=1)
    tensor([[0, 0, 1],
            [1, 2, 2]])

@@ vander
The Vandermonde matrix of ``x``: column ``i`` is ``x ** (N - 1 - i)`` (``x ** i`` with ``increasing=True``);
``N`` defaults to ``len(x)``.

Shape:
    x: ``(n,)``; output: ``(n, N)``.

Example:
    >>> rb.vander(rb.tensor([1, 2, 3]), N=3)
    tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]])

@@ meshgrid
Coordinate grids from 1-D tensors: with ``indexing='ij'`` output ``i`` varies along dimension ``i``;
``'xy'`` swaps the first two dimensions (Cartesian). As in PyTorch, ``indexing=None`` means ``'ij'``, with a
warning.

Shape:
    tensors: ``(n1,)``, ..., ``(nk,)``; outputs: k tensors of ``(n1, ..., nk)`` (``'ij'``).

Example:
    >>> xs, ys = rb.meshgrid(rb.tensor([1, 2]), rb.tensor([3, 4, 5]), indexing='ij')
    >>> xs
    tensor([[1, 1, 1],
            [2, 2, 2]])
    >>> ys
    tensor([[3, 4, 5],
            [3, 4, 5]])

@@ cartesian_prod
The Cartesian product of 1-D tensors, one row per combination (as itertools.product).

Shape:
    tensors: ``(n1,)``, ..., ``(nk,)``; output: ``(n1 * ... * nk, k)`` (``(n1,)`` for one tensor).

Example:
    >>> rb.cartesian_prod(rb.tensor([1, 2]), rb.tensor([3, 4]))
    tensor([[1, 3],
            [1, 4],
            [2, 3],
            [2, 4]])

@@ block_diag
A block-diagonal matrix from the given tensors (0-, 1- or 2-D; a 1-D tensor is one row).

Shape:
    tensors: ``(r_i, c_i)``; output: ``(sum r_i, sum c_i)``.

Example:
    >>> rb.block_diag(rb.tensor([[1, 2]]), rb.tensor([[3], [4]]))
    tensor([[1, 2, 0],
            [0, 0, 3],
            [0, 0, 4]])

@@ abs | ew
Absolute value ``|input|``, elementwise.

Example:
    >>> rb.abs(rb.tensor([-1.5, 0.0, 2.0]))
    tensor([1.5000, 0.0000, 2.0000])

@@ neg | ew
``-input``, elementwise.

Example:
    >>> rb.neg(rb.tensor([1.0, -2.0]))
    tensor([-1.,  2.])

@@ sign | ew
The sign of each element: -1, 0 or 1.

Example:
    >>> rb.sign(rb.tensor([-2.5, 0.0, 3.0]))
    tensor([-1.,  0.,  1.])

@@ signbit | ew
True where the sign bit is set (negative numbers and -0.0), as a bool tensor.

Example:
    >>> rb.signbit(rb.tensor([-2.0, -0.0, 0.0, 1.0]))
    tensor([ True,  True, False, False])

@@ reciprocal | ew
``1 / input``, elementwise; integer inputs give float32.

Example:
    >>> rb.reciprocal(rb.tensor([2.0, 4.0, 0.0]))
    tensor([0.5000, 0.2500,    inf])

@@ sqrt | ew
Square root, elementwise (NaN below 0).

Example:
    >>> rb.sqrt(rb.tensor([4.0, 2.0, 0.0]))
    tensor([2.0000, 1.4142, 0.0000])

@@ rsqrt | ew
``1 / sqrt(input)``, elementwise.

Example:
    >>> rb.rsqrt(rb.tensor([4.0, 0.25]))
    tensor([0.5000, 2.0000])

@@ square | ew
``input * input``, elementwise.

Example:
    >>> rb.square(rb.tensor([-2.0, 3.0]))
    tensor([4., 9.])

@@ exp | ew
``e ** input``, elementwise.

Example:
    >>> rb.exp(rb.tensor([0.0, 1.0]))
    tensor([1.0000, 2.7183])

@@ exp2 | ew
``2 ** input``, elementwise.

Example:
    >>> rb.exp2(rb.tensor([0.0, 3.0]))
    tensor([1., 8.])

@@ expm1 | ew
``exp(input) - 1``, accurate for small inputs.

Example:
    >>> rb.expm1(rb.tensor([0.0, 1e-10]))
    tensor([0.0000e+00, 1.0000e-10])

@@ log | ew
Natural logarithm, elementwise (``-inf`` at 0, NaN below).

Example:
    >>> rb.log(rb.tensor([1.0, 4.0]))
    tensor([0.0000, 1.3863])

@@ log2 | ew
Base-2 logarithm, elementwise.

Example:
    >>> rb.log2(rb.tensor([1.0, 8.0]))
    tensor([0., 3.])

@@ log10 | ew
Base-10 logarithm, elementwise.

Example:
    >>> rb.log10(rb.tensor([1.0, 1000.0]))
    tensor([0., 3.])

@@ log1p | ew
``log(1 + input)``, accurate for small inputs.

Example:
    >>> rb.log1p(rb.tensor([0.0, 1e-10]))
    tensor([0.0000e+00, 1.0000e-10])

@@ sin | ew
Sine (radians), elementwise.

Example:
    >>> rb.sin(rb.tensor([0.0, 1.5707964]))
    tensor([0., 1.])

@@ cos | ew
Cosine (radians), elementwise.

Example:
    >>> rb.cos(rb.tensor([0.0, 3.1415927]))
    tensor([ 1., -1.])

@@ tan | ew
Tangent (radians), elementwise.

Example:
    >>> rb.tan(rb.tensor([0.0, 0.7853982]))
    tensor([0., 1.])

@@ asin | ew
Arcsine, elementwise (NaN outside ``[-1, 1]``).

Example:
    >>> rb.asin(rb.tensor([0.0, 1.0]))
    tensor([0.0000, 1.5708])

@@ acos | ew
Arccosine, elementwise (NaN outside ``[-1, 1]``).

Example:
    >>> rb.acos(rb.tensor([1.0, 0.0]))
    tensor([0.0000, 1.5708])

@@ atan | ew
Arctangent, elementwise.

Example:
    >>> rb.atan(rb.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7854])

@@ sinh | ew
Hyperbolic sine, elementwise.

Example:
    >>> rb.sinh(rb.tensor([0.0, 1.0]))
    tensor([0.0000, 1.1752])

@@ cosh | ew
Hyperbolic cosine, elementwise.

Example:
    >>> rb.cosh(rb.tensor([0.0, 1.0]))
    tensor([1.0000, 1.5431])

@@ tanh | ew
Hyperbolic tangent, elementwise.

Example:
    >>> rb.tanh(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.7616,  0.0000,  0.7616])

@@ tanh_ | ew
In-place :func:`tanh`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([0.0, 1.0])
    >>> rb.tanh_(x)
    tensor([0.0000, 0.7616])

@@ asinh | ew
Inverse hyperbolic sine, elementwise.

Example:
    >>> rb.asinh(rb.tensor([0.0, 1.0]))
    tensor([0.0000, 0.8814])

@@ acosh | ew
Inverse hyperbolic cosine, elementwise (NaN below 1).

Example:
    >>> rb.acosh(rb.tensor([1.0, 2.0]))
    tensor([0.0000, 1.3170])

@@ atanh | ew
Inverse hyperbolic tangent, elementwise (``±inf`` at ``±1``).

Example:
    >>> rb.atanh(rb.tensor([0.0, 0.5]))
    tensor([0.0000, 0.5493])

@@ sigmoid | ew
The logistic function ``1 / (1 + exp(-input))``, elementwise.

Example:
    >>> rb.sigmoid(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([0.2689, 0.5000, 0.7311])

@@ sigmoid_ | ew
In-place :func:`sigmoid`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([0.0, 2.0])
    >>> rb.sigmoid_(x)
    tensor([0.5000, 0.8808])

@@ relu | ew
``max(0, input)``, elementwise.

Example:
    >>> rb.relu(rb.tensor([-1.0, 2.0]))
    tensor([0., 2.])

@@ relu_ | ew
In-place :func:`relu`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([-1.0, 2.0])
    >>> rb.relu_(x)
    tensor([0., 2.])

@@ selu | ew
``scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))`` with ``alpha = 1.6733`` and ``scale = 1.0507``.

Example:
    >>> rb.selu(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([-1.1113,  0.0000,  1.0507])

@@ selu_ | ew
In-place :func:`selu`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([-1.0, 1.0])
    >>> rb.selu_(x)
    tensor([-1.1113,  1.0507])

@@ celu | ew
``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``, elementwise.

Example:
    >>> rb.celu(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.6321,  0.0000,  1.0000])

@@ celu_ | ew
In-place :func:`celu`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([-1.0, 1.0])
    >>> rb.celu_(x)
    tensor([-0.6321,  1.0000])

@@ threshold | ew
``input`` where ``input > threshold``, else ``value``.

Example:
    >>> rb.threshold(rb.tensor([-1.0, 0.5, 2.0]), 1.0, 0.0)
    tensor([0., 0., 2.])

@@ threshold_ | ew
In-place :func:`threshold`: overwrites ``input`` and returns it.

Example:
    >>> x = rb.tensor([-1.0, 0.5, 2.0])
    >>> rb.threshold_(x, 1.0, 0.0)
    tensor([0., 0., 2.])

@@ erf | ew
The error function ``2 / sqrt(pi) * integral from 0 to x of exp(-t**2) dt``, elementwise.

Example:
    >>> rb.erf(rb.tensor([0.0, 1.0]))
    tensor([0.0000, 0.8427])

@@ erfc | ew
The complementary error function ``1 - erf(input)``, elementwise.

Example:
    >>> rb.erfc(rb.tensor([0.0, 1.0]))
    tensor([1.0000, 0.1573])

@@ erfinv | ew
The inverse error function on ``(-1, 1)`` (``±inf`` at ``±1``).

Example:
    >>> rb.erfinv(rb.tensor([0.0, 0.5]))
    tensor([0.0000, 0.4769])

@@ sinc | ew
The normalized sinc, ``sin(pi * x) / (pi * x)``, and 1 at ``x == 0``.

Example:
    >>> rb.sinc(rb.tensor([0.0, 0.5, 1.0]))
    tensor([ 1.0000e+00,  6.3662e-01, -2.7828e-08])

@@ floor | ew
The largest integer not above each element.

Example:
    >>> rb.floor(rb.tensor([-1.5, 1.5]))
    tensor([-2.,  1.])

@@ ceil | ew
The smallest integer not below each element.

Example:
    >>> rb.ceil(rb.tensor([-1.5, 1.5]))
    tensor([-1.,  2.])

@@ trunc | ew
Rounds each element toward zero.

Example:
    >>> rb.trunc(rb.tensor([-1.7, 1.7]))
    tensor([-1.,  1.])

@@ frac | ew
The fractional part, ``input - trunc(input)``.

Example:
    >>> rb.frac(rb.tensor([-1.25, 2.5]))
    tensor([-0.2500,  0.5000])

@@ round | ew
Rounds to the nearest integer, halves to even; with ``decimals``, to that many decimal places.

Example:
    >>> rb.round(rb.tensor([0.5, 1.5, 2.6]))
    tensor([0., 2., 3.])
    >>> rb.round(rb.tensor([1.2345]), decimals=2)
    tensor([1.2300])

@@ nan_to_num | ew
Replaces NaN by ``nan``, ``+inf`` by ``posinf`` and ``-inf`` by ``neginf`` (the dtype's largest and lowest
finite values by default).

Example:
    >>> rb.nan_to_num(rb.tensor([float('nan'), float('inf'), -1.0]), posinf=100.0)
    tensor([  0., 100.,  -1.])

@@ isnan | ew
True where the element is NaN (bool tensor).

Example:
    >>> rb.isnan(rb.tensor([1.0, float('nan')]))
    tensor([False,  True])

@@ isinf | ew
True where the element is ``+inf`` or ``-inf`` (bool tensor).

Example:
    >>> rb.isinf(rb.tensor([1.0, float('inf'), -float('inf')]))
    tensor([False,  True,  True])

@@ isfinite | ew
True where the element is neither infinite nor NaN (bool tensor).

Example:
    >>> rb.isfinite(rb.tensor([1.0, float('inf'), float('nan')]))
    tensor([ True, False, False])

@@ logical_not | ew
Logical NOT of each element taken as a truth value (non-zero is True); a bool tensor.

Example:
    >>> rb.logical_not(rb.tensor([0, 1, 2]))
    tensor([ True, False, False])

@@ bitwise_not | ew
Bitwise NOT of an integer or bool tensor (logical NOT for bool).

Example:
    >>> rb.bitwise_not(rb.tensor([0, 5]))
    tensor([-1, -6])

@@ add | bc
``input + alpha * other``, broadcasting; the result dtype follows PyTorch's type promotion.

Example:
    >>> rb.add(rb.tensor([1.0, 2.0]), rb.tensor([10.0, 20.0]))
    tensor([11., 22.])
    >>> rb.add(rb.tensor([1.0, 2.0]), 1, alpha=2)
    tensor([3., 4.])

@@ sub | bc
``input - alpha * other``, broadcasting.

Example:
    >>> rb.sub(rb.tensor([5.0, 5.0]), rb.tensor([1.0, 2.0]), alpha=2)
    tensor([3., 1.])

@@ mul | bc
``input * other``, elementwise, broadcasting.

Example:
    >>> rb.mul(rb.tensor([[1.0], [2.0]]), rb.tensor([1.0, 10.0]))
    tensor([[ 1., 10.],
            [ 2., 20.]])

@@ div | bc
``input / other``: true division (integers give float32) by default; ``rounding_mode='trunc'`` rounds the
quotient toward zero and ``'floor'`` toward minus infinity (as :func:`floor_divide`), both keeping integer
inputs integer and having a zero gradient.

Example:
    >>> rb.div(rb.tensor([1, 7]), 2)
    tensor([0.5000, 3.5000])
    >>> rb.div(rb.tensor([-7, 7]), 2, rounding_mode='trunc')
    tensor([-3,  3])

@@ floor_divide | bc
``input // other``, the quotient rounded toward minus infinity (as Python's ``//``).

Example:
    >>> rb.floor_divide(rb.tensor([-7, 7]), 2)
    tensor([-4,  3])

@@ remainder | bc
The remainder of ``input / other`` with the sign of the divisor (Python's ``%``).

Example:
    >>> rb.remainder(rb.tensor([-3, 3]), 2)
    tensor([1, 1])

@@ fmod | bc
The remainder of ``input / other`` with the sign of the dividend (C's ``fmod``).

Example:
    >>> rb.fmod(rb.tensor([-3, 3]), 2)
    tensor([-1,  1])

@@ pow
``input ** exponent``, elementwise; either may be a number (a number base is ``self``, as in torch).

Shape:
    input, exponent: broadcastable shapes (either may be a number); output: the broadcast shape.

Example:
    >>> rb.pow(rb.tensor([1.0, 2.0, 3.0]), 2)
    tensor([1., 4., 9.])
    >>> rb.pow(2, rb.tensor([1.0, 2.0]))
    tensor([2., 4.])
    >>> rb.pow(rb.tensor([1.0, 2.0]), exponent=3)
    tensor([1., 8.])

@@ atan2 | bc
The angle of the point ``(other, input)``: ``atan(input / other)`` in the right quadrant, in ``[-pi, pi]``.

Example:
    >>> rb.atan2(rb.tensor([1.0, -1.0]), rb.tensor([1.0, -1.0]))
    tensor([ 0.7854, -2.3562])

@@ arctan2 = atan2

@@ hypot | bc
``sqrt(input**2 + other**2)``, elementwise.

Example:
    >>> rb.hypot(rb.tensor([3.0, 5.0]), rb.tensor([4.0, 12.0]))
    tensor([ 5., 13.])

@@ copysign | bc
The magnitude of ``input`` with the sign of ``other``.

Example:
    >>> rb.copysign(rb.tensor([1.0, 2.0]), rb.tensor([-1.0, 0.0]))
    tensor([-1.,  2.])

@@ heaviside | bc
The Heaviside step: 0 where ``input < 0``, 1 where ``input > 0`` and ``values`` where ``input == 0``.

Example:
    >>> rb.heaviside(rb.tensor([-1.0, 0.0, 2.0]), rb.tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])

@@ logaddexp | bc
``log(exp(input) + exp(other))``, computed stably.

Example:
    >>> rb.logaddexp(rb.tensor([0.0, 100.0]), rb.tensor([0.0, 100.0]))
    tensor([  0.6931, 100.6931])

@@ logaddexp2 | bc
``log2(2**input + 2**other)``, computed stably.

Example:
    >>> rb.logaddexp2(rb.tensor([1.0]), rb.tensor([1.0]))
    tensor([2.])

@@ xlogy | bc
``input * log(other)``, with 0 where ``input == 0``.

Example:
    >>> rb.xlogy(rb.tensor([0.0, 2.0]), rb.tensor([0.0, 3.0]))
    tensor([0.0000, 2.1972])

@@ maximum | bc
The elementwise maximum of ``input`` and ``other`` (NaN if either is NaN).

Example:
    >>> rb.maximum(rb.tensor([1.0, 5.0]), rb.tensor([3.0, 2.0]))
    tensor([3., 5.])

@@ minimum | bc
The elementwise minimum of ``input`` and ``other`` (NaN if either is NaN).

Example:
    >>> rb.minimum(rb.tensor([1.0, 5.0]), rb.tensor([3.0, 2.0]))
    tensor([1., 2.])

@@ gcd | bc
The greatest common divisor of integer tensors, elementwise.

Example:
    >>> rb.gcd(rb.tensor([12, 7]), rb.tensor([18, 3]))
    tensor([6, 1])

@@ lcm | bc
The least common multiple of integer tensors, elementwise.

Example:
    >>> rb.lcm(rb.tensor([4, 3]), rb.tensor([6, 5]))
    tensor([12, 15])

@@ bitwise_and | bc
Bitwise AND of integer or bool tensors.

Example:
    >>> rb.bitwise_and(rb.tensor([12, 10]), rb.tensor([10, 6]))
    tensor([8, 2])

@@ bitwise_or | bc
Bitwise OR of integer or bool tensors.

Example:
    >>> rb.bitwise_or(rb.tensor([12, 10]), rb.tensor([10, 6]))
    tensor([14, 14])

@@ bitwise_xor | bc
Bitwise XOR of integer or bool tensors.

Example:
    >>> rb.bitwise_xor(rb.tensor([12, 10]), rb.tensor([10, 6]))
    tensor([ 6, 12])

@@ logical_and | bc
Logical AND of the elements taken as truth values; a bool tensor.

Example:
    >>> rb.logical_and(rb.tensor([1, 0, 2]), rb.tensor([1, 1, 0]))
    tensor([ True, False, False])

@@ logical_or | bc
Logical OR of the elements taken as truth values; a bool tensor.

Example:
    >>> rb.logical_or(rb.tensor([1, 0, 0]), rb.tensor([0, 0, 3]))
    tensor([ True, False,  True])

@@ logical_xor | bc
Logical XOR of the elements taken as truth values; a bool tensor.

Example:
    >>> rb.logical_xor(rb.tensor([1, 0, 1]), rb.tensor([1, 1, 0]))
    tensor([False,  True,  True])

@@ eq | bc
``input == other``, elementwise, as a bool tensor.

Example:
    >>> rb.eq(rb.tensor([1, 2, 3]), rb.tensor([1, 0, 3]))
    tensor([ True, False,  True])

@@ ne | bc
``input != other``, elementwise, as a bool tensor.

Example:
    >>> rb.ne(rb.tensor([1, 2, 3]), 2)
    tensor([ True, False,  True])

@@ lt | bc
``input < other``, elementwise, as a bool tensor.

Example:
    >>> rb.lt(rb.tensor([1, 2, 3]), 2)
    tensor([ True, False, False])

@@ le | bc
``input <= other``, elementwise, as a bool tensor.

Example:
    >>> rb.le(rb.tensor([1, 2, 3]), 2)
    tensor([ True,  True, False])

@@ gt | bc
``input > other``, elementwise, as a bool tensor.

Example:
    >>> rb.gt(rb.tensor([1, 2, 3]), 2)
    tensor([False, False,  True])

@@ ge | bc
``input >= other``, elementwise, as a bool tensor.

Example:
    >>> rb.ge(rb.tensor([1, 2, 3]), 2)
    tensor([False,  True,  True])

@@ isclose | bc
True where ``|input - other| <= atol + rtol * |other|`` (NaNs equal only with ``equal_nan=True``).

Example:
    >>> rb.isclose(rb.tensor([1.0, 1.1]), rb.tensor([1.0 + 1e-6, 1.0]))
    tensor([ True, False])

@@ allclose
True (a Python bool) when :func:`isclose` holds for every element.

Shape:
    input, other: broadcastable shapes.

Example:
    >>> rb.allclose(rb.tensor([1.0, 2.0]), rb.tensor([1.0, 2.0 + 1e-7]))
    True

@@ equal
True (a Python bool) when ``input`` and ``other`` have the same shape and the same elements.

Example:
    >>> rb.equal(rb.tensor([1, 2]), rb.tensor([1, 2]))
    True
    >>> rb.equal(rb.tensor([1, 2]), rb.tensor([[1, 2]]))
    False

@@ clamp | ew
Clamps every element into ``[min, max]``; either bound may be None. The bounds are numbers or tensors
broadcastable to ``input`` (``min`` applies first, so ``min > max`` gives ``max``); with tensor bounds the
gradient goes to ``input`` inside the bounds and to the bound where one was taken.

Example:
    >>> rb.clamp(rb.tensor([-2.0, 0.5, 3.0]), min=-1.0, max=1.0)
    tensor([-1.0000,  0.5000,  1.0000])
    >>> rb.clamp(rb.tensor([-2.0, 0.5, 3.0]), min=0.0)
    tensor([0.0000, 0.5000, 3.0000])

@@ clip = clamp

@@ clamp_min | ew
``max(input, min)``, elementwise.

Example:
    >>> rb.clamp_min(rb.tensor([-2.0, 0.5]), 0.0)
    tensor([0.0000, 0.5000])

@@ clamp_max | ew
``min(input, max)``, elementwise.

Example:
    >>> rb.clamp_max(rb.tensor([-2.0, 0.5]), 0.0)
    tensor([-2.,  0.])

@@ lerp
Linear interpolation ``input + weight * (end - input)``; ``weight`` a number or a tensor.

Shape:
    input, end, weight: broadcastable; output: the broadcast shape.

Example:
    >>> rb.lerp(rb.tensor([0.0, 10.0]), rb.tensor([10.0, 20.0]), 0.25)
    tensor([ 2.5000, 12.5000])

@@ addcmul
``input + value * tensor1 * tensor2``, elementwise.

Shape:
    input, tensor1, tensor2: broadcastable; output: the broadcast shape.

Example:
    >>> rb.addcmul(rb.tensor([1.0, 1.0]), rb.tensor([2.0, 3.0]), rb.tensor([4.0, 5.0]), value=0.5)
    tensor([5.0000, 8.5000])

@@ addcdiv
``input + value * tensor1 / tensor2``, elementwise.

Shape:
    input, tensor1, tensor2: broadcastable; output: the broadcast shape.

Example:
    >>> rb.addcdiv(rb.tensor([1.0, 1.0]), rb.tensor([2.0, 3.0]), rb.tensor([4.0, 6.0]), value=2)
    tensor([2., 2.])

@@ where
``input`` where ``condition`` is True, ``other`` elsewhere; either may be a number.

Shape:
    condition (bool), input, other: broadcastable; output: the broadcast shape.

Example:
    >>> x = rb.tensor([-1.0, 2.0, -3.0])
    >>> rb.where(x > 0, x, 0.0)
    tensor([0., 2., 0.])

"""

DOCS += r"""
@@ sum | red
The sum of the elements, over ``dim`` (an int or a tuple) or of all elements; ``dtype`` sets the accumulation and
result dtype (integer and bool inputs sum to int64).

Example:
    >>> x = rb.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> rb.sum(x)
    tensor(10.)
    >>> rb.sum(x, dim=0)
    tensor([4., 6.])
    >>> rb.sum(x, dim=1, keepdim=True)
    tensor([[3.],
            [7.]])

@@ nansum | red
:func:`sum` treating NaN as zero.

Example:
    >>> rb.nansum(rb.tensor([1.0, float('nan'), 2.0]))
    tensor(3.)

@@ prod | red
The product of the elements, over ``dim`` or of all elements.

Example:
    >>> rb.prod(rb.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)
    tensor([ 2., 12.])

@@ mean | red
The arithmetic mean, over ``dim`` (an int or a tuple) or of all elements, of a floating-point tensor;
``dtype`` casts the input first (so an integer tensor can be averaged).

Example:
    >>> x = rb.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> rb.mean(x)
    tensor(2.5000)
    >>> rb.mean(x, dim=1)
    tensor([1.5000, 3.5000])

@@ nanmean | red
:func:`mean` of the non-NaN elements.

Example:
    >>> rb.nanmean(rb.tensor([1.0, float('nan'), 3.0]))
    tensor(2.)

@@ std | red
The standard deviation over ``dim``, with Bessel's correction by default (``correction=1``; ``correction=0`` or
``unbiased=False`` gives the population value).

Example:
    >>> x = rb.tensor([1.0, 2.0, 3.0, 4.0])
    >>> rb.std(x)
    tensor(1.2910)
    >>> rb.std(x, correction=0)
    tensor(1.1180)

@@ var | red
The variance over ``dim``, with Bessel's correction by default (``correction=1``; ``correction=0`` or
``unbiased=False`` gives the population value).

Example:
    >>> rb.var(rb.tensor([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]), dim=1)
    tensor([1., 0.])

@@ std_mean | red
The tuple ``(std, mean)`` over ``dim``, as :func:`std` and :func:`mean` compute them.

Example:
    >>> rb.std_mean(rb.tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))

@@ var_mean | red
The tuple ``(var, mean)`` over ``dim``, as :func:`var` and :func:`mean` compute them.

Example:
    >>> rb.var_mean(rb.tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))

@@ amax | red
The maximum over ``dim`` (an int or a tuple; all elements when empty), values only; the gradient is spread
evenly over equal maxima.

Example:
    >>> rb.amax(rb.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=0)
    tensor([3., 5.])

@@ amin | red
The minimum over ``dim`` (an int or a tuple; all elements when empty), values only.

Example:
    >>> rb.amin(rb.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=1)
    tensor([1., 2.])

@@ aminmax | red
The named tuple ``(min, max)`` over ``dim``, or over all elements.

Example:
    >>> rb.aminmax(rb.tensor([[1, 5], [3, 2]]), dim=1)
    rosenblatt.return_types.aminmax(
    min=tensor([1, 2]),
    max=tensor([5, 3]))

@@ max
``max(input)``: the largest element (a 0-dim tensor). ``max(input, dim, keepdim=False)``: the named tuple
``(values, indices)`` of the maxima along ``dim``. ``max(input, other)``: :func:`maximum`.

Shape:
    input: ``(*)``; values, indices: ``input``'s shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> x = rb.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> rb.max(x)
    tensor(5.)
    >>> rb.max(x, dim=1)
    rosenblatt.return_types.max(
    values=tensor([5., 3.]),
    indices=tensor([1, 0]))

@@ min
``min(input)``: the smallest element (a 0-dim tensor). ``min(input, dim, keepdim=False)``: the named tuple
``(values, indices)`` of the minima along ``dim``. ``min(input, other)``: :func:`minimum`.

Shape:
    input: ``(*)``; values, indices: ``input``'s shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> x = rb.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> rb.min(x)
    tensor(1.)
    >>> rb.min(x, dim=0)
    rosenblatt.return_types.min(
    values=tensor([1., 2.]),
    indices=tensor([0, 1]))

@@ argmax | red
The index of the (first) maximum along ``dim``, or into the flattened tensor when ``dim`` is None (int64).

Example:
    >>> x = rb.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> rb.argmax(x)
    tensor(1)
    >>> rb.argmax(x, dim=1)
    tensor([1, 0])

@@ argmin | red
The index of the (first) minimum along ``dim``, or into the flattened tensor when ``dim`` is None (int64).

Example:
    >>> rb.argmin(rb.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=0)
    tensor([0, 1])

@@ all | red
True where every element (along ``dim``, or of the whole tensor) is non-zero; a bool tensor.

Example:
    >>> rb.all(rb.tensor([[True, False], [True, True]]), dim=1)
    tensor([False,  True])

@@ any | red
True where some element (along ``dim``, or of the whole tensor) is non-zero; a bool tensor.

Example:
    >>> rb.any(rb.tensor([[True, False], [False, False]]), dim=1)
    tensor([ True, False])

@@ count_nonzero | red
The number of non-zero elements along ``dim`` (an int or a tuple), or in the whole tensor (int64).

Example:
    >>> rb.count_nonzero(rb.tensor([[0, 1, 2], [0, 0, 3]]), dim=1)
    tensor([2, 1])

@@ logsumexp | red
``log(sum(exp(input), dim))``, computed stably (the max is subtracted first).

Example:
    >>> rb.logsumexp(rb.tensor([[0.0, 0.0], [1.0, 2.0]]), dim=1)
    tensor([0.6931, 2.3133])

@@ norm | red
The ``p``-norm over ``dim`` (all elements when None): ``'fro'`` (the default) and numbers are vector norms of
the flattened values (``'nuc'`` needs singular values and raises NotImplementedError). Prefer
:func:`rosenblatt.linalg.vector_norm` and :func:`rosenblatt.linalg.matrix_norm`, as PyTorch advises.

Example:
    >>> rb.norm(rb.tensor([[3.0, 4.0], [0.0, 0.0]]))
    tensor(5.)
    >>> rb.norm(rb.tensor([[3.0, 4.0], [1.0, 0.0]]), p=1, dim=1)
    tensor([7., 1.])

@@ median | red
The median, the lower of the two middle values for an even count. Without ``dim``, a 0-dim tensor of all
elements; with ``dim``, the named tuple ``(values, indices)``.

Example:
    >>> rb.median(rb.tensor([1.0, 4.0, 2.0, 3.0]))
    tensor(2.)
    >>> rb.median(rb.tensor([[1.0, 9.0, 2.0], [5.0, 3.0, 4.0]]), dim=1)
    rosenblatt.return_types.median(
    values=tensor([2., 4.]),
    indices=tensor([2, 2]))

@@ nanmedian | red
:func:`median` of the non-NaN elements.

Example:
    >>> rb.nanmedian(rb.tensor([1.0, float('nan'), 3.0, 2.0]))
    tensor(2.)

@@ mode | red
The named tuple ``(values, indices)`` of the most frequent value along ``dim`` and
an index where it occurs.

Example:
    >>> rb.mode(rb.tensor([[1, 2, 2], [3, 3, 1]])).values
    tensor([2, 3])

@@ quantile
The ``q``-th quantiles (``q`` in ``[0, 1]``, a number or a 1-D tensor) over ``dim`` or of all elements;
``interpolation`` (``'linear'``, ``'lower'``, ``'higher'``, ``'midpoint'``, ``'nearest'``) says how to pick
between two data points.

Shape:
    input: ``(*)``; output: ``input``'s shape without ``dim``, with a leading dimension of ``len(q)`` when ``q``
    is a 1-D tensor.

Example:
    >>> x = rb.tensor([1.0, 2.0, 3.0, 4.0])
    >>> rb.quantile(x, 0.5)
    tensor(2.5000)
    >>> rb.quantile(x, rb.tensor([0.25, 0.75]))
    tensor([1.7500, 3.2500])

@@ nanquantile
:func:`quantile` of the non-NaN elements.

Shape:
    input: ``(*)``; output: ``input``'s shape without ``dim``, with a leading dimension of ``len(q)`` when ``q``
    is a 1-D tensor.

Example:
    >>> rb.nanquantile(rb.tensor([1.0, float('nan'), 3.0]), 0.5)
    tensor(2.)

@@ kthvalue
The named tuple ``(values, indices)`` of the ``k``-th smallest element (1-based) along ``dim``.

Shape:
    input: ``(*)``; values, indices: ``input``'s shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.kthvalue(rb.tensor([3.0, 1.0, 2.0]), 2)
    rosenblatt.return_types.kthvalue(
    values=tensor(2.),
    indices=tensor(2))

@@ topk
The named tuple ``(values, indices)`` of the ``k`` largest (``largest=False``: smallest) elements along
``dim``, sorted when ``sorted=True``.

Shape:
    input: ``(*, n, *)``; values, indices: ``(*, k, *)``.

Example:
    >>> rb.topk(rb.tensor([1.0, 5.0, 3.0, 4.0]), 2)
    rosenblatt.return_types.topk(
    values=tensor([5., 4.]),
    indices=tensor([1, 3]))

@@ sort
The named tuple ``(values, indices)`` of ``input`` sorted along ``dim``, ascending unless ``descending=True``;
``stable=True`` keeps the order of equal elements.

Shape:
    values, indices: the shape of ``input``.

Example:
    >>> rb.sort(rb.tensor([3.0, 1.0, 2.0]))
    rosenblatt.return_types.sort(
    values=tensor([1., 2., 3.]),
    indices=tensor([1, 2, 0]))
    >>> rb.sort(rb.tensor([3.0, 1.0, 2.0]), descending=True).indices
    tensor([0, 2, 1])

@@ argsort
The indices that sort ``input`` along ``dim`` (the ``indices`` of :func:`sort`).

Shape:
    output: the shape of ``input``, int64.

Example:
    >>> rb.argsort(rb.tensor([3.0, 1.0, 2.0]))
    tensor([1, 2, 0])

@@ cumsum
The cumulative sum along ``dim``: ``y_i = x_1 + ... + x_i``.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.cumsum(rb.tensor([1, 2, 3, 4]), dim=0)
    tensor([ 1,  3,  6, 10])

@@ cumprod
The cumulative product along ``dim``: ``y_i = x_1 * ... * x_i``.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.cumprod(rb.tensor([1.0, 2.0, 3.0, 4.0]), dim=0)
    tensor([ 1.,  2.,  6., 24.])

@@ cummax
The named tuple ``(values, indices)`` of the running maximum along ``dim`` and where it was reached.

Shape:
    values, indices: the shape of ``input``.

Example:
    >>> rb.cummax(rb.tensor([1.0, 3.0, 2.0, 5.0]), dim=0)
    rosenblatt.return_types.cummax(
    values=tensor([1., 3., 3., 5.]),
    indices=tensor([0, 1, 1, 3]))

@@ cummin
The named tuple ``(values, indices)`` of the running minimum along ``dim`` and where it was reached.

Shape:
    values, indices: the shape of ``input``.

Example:
    >>> rb.cummin(rb.tensor([4.0, 3.0, 5.0, 1.0]), dim=0)
    rosenblatt.return_types.cummin(
    values=tensor([4., 3., 3., 1.]),
    indices=tensor([0, 1, 1, 3]))

@@ logcumsumexp
``log(cumsum(exp(input), dim))``, computed stably.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.logcumsumexp(rb.tensor([0.0, 0.0, 0.0]), dim=0)
    tensor([0.0000, 0.6931, 1.0986])

@@ softmax
``exp(x_i) / sum_j exp(x_j)`` along ``dim``: non-negative values that sum to 1.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.softmax(rb.tensor([[1.0, 2.0, 3.0]]), dim=1)
    tensor([[0.0900, 0.2447, 0.6652]])

@@ log_softmax
``log(softmax(input, dim))``, computed stably.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.log_softmax(rb.tensor([[1.0, 2.0, 3.0]]), dim=1)
    tensor([[-2.4076, -1.4076, -0.4076]])

@@ diff
The ``n``-th forward difference along ``dim``, ``x[i + 1] - x[i]``, after concatenating ``prepend`` and
``append``.

Shape:
    input: ``(*, m)`` along ``dim``; output: ``(*, m - n)`` (plus the prepended and appended lengths).

Example:
    >>> rb.diff(rb.tensor([1, 4, 9, 16]))
    tensor([3, 5, 7])

@@ histc
A histogram of ``bins`` equal-width bins between ``min`` and ``max`` (the data's own range when both are 0);
elements outside are ignored.

Shape:
    output: ``(bins,)``, the dtype of ``input``.

Example:
    >>> rb.histc(rb.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=4)
    tensor([0., 2., 1., 1.])

@@ histogram
A histogram of ``input``'s values: ``bins`` equal-width bins over ``range`` (the data's own range when not
given), or the bins between the edges of a 1-D tensor ``bins``. Each value counts (or adds its ``weight``) in
the bin whose edges enclose it, the last bin closed on the right; values outside are left out. ``density=True``
divides by the total and by each bin's width. Returns ``return_types.histogram(hist, bin_edges)``.

Shape:
    input: ``(*)``, flattened; weight: ``input``'s shape; hist: ``(bins,)``; bin_edges: ``(bins + 1,)``, the
    dtype of ``input``.

Example:
    >>> rb.histogram(rb.tensor([1.0, 2.0, 1.0]), bins=4, range=(0.0, 3.0))
    rosenblatt.return_types.histogram(
    hist=tensor([0., 2., 1., 0.]),
    bin_edges=tensor([0.0000, 0.7500, 1.5000, 2.2500, 3.0000]))

@@ histogramdd
The D-dimensional histogram of the points in ``input``'s last dimension: in each dimension ``bins`` (one
number, a number per dimension, or a 1-D tensor of edges per dimension) splits ``range`` (``(lo, hi)`` per
dimension, flattened; the data's own range when not given) as :func:`histogram` does. A point counts (or adds
its ``weight``) in the bin whose edges enclose it in every dimension; points outside are left out.
``density=True`` divides by the total and by each bin's volume. Returns
``return_types.histogramdd(hist, bin_edges)``, ``bin_edges`` a tuple of one tensor per dimension.

Shape:
    input: ``(*, D)``; weight: ``(*)``; hist: ``(bins[0], ..., bins[D-1])``; bin_edges[d]: ``(bins[d] + 1,)``.

Example:
    >>> rb.histogramdd(rb.tensor([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]]), bins=[2, 2])
    rosenblatt.return_types.histogramdd(
    hist=tensor([[0., 1.],
            [1., 1.]]),
    bin_edges=(tensor([0., 1., 2.]), tensor([0.0000, 0.5000, 1.0000])))

@@ frexp | ew
Splits each element into a mantissa in ``(-1, 1)`` (``0.5 <= |mantissa| < 1``) and an int32 exponent with
``input == mantissa * 2 ** exponent`` exactly; 0, inf and NaN come back as themselves with exponent 0. The
mantissa's gradient is the incoming one times ``2 ** -exponent``.

Example:
    >>> rb.frexp(rb.tensor([8.0, 0.75, -3.0]))
    rosenblatt.return_types.frexp(
    mantissa=tensor([ 0.5000,  0.7500, -0.7500]),
    exponent=tensor([4, 0, 2], dtype=rosenblatt.int32))

@@ bincount
The count of each value of a 1-D non-negative int64 tensor (the sum of ``weights`` per value when given),
with at least ``minlength`` bins.

Shape:
    input: ``(n,)``; output: ``(max(input.max() + 1, minlength),)``.

Example:
    >>> rb.bincount(rb.tensor([0, 1, 1, 3]))
    tensor([1, 2, 0, 1])

@@ unique
The sorted unique elements of ``input`` (of its slices along ``dim`` when given), with, as asked, the inverse
indices (``input`` rebuilt as ``output[inverse]``) and the counts.

Shape:
    output: ``(k,)`` for k unique values; inverse: the shape of ``input``; counts: ``(k,)``.

Example:
    >>> rb.unique(rb.tensor([2, 1, 2, 3]))
    tensor([1, 2, 3])
    >>> rb.unique(rb.tensor([2, 1, 2, 3]), return_inverse=True, return_counts=True)
    (tensor([1, 2, 3]), tensor([1, 0, 1, 2]), tensor([1, 2, 1]))

@@ unique_consecutive
Removes consecutive duplicates, as ``uniq`` does, with the inverse indices and counts as asked.

Shape:
    output: ``(k,)`` for k runs; inverse: the shape of ``input``; counts: ``(k,)``.

Example:
    >>> rb.unique_consecutive(rb.tensor([1, 1, 2, 2, 1]), return_counts=True)
    (tensor([1, 2, 1]), tensor([2, 2, 1]))

@@ searchsorted
For each value of ``input``, the index where it would be inserted into ``sorted_sequence`` (sorted along its
last dimension) to keep it sorted; ``right=True`` (or ``side='right'``) takes the index after equal values.

Shape:
    sorted_sequence: ``(*, m)`` or ``(m,)``; input: ``(*, n)`` (any shape with a 1-D sequence); output: the shape
    of ``input``, int64.

Example:
    >>> rb.searchsorted(rb.tensor([1, 3, 5, 7]), rb.tensor([3, 6]))
    tensor([1, 3])
    >>> rb.searchsorted(rb.tensor([1, 3, 5, 7]), rb.tensor([3, 6]), right=True)
    tensor([2, 3])

@@ bucketize
The index of the bucket of each element of ``input`` in the 1-D sorted ``boundaries``, as
:func:`searchsorted` with the arguments swapped.

Shape:
    boundaries: ``(m,)``; output: the shape of ``input``, int64.

Example:
    >>> rb.bucketize(rb.tensor([0.5, 3.0, 9.0]), rb.tensor([1.0, 3.0, 5.0]))
    tensor([0, 1, 3])

"""

DOCS += r"""
@@ reshape
A tensor with ``input``'s elements in the shape ``shape`` (one entry may be -1, inferred); a view when the
strides allow it, a copy otherwise.

Shape:
    output: ``shape``, with as many elements as ``input``.

Example:
    >>> rb.reshape(rb.arange(6), (2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    >>> rb.reshape(rb.arange(6), (-1, 2)).shape
    rosenblatt.Size([3, 2])

@@ flatten
Flattens the dimensions ``start_dim`` to ``end_dim`` into one.

Shape:
    input: ``(*, d_start, ..., d_end, *)``; output: ``(*, d_start * ... * d_end, *)``.

Example:
    >>> rb.flatten(rb.zeros(2, 3, 4), start_dim=1).shape
    rosenblatt.Size([2, 12])

@@ unflatten
Splits dimension ``dim`` into ``sizes`` (one entry may be -1), the inverse of :func:`flatten`.

Shape:
    input: ``(*, d, *)``; output: ``(*, *sizes, *)`` with ``prod(sizes) == d``.

Example:
    >>> rb.unflatten(rb.zeros(2, 12), 1, (3, 4)).shape
    rosenblatt.Size([2, 3, 4])

@@ squeeze
Removes dimensions of size 1: all of them, or those of ``dim`` (an int or a tuple; a listed dimension of another
size stays). Returns a view.

Shape:
    input: ``(A, 1, B, 1)``; output: ``(A, B)`` (``dim=1``: ``(A, B, 1)``).

Example:
    >>> rb.squeeze(rb.zeros(2, 1, 3, 1)).shape
    rosenblatt.Size([2, 3])
    >>> rb.squeeze(rb.zeros(2, 1, 3, 1), 1).shape
    rosenblatt.Size([2, 3, 1])

@@ unsqueeze
Inserts a dimension of size 1 at ``dim`` (negative counts from the end of the output). Returns a view.

Shape:
    input: ``(*)`` with n dimensions; output: n + 1 dimensions.

Example:
    >>> rb.unsqueeze(rb.tensor([1, 2, 3]), 0)
    tensor([[1, 2, 3]])
    >>> rb.unsqueeze(rb.tensor([1, 2, 3]), -1).shape
    rosenblatt.Size([3, 1])

@@ permute
A view with the dimensions reordered: output dimension ``i`` is input dimension ``dims[i]``.

Shape:
    input: ``(d_0, ..., d_n-1)``; output: ``(d_dims[0], ..., d_dims[n-1])``.

Example:
    >>> rb.permute(rb.zeros(2, 3, 4), (2, 0, 1)).shape
    rosenblatt.Size([4, 2, 3])

@@ transpose
A view with dimensions ``dim0`` and ``dim1`` swapped.

Shape:
    input: ``(*, a, *, b, *)``; output: ``(*, b, *, a, *)``.

Example:
    >>> rb.transpose(rb.tensor([[1, 2, 3], [4, 5, 6]]), 0, 1)
    tensor([[1, 4],
            [2, 5],
            [3, 6]])

@@ swapaxes = transpose

@@ swapdims = transpose

@@ t
The transpose of a matrix (a view); 0-D and 1-D tensors come back as they are.

Shape:
    input: ``(m, n)``; output: ``(n, m)``.

Example:
    >>> rb.t(rb.tensor([[1, 2, 3], [4, 5, 6]]))
    tensor([[1, 4],
            [2, 5],
            [3, 6]])

@@ movedim
Moves dimension(s) ``source`` to position(s) ``destination``, the others keeping their order. Returns a view.

Shape:
    input: ``(a, b, c)``; ``movedim(x, 0, -1)``: ``(b, c, a)``.

Example:
    >>> rb.movedim(rb.zeros(2, 3, 4), 0, -1).shape
    rosenblatt.Size([3, 4, 2])

@@ moveaxis = movedim

@@ cat
Concatenates ``tensors`` along the existing dimension ``dim``; they must match in every other dimension.

Shape:
    tensors: ``(*, n_i, *)``; output: ``(*, sum n_i, *)``.

Example:
    >>> a = rb.tensor([[1, 2]])
    >>> b = rb.tensor([[3, 4], [5, 6]])
    >>> rb.cat([a, b])
    tensor([[1, 2],
            [3, 4],
            [5, 6]])
    >>> rb.cat([a, a], dim=1)
    tensor([[1, 2, 1, 2]])

@@ concat = cat

@@ concatenate
Alias for :func:`rosenblatt.cat`, with numpy's argument name ``axis``.

Shape:
    tensors: ``(*, n_i, *)``; output: ``(*, sum n_i, *)``.

Example:
    >>> rb.concatenate([rb.tensor([1, 2]), rb.tensor([3])], axis=0)
    tensor([1, 2, 3])

@@ stack
Stacks tensors of one shape along a new dimension ``dim``.

Shape:
    tensors: ``(*)`` each, k of them; output: ``(*)`` with a dimension of size k inserted at ``dim``.

Example:
    >>> rb.stack([rb.tensor([1, 2]), rb.tensor([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    >>> rb.stack([rb.tensor([1, 2]), rb.tensor([3, 4])], dim=1)
    tensor([[1, 3],
            [2, 4]])

@@ split
Splits ``tensor`` into views along ``dim``: chunks of ``split_size_or_sections`` (the last may be smaller), or
chunks of the sizes listed.

Shape:
    tensor: ``(*, n, *)``; outputs: ``(*, size_i, *)``.

Example:
    >>> rb.split(rb.arange(5), 2)
    (tensor([0, 1]), tensor([2, 3]), tensor([4]))
    >>> rb.split(rb.arange(5), [1, 4])
    (tensor([0]), tensor([1, 2, 3, 4]))

@@ chunk
Splits ``input`` into ``chunks`` views along ``dim`` of ``ceil(n / chunks)`` elements each (fewer chunks when
that covers it, the last possibly smaller).

Shape:
    input: ``(*, n, *)``; outputs: ``(*, ceil(n / chunks), *)``, the last possibly smaller.

Example:
    >>> rb.chunk(rb.arange(5), 3)
    (tensor([0, 1]), tensor([2, 3]), tensor([4]))

@@ tensor_split
Splits ``input`` into ``n`` views of nearly equal size along ``dim`` (sizes differ by at most one), or at the
listed indices, as numpy.array_split.

Shape:
    input: ``(*, n, *)``; outputs: ``(*, n_i, *)``.

Example:
    >>> rb.tensor_split(rb.arange(5), 3)
    (tensor([0, 1]), tensor([2, 3]), tensor([4]))
    >>> rb.tensor_split(rb.arange(5), [1, 3])
    (tensor([0]), tensor([1, 2]), tensor([3, 4]))

@@ unbind
Removes dimension ``dim``: a tuple of the slices along it (views).

Shape:
    input: ``(*, n, *)``; outputs: n tensors of ``(*, *)``.

Example:
    >>> rb.unbind(rb.tensor([[1, 2], [3, 4]]))
    (tensor([1, 2]), tensor([3, 4]))

@@ narrow
The view of ``length`` elements of ``input`` along ``dim`` from ``start``.

Shape:
    input: ``(*, n, *)``; output: ``(*, length, *)``.

Example:
    >>> rb.narrow(rb.tensor([[1, 2, 3], [4, 5, 6]]), 1, 1, 2)
    tensor([[2, 3],
            [5, 6]])

@@ narrow_copy
:func:`narrow`, as a new tensor rather than a view.

Shape:
    input: ``(*, n, *)``; output: ``(*, length, *)``.

Example:
    >>> rb.narrow_copy(rb.tensor([1, 2, 3, 4]), 0, 1, 2)
    tensor([2, 3])

@@ select
The slice at ``index`` along ``dim`` (a view); the dimension is removed, as ``input[..., index, ...]``.

Shape:
    input: ``(*, n, *)``; output: ``(*, *)``.

Example:
    >>> rb.select(rb.tensor([[1, 2], [3, 4]]), 1, 0)
    tensor([1, 3])

@@ broadcast_to
A view of ``input`` broadcast to ``size`` (-1 keeps a dimension), without copying.

Shape:
    output: ``size``.

Example:
    >>> rb.broadcast_to(rb.tensor([1, 2]), (2, 2))
    tensor([[1, 2],
            [1, 2]])

@@ broadcast_tensors
The tensors broadcast to their common shape, as views.

Shape:
    tensors: broadcastable shapes; outputs: the broadcast shape each.

Example:
    >>> a, b = rb.broadcast_tensors(rb.tensor([[1], [2]]), rb.tensor([10, 20, 30]))
    >>> a.shape, b.shape
    (rosenblatt.Size([2, 3]), rosenblatt.Size([2, 3]))

@@ broadcast_shapes
The shape that tensors of the given shapes broadcast to, without creating tensors.

Example:
    >>> rb.broadcast_shapes((2, 1), (1, 3), (3,))
    rosenblatt.Size([2, 3])

@@ as_strided
A view of ``input``'s storage with the given ``size``, ``stride`` and ``storage_offset``; elements may
overlap. Wrong strides read the wrong elements, so prefer the other view functions.

Shape:
    output: ``size``.

Example:
    >>> rb.as_strided(rb.arange(6), (2, 2), (1, 2))
    tensor([[0, 2],
            [1, 3]])

@@ flip
Reverses the order of the elements along the dimensions ``dims`` (a copy).

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.flip(rb.tensor([[1, 2], [3, 4]]), [1])
    tensor([[2, 1],
            [4, 3]])

@@ roll
Rolls the elements along ``dims`` by ``shifts`` places, wrapping around; without ``dims``, rolls the flattened
tensor and restores the shape.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.roll(rb.tensor([1, 2, 3, 4]), 1)
    tensor([4, 1, 2, 3])
    >>> rb.roll(rb.tensor([[1, 2], [3, 4]]), shifts=1, dims=0)
    tensor([[3, 4],
            [1, 2]])

@@ rot90
Rotates by 90 degrees ``k`` times in the plane of ``dims``, from the first toward the second dimension.

Shape:
    input: ``(*, a, *, b, *)`` over ``dims``; output: ``(*, b, *, a, *)`` for odd ``k``.

Example:
    >>> rb.rot90(rb.tensor([[1, 2], [3, 4]]))
    tensor([[2, 4],
            [1, 3]])

@@ tile
Repeats ``input`` ``dims[i]`` times along dimension ``i`` (``dims`` is padded with ones on the left when it
is shorter than ``input.dim()``, and ``input``'s shape when it is longer).

Shape:
    input: ``(d_0, ..., d_n-1)``; output: ``(d_0 * dims[0], ..., d_n-1 * dims[n-1])``.

Example:
    >>> rb.tile(rb.tensor([1, 2]), (2,))
    tensor([1, 2, 1, 2])
    >>> rb.tile(rb.tensor([[1, 2]]), (2, 1))
    tensor([[1, 2],
            [1, 2]])

@@ repeat_interleave
Repeats each element ``repeats`` times (an int, or a tensor of one count per element) along ``dim``; without
``dim``, on the flattened tensor. ``repeat_interleave(repeats)`` alone gives ``i`` repeated ``repeats[i]``
times.

Shape:
    input: ``(*, n, *)``; output: ``(*, sum of repeats, *)``.

Example:
    >>> rb.repeat_interleave(rb.tensor([1, 2]), 2)
    tensor([1, 1, 2, 2])
    >>> rb.repeat_interleave(rb.tensor([[1, 2], [3, 4]]), rb.tensor([1, 2]), dim=0)
    tensor([[1, 2],
            [3, 4],
            [3, 4]])

@@ tril
The lower triangle of the matrices (the last two dimensions) on and below diagonal ``diagonal``; zeros above.

Shape:
    input: ``(*, m, n)``; output: the same shape.

Example:
    >>> rb.tril(rb.ones(3, 3))
    tensor([[1., 0., 0.],
            [1., 1., 0.],
            [1., 1., 1.]])

@@ triu
The upper triangle of the matrices (the last two dimensions) on and above diagonal ``diagonal``; zeros below.

Shape:
    input: ``(*, m, n)``; output: the same shape.

Example:
    >>> rb.triu(rb.ones(3, 3), diagonal=1)
    tensor([[0., 1., 1.],
            [0., 0., 1.],
            [0., 0., 0.]])

@@ diag
From a 1-D tensor, the square matrix with it on diagonal ``diagonal``; from a matrix, that diagonal as a 1-D
tensor.

Shape:
    input: ``(n,)``; output: ``(n + |diagonal|, n + |diagonal|)``. Or input: ``(m, n)``; output: ``(k,)``.

Example:
    >>> rb.diag(rb.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    >>> rb.diag(rb.tensor([[1, 2], [3, 4]]))
    tensor([1, 4])

@@ diagonal
The view of the diagonal ``offset`` of the planes of ``dim1`` and ``dim2``, appended as the last dimension.

Shape:
    input: ``(*, m, *, n, *)``; output: ``(*, *, *, k)`` with k the length of the diagonal.

Example:
    >>> rb.diagonal(rb.tensor([[1, 2], [3, 4]]))
    tensor([1, 4])
    >>> rb.diagonal(rb.tensor([[1, 2], [3, 4]]), offset=1)
    tensor([2])

@@ diag_embed
Matrices (in the planes of ``dim1``, ``dim2``) whose diagonal ``offset`` holds the last dimension of ``input``.

Shape:
    input: ``(*, n)``; output: ``(*, n + |offset|, n + |offset|)`` with the default dims.

Example:
    >>> rb.diag_embed(rb.tensor([[1, 2], [3, 4]]))
    tensor([[[1, 0],
             [0, 2]],
    <BLANKLINE>
            [[3, 0],
             [0, 4]]])

@@ trace
The sum of the main diagonal of a matrix (a 0-dim tensor).

Shape:
    input: ``(m, n)``; output: ``()``.

Example:
    >>> rb.trace(rb.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(5.)

@@ clone
A copy of ``input`` with its own memory; autograd sees the copy as an identity, so gradients flow back. The
default ``memory_format=rb.preserve_format`` keeps the strides of a dense ``input``; ``rb.contiguous_format``
makes the copy contiguous.

Shape:
    output: the shape of ``input``.

Example:
    >>> x = rb.tensor([1.0, 2.0])
    >>> y = rb.clone(x)
    >>> y[0] = 5.0
    >>> x
    tensor([1., 2.])

@@ gather
Picks values along ``dim`` by ``index``: for a 2-D input and ``dim=1``, ``out[i][j] = input[i][index[i][j]]``.

Shape:
    input: ``(*)``; index: int64, the same number of dimensions, no larger than ``input`` except along ``dim``;
    output: the shape of ``index``.

Example:
    >>> rb.gather(rb.tensor([[1, 2], [3, 4]]), 1, rb.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])

@@ take_along_dim
Picks values along ``dim`` by ``indices`` broadcast against ``input`` (as numpy.take_along_axis); without
``dim``, indexes the flattened tensor.

Shape:
    indices: int64, broadcastable with ``input`` except along ``dim``; output: the broadcast shape.

Example:
    >>> x = rb.tensor([[10, 30, 20], [60, 40, 50]])
    >>> rb.take_along_dim(x, rb.argmax(x, dim=1, keepdim=True), dim=1)
    tensor([[30],
            [60]])

@@ scatter
A copy of ``input`` with values written at ``index`` along ``dim``: for a 2-D input and ``dim=1``,
``out[i][index[i][j]] = src[i][j]`` (or ``value``, a number).

Shape:
    index: int64, the same number of dimensions as ``input``; src: at least the shape of ``index``; output: the
    shape of ``input``.

Example:
    >>> rb.scatter(rb.zeros(2, 3), 1, rb.tensor([[2], [0]]), rb.tensor([[5.0], [7.0]]))
    tensor([[0., 0., 5.],
            [7., 0., 0.]])

@@ scatter_add
As :func:`scatter`, adding ``src`` into the positions (repeated indices accumulate).

Shape:
    index: int64; src: at least the shape of ``index``; output: the shape of ``input``.

Example:
    >>> rb.scatter_add(rb.zeros(3), 0, rb.tensor([0, 0, 2]), rb.tensor([1.0, 2.0, 3.0]))
    tensor([3., 0., 3.])

@@ scatter_reduce
As :func:`scatter`, combining ``src`` into the positions with ``reduce``: ``'sum'``, ``'prod'``, ``'mean'``,
``'amax'`` or ``'amin'``; ``include_self=False`` leaves ``input``'s values at scattered positions out.

Shape:
    index: int64; src: at least the shape of ``index``; output: the shape of ``input``.

Example:
    >>> idx = rb.tensor([0, 0, 1])
    >>> rb.scatter_reduce(rb.zeros(2), 0, idx, rb.tensor([1.0, 3.0, 2.0]), 'amax', include_self=False)
    tensor([3., 2.])

@@ index_select
The slices of ``input`` at ``index`` along ``dim`` (a copy), as ``input[..., index, ...]``.

Shape:
    input: ``(*, n, *)``; index: ``(k,)``, int64; output: ``(*, k, *)``.

Example:
    >>> rb.index_select(rb.tensor([[1, 2], [3, 4], [5, 6]]), 0, rb.tensor([2, 0]))
    tensor([[5, 6],
            [1, 2]])

@@ index_add
A copy of ``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim`` (repeated indices
accumulate).

Shape:
    index: ``(k,)``, int64; source: ``input``'s shape with ``k`` along ``dim``; output: the shape of ``input``.

Example:
    >>> rb.index_add(rb.zeros(3, 2), 0, rb.tensor([0, 0]), rb.ones(2, 2))
    tensor([[2., 2.],
            [0., 0.],
            [0., 0.]])

@@ index_copy
A copy of ``input`` with the slices at ``index`` along ``dim`` replaced by those of ``source``.

Shape:
    index: ``(k,)``, int64; source: ``input``'s shape with ``k`` along ``dim``; output: the shape of ``input``.

Example:
    >>> rb.index_copy(rb.zeros(3), 0, rb.tensor([2]), rb.tensor([9.0]))
    tensor([0., 0., 9.])

@@ index_fill
A copy of ``input`` with the slices at ``index`` along ``dim`` set to ``value``.

Shape:
    index: ``(k,)``, int64; output: the shape of ``input``.

Example:
    >>> rb.index_fill(rb.zeros(2, 3), 1, rb.tensor([0, 2]), -1.0)
    tensor([[-1.,  0., -1.],
            [-1.,  0., -1.]])

@@ index_put
A copy of ``input`` with ``values`` written at the positions ``input[indices]`` (a tuple of index tensors);
``accumulate=True`` adds instead.

Shape:
    indices: a tuple of int64 (or bool) tensors; values: broadcastable to ``input[indices]``; output: the shape
    of ``input``.

Example:
    >>> rb.index_put(rb.zeros(3), (rb.tensor([0, 2]),), rb.tensor([1.0, 2.0]))
    tensor([1., 0., 2.])

@@ masked_fill
A copy of ``input`` with ``value`` where ``mask`` is True.

Shape:
    mask: bool, broadcastable to ``input``; output: the shape of ``input``.

Example:
    >>> x = rb.tensor([1.0, -2.0, 3.0])
    >>> rb.masked_fill(x, x < 0, 0.0)
    tensor([1., 0., 3.])

@@ masked_select
The elements of ``input`` where ``mask`` is True, as a 1-D tensor.

Shape:
    mask: bool, broadcastable with ``input``; output: ``(k,)``, k the number of True elements.

Example:
    >>> x = rb.tensor([[1, -2], [-3, 4]])
    >>> rb.masked_select(x, x > 0)
    tensor([1, 4])

@@ nonzero
The indices of the non-zero elements: a ``(k, input.dim())`` int64 tensor, or with ``as_tuple=True`` one 1-D
tensor per dimension (as numpy.nonzero).

Shape:
    output: ``(k, n)`` for k non-zeros in an n-dimensional ``input``.

Example:
    >>> rb.nonzero(rb.tensor([[0, 1], [2, 0]]))
    tensor([[0, 1],
            [1, 0]])
    >>> rb.nonzero(rb.tensor([0, 3, 0, 4]), as_tuple=True)
    (tensor([1, 3]),)

@@ renorm
Rescales each slice ``input[..., i, ...]`` along ``dim`` whose ``p``-norm exceeds ``maxnorm`` to norm
``maxnorm``.

Shape:
    output: the shape of ``input``.

Example:
    >>> rb.renorm(rb.tensor([[3.0, 4.0], [0.3, 0.4]]), p=2, dim=0, maxnorm=1.0)
    tensor([[0.6000, 0.8000],
            [0.3000, 0.4000]])

@@ embedding_renorm_
Renormalizes in place the rows of ``input`` (an embedding weight) picked by ``indices`` whose
``norm_type``-norm exceeds ``max_norm``, to norm ``max_norm``; what ``F.embedding(..., max_norm=...)`` does.

Shape:
    input: ``(num_embeddings, embedding_dim)``; indices: int64.

Example:
    >>> w = rb.tensor([[3.0, 4.0], [0.3, 0.4]])
    >>> _ = rb.embedding_renorm_(w, rb.tensor([0, 1]), 1.0, 2.0)
    >>> w
    tensor([[0.6000, 0.8000],
            [0.3000, 0.4000]])

"""

DOCS += r"""
@@ matmul
The matrix product, by the tensors' dimensions: vector·vector (a 0-dim dot product), matrix·vector,
matrix·matrix, and batched products that broadcast the batch dimensions (a 1-D argument gets a dimension
prepended or appended, removed afterwards).

Shape:
    input: ``(*, n, m)``; other: ``(*, m, p)``; output: ``(*, n, p)``, the batch ``*`` broadcast.

Example:
    >>> a = rb.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> rb.matmul(a, a)
    tensor([[ 7., 10.],
            [15., 22.]])
    >>> rb.matmul(a, rb.tensor([1.0, 1.0]))
    tensor([3., 7.])
    >>> rb.matmul(rb.ones(5, 2, 3), rb.ones(3, 4)).shape
    rosenblatt.Size([5, 2, 4])

@@ mm
The product of two matrices (no broadcasting).

Shape:
    input: ``(n, m)``; mat2: ``(m, p)``; output: ``(n, p)``.

Example:
    >>> rb.mm(rb.tensor([[1.0, 2.0]]), rb.tensor([[3.0], [4.0]]))
    tensor([[11.]])

@@ bmm
Batched matrix product of 3-D tensors (no broadcasting).

Shape:
    input: ``(b, n, m)``; mat2: ``(b, m, p)``; output: ``(b, n, p)``.

Example:
    >>> rb.bmm(rb.ones(2, 3, 4), rb.ones(2, 4, 5)).shape
    rosenblatt.Size([2, 3, 5])

@@ addmm
``beta * input + alpha * (mat1 @ mat2)``.

Shape:
    mat1: ``(n, m)``; mat2: ``(m, p)``; input: broadcastable to ``(n, p)``; output: ``(n, p)``.

Example:
    >>> rb.addmm(rb.tensor([1.0, 1.0]), rb.eye(2), rb.tensor([[1.0, 2.0], [3.0, 4.0]]), beta=0.5)
    tensor([[1.5000, 2.5000],
            [3.5000, 4.5000]])

@@ addmv
``beta * input + alpha * (mat @ vec)``.

Shape:
    mat: ``(n, m)``; vec: ``(m,)``; input: broadcastable to ``(n,)``; output: ``(n,)``.

Example:
    >>> rb.addmv(rb.tensor([1.0, 1.0]), rb.tensor([[1.0, 2.0], [3.0, 4.0]]), rb.tensor([1.0, 1.0]))
    tensor([4., 8.])

@@ addbmm
``beta * input + alpha * sum_i(batch1[i] @ batch2[i])``: the batched products summed over the batch.

Shape:
    batch1: ``(b, n, m)``; batch2: ``(b, m, p)``; input: broadcastable to ``(n, p)``; output: ``(n, p)``.

Example:
    >>> rb.addbmm(rb.zeros(2, 2), rb.ones(3, 2, 4), rb.ones(3, 4, 2))
    tensor([[12., 12.],
            [12., 12.]])

@@ baddbmm
``beta * input + alpha * (batch1 @ batch2)``, batch by batch.

Shape:
    batch1: ``(b, n, m)``; batch2: ``(b, m, p)``; input: broadcastable to ``(b, n, p)``; output: ``(b, n, p)``.

Example:
    >>> rb.baddbmm(rb.ones(1, 2, 2), rb.ones(1, 2, 3), rb.ones(1, 3, 2), alpha=0.5)
    tensor([[[2.5000, 2.5000],
             [2.5000, 2.5000]]])

@@ outer
The outer product ``input[i] * vec2[j]`` of two vectors.

Shape:
    input: ``(n,)``; vec2: ``(m,)``; output: ``(n, m)``.

Example:
    >>> rb.outer(rb.tensor([1, 2]), rb.tensor([1, 10, 100]))
    tensor([[  1,  10, 100],
            [  2,  20, 200]])

@@ ger = outer

@@ kron
The Kronecker product: every element of ``input`` times the whole of ``other``, as blocks.

Shape:
    input: ``(a_0, ..., a_n)``; other: ``(b_0, ..., b_n)``; output: ``(a_0 * b_0, ..., a_n * b_n)``.

Example:
    >>> rb.kron(rb.eye(2), rb.tensor([[1.0, 2.0]]))
    tensor([[1., 2., 0., 0.],
            [0., 0., 1., 2.]])

@@ tensordot
Contracts the last ``dims`` dimensions of ``a`` with the first ``dims`` of ``b``, or the dimensions listed in
``dims = (dims_a, dims_b)``.

Shape:
    a: ``(*, k)``; b: ``(k, *)`` with ``dims=1``; output: the uncontracted dimensions of ``a``, then of ``b``.

Example:
    >>> rb.tensordot(rb.ones(2, 3), rb.ones(3, 4), dims=1).shape
    rosenblatt.Size([2, 4])
    >>> rb.tensordot(rb.ones(2, 3), rb.ones(3, 2), dims=([0, 1], [1, 0]))
    tensor(6.)

@@ einsum
Sums products of the operands' elements over the indices an Einstein-notation ``equation`` says:
``'ij,jk->ik'`` is a matrix product, ``'ii->i'`` a diagonal, ``'bij->bji'`` a transpose; ``...`` stands for
broadcast dimensions. The operands follow the equation, one by one or as one list.

Shape:
    as the equation says.

Example:
    >>> a = rb.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> rb.einsum('ij,jk->ik', a, a)
    tensor([[ 7., 10.],
            [15., 22.]])
    >>> rb.einsum('ii', a)
    tensor(5.)

@@ cross
The cross product of 3-vectors along ``dim`` (the first dimension of size 3 when None, as PyTorch's
deprecated default; :func:`rosenblatt.linalg.cross` uses -1).

Shape:
    input, other: broadcastable, of size 3 along ``dim``; output: the broadcast shape.

Example:
    >>> rb.cross(rb.tensor([[1.0, 0.0, 0.0]]), rb.tensor([[0.0, 1.0, 0.0]]), dim=1)
    tensor([[0., 0., 1.]])

@@ cdist
The ``p``-norm distance between each row of ``x1`` and each row of ``x2``, batched.

Shape:
    x1: ``(*, P, M)``; x2: ``(*, R, M)``; output: ``(*, P, R)``.

Example:
    >>> rb.cdist(rb.tensor([[0.0, 0.0], [1.0, 1.0]]), rb.tensor([[3.0, 4.0]]))
    tensor([[5.0000],
            [3.6056]])

@@ rand | size
Samples from the uniform distribution on ``[0, 1)`` (float32 unless ``dtype`` says otherwise), from the
global generator or ``generator``.

Example:
    >>> _ = rb.manual_seed(0)
    >>> x = rb.rand(2, 3)
    >>> x.shape, bool(((x >= 0) & (x < 1)).all())
    (rosenblatt.Size([2, 3]), True)

@@ randn | size
Samples from the standard normal distribution (mean 0, variance 1).

Example:
    >>> _ = rb.manual_seed(0)
    >>> rb.randn(2, 3).shape
    rosenblatt.Size([2, 3])

@@ randint
Samples integers uniformly from ``[low, high)``: ``randint(high, size)`` or ``randint(low, high, size)``;
int64 unless ``dtype`` says otherwise.

Shape:
    output: ``size``, a tuple.

Example:
    >>> _ = rb.manual_seed(0)
    >>> x = rb.randint(3, 10, (2, 2))
    >>> x.dtype == rb.int64, bool(((x >= 3) & (x < 10)).all())
    (True, True)

@@ randperm
A random permutation of ``0, ..., n - 1`` (int64).

Shape:
    output: ``(n,)``.

Example:
    >>> _ = rb.manual_seed(0)
    >>> rb.randperm(5).sort().values
    tensor([0, 1, 2, 3, 4])

@@ rand_like | like
:func:`rand` with the shape (and, unless given, the dtype and device) of ``input``.

Example:
    >>> rb.rand_like(rb.zeros(2, 3)).shape
    rosenblatt.Size([2, 3])

@@ randn_like | like
:func:`randn` with the shape (and, unless given, the dtype and device) of ``input``.

Example:
    >>> rb.randn_like(rb.zeros(2, 3)).shape
    rosenblatt.Size([2, 3])

@@ randint_like | like
:func:`randint` with the shape (and, unless given, the dtype and device) of ``input``:
``randint_like(input, high)`` or ``randint_like(input, low, high)``.

Example:
    >>> x = rb.randint_like(rb.zeros(4), 5)
    >>> x.shape, bool(((x >= 0) & (x < 5)).all())
    (rosenblatt.Size([4]), True)

@@ normal
Samples from the normal distribution of mean ``mean`` and standard deviation ``std``: numbers with a
``size``, or tensors (either may be a number) drawn at their broadcast shape, with a zero gradient as
PyTorch's.

Shape:
    output: ``size``, or the broadcast shape of ``mean`` and ``std``.

Example:
    >>> _ = rb.manual_seed(0)
    >>> rb.normal(2.0, 3.0, size=(2, 3)).shape
    rosenblatt.Size([2, 3])

@@ bernoulli | like
Draws 0 or 1 for each element, 1 with the probability the element gives (in ``[0, 1]``).

Example:
    >>> rb.bernoulli(rb.tensor([0.0, 1.0, 1.0, 0.0]))
    tensor([0., 1., 1., 0.])

@@ multinomial
Draws ``num_samples`` category indices from each row of non-negative weights (not necessarily normalized),
without replacement unless ``replacement=True``.

Shape:
    input: ``(k,)`` or ``(n, k)``; output: ``(num_samples,)`` or ``(n, num_samples)``, int64.

Example:
    >>> rb.multinomial(rb.tensor([0.0, 1.0, 0.0]), 2, replacement=True)
    tensor([1, 1])
    >>> rb.multinomial(rb.tensor([[1.0, 0.0], [0.0, 1.0]]), 1)
    tensor([[0],
            [1]])

@@ conv1d
A 1-D convolution (a cross-correlation, as in PyTorch) over ``(N, C_in, L)`` input. ``padding`` is an int, a
tuple, ``'valid'`` or ``'same'``; ``groups`` splits the channels into independent groups.

Shape:
    input: ``(N, C_in, L_in)``; weight: ``(C_out, C_in / groups, K)``; bias: ``(C_out,)``;
    output: ``(N, C_out, L_out)``, ``L_out = floor((L_in + 2 * padding - dilation * (K - 1) - 1) / stride + 1)``.

Example:
    >>> rb.conv1d(rb.tensor([[[1.0, 2.0, 3.0, 4.0]]]), rb.tensor([[[1.0, -1.0]]]))
    tensor([[[-1., -1., -1.]]])

@@ conv2d
A 2-D convolution (a cross-correlation, as in PyTorch) over ``(N, C_in, H, W)`` input. ``stride``,
``padding`` and ``dilation`` are ints or pairs; ``padding`` may be ``'valid'`` or ``'same'``; ``groups``
splits the channels into independent groups.

Shape:
    input: ``(N, C_in, H_in, W_in)``; weight: ``(C_out, C_in / groups, kH, kW)``; bias: ``(C_out,)``;
    output: ``(N, C_out, H_out, W_out)``,
    ``H_out = floor((H_in + 2 * padding[0] - dilation[0] * (kH - 1) - 1) / stride[0] + 1)``, W alike.

Example:
    >>> x = rb.arange(9.0).reshape(1, 1, 3, 3)
    >>> rb.conv2d(x, rb.ones(1, 1, 2, 2))
    tensor([[[[ 8., 12.],
              [20., 24.]]]])
    >>> rb.conv2d(rb.zeros(8, 3, 32, 32), rb.zeros(16, 3, 3, 3), padding=1, stride=2).shape
    rosenblatt.Size([8, 16, 16, 16])

@@ conv3d
A 3-D convolution (a cross-correlation, as in PyTorch) over ``(N, C_in, D, H, W)`` input. ``stride``,
``padding`` and ``dilation`` are ints or triples; ``padding`` may be ``'valid'`` or ``'same'``; ``groups``
splits the channels into independent groups.

Shape:
    input: ``(N, C_in, D_in, H_in, W_in)``; weight: ``(C_out, C_in / groups, kD, kH, kW)``; bias: ``(C_out,)``;
    output: ``(N, C_out, D_out, H_out, W_out)``,
    ``D_out = floor((D_in + 2 * padding[0] - dilation[0] * (kD - 1) - 1) / stride[0] + 1)``, H and W alike.

Example:
    >>> x = rb.arange(8.0).reshape(1, 1, 2, 2, 2)
    >>> rb.conv3d(x, rb.ones(1, 1, 2, 2, 2))
    tensor([[[[[28.]]]]])
    >>> rb.conv3d(rb.zeros(2, 3, 8, 16, 16), rb.zeros(4, 3, 3, 3, 3), padding=1, stride=2).shape
    rosenblatt.Size([2, 4, 4, 8, 8])

@@ conv_transpose1d
A 1-D transposed convolution (the gradient of :func:`conv1d` with respect to its input), also called a
fractionally strided convolution.

Shape:
    input: ``(N, C_in, L_in)``; weight: ``(C_in, C_out / groups, K)``; bias: ``(C_out,)``; output:
    ``(N, C_out, L_out)``,
    ``L_out = (L_in - 1) * stride - 2 * padding + dilation * (K - 1) + output_padding + 1``.

Example:
    >>> rb.conv_transpose1d(rb.tensor([[[1.0, 2.0]]]), rb.tensor([[[1.0, 1.0, 1.0]]]), stride=2)
    tensor([[[1., 1., 3., 2., 2.]]])

@@ conv_transpose2d
A 2-D transposed convolution (the gradient of :func:`conv2d` with respect to its input), also called a
fractionally strided convolution.

Shape:
    input: ``(N, C_in, H_in, W_in)``; weight: ``(C_in, C_out / groups, kH, kW)``; bias: ``(C_out,)``; output:
    ``(N, C_out, H_out, W_out)``,
    ``H_out = (H_in - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + output_padding[0] + 1``, W alike.

Example:
    >>> rb.conv_transpose2d(rb.zeros(1, 16, 8, 8), rb.zeros(16, 3, 4, 4), stride=2, padding=1).shape
    rosenblatt.Size([1, 3, 16, 16])

@@ conv_transpose3d
A 3-D transposed convolution (the gradient of :func:`conv3d` with respect to its input), also called a
fractionally strided convolution.

Shape:
    input: ``(N, C_in, D_in, H_in, W_in)``; weight: ``(C_in, C_out / groups, kD, kH, kW)``; bias: ``(C_out,)``;
    output: ``(N, C_out, D_out, H_out, W_out)``,
    ``D_out = (D_in - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kD - 1) + output_padding[0] + 1``, H and W
    alike.

Example:
    >>> rb.conv_transpose3d(rb.zeros(1, 8, 4, 4, 4), rb.zeros(8, 2, 4, 4, 4), stride=2, padding=1).shape
    rosenblatt.Size([1, 2, 8, 8, 8])

@@ embedding
The rows of ``weight`` at ``indices``, with ATen's argument order (``torch.embedding``); prefer
:func:`rosenblatt.nn.functional.embedding` ``(input, weight)``. ``padding_idx=-1`` means none.

Shape:
    weight: ``(num_embeddings, embedding_dim)``; indices: ``(*)``, int64; output: ``(*, embedding_dim)``.

Example:
    >>> rb.embedding(rb.tensor([[0.0, 0.0], [1.0, 2.0]]), rb.tensor([1, 0, 1]))
    tensor([[1., 2.],
            [0., 0.],
            [1., 2.]])

@@ bilinear
Bilinear transformation ``y_k = x1^T W_k x2 + b_k``, as :func:`rosenblatt.nn.functional.bilinear`.

Shape:
    input1: ``(*, in1_features)``; input2: ``(*, in2_features)``;
    weight: ``(out_features, in1_features, in2_features)``; bias: ``(out_features,)``;
    output: ``(*, out_features)``.

Example:
    >>> rb.bilinear(rb.tensor([[1.0, 2.0]]), rb.tensor([[3.0, 4.0]]), rb.ones(1, 2, 2)).shape
    rosenblatt.Size([1, 1])

@@ cosine_similarity
Cosine similarity along ``dim``: ``x1 · x2 / (max(‖x1‖, eps) * max(‖x2‖, eps))``.

Shape:
    x1, x2: broadcastable, ``(*, D, *)``; output: their broadcast shape without ``dim``.

Example:
    >>> rb.cosine_similarity(rb.tensor([[1.0, 0.0]]), rb.tensor([[1.0, 1.0]]))
    tensor([0.7071])

@@ pairwise_distance
The ``p``-norm distance ``‖x1 - x2 + eps‖_p`` along the last dimension.

Shape:
    x1, x2: broadcastable, ``(N, D)`` or ``(D,)``; output: ``(N,)`` (``(N, 1)`` with ``keepdim=True``).

Example:
    >>> rb.pairwise_distance(rb.tensor([[0.0, 0.0]]), rb.tensor([[3.0, 4.0]]))
    tensor([5.0000])

@@ prelu
``max(0, x) + weight * min(0, x)`` elementwise, ``weight`` one slope or one per channel (dim 1).

Shape:
    input: ``(N, C, *)`` or ``(*)``; weight: ``(1,)`` or ``(C,)``; output: the shape of ``input``.

Example:
    >>> rb.prelu(rb.tensor([-2.0, 2.0]), rb.tensor([0.25]))
    tensor([-0.5000,  2.0000])

@@ channel_shuffle
Shuffles the channels: ``C`` channels seen as ``(groups, C / groups)`` are transposed to
``(C / groups, groups)``, as in ShuffleNet.

Shape:
    input: ``(N, C, *)`` with ``C`` divisible by ``groups``; output: the shape of ``input``.

Example:
    >>> rb.channel_shuffle(rb.arange(6.0).reshape(1, 6, 1), 3).flatten()
    tensor([0., 2., 4., 1., 3., 5.])

@@ numel
The number of elements of ``input``, a Python int.

Example:
    >>> rb.numel(rb.zeros(2, 3))
    6

@@ is_tensor
True when ``obj`` is a rosenblatt Tensor (or a Parameter).

Example:
    >>> rb.is_tensor(rb.zeros(1)), rb.is_tensor([0.0])
    (True, False)

@@ is_floating_point
True when ``input``'s dtype is a floating-point one (float16, bfloat16, float32, float64).

Example:
    >>> rb.is_floating_point(rb.zeros(1)), rb.is_floating_point(rb.tensor([1]))
    (True, False)

@@ result_type
The dtype that an op on the two arguments (tensors or numbers) computes in, by PyTorch's type promotion: a
0-dim tensor or a number counts only when its category (bool, integer, float) is higher.

Example:
    >>> rb.result_type(rb.tensor([1, 2]), 1.0) == rb.float32
    True
    >>> rb.result_type(rb.tensor([1.0], dtype=rb.float64), rb.tensor([1.0])) == rb.float64
    True

@@ is_grad_enabled
True when operations record gradients (outside :class:`no_grad` and ``set_grad_enabled(False)``).

Example:
    >>> rb.is_grad_enabled()
    True
    >>> with rb.no_grad():
    ...     print(rb.is_grad_enabled())
    False

@@ is_anomaly_enabled
True inside :class:`rosenblatt.autograd.detect_anomaly` (or after ``set_detect_anomaly(True)``): backward then
names the op whose gradient went wrong.

Example:
    >>> rb.is_anomaly_enabled()
    False

@@ is_anomaly_check_nan_enabled
True when anomaly detection also checks each gradient for NaN (``detect_anomaly(check_nan=True)``, the
default).

Example:
    >>> rb.is_anomaly_check_nan_enabled()
    True

@@ get_num_threads
The number of threads the CPU kernels (OpenMP and the BLAS) use.

Example:
    >>> rb.get_num_threads() >= 1
    True

@@ set_num_threads
Sets the number of threads the CPU kernels (OpenMP and the BLAS) use; ``num`` must be positive.

Example:
    >>> n = rb.get_num_threads()
    >>> rb.set_num_threads(1)
    >>> rb.get_num_threads()
    1
    >>> rb.set_num_threads(n)

"""
