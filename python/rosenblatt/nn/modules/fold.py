"""Fold and Unfold (im2col and its adjoint, torch.nn.Fold / Unfold) and ChannelShuffle, with torch.nn's
arguments and reprs, over F.fold / F.unfold / F.channel_shuffle (cpp/ops/pad.cpp, composite_shape.cpp)."""
from typing import Any

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ChannelShuffle", "Fold", "Unfold"]


class Fold(Module):
    """Sums sliding blocks (columns) back into an image, the adjoint of Unfold: overlapping blocks add up.

    Shape:
        Input: ``(N, C * kh * kw, L)`` or ``(C * kh * kw, L)``.
        Output: ``(N, C, *output_size)`` or ``(C, *output_size)``.

    Example:
        >>> nn.Fold((4, 5), 2)(rb.randn(1, 12, 12)).shape
        rosenblatt.Size([1, 3, 4, 5])
    """

    __constants__ = ["output_size", "kernel_size", "dilation", "padding", "stride"]

    def __init__(self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
                 stride: Any = 1) -> None:
        super().__init__()
        self.output_size = output_size
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return ("output_size={output_size}, kernel_size={kernel_size}, dilation={dilation}, padding={padding}, "
                "stride={stride}".format(**self.__dict__))


class Unfold(Module):
    """Extracts sliding blocks of an image as columns (im2col).

    Shape:
        Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        Output: ``(N, C * kh * kw, L)``, L the number of blocks, or ``(C * kh * kw, L)``.

    Example:
        >>> nn.Unfold(2, padding=1)(rb.randn(1, 3, 4, 5)).shape
        rosenblatt.Size([1, 12, 30])
    """

    __constants__ = ["kernel_size", "dilation", "padding", "stride"]

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input: Tensor) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return "kernel_size={kernel_size}, dilation={dilation}, padding={padding}, stride={stride}".format(
            **self.__dict__)


class ChannelShuffle(Module):
    """Splits the channels into ``groups`` and interleaves them (ShuffleNet).

    Shape:
        Input: ``(N, C, *)``, C divisible by ``groups``.
        Output: the same shape.

    Example:
        >>> nn.ChannelShuffle(2)(rb.arange(4.0).reshape(1, 4, 1)).flatten().tolist()
        [0.0, 2.0, 1.0, 3.0]
    """

    __constants__ = ["groups"]

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
