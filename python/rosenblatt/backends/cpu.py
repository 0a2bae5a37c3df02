"""The CPU kernels' instruction set, as torch.backends.cpu. The hot kernels are compiled once per
capability (a baseline, AVX2 + FMA, AVX-512) and the library picks the best this CPU has at import;
the environment variable RB_CPU_CAPABILITY=default|avx2|avx512 forces a lower one (a higher one than
the CPU has makes the import fail, naming both)."""
import contextlib

from .._C import _get_cpu_capability, _max_cpu_capability, _set_cpu_capability

__all__ = ["get_cpu_capability"]


def get_cpu_capability() -> str:
    """The instruction set of the kernels in use: "DEFAULT", "AVX2" or "AVX512"."""
    return _get_cpu_capability()


def _supported_capabilities():
    """Every capability this CPU and build can run, lowest first (for tests and benchmarks)."""
    from .. import _C

    compiled = _C._build_info["cpu_dispatch"]  # lowest first
    return compiled[: compiled.index(_max_cpu_capability()) + 1]


@contextlib.contextmanager
def _capability(name):
    """Runs the block with the kernels of capability `name`, then restores the previous one. For
    tests: it switches the whole process, so no other thread should be running kernels."""
    previous = get_cpu_capability()
    _set_cpu_capability(name)
    try:
        yield
    finally:
        _set_cpu_capability(previous)
