"""The per-op battery driven by tests/op_specs.py: forward vs numpy, float64 gradcheck, PyTorch parity.
The forward and gradient checks run on every device this build and machine have (DEVICES), so a new
backend is tested by the same entries."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH
from op_specs import SPECS

IDS = [s.test_id for s in SPECS]
# cpu always; cuda when the CUDA extension is built and a GPU is present.
DEVICES = ["cpu"] + (["cuda"] if rb.cuda.is_available() else [])


def _on(device, f, *args, **kwargs):
    """f(*args, **kwargs); on a device whose backend has no kernel yet for a family the op uses, a skip
    that names it (the CPU has every kernel, so there the error is a failure)."""
    try:
        return f(*args, **kwargs)
    except NotImplementedError as e:
        if device != "cpu" and f"no kernel for device {device}" in str(e):
            pytest.skip(str(e))
        raise


def _draw(spec, float_dtype, seed=0):
    rng = np.random.default_rng(seed)
    return [a.draw(rng, float_dtype) for a in spec.args]


def _as_list(x):
    return list(x) if isinstance(x, (tuple, list)) else [x]


def _to_rb(arrays, spec, grad, device="cpu"):
    out = []
    for a, arg in zip(arrays, spec.args):
        t = rb.tensor(a, device=device)
        if grad and arg.grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        out.append(t)
    return out


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_forward_matches_reference(spec, device):
    if spec.ref is None:
        pytest.skip("no numpy reference for this op (checked against PyTorch)")
    arrays = _draw(spec, np.float32)
    got = _as_list(_on(device, spec.fn, rb, *_to_rb(arrays, spec, False, device), **spec.kwargs))
    want = _as_list(spec.ref(*arrays, **spec.kwargs))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g = g.cpu().numpy() if isinstance(g, rb.Tensor) else np.asarray(g)
        w = np.asarray(w)
        assert g.shape == w.shape, f"{spec.name}: shape {g.shape} != {w.shape}"
        if w.dtype == bool or w.dtype.kind in "iu":
            np.testing.assert_array_equal(g, w)
        else:
            np.testing.assert_allclose(g, w, atol=spec.atol, rtol=spec.rtol)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("spec", [s for s in SPECS if s.grad], ids=[s.test_id for s in SPECS if s.grad])
def test_gradcheck_float64(spec, device):
    arrays = _draw(spec, np.float64)
    inputs = _to_rb(arrays, spec, True, device)
    assert any(t.requires_grad for t in inputs), f"{spec.name}: no differentiable input"
    assert _on(device, rb.autograd.gradcheck, lambda *xs: spec.fn(rb, *xs, **spec.kwargs), tuple(inputs), eps=1e-6,
               atol=1e-5, rtol=1e-3)


GRADGRAD = [s for s in SPECS if s.grad and s.gradgrad]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("spec", GRADGRAD, ids=[s.test_id for s in GRADGRAD])
def test_gradgradcheck_float64(spec, device):
    arrays = _draw(spec, np.float64)
    inputs = _to_rb(arrays, spec, True, device)
    assert _on(device, rb.autograd.gradgradcheck, lambda *xs: spec.fn(rb, *xs, **spec.kwargs), tuple(inputs),
               eps=1e-6, atol=1e-5, rtol=1e-3)


def _second_order(L, spec, inputs, outs, rng_seed=3):
    """sum(v * d(sum(w * out))/d(inputs)) differentiated again: the gradients of a gradient."""
    rng = np.random.default_rng(rng_seed)
    loss = None
    for o in outs:
        if o.requires_grad:
            w = L.tensor(rng.standard_normal(tuple(o.shape)), dtype=o.dtype)
            t = (o * w).sum()
            loss = t if loss is None else loss + t
    diff = [t for t in inputs if t.requires_grad]
    grads = L.autograd.grad(loss, diff, create_graph=True, allow_unused=True)
    total = None
    for g in grads:
        if g is not None and g.requires_grad:
            v = L.tensor(rng.standard_normal(tuple(g.shape)), dtype=g.dtype)
            t = (g * v).sum()
            total = t if total is None else total + t
    if total is None:
        return [None] * len(diff)
    return L.autograd.grad(total, diff, allow_unused=True)


@pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")
@pytest.mark.parametrize("spec", [s for s in GRADGRAD if s.torch and s.torch_gradgrad],
                         ids=[s.test_id for s in GRADGRAD if s.torch and s.torch_gradgrad])
def test_second_order_matches_pytorch(spec):
    import torch

    arrays = _draw(spec, np.float64, seed=4)
    ours = _to_rb(arrays, spec, True)
    theirs = []
    for a, arg in zip(arrays, spec.args):
        t = torch.tensor(a)
        if arg.grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        theirs.append(t)
    hr = _second_order(rb, spec, ours, _as_list(spec.fn(rb, *ours, **spec.kwargs)))
    ht = _second_order(torch, spec, theirs, _as_list(spec.fn(torch, *theirs, **spec.kwargs)))
    for r, t in zip(hr, ht):
        if t is None or not t.abs().sum().item():
            assert r is None or not np.abs(r.numpy()).sum(), "PyTorch's second-order gradient is zero, ours is not"
            continue
        assert r is not None, "PyTorch has a second-order gradient here, we have none"
        np.testing.assert_allclose(r.numpy(), t.numpy(), atol=1e-8, rtol=1e-6)


@pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")
@pytest.mark.parametrize("spec", [s for s in SPECS if s.torch], ids=[s.test_id for s in SPECS if s.torch])
def test_matches_pytorch(spec):
    import torch

    arrays = _draw(spec, np.float32, seed=1)
    ours = _to_rb(arrays, spec, spec.grad)
    theirs = []
    for a, arg in zip(arrays, spec.args):
        t = torch.tensor(a)
        if spec.grad and arg.grad and a.dtype.kind == "f":
            t.requires_grad_(True)
        theirs.append(t)
    out_r = _as_list(spec.fn(rb, *ours, **spec.kwargs))
    out_t = _as_list(spec.fn(torch, *theirs, **spec.kwargs))
    for r, t in zip(out_r, out_t):
        assert tuple(r.shape) == tuple(t.shape)
        assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], f"dtype {r.dtype} vs {t.dtype}"
        np.testing.assert_allclose(r.detach().numpy(), t.detach().numpy(), atol=spec.atol, rtol=spec.rtol)
    if not spec.grad:
        return
    # Backward with the same random upstream gradient through every differentiable output.
    rng = np.random.default_rng(2)
    loss_r, loss_t = None, None
    for r, t in zip(out_r, out_t):
        if not t.requires_grad:
            continue
        w = rng.standard_normal(tuple(t.shape)).astype(np.float32)
        lr = (r * rb.tensor(w)).sum()
        lt = (t * torch.tensor(w)).sum()
        loss_r = lr if loss_r is None else loss_r + lr
        loss_t = lt if loss_t is None else loss_t + lt
    loss_r.backward()
    loss_t.backward()
    for r, t in zip(ours, theirs):
        if t.requires_grad:
            assert (r.grad is None) == (t.grad is None)
            if t.grad is not None:
                np.testing.assert_allclose(r.grad.numpy(), t.grad.numpy(), atol=max(spec.atol, 1e-5) * 10,
                                           rtol=spec.rtol * 10)
