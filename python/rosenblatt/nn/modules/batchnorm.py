"""BatchNorm1d/2d/3d with torch's buffers (running_mean, running_var, num_batches_tracked) so
state_dicts load in either library. Kernels: cpp/ops/norm.cpp."""
from typing import Any, Optional

from ... import _C
from ..._C import Tensor
from ..._tensor import tensor as _tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


class _BatchNorm(Module):
    __constants__ = ["track_running_stats", "momentum", "eps", "num_features", "affine"]

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: Optional[float] = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        kw = {"device": device, "dtype": dtype}  # the factory refuses a device this build lacks
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(_C.empty(num_features, **kw))
            if bias:
                self.bias = Parameter(_C.empty(num_features, **kw))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", _C.zeros(num_features, **kw))
            self.register_buffer("running_var", _C.ones(num_features, **kw))
            self.register_buffer("num_batches_tracked", _tensor(0, dtype=_C.dtype.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input):
        raise NotImplementedError

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            # momentum=None: a cumulative moving average over the batches seen so far.
            factor = 1.0 / float(self.num_batches_tracked.item()) if self.momentum is None else self.momentum
        bn_training = self.training or (self.running_mean is None and self.running_var is None)
        use_stats = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if use_stats else None, self.running_var if use_stats else None,
                            self.weight, self.bias, bn_training, factor, self.eps)

    def extra_repr(self) -> str:
        return ("{num_features}, eps={eps}, momentum={momentum}, affine={affine}, bias={use_bias}, "
                "track_running_stats={track_running_stats}".format(**self.__dict__, use_bias=self.bias is not None))


class BatchNorm1d(_BatchNorm):
    """Batch normalization (Ioffe and Szegedy, 2015): ``(x - mean) / sqrt(var + eps) * weight + bias``, with batch
    statistics in training
    and running estimates in eval mode.

    Over (N, C) or (N, C, L) inputs.

    Shape:
        Input: ``(N, C)`` or ``(N, C, L)``.
        Output: the input's shape.
        weight, bias, running_mean, running_var: ``(C,)``.

    Example:
        >>> m = nn.BatchNorm1d(100)
        >>> m(rb.randn(20, 100)).shape
        rosenblatt.Size([20, 100])
    """

    def _check_input_dim(self, input):
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalization over the channels of images: statistics over ``(N, H, W)`` per channel.

    Over (N, C, H, W) inputs.

    Shape:
        Input: ``(N, C, H, W)``.
        Output: the input's shape.
        weight, bias, running_mean, running_var: ``(C,)``.

    Example:
        >>> m = nn.BatchNorm2d(16)
        >>> y = m(rb.randn(8, 16, 5, 5))
        >>> y.shape
        rosenblatt.Size([8, 16, 5, 5])
        >>> abs(y[:, 0].mean().item()) < 1e-5
        True
    """

    def _check_input_dim(self, input):
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


class BatchNorm3d(_BatchNorm):
    """Batch normalization over the channels of volumes: statistics over ``(N, D, H, W)`` per channel.

    Shape:
        Input: ``(N, C, D, H, W)``.
        Output: the input's shape.
        weight, bias, running_mean, running_var: ``(C,)``.

    Example:
        >>> m = nn.BatchNorm3d(4)
        >>> m(rb.randn(2, 4, 3, 5, 5)).shape
        rosenblatt.Size([2, 4, 3, 5, 5])
    """

    def _check_input_dim(self, input):
        if input.dim() != 5:
            raise ValueError(f"expected 5D input (got {input.dim()}D input)")
