"""rosenblatt.optim.LBFGS against torch.optim.LBFGS (Rosenbrock, least squares, an MLP; with and without
the strong-Wolfe line search; float64 and float32), its state_dict both ways, and the checks specific to
Adamax, RAdam and Rprop (their trajectories for every option are in test_optim.py's CONFIGS)."""

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch
from test_optim import BIG, _assert_close, _trajectory

# ---------------------------------------------------------------------------------------------------
# Adamax, RAdam, Rprop


EXACT = [
    ("Adamax", dict(lr=0.1, weight_decay=0.1, maximize=True), np.float32),
    ("Adamax", dict(lr=0.1, weight_decay=0.1, maximize=True), np.float64),
    ("Rprop", dict(), np.float32),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True), np.float32),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2)), np.float64),
    # RAdam's sqrt is correctly rounded in float64 on both sides (torch's float32 sqrt is not always)
    ("RAdam", dict(lr=0.1, weight_decay=0.1), np.float64),
    ("RAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True), np.float64),
]


@requires_torch
@pytest.mark.parametrize("name,kw,dtype", EXACT, ids=[f"{n}-{i}-{d.__name__}" for i, (n, _, d) in enumerate(EXACT)])
def test_bit_exact_with_torch(name, kw, dtype):
    # Each fused update does torch's operations in torch's order and rounding, so trajectories
    # agree to the bit where no float32 sqrt is involved.
    ours, _, _ = _trajectory(rb, name, kw, dtype=dtype)
    ref, _, _ = _trajectory(torch, name, kw, dtype=dtype)
    for xa, xb in zip(ours, ref):
        for x, y in zip(xa, xb):
            np.testing.assert_array_equal(x, y)


@requires_torch
@pytest.mark.parametrize(
    "name,kw",
    [
        ("Adamax", dict(lr=0.1)),
        ("RAdam", dict(lr=0.1, weight_decay=0.1)),
        ("RAdam", dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True)),
        ("Rprop", dict(lr=0.05)),
    ],
)
def test_large_parameter_matches_torch(name, kw):
    # Large enough for the fused kernel to split across threads; 8 steps reach RAdam's rectified branch.
    ours, _, _ = _trajectory(rb, name, kw, shapes=BIG, steps=8)
    ref, _, _ = _trajectory(torch, name, kw, shapes=BIG, steps=8)
    _assert_close(ours, ref, rtol=1e-5, atol=1e-6)


def test_rprop_adapts_step_sizes_by_sign_agreement():
    p = rb.tensor([1.0, 1.0, 1.0], requires_grad=True)
    opt = rb.optim.Rprop([p], lr=0.1, etas=(0.5, 2.0), step_sizes=(0.01, 0.3))
    p.grad = rb.tensor([1.0, 1.0, 0.0])
    opt.step()  # no previous gradient: step sizes stay at lr
    np.testing.assert_allclose(p.detach().numpy(), [0.9, 0.9, 1.0], rtol=1e-6)
    p.grad = rb.tensor([1.0, -1.0, 1.0])  # agrees, flips, starts
    opt.step()
    st = opt.state[p]
    np.testing.assert_allclose(st["step_size"].numpy(), [0.2, 0.05, 0.1], rtol=1e-6)
    # a flipped sign skips the update and forgets the gradient, so the next step does not shrink again
    np.testing.assert_allclose(p.detach().numpy(), [0.7, 0.9, 0.9], rtol=1e-6)
    np.testing.assert_array_equal(st["prev"].numpy(), [1.0, 0.0, 1.0])
    p.grad = rb.tensor([1.0, -1.0, 1.0])
    opt.step()
    np.testing.assert_allclose(st["step_size"].numpy(), [0.3, 0.05, 0.2], rtol=1e-6)  # clamped at 0.3
    assert st["step"].item() == 3.0


def test_radam_first_steps_are_sgd_with_momentum():
    # rho_t <= 5 for the first steps with beta2=0.999: the update is lr * bias-corrected exp_avg.
    p = rb.tensor([1.0, -2.0], requires_grad=True)
    opt = rb.optim.RAdam([p], lr=0.1)
    p.grad = rb.tensor([0.5, -4.0])
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [0.95, -1.6], rtol=1e-6)


def test_adamax_step_is_lr_times_sign_at_first_step():
    p = rb.tensor([1.0, -2.0], requires_grad=True)
    opt = rb.optim.Adamax([p], lr=0.1, eps=0.0)
    p.grad = rb.tensor([0.5, -4.0])
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [0.9, -1.9], rtol=1e-6)
    assert sorted(opt.state[p]) == ["exp_avg", "exp_inf", "step"]


