"""Dense layers: Linear (weight (out_features, in_features), PyTorch's default init), Bilinear
(weight (out_features, in1_features, in2_features)) and Identity."""
import math
from typing import Any

from ... import _C
from ..._C import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Bilinear", "Identity", "Linear"]


def _weight_and_bias(module, weight_shape, bias, device, dtype):
    """Uninitialized weight (weight_shape) and bias (weight_shape[0],) parameters, or bias None."""
    kw = {"device": device, "dtype": dtype}  # the factory refuses a device this build lacks
    module.weight = Parameter(_C.empty(*weight_shape, **kw))
    if bias:
        module.bias = Parameter(_C.empty(weight_shape[0], **kw))
    else:
        module.register_parameter("bias", None)


class Identity(Module):
    """Returns its input; accepts and ignores any constructor arguments, as torch's does.

    Shape:
        Input: ``(*)``, any shape.
        Output: the input itself.

    Example:
        >>> x = rb.randn(2, 3)
        >>> nn.Identity()(x) is x
        True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """A fully connected layer: ``y = x @ weight.T + bias``.

    Shape:
        Input: ``(*, in_features)``: any number of leading dimensions.
        Output: ``(*, out_features)``.
        weight: ``(out_features, in_features)``; bias: ``(out_features,)``.

    Example:
        >>> m = nn.Linear(20, 30)
        >>> m(rb.randn(128, 20)).shape
        rosenblatt.Size([128, 30])
        >>> tuple(m.weight.shape), tuple(m.bias.shape)
        ((30, 20), (30,))
    """

    __constants__ = ["in_features", "out_features"]

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        _weight_and_bias(self, (out_features, in_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._affine_default_(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F._nn.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """``y = x1^T A x2 + b``, one matrix ``A = weight[o]`` per output feature.

    Shape:
        Input: ``(*, in1_features)`` and ``(*, in2_features)``.
        Output: ``(*, out_features)``.

    Example:
        >>> m = nn.Bilinear(20, 30, 40)
        >>> m(rb.randn(128, 20), rb.randn(128, 30)).shape
        rosenblatt.Size([128, 40])
    """

    __constants__ = ["in1_features", "in2_features", "out_features"]

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        _weight_and_bias(self, (out_features, in1_features, in2_features), bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={self.in1_features})")
        bound = 1 / math.sqrt(self.weight.size(1))  # torch's: U(-1/sqrt(in1), 1/sqrt(in1)) for both
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F._nn.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
