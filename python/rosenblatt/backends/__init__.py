"""Backend settings, as torch.backends: `rosenblatt.backends.cpu` tells which instruction set the
CPU kernels run with; `cudnn`, `cuda`, `mps`, `mkldnn` and `opt_einsum` hold the flags training scripts
set (stored, no-ops here: there is no cuDNN, CUDA, MPS or oneDNN backend). The float32 matmul precision
and the deterministic-algorithms switch live here too and are re-exported as `rosenblatt.<name>`."""
from typing import Any

from .._C import _set_deterministic
from . import cpu, cuda, cudnn, mkldnn, mps, opt_einsum  # noqa: F401

_PRECISIONS = ("highest", "high", "medium")
_matmul_precision = "highest"
_deterministic = {"mode": False, "warn_only": False}


def get_float32_matmul_precision() -> str:
    """"highest" unless set otherwise; float32 matmuls here always run in full float32."""
    return _matmul_precision


def set_float32_matmul_precision(precision: Any) -> None:
    """Stores "highest", "high" or "medium" (torch's TF32/bf16 switch; a no-op on these kernels). Any
    other value warns and changes nothing, as in PyTorch."""
    global _matmul_precision
    if precision not in _PRECISIONS:
        import warnings

        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current "
                      "set_float32_matmul_precision call has no effect.", UserWarning, stacklevel=2)
        return
    _matmul_precision = precision


def use_deterministic_algorithms(mode: Any, *, warn_only: Any = False) -> None:
    """Every kernel here is deterministic for a given thread count; with the mode on, results are also
    the same at any thread count (the few kernels that sum per-thread partials, the convolution weight
    gradient and attention's dq over split keys, take a path that does not). No CPU op here lacks a
    deterministic implementation, so nothing raises or warns (warn_only is stored)."""
    _set_deterministic(bool(mode))
    _deterministic.update(mode=bool(mode), warn_only=bool(warn_only))


def are_deterministic_algorithms_enabled() -> bool:
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _deterministic["warn_only"]

__all__ = ["are_deterministic_algorithms_enabled", "cpu", "cuda", "cudnn", "get_float32_matmul_precision",
    "is_deterministic_algorithms_warn_only_enabled", "mkldnn", "mps", "opt_einsum", "set_float32_matmul_precision",
    "use_deterministic_algorithms"]
