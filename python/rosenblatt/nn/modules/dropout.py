"""Dropout (elements) and Dropout2d (whole channels): zeroed with probability p in training mode, the
rest scaled by 1/(1-p)."""
from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout", "Dropout1d", "Dropout2d"]


class _DropoutNd(Module):
    """The p/inplace arguments, their check and repr, shared by Dropout and Dropout2d."""

    __constants__ = ["p", "inplace"]

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Zeroes each element with probability ``p`` in training and scales the rest by ``1 / (1 - p)``; the identity
    in eval mode.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Dropout(p=0.5)
        >>> m(rb.randn(4, 8)).shape
        rosenblatt.Size([4, 8])
        >>> x = rb.ones(3)
        >>> m.eval()(x).tolist()
        [1.0, 1.0, 1.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Zeroes whole channels (N, C) of a sequence with probability p in training and scales the rest by 1/(1-p).

    Shape:
        Input: ``(N, C, L)`` or ``(C, L)``.
        Output: the input's shape.

    Example:
        >>> nn.Dropout1d(0.2)(rb.randn(2, 4, 5)).shape
        rosenblatt.Size([2, 4, 5])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Zeroes whole channels (N, C) with probability p in training and scales the rest by 1/(1-p).

    Shape:
        Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        Output: the input's shape.

    Example:
        >>> nn.Dropout2d(0.2)(rb.randn(2, 4, 5, 5)).shape
        rosenblatt.Size([2, 4, 5, 5])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)