def test_new_fused_steps_check_their_arguments():
    o = rb._C._optim
    p = rb.zeros(3, requires_grad=True)
    m, v, step = rb.zeros(3), rb.zeros(3), rb.zeros(())
    with pytest.raises(RuntimeError, match=r"exp_inf has shape \[2\]"):
        o.adamax_step(p, rb.ones(3), m, rb.zeros(2), step, 0.1, 0.9, 0.999, 1e-8, 0.0, False)
    with pytest.raises(RuntimeError, match="must not share memory"):
        o.radam_step(p, rb.ones(3), m, m, step, 0.1, 0.9, 0.999, 1e-8, 0.0, False, False)
    with pytest.raises(RuntimeError, match="step must be a one-element"):
        o.rprop_step(p, rb.ones(3), m, v, rb.zeros(2), 0.5, 1.2, 1e-6, 50.0, False)
    with pytest.raises(RuntimeError, match="float32 or float64 parameter"):
        z = rb.zeros(3, dtype=rb.int64)
        o.rprop_step(z, z.clone(), z.clone(), z.clone(), step, 0.5, 1.2, 1e-6, 50.0, False)
    assert step.item() == 0.0 and m.numpy().tolist() == [0.0, 0.0, 0.0]
    assert o.rprop_step(p, None, m, v, step, 0.5, 1.2, 1e-6, 50.0, False) is False  # p has no grad


def test_minimize_least_squares():
    rng = np.random.default_rng(3)
    A = rb.tensor(rng.standard_normal((20, 4)).astype(np.float32))
    x_true = rng.standard_normal((4, 1)).astype(np.float32)
    y = A @ rb.tensor(x_true)
    for name, kw, steps in [
        ("Adamax", dict(lr=0.05), 1500),
        ("RAdam", dict(lr=0.05), 1500),
        ("Rprop", dict(lr=0.01), 300),
    ]:
        x = rb.zeros(4, 1, requires_grad=True)
        opt = getattr(rb.optim, name)([x], **kw)
        for _ in range(steps):
            opt.zero_grad()
            loss = ((A @ x - y) * (A @ x - y)).mean()
            loss.backward()
            opt.step()
        np.testing.assert_allclose(x.detach().numpy(), x_true, atol=2e-2, err_msg=name)


# ---------------------------------------------------------------------------------------------------
# LBFGS


def _rosenbrock(lib, dtype):
    x = lib.tensor(np.array([-1.5, 2.0], dtype=dtype), requires_grad=True)

    def loss_fn():
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    return [x], loss_fn


def _least_squares(lib, dtype):
    rng = np.random.default_rng(7)
    A = lib.tensor(rng.standard_normal((30, 6)).astype(dtype))
    b = lib.tensor(rng.standard_normal((30, 1)).astype(dtype))
    w = lib.tensor(np.zeros((6, 1), dtype=dtype), requires_grad=True)
    c = lib.tensor(np.zeros(1, dtype=dtype), requires_grad=True)

    def loss_fn():
        r = A @ w + c - b
        return (r * r).mean()

    return [w, c], loss_fn


def _mlp(lib, dtype):
    # 2-16-1 tanh MLP fitting x0 * x1
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, (64, 2)).astype(dtype)
    X, target = lib.tensor(x), lib.tensor(x[:, :1] * x[:, 1:])
    shapes = [(16, 2), (16,), (1, 16), (1,)]
    params = [lib.tensor((0.5 * rng.standard_normal(s)).astype(dtype), requires_grad=True) for s in shapes]
    W1, b1, W2, b2 = params

    def loss_fn():
        out = lib.tanh(X @ W1.t() + b1) @ W2.t() + b2
        return ((out - target) ** 2).mean()

    return params, loss_fn


PROBLEMS = {"rosenbrock": _rosenbrock, "least_squares": _least_squares, "mlp": _mlp}


def _lbfgs_run(lib, problem, dtype, kw, steps):
    params, loss_fn = PROBLEMS[problem](lib, dtype)
    opt = lib.optim.LBFGS(params, **kw)
    calls = []

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        calls.append(loss.item())
        return loss

    traj, losses = [], []
    for _ in range(steps):
        losses.append(opt.step(closure).item())
        traj.append([p.detach().numpy().copy() for p in params])
    return traj, losses, calls, opt, params, closure


