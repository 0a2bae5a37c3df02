"""Padding layers (ZeroPad, ConstantPad, ReflectionPad, ReplicationPad, CircularPad; 1d/2d/3d) with torch.nn's
arguments, over F.pad (cpp/ops/resize.cpp: constant_pad_nd; cpp/ops/pad.cpp: the other modes)."""
from typing import Any

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
           "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d"]


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


class _ModePadNd(Module):
    """Pads the last _n dims in F.pad's mode _mode; an int pads every side by it."""

    __constants__ = ["padding"]
    _n = 1
    _mode = "reflect"

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = (padding,) * (2 * self._n) if isinstance(padding, int) else tuple(padding)
        if len(self.padding) != 2 * self._n:
            raise ValueError(f"expected padding of {2 * self._n} values, got {len(self.padding)}")

    def _check_input_dim(self, input: Tensor) -> None:
        pass

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _CircularPadNd(_ModePadNd):
    _mode = "circular"

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() not in (self._n + 1, self._n + 2):
            raise ValueError(f"expected {self._n + 1}D or {self._n + 2}D input (got {input.dim()}D input)")


class ReflectionPad1d(_ModePadNd):
    _n, _mode = 1, "reflect"


class ReflectionPad2d(_ModePadNd):
    _n, _mode = 2, "reflect"


class ReflectionPad3d(_ModePadNd):
    _n, _mode = 3, "reflect"


class ReplicationPad1d(_ModePadNd):
    _n, _mode = 1, "replicate"


class ReplicationPad2d(_ModePadNd):
    _n, _mode = 2, "replicate"


class ReplicationPad3d(_ModePadNd):
    _n, _mode = 3, "replicate"


class CircularPad1d(_CircularPadNd):
    _n = 1


class CircularPad2d(_CircularPadNd):
    _n = 2


class CircularPad3d(_CircularPadNd):
    _n = 3


def _mode_doc(mode: str, n: int) -> str:
    """The docstring of a mode-padding layer, with a shape example that doctest runs."""
    dims = ["(N, C, W)", "(N, C, H, W)", "(N, C, D, H, W)"][n - 1]
    shape = (1, 2) + (4,) * n
    out = (1, 2) + (6,) * n
    what = {"reflect": "mirrored about the edge (the edge not repeated)", "replicate": "copies of the edge value",
            "circular": "the values from the opposite end"}[mode]
    return f"""Pads the last {n} dimension{"s" if n > 1 else ""} with {what}; ``padding`` is an int (all sides)
    or a tuple (left, right, top, bottom, front, back).

    Shape:
        Input: ``{dims}`` or without the batch dimension.
        Output: each padded dimension grows by its two paddings.

    Example:
        >>> nn.{_NAMES[mode]}{n}d(1)(rb.randn{shape}).shape
        rosenblatt.Size({list(out)})
    """


_NAMES = {"reflect": "ReflectionPad", "replicate": "ReplicationPad", "circular": "CircularPad"}
for _cls in (ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d,
             CircularPad1d, CircularPad2d, CircularPad3d):
    _cls.__doc__ = _mode_doc(_cls._mode, _cls._n)
