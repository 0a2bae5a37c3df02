"""InstanceNorm1d/2d/3d: each (sample, channel) plane normalized by its own statistics, with torch's
arguments (affine and track_running_stats off by default), parameters and buffers (running_mean,
running_var, num_batches_tracked) so state_dicts load in either library. Kernels: cpp/ops/norm.cpp."""
import warnings
from typing import Any, Optional

from ..._C import Tensor
from .. import functional as F
from .batchnorm import _BatchNorm

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_BatchNorm):
    _no_batch_dim = 0  # the input's dims without a batch dim

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: Optional[float] = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def _check_input_dim(self, input):
        n = self._no_batch_dim
        if input.dim() not in (n, n + 1):
            raise ValueError(f"expected {n}D or {n + 1}D input (got {input.dim()}D input)")

    def _apply_instance_norm(self, input):
        # As torch: num_batches_tracked is kept for the state_dict but never counted here.
        return F.instance_norm(input, self.running_mean, self.running_var, self.weight, self.bias,
                               self.training or not self.track_running_stats,
                               self.momentum if self.momentum is not None else 0.0, self.eps)

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        feature_dim = input.dim() - self._no_batch_dim
        if input.size(feature_dim) != self.num_features:
            if self.affine:
                raise ValueError(f"expected input's size at dim={feature_dim} to match num_features"
                                 f" ({self.num_features}), but got: {input.size(feature_dim)}.")
            warnings.warn(f"input's size at dim={feature_dim} does not match num_features. You can silence this "
                          "warning by not passing in num_features, which is not used because affine=False",
                          stacklevel=2)
        if input.dim() == self._no_batch_dim:
            return self._apply_instance_norm(input.unsqueeze(0)).squeeze(0)
        return self._apply_instance_norm(input)


class InstanceNorm1d(_InstanceNorm):
    """Over (N, C, L) or unbatched (C, L) inputs.

    Shape:
        Input: ``(N, C, L)`` or ``(C, L)``.
        Output: the input's shape.

    Example:
        >>> nn.InstanceNorm1d(3)(rb.randn(2, 3, 10)).shape
        rosenblatt.Size([2, 3, 10])
    """

    _no_batch_dim = 2


class InstanceNorm2d(_InstanceNorm):
    """Over (N, C, H, W) or unbatched (C, H, W) inputs.

    Shape:
        Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        Output: the input's shape.

    Example:
        >>> nn.InstanceNorm2d(3)(rb.randn(2, 3, 4, 4)).shape
        rosenblatt.Size([2, 3, 4, 4])
    """

    _no_batch_dim = 3


class InstanceNorm3d(_InstanceNorm):
    """Over (N, C, D, H, W) or unbatched (C, D, H, W) inputs.

    Shape:
        Input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        Output: the input's shape.

    Example:
        >>> nn.InstanceNorm3d(3)(rb.randn(2, 3, 2, 4, 4)).shape
        rosenblatt.Size([2, 3, 2, 4, 4])
    """

    _no_batch_dim = 4
