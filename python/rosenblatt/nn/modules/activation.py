"""Activation modules with torch.nn's constructors, reprs and state_dicts: Sigmoid, Tanh, ReLU,
LeakyReLU, ELU, GELU, SiLU, Mish, Softplus, Softsign, Hardtanh, ReLU6, Hardsigmoid, Hardswish, SELU,
CELU, LogSigmoid, Threshold, GLU, PReLU, Softmax, Softmin, LogSoftmax, and Step (the Heaviside
threshold of the perceptron, ours). Each forward is one call into rosenblatt._C._nn."""
import warnings
from typing import Any, Optional

from ... import _C
from ..._C import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Mish", "Softplus", "Softsign",
           "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish", "SELU", "CELU", "LogSigmoid", "Threshold", "GLU",
           "PReLU", "Softmax", "Softmin", "LogSoftmax", "Step"]


class Sigmoid(Module):
    """The logistic function, ``sigmoid(x) = 1 / (1 + exp(-x))``, elementwise: values in (0, 1).

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Sigmoid()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> m(rb.tensor([0.0]))
        tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F._nn.sigmoid(input)


class Tanh(Module):
    """The hyperbolic tangent, elementwise: values in (-1, 1).

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Tanh()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F._nn.tanh(input)


class Step(Module):
    """Heaviside step: 1 where input >= 0, else 0. Its gradient is zero (the perceptron rule
    updates weights directly); rosenblatt's own module, not in torch.nn.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Step()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> m(rb.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 1., 1.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F._nn.heaviside_step(input)


class ReLU(Module):
    """The rectified linear unit, ``max(0, x)``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.ReLU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> m(rb.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """

    __constants__ = ["inplace"]

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F._nn.relu_(input) if self.inplace else F._nn.relu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """``x`` where ``x >= 0``, else ``negative_slope * x``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.LeakyReLU(0.1)
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> m(rb.tensor([-1.0, 2.0]))
        tensor([-0.1000,  2.0000])
    """

    __constants__ = ["inplace", "negative_slope"]

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace_str}"


class _Alpha(Module):
    """ELU and CELU: alpha and inplace=; _fn names the nn.functional form."""

    __constants__ = ["alpha", "inplace"]
    _fn = None

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{inplace_str}"


class ELU(_Alpha):
    """The exponential linear unit: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.ELU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "elu"


class CELU(_Alpha):
    """The continuously differentiable ELU: ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.CELU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "celu"


class _Inplace(Module):
    """An activation whose only option is inplace= (SiLU, Mish, Hardsigmoid, Hardswish, SELU):
    _fn names its nn.functional form."""

    __constants__ = ["inplace"]
    _fn = None

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class SiLU(_Inplace):
    """The sigmoid linear unit (swish), ``x * sigmoid(x)``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.SiLU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "silu"


class Mish(_Inplace):
    """``x * tanh(softplus(x))``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Mish()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "mish"


class Hardsigmoid(_Inplace):
    """A piecewise-linear sigmoid: ``clamp(x / 6 + 1 / 2, 0, 1)``.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Hardsigmoid()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "hardsigmoid"

    def extra_repr(self) -> str:  # torch's prints no inplace=True for these two
        return ""


class Hardswish(Hardsigmoid):
    """``x * hardsigmoid(x)``, elementwise (MobileNetV3).

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Hardswish()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "hardswish"


class SELU(_Inplace):
    """The scaled ELU, ``scale * elu(x, alpha)`` with the self-normalizing constants of Klambauer et al.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.SELU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    _fn = "selu"


class GELU(Module):
    """The Gaussian error linear unit, ``x * Phi(x)`` (``approximate='tanh'``: the tanh approximation).

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.GELU()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
        >>> nn.GELU(approximate='tanh')(rb.randn(4)).shape
        rosenblatt.Size([4])
    """

    __constants__ = ["approximate"]

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """``log(1 + exp(beta x)) / beta``, a smooth ReLU (linear above ``threshold``).

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Softplus()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    __constants__ = ["beta", "threshold"]

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softsign(Module):
    """``x / (1 + |x|)``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Softsign()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class LogSigmoid(Module):
    """``log(sigmoid(x))``, computed stably.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.LogSigmoid()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Hardtanh(Module):
    """``clamp(x, min_val, max_val)``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Hardtanh(-1.0, 1.0)
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    __constants__ = ["min_val", "max_val", "inplace"]

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False, min_value: Any = None,
                 max_value: Any = None) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`", FutureWarning,
                          stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`", FutureWarning,
                          stacklevel=2)
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace_str}"


