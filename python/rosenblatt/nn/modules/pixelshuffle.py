# PixelShuffle / PixelUnshuffle: sub-pixel rearrangement of channels into space and back (torch.nn's semantics).
# Composites of reshape/permute, so their gradients come from the view ops' backward.
from typing import Any

from ..._C import Tensor


def _check_factor(name, factor):
    if not isinstance(factor, int) or isinstance(factor, bool) or factor <= 0:
        raise ValueError(f"{name} must be a positive integer, got {factor!r}")


def pixel_shuffle(input: Tensor, upscale_factor: Any) -> Tensor:
    """(*, C*r^2, H, W) -> (*, C, H*r, W*r)."""
    _check_factor("upscale_factor", upscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    r = upscale_factor
    c, h, w = input.shape[-3], input.shape[-2], input.shape[-1]
    if c % (r * r) != 0:
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
                           f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    batch = list(input.shape[:-3])
    nb = len(batch)
    oc = c // (r * r)
    x = input.reshape(batch + [oc, r, r, h, w])
    perm = list(range(nb)) + [nb, nb + 3, nb + 1, nb + 4, nb + 2]
    return x.permute(perm).contiguous().reshape(batch + [oc, h * r, w * r])


def pixel_unshuffle(input: Tensor, downscale_factor: Any) -> Tensor:
    """(*, C, H*r, W*r) -> (*, C*r^2, H, W)."""
    _check_factor("downscale_factor", downscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    r = downscale_factor
    c, h, w = input.shape[-3], input.shape[-2], input.shape[-1]
    if h % r != 0:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, but "
                           f"input.size(-2)={h} is not divisible by {r}")
    if w % r != 0:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, but "
                           f"input.size(-1)={w} is not divisible by {r}")
    batch = list(input.shape[:-3])
    nb = len(batch)
    x = input.reshape(batch + [c, h // r, r, w // r, r])
    perm = list(range(nb)) + [nb, nb + 2, nb + 4, nb + 1, nb + 3]
    return x.permute(perm).contiguous().reshape(batch + [c * r * r, h // r, w // r])


from .module import Module  # noqa: E402


class PixelShuffle(Module):
    """Rearranges (*, C*r^2, H, W) into (*, C, H*r, W*r): the sub-pixel upsampling layer.

    Shape:
        Input: ``(*, C r^2, H, W)`` with r = ``upscale_factor``.
        Output: ``(*, C, H r, W r)``.

    Example:
        >>> nn.PixelShuffle(3)(rb.randn(1, 9, 4, 4)).shape
        rosenblatt.Size([1, 1, 12, 12])
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """The inverse of PixelShuffle: (*, C, H*r, W*r) -> (*, C*r^2, H, W).

    Shape:
        Input: ``(*, C, H r, W r)`` with r = ``downscale_factor``.
        Output: ``(*, C r^2, H, W)``.

    Example:
        >>> nn.PixelUnshuffle(3)(rb.randn(1, 1, 12, 12)).shape
        rosenblatt.Size([1, 9, 4, 4])
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"

__all__ = ["pixel_shuffle", "pixel_unshuffle", "PixelShuffle", "PixelUnshuffle"]
