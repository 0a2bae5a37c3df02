"""CosineSimilarity and PairwiseDistance: the modules of F.cosine_similarity and F.pairwise_distance
(cpp/ops/distance.cpp), with torch.nn's attribute names (PairwiseDistance keeps p as `norm`)."""
from typing import Any

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["CosineSimilarity", "PairwiseDistance"]


class CosineSimilarity(Module):
    """``x1 . x2 / max(||x1|| ||x2||, eps)`` along ``dim``.

    Shape:
        Input: ``x1`` and ``x2`` of broadcastable shapes ``(*, D, *)``.
        Output: the broadcast shape without ``dim``.

    Example:
        >>> nn.CosineSimilarity(dim=1)(rb.randn(100, 128), rb.randn(100, 128)).shape
        rosenblatt.Size([100])
    """

    __constants__ = ["dim", "eps"]

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F._nn.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """The p-norm distance ``||x1 - x2 + eps||_p`` along the last dimension.

    Shape:
        Input: ``(N, D)`` or ``(D,)`` each.
        Output: ``(N,)`` (``(N, 1)`` with keepdim).

    Example:
        >>> nn.PairwiseDistance(p=2)(rb.randn(100, 128), rb.randn(100, 128)).shape
        rosenblatt.Size([100])
    """

    __constants__ = ["norm", "eps", "keepdim"]

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F._nn.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
