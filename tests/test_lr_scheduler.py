"""rosenblatt.optim.lr_scheduler: learning-rate sequences over 30 epochs equal torch's for every
scheduler, ReduceLROnPlateau on metric sequences, state_dict round trips and errors. The schedulers
made of schedulers (SequentialLR, ChainedScheduler) and CyclicLR's momentum are in test_lr_scheduler_extra.py."""

import math

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


class Warmup:
    """A callable object: its attributes go into LambdaLR's state_dict."""

    def __init__(self, n):
        self.n = n

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.n)


SCHEDULERS = [
    ("StepLR", lambda lib: dict(step_size=7, gamma=0.5)),
    ("StepLR", lambda lib: dict(step_size=1)),
    ("MultiStepLR", lambda lib: dict(milestones=[3, 10, 10, 25], gamma=0.3)),
    ("ExponentialLR", lambda lib: dict(gamma=0.9)),
    ("CosineAnnealingLR", lambda lib: dict(T_max=10)),  # 30 epochs: past T_max, the curve comes back up
    ("CosineAnnealingLR", lambda lib: dict(T_max=7, eta_min=0.01)),
    ("LambdaLR", lambda lib: dict(lr_lambda=lambda e: 0.95**e)),
    ("LambdaLR", lambda lib: dict(lr_lambda=[lambda e: 1.0 / (e + 1), Warmup(5)])),
    ("MultiplicativeLR", lambda lib: dict(lr_lambda=lambda e: 0.97)),
    ("ConstantLR", lambda lib: dict(factor=0.25, total_iters=6)),
    ("LinearLR", lambda lib: dict(start_factor=0.1, end_factor=0.9, total_iters=12)),
    ("LinearLR", lambda lib: dict()),
    ("PolynomialLR", lambda lib: dict(total_iters=20, power=2.0)),
    ("CosineAnnealingWarmRestarts", lambda lib: dict(T_0=4, T_mult=2, eta_min=0.001)),
    ("CosineAnnealingWarmRestarts", lambda lib: dict(T_0=7)),
    ("OneCycleLR", lambda lib: dict(max_lr=[0.5, 0.2], total_steps=30)),
    (
        "OneCycleLR",
        lambda lib: dict(
            max_lr=0.3,
            epochs=3,
            steps_per_epoch=10,
            anneal_strategy="linear",
            three_phase=True,
            pct_start=0.25,
        ),
    ),
    ("CyclicLR", lambda lib: dict(base_lr=0.01, max_lr=0.1, step_size_up=4)),
    (
        "CyclicLR",
        lambda lib: dict(
            base_lr=[0.01, 0.005], max_lr=[0.1, 0.2], step_size_up=3, step_size_down=5, mode="triangular2"
        ),
    ),
    (
        "CyclicLR",
        lambda lib: dict(
            base_lr=0.001, max_lr=0.1, step_size_up=5, mode="exp_range", gamma=0.95, cycle_momentum=False
        ),
    ),
]
SCHED_IDS = [f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULERS)]


def _optimizer(lib):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(3, requires_grad=True)
    return lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)


def _sequence(lib, name, kwargs, epochs=30):
    opt = _optimizer(lib)
    sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs(lib))
    seq = [sched.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seq.append(sched.get_last_lr())
        assert [g["lr"] for g in opt.param_groups] == seq[-1]
    return seq, opt, sched


@requires_torch
@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=SCHED_IDS)
def test_lr_sequence_matches_torch(name, kwargs):
    ours, opt, _ = _sequence(rb, name, kwargs)
    ref, _, _ = _sequence(torch, name, kwargs)
    assert len(ours) == 31
    for e, (a, b) in enumerate(zip(ours, ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, err_msg=f"epoch {e}")
    if name not in ("OneCycleLR", "CyclicLR"):  # which set initial_lr to max_lr / div_factor, base_lr
        assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]


@requires_torch
def test_one_cycle_cycles_momentum_like_torch():
    seqs = []
    for lib in (rb, torch):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.Adam([p], lr=0.1)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.4, total_steps=20)
        seq = []
        for _ in range(19):
            opt.step()
            sched.step()
            seq.append((opt.param_groups[0]["lr"], opt.param_groups[0]["betas"]))
        seqs.append(seq)
    assert seqs[0] == seqs[1]


def test_closed_forms():
    opt = _optimizer(rb)
    sched = rb.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    seq = [sched.get_last_lr()[0]]
    for _ in range(9):
        sched.step()
        seq.append(sched.get_last_lr()[0])
    np.testing.assert_allclose(seq, [0.1 * 0.5 ** (e // 3) for e in range(10)], rtol=1e-15)
    opt = _optimizer(rb)
    sched = rb.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
    for e in range(1, 11):
        sched.step()
        want = 0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * e / 10)) / 2
        assert abs(sched.get_last_lr()[0] - want) < 1e-12
    opt = _optimizer(rb)
    sched = rb.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 4], gamma=0.1)
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(5)  # jumps with the closed form
    assert abs(sched.get_last_lr()[0] - 0.1 * 0.01) < 1e-15


def test_scheduler_drives_the_optimizer():
    p = rb.tensor([1.0], requires_grad=True)
    opt = rb.optim.SGD([p], lr=1.0)
    sched = rb.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    for _ in range(3):
        p.grad = rb.tensor([1.0])
        opt.step()
        sched.step()
    np.testing.assert_allclose(p.detach().numpy(), [1.0 - 1.0 - 0.5 - 0.25])


