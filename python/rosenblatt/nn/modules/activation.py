"""Activation modules: Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softmax, LogSoftmax, and Step (the
Heaviside threshold of the perceptron, ours). Each forward is one call into rosenblatt._C._nn."""
from .. import functional as F
from .module import Module

__all__ = ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "ELU", "Softmax", "LogSoftmax", "Step"]


class Sigmoid(Module):
    def forward(self, input):
        return F._nn.sigmoid(input)


class Tanh(Module):
    def forward(self, input):
        return F._nn.tanh(input)


class Step(Module):
    """Heaviside step: 1 where input >= 0, else 0. Its gradient is zero (the perceptron rule
    updates weights directly); rosenblatt's own module, not in torch.nn."""

    def forward(self, input):
        return F._nn.heaviside_step(input)


class ReLU(Module):
    __constants__ = ["inplace"]

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F._nn.relu_(input) if self.inplace else F._nn.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    __constants__ = ["inplace", "negative_slope"]

    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace_str}"


class ELU(Module):
    __constants__ = ["alpha", "inplace"]

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{inplace_str}"


class Softmax(Module):
    __constants__ = ["dim"]

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    __constants__ = ["dim"]

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"
