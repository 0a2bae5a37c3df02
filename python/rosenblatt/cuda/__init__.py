"""rosenblatt.cuda: torch.cuda's device queries and memory statistics.

A CUDA build (``RB_CUDA=1 pip install .``) has the extension module rosenblatt._cuda; importing
rosenblatt loads it, which registers the CUDA kernels into the core and touches no GPU. CUDA itself
starts on first use, so a CUDA build imports and runs on the CPU on a machine without a GPU or
driver, where ``is_available()`` is False. In a CPU-only build every query answers as
torch.cuda does in PyTorch's CPU-only build.
"""
import importlib
from typing import Any, Optional

from . import amp  # noqa: F401,E402  (torch.cuda.amp: the deprecated spellings of rosenblatt.amp)

_MODULE = __package__.rsplit(".", 1)[0] + "._cuda"  # rosenblatt._cuda, beside rosenblatt._C
try:
    _cuda = importlib.import_module(_MODULE)
except ModuleNotFoundError as e:  # a CPU-only build; a CUDA build whose module fails to load raises
    if e.name != _MODULE:
        raise
    _cuda = None

__all__ = ["amp", "current_device", "device_count", "empty_cache", "get_device_capability", "get_device_name",
           "get_device_properties", "init", "is_available", "is_initialized", "manual_seed", "manual_seed_all",
           "max_memory_allocated", "memory_allocated", "memory_reserved", "reset_peak_memory_stats", "set_device",
           "synchronize"]

_initialized = False


def is_available() -> bool:
    """True when this build has CUDA and the machine a GPU with a working driver."""
    return _cuda is not None and _cuda.device_count() > 0


def device_count() -> int:
    """The number of GPUs (0 in a CPU-only build, without a driver or without a GPU)."""
    return 0 if _cuda is None else _cuda.device_count()


def init() -> None:
    """Starts CUDA now; raises RuntimeError where it cannot be used (as torch.cuda.init)."""
    global _initialized
    if _cuda is None:
        raise RuntimeError("rosenblatt was not built with CUDA enabled (the device cuda is not available)")
    _cuda.lazy_init()
    _initialized = True


def is_initialized() -> bool:
    return _initialized


def _index(device: Any) -> int:
    """A device argument (None, an int, 'cuda:1', a device) as an index; -1 for the current device."""
    if device is None:
        return -1
    if isinstance(device, int):
        return device
    from .. import _C

    d = device if isinstance(device, _C.device) else _C.device(str(device))
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {device}")
    return -1 if d.index is None else d.index


def current_device() -> int:
    init()
    return _cuda.current_device()


def set_device(device: Any) -> None:
    """Makes `device` current; a negative index is a no-op, as in PyTorch."""
    index = _index(device)
    if index >= 0:
        init()
        _cuda.set_device(index)


def synchronize(device: Any = None) -> None:
    """Waits for every kernel queued on the device."""
    init()
    _cuda.synchronize(_index(device))


def get_device_properties(device: Any = None) -> Any:
    init()
    from types import SimpleNamespace

    return SimpleNamespace(**_cuda.get_device_properties(_index(device)))


def get_device_name(device: Any = None) -> str:
    return get_device_properties(device).name


def get_device_capability(device: Any = None) -> tuple:
    p = get_device_properties(device)
    return (p.major, p.minor)


def memory_allocated(device: Any = None) -> int:
    """Bytes held by tensors on the device (0 without CUDA)."""
    return 0 if _cuda is None else _cuda.memory_allocated(_index(device))


def max_memory_allocated(device: Any = None) -> int:
    return 0 if _cuda is None else _cuda.max_memory_allocated(_index(device))


def memory_reserved(device: Any = None) -> int:
    """Bytes the caching allocator holds from CUDA, in use or cached."""
    return 0 if _cuda is None else _cuda.memory_reserved(_index(device))


def reset_peak_memory_stats(device: Any = None) -> None:
    if _cuda is not None:
        _cuda.reset_peak_memory_stats(_index(device))


def empty_cache() -> None:
    """Returns the cached blocks to CUDA (no-op without CUDA)."""
    if _cuda is not None and _initialized:
        _cuda.empty_cache()


_seed: Optional[int] = None


def manual_seed(seed: Any) -> None:
    """Stores the seed of the CUDA generator (no-op without CUDA, as PyTorch's CPU-only build)."""
    global _seed
    _seed = int(seed)


def manual_seed_all(seed: Any) -> None:
    manual_seed(seed)
