"""Upsample (and the UpsamplingNearest2d/UpsamplingBilinear2d shorthands) with torch.nn's
arguments and reprs, over F.interpolate (cpp/ops/resize.cpp)."""
from typing import Any, Optional

from ..._C import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Upsample", "UpsamplingBilinear2d", "UpsamplingNearest2d"]


class Upsample(Module):
    """Resizes by ``scale_factor`` or to ``size``, with ``mode`` 'nearest', 'linear', 'bilinear' or 'bicubic' (as
    ``F.interpolate``).

    Shape:
        Input: ``(N, C, L)``, ``(N, C, H, W)`` or ``(N, C, D, H, W)``.
        Output: ``(N, C, *size)`` or ``(N, C, *[s * scale_factor for s in the input's])``.

    Example:
        >>> nn.Upsample(scale_factor=2, mode='nearest')(rb.randn(1, 1, 2, 2)).shape
        rosenblatt.Size([1, 1, 4, 4])
    """

    __constants__ = ["size", "scale_factor", "mode", "align_corners", "name", "recompute_scale_factor"]

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: Optional[bool] = None, recompute_scale_factor: Any = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        self.scale_factor = float(scale_factor) if isinstance(scale_factor, (int, float)) else (
            tuple(float(f) for f in scale_factor) if scale_factor is not None else None)
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour upsampling of images (``Upsample(mode='nearest')``).

    Shape:
        Input: ``(N, C, H, W)``.
        Output: ``(N, C, H * scale_factor, W * scale_factor)``.

    Example:
        >>> nn.UpsamplingNearest2d(scale_factor=2)(rb.randn(1, 1, 2, 3)).shape
        rosenblatt.Size([1, 1, 4, 6])
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling of images with ``align_corners=True`` (``Upsample(mode='bilinear', align_corners=True)``).

    Shape:
        Input: ``(N, C, H, W)``.
        Output: ``(N, C, H * scale_factor, W * scale_factor)``.

    Example:
        >>> nn.UpsamplingBilinear2d(scale_factor=2)(rb.randn(1, 1, 2, 3)).shape
        rosenblatt.Size([1, 1, 4, 6])
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
