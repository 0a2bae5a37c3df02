"""LayerNorm and RMSNorm (over the trailing normalized_shape dims), GroupNorm (over groups of channels) and
LocalResponseNorm (over neighbouring channels), with torch's arguments, init (weight ones, bias zeros) and
state_dict keys.
Kernels: cpp/ops/norm.cpp, cpp/ops/norm_group.cpp."""
import numbers
from typing import Any, Optional

from ... import _C
from ..._C import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["LayerNorm", "GroupNorm", "RMSNorm", "LocalResponseNorm"]


def _affine_params(module, shape, params, device, dtype):
    """Registers each name of params: a Parameter of `shape` where params[name] is true, else None,
    then resets them (weight ones, bias zeros), as torch's normalization layers do."""
    for name, make in params.items():
        module.register_parameter(name, Parameter(_C.empty(shape, device=device, dtype=dtype)) if make else None)
    module.reset_parameters()


def _reset_affine(module):
    if module.weight is not None:
        init.ones_(module.weight)
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    """Layer normalization (Ba et al., 2016): normalizes over the last ``len(normalized_shape)`` dimensions of each
    sample.

    Shape:
        Input: ``(*, *normalized_shape)``.
        Output: the input's shape.
        weight, bias: ``normalized_shape``.

    Example:
        >>> m = nn.LayerNorm(64)
        >>> m(rb.randn(8, 10, 64)).shape
        rosenblatt.Size([8, 10, 64])
    """

    __constants__ = ["normalized_shape", "eps", "elementwise_affine"]

    def __init__(self, normalized_shape: Any, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_params(self, self.normalized_shape, {"weight": elementwise_affine, "bias": elementwise_affine and bias},
                       device, dtype)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return "{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}, bias={use_bias}".format(
            **self.__dict__, use_bias=self.bias is not None)


class GroupNorm(Module):
    """Group normalization (Wu and He, 2018): the channels split into ``num_groups`` groups, each normalized per sample.

    Shape:
        Input: ``(N, C, *)``, C divisible by ``num_groups``.
        Output: the input's shape.
        weight, bias: ``(C,)``.

    Example:
        >>> m = nn.GroupNorm(2, 6)
        >>> m(rb.randn(4, 6, 5, 5)).shape
        rosenblatt.Size([4, 6, 5, 5])
    """

    __constants__ = ["num_groups", "num_channels", "eps", "affine"]

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_params(self, (num_channels,), {"weight": affine, "bias": affine and bias}, device, dtype)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return "{num_groups}, {num_channels}, eps={eps}, affine={affine}, bias={use_bias}".format(
            **self.__dict__, use_bias=self.bias is not None)


class RMSNorm(Module):
    """eps=None: the machine epsilon of the input's dtype, as torch's.

    Shape:
        Input: ``(*, *normalized_shape)``.
        Output: the input's shape.

    Example:
        >>> m = nn.RMSNorm(64)
        >>> m(rb.randn(8, 64)).shape
        rosenblatt.Size([8, 64])
    """

    __constants__ = ["normalized_shape", "eps", "elementwise_affine"]

    def __init__(self, normalized_shape: Any, eps: Optional[float] = None, elementwise_affine: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_params(self, self.normalized_shape, {"weight": elementwise_affine}, device, dtype)

    def reset_parameters(self) -> None:
        _reset_affine(self)

    def forward(self, x: Any) -> Tensor:
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return "{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}".format(**self.__dict__)


class LocalResponseNorm(Module):
    """Local response normalization (Krizhevsky et al., 2012): each channel divided by
    ``(k + alpha / size * sum of the squares of the `size` channels around it)^beta``.

    Shape:
        Input: ``(N, C, *)``, 3-d or more.
        Output: the input's shape.

    Example:
        >>> m = nn.LocalResponseNorm(2)
        >>> m(rb.randn(4, 6, 5, 5)).shape
        rosenblatt.Size([4, 6, 5, 5])
    """

    __constants__ = ["size", "alpha", "beta", "k"]

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input: Tensor) -> Tensor:
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return "{size}, alpha={alpha}, beta={beta}, k={k}".format(**self.__dict__)
