"""torch.backends.mkldnn's flags, stored so that scripts setting them run; there is no oneDNN here (the
CPU kernels are this project's own and OpenBLAS), so `enabled` changes nothing."""
import contextlib
from typing import Any

enabled = True
deterministic = False

__all__ = ["deterministic", "enabled", "flags", "is_available"]


def is_available() -> bool:
    """False: this build has no oneDNN."""
    return False


@contextlib.contextmanager
def flags(enabled: Any = False, deterministic: Any = False) -> Any:
    """Sets the flags for the block and restores them after, as torch.backends.mkldnn.flags."""
    g = globals()
    old = (g["enabled"], g["deterministic"])
    g.update(enabled=enabled, deterministic=deterministic)
    try:
        yield
    finally:
        g.update(enabled=old[0], deterministic=old[1])
