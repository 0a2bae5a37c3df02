"""Shared fixtures: optional PyTorch (the reference), seeded numpy generators.

PyTorch is imported here and nowhere else at module level (tests/test_suite_rules.py checks it):
test files take `torch` from this module. Without PyTorch it is a stand-in whose use skips the
test that touches it, so the suite runs, with the parity checks skipped, on a machine without it."""
import os
import subprocess
import sys

import numpy as np
import pytest


class _MissingModule:
    """Stands for an uninstalled module: attribute chains build up (so module-level aliases such as
    `TF = torch.nn.functional` work), and calling anything skips the running test."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _MissingModule(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        pytest.skip(f"PyTorch is not installed ({self._name} used)")

    def __bool__(self):
        return False

    def __mro_entries__(self, bases):
        return (object,)  # `class Net(torch.nn.Module)` still defines a class; using it skips


try:
    import torch

    # The reference runs on one thread: results do not depend on it, and on a busy 2-core machine
    # its thread pool makes the small ops of these tests 10-30x slower.
    torch.set_num_threads(1)
    HAVE_TORCH = True
except ImportError:  # parity tests are skipped without it
    torch = _MissingModule("torch")
    HAVE_TORCH = False

requires_torch = pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")


def run_python(*args, cwd=None, timeout=300, **env):
    """A child interpreter (`python *args`) that imports the same rosenblatt as this process
    (installed, or the source tree), with `env` added to the environment."""
    import rosenblatt

    full = dict(os.environ, **env)
    full["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(rosenblatt.__file__)),
                                          full.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          env=full, check=False)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
