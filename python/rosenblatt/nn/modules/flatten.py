"""Flatten: merges dims start_dim..end_dim (default: all but the batch dim) into one; Unflatten
splits one dim into several."""
from typing import Any, Optional

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Flatten", "Unflatten"]


class Flatten(Module):
    """Flattens dimensions ``start_dim`` to ``end_dim`` into one (from dimension 1 by default, keeping the batch).

    Shape:
        Input: ``(N, *dims)``.
        Output: ``(N, prod(dims))`` with the defaults.

    Example:
        >>> nn.Flatten()(rb.randn(32, 1, 5, 5)).shape
        rosenblatt.Size([32, 25])
    """

    __constants__ = ["start_dim", "end_dim"]

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return F.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dimension ``dim`` into ``unflattened_size``.

    Shape:
        Input: ``(*, S, *)`` with ``S = prod(unflattened_size)`` at ``dim``.
        Output: ``(*, *unflattened_size, *)``.

    Example:
        >>> nn.Unflatten(1, (2, 5, 5))(rb.randn(2, 50)).shape
        rosenblatt.Size([2, 2, 5, 5])
    """

    __constants__ = ["dim", "unflattened_size"]

    def __init__(self, dim: Optional[int], unflattened_size: Any) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"unflattened_size must be a tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        for idx, elem in enumerate(unflattened_size):
            if not isinstance(elem, int):
                raise TypeError(f"unflattened_size must be tuple of ints, but found element of type "
                                f"{type(elem).__name__} at pos {idx}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
