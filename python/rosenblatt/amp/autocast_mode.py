"""autocast: PyTorch's context manager and decorator with its arguments, checks and state; ops are not cast
(they run in their inputs' dtype), which it says once per process."""
import functools
import warnings
from typing import Any

from .. import _C

# per device type: (enabled, dtype), PyTorch's defaults
_state = {"cpu": [False, _C.dtype.bfloat16], "cuda": [False, _C.dtype.float16]}
_warned = False


def is_autocast_available(device_type: str) -> bool:
    return device_type in ("cpu", "cuda")


def is_autocast_enabled(device_type: Any = None) -> bool:
    """Whether an autocast region of ``device_type`` (CUDA's when not given, as PyTorch) is active."""
    return _state["cuda" if device_type is None else device_type][0]


def get_autocast_dtype(device_type: str) -> Any:
    return _state[device_type][1]


class autocast:  # noqa: N801  (PyTorch's name)
    """torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None): a context manager or
    decorator. The region's state is kept (is_autocast_enabled, get_autocast_dtype) but no op is cast."""

    def __init__(self, device_type: str, dtype: Any = None, enabled: bool = True, cache_enabled: Any = None) -> None:
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self.device = device_type
        self.fast_dtype = _state[device_type][1] if dtype is None else dtype
        self._cache_enabled = True if cache_enabled is None else cache_enabled
        if enabled and device_type == "cuda":
            from .. import cuda

            if not cuda.is_available():
                warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.", stacklevel=2)
                enabled = False
        if enabled and device_type == "cpu" and self.fast_dtype not in (_C.dtype.bfloat16, _C.dtype.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                          "CPU Autocast only supports dtypes of rosenblatt.bfloat16, rosenblatt.float16 currently.",
                          stacklevel=2)
            enabled = False
        self._enabled = bool(enabled)

    def __enter__(self) -> None:
        global _warned
        self._prev = list(_state[self.device])
        if self._enabled and not _warned:
            _warned = True
            warnings.warn("autocast: rosenblatt casts no op to lower precision; the region computes in its "
                          "tensors' own dtype", UserWarning, stacklevel=2)
        _state[self.device] = [self._enabled or self._prev[0], self.fast_dtype if self._enabled else self._prev[1]]

    def __exit__(self, *exc: Any) -> bool:
        _state[self.device] = self._prev
        return False

    def __call__(self, func: Any) -> Any:
        @functools.wraps(func)
        def decorated(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return decorated