LBFGS_CASES = [
    ("rosenbrock", dict(line_search_fn="strong_wolfe"), 4),
    ("rosenbrock", dict(lr=0.05, max_iter=10), 3),
    ("rosenbrock", dict(line_search_fn="strong_wolfe", history_size=3, max_iter=7), 3),
    ("least_squares", dict(), 2),
    ("least_squares", dict(line_search_fn="strong_wolfe"), 2),
    ("mlp", dict(line_search_fn="strong_wolfe", history_size=10), 3),
    ("mlp", dict(lr=0.5, max_iter=15, history_size=5), 3),
]
LBFGS_IDS = [f"{p}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'defaults'}" for p, kw, _ in LBFGS_CASES]


@requires_torch
@pytest.mark.parametrize("problem,kw,steps", LBFGS_CASES, ids=LBFGS_IDS)
def test_lbfgs_matches_torch_float64(problem, kw, steps):
    ours, losses, calls, opt, _, _ = _lbfgs_run(rb, problem, np.float64, kw, steps)
    ref, tlosses, tcalls, topt, _, _ = _lbfgs_run(torch, problem, np.float64, kw, steps)
    # The same closure evaluations and iterations, branch for branch. The iterates agree to the
    # rounding of dot products (OpenBLAS here, MKL in torch) as the iterations amplify it.
    assert len(calls) == len(tcalls)
    st, tst = opt.state[opt.param_groups[0]["params"][0]], topt.state[topt.param_groups[0]["params"][0]]
    assert st["func_evals"] == tst["func_evals"] == len(calls) and st["n_iter"] == tst["n_iter"]
    assert len(st["old_dirs"]) == len(tst["old_dirs"])
    np.testing.assert_allclose(calls, tcalls, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(losses, tlosses, rtol=1e-7, atol=1e-12)
    _assert_close(ours, ref, rtol=1e-6, atol=1e-9)
    assert calls[-1] < calls[0]  # it did minimize


# float32 trajectories that the iterations do not amplify chaotically (Rosenbrock's valley with a
# short history does: there float32 rounding alone moves the iterates, in torch as here)
LBFGS_F32 = [LBFGS_CASES[i] for i in (0, 1, 3, 4, 6)]


@requires_torch
@pytest.mark.parametrize("problem,kw,steps", LBFGS_F32, ids=[LBFGS_IDS[i] for i in (0, 1, 3, 4, 6)])
def test_lbfgs_matches_torch_float32(problem, kw, steps):
    ours, losses, calls, _, _, _ = _lbfgs_run(rb, problem, np.float32, kw, steps)
    ref, tlosses, tcalls, _, _, _ = _lbfgs_run(torch, problem, np.float32, kw, steps)
    assert ours[-1][0].dtype == np.float32
    np.testing.assert_allclose(losses, tlosses, rtol=1e-3, atol=1e-6)
    # float32 rounding differences (OpenBLAS vs MKL dot products) grow over up to 45 iterations:
    # on the non-convex MLP iterates agree to a few 1e-3 while the losses agree to 1e-3 (the float64
    # test above checks the algorithm branch for branch).
    _assert_close(ours, ref, rtol=5e-3, atol=5e-3)


def test_lbfgs_minimizes_rosenbrock():
    params, loss_fn = _rosenbrock(rb, np.float64)
    opt = rb.optim.LBFGS(params, line_search_fn="strong_wolfe", max_iter=100, tolerance_grad=1e-9, tolerance_change=0)

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    opt.step(closure)
    np.testing.assert_allclose(params[0].detach().numpy(), [1.0, 1.0], atol=1e-9)
    assert loss_fn().item() < 1e-18
    # at the optimum the gradient is below tolerance_grad: step returns after one evaluation
    st = opt.state[params[0]]
    evals, iters = st["func_evals"], st["n_iter"]
    opt.step(closure)
    assert st["func_evals"] == evals + 1 and st["n_iter"] == iters


def test_lbfgs_respects_max_iter_and_max_eval():
    params, loss_fn = _rosenbrock(rb, np.float64)
    opt = rb.optim.LBFGS(params, max_iter=6)
    assert opt.param_groups[0]["max_eval"] == 7  # max_iter * 5 // 4
    n = [0]

    def closure():
        n[0] += 1
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    opt.step(closure)
    # no line search: one evaluation, then one per iteration but the last
    assert n[0] == 6 and opt.state[params[0]]["n_iter"] == 6
    params, loss_fn = _rosenbrock(rb, np.float64)
    opt = rb.optim.LBFGS(params, max_iter=100, max_eval=9, line_search_fn="strong_wolfe")
    n[0] = 0
    opt.step(closure)
    assert opt.state[params[0]]["func_evals"] == n[0] <= 9 + 1


@requires_torch
@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_state_dict_matches_torch_and_torch_state_continues_here(line_search_fn):
    kw = dict(line_search_fn=line_search_fn, history_size=4, max_iter=8)
    _, _, _, opt, _, _ = _lbfgs_run(rb, "least_squares", np.float64, kw, 2)
    _, _, _, topt, tparams, tclosure = _lbfgs_run(torch, "least_squares", np.float64, kw, 2)
    sd, tsd = opt.state_dict(), topt.state_dict()
    assert sd["param_groups"] == tsd["param_groups"]
    assert list(sd["state"]) == list(tsd["state"]) == [0]
    st, tst = sd["state"][0], tsd["state"][0]
    assert sorted(st) == sorted(tst)
    for key, tv in tst.items():
        v = st[key]
        if isinstance(tv, list):
            assert len(v) == len(tv), key
            for a, b in zip(v, tv):
                if b is None:
                    assert a is None, key
                else:
                    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-8, atol=1e-12, err_msg=key)
        elif isinstance(tv, torch.Tensor):
            assert isinstance(v, rb.Tensor) and list(v.shape) == list(tv.shape), key
            np.testing.assert_allclose(v.numpy(), tv.numpy(), rtol=1e-8, atol=1e-12, err_msg=key)
        else:
            assert type(v) is type(tv) and v == pytest.approx(tv, rel=1e-9), key

    # torch's state_dict continues in rosenblatt as torch itself continues
    params, loss_fn = _least_squares(rb, np.float64)
    for p, tp in zip(params, tparams):
        p.detach().copy_(rb.tensor(tp.detach().numpy()))
    opt2 = rb.optim.LBFGS(params)
    opt2.load_state_dict(tsd)
    assert opt2.param_groups[0]["history_size"] == 4
    st2 = opt2.state[params[0]]
    assert isinstance(st2["old_dirs"][0], rb.Tensor) and isinstance(st2["d"], rb.Tensor)

    def closure():
        opt2.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    opt2.step(closure)
    topt.step(tclosure)
    assert st2["n_iter"] == topt.state[tparams[0]]["n_iter"]
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-8, atol=1e-10)


