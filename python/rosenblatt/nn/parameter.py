"""nn.Parameter: a Tensor subclass that Module registers as a learnable weight, and the
(de)serialization helpers that move tensors through copy.deepcopy and pickle via numpy."""
from typing import Any

import numpy as np

from .. import _C
from .._C import Tensor


def _tensor_from_numpy(arr, requires_grad=False):
    t = _C.from_numpy(np.array(arr, copy=True))
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_parameter(arr, requires_grad):
    return Parameter(_C.from_numpy(np.array(arr, copy=True)), requires_grad)


class Parameter(Tensor):
    """A tensor that is a module's parameter: Module.__setattr__ registers it, and it requires grad
    by default. It shares memory with `data` (a fresh tensor object over the same storage)."""

    def __init__(self, data: Any = None, requires_grad: Any = True) -> None:
        if data is None:
            data = _C.empty(0)
        elif not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): data must be a Tensor, not {type(data).__name__}")
        super().__init__(data.detach())
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        out = _rebuild_parameter(self.detach().numpy(), self.requires_grad)
        memo[id(self)] = out
        return out

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.detach().numpy().copy(), self.requires_grad))


class Buffer(Tensor):
    """A tensor that Module.__setattr__ registers as a buffer (torch.nn.Buffer)."""

    def __init__(self, data: Any = None, *, persistent: Any = True) -> None:
        if data is None:
            data = _C.empty(0)
        super().__init__(data.detach())
        self.persistent = persistent


def _copy_tensor(t):
    """A deep copy of a plain tensor (keeps requires_grad, drops the graph)."""
    out = _tensor_from_numpy(t.detach().numpy(), t.requires_grad)
    if t.grad is not None:
        out.grad = _C.from_numpy(np.array(t.grad.numpy(), copy=True))
    return out

__all__ = ["Buffer", "Parameter"]
