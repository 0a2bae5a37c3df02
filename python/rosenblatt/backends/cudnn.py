"""torch.backends.cudnn's flags, stored so that scripts setting them run; there is no cuDNN here, so
`benchmark`, `deterministic`, `enabled` and `allow_tf32` change nothing."""
import contextlib
from typing import Any

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True
benchmark_limit = 10

__all__ = ["allow_tf32", "benchmark", "deterministic", "enabled", "flags", "is_available", "version"]


def is_available() -> Any:
    """False: this build has no cuDNN."""
    return False


def version() -> Any:
    """None: no cuDNN is loaded."""
    return None


@contextlib.contextmanager
def flags(enabled: Any = False, benchmark: Any = False, benchmark_limit: Any = 10, deterministic: Any = False,
          allow_tf32: Any = True) -> Any:
    """Sets the flags for the block and restores them after, as torch.backends.cudnn.flags."""
    names = ("enabled", "benchmark", "benchmark_limit", "deterministic", "allow_tf32")
    new = (enabled, benchmark, benchmark_limit, deterministic, allow_tf32)
    g = globals()
    old = [g[n] for n in names]
    g.update(zip(names, new))
    try:
        yield
    finally:
        g.update(zip(names, old))
