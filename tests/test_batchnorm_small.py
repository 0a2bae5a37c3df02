"""BatchNorm1d on inputs with few values per channel ((N, C, L) with a small N*L) matches PyTorch in
float32 and float64, in training and in evaluation: the statistics are computed in two passes
(the mean, then the squared deviations from it) and the input gradient as PyTorch computes it,
(dy - mean(dy) - (x - mean) * proj) * w * invstd, not expanded into a * dy + k1 * x + k0, whose
terms cancel when x lies close to the mean (with two values per channel the gradient is tiny next
to them)."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

SHAPES = [(2, 3, 1), (1, 4, 2), (2, 3), (3, 2, 1), (2, 2, 2), (1, 2, 3), (4, 3, 5)]


def _run(lib, dtype, a, w, b, rm, rv, g, training, affine):
    x = lib.tensor(a.astype(dtype), requires_grad=True)
    mod = lib.nn.BatchNorm1d(a.shape[1], eps=1e-5, momentum=0.1, affine=affine)
    if dtype == np.float64:
        mod = mod.double()
    with lib.no_grad():
        if affine:
            mod.weight.copy_(lib.tensor(w.astype(dtype)))
            mod.bias.copy_(lib.tensor(b.astype(dtype)))
        mod.running_mean.copy_(lib.tensor(rm.astype(dtype)))
        mod.running_var.copy_(lib.tensor(rv.astype(dtype)))
    mod.train(training)
    y = mod(x)
    (y * lib.tensor(g.astype(dtype))).sum().backward()
    out = {"y": y, "dx": x.grad, "running_mean": mod.running_mean, "running_var": mod.running_var}
    if affine:
        out.update(dw=mod.weight.grad, db=mod.bias.grad)
    return {k: v.detach().numpy() for k, v in out.items()}


def _exact(a, w, b, rm, rv, g, training, affine, eps=1e-5, momentum=0.1):
    """PyTorch's batch norm and its gradients in extended precision (numpy longdouble)."""
    a, w, b, rm, rv, g = (v.astype(np.longdouble) for v in (a, w, b, rm, rv, g))
    x, gg = a.reshape(a.shape[0], a.shape[1], -1), g.reshape(a.shape[0], a.shape[1], -1)
    M = x.shape[0] * x.shape[2]
    red = (0, 2)
    if training:
        mean = x.mean(red, keepdims=True)
        var = ((x - mean) ** 2).mean(red, keepdims=True)
    else:
        mean, var = rm.reshape(1, -1, 1), rv.reshape(1, -1, 1)
    invstd = 1 / np.sqrt(var + np.longdouble(eps))
    xhat = (x - mean) * invstd
    scale = w.reshape(1, -1, 1) if affine else np.longdouble(1)
    y = xhat * scale + (b.reshape(1, -1, 1) if affine else 0)
    gx = gg * scale
    dx = invstd * (gx - gx.mean(red, keepdims=True) - xhat * (gx * xhat).mean(red, keepdims=True)) if training \
        else gx * invstd
    out = {"y": y.reshape(a.shape), "dx": dx.reshape(a.shape), "running_mean": rm, "running_var": rv}
    if training:
        out["running_mean"] = (1 - momentum) * rm + momentum * mean.ravel()
        out["running_var"] = (1 - momentum) * rv + momentum * var.ravel() * M / (M - 1)
    if affine:
        out.update(dw=(gg * xhat).sum(red), db=gg.sum(red))
    return out


def _rel(got, want):
    """Largest difference relative to the largest magnitude of the reference."""
    got, want = got.astype(np.longdouble), want.astype(np.longdouble)
    return float(np.abs(got - want).max() / max(np.abs(want).max(), np.longdouble(1e-300)))


# Where PyTorch is accurate (relative to the exact value), ours is too and the two agree to this.
FLOOR = {np.float32: 2e-6, np.float64: 1e-14}


@requires_torch
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_small_batches_match_torch(shape, dtype, training, affine):
    rng = np.random.default_rng(sum(shape) * 7 + training)
    C = shape[1]
    # Values away from zero (mean 5, spread 3): sum(x^2)/M - mean^2 and the expanded gradient cancel.
    # All inputs are float32 values, the same in both precisions.
    a = (rng.standard_normal(shape) * 3 + 5).astype(np.float32)
    w, b = rng.uniform(0.5, 1.5, C).astype(np.float32), rng.standard_normal(C).astype(np.float32)
    rm, rv = rng.standard_normal(C).astype(np.float32), rng.uniform(0.5, 2.0, C).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    args = (a, w, b, rm, rv, g, training, affine)
    got, want, exact = _run(rb, dtype, *args), _run(torch, dtype, *args), _exact(*args)
    assert got.keys() == want.keys() == exact.keys()
    floor = FLOOR[dtype]
    for k in want:
        assert got[k].dtype == want[k].dtype == dtype
        # With two values per channel the input gradient is tiny next to the terms it is computed
        # from, and PyTorch's own result is off by up to ~1e-2 of it in float32: ours must be at least
        # as close to the exact value, and agree with PyTorch's wherever that one is accurate.
        err, torch_err = _rel(got[k], exact[k]), _rel(want[k], exact[k])
        assert err <= max(2 * torch_err, floor), f"{k}: {err:.2e} from exact, PyTorch {torch_err:.2e}"
        if torch_err <= floor:
            assert _rel(got[k], want[k]) <= 2 * floor, k


@requires_torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_two_values_per_channel_gradient_is_exact_in_float64(dtype):
    # With two values per channel and eps = 0 the normalized values are exactly -1 and 1, and the
    # input gradient is zero (the output does not depend on the input); with a tiny eps it is tiny.
    a = np.array([[10.0, -3.0], [10.5, -2.0]], dtype)
    x = rb.tensor(a, requires_grad=True)
    y = rb.nn.functional.batch_norm(x, None, None, training=True, eps=0.0)
    (y * rb.tensor(np.array([[1.0, 2.0], [-3.0, 0.5]], dtype))).sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), [[-1, -1], [1, 1]], atol=1e-6 if dtype == np.float32 else 1e-14)
    np.testing.assert_allclose(x.grad.numpy(), 0, atol=1e-5 if dtype == np.float32 else 1e-12)
