"""Loads the C++ core. The BLAS (scipy-openblas32) is loaded first by absolute path, so the
extension finds it even when the RPATH recorded at build time no longer exists. On x86-64 the
code outside the CPU-dispatched kernels is built for x86-64-v2: a CPU without it gets an
ImportError here instead of an illegal instruction inside the extension."""
import ctypes
import os
import platform

import scipy_openblas32 as _sob

# x86-64-v2 beyond the x86-64 baseline, as /proc/cpuinfo names the features
_X86_64_V2 = ("cx16", "lahf_lm", "popcnt", "pni", "sse4_1", "sse4_2", "ssse3")


def cpu_flags(cpuinfo="/proc/cpuinfo"):
    """The CPU's feature flags as Linux names them ('flags' on x86, 'Features' on arm); an empty set
    where there is no such file."""
    try:
        with open(cpuinfo) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("flags", "Features"):
                    return set(value.split())
    except OSError:
        pass
    return set()


def _missing_baseline_features(cpuinfo="/proc/cpuinfo"):
    """The x86-64-v2 features this CPU lacks ([] when it has them all or when we cannot tell)."""
    flags = cpu_flags(cpuinfo)
    if platform.machine().lower() not in ("x86_64", "amd64") or not flags:
        return []
    return [feature for feature in _X86_64_V2 if feature not in flags]


_missing = _missing_baseline_features()
if _missing:
    raise ImportError(f"rosenblatt needs an x86-64-v2 CPU (SSE4.2, POPCNT, CMPXCHG16B); this one lacks "
                      f"{', '.join(_missing)}")

ctypes.CDLL(os.path.join(_sob.get_lib_dir(), _sob.get_library(fullname=True)), mode=ctypes.RTLD_GLOBAL)

from . import _C  # noqa: E402

__all__ = ["_C"]
