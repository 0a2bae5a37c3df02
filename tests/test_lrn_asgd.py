"""nn.LocalResponseNorm / F.local_response_norm (a composite of differentiable ops, torch's formula) and
optim.ASGD (torch's single-tensor update, bit for bit in float64, with its state_dict keys): values against
PyTorch, gradients, errors. ASGD's trajectories for more options are in test_optim.py's CONFIGS."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch
from test_optim import _trajectory

F = rb.nn.functional


def _np_lrn(x, size, alpha=1e-4, beta=0.75, k=1.0):
    C = x.shape[1]
    sq = np.concatenate([np.zeros_like(x[:, :size // 2]), x * x, np.zeros_like(x[:, :(size - 1) // 2])], axis=1)
    window = sum(sq[:, j:j + C] for j in range(size))
    return x / (k + alpha * window / size) ** beta


@pytest.mark.parametrize("shape, size", [((2, 5, 7), 3), ((2, 6, 4, 5), 2), ((1, 4, 2, 3, 3), 5), ((2, 3, 4), 1)])
def test_local_response_norm_values_and_gradients(shape, size):
    x = np.random.default_rng(0).standard_normal(shape) * 3
    out = F.local_response_norm(rb.tensor(x), size, alpha=0.5, beta=0.7, k=2.0)
    np.testing.assert_allclose(out.numpy(), _np_lrn(x, size, 0.5, 0.7, 2.0), rtol=1e-12)
    t = rb.tensor(x[:1, :, :2], requires_grad=True)
    assert rb.autograd.gradcheck(lambda a: F.local_response_norm(a, size, 0.5, 0.7, 2.0), (t,))
    assert rb.autograd.gradgradcheck(lambda a: F.local_response_norm(a, size, 0.5, 0.7, 2.0), (t,))


def test_local_response_norm_module():
    m = rb.nn.LocalResponseNorm(3, alpha=1e-3)
    assert repr(m) == "LocalResponseNorm(3, alpha=0.001, beta=0.75, k=1.0)" and not list(m.parameters())
    x = rb.randn(2, 4, 3, 3)
    np.testing.assert_allclose(m(x).numpy(), _np_lrn(x.numpy().astype(np.float64), 3, 1e-3), rtol=1e-5)
    assert F.local_response_norm(rb.zeros(0, 3, 4), 2).shape == (0, 3, 4)
    with pytest.raises(ValueError, match=r"Expected 3D or higher dimensionality input \(got 2 dimensions\)"):
        F.local_response_norm(rb.randn(2, 3), 2)


@requires_torch
@pytest.mark.parametrize("shape, size", [((2, 5, 7), 3), ((2, 6, 4, 5), 4), ((1, 4, 2, 3, 3), 5)])
def test_local_response_norm_matches_torch(shape, size):
    x = np.random.default_rng(1).standard_normal(shape)
    g = np.random.default_rng(2).standard_normal(shape)
    outs = []
    for L in (rb, torch):
        t = L.tensor(x, requires_grad=True)
        y = L.nn.LocalResponseNorm(size, alpha=0.3, beta=0.8, k=1.5)(t)
        y.backward(L.tensor(g))
        outs.append((y.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], rtol=1e-12)
    np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-10, atol=1e-12)


def test_asgd_state_and_checks():
    p = rb.tensor([1.0, 2.0], requires_grad=True)
    opt = rb.optim.ASGD([p], lr=0.5, t0=0)
    assert opt.defaults["lambd"] == 1e-4 and opt.defaults["alpha"] == 0.75 and opt.defaults["t0"] == 0
    p.grad = rb.tensor([1.0, -1.0])
    opt.step()
    st = opt.state[p]
    assert list(st) == ["step", "eta", "mu", "ax"] and st["step"].item() == 1.0
    np.testing.assert_allclose(p.detach().numpy(), [1.0 * (1 - 1e-4 * 0.5) - 0.5, 2.0 * (1 - 1e-4 * 0.5) + 0.5])
    np.testing.assert_array_equal(st["ax"].numpy(), p.detach().numpy())  # mu was 1: ax copies the parameter
    np.testing.assert_allclose(st["eta"].item(), 0.5 / (1 + 1e-4 * 0.5) ** 0.75, rtol=1e-7)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        rb.optim.ASGD([p], lr=-1)
    with pytest.raises(ValueError, match="Invalid weight_decay value: -0.1"):
        rb.optim.ASGD([p], weight_decay=-0.1)


@requires_torch
@pytest.mark.parametrize("kw", [dict(lr=0.1, t0=3), dict(lr=0.2, lambd=0.05, alpha=0.5, t0=0, weight_decay=0.2),
                                dict(lr=0.05, t0=2, maximize=True, weight_decay=0.1)])
def test_asgd_is_bit_exact_with_torch_in_float64(kw):
    ours, opt, _ = _trajectory(rb, "ASGD", kw, dtype=np.float64, steps=15)
    ref, topt, _ = _trajectory(torch, "ASGD", kw, dtype=np.float64, steps=15)
    for xa, xb in zip(ours, ref):
        for x, y in zip(xa, xb):
            np.testing.assert_array_equal(x, y)
    sd, tsd = opt.state_dict(), topt.state_dict()
    assert list(sd["state"][0]) == list(tsd["state"][0]) == ["step", "eta", "mu", "ax"]
    for key in ("step", "eta", "mu", "ax"):
        np.testing.assert_array_equal(sd["state"][0][key].numpy(), tsd["state"][0][key].numpy())
        assert str(sd["state"][0][key].dtype).split(".")[1] == str(tsd["state"][0][key].dtype).split(".")[1]
    assert sd["param_groups"][0].keys() == tsd["param_groups"][0].keys()
