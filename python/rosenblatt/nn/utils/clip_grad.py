"""Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): the total norm over
all gradients, then one in-place scale of each gradient, under no_grad."""
import math
import warnings
from typing import Any

from ... import _C
from ..._C import Tensor
from ...autograd import no_grad

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


def _tensor_list(tensors):
    if isinstance(tensors, Tensor):
        return [tensors]
    return list(tensors)


def _norm(g, norm_type):
    """The vector norm of one tensor (torch.linalg.vector_norm), as a 0-d tensor."""
    if norm_type == 2.0:
        return (g * g).sum().sqrt()
    if norm_type == math.inf or norm_type == -math.inf:
        a = g.abs()
        return a.max() if norm_type > 0 else a.min()
    if norm_type == 1.0:
        return g.abs().sum()
    if norm_type == 0:
        return (g != 0).sum()._to_dtype(g.dtype)
    return (g.abs() ** norm_type).sum() ** (1.0 / norm_type)


def get_total_norm(tensors: Any, norm_type: Any = 2.0, error_if_nonfinite: Any = False, foreach: Any = None) -> Tensor:
    """The norm of the norms of `tensors` (torch.nn.utils.get_total_norm)."""
    tensors = [t for t in _tensor_list(tensors) if t is not None]
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return _C.zeros(())
    with no_grad():
        norms = [_norm(t.detach(), norm_type) for t in tensors]
        if len(norms) == 1:
            total = norms[0]
        elif norm_type == math.inf:
            total = norms[0]
            for n in norms[1:]:
                total = _C.maximum(total, n)
        elif norm_type == -math.inf:
            total = norms[0]
            for n in norms[1:]:
                total = _C.minimum(total, n)
        else:
            total = _norm(_C.stack(norms), norm_type)
    if error_if_nonfinite:
        v = total.item()
        if math.isnan(v) or math.isinf(v):
            raise RuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot "
                "be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
                "`error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters: Any, max_norm: Any, total_norm: Any, foreach: Any = None) -> None:
    """Scales every gradient by min(1, max_norm / (total_norm + 1e-6)), in place."""
    grads = [p.grad for p in _tensor_list(parameters) if p.grad is not None]
    if not grads:
        return
    with no_grad():
        clip_coef = (float(max_norm) / (total_norm + 1e-6)).clamp(max=1.0)
        for g in grads:
            g *= clip_coef if clip_coef.dtype == g.dtype else clip_coef._to_dtype(g.dtype)


def clip_grad_norm_(parameters: Any, max_norm: Any, norm_type: Any = 2.0, error_if_nonfinite: Any = False,
                    foreach: Any = None) -> Tensor:
    """Clips the gradients' total norm to max_norm in place; returns the total norm (before clipping)."""
    parameters = _tensor_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters: Any, max_norm: Any, norm_type: Any = 2.0, error_if_nonfinite: Any = False,
                   foreach: Any = None) -> Tensor:
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Any, clip_value: Any, foreach: Any = None) -> None:
    """Clamps every gradient into [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    with no_grad():
        for p in _tensor_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(-clip_value, clip_value)
