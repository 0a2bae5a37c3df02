"""Docstrings of the rosenblatt.nn.functional functions bound from C++ (see rosenblatt/_docs/__init__.py)."""

DOCS = r"""
@@ gelu | ew
Gaussian error linear unit, ``x * Φ(x)`` elementwise, where Φ is the standard normal CDF;
``approximate='tanh'`` uses ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))``.

Example:
    >>> F.gelu(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([-0.1587,  0.0000,  0.8413])
    >>> F.gelu(rb.tensor([-1.0, 0.0, 1.0]), approximate='tanh')
    tensor([-0.1588,  0.0000,  0.8412])

@@ softplus | ew
``1 / beta * log(1 + exp(beta * x))`` elementwise, a smooth ReLU; where ``beta * x > threshold`` it returns ``x``.

Example:
    >>> F.softplus(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([0.3133, 0.6931, 1.3133])
    >>> F.softplus(rb.tensor([-1.0, 0.0, 1.0]), beta=2.0)
    tensor([0.0635, 0.3466, 1.0635])

@@ softsign | ew
``x / (1 + |x|)`` elementwise.

Example:
    >>> F.softsign(rb.tensor([-2.0, 0.0, 3.0]))
    tensor([-0.6667,  0.0000,  0.7500])

@@ logsigmoid | ew
``log(1 / (1 + exp(-x)))`` elementwise, computed stably for large ``|x|``.

Example:
    >>> F.logsigmoid(rb.tensor([-1.0, 0.0, 1.0]))
    tensor([-1.3133, -0.6931, -0.3133])

@@ glu
Gated linear unit: splits ``input`` in two halves ``a, b`` along ``dim`` and returns ``a * sigmoid(b)``.

Shape:
    input: ``(*, 2N, *)``, even along ``dim``; output: ``(*, N, *)``.

Example:
    >>> F.glu(rb.tensor([[1.0, 2.0, 0.0, 1.0]]))
    tensor([[0.5000, 1.4621]])

@@ prelu
``max(0, x) + weight * min(0, x)`` elementwise; ``weight`` holds one slope, or one per channel (dim 1).

Shape:
    input: ``(N, C, *)`` or ``(*)``; weight: ``(1,)`` or ``(C,)``; output: the shape of ``input``.

Example:
    >>> F.prelu(rb.tensor([[-1.0, 2.0], [-4.0, 5.0]]), rb.tensor([0.25, 0.5]))
    tensor([[-0.2500,  2.0000],
            [-1.0000,  5.0000]])

@@ hardtanh_ | ew
In-place :func:`hardtanh`: clamps ``input`` to ``[min_val, max_val]``, overwrites it and returns it.

Example:
    >>> x = rb.tensor([-2.0, 0.5, 3.0])
    >>> F.hardtanh_(x)
    tensor([-1.0000,  0.5000,  1.0000])
    >>> x
    tensor([-1.0000,  0.5000,  1.0000])

@@ selu_ | ew
In-place :func:`selu`: overwrites ``input`` with ``scale * (max(0, x) + min(0, alpha * (exp(x) - 1)))``
(``alpha = 1.6733``, ``scale = 1.0507``) and returns it.

Example:
    >>> x = rb.tensor([-1.0, 0.0, 1.0])
    >>> F.selu_(x)
    tensor([-1.1113,  0.0000,  1.0507])

@@ celu_ | ew
In-place :func:`celu`: overwrites ``input`` with ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`` and
returns it.

Example:
    >>> x = rb.tensor([-1.0, 0.0, 1.0])
    >>> F.celu_(x, alpha=0.5)
    tensor([-0.4323,  0.0000,  1.0000])

@@ threshold_ | ew
In-place :func:`threshold`: replaces each element ``<= threshold`` by ``value``, overwriting ``input``.

Example:
    >>> x = rb.tensor([-1.0, 0.5, 2.0])
    >>> F.threshold_(x, 1.0, 0.0)
    tensor([0., 0., 2.])

@@ embedding
Looks up rows of ``weight`` by the integer ids in ``input``. ``padding_idx``'s row gets no gradient;
with ``max_norm``, the looked-up rows whose ``norm_type``-norm exceeds it are renormalized in place.

Shape:
    input: ``(*)``, int64 ids in ``[0, num_embeddings)``; weight: ``(num_embeddings, embedding_dim)``;
    output: ``(*, embedding_dim)``.

Example:
    >>> weight = rb.tensor([[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]])
    >>> F.embedding(rb.tensor([[2, 0], [1, 1]]), weight)
    tensor([[[2., 4.],
             [0., 0.]],
    <BLANKLINE>
            [[1., 1.],
             [1., 1.]]])

@@ one_hot
One-hot encoding of int64 class ids: ``num_classes=-1`` takes ``input.max() + 1`` classes.

Shape:
    input: ``(*)``, int64; output: ``(*, num_classes)``, int64.

Example:
    >>> F.one_hot(rb.tensor([0, 2, 1]), num_classes=3)
    tensor([[1, 0, 0],
            [0, 0, 1],
            [0, 1, 0]])

@@ layer_norm
Layer normalization: normalizes over the last ``len(normalized_shape)`` dimensions to zero mean and unit
(biased) variance, ``(x - mean) / sqrt(var + eps)``, then applies ``weight`` and ``bias`` elementwise.

Shape:
    input: ``(*, *normalized_shape)``; weight, bias: ``normalized_shape``; output: the shape of ``input``.

Example:
    >>> F.layer_norm(rb.tensor([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]), (3,))
    tensor([[-1.2247,  0.0000,  1.2247],
            [ 0.0000,  0.0000,  0.0000]])

@@ rms_norm
Root-mean-square normalization: ``x / sqrt(mean(x**2) + eps)`` over the last ``len(normalized_shape)``
dimensions, times ``weight``; ``eps=None`` uses the dtype's machine epsilon.

Shape:
    input: ``(*, *normalized_shape)``; weight: ``normalized_shape``; output: the shape of ``input``.

Example:
    >>> F.rms_norm(rb.tensor([[1.0, 2.0, 2.0]]), (3,))
    tensor([[0.5774, 1.1547, 1.1547]])

@@ local_response_norm
Local response normalization across channels: each element divided by
``(k + alpha / size * sum of x^2 over the size channels around it)^beta``, the window zero-padded by ``size // 2``
channels before and ``(size - 1) // 2`` after, as torch's (a composite, differentiable to any order).

Shape:
    input: ``(N, C, *)``, 3-d or more; output: the shape of ``input``.

Example:
    >>> F.local_response_norm(rb.ones(1, 3, 1), size=2, alpha=1.0, beta=1.0, k=1.0).flatten()
    tensor([0.6667, 0.5000, 0.5000])

@@ affine_grid
The sampling grid of a batch of affine transforms, for :func:`grid_sample`: ``theta`` (``(N, 2, 3)``, or
``(N, 3, 4)`` for a 5-d ``size``) applied to the output pixels' normalized coordinates, ``-1`` and ``1`` being the
corner pixels' centres with ``align_corners=True`` and their outer edges otherwise. Differentiable in ``theta``.

Shape:
    theta: ``(N, 2, 3)`` or ``(N, 3, 4)``; output: ``(N, H, W, 2)`` for size ``(N, C, H, W)``, ``(N, D, H, W, 3)``
    for size ``(N, C, D, H, W)``; the last dim holds ``(x, y[, z])``.

Example:
    >>> theta = rb.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> F.affine_grid(theta, [1, 1, 2, 2], align_corners=True)[0, :, :, 0]
    tensor([[-1.,  1.],
            [-1.,  1.]])

@@ grid_sample
Samples ``input`` at the normalized positions of ``grid`` (``(x, y)`` in ``[-1, 1]``, or ``(x, y, z)`` for a 5-d
``input``), ``mode`` ``"bilinear"`` (trilinear for 5-d), ``"nearest"`` (ties to even) or ``"bicubic"`` (4-d only,
cubic convolution with ``A = -0.75``); positions outside read as 0 (``padding_mode="zeros"``), the border value
(``"border"``) or the reflected image (``"reflection"``), bicubic applying the padding to each of its 16 taps.
Differentiable in ``input`` and (bilinear, bicubic) ``grid``, to any order.

Shape:
    input: ``(N, C, H, W)``; grid: ``(N, Ho, Wo, 2)``; output: ``(N, C, Ho, Wo)``. 5-d: input ``(N, C, D, H, W)``,
    grid ``(N, Do, Ho, Wo, 3)``, output ``(N, C, Do, Ho, Wo)``.

Example:
    >>> x = rb.arange(4.0).reshape(1, 1, 2, 2)
    >>> F.grid_sample(x, rb.zeros(1, 1, 1, 2), align_corners=True)
    tensor([[[[1.5000]]]])

@@ group_norm
Group normalization: splits the ``C`` channels into ``num_groups`` groups and normalizes each group of each
sample to zero mean and unit (biased) variance, then applies the per-channel ``weight`` and ``bias``.

Shape:
    input: ``(N, C, *)`` with ``C`` divisible by ``num_groups``; weight, bias: ``(C,)``; output: the shape
    of ``input``.

Example:
    >>> x = rb.arange(8.0).reshape(1, 4, 2)
    >>> F.group_norm(x, num_groups=2)
    tensor([[[-1.3416, -0.4472],
             [ 0.4472,  1.3416],
             [-1.3416, -0.4472],
             [ 0.4472,  1.3416]]])

@@ instance_norm
Instance normalization: normalizes each channel of each sample over its spatial dimensions, then applies
the per-channel ``weight`` and ``bias``; with ``use_input_stats=False`` it uses ``running_mean`` and
``running_var`` instead, which are updated with ``momentum`` when they are given and input statistics are used.

Shape:
    input: ``(N, C, *)``; running_mean, running_var, weight, bias: ``(C,)``; output: the shape of ``input``.

Example:
    >>> F.instance_norm(rb.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
    tensor([[[-1.0000,  1.0000],
             [-1.0000,  1.0000]]])

@@ scaled_dot_product_attention
``softmax(query @ key.transpose(-2, -1) * scale + mask) @ value`` with ``scale = 1 / sqrt(E)`` by default.
``attn_mask`` is boolean (True: take part) or added to the scores; ``is_causal=True`` masks future
positions; ``dropout_p`` drops attention weights; ``enable_gqa=True`` lets ``Hq`` be a multiple of the
key/value heads.

Shape:
    query: ``(N, ..., L, E)``; key: ``(N, ..., S, E)``; value: ``(N, ..., S, Ev)``;
    attn_mask: broadcastable to ``(N, ..., L, S)``; output: ``(N, ..., L, Ev)``.

Example:
    >>> q = rb.ones(1, 2, 4)
    >>> k = rb.ones(1, 3, 4)
    >>> v = rb.arange(6.0).reshape(1, 3, 2)
    >>> F.scaled_dot_product_attention(q, k, v)
    tensor([[[2., 3.],
             [2., 3.]]])

@@ cosine_similarity
Cosine similarity along ``dim``: ``x1 · x2 / (max(‖x1‖, eps) * max(‖x2‖, eps))``.

Shape:
    x1, x2: broadcastable, ``(*, D, *)``; output: their broadcast shape without ``dim``.

Example:
    >>> F.cosine_similarity(rb.tensor([[1.0, 0.0], [1.0, 1.0]]), rb.tensor([[1.0, 0.0], [-1.0, -1.0]]))
    tensor([ 1.0000, -1.0000])

@@ pairwise_distance
The ``p``-norm distance between the rows of ``x1`` and ``x2``: ``‖x1 - x2 + eps‖_p`` along the last dimension.

Shape:
    x1, x2: broadcastable, ``(N, D)`` or ``(D,)``; output: ``(N,)`` (``(N, 1)`` with ``keepdim=True``).

Example:
    >>> F.pairwise_distance(rb.tensor([[0.0, 0.0], [1.0, 1.0]]), rb.tensor([[3.0, 4.0], [1.0, 1.0]]))
    tensor([5.0000e+00, 1.4142e-06])

@@ bilinear
Bilinear transformation ``y_k = x1^T W_k x2 + b_k``.

Shape:
    input1: ``(*, in1_features)``; input2: ``(*, in2_features)``;
    weight: ``(out_features, in1_features, in2_features)``; bias: ``(out_features,)``;
    output: ``(*, out_features)``.

Example:
    >>> w = rb.ones(1, 2, 2)
    >>> F.bilinear(rb.tensor([[1.0, 2.0]]), rb.tensor([[3.0, 4.0]]), w, rb.tensor([0.5]))
    tensor([[21.5000]])

@@ channel_shuffle
Shuffles the channels: ``C`` channels seen as ``(groups, C / groups)`` are transposed to
``(C / groups, groups)``, as in ShuffleNet.

Shape:
    input: ``(N, C, *)`` with ``C`` divisible by ``groups``; output: the shape of ``input``.

Example:
    >>> F.channel_shuffle(rb.arange(4.0).reshape(1, 4, 1), 2).flatten()
    tensor([0., 2., 1., 3.])

"""
