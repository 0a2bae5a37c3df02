"""Pooling layers with torch.nn's names, arguments and reprs: MaxPool1d/2d/3d, AvgPool1d/2d/3d, the adaptive
forms (global pooling is output size 1), MaxUnpool2d/3d and LPPool1d/2d/3d. The work is in cpp/ops/pool.cpp."""
from typing import Any

from ..._C import Tensor
from .. import functional as F
from .module import Module


def _single(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
           "AdaptiveMaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d", "MaxPool1d", "MaxPool2d", "MaxPool3d",
           "MaxUnpool2d", "MaxUnpool3d", "LPPool1d", "LPPool2d", "LPPool3d"]


class _MaxPoolNd(Module):
    __constants__ = ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"]

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return ("kernel_size={kernel_size}, stride={stride}, padding={padding}, dilation={dilation}, "
                "ceil_mode={ceil_mode}".format(**self.__dict__))


class MaxPool1d(_MaxPoolNd):
    """The maximum over sliding windows of ``kernel_size`` (stride defaults to ``kernel_size``).

    Shape:
        Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        Output: ``(N, C, L_out)`` with ``L_out = (L_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1``.

    Example:
        >>> nn.MaxPool1d(2)(rb.randn(4, 3, 10)).shape
        rosenblatt.Size([4, 3, 5])
    """

    def forward(self, input: Tensor) -> Any:
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """The maximum over sliding ``kernel_size`` windows (stride defaults to ``kernel_size``).

    Shape:
        Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        Output: ``(N, C, H_out, W_out)`` with
            ``H_out = (H_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1`` (W alike; no dilation for
            average pooling).

    Example:
        >>> nn.MaxPool2d(2)(rb.randn(4, 3, 8, 8)).shape
        rosenblatt.Size([4, 3, 4, 4])
        >>> nn.MaxPool2d(2)(rb.tensor([[[1.0, 2.0], [3.0, 4.0]]]))
        tensor([[[4.]]])
    """

    def forward(self, input: Tensor) -> Any:
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool3d(_MaxPoolNd):
    """The maximum over sliding ``kernel_size`` windows of a volume (stride defaults to ``kernel_size``).

    Shape:
        Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        Output: ``(N, C, D_out, H_out, W_out)`` with
            ``D_out = (D_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1`` (H, W alike).

    Example:
        >>> nn.MaxPool3d(2)(rb.randn(2, 3, 8, 8, 8)).shape
        rosenblatt.Size([2, 3, 4, 4, 4])
    """

    def forward(self, input: Tensor) -> Any:
        return F.max_pool3d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class AvgPool1d(Module):
    """Stores its sizes as 1-tuples, as torch does.

    Shape:
        Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        Output: ``(N, C, L_out)`` with ``L_out = (L_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1``.

    Example:
        >>> nn.AvgPool1d(2)(rb.randn(4, 3, 10)).shape
        rosenblatt.Size([4, 3, 5])
    """

    __constants__ = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"]

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Any:
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """The mean over sliding ``kernel_size`` windows (stride defaults to ``kernel_size``).

    Shape:
        Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        Output: ``(N, C, H_out, W_out)`` with
            ``H_out = (H_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1`` (W alike; no dilation for
            average pooling).

    Example:
        >>> nn.AvgPool2d(2)(rb.tensor([[[1.0, 2.0], [3.0, 4.0]]]))
        tensor([[[2.5000]]])
    """

    __constants__ = ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"]

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: Any = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if (stride is not None) else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Any:
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool3d(AvgPool2d):
    """The mean over sliding ``kernel_size`` windows of a volume (stride defaults to ``kernel_size``).

    Shape:
        Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        Output: ``(N, C, D_out, H_out, W_out)`` with ``D_out = (D_in + 2 padding - kernel_size) // stride + 1``
            (H, W alike).

    Example:
        >>> nn.AvgPool3d(2)(rb.randn(2, 3, 8, 8, 8)).shape
        rosenblatt.Size([2, 3, 4, 4, 4])
    """

    def forward(self, input: Tensor) -> Any:
        return F.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class _AdaptiveAvgPoolNd(Module):
    __constants__ = ["output_size"]

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Average pooling to a fixed output length, whatever the input's.

    Shape:
        Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        Output: ``(N, C, output_size)``.

    Example:
        >>> nn.AdaptiveAvgPool1d(5)(rb.randn(2, 3, 17)).shape
        rosenblatt.Size([2, 3, 5])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Average pooling to a fixed output size; ``AdaptiveAvgPool2d(1)`` is global average pooling.

    Shape:
        Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        Output: ``(N, C, H_out, W_out)`` = ``output_size``.

    Example:
        >>> nn.AdaptiveAvgPool2d(1)(rb.randn(2, 3, 7, 9)).shape
        rosenblatt.Size([2, 3, 1, 1])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """Average pooling of volumes to a fixed output size; ``AdaptiveAvgPool3d(1)`` is global average pooling.

    Shape:
        Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        Output: ``(N, C, D_out, H_out, W_out)`` = ``output_size``.

    Example:
        >>> nn.AdaptiveAvgPool3d(1)(rb.randn(2, 3, 5, 7, 9)).shape
        rosenblatt.Size([2, 3, 1, 1, 1])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_avg_pool3d(input, self.output_size)


class _AdaptiveMaxPoolNd(Module):
    __constants__ = ["output_size", "return_indices"]

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output length (``return_indices=True`` also returns the argmax).

    Shape:
        Input: ``(N, C, L_in)`` or ``(C, L_in)``.
        Output: ``(N, C, output_size)``.

    Example:
        >>> nn.AdaptiveMaxPool1d(4)(rb.randn(2, 3, 16)).shape
        rosenblatt.Size([2, 3, 4])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Max pooling to a fixed output size (``return_indices=True`` also returns the argmax).

    Shape:
        Input: ``(N, C, H_in, W_in)`` or ``(C, H_in, W_in)``.
        Output: ``(N, C, H_out, W_out)`` = ``output_size``.

    Example:
        >>> nn.AdaptiveMaxPool2d((2, 3))(rb.randn(2, 3, 8, 9)).shape
        rosenblatt.Size([2, 3, 2, 3])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Max pooling of volumes to a fixed output size (``return_indices=True`` also returns the argmax).

    Shape:
        Input: ``(N, C, D_in, H_in, W_in)`` or ``(C, D_in, H_in, W_in)``.
        Output: ``(N, C, D_out, H_out, W_out)`` = ``output_size``.

    Example:
        >>> nn.AdaptiveMaxPool3d((1, 2, 3))(rb.randn(2, 3, 4, 8, 9)).shape
        rosenblatt.Size([2, 3, 1, 2, 3])
    """

    def forward(self, input: Tensor) -> Any:
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class MaxUnpool2d(Module):
    """The partial inverse of MaxPool2d: values go back to the positions the indices name, zeros elsewhere.

    Shape:
        Input: ``(N, C, H_in, W_in)`` and the indices MaxPool2d(return_indices=True) returned.
        Output: ``(N, C, H_out, W_out)``, ``H_out = (H_in - 1) stride - 2 padding + kernel_size`` unless
            ``output_size`` is given.

    Example:
        >>> pool, unpool = nn.MaxPool2d(2, return_indices=True), nn.MaxUnpool2d(2)
        >>> y, idx = pool(rb.randn(1, 1, 4, 4))
        >>> unpool(y, idx).shape
        rosenblatt.Size([1, 1, 4, 4])
    """

    __constants__ = ["kernel_size", "stride", "padding"]
    _n = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        n = self._n
        self.kernel_size = (kernel_size,) * n if isinstance(kernel_size, int) else tuple(kernel_size)
        s = stride if stride is not None else kernel_size
        self.stride = (s,) * n if isinstance(s, int) else tuple(s)
        self.padding = (padding,) * n if isinstance(padding, int) else tuple(padding)

    def forward(self, input: Tensor, indices: Any, output_size: Any = None) -> Any:
        fn = F.max_unpool3d if self._n == 3 else F.max_unpool2d
        return fn(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool3d(MaxUnpool2d):
    """The partial inverse of MaxPool3d: values go back to the positions the indices name, zeros elsewhere.

    Shape:
        Input: ``(N, C, D_in, H_in, W_in)`` and the indices MaxPool3d(return_indices=True) returned.
        Output: ``(N, C, D_out, H_out, W_out)``, ``D_out = (D_in - 1) stride - 2 padding + kernel_size`` unless
            ``output_size`` is given.

    Example:
        >>> pool, unpool = nn.MaxPool3d(2, return_indices=True), nn.MaxUnpool3d(2)
        >>> y, idx = pool(rb.randn(1, 1, 4, 4, 4))
        >>> unpool(y, idx).shape
        rosenblatt.Size([1, 1, 4, 4, 4])
    """

    _n = 3


class _LPPoolNd(Module):
    __constants__ = ["norm_type", "kernel_size", "stride", "ceil_mode"]

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """The power-average pool: (sum of x^p over each window)^(1/p).

    Shape:
        Input: ``(N, C, L)`` or ``(C, L)``.
        Output: ``(N, C, L_out)``, as AvgPool1d with no padding.

    Example:
        >>> nn.LPPool1d(2, 3)(rb.randn(1, 2, 7)).shape
        rosenblatt.Size([1, 2, 2])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """The power-average pool over 2-D windows: (sum of x^p over each window)^(1/p).

    Shape:
        Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        Output: ``(N, C, H_out, W_out)``, as AvgPool2d with no padding.

    Example:
        >>> nn.LPPool2d(2, 2)(rb.randn(1, 2, 4, 5)).shape
        rosenblatt.Size([1, 2, 2, 2])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)


class LPPool3d(_LPPoolNd):
    """The power-average pool over 3-D windows: (sum of x^p over each window)^(1/p).

    Shape:
        Input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``.
        Output: ``(N, C, D_out, H_out, W_out)``, as AvgPool3d with no padding.

    Example:
        >>> nn.LPPool3d(2, 2)(rb.randn(1, 2, 4, 4, 5)).shape
        rosenblatt.Size([1, 2, 2, 2, 2])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.lp_pool3d(input, float(self.norm_type), self.kernel_size, self.stride, self.ceil_mode)
