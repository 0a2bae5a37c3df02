"""rosenblatt.cuda: this build has no CUDA backend; the queries answer accordingly (as
torch.cuda does on a CPU-only build)."""
from typing import Any

from .. import _C
from . import amp  # noqa: F401  (torch.cuda.amp: the deprecated spellings of rosenblatt.amp)


def is_available() -> bool:
    """True when the CUDA extension is built and a GPU is present."""
    return bool(_C._build_info.get("cuda", False))


def device_count() -> int:
    return 0


def manual_seed(seed: Any) -> None:
    """No-op without CUDA (PyTorch's behaviour on a CPU-only build)."""


def manual_seed_all(seed: Any) -> None:
    """No-op without CUDA."""


def synchronize(device: Any = None) -> None:
    raise RuntimeError("rosenblatt was not built with CUDA enabled")

__all__ = ["amp", "device_count", "is_available", "manual_seed", "manual_seed_all", "synchronize"]
