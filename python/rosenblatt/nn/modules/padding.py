"""Constant padding layers (ZeroPad2d, ConstantPad1d/2d/3d) with torch.nn's arguments, over F.pad
(cpp/ops/resize.cpp: constant_pad_nd)."""
from typing import Any

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]


class _ConstantPadNd(Module):
    __constants__ = ["padding", "value"]
    _n = 1

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__()
        self.padding = (padding,) * (2 * self._n) if isinstance(padding, int) else tuple(padding)
        if len(self.padding) != 2 * self._n:
            raise ValueError(f"expected padding of {2 * self._n} values, got {len(self.padding)}")
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pads the last dimensions with ``value``; ``padding`` is an int (all sides) or a tuple (left, right, top,
    bottom, front, back).

    Shape:
        Input: ``(N, C, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ConstantPad1d(2, 3.5)(rb.randn(1, 2, 3)).shape
        rosenblatt.Size([1, 2, 7])
    """

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last dimensions with ``value``; ``padding`` is an int (all sides) or a tuple (left, right, top,
    bottom, front, back).

    Shape:
        Input: ``(N, C, H, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ConstantPad2d((1, 1, 2, 0), 0.0)(rb.randn(1, 2, 3)).shape
        rosenblatt.Size([1, 4, 5])
    """

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last dimensions with ``value``; ``padding`` is an int (all sides) or a tuple (left, right, top,
    bottom, front, back).

    Shape:
        Input: ``(N, C, D, H, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ConstantPad3d(1, 0.0)(rb.randn(1, 1, 2, 2, 2)).shape
        rosenblatt.Size([1, 1, 4, 4, 4])
    """

    _n = 3


class ZeroPad1d(ConstantPad1d):
    """Pads the last dimensions with zeros; ``padding`` is an int (all sides) or a tuple (left, right, top, bottom,
    front, back).

    Shape:
        Input: ``(N, C, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ZeroPad1d((1, 2))(rb.randn(1, 2, 3)).shape
        rosenblatt.Size([1, 2, 6])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pads the last dimensions with zeros; ``padding`` is an int (all sides) or a tuple (left, right, top, bottom,
    front, back).

    Shape:
        Input: ``(N, C, H, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ZeroPad2d(1)(rb.randn(1, 1, 3, 3)).shape
        rosenblatt.Size([1, 1, 5, 5])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pads the last dimensions with zeros; ``padding`` is an int (all sides) or a tuple (left, right, top, bottom,
    front, back).

    Shape:
        Input: ``(N, C, D, H, W)`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.ZeroPad3d(1)(rb.randn(1, 1, 2, 2, 2)).shape
        rosenblatt.Size([1, 1, 4, 4, 4])
    """

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"
