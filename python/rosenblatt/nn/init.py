"""nn.init: in-place weight initializations (uniform, normal, constant, Xavier/Glorot, Kaiming/He)
with torch.nn.init's names, formulas for gain and fan, and generator= arguments."""
import math
import warnings
from typing import Any

import numpy as np

from .. import _C
from .._C import Tensor
from ..autograd import no_grad

__all__ = [
    "calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_",
]


def _fill_from_numpy(tensor, values):
    tensor.copy_(_C.from_numpy(np.ascontiguousarray(values, dtype=tensor.numpy(force=True).dtype)))


def calculate_gain(nonlinearity: Any, param: Any = None) -> float:
    """The recommended gain for an activation (torch.nn.init.calculate_gain)."""
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def uniform_(tensor: Tensor, a: Any = 0.0, b: Any = 1.0, generator: Any = None) -> Tensor:
    """Fills ``tensor`` in place with values from U(a, b); returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.uniform_(w, -1.0, 1.0)
        >>> bool((w.abs() <= 1).all())
        True
    """
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: Any = 0.0, std: Any = 1.0, generator: Any = None) -> Tensor:
    """Fills ``tensor`` in place with values from N(mean, std^2); returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.normal_(w, 0.0, 0.02)
        >>> tuple(w.shape)
        (3, 5)
    """
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor: Tensor, mean: Any = 0.0, std: Any = 1.0, a: Any = -2.0, b: Any = 2.0,
                  generator: Any = None) -> Tensor:
    """Normal values redrawn until they fall in [a, b] (rejection sampling from the generator)."""
    n = tensor.numel()
    out = np.empty(0)
    while out.size < n:
        draw = _C.empty(2 * n + 16, dtype=_C.dtype.float64).normal_(mean, std, generator=generator).numpy()
        out = np.concatenate([out, draw[(draw >= a) & (draw <= b)]])
    with no_grad():
        _fill_from_numpy(tensor, out[:n].reshape(tuple(tensor.shape)))
    return tensor


def constant_(tensor: Tensor, val: Any) -> Tensor:
    """Fills ``tensor`` in place with ``val``; returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.constant_(w, 0.5)
        >>> w[0].tolist()
        [0.5, 0.5, 0.5, 0.5, 0.5]
    """
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` in place with ones; returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.ones_(w)
        >>> w.sum().item()
        15.0
    """
    with no_grad():
        return tensor.fill_(1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` in place with zeros; returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.zeros_(w)
        >>> w.sum().item()
        0.0
    """
    with no_grad():
        return tensor.zero_()


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D ``tensor`` in place with the identity matrix (ones on the diagonal); returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.eye_(w)
        >>> w.sum().item()
        3.0
    """
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    with no_grad():
        tensor.copy_(_C.eye(*tuple(tensor.shape)))
    return tensor


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    num_input_fmaps = tensor.size(1)
    num_output_fmaps = tensor.size(0)
    receptive_field_size = 1
    for s in tuple(tensor.shape)[2:]:
        receptive_field_size *= s
    return num_input_fmaps * receptive_field_size, num_output_fmaps * receptive_field_size


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor: Tensor, gain: Any = 1.0, generator: Any = None) -> Tensor:
    """Glorot initialization (Glorot and Bengio, 2010): U(-b, b) with ``b = gain * sqrt(6 / (fan_in + fan_out))``;
    in place, returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.xavier_uniform_(w)
        >>> bool((w.abs() <= (6 / 8) ** 0.5).all())
        True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: Any = 1.0, generator: Any = None) -> Tensor:
    """Glorot initialization from N(0, std^2), ``std = gain * sqrt(2 / (fan_in + fan_out))``; in place, returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.xavier_normal_(w)
        >>> tuple(w.shape)
        (3, 5)
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor: Tensor, a: Any = 0, mode: Any = "fan_in", nonlinearity: Any = "leaky_relu",
                     generator: Any = None) -> Tensor:
    """He initialization (He et al., 2015): U(-b, b) with ``b = gain * sqrt(3 / fan)`` and
    ``gain = calculate_gain(nonlinearity, a)``; in place, returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.kaiming_uniform_(w, nonlinearity='relu')
        >>> bool((w.abs() <= (6 / 5) ** 0.5).all())
        True
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: Any = 0, mode: Any = "fan_in", nonlinearity: Any = "leaky_relu",
                    generator: Any = None) -> Tensor:
    """He initialization from N(0, std^2), ``std = gain / sqrt(fan)``: keeps a ReLU network's activations at one
    scale; in place, returns it.

    Example:
        >>> w = rb.empty(3, 5)
        >>> _ = nn.init.kaiming_normal_(w, nonlinearity='relu')
        >>> tuple(w.shape)
        (3, 5)
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: Any = 1, generator: Any = None) -> Tensor:
    """Fills ``tensor`` (2-D or more, trailing dimensions flattened) in place with a (semi-)orthogonal matrix
    times ``gain``: the Q of a normal matrix's QR, its columns' signs fixed by R's diagonal so the result is
    uniform over orthogonal matrices (Saxe et al. 2013, as PyTorch draws it); returns it.

    Example:
        >>> w = nn.init.orthogonal_(rb.empty(3, 5))
        >>> bool(rb.allclose(w @ w.T, rb.eye(3), atol=1e-5))
        True
    """
    if tensor.dim() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor  # no-op
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = _C.empty(rows, cols, dtype=tensor.dtype).normal_(0, 1, generator=generator)
    if rows < cols:
        flat = flat.t()
    q, r = _C._linalg.qr(flat)
    q = q * _C.diagonal(r, 0).sign()
    if rows < cols:
        q = q.t()
    with no_grad():
        tensor.view_as(q).copy_(q)
        tensor.mul_(gain)
    return tensor


def _affine_default_(weight, bias):
    """torch's default for Linear and Conv: kaiming_uniform_(a=sqrt(5)), i.e. U(-1/sqrt(fan_in),
    1/sqrt(fan_in)), on the weight and the same bound on the bias (zero when fan_in is 0)."""
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = _calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound)
