"""Docstrings of the Tensor methods bound from C++ (see rosenblatt/_docs/__init__.py). A method that is also a
top-level function (x.sum and rb.sum) says what it computes here and refers to the function for the details."""

DOCS = r"""
@@ copy_
Copies ``src``'s elements into this tensor (broadcasting ``src`` to its shape, converting the dtype) and
returns it; the copy is differentiable with respect to ``src``.

Shape:
    src: broadcastable to the tensor's shape; output: the tensor itself.

Example:
    >>> x = rb.zeros(2, 3)
    >>> x.copy_(rb.tensor([1, 2, 3]))
    tensor([[1., 2., 3.],
            [1., 2., 3.]])

@@ data_ptr
The address of the tensor's first element, an int (views of one storage differ by their offsets).

Example:
    >>> x = rb.zeros(4)
    >>> x[1:].data_ptr() - x.data_ptr() == x.element_size()
    True

@@ element_size
The size of one element in bytes (4 for float32, 8 for float64 and int64).

Example:
    >>> rb.zeros(2, dtype=rb.float64).element_size()
    8

@@ exponential_
Fills the tensor in place with samples of the exponential distribution of rate ``lambd``; ``generator`` as
in :func:`rosenblatt.rand`.

Shape:
    output: the tensor itself.

Example:
    >>> g = rb.Generator().manual_seed(0)
    >>> x = rb.empty(1000).exponential_(2.0, generator=g)
    >>> bool(x.min() >= 0) and abs(x.mean().item() - 0.5) < 0.1
    True

@@ ndimension
The number of dimensions, as :meth:`dim`.

Example:
    >>> rb.zeros(2, 3).ndimension()
    2

@@ nelement
The number of elements, as :meth:`numel`.

Example:
    >>> rb.zeros(2, 3).nelement()
    6

@@ numpy
A numpy array sharing the tensor's memory (no copy): writes to either show in the other. The tensor must not
require grad (use ``detach()``); bfloat16 has no numpy dtype and raises TypeError.

Shape:
    output: the tensor's shape.

Example:
    >>> x = rb.zeros(3)
    >>> a = x.numpy()
    >>> a[0] = 5
    >>> x
    tensor([5., 0., 0.])

@@ random_
Fills the tensor in place with integers drawn uniformly from ``[from, to)`` (``to`` defaults to one past
the largest integer the dtype holds exactly), as PyTorch's ``random_``.

Shape:
    output: the tensor itself.

Example:
    >>> g = rb.Generator().manual_seed(0)
    >>> x = rb.empty(100, dtype=rb.int64).random_(0, 3, generator=g)
    >>> sorted(set(x.tolist()))
    [0, 1, 2]

@@ reshape_as
The tensor reshaped to ``other``'s shape (a view when the strides allow it).

Shape:
    other: any shape with as many elements; output: ``other``'s shape.

Example:
    >>> rb.arange(6).reshape_as(rb.zeros(2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])

@@ retain_grad
Makes this non-leaf tensor keep its gradient in ``.grad`` after backward (leaves keep theirs anyway).

Example:
    >>> x = rb.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 3
    >>> y.retain_grad()
    >>> (y * y).sum().backward()
    >>> y.grad
    tensor([ 6., 12.])

@@ storage_offset
The index, in elements, of the tensor's first element in its storage.

Example:
    >>> x = rb.arange(10)
    >>> x[3:].storage_offset()
    3

@@ stride
The strides: how many elements to step in memory for one step along each dimension (a tuple), or along
``dim`` (an int).

Example:
    >>> x = rb.zeros(2, 3)
    >>> x.stride()
    (3, 1)
    >>> x.t().stride(0)
    1

@@ uniform_
Fills the tensor in place with samples uniform on ``[from, to)``; ``generator`` as in :func:`rosenblatt.rand`.

Shape:
    output: the tensor itself.

Example:
    >>> g = rb.Generator().manual_seed(0)
    >>> x = rb.empty(1000).uniform_(-1.0, 1.0, generator=g)
    >>> bool(x.min() >= -1.0) and bool(x.max() < 1.0)
    True

@@ view
A view of the tensor with the shape ``shape`` (one entry may be -1, inferred), sharing its memory; the strides
must allow it (a contiguous tensor always does), else use :meth:`reshape`. ``view(dtype)`` reads the same bytes
as another dtype: a different element size scales the last dimension, which must have stride 1 (and, for a
larger element, a size, offset and other strides that divide evenly); the result is not differentiable.

Shape:
    output: ``shape``, with as many elements as the tensor; for ``view(dtype)``, the last dimension times
    ``self.element_size() / dtype``'s size.

Example:
    >>> x = rb.arange(6)
    >>> v = x.view(2, 3)
    >>> v[0, 0] = 9
    >>> x
    tensor([9, 1, 2, 3, 4, 5])
    >>> rb.tensor([1.0, -2.0]).view(rb.int32)
    tensor([ 1065353216, -1073741824], dtype=rosenblatt.int32)
    >>> x.view(-1, 2).shape
    rosenblatt.Size([3, 2])

@@ reshape
The tensor's elements in the shape ``shape`` (one entry may be -1); a view when the strides allow it, a copy
otherwise. See :func:`rosenblatt.reshape`.

Shape:
    output: ``shape``, with as many elements as the tensor.

Example:
    >>> rb.arange(6).reshape(3, 2)
    tensor([[0, 1],
            [2, 3],
            [4, 5]])

@@ permute
A view with the dimensions reordered: output dimension ``i`` is dimension ``dims[i]``. See
:func:`rosenblatt.permute`.

Shape:
    self: ``(d_0, ..., d_n-1)``; output: ``(d_dims[0], ..., d_dims[n-1])``.

Example:
    >>> rb.zeros(2, 3, 4).permute(2, 0, 1).shape
    rosenblatt.Size([4, 2, 3])

@@ transpose
A view with dimensions ``dim0`` and ``dim1`` swapped. See :func:`rosenblatt.transpose`.

Shape:
    self: ``(*, a, *, b, *)``; output: ``(*, b, *, a, *)``.

Example:
    >>> rb.tensor([[1, 2, 3], [4, 5, 6]]).transpose(0, 1)
    tensor([[1, 4],
            [2, 5],
            [3, 6]])

@@ contiguous
The tensor itself when its elements are laid out contiguously in row-major order, else a contiguous copy;
``memory_format=rb.channels_last`` (4-d) or ``rb.channels_last_3d`` (5-d) asks for that layout instead.

Shape:
    output: the tensor's shape.

Example:
    >>> t = rb.zeros(2, 3).t()
    >>> t.is_contiguous(), t.contiguous().is_contiguous()
    (False, True)

@@ is_contiguous
True when the elements are laid out contiguously in row-major order (a fresh tensor is; a transpose is not).

Example:
    >>> x = rb.zeros(2, 3)
    >>> x.is_contiguous(), x.t().is_contiguous()
    (True, False)

@@ sum
The sum of the elements, over ``dim`` or of all of them. See :func:`rosenblatt.sum`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``); a 0-dim tensor without ``dim``.

Example:
    >>> x = rb.tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> x.sum()
    tensor(10.)
    >>> x.sum(dim=1)
    tensor([3., 7.])

@@ mean
The arithmetic mean, over ``dim`` or of all the elements. See :func:`rosenblatt.mean`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``); a 0-dim tensor without ``dim``.

Example:
    >>> rb.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=0)
    tensor([2., 3.])

@@ max
The largest element, or the named tuple ``(values, indices)`` along ``dim``, or the elementwise maximum with
another tensor. See :func:`rosenblatt.max`.

Shape:
    values, indices: the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> x = rb.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> x.max()
    tensor(5.)
    >>> x.max(dim=1).indices
    tensor([1, 0])

@@ min
The smallest element, or the named tuple ``(values, indices)`` along ``dim``, or the elementwise minimum with
another tensor. See :func:`rosenblatt.min`.

Shape:
    values, indices: the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> x = rb.tensor([[1.0, 5.0], [3.0, 2.0]])
    >>> x.min()
    tensor(1.)
    >>> x.min(dim=0).values
    tensor([1., 2.])

@@ argmax
The index of the largest element along ``dim``, or into the flattened tensor. See :func:`rosenblatt.argmax`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.tensor([[1.0, 5.0], [3.0, 2.0]]).argmax(dim=1)
    tensor([1, 0])

@@ argmin
The index of the smallest element along ``dim``, or into the flattened tensor. See :func:`rosenblatt.argmin`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.tensor([[1.0, 5.0], [3.0, 2.0]]).argmin()
    tensor(0)

@@ softmax
``exp(x_i) / sum_j exp(x_j)`` along ``dim``. See :func:`rosenblatt.softmax`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([0.0, 0.0]).softmax(dim=0)
    tensor([0.5000, 0.5000])

@@ log_softmax
``log(softmax(x, dim))``, computed stably. See :func:`rosenblatt.log_softmax`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([0.0, 0.0]).log_softmax(dim=0)
    tensor([-0.6931, -0.6931])

@@ matmul
The matrix product with ``other``, ``self @ other``. See :func:`rosenblatt.matmul`.

Shape:
    self: ``(*, n, m)``; other: ``(*, m, p)``; output: ``(*, n, p)``.

Example:
    >>> rb.tensor([[1.0, 2.0]]).matmul(rb.tensor([[3.0], [4.0]]))
    tensor([[11.]])

@@ squeeze
Removes dimensions of size 1 (all, or those of ``dim``); a view. See :func:`rosenblatt.squeeze`.

Shape:
    self: ``(A, 1, B)``; output: ``(A, B)``.

Example:
    >>> rb.zeros(2, 1, 3).squeeze().shape
    rosenblatt.Size([2, 3])

@@ unsqueeze
Inserts a dimension of size 1 at ``dim``; a view. See :func:`rosenblatt.unsqueeze`.

Shape:
    self: n dimensions; output: n + 1.

Example:
    >>> rb.tensor([1, 2]).unsqueeze(1)
    tensor([[1],
            [2]])

@@ flatten
Flattens the dimensions ``start_dim`` to ``end_dim`` into one. See :func:`rosenblatt.flatten`.

Shape:
    self: ``(*, d_start, ..., d_end, *)``; output: ``(*, d_start * ... * d_end, *)``.

Example:
    >>> rb.zeros(2, 3, 4).flatten(1).shape
    rosenblatt.Size([2, 12])

@@ expand
A view with dimensions of size 1 broadcast (repeated without copying) to ``sizes``; -1 keeps a dimension, and
new dimensions may be added in front.

Shape:
    output: ``sizes``.

Example:
    >>> rb.tensor([[1], [2]]).expand(2, 3)
    tensor([[1, 1, 1],
            [2, 2, 2]])

@@ repeat
The tensor tiled ``sizes[i]`` times along dimension ``i`` (a copy, unlike :meth:`expand`; ``sizes`` may have
more entries than the tensor has dimensions).

Shape:
    self: ``(d_0, ..., d_n-1)``; output: ``(d_0 * sizes[0], ..., d_n-1 * sizes[n-1])``.

Example:
    >>> rb.tensor([1, 2]).repeat(2, 2)
    tensor([[1, 2, 1, 2],
            [1, 2, 1, 2]])

@@ t
The transpose of a matrix (a view); 0-D and 1-D tensors come back as they are.

Shape:
    self: ``(m, n)``; output: ``(n, m)``.

Example:
    >>> rb.tensor([[1, 2]]).t()
    tensor([[1],
            [2]])

@@ size
The shape as a ``rosenblatt.Size``, or the size of dimension ``dim``.

Example:
    >>> x = rb.zeros(2, 3)
    >>> x.size()
    rosenblatt.Size([2, 3])
    >>> x.size(-1)
    3

@@ dim
The number of dimensions.

Example:
    >>> rb.zeros(2, 3).dim()
    2

@@ numel
The number of elements.

Example:
    >>> rb.zeros(2, 3).numel()
    6

@@ item
The value of a one-element tensor as a Python number.

Example:
    >>> rb.tensor([[2.5]]).item()
    2.5

@@ tolist
The elements as (nested) Python lists of numbers; a 0-dim tensor gives a number.

Example:
    >>> rb.tensor([[1, 2], [3, 4]]).tolist()
    [[1, 2], [3, 4]]

@@ detach
A tensor sharing the data but cut out of the autograd graph (``requires_grad=False``).

Example:
    >>> x = rb.ones(2, requires_grad=True)
    >>> (x * 2).detach().requires_grad
    False

@@ frexp
The tensor's mantissas and int32 exponents. See :func:`rosenblatt.frexp`.

Example:
    >>> rb.tensor([8.0, 0.75]).frexp().exponent
    tensor([4, 0], dtype=rosenblatt.int32)

@@ histogram
A histogram of the tensor's values, ``(hist, bin_edges)``. See :func:`rosenblatt.histogram`.

Example:
    >>> rb.tensor([1.0, 2.0, 1.0]).histogram(2).hist
    tensor([2., 1.])

@@ new_empty_strided
An uninitialized tensor with the given size and strides, of the tensor's dtype and device unless given. See
:func:`rosenblatt.empty_strided`.

Example:
    >>> rb.zeros(1, dtype=rb.float64).new_empty_strided((2, 3), (1, 2)).dtype
    rosenblatt.float64

@@ clone
A copy with its own memory; gradients flow back through it. See :func:`rosenblatt.clone`.

Example:
    >>> x = rb.tensor([1.0, 2.0])
    >>> y = x.clone()
    >>> y[0] = 0.0
    >>> x
    tensor([1., 2.])

@@ requires_grad_
Sets ``requires_grad`` in place (on a leaf tensor) and returns the tensor.

Example:
    >>> rb.zeros(2).requires_grad_().requires_grad
    True

@@ zero_
Fills the tensor with zeros in place and returns it.

Example:
    >>> rb.ones(3).zero_()
    tensor([0., 0., 0.])

@@ fill_
Fills the tensor with ``value`` in place and returns it.

Example:
    >>> rb.zeros(3).fill_(2.5)
    tensor([2.5000, 2.5000, 2.5000])

@@ abs
Absolute value, elementwise. See :func:`rosenblatt.abs`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([-1.0, 2.0]).abs()
    tensor([1., 2.])

@@ pow
``self ** exponent``, elementwise. See :func:`rosenblatt.pow`.

Shape:
    output: the broadcast shape of the tensor and ``exponent``.

Example:
    >>> rb.tensor([1.0, 2.0, 3.0]).pow(2)
    tensor([1., 4., 9.])

@@ clamp
Clamps every element into ``[min, max]`` (numbers, or None). See :func:`rosenblatt.clamp`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([-2.0, 0.5, 3.0]).clamp(min=0.0, max=1.0)
    tensor([0.0000, 0.5000, 1.0000])

@@ view_as
:meth:`view` with the shape of ``other``.

Shape:
    output: ``other.shape``.

Example:
    >>> rb.arange(6).view_as(rb.zeros(3, 2)).shape
    rosenblatt.Size([3, 2])

@@ expand_as
:meth:`expand` to the shape of ``other``.

Shape:
    output: ``other.shape``.

Example:
    >>> rb.tensor([[1], [2]]).expand_as(rb.zeros(2, 3))
    tensor([[1, 1, 1],
            [2, 2, 2]])

@@ masked_fill
A copy with ``value`` where ``mask`` is True. See :func:`rosenblatt.masked_fill`.

Shape:
    mask: bool, broadcastable to the tensor; output: the tensor's shape.

Example:
    >>> x = rb.tensor([1.0, -2.0, 3.0])
    >>> x.masked_fill(x < 0, 0.0)
    tensor([1., 0., 3.])

@@ masked_fill_
In-place :meth:`masked_fill`: writes ``value`` where ``mask`` is True and returns the tensor.

Shape:
    mask: bool, broadcastable to the tensor.

Example:
    >>> x = rb.tensor([1.0, -2.0, 3.0])
    >>> x.masked_fill_(x < 0, 0.0)
    tensor([1., 0., 3.])

@@ gather
Picks values along ``dim`` by ``index``. See :func:`rosenblatt.gather`.

Shape:
    output: the shape of ``index``.

Example:
    >>> rb.tensor([[1, 2], [3, 4]]).gather(1, rb.tensor([[1], [0]]))
    tensor([[2],
            [3]])

@@ index_select
The slices at ``index`` along ``dim``. See :func:`rosenblatt.index_select`.

Shape:
    self: ``(*, n, *)`` with index ``(k,)``; output: ``(*, k, *)``.

Example:
    >>> rb.tensor([[1, 2], [3, 4], [5, 6]]).index_select(0, rb.tensor([2, 0]))
    tensor([[5, 6],
            [1, 2]])

@@ chunk
Splits into ``chunks`` views along ``dim``. See :func:`rosenblatt.chunk`.

Shape:
    self: ``(*, n, *)``; output: chunks of ``(*, ceil(n / chunks), *)``, the last possibly smaller.

Example:
    >>> rb.arange(4).chunk(2)
    (tensor([0, 1]), tensor([2, 3]))

@@ split
Splits into views of ``split_size`` (or the listed sizes) along ``dim``. See :func:`rosenblatt.split`.

Shape:
    self: ``(*, n, *)``; output: ``(*, size_i, *)``.

Example:
    >>> rb.arange(5).split(2)
    (tensor([0, 1]), tensor([2, 3]), tensor([4]))

@@ std
The standard deviation over ``dim`` (Bessel-corrected by default). See :func:`rosenblatt.std`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.tensor([1.0, 2.0, 3.0, 4.0]).std()
    tensor(1.2910)

@@ var
The variance over ``dim`` (Bessel-corrected by default). See :func:`rosenblatt.var`.

Shape:
    the tensor's shape without ``dim`` (kept with size 1 when ``keepdim=True``).

Example:
    >>> rb.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)

@@ cumsum
The cumulative sum along ``dim``. See :func:`rosenblatt.cumsum`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])

@@ topk
The ``k`` largest elements along ``dim`` and their indices. See :func:`rosenblatt.topk`.

Shape:
    self: ``(*, n, *)``; output: values, indices ``(*, k, *)``.

Example:
    >>> rb.tensor([1.0, 5.0, 3.0]).topk(2).indices
    tensor([1, 2])

@@ sort
The elements sorted along ``dim``, and the indices that sort them. See :func:`rosenblatt.sort`.

Shape:
    values, indices: the tensor's shape.

Example:
    >>> rb.tensor([3, 1, 2]).sort().values
    tensor([1, 2, 3])

@@ exp
``e ** x``, elementwise. See :func:`rosenblatt.exp`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([0.0, 1.0]).exp()
    tensor([1.0000, 2.7183])

@@ log
The natural logarithm, elementwise. See :func:`rosenblatt.log`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([1.0, 4.0]).log()
    tensor([0.0000, 1.3863])

@@ sqrt
The square root, elementwise. See :func:`rosenblatt.sqrt`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([4.0, 9.0]).sqrt()
    tensor([2., 3.])

@@ sigmoid
``1 / (1 + exp(-x))``, elementwise. See :func:`rosenblatt.sigmoid`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([0.0]).sigmoid()
    tensor([0.5000])

@@ tanh
The hyperbolic tangent, elementwise. See :func:`rosenblatt.tanh`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([0.0, 1.0]).tanh()
    tensor([0.0000, 0.7616])

@@ relu
``max(0, x)``, elementwise. See :func:`rosenblatt.relu`.

Shape:
    output: the tensor's shape.

Example:
    >>> rb.tensor([-1.0, 2.0]).relu()
    tensor([0., 2.])

@@ all
True where every element (along ``dim``, or of the whole tensor) is non-zero. See :func:`rosenblatt.all`.

Shape:
    the tensor's shape without ``dim``; a 0-dim tensor without ``dim``.

Example:
    >>> rb.tensor([True, False]).all()
    tensor(False)

@@ any
True where some element (along ``dim``, or of the whole tensor) is non-zero. See :func:`rosenblatt.any`.

Shape:
    the tensor's shape without ``dim``; a 0-dim tensor without ``dim``.

Example:
    >>> rb.tensor([True, False]).any()
    tensor(True)

@@ unbind
The slices along ``dim``, the dimension removed. See :func:`rosenblatt.unbind`.

Shape:
    self: ``(*, n, *)``; output: n tensors of ``(*, *)``.

Example:
    >>> rb.tensor([[1, 2], [3, 4]]).unbind(1)
    (tensor([1, 3]), tensor([2, 4]))

@@ eq
``self == other``, elementwise, as a bool tensor. See :func:`rosenblatt.eq`.

Shape:
    output: the broadcast shape of the tensor and ``other``.

Example:
    >>> rb.tensor([1, 2, 3]).eq(2)
    tensor([False,  True, False])

@@ add
``self + alpha * other``, broadcasting. See :func:`rosenblatt.add`.

Shape:
    output: the broadcast shape of the tensor and ``other``.

Example:
    >>> rb.tensor([1.0, 2.0]).add(rb.tensor([1.0, 1.0]), alpha=10)
    tensor([11., 12.])

@@ mul
``self * other``, elementwise, broadcasting. See :func:`rosenblatt.mul`.

Shape:
    output: the broadcast shape of the tensor and ``other``.

Example:
    >>> rb.tensor([1.0, 2.0]).mul(3)
    tensor([3., 6.])

@@ add_
In-place :meth:`add`: ``self += alpha * other``, returning the tensor.

Shape:
    other: broadcastable to the tensor's shape.

Example:
    >>> x = rb.tensor([1.0, 2.0])
    >>> x.add_(1.0)
    tensor([2., 3.])

@@ mul_
In-place :meth:`mul`: ``self *= other``, returning the tensor.

Shape:
    other: broadcastable to the tensor's shape.

Example:
    >>> x = rb.tensor([1.0, 2.0])
    >>> x.mul_(2)
    tensor([2., 4.])

"""
