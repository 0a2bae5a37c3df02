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


def assert_low_precision_parity(fn, arrays, dtype, grad=(), ulps=4, seed=0):
    """fn(L, *tensors) in rosenblatt and PyTorch, the float arrays stored in dtype ("float16" or "bfloat16"): the
    outputs have PyTorch's dtype and values, and so do the gradients of the inputs numbered in `grad` (through a
    fixed random upstream gradient), within `ulps` roundings of dtype (relative, or to the largest magnitude)."""
    import rosenblatt as rb

    eps = {"float16": 2.0 ** -10, "bfloat16": 2.0 ** -7}[dtype]
    got = []
    for L in (rb, torch):
        ins = [L.tensor(a).to(getattr(L, dtype)) if a.dtype.kind == "f" else L.tensor(a) for a in arrays]
        for i in grad:
            ins[i].requires_grad_(True)
        outs = fn(L, *ins)
        outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
        if grad:
            g = np.random.default_rng(seed).standard_normal(tuple(outs[0].shape)).astype(np.float32)
            (outs[0] * L.tensor(g).to(outs[0].dtype)).sum().backward()
        got.append([(str(o.dtype).split(".")[-1], o.detach().float().numpy()) for o in outs]
                   + [("grad", ins[i].grad.float().numpy()) for i in grad])
    assert len(got[0]) == len(got[1])
    for (da, a), (db, b) in zip(*got):
        assert da == db, (da, db)
        if b.dtype.kind != "f":
            np.testing.assert_array_equal(a, b)
            continue
        scale = float(np.nanmax(np.abs(b))) if b.size and np.isfinite(b).any() else 0.0
        np.testing.assert_allclose(a, b, rtol=ulps * eps, atol=eps * scale + 1e-30, equal_nan=True)
