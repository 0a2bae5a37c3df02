"""torch.cuda.amp's deprecated spellings: autocast(enabled=True, dtype=float16, cache_enabled=True) and
GradScaler(...) are rosenblatt.amp's with device 'cuda' (so, without CUDA, disabled with PyTorch's warning)."""
from typing import Any

from .. import _C
from .. import amp as _amp


class autocast(_amp.autocast):  # noqa: N801  (PyTorch's name)
    def __init__(self, enabled: bool = True, dtype: Any = _C.dtype.float16, cache_enabled: bool = True) -> None:
        super().__init__("cuda", dtype=dtype, enabled=enabled, cache_enabled=cache_enabled)


class GradScaler(_amp.GradScaler):
    def __init__(self, init_scale: float = 2.0**16, growth_factor: float = 2.0, backoff_factor: float = 0.5,
                 growth_interval: int = 2000, enabled: bool = True) -> None:
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor, backoff_factor=backoff_factor,
                         growth_interval=growth_interval, enabled=enabled)


__all__ = ["GradScaler", "autocast"]
