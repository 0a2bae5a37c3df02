"""Loads the C++ core. The BLAS (scipy-openblas32) is loaded first by absolute path, so the
extension finds it even when the RPATH recorded at build time no longer exists."""
import ctypes
import os

import scipy_openblas32 as _sob

ctypes.CDLL(os.path.join(_sob.get_lib_dir(), _sob.get_library(fullname=True)), mode=ctypes.RTLD_GLOBAL)

from . import _C  # noqa: E402

__all__ = ["_C"]