PLATEAU = [
    dict(),
    dict(mode="min", factor=0.5, patience=2, threshold=0.01, threshold_mode="rel", cooldown=1, min_lr=0.004),
    dict(mode="min", factor=0.5, patience=0, threshold=0.05, threshold_mode="abs", min_lr=[0.01, 0.0]),
    dict(mode="max", factor=0.2, patience=1, threshold=0.0, cooldown=2),
    dict(mode="max", factor=0.7, patience=3, threshold=0.1, threshold_mode="abs", eps=1e-3),
]


def _metrics():
    rng = np.random.default_rng(5)
    # improves, stalls, bounces, improves again: every branch of the schedule is taken
    base = np.concatenate(
        [np.linspace(1.0, 0.5, 8), np.full(10, 0.5), np.linspace(0.5, 0.2, 6), np.full(16, 0.2)]
    )
    return [float(x) for x in base + 0.01 * rng.standard_normal(base.size)]


def _plateau(lib, kw, metrics):
    opt = _optimizer(lib)
    sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    seq = []
    for m in metrics:
        sched.step(m)
        seq.append(sched.get_last_lr())
    return seq, sched


@requires_torch
@pytest.mark.parametrize("kw", PLATEAU, ids=[str(i) for i in range(len(PLATEAU))])
def test_reduce_on_plateau_matches_torch(kw):
    metrics = _metrics()
    ours, sched = _plateau(rb, kw, metrics)
    ref, tsched = _plateau(torch, kw, metrics)
    assert ours == ref
    assert len(set(map(tuple, ours))) > 1  # the lr did change
    sd, tsd = sched.state_dict(), tsched.state_dict()
    assert sorted(sd) == sorted(tsd)
    assert {k: sd[k] for k in sd} == {k: tsd[k] for k in tsd}


def test_reduce_on_plateau_rules():
    opt = _optimizer(rb)
    sched = rb.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=2, factor=0.5)
    for m in [1.0, 1.0, 1.0]:
        sched.step(m)
    assert sched.get_last_lr() == [0.1, 0.05]  # two bad epochs: not more than patience
    sched.step(1.0)
    assert sched.get_last_lr() == [0.05, 0.025]
    sched.step(rb.tensor(0.5))  # a one-element tensor metric
    assert sched.best == 0.5 and sched.num_bad_epochs == 0
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        rb.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode foo is unknown"):
        rb.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="foo")
    with pytest.raises(ValueError, match="threshold mode bar is unknown"):
        rb.optim.lr_scheduler.ReduceLROnPlateau(opt, threshold_mode="bar")
    with pytest.raises(ValueError, match="expected 2 min_lrs, got 1"):
        rb.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.1])


@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=SCHED_IDS)
def test_state_dict_round_trip(name, kwargs):
    full, _, _ = _sequence(rb, name, kwargs, epochs=30)
    opt = _optimizer(rb)
    sched = getattr(rb.optim.lr_scheduler, name)(opt, **kwargs(rb))
    for _ in range(12):
        opt.step()
        sched.step()
    sd = sched.state_dict()
    osd = opt.state_dict()
    assert (
        "optimizer" not in sd
        and sd["last_epoch"] == 12
        and sd["base_lrs"] == [g["initial_lr"] for g in opt.param_groups]
    )
    opt2 = _optimizer(rb)
    sched2 = getattr(rb.optim.lr_scheduler, name)(opt2, **kwargs(rb))
    opt2.load_state_dict(osd)
    sched2.load_state_dict(sd)
    assert sched2.get_last_lr() == full[12]
    for e in range(13, 31):
        opt2.step()
        sched2.step()
        assert sched2.get_last_lr() == full[e], f"epoch {e}"


@requires_torch
@pytest.mark.parametrize("name,kwargs", SCHEDULERS, ids=SCHED_IDS)
def test_state_dict_keys_match_torch(name, kwargs):
    _, _, ours = _sequence(rb, name, kwargs, epochs=3)
    _, _, ref = _sequence(torch, name, kwargs, epochs=3)
    a, b = ours.state_dict(), ref.state_dict()
    assert sorted(a) == sorted(b)
    for k in b:
        if k != "lr_lambdas":
            assert a[k] == b[k], k
    if "lr_lambdas" in b:
        assert a["lr_lambdas"] == b["lr_lambdas"]


def test_lambda_state_dict_restores_callable_objects():
    opt = _optimizer(rb)
    w = Warmup(5)
    sched = rb.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 1.0, w])
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [None, {"n": 5}]
    w2 = Warmup(99)
    sched2 = rb.optim.lr_scheduler.LambdaLR(_optimizer(rb), lr_lambda=[lambda e: 1.0, w2])
    sched2.load_state_dict(sd)
    assert w2.n == 5


def test_scheduler_errors():
    with pytest.raises(TypeError, match="is not an Optimizer"):
        rb.optim.lr_scheduler.StepLR(object(), step_size=2)
    opt = _optimizer(rb)
    with pytest.raises(KeyError, match="initial_lr"):
        rb.optim.lr_scheduler.StepLR(opt, step_size=2, last_epoch=3)
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        rb.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 1.0])
    with pytest.raises(TypeError, match="lr_lambda should be a function, but got int"):
        rb.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=3)
    with pytest.raises(ValueError, match="Constant multiplicative factor expected to be between 0 and 1"):
        rb.optim.lr_scheduler.ConstantLR(opt, factor=2.0)
    with pytest.raises(ValueError, match="Starting multiplicative factor expected"):
        rb.optim.lr_scheduler.LinearLR(opt, start_factor=0.0)