def test_lbfgs_state_dict_round_trip_resumes():
    kw = dict(line_search_fn="strong_wolfe", history_size=5, max_iter=5)
    full, _, _, _, _, _ = _lbfgs_run(rb, "mlp", np.float64, kw, 4)
    _, _, _, opt, params, _ = _lbfgs_run(rb, "mlp", np.float64, kw, 2)
    sd = opt.state_dict()
    params2, loss_fn = _mlp(rb, np.float64)
    for p, q in zip(params2, params):
        p.detach().copy_(q.detach())
    opt2 = rb.optim.LBFGS(params2)
    opt2.load_state_dict(sd)
    st, st2 = opt.state[params[0]], opt2.state[params2[0]]
    assert st2["old_dirs"][0] is not st["old_dirs"][0]  # copied
    np.testing.assert_array_equal(st2["d"].numpy(), st["d"].numpy())

    def closure():
        opt2.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    for t in (2, 3):
        opt2.step(closure)
        for p, ref in zip(params2, full[t]):
            np.testing.assert_array_equal(p.detach().numpy(), ref)


def test_lbfgs_errors():
    a = rb.zeros(2, requires_grad=True)
    b = rb.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        rb.optim.LBFGS([{"params": [a]}, {"params": [b]}])
    opt = rb.optim.LBFGS([a], line_search_fn="armijo")

    def closure():
        opt.zero_grad()
        loss = ((a - 1) ** 2).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)


def test_lbfgs_closure_runs_with_grad_enabled_and_params_without_grad():
    a = rb.tensor([3.0, -1.0], requires_grad=True)
    unused = rb.tensor([5.0], requires_grad=True)
    opt = rb.optim.LBFGS([a, unused], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((a - 1) ** 2).sum()
        loss.backward()
        return loss

    with rb.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 8.0  # the first evaluation's loss
    np.testing.assert_allclose(a.detach().numpy(), [1.0, 1.0], atol=1e-6)
    assert unused.item() == 5.0  # its gradient counts as zero
    assert a.grad_fn is None and a.requires_grad
