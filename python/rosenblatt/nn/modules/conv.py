"""Convolution layers: Conv1d/2d/3d and ConvTranspose1d/2d/3d with torch.nn's arguments, parameter layouts
(weight (out, in/groups, *k), transposed (in, out/groups, *k)), padding modes, default init and repr."""

from typing import Any

from ... import _C
from ..._C import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"]


def _ntuple(v, n):
    if isinstance(v, (tuple, list)):
        return tuple(v)
    return (v,) * n


class _ConvNd(Module):
    __constants__ = ["stride", "padding", "dilation", "groups", "padding_mode", "output_padding", "in_channels",
                     "out_channels", "kernel_size"]
    _n = 2  # spatial dims

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                 transposed: Any, output_padding: Any, groups: int, bias: bool, padding_mode: str, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        n = self._n
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        valid_padding_strings = {"same", "valid"}
        if isinstance(padding, str):
            if padding not in valid_padding_strings:
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {valid_padding_strings}")
            if padding == "same" and any(s != 1 for s in _ntuple(stride, n)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        valid_padding_modes = {"zeros", "reflect", "replicate", "circular"}
        if padding_mode not in valid_padding_modes:
            raise ValueError(
                f"padding_mode must be one of {valid_padding_modes}, but got padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = _ntuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, n)
        self.dilation = _ntuple(dilation, n)
        self.transposed = transposed
        self.output_padding = _ntuple(output_padding, n)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's argument for the non-zeros padding modes (last dim first), as torch computes it.
        if isinstance(self.padding, str):
            pads = [0, 0] * n
            if padding == "same":
                for i, (d, k) in enumerate(zip(self.dilation, self.kernel_size)):
                    total = d * (k - 1)
                    pads[2 * (n - 1 - i)], pads[2 * (n - 1 - i) + 1] = total // 2, total - total // 2
        else:
            pads = [p for p in reversed(self.padding) for _ in range(2)]
        self._reversed_padding_repeated_twice = pads
        kw = {"device": device, "dtype": dtype}  # the factory refuses a device this build lacks
        if transposed:
            shape = (in_channels, out_channels // groups, *self.kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(_C.empty(*shape, **kw))
        if bias:
            self.bias = Parameter(_C.empty(out_channels, **kw))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init._affine_default_(self.weight, self.bias)

    def extra_repr(self) -> str:
        s = "{in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}"
        if self.padding != (0,) * len(self.padding):
            s += ", padding={padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += ", dilation={dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += ", output_padding={output_padding}"
        if self.groups != 1:
            s += ", groups={groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += ", padding_mode={padding_mode}"
        return s.format(**self.__dict__)

    def _conv_forward(self, input, weight, bias):
        fn = (F._nn.conv1d, F._nn.conv2d, F._nn.conv3d)[self._n - 1]
        if self.padding_mode != "zeros":  # pad in that mode, then a convolution without padding
            input = F.pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            return fn(input, weight, bias, self.stride, 0, self.dilation, self.groups)
        return fn(input, weight, bias, self.stride, self.padding, self.dilation, self.groups)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)

    def __setstate__(self, state):
        super().__setstate__(state)
        if not hasattr(self, "padding_mode"):
            self.padding_mode = "zeros"


class Conv1d(_ConvNd):
    """1-D convolution over (N, C, L) or (C, L) input.

    Shape:
        Input: ``(N, C_in, L_in)`` or ``(C_in, L_in)``.
        Output: ``(N, C_out, L_out)`` with
            ``L_out = (L_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1``.
        weight: ``(C_out, C_in / groups, kernel_size)``; bias: ``(C_out,)``.

    Example:
        >>> m = nn.Conv1d(16, 33, 3, stride=2)
        >>> m(rb.randn(20, 16, 50)).shape
        rosenblatt.Size([20, 33, 24])
    """

    _n = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups, bias,
                         padding_mode, device, dtype)


class Conv2d(_ConvNd):
    """2-D convolution over (N, C, H, W) or (C, H, W) input.

    Shape:
        Input: ``(N, C_in, H_in, W_in)`` or ``(C_in, H_in, W_in)``.
        Output: ``(N, C_out, H_out, W_out)`` with
            ``H_out = (H_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1`` (W alike).
        weight: ``(C_out, C_in / groups, kH, kW)``; bias: ``(C_out,)``.

    Example:
        >>> m = nn.Conv2d(16, 33, 3, stride=2, padding=1)
        >>> m(rb.randn(20, 16, 50, 100)).shape
        rosenblatt.Size([20, 33, 25, 50])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups, bias,
                         padding_mode, device, dtype)


class Conv3d(_ConvNd):
    """3-D convolution over (N, C, D, H, W) or (C, D, H, W) input.

    Shape:
        Input: ``(N, C_in, D_in, H_in, W_in)`` or ``(C_in, D_in, H_in, W_in)``.
        Output: ``(N, C_out, D_out, H_out, W_out)`` with
            ``D_out = (D_in + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1`` (H, W alike).
        weight: ``(C_out, C_in / groups, kD, kH, kW)``; bias: ``(C_out,)``.

    Example:
        >>> m = nn.Conv3d(4, 8, 3, stride=2, padding=1)
        >>> m(rb.randn(2, 4, 8, 16, 16)).shape
        rosenblatt.Size([2, 8, 4, 8, 8])
    """

    _n = 3

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, False, 0, groups, bias,
                         padding_mode, device, dtype)


class _ConvTransposeNd(_ConvNd):
    """Transposed convolution (the gradient of ConvNd with respect to its input); output_size
    in forward picks the output padding when a stride makes several output sizes possible."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {self.__class__.__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, True, output_padding,
                         groups, bias, padding_mode, device, dtype)

    def _output_padding(self, input, output_size, stride, padding, kernel_size, num_spatial_dims, dilation=None):
        if output_size is None:
            return _ntuple(self.output_padding, num_spatial_dims)
        has_batch_dim = input.dim() == num_spatial_dims + 2
        num_non_spatial_dims = 2 if has_batch_dim else 1
        output_size = list(output_size)
        if len(output_size) == num_non_spatial_dims + num_spatial_dims:
            output_size = output_size[num_non_spatial_dims:]
        if len(output_size) != num_spatial_dims:
            raise ValueError(
                f"ConvTranspose{num_spatial_dims}D: for {input.dim()}D input, output_size must have "
                f"{num_spatial_dims} or {num_non_spatial_dims + num_spatial_dims} elements (got {len(output_size)})")
        min_sizes, max_sizes = [], []
        for d in range(num_spatial_dims):
            dim_size = ((input.size(d + num_non_spatial_dims) - 1) * stride[d] - 2 * padding[d]
                        + (dilation[d] if dilation is not None else 1) * (kernel_size[d] - 1) + 1)
            min_sizes.append(dim_size)
            max_sizes.append(min_sizes[d] + stride[d] - 1)
        for i, size in enumerate(output_size):
            if size < min_sizes[i] or size > max_sizes[i]:
                raise ValueError(
                    f"requested an output size of {output_size}, but valid sizes range from {min_sizes} to "
                    f"{max_sizes} (for an input of {input.shape[num_non_spatial_dims:]})")
        return tuple(output_size[d] - min_sizes[d] for d in range(num_spatial_dims))

    def forward(self, input, output_size=None):
        if isinstance(self.padding, str):
            raise ValueError(f"padding='{self.padding}' is not supported for {self.__class__.__name__}")
        output_padding = self._output_padding(input, output_size, self.stride, self.padding, self.kernel_size,
                                              self._n, self.dilation)
        fn = (F._nn.conv_transpose1d, F._nn.conv_transpose2d, F._nn.conv_transpose3d)[self._n - 1]
        return fn(input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                  self.dilation)


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-D convolution over (N, C, L) or (C, L) input; weight (in, out/groups, K).

    Shape:
        Input: ``(N, C_in, L_in)`` or ``(C_in, L_in)``.
        Output: ``(N, C_out, L_out)`` with
            ``L_out = (L_in - 1) stride - 2 padding + dilation (kernel_size - 1) + output_padding + 1``.

    Example:
        >>> m = nn.ConvTranspose1d(16, 8, 4, stride=2, padding=1)
        >>> m(rb.randn(2, 16, 10)).shape
        rosenblatt.Size([2, 8, 20])
    """

    _n = 1


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-D convolution over (N, C, H, W) or (C, H, W) input; weight (in, out/groups, KH, KW).

    Shape:
        Input: ``(N, C_in, H_in, W_in)`` or ``(C_in, H_in, W_in)``.
        Output: ``(N, C_out, H_out, W_out)`` with
            ``H_out = (H_in - 1) stride - 2 padding + dilation (kernel_size - 1) + output_padding + 1`` (W alike).

    Example:
        >>> m = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)
        >>> m(rb.randn(2, 16, 7, 7)).shape
        rosenblatt.Size([2, 8, 14, 14])
    """


class ConvTranspose3d(_ConvTransposeNd):
    """Transposed 3-D convolution over (N, C, D, H, W) or (C, D, H, W) input; weight (in, out/groups, KD, KH, KW).

    Shape:
        Input: ``(N, C_in, D_in, H_in, W_in)`` or ``(C_in, D_in, H_in, W_in)``.
        Output: ``(N, C_out, D_out, H_out, W_out)`` with
            ``D_out = (D_in - 1) stride - 2 padding + dilation (kernel_size - 1) + output_padding + 1`` (H, W alike).

    Example:
        >>> m = nn.ConvTranspose3d(8, 4, 4, stride=2, padding=1)
        >>> m(rb.randn(2, 8, 3, 5, 5)).shape
        rosenblatt.Size([2, 4, 6, 10, 10])
    """

    _n = 3
