"""Shared fixtures: optional PyTorch (the reference), seeded numpy generators."""
import numpy as np
import pytest

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:  # parity tests are skipped without it
    HAVE_TORCH = False

requires_torch = pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")


@pytest.fixture
def rng():
    return np.random.default_rng(0)