class ReLU6(Hardtanh):
    """``min(max(0, x), 6)``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.ReLU6()
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def forward(self, input: Tensor) -> Tensor:
        return F.relu6(input, self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Threshold(Module):
    """``x`` where ``x > threshold``, else ``value``, elementwise.

    Shape:
        Input: ``(*)``, any shape.
        Output: ``(*)``, the input's shape.

    Example:
        >>> m = nn.Threshold(0.1, 20.0)
        >>> m(rb.randn(2, 3)).shape
        rosenblatt.Size([2, 3])
    """

    __constants__ = ["threshold", "value", "inplace"]

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace_str}"


class GLU(Module):
    """The gated linear unit: splits the input in halves a, b along ``dim`` and returns ``a * sigmoid(b)``.

    Shape:
        Input: ``(*, 2n, *)``: size ``2n`` along ``dim``.
        Output: ``(*, n, *)``: half of it.

    Example:
        >>> m = nn.GLU(dim=-1)
        >>> m(rb.randn(4, 6)).shape
        rosenblatt.Size([4, 3])
    """

    __constants__ = ["dim"]

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class PReLU(Module):
    """x where x > 0, else weight * x: one learned slope, or one per channel (dim 1 of the input).

    Shape:
        Input: ``(N, C, *)`` or ``(*)``; with ``num_parameters = C`` dimension 1 holds the channels.
        Output: the input's shape.

    Example:
        >>> m = nn.PReLU(num_parameters=3)
        >>> m(rb.randn(2, 3, 4)).shape
        rosenblatt.Size([2, 3, 4])
    """

    __constants__ = ["num_parameters"]

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None) -> None:
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(_C.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class _SoftmaxFamily(Module):
    """Softmax, Softmin and LogSoftmax along dim: _fn names the nn.functional form."""

    __constants__ = ["dim"]
    _fn = None

    def __init__(self, dim: Optional[int] = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxFamily):
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim``: each slice becomes a probability distribution.

    Shape:
        Input: ``(*)``, any shape.
        Output: the input's shape; slices along ``dim`` sum to 1 .

    Example:
        >>> m = nn.Softmax(dim=1)
        >>> m(rb.randn(2, 5)).shape
        rosenblatt.Size([2, 5])
        >>> m(rb.tensor([[1.0, 1.0]]))
        tensor([[0.5000, 0.5000]])
    """

    _fn = "softmax"


class Softmin(_SoftmaxFamily):
    """``softmax(-x)`` along ``dim``: small values get large probabilities.

    Shape:
        Input: ``(*)``, any shape.
        Output: the input's shape; slices along ``dim`` sum to 1 .

    Example:
        >>> m = nn.Softmin(dim=1)
        >>> m(rb.randn(2, 5)).shape
        rosenblatt.Size([2, 5])
    """

    _fn = "softmin"


class LogSoftmax(_SoftmaxFamily):
    """``log(softmax(x))`` along ``dim``, computed stably (the input of ``NLLLoss``).

    Shape:
        Input: ``(*)``, any shape.
        Output: the input's shape; slices along ``dim`` sum to 1 (in log space).

    Example:
        >>> m = nn.LogSoftmax(dim=1)
        >>> m(rb.randn(2, 5)).shape
        rosenblatt.Size([2, 5])
    """

    _fn = "log_softmax"
