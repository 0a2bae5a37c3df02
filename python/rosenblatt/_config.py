"""Build and runtime configuration: rb.show_config() and the dictionary behind it (version, BLAS,
threads, CPU features and the kernels' capability, CUDA availability)."""
import platform
import sys
from typing import Any

from . import _C
from ._load import cpu_flags

_FEATURES = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "amx_tile",
             "neon", "asimd")


def cpu_features() -> Any:
    """The SIMD features of this CPU that matter to the kernels, read from /proc/cpuinfo (Linux)."""
    flags = cpu_flags()
    return [name for name in _FEATURES if name in flags]


def config() -> Any:
    """The configuration as a dict (what show_config prints)."""
    from . import __version__

    info = dict(_C._build_info)
    return {
        "version": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "compiler": info.get("compiler", "?"),
        "blas": info.get("blas", "?"),
        "openmp": bool(info.get("openmp", False)),
        "num_threads": _C.get_num_threads(),
        "cpu_features": cpu_features(),
        "cpu_capability": _C._get_cpu_capability(),
        "cpu_dispatch": list(info.get("cpu_dispatch", [])),
        "cuda_built": _cuda_module() is not None,
        "cuda": _cuda_module() is not None and _cuda_module().device_count() > 0,
    }


def _cuda_module() -> Any:
    from . import cuda

    return cuda._cuda


def show_config() -> Any:
    """Prints version, BLAS, OpenMP threads, CPU features and CUDA availability."""
    c = config()
    lines = [
        f"rosenblatt {c['version']}",
        f"  python:       {c['python']} ({c['platform']})",
        f"  compiler:     {c['compiler']}",
        f"  BLAS:         {c['blas']}",
        f"  OpenMP:       {'yes' if c['openmp'] else 'no'}, threads: {c['num_threads']}",
        f"  CPU features: {', '.join(c['cpu_features']) or 'none detected'}",
        f"  CPU kernels:  {c['cpu_capability']} (compiled for {', '.join(c['cpu_dispatch'])}; "
        "RB_CPU_CAPABILITY to force a lower one)",
        "  CUDA:         " + ("available" if c["cuda"] else "not available (built; no GPU or driver here)"
                                if c["cuda_built"] else "not available (not built)"),
    ]
    print("\n".join(lines))
