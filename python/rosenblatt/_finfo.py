"""torch.finfo and torch.iinfo: the limits of each floating and integer dtype, and PyTorch's default dtype
queries (the default dtype is float32 and stays float32: the factories have no other)."""
from typing import Any

import numpy as np

from ._C import dtype as _dtype

# bfloat16 has no numpy type: float32's exponent range with 8 significand bits
_BF16 = {"bits": 16, "eps": 0.0078125, "max": 3.3895313892515355e38, "tiny": 1.1754943508222875e-38,
         "resolution": 0.01}


def _name(d):
    return str(d).split(".")[-1]


class finfo:  # noqa: N801  (PyTorch's name)
    """The limits of a floating dtype (float32 when none is given): bits, eps, max, min, tiny (the smallest
    normal number, also smallest_normal), resolution and dtype (its name)."""

    def __init__(self, type: Any = None) -> None:  # noqa: A002  (PyTorch's argument name)
        d = _dtype.float32 if type is None else type
        name = _name(d)
        if name not in ("float16", "bfloat16", "float32", "float64"):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        if name == "bfloat16":
            v = _BF16
        else:
            f = np.finfo(name)
            v = {"bits": f.bits, "eps": float(f.eps), "max": float(f.max), "tiny": float(f.tiny),
                 "resolution": 10.0 ** -int(f.precision)}
        self.bits, self.eps, self.max, self.tiny = v["bits"], v["eps"], v["max"], v["tiny"]
        self.min, self.smallest_normal, self.resolution, self.dtype = -v["max"], v["tiny"], v["resolution"], name

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801  (PyTorch's name)
    """The limits of an integer dtype: bits, max, min and dtype (its name)."""

    def __init__(self, type: Any) -> None:  # noqa: A002  (PyTorch's argument name)
        name = _name(type)
        if name not in ("uint8", "int8", "int16", "int32", "int64"):
            raise TypeError(f"torch.{name} is not supported by torch.iinfo")
        i = np.iinfo(name)
        self.bits, self.max, self.min, self.dtype = i.bits, int(i.max), int(i.min), name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


def get_default_dtype() -> Any:
    """float32, the dtype of floating tensors made from Python numbers."""
    return _dtype.float32


def set_default_dtype(d: Any) -> None:
    """Accepts float32, the only default here; any other dtype raises rather than be silently ignored."""
    if d != _dtype.float32:
        raise TypeError(f"set_default_dtype: rosenblatt's default floating dtype is float32 only (got {d}); "
                        "convert explicitly with .to(dtype) or dtype=")


__all__ = ["finfo", "get_default_dtype", "iinfo", "set_default_dtype"]
