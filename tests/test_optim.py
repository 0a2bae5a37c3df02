"""rosenblatt.optim: trajectories equal torch.optim's (20 steps, every option), state_dict format and
round trips, validation errors, zero_grad, param groups, and the checks of the fused C++ steps.
LBFGS and the optimizer-specific checks of Adamax, RAdam and Rprop are in test_optim_extra.py."""

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

SHAPES = [(5,), (3, 7), (2, 3, 4)]
BIG = [(300, 250)]  # 75000 elements: above the kernels' threading grain

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05, maximize=True)),
    ("SGD", dict(lr=0.1, weight_decay=0.1, maximize=True)),
    ("Adam", dict(lr=0.1)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.1, amsgrad=True)),
    ("Adam", dict(lr=0.1, amsgrad=True, weight_decay=0.1, maximize=True)),
    ("Adam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, weight_decay=0.3, amsgrad=True)),
    ("AdamW", dict(lr=0.1, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, eps=1e-8)),
    ("Adagrad", dict(lr=0.1, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    ("Adadelta", dict(maximize=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.9)),
    ("RMSprop", dict(centered=True)),
    ("RMSprop", dict(momentum=0.5, centered=True, weight_decay=0.1, eps=1e-6)),
    ("RMSprop", dict(maximize=True, momentum=0.3)),
    ("NAdam", dict(lr=0.1)),
    ("NAdam", dict(lr=0.1, betas=(0.8, 0.99), weight_decay=0.1, momentum_decay=1e-2)),
    ("NAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("NAdam", dict(lr=0.1, maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adamax", dict(lr=0.1, maximize=True, weight_decay=0.05)),
    ("RAdam", dict(lr=0.1)),  # steps 1-5 unrectified (rho_t <= 5), the rest rectified
    ("RAdam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("RAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.1, betas=(0.9, 0.5), maximize=True)),  # rho_inf < 5: never rectified
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    ("Rprop", dict(lr=0.1, maximize=True)),
    ("ASGD", dict()),
    ("ASGD", dict(lr=0.1, lambd=1e-2, alpha=0.6, t0=5, weight_decay=0.1)),  # averaging from step 6
    ("ASGD", dict(lr=0.05, t0=0, maximize=True)),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'defaults'}" for name, kw in CONFIGS]


def _problem(shapes, steps, seed, dtype=np.float32):
    """Initial values, and per step the gradient of a fixed diagonal quadratic plus noise:
    g = scale * p + noise_t, computed with numpy from each library's own parameters."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in shapes]
    scale = [rng.uniform(0.5, 2.0, s).astype(dtype) for s in shapes]
    noise = [[rng.standard_normal(s).astype(dtype) for s in shapes] for _ in range(steps)]
    return init, scale, noise


def _set_grads(lib, params, scale, noise):
    for p, s, n in zip(params, scale, noise):
        p.grad = lib.tensor(p.detach().numpy() * s + n)


def _trajectory(lib, name, kw, shapes=SHAPES, steps=20, seed=0, dtype=np.float32, groups=None):
    init, scale, noise = _problem(shapes, steps, seed, dtype)
    params = [lib.tensor(a.copy(), requires_grad=True) for a in init]
    opt = getattr(lib.optim, name)(params if groups is None else groups(params), **kw)
    out = []
    for t in range(steps):
        _set_grads(lib, params, scale, noise[t])
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out, opt, params


def _assert_close(a, b, rtol, atol):
    for step, (xa, xb) in enumerate(zip(a, b)):
        for i, (x, y) in enumerate(zip(xa, xb)):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=atol, err_msg=f"step {step}, param {i}")


@requires_torch
@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_trajectory_matches_torch_float32(name, kw):
    ours, _, _ = _trajectory(rb, name, kw)
    ref, _, _ = _trajectory(torch, name, kw)
    _assert_close(ours, ref, rtol=1e-5, atol=1e-6)


@requires_torch
@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_trajectory_matches_torch_float64(name, kw):
    ours, _, _ = _trajectory(rb, name, kw, dtype=np.float64)
    ref, _, _ = _trajectory(torch, name, kw, dtype=np.float64)
    assert ours[-1][0].dtype == np.float64
    _assert_close(ours, ref, rtol=1e-12, atol=1e-14)


@requires_torch
@pytest.mark.parametrize(
    "name,kw", [c for c in CONFIGS if c[1].get("momentum") or c[0] in ("Adam", "NAdam")][:6]
)
def test_large_parameter_matches_torch(name, kw):
    # Large enough for the fused kernel to split across threads.
    ours, _, _ = _trajectory(rb, name, kw, shapes=BIG, steps=5)
    ref, _, _ = _trajectory(torch, name, kw, shapes=BIG, steps=5)
    _assert_close(ours, ref, rtol=1e-5, atol=1e-6)


@requires_torch
def test_sgd_is_bit_exact_with_torch():
    # SGD's arithmetic has no sqrt, so every rounding step is PyTorch's.
    kw = dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)
    ours, _, _ = _trajectory(rb, "SGD", kw)
    ref, _, _ = _trajectory(torch, "SGD", kw)
    for xa, xb in zip(ours, ref):
        for x, y in zip(xa, xb):
            np.testing.assert_array_equal(x, y)


@requires_torch
def test_param_groups_with_different_lr_match_torch():
    def groups(ps):
        return [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.01, "betas": (0.5, 0.9)}]

    ours, opt, _ = _trajectory(rb, "Adam", dict(lr=0.1), groups=groups)
    ref, _, _ = _trajectory(torch, "Adam", dict(lr=0.1), groups=groups)
    _assert_close(ours, ref, rtol=1e-5, atol=1e-6)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.param_groups[1]["betas"] == (0.5, 0.9) and opt.param_groups[0]["betas"] == (0.9, 0.999)


def test_add_param_group_uses_its_own_lr():
    a = rb.tensor([1.0, 2.0], requires_grad=True)
    b = rb.tensor([3.0], requires_grad=True)
    opt = rb.optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[1]["lr"] == 0.5
    a.grad = rb.tensor([1.0, 1.0])
    b.grad = rb.tensor([1.0])
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), [0.9, 1.9], rtol=1e-6)
    np.testing.assert_allclose(b.detach().numpy(), [2.5], rtol=1e-6)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([b])


@requires_torch
@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_state_dict_format_matches_torch(name, kw):
    _, ours, _ = _trajectory(rb, name, kw, steps=2)
    _, ref, _ = _trajectory(torch, name, kw, steps=2)
    a, b = ours.state_dict(), ref.state_dict()
    assert set(a) == {"state", "param_groups"}
    assert [sorted(g) for g in a["param_groups"]] == [sorted(g) for g in b["param_groups"]]
    for ga, gb in zip(a["param_groups"], b["param_groups"]):
        assert ga == gb  # hyperparameters and the params index lists
    assert sorted(a["state"]) == sorted(b["state"])
    for i in b["state"]:
        assert sorted(a["state"][i]) == sorted(b["state"][i])
        for key, vb in b["state"][i].items():
            va = a["state"][i][key]
            assert list(va.shape) == list(vb.shape), key
            assert str(va.dtype).split(".")[-1] == str(vb.dtype).split(".")[-1], key
            np.testing.assert_allclose(va.numpy(), vb.numpy(), rtol=1e-5, atol=1e-6, err_msg=key)


@pytest.mark.parametrize("name,kw", CONFIGS, ids=IDS)
def test_state_dict_round_trip_resumes_bit_exactly(name, kw):
    full, _, _ = _trajectory(rb, name, kw, steps=20)
    init, scale, noise = _problem(SHAPES, 20, 0)
    params = [rb.tensor(a.copy(), requires_grad=True) for a in init]
    opt = getattr(rb.optim, name)(params, **kw)
    for t in range(10):
        _set_grads(rb, params, scale, noise[t])
        opt.step()
    sd = opt.state_dict()
    # A fresh optimizer on fresh copies of the parameters continues where the first left off.
    params2 = [rb.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    opt2 = getattr(rb.optim, name)(params2, lr=123.0) if "lr" in kw else getattr(rb.optim, name)(params2)
    opt2.load_state_dict(sd)
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    assert opt2.param_groups[0]["params"][0] is params2[0]
    for key, value in opt.state[params[0]].items():
        loaded = opt2.state[params2[0]][key]
        assert loaded is not value  # copied, not shared
        np.testing.assert_array_equal(loaded.numpy(), value.numpy())
    for t in range(10, 20):
        _set_grads(rb, params2, scale, noise[t])
        opt2.step()
        for p, ref in zip(params2, full[t]):
            np.testing.assert_array_equal(p.detach().numpy(), ref)
    # The first optimizer's state was not touched by the second's steps.
    if opt.state:
        st = opt.state[params[0]]
        if "step" in st:
            assert st["step"].item() == 10.0


TORCH_LOADS = [1, 9, 15, 23, 26, 30, 33, 34, 37]  # SGD, Adam, Adagrad, RMSprop, NAdam, Adamax, RAdam x2, Rprop


@requires_torch
@pytest.mark.parametrize(
    "name,kw",
    [CONFIGS[i] for i in TORCH_LOADS],
    ids=[IDS[i] for i in TORCH_LOADS],
)
def test_torch_state_dict_loads_and_continues(name, kw):
    init, scale, noise = _problem(SHAPES, 20, 0)
    tparams = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    topt = getattr(torch.optim, name)(tparams, **kw)
    for t in range(10):
        _set_grads(torch, tparams, scale, noise[t])
        topt.step()
    params = [rb.tensor(p.detach().numpy().copy(), requires_grad=True) for p in tparams]
    opt = getattr(rb.optim, name)(params, **kw)
    opt.load_state_dict(topt.state_dict())
    for t in range(10, 20):
        _set_grads(torch, tparams, scale, noise[t])
        topt.step()
        _set_grads(rb, params, scale, noise[t])
        opt.step()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-5, atol=1e-6)
    # and ours loads into torch's (tensors converted), with the same param_groups
    sd = opt.state_dict()
    topt2 = getattr(torch.optim, name)([torch.tensor(p.detach().numpy()) for p in params], **kw)
    topt2.load_state_dict(
        {
            "state": {i: {k: torch.tensor(v.numpy()) for k, v in st.items()} for i, st in sd["state"].items()},
            "param_groups": sd["param_groups"],
        }
    )
    assert topt2.state_dict()["param_groups"] == topt.state_dict()["param_groups"]


def test_load_state_dict_validates_groups():
    a = rb.zeros(3, requires_grad=True)
    b = rb.zeros(2, requires_grad=True)
    opt = rb.optim.Adam([a, b])
    sd = opt.state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        rb.optim.Adam([{"params": [a]}, {"params": [b]}]).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        rb.optim.Adam([a]).load_state_dict(sd)


def test_step_state_is_a_float32_scalar_tensor():
    p = rb.zeros(4, requires_grad=True)
    opt = rb.optim.Adam([p])
    for _ in range(3):
        p.grad = rb.ones(4)
        opt.step()
    st = opt.state[p]
    assert isinstance(st["step"], rb.Tensor) and st["step"].dim() == 0
    assert st["step"].dtype == rb.float32 and st["step"].item() == 3.0
    assert "max_exp_avg_sq" not in st


INVALID = [
    ("SGD", dict(lr=-0.1), "Invalid learning rate: -0.1"),
    ("SGD", dict(momentum=-1), "Invalid momentum value: -1"),
    ("SGD", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("SGD", dict(nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1), "Nesterov momentum requires"),
    ("Adam", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("Adam", dict(eps=-1e-8), "Invalid epsilon value"),
    ("Adam", dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    ("Adam", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("AdamW", dict(weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
    ("Adagrad", dict(lr_decay=-1), "Invalid lr_decay value: -1"),
    ("Adagrad", dict(initial_accumulator_value=-1), "Invalid initial_accumulator_value value: -1"),
    ("Adagrad", dict(eps=-1), "Invalid epsilon value: -1"),
    ("Adadelta", dict(rho=1.5), "Invalid rho value: 1.5"),
    ("Adadelta", dict(lr=-1), "Invalid learning rate: -1"),
    ("RMSprop", dict(alpha=-0.1), "Invalid alpha value: -0.1"),
    ("RMSprop", dict(momentum=-0.1), "Invalid momentum value: -0.1"),
    ("NAdam", dict(momentum_decay=-1), "Invalid momentum_decay value: -1"),
    ("NAdam", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("Adamax", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("Adamax", dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    ("Adamax", dict(weight_decay=-1), "Invalid weight_decay value: -1"),
    ("RAdam", dict(eps=-1e-8), "Invalid epsilon value"),
    ("RAdam", dict(betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    ("Rprop", dict(lr=-0.1), "Invalid learning rate: -0.1"),
    ("Rprop", dict(etas=(1.2, 0.5)), "Invalid eta values: 1.2, 0.5"),
    ("Rprop", dict(etas=(0.5, 1.0)), "Invalid eta values: 0.5, 1.0"),
    ("LBFGS", dict(lr=-1), "Invalid learning rate: -1"),
]


@pytest.mark.parametrize("name,kw,msg", INVALID, ids=[f"{n}-{list(k)[0]}" for n, k, _ in INVALID])
def test_invalid_hyperparameters_raise(name, kw, msg):
    with pytest.raises(ValueError, match=msg.replace("(", r"\(").replace(")", r"\)")):
        getattr(rb.optim, name)([rb.zeros(2, requires_grad=True)], **kw)


def test_invalid_params_raise():
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        rb.optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="should be an iterable of Tensors or dicts"):
        rb.optim.SGD(rb.zeros(2, requires_grad=True), lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is int"):
        rb.optim.SGD([1], lr=0.1)
    with pytest.raises(TypeError, match="organized in ordered collections"):
        rb.optim.SGD([{"params": {rb.zeros(2, requires_grad=True)}}], lr=0.1)
    x = rb.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        rb.optim.SGD([x * 2], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        rb.optim.SGD([{"params": [x]}, {"params": [x]}], lr=0.1)


def test_zero_grad_semantics():
    a = rb.tensor([1.0, 2.0], requires_grad=True)
    b = rb.tensor([3.0], requires_grad=True)
    opt = rb.optim.SGD([a, b], lr=0.1)
    (a * a).sum().backward()
    assert a.grad is not None and b.grad is None
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])
    assert b.grad is None
    (a * a).sum().backward()  # accumulates into the zeroed gradient
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 4.0])
    opt.zero_grad()
    assert a.grad is None


def test_params_without_grad_are_skipped():
    a = rb.tensor([1.0, 2.0], requires_grad=True)
    b = rb.tensor([3.0], requires_grad=True)
    for opt in (
        rb.optim.Adam([a, b], lr=0.1),
        rb.optim.SGD([a, b], lr=0.1, momentum=0.9),
        rb.optim.NAdam([a, b]),
    ):
        a.grad = rb.tensor([1.0, 1.0])
        b.grad = None
        opt.step()
        np.testing.assert_array_equal(b.detach().numpy(), [3.0])
        assert b not in opt.state or not opt.state[b]
        assert opt.state[a]


def test_step_updates_in_place_and_bumps_version():
    p = rb.tensor([1.0, -1.0], requires_grad=True)
    ptr, version = p.data_ptr(), p._version
    opt = rb.optim.Adam([p], lr=0.1)
    p.grad = rb.tensor([0.5, -0.5])
    opt.step()
    assert p.data_ptr() == ptr and p._version > version and p.requires_grad and p.grad_fn is None
    np.testing.assert_allclose(p.detach().numpy(), [0.9, -0.9], rtol=1e-5)


def test_closure_is_called_with_grad_enabled():
    p = rb.tensor([2.0], requires_grad=True)
    opt = rb.optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with rb.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0
    np.testing.assert_allclose(p.detach().numpy(), [1.0])  # 2 - 0.25 * 4


def test_minimizes_least_squares_with_autograd():
    rng = np.random.default_rng(3)
    A = rb.tensor(rng.standard_normal((20, 4)).astype(np.float32))
    x_true = rng.standard_normal((4, 1)).astype(np.float32)
    y = A @ rb.tensor(x_true)
    for name, kw in [
        ("SGD", dict(lr=0.02, momentum=0.9)),
        ("Adam", dict(lr=0.05)),
        ("RMSprop", dict(lr=0.01)),
        ("NAdam", dict(lr=0.05)),
        ("Adagrad", dict(lr=0.5)),
        ("AdamW", dict(lr=0.05, weight_decay=0)),
    ]:
        x = rb.zeros(4, 1, requires_grad=True)
        opt = getattr(rb.optim, name)([x], **kw)
        for _ in range(800):
            opt.zero_grad()
            loss = ((A @ x - y) * (A @ x - y)).mean()
            loss.backward()
            opt.step()
        np.testing.assert_allclose(x.detach().numpy(), x_true, atol=2e-2, err_msg=name)


def test_fused_step_checks_and_leaves_state_untouched():
    o = rb._C._optim
    p = rb.zeros(3, requires_grad=True)
    m, v, step = rb.zeros(3), rb.zeros(3), rb.zeros(())
    with pytest.raises(RuntimeError, match=r"grad has shape \[2\]"):
        o.adam_step(p, rb.zeros(2), m, v, None, step, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(RuntimeError, match="exp_avg_sq has shape"):
        o.adam_step(
            p,
            rb.zeros(3),
            m,
            rb.zeros(3, dtype=rb.float64),
            None,
            step,
            0.1,
            0.9,
            0.999,
            1e-8,
            0.0,
            False,
            False,
            False,
        )
    with pytest.raises(RuntimeError, match="max_exp_avg_sq is required"):
        o.adam_step(p, rb.zeros(3), m, v, None, step, 0.1, 0.9, 0.999, 1e-8, 0.0, True, False, False)
    with pytest.raises(RuntimeError, match="step must be a one-element"):
        o.adam_step(p, rb.zeros(3), m, v, None, rb.zeros(2), 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(RuntimeError, match="float32 or float64 parameter"):
        o.sgd_step(
            rb.zeros(3, dtype=rb.int64),
            rb.zeros(3, dtype=rb.int64),
            None,
            0.1,
            0.0,
            0.0,
            0.0,
            False,
            False,
            False,
        )
    with pytest.raises(RuntimeError, match="momentum_buffer is required"):
        o.sgd_step(p, rb.ones(3), None, 0.1, 0.9, 0.0, 0.0, False, False, False)
    q = rb.zeros(3, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="contiguous momentum_buffer"):
        o.sgd_step(q, rb.ones(3, 2), rb.zeros(2, 3).t(), 0.1, 0.9, 0.0, 0.0, False, False, False)
    assert step.item() == 0.0
    np.testing.assert_array_equal(p.detach().numpy(), [0.0, 0.0, 0.0])
    with pytest.raises(RuntimeError, match="must not share memory"):
        o.adam_step(p, rb.ones(3), m, m, None, step, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(RuntimeError, match="must not share memory"):
        o.sgd_step(p, p.detach(), None, 0.1, 0.0, 0.0, 0.0, False, False, False)
    # grad None reads the parameter's own .grad; without one the step does nothing and says so.
    assert o.adam_step(p, None, m, v, None, step, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False) is False
    assert step.item() == 0.0
    p.grad = rb.ones(3)
    assert o.adam_step(p, None, m, v, None, step, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False) is True
    assert step.item() == 1.0
    np.testing.assert_allclose(p.detach().numpy(), [-0.1, -0.1, -0.1], rtol=1e-5)
    # A non-contiguous gradient is read correctly.
    g = rb.tensor(np.arange(6, dtype=np.float32).reshape(2, 3)).t()
    o.sgd_step(q, g, None, 1.0, 0.0, 0.0, 0.0, False, False, False)
    np.testing.assert_array_equal(q.detach().numpy(), -np.arange(6, dtype=np.float32).reshape(2, 3).T)


def test_optimizer_state_survives_amsgrad_and_momentum_options_in_repr():
    p = rb.zeros(2, requires_grad=True)
    opt = rb.optim.SGD([p], lr=0.1, momentum=0.9)
    text = repr(opt)
    assert text.startswith("SGD (") and "momentum: 0.9" in text and "Parameter Group 0" in text
