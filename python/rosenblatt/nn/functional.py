"""nn.functional: activations, dropout, linear and losses with torch.nn.functional's signatures.
Each function is a thin call into rosenblatt._C._nn (the C++ ops and their autograd nodes)."""
import warnings
from typing import Any, Optional

from .. import _C
from .._C import Tensor

_nn = _C._nn

__all__ = [
    "linear", "relu", "relu_", "leaky_relu", "leaky_relu_", "elu", "elu_", "sigmoid", "tanh", "step",
    "heaviside_step", "gelu", "silu", "mish", "softplus", "softsign", "hardtanh", "hardtanh_", "relu6",
    "hardsigmoid", "hardswish", "selu", "selu_", "celu", "celu_", "logsigmoid", "threshold", "threshold_",
    "glu", "prelu", "softmax", "softmin", "log_softmax", "dropout", "dropout1d", "flatten", "mse_loss", "l1_loss",
    "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "nll_loss",
]


# ---- dense and activations ----------------------------------------------------------------------

def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """y = input @ weight.T + bias, with weight of shape (out_features, in_features).

    Shape:
        input: ``(*, in_features)``; weight: ``(out_features, in_features)``; bias: ``(out_features,)``.
        output: ``(*, out_features)``.

    Example:
        >>> F.linear(rb.randn(8, 3), rb.randn(5, 3), rb.zeros(5)).shape
        rosenblatt.Size([8, 5])
    """
    return _nn.linear(input, weight, bias)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(0, x)`` elementwise; ``inplace=True`` overwrites the input.

    See :class:`rosenblatt.nn.ReLU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.relu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> F.relu(rb.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return _nn.relu_(input) if inplace else _nn.relu(input)


def relu_(input: Tensor) -> Tensor:
    """In-place ``relu``: overwrites ``input`` and returns it."""
    return _nn.relu_(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x`` where ``x >= 0``, else ``negative_slope * x``.

    See :class:`rosenblatt.nn.LeakyReLU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.leaky_relu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.leaky_relu_(input, negative_slope) if inplace else _nn.leaky_relu(input, negative_slope)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """In-place ``leaky_relu``."""
    return _nn.leaky_relu_(input, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``x`` where ``x > 0``, else ``alpha (exp(x) - 1)``.

    See :class:`rosenblatt.nn.ELU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.elu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.elu_(input, alpha) if inplace else _nn.elu(input, alpha)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """In-place ``elu``."""
    return _nn.elu_(input, alpha)


def sigmoid(input: Tensor) -> Tensor:
    """``1 / (1 + exp(-x))`` elementwise.

    See :class:`rosenblatt.nn.Sigmoid`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.sigmoid(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> F.sigmoid(rb.tensor([0.0]))
        tensor([0.5000])
    """
    return _nn.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    """The hyperbolic tangent, elementwise.

    See :class:`rosenblatt.nn.Tanh`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.tanh(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.tanh(input)


def heaviside_step(input: Tensor) -> Tensor:
    """1 where input >= 0, else 0 (the perceptron's threshold unit; ours, not torch's)."""
    return _nn.heaviside_step(input)


step = heaviside_step


# The C++ ops as they are bound: their signatures, defaults and checks are written once, in
# cpp/bindings/activation.cpp and cpp/ops/activation.cpp. The wrappers below add only what is
# Python's: inplace= picking the in-place op.
gelu = _nn.gelu
softplus = _nn.softplus
softsign = _nn.softsign
logsigmoid = _nn.log_sigmoid
glu = _nn.glu
prelu = _nn.prelu
hardtanh_ = _nn.hardtanh_
selu_ = _nn.selu_
celu_ = _nn.celu_
threshold_ = _nn.threshold_


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)`` elementwise.

    See :class:`rosenblatt.nn.SiLU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.silu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.silu_(input) if inplace else _nn.silu(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))`` elementwise.

    See :class:`rosenblatt.nn.Mish`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.mish(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.mish_(input) if inplace else _nn.mish(input)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """``clamp(x, min_val, max_val)``.

    See :class:`rosenblatt.nn.Hardtanh`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.hardtanh(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.hardtanh_(input, min_val, max_val) if inplace else _nn.hardtanh(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(0, x), 6)``.

    See :class:`rosenblatt.nn.ReLU6`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.relu6(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.relu6_(input) if inplace else _nn.relu6(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``clamp(x / 6 + 1 / 2, 0, 1)``.

    See :class:`rosenblatt.nn.Hardsigmoid`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.hardsigmoid(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.hardsigmoid_(input) if inplace else _nn.hardsigmoid(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * hardsigmoid(x)``.

    See :class:`rosenblatt.nn.Hardswish`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.hardswish(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.hardswish_(input) if inplace else _nn.hardswish(input)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """The scaled ELU of self-normalizing networks.

    See :class:`rosenblatt.nn.SELU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.selu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.selu_(input) if inplace else _nn.selu(input)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha (exp(x / alpha) - 1))``.

    See :class:`rosenblatt.nn.CELU`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.celu(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.celu_(input, alpha) if inplace else _nn.celu(input, alpha)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``x`` where ``x > threshold``, else ``value``.

    See :class:`rosenblatt.nn.Threshold`.

    Shape:
        input: ``(*)``, any shape; the result has the same shape.

    Example:
        >>> F.threshold(rb.randn(2, 3), 0.1, 20.0).shape
        rosenblatt.Size([2, 3])
    """
    return _nn.threshold_(input, threshold, value) if inplace else _nn.threshold(input, threshold, value)


def _get_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. "
                  "Change the call to include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_family(name, input, dim, stacklevel, dtype):
    # one frame deeper than the public function: the warning names the caller's line all the same
    if dim is None:
        dim = _get_softmax_dim(name, input.dim(), stacklevel + 1)
    if dtype is not None and dtype != input.dtype:
        input = input._to_dtype(dtype)
    return getattr(_nn, name)(input, dim)


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (``dtype`` casts first). See :class:`rosenblatt.nn.Softmax`.

    Shape:
        input: ``(*)``; the result has the same shape, each slice along ``dim`` summing to 1.

    Example:
        >>> F.softmax(rb.tensor([[1.0, 1.0, 1.0, 1.0]]), dim=1)
        tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
    """
    return _softmax_family("softmax", input, dim, _stacklevel, dtype)


def softmin(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``softmax(-x)`` along ``dim``.

    Shape:
        input: ``(*)``; the result has the same shape.

    Example:
        >>> F.softmin(rb.randn(2, 3), dim=1).shape
        rosenblatt.Size([2, 3])
    """
    return _softmax_family("softmin", input, dim, _stacklevel, dtype)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``log(softmax(x))`` along ``dim``, computed stably.

    Shape:
        input: ``(*)``; the result has the same shape.

    Example:
        >>> F.log_softmax(rb.zeros(1, 2), dim=1)
        tensor([[-0.6931, -0.6931]])
    """
    return _softmax_family("log_softmax", input, dim, _stacklevel, dtype)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: Any = None) -> Tensor:
    """Zeroes elements with probability ``p`` and scales the rest by ``1 / (1 - p)`` when ``training``; the identity
    otherwise.

    Shape:
        input: ``(*)``; the result has the same shape.

    Example:
        >>> F.dropout(rb.ones(4), p=0.5, training=False)
        tensor([1., 1., 1., 1.])
    """
    out = _nn.dropout(input, p, training, generator)
    if inplace and out is not input:
        input.copy_(out)
        return input
    return out


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """torch.flatten: merges dims start_dim..end_dim into one (a view when possible)."""
    return input.flatten(start_dim, end_dim)


# ---- losses -------------------------------------------------------------------------------------

def _legacy_reduction(size_average, reduce, reduction):
    """torch's deprecated size_average/reduce pair, mapped to a reduction string."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn("size_average and reduce args will be deprecated, please use reduction='{}' instead."
                  .format(_legacy_string(size_average, reduce)), stacklevel=3)
    return _legacy_string(size_average, reduce)


def _legacy_string(size_average, reduce):
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _broadcast_pair(input, target):
    if input.shape == target.shape:
        return input, target
    warnings.warn(f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
                  "This will likely lead to incorrect results due to broadcasting. "
                  "Please ensure they have the same size.", stacklevel=3)
    shape = _C.broadcast_shapes(input.shape, target.shape)
    return input.expand(*shape), target.expand(*shape)


def _weighted(loss, weight, reduction):
    """Applies an elementwise weight to an unreduced loss, then torch's weighted reduction."""
    if weight.shape != loss.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def mse_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
             reduction: str = "mean", weight: Optional[Tensor] = None) -> Tensor:
    """The mean squared error. See :class:`rosenblatt.nn.MSELoss`.

    Shape:
        input, target: ``(*)``, the same shape; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.mse_loss(rb.tensor([1.0, 2.0]), rb.tensor([1.0, 4.0]))
        tensor(2.)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    if input.shape != target.shape:
        input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(_nn.mse_loss(input, target, "none"), weight, reduction)
    return _nn.mse_loss(input, target, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
            reduction: str = "mean", weight: Optional[Tensor] = None) -> Tensor:
    """The mean absolute error. See :class:`rosenblatt.nn.L1Loss`.

    Shape:
        input, target: ``(*)``, the same shape; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.l1_loss(rb.tensor([1.0, 2.0]), rb.tensor([1.0, 4.0]))
        tensor(1.)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    if input.shape != target.shape:
        input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(_nn.l1_loss(input, target, "none"), weight, reduction)
    return _nn.l1_loss(input, target, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Squared error below ``beta``, absolute above. See :class:`rosenblatt.nn.SmoothL1Loss`.

    Shape:
        input, target: ``(*)``; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.smooth_l1_loss(rb.tensor([0.0, 3.0]), rb.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    if input.shape != target.shape:
        input, target = _broadcast_pair(input, target)
    return _nn.smooth_l1_loss(input, target, reduction, float(beta))


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Optional[Tensor] = None) -> Tensor:
    """The Huber loss. See :class:`rosenblatt.nn.HuberLoss`.

    Shape:
        input, target: ``(*)``; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.huber_loss(rb.tensor([0.0, 3.0]), rb.tensor([0.5, 0.0]))
        tensor(1.3125)
    """
    if input.shape != target.shape:
        input, target = _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(_nn.huber_loss(input, target, "none", float(delta)), weight, reduction)
    return _nn.huber_loss(input, target, reduction, float(delta))


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities. See :class:`rosenblatt.nn.BCELoss`.

    Shape:
        input, target: ``(*)``, values in [0, 1]; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.binary_cross_entropy(rb.tensor([0.5]), rb.tensor([1.0]))
        tensor(0.6931)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    return _nn.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                     size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                     reduction: str = "mean", pos_weight: Optional[Tensor] = None) -> Tensor:
    """Binary cross-entropy of logits, computed stably. See :class:`rosenblatt.nn.BCEWithLogitsLoss`.

    Shape:
        input: ``(*)`` logits; target: ``(*)`` in [0, 1]; the result is a scalar (``reduction='none'``: ``(*)``).

    Example:
        >>> F.binary_cross_entropy_with_logits(rb.tensor([0.0]), rb.tensor([1.0]))
        tensor(0.6931)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    return _nn.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
                  ignore_index: int = -100, reduce: Optional[bool] = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy of logits against class ids or probabilities. See :class:`rosenblatt.nn.CrossEntropyLoss`.

    Shape:
        input: ``(N, C)`` or ``(N, C, d1, ...)`` logits; target: ``(N,)`` int64 ids or ``(N, C)`` probabilities; the
        result is a scalar (``reduction='none'``: ``(N,)``).

    Example:
        >>> round(F.cross_entropy(rb.zeros(2, 4), rb.tensor([0, 3])).item(), 4)
        1.3863
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    return _nn.cross_entropy(input, target, weight, ignore_index, reduction, float(label_smoothing))


def nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None, size_average: Optional[bool] = None,
             ignore_index: int = -100, reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """The negative log-likelihood of log-probabilities. See :class:`rosenblatt.nn.NLLLoss`.

    Shape:
        input: ``(N, C)`` log-probabilities; target: ``(N,)`` int64 ids; the result is a scalar.

    Example:
        >>> F.nll_loss(rb.tensor([[-1.0, -2.0]]), rb.tensor([1]))
        tensor(2.)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    return _nn.nll_loss(input, target, weight, ignore_index, reduction)


# ---- pooling, normalization, resizing and padding (C++: cpp/ops/{pool,norm,resize}.cpp) ---------

def _int_list(v):
    """kernel_size/stride/... as torch takes them: an int, or a tuple/list of ints."""
    if isinstance(v, int):
        return [v]
    return [int(a) for a in v]


def _max_pool(op, op_with_indices, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):
    s = [] if stride is None else _int_list(stride)
    args = (input, _int_list(kernel_size), s, _int_list(padding), _int_list(dilation), bool(ceil_mode))
    return op_with_indices(*args) if return_indices else op(*args)


def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """2-D max pooling. See :class:`rosenblatt.nn.MaxPool2d`.

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: ``(N, C, H_out, W_out)``.

    Example:
        >>> F.max_pool2d(rb.randn(1, 3, 8, 8), 2).shape
        rosenblatt.Size([1, 3, 4, 4])
    """
    return _max_pool(_nn.max_pool2d, _nn.max_pool2d_with_indices, input, kernel_size, stride, padding, dilation,
                     ceil_mode, return_indices)


def max_pool2d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                            ceil_mode: bool = False, return_indices: bool = True) -> Any:
    """``max_pool2d`` returning ``(values, indices)``."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: Any = None) -> Tensor:
    """2-D average pooling. See :class:`rosenblatt.nn.AvgPool2d`.

    Shape:
        input: ``(N, C, H, W)`` or ``(C, H, W)``; output: ``(N, C, H_out, W_out)``.

    Example:
        >>> F.avg_pool2d(rb.randn(1, 3, 8, 8), 2).shape
        rosenblatt.Size([1, 3, 4, 4])
    """
    s = [] if stride is None else _int_list(stride)
    return _nn.avg_pool2d(input, _int_list(kernel_size), s, _int_list(padding), bool(ceil_mode),
                          bool(count_include_pad), divisor_override)


def _adaptive_size(input, output_size, name, n=2):
    """output_size as n ints: an int repeated, None entries taken from the input's last n dims."""
    sizes = [output_size] * n if isinstance(output_size, int) or output_size is None else list(output_size)
    if input.dim() not in (n + 1, n + 2) or len(sizes) != n:  # the C++ op raises RuntimeError, as torch (or, for
        return [1 if v is None else int(v) for v in sizes]    # an all-ones size, takes the mean as ATen)
    return [input.shape[-n + i] if v is None else int(v) for i, v in enumerate(sizes)]


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to ``output_size``. See :class:`rosenblatt.nn.AdaptiveAvgPool2d`.

    Shape:
        input: ``(N, C, H, W)``; output: ``(N, C, *output_size)``.

    Example:
        >>> F.adaptive_avg_pool2d(rb.randn(1, 3, 7, 7), 1).shape
        rosenblatt.Size([1, 3, 1, 1])
    """
    return _nn.adaptive_avg_pool2d(input, _adaptive_size(input, output_size, "adaptive_avg_pool2d"))


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling to ``output_size``. See :class:`rosenblatt.nn.AdaptiveMaxPool2d`."""
    out, idx = _nn.adaptive_max_pool2d(input, _adaptive_size(input, output_size, "adaptive_max_pool2d"))
    return (out, idx) if return_indices else out


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any, return_indices: bool = True) -> Any:
    """``adaptive_max_pool2d`` returning ``(values, indices)``."""
    return adaptive_max_pool2d(input, output_size, True)


def _unpool_output_size(input, kernel_size, stride, padding, output_size, n=2):
    k = _int_list(kernel_size) * (n if isinstance(kernel_size, int) else 1)
    s = k if stride is None else _int_list(stride) * (n if isinstance(stride, int) else 1)
    p = _int_list(padding) * (n if isinstance(padding, int) else 1)
    default = [(input.shape[-n + d] - 1) * s[d] + k[d] - 2 * p[d] for d in range(n)]
    if output_size is None:
        return default
    out = list(output_size)
    if len(out) == n + 2 or (len(out) == n + 1 and input.dim() == n + 1):
        out = out[-n:]
    if len(out) != n:
        raise ValueError(f"output_size should be a sequence containing {n} or {n + 2} elements, but it has a length "
                         f"of '{len(out)}'")
    for d in range(n):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < out[d] < hi:
            shown = output_size[-n:] if len(output_size) > n else output_size  # as given, as torch prints it
            raise ValueError(f'invalid output_size "{shown}" (dim {d} must be between {lo} and {hi})')
    return [int(v) for v in out]


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of ``max_pool2d``. See :class:`rosenblatt.nn.MaxUnpool2d`."""
    return _nn.max_unpool2d(input, indices, _unpool_output_size(input, kernel_size, stride, padding, output_size))


def batch_norm(input: Tensor, running_mean: Tensor, running_var: Tensor, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, training: bool = False, momentum: Optional[float] = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Batch normalization with the given running statistics (updated in place when ``training``). See
    :class:`rosenblatt.nn.BatchNorm2d`.

    Shape:
        input: ``(N, C, *)``; running_mean, running_var, weight, bias: ``(C,)``; output: the input's shape.

    Example:
        >>> F.batch_norm(rb.randn(4, 3, 5), rb.zeros(3), rb.ones(3)).shape
        rosenblatt.Size([4, 3, 5])
    """
    return _nn.batch_norm(input, running_mean, running_var, weight, bias, bool(training),
                          0.0 if momentum is None else float(momentum), float(eps))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels with probability ``p`` when ``training``. See :class:`rosenblatt.nn.Dropout2d`."""
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead.", stacklevel=2)
    if inp_dim == 3:
        # As torch (pytorch#77081): a 3-D input is read as (N, C, L), whole rows dropped.
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
                      "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim.",
                      stacklevel=2)
    if not training or p == 0.0:
        return input
    if inplace:
        return input.mul_(_nn.feature_dropout_mask(input, p))
    return _nn.feature_dropout(input, p, training)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels of an ``(N, C, L)`` or ``(C, L)`` input with probability ``p`` when ``training``.
    See :class:`rosenblatt.nn.Dropout1d`."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. Note that dropout1d "
                           "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if not training or p == 0.0:
        return input
    batched = input if inp_dim == 3 else input.unsqueeze(0)
    if inplace:
        mask = _nn.feature_dropout_mask(batched, p)
        return input.mul_(mask if inp_dim == 3 else mask.squeeze(0))
    out = _nn.feature_dropout(batched, p, training)
    return out if inp_dim == 3 else out.squeeze(0)


def _is_int(v):
    return isinstance(v, int) or (hasattr(v, "__index__") and not isinstance(v, float))


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: Optional[bool] = None, recompute_scale_factor: Any = None,
                antialias: Any = False) -> Tensor:
    """Resizes to ``size`` or by ``scale_factor`` with ``mode`` 'nearest', 'nearest-exact', 'linear', 'bilinear',
    'bicubic', 'lanczos' (needs ``antialias=True``) or 'area'. ``antialias=True`` (bilinear, bicubic, lanczos; 4-D
    float32, float64 or uint8 input) low-pass filters as PIL does when downscaling.

    Shape:
        input: ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``; output: ``(N, C, *size)``.

    Example:
        >>> F.interpolate(rb.randn(1, 1, 8, 8), size=(16, 16), mode='bilinear', align_corners=False).shape
        rosenblatt.Size([1, 1, 16, 16])
    """
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial dimensions, but got input "
                                 f"with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                                 "Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                                 "(o1, o2, ...,oK) format.")
            if not all(_is_int(v) for v in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(v) for v in size]}")
            output_size = [int(v) for v in size]
        else:
            output_size = [int(size)] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError("Input and scale_factor must have the same number of spatial dimensions, but got "
                                 f"input with spatial dimensions of {list(input.shape[2:])} and scale_factor of "
                                 f"shape {scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) "
                                 "format and scale_factor in (s1, s2, ...,sK) format.")
            scale_factors = [float(v) for v in scale_factor]
        else:
            scale_factors = [float(scale_factor)] * dim
        output_size = None
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if output_size is None:
        import math
        output_size = [math.floor(float(input.shape[i + 2]) * scale_factors[i]) for i in range(dim)]
    if recompute_scale_factor:
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D "
                         "tensor as input")
    sf = scale_factors or [None] * max(dim, 0)
    if input.dim() == 4 and mode == "lanczos":
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        if not antialias:
            raise ValueError("Lanczos mode requires antialias=True")
    if input.dim() == 4 and mode in ("nearest", "nearest-exact", "bilinear", "bicubic", "lanczos"):
        return _nn.upsample2d(input, mode, output_size[0], output_size[1], bool(align_corners), sf[0], sf[1],
                              bool(antialias))
    if input.dim() == 4 and mode == "area":
        return adaptive_avg_pool2d(input, output_size)
    if input.dim() == 3 and mode == "linear" and input.dtype == _C.dtype.uint8:
        # upsample2d's uint8 bilinear is the 2-D image path; PyTorch's 1-D linear has no uint8 kernel
        raise NotImplementedError("\"compute_indices_weights_linear\" not implemented for 'Byte'")
    if input.dim() == 3 and mode in ("nearest", "nearest-exact", "linear"):
        m = "bilinear" if mode == "linear" else mode
        out = _nn.upsample2d(input.unsqueeze(2), m, 1, output_size[0], bool(align_corners), None, sf[0])
        return out.squeeze(2)
    if input.dim() == 3 and mode in ("bilinear", "bicubic"):
        raise NotImplementedError(f"Got 3D input, but {mode} mode needs 4D input")
    if input.dim() == 4 and mode == "linear":
        raise NotImplementedError("Got 4D input, but linear mode needs 3D input")
    if mode not in ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "area"):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.dim()}D) for "
                                  "the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
                                  f"nearest-exact (got {mode})")
    raise NotImplementedError(f"interpolate: mode {mode!r} on a {input.dim()}D input is not implemented in "
                              "rosenblatt (3D: nearest, nearest-exact, linear; 4D: nearest, nearest-exact, bilinear, "
                              "bicubic, lanczos, area)")


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: Optional[bool] = None) -> Tensor:
    """The deprecated name of ``interpolate``."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def pad(input: Tensor, pad: Any, mode: str = "constant", value: Optional[float] = None) -> Tensor:
    """Pads the last dimensions: ``pad`` lists (left, right) for the last one, then the one before, ...
    'reflect', 'replicate' and 'circular' pad 1 to 3 of them (cpp/ops/pad.cpp).

    Shape:
        input: ``(*)``; each padded dimension grows by its two paddings.

    Example:
        >>> F.pad(rb.ones(2, 3), (1, 1)).shape
        rosenblatt.Size([2, 5])
    """
    if mode != "constant":
        if value is not None and value != 0:
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        return _nn.pad_mode(input, [int(v) for v in pad], mode)
    return _nn.constant_pad_nd(input, [int(v) for v in pad], 0.0 if value is None else float(value))


__all__ += [
    "max_pool2d", "max_pool2d_with_indices", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d",
    "adaptive_max_pool2d_with_indices", "max_unpool2d", "batch_norm", "dropout2d", "interpolate", "upsample", "pad",
]
# ---- convolution ---------------------------------------------------------------------------------

def conv1d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """1-D convolution: input (N, C, L) or (C, L), weight (OC, C/groups, K); padding an int,
    a tuple, 'valid' or 'same'."""
    return _nn.conv1d(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution: input (N, C, H, W) or (C, H, W), weight (OC, C/groups, KH, KW); padding an
    int, a tuple, 'valid' or 'same'."""
    return _nn.conv2d(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """Transposed 2-D convolution: input (N, C, H, W) or (C, H, W), weight (C, OC/groups, KH, KW)."""
    return _nn.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """Transposed 1-D convolution: input (N, C, L) or (C, L), weight (C, OC/groups, K)."""
    return _nn.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv3d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D convolution: input (N, C, D, H, W) or (C, D, H, W), weight (OC, C/groups, KD, KH, KW); padding an
    int, a tuple, 'valid' or 'same'."""
    return _nn.conv3d(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """Transposed 3-D convolution: input (N, C, D, H, W) or (C, D, H, W), weight (C, OC/groups, KD, KH, KW)."""
    return _nn.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)


__all__ += ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


# PixelShuffle's functional forms (composites of reshape/permute; see nn/modules/pixelshuffle.py).
from .modules.pixelshuffle import pixel_shuffle, pixel_unshuffle  # noqa: E402,F401

# ---- embeddings and layer norm: the bound C++ functions, whose signatures and defaults are torch's -----
embedding = _nn.embedding  # (input, weight, padding_idx=None, max_norm=None, norm_type=2.0, ...)
one_hot = _nn.one_hot  # (tensor, num_classes=-1) -> int64
layer_norm = _nn.layer_norm  # (input, normalized_shape, weight=None, bias=None, eps=1e-5)
rms_norm = _nn.rms_norm  # (input, normalized_shape, weight=None, eps=None)
group_norm = _nn.group_norm  # (input, num_groups, weight=None, bias=None, eps=1e-5)
# (input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True, momentum=0.1, eps=1e-5)
instance_norm = _nn.instance_norm

# (input, size, alpha=1e-4, beta=0.75, k=1.0): x^2 averaged over a window of channels, as torch's composite
local_response_norm = _nn.local_response_norm

__all__ += ["embedding", "one_hot", "layer_norm", "rms_norm", "group_norm", "instance_norm", "local_response_norm"]

# spatial transformers: (theta, size, align_corners=None) and (input, grid, mode="bilinear", padding_mode="zeros",
# align_corners=None); align_corners=None warns as torch's and means False
affine_grid = _nn.affine_grid
grid_sample = _nn.grid_sample

__all__ += ["affine_grid", "grid_sample"]


def embedding_bag(input: Tensor, weight: Tensor, offsets: Optional[Tensor] = None, max_norm: Optional[float] = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Optional[Tensor] = None, include_last_offset: bool = False,
                  padding_idx: Optional[int] = None) -> Tensor:
    """torch's argument handling (2-D input as equal bags, the mode's name, max_norm), then the fused
    bag reduction of cpp/ops/embedding_bag.cpp."""
    if per_sample_weights is not None and tuple(input.size()) != tuple(per_sample_weights.size()):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
                         f"then it must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        offsets = _C.arange(0, input.numel(), max(input.size(1), 1), dtype=input.dtype)
        if input.size(1) == 0:  # bags of length 0: one empty bag per row
            offsets = _C.zeros(input.size(0), dtype=input.dtype)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    modes = {"sum": 0, "mean": 1, "max": 2}
    if mode not in modes:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if sparse:
        raise NotImplementedError("embedding_bag: sparse=True (sparse gradients) is not supported in rosenblatt; "
                                  "use sparse=False, whose dense gradient is the same values")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    # max_norm renormalizes the rows looked up in place, once the call's arguments are checked.
    return _nn._embedding_bag(weight, input, offsets, scale_grad_by_freq, modes[mode], per_sample_weights,
                              include_last_offset, padding_idx, max_norm, float(norm_type))


__all__ += ["embedding_bag"]

# ---- attention: the fused C++ op (query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False,
# scale=None, enable_gqa=False) ----
scaled_dot_product_attention = _nn.scaled_dot_product_attention

__all__ += ["scaled_dot_product_attention"]

# MultiheadAttention's functional form (nn/modules/attention.py).
from .modules.attention import multi_head_attention_forward  # noqa: E402

__all__ += ["multi_head_attention_forward"]


# ---- 1-D pooling: the 2-D kernels on a (N, C, 1, L) view, in C++ (cpp/ops/pool.cpp) -----------------

def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """1-D max pooling. See :class:`rosenblatt.nn.MaxPool1d`."""
    return _max_pool(_nn.max_pool1d, _nn.max_pool1d_with_indices, input, kernel_size, stride, padding, dilation,
                     ceil_mode, return_indices)


def max_pool1d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                            ceil_mode: bool = False, return_indices: bool = True) -> Any:
    """``max_pool1d`` returning ``(values, indices)``."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """1-D average pooling. See :class:`rosenblatt.nn.AvgPool1d`."""
    s = [] if stride is None else _int_list(stride)
    return _nn.avg_pool1d(input, _int_list(kernel_size), s, _int_list(padding), bool(ceil_mode),
                          bool(count_include_pad))


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """1-D average pooling to ``output_size``. See :class:`rosenblatt.nn.AdaptiveAvgPool1d`."""
    return _nn.adaptive_avg_pool1d(input, _int_list(output_size))


def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """1-D max pooling to ``output_size``. See :class:`rosenblatt.nn.AdaptiveMaxPool1d`."""
    out, idx = _nn.adaptive_max_pool1d(input, _int_list(output_size))
    return (out, idx) if return_indices else out


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: Any, return_indices: bool = True) -> Any:
    """``adaptive_max_pool1d`` returning ``(values, indices)``."""
    return adaptive_max_pool1d(input, output_size, True)


__all__ += ["max_pool1d", "max_pool1d_with_indices", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_max_pool1d",
            "adaptive_max_pool1d_with_indices"]


# ---- 3-D pooling: the 2-D kernels over (D, H, W) volumes, in C++ (cpp/ops/pool.cpp) -----------------

def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """3-D max pooling over (N, C, D, H, W) or (C, D, H, W). See :class:`rosenblatt.nn.MaxPool3d`."""
    return _max_pool(_nn.max_pool3d, _nn.max_pool3d_with_indices, input, kernel_size, stride, padding, dilation,
                     ceil_mode, return_indices)


def max_pool3d_with_indices(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                            ceil_mode: bool = False, return_indices: bool = True) -> Any:
    """``max_pool3d`` returning ``(values, indices)``."""
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, True)


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: Any = None) -> Tensor:
    """3-D average pooling. See :class:`rosenblatt.nn.AvgPool3d`."""
    s = [] if stride is None else _int_list(stride)
    return _nn.avg_pool3d(input, _int_list(kernel_size), s, _int_list(padding), bool(ceil_mode),
                          bool(count_include_pad), divisor_override)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling of volumes to ``output_size``. See :class:`rosenblatt.nn.AdaptiveAvgPool3d`."""
    return _nn.adaptive_avg_pool3d(input, _adaptive_size(input, output_size, "adaptive_avg_pool3d", 3))


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of volumes to ``output_size``. See :class:`rosenblatt.nn.AdaptiveMaxPool3d`."""
    out, idx = _nn.adaptive_max_pool3d(input, _adaptive_size(input, output_size, "adaptive_max_pool3d", 3))
    return (out, idx) if return_indices else out


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: Any, return_indices: bool = True) -> Any:
    """``adaptive_max_pool3d`` returning ``(values, indices)``."""
    return adaptive_max_pool3d(input, output_size, True)


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Tensor:
    """The partial inverse of ``max_pool3d``. See :class:`rosenblatt.nn.MaxUnpool3d`."""
    size = _unpool_output_size(input, kernel_size, stride, padding, output_size, 3)
    return _nn.max_unpool3d(input, indices, size)


__all__ += ["max_pool3d", "max_pool3d_with_indices", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d",
            "adaptive_max_pool3d_with_indices", "max_unpool3d"]

# ---- distances and bilinear (C++ composites: cpp/ops/distance.cpp, cpp/ops/linear.cpp) --------------
cosine_similarity = _nn.cosine_similarity  # (x1, x2, dim=1, eps=1e-8)
pairwise_distance = _nn.pairwise_distance  # (x1, x2, p=2.0, eps=1e-6, keepdim=False)
bilinear = _nn.bilinear  # (input1, input2, weight, bias=None)


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Optional[Tensor] = None) -> Tensor:
    """input / max(||input||_p over dim, eps)."""
    result = _nn.normalize(input, float(p), dim, float(eps))
    if out is None:
        return result
    out.copy_(result)
    return out


__all__ += ["cosine_similarity", "pairwise_distance", "bilinear", "normalize"]

# ---- more losses: C++ composites of differentiable ops (cpp/ops/loss_composite.cpp); here only what
# is Python's in torch too (size_average/reduce, 'batchmean', a float var) ---------------------------


def _reduction_of(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce, reduction)
    return reduction


def kl_div(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
           reduction: str = "mean", log_target: Any = False) -> Tensor:
    """The Kullback-Leibler divergence of log-probabilities. See :class:`rosenblatt.nn.KLDivLoss`."""
    if size_average is not None or reduce is not None:
        return _nn.kl_div(input, target, _legacy_reduction(size_average, reduce, reduction), bool(log_target))
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    if reduction == "batchmean":
        total = _nn.kl_div(input, target, "sum", bool(log_target))
        return total / input.shape[0] if input.dim() != 0 else total
    return _nn.kl_div(input, target, reduction, bool(log_target))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: Optional[bool] = None, eps: float = 1e-8, reduce: Optional[bool] = None,
                     reduction: str = "mean") -> Tensor:
    """The Poisson negative log-likelihood. See :class:`rosenblatt.nn.PoissonNLLLoss`."""
    return _nn.poisson_nll_loss(input, target, bool(log_input), bool(full), float(eps),
                                _reduction_of(size_average, reduce, reduction))


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """The Gaussian negative log-likelihood. See :class:`rosenblatt.nn.GaussianNLLLoss`."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = _C.full_like(input, var)
    return _nn.gaussian_nll_loss(input, target, var, bool(full), float(eps), reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                          reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.CosineEmbeddingLoss`."""
    return _nn.cosine_embedding_loss(input1, input2, target, float(margin),
                                     _reduction_of(size_average, reduce, reduction))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                        reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.MarginRankingLoss`."""
    reduction = _reduction_of(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _nn.margin_ranking_loss(input1, input2, target, float(margin), reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: float = False, size_average: Optional[bool] = None,
                        reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.TripletMarginLoss`."""
    return _nn.triplet_margin_loss(anchor, positive, negative, float(margin), float(p), float(eps), bool(swap),
                                   _reduction_of(size_average, reduce, reduction))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: Optional[bool] = None,
                         reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.HingeEmbeddingLoss`."""
    return _nn.hinge_embedding_loss(input, target, float(margin), _reduction_of(size_average, reduce, reduction))


def soft_margin_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                     reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.SoftMarginLoss`."""
    return _nn.soft_margin_loss(input, target, _reduction_of(size_average, reduce, reduction))


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                                size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                                reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.MultiLabelSoftMarginLoss`."""
    reduction = _reduction_of(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction + " is not valid")
    return _nn.multilabel_soft_margin_loss(input, target, weight, reduction)


def multi_margin_loss(input: Tensor, target: Tensor, p: float = 1, margin: float = 1.0, weight: Optional[Tensor] = None,
                      size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                      reduction: str = "mean") -> Tensor:
    """See :class:`rosenblatt.nn.MultiMarginLoss`."""
    reduction = _reduction_of(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    return _nn.multi_margin_loss(input, target, int(p), float(margin), weight, reduction)


__all__ += ["kl_div", "poisson_nll_loss", "gaussian_nll_loss", "cosine_embedding_loss", "margin_ranking_loss",
            "triplet_margin_loss", "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
            "multi_margin_loss"]


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """The Connectionist Temporal Classification loss. See :class:`rosenblatt.nn.CTCLoss`.

    Shape:
        log_probs: ``(T, N, C)`` or ``(T, C)``; targets: ``(N, S)`` padded or ``(sum(target_lengths),)``;
        input_lengths, target_lengths: ``(N,)`` tensors, or tuples/lists of ints (both the same kind).

    Example:
        >>> lp = rb.zeros(4, 1, 3).log_softmax(2)
        >>> F.ctc_loss(lp, rb.tensor([[1, 2]]), [4], [2], reduction="sum")
        tensor(1.6864)
    """
    if isinstance(input_lengths, Tensor) != isinstance(target_lengths, Tensor):
        # PyTorch's overloads take two tensors or two int sequences, never a mix.
        raise TypeError("ctc_loss(): input_lengths and target_lengths must both be tensors or both be tuples of "
                        f"ints, got {type(input_lengths).__name__} and {type(target_lengths).__name__}")
    return _nn.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)


__all__ += ["ctc_loss"]

# ---- im2col, channel shuffle, power-average pooling (cpp/ops/pad.cpp, cpp/ops/composite_shape.cpp) --------


def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Sliding blocks as columns: (N, C, H, W) -> (N, C * kh * kw, L)."""
    return _nn.unfold(input, _int_list(kernel_size), _int_list(dilation), _int_list(padding), _int_list(stride))


def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """Columns back to an image, overlaps summed: (N, C * kh * kw, L) -> (N, C, H, W)."""
    return _nn.fold(input, _int_list(output_size), _int_list(kernel_size), _int_list(dilation), _int_list(padding),
                    _int_list(stride))


channel_shuffle = _nn.channel_shuffle  # (input, groups)
native_channel_shuffle = _nn.channel_shuffle


def lp_pool1d(input: Tensor, norm_type: float, kernel_size: int, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each window)^(1/p), as torch builds it from avg_pool1d."""
    out = avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return (out.sign() * relu(out.abs())).mul(k).pow(1.0 / norm_type)


def lp_pool2d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each 2-D window)^(1/p), as torch builds it from avg_pool2d."""
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    out = avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(kw * kh).pow(1.0 / norm_type)


def lp_pool3d(input: Tensor, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> Tensor:
    """(sum of x^p over each 3-D window)^(1/p), as torch builds it from avg_pool3d."""
    kd, kh, kw = (kernel_size,) * 3 if isinstance(kernel_size, int) else kernel_size
    out = avg_pool3d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return (out.sign() * relu(out.abs())).mul(kd * kh * kw).pow(1.0 / norm_type)


__all__ += ["unfold", "fold", "channel_shuffle", "native_channel_shuffle", "lp_pool1d", "lp_pool2d", "lp_pool3d"]
