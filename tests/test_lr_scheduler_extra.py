"""SequentialLR and ChainedScheduler (schedulers made of schedulers) and CyclicLR's momentum and
scale functions: lr sequences equal torch's over 40 steps, state_dicts equal torch's and round-trip."""

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch
from test_lr_scheduler import _optimizer


def _seq_constant_exp(lib, opt):
    S = lib.optim.lr_scheduler
    return S.SequentialLR(
        opt, [S.ConstantLR(opt, factor=0.1, total_iters=5), S.ExponentialLR(opt, gamma=0.9)], milestones=[5]
    )


def _seq_three(lib, opt):
    S = lib.optim.lr_scheduler
    return S.SequentialLR(
        opt,
        [
            S.LinearLR(opt, start_factor=0.1, total_iters=4),
            S.CosineAnnealingLR(opt, T_max=10, eta_min=0.001),
            S.StepLR(opt, step_size=3, gamma=0.5),
        ],
        milestones=[4, 14],
    )


def _seq_warm_restarts(lib, opt):
    S = lib.optim.lr_scheduler
    return S.SequentialLR(
        opt,
        [S.LinearLR(opt, start_factor=0.25, total_iters=3), S.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2)],
        milestones=[3],
    )


def _seq_poly_multistep(lib, opt):
    S = lib.optim.lr_scheduler
    return S.SequentialLR(
        opt,
        [S.PolynomialLR(opt, total_iters=8, power=2.0), S.MultiStepLR(opt, milestones=[5, 12], gamma=0.3)],
        milestones=[6],
    )


def _chain_constant_exp(lib, opt):
    S = lib.optim.lr_scheduler
    return S.ChainedScheduler([S.ConstantLR(opt, factor=0.1, total_iters=8), S.ExponentialLR(opt, gamma=0.9)])


def _chain_linear_multistep(lib, opt):
    S = lib.optim.lr_scheduler
    return S.ChainedScheduler(
        [S.LinearLR(opt, start_factor=0.5, total_iters=6), S.MultiStepLR(opt, milestones=[4, 9], gamma=0.5)],
        optimizer=opt,
    )


def _seq_of_chain(lib, opt):
    # nested: a chain of two schedules, then a decay (a chain after a milestone is torch's limit: it
    # has no closed form to restart from)
    S = lib.optim.lr_scheduler
    chain = S.ChainedScheduler([S.LinearLR(opt, start_factor=0.2, total_iters=4), S.ExponentialLR(opt, gamma=0.95)])
    return S.SequentialLR(opt, [chain, S.StepLR(opt, step_size=4, gamma=0.5)], milestones=[6])


COMPOSITES = {
    "seq-constant-exp": _seq_constant_exp,
    "seq-three": _seq_three,
    "seq-warm-restarts": _seq_warm_restarts,
    "seq-poly-multistep": _seq_poly_multistep,
    "chain-constant-exp": _chain_constant_exp,
    "chain-linear-multistep": _chain_linear_multistep,
    "seq-of-chain": _seq_of_chain,
}
STEPS = 40
# torch warns when a chain's sub-schedulers step at construction (seq-of-chain); the rates still match
_TORCH_ORDER_WARNING = pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)`")


def _composite(lib, name, steps=STEPS):
    opt = _optimizer(lib)
    sched = COMPOSITES[name](lib, opt)
    seq = [list(sched.get_last_lr())]
    for _ in range(steps):
        opt.step()
        sched.step()
        seq.append(list(sched.get_last_lr()))
        assert [g["lr"] for g in opt.param_groups] == seq[-1]
    return seq, opt, sched


@requires_torch
@_TORCH_ORDER_WARNING
@pytest.mark.parametrize("name", COMPOSITES)
def test_composite_lr_sequence_matches_torch(name):
    ours, _, _ = _composite(rb, name)
    ref, _, _ = _composite(torch, name)
    assert len(ours) == STEPS + 1
    for e, (a, b) in enumerate(zip(ours, ref)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0, err_msg=f"step {e}")
    assert len({tuple(x) for x in ours}) > 5  # the schedule moves


def _same_state(a, b):
    assert sorted(a) == sorted(b)
    for k in b:
        if k == "_schedulers":
            assert len(a[k]) == len(b[k])
            for x, y in zip(a[k], b[k]):
                _same_state(x, y)
        else:
            assert a[k] == b[k], k


@requires_torch
@_TORCH_ORDER_WARNING
@pytest.mark.parametrize("name", COMPOSITES)
def test_composite_state_dict_matches_torch(name):
    _, _, ours = _composite(rb, name, steps=7)
    _, _, ref = _composite(torch, name, steps=7)
    _same_state(ours.state_dict(), ref.state_dict())


@pytest.mark.parametrize("name", COMPOSITES)
def test_composite_state_dict_round_trip(name):
    full, _, _ = _composite(rb, name)
    opt = _optimizer(rb)
    sched = COMPOSITES[name](rb, opt)
    for _ in range(12):
        opt.step()
        sched.step()
    sd, osd = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in sd and all("optimizer" not in s for s in sd["_schedulers"])
    opt2 = _optimizer(rb)
    sched2 = COMPOSITES[name](rb, opt2)
    opt2.load_state_dict(osd)
    sched2.load_state_dict(sd)
    assert "_schedulers" in sd  # loading left the caller's dict whole
    assert sched2.get_last_lr() == full[12]
    for e in range(13, STEPS + 1):
        opt2.step()
        sched2.step()
        assert sched2.get_last_lr() == full[e], f"step {e}"


def test_sequential_switches_at_the_milestone():
    opt = _optimizer(rb)
    sched = _seq_constant_exp(rb, opt)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(8):
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    np.testing.assert_allclose(lrs[:5], [0.01] * 5, rtol=1e-12)  # ConstantLR's factor 0.1
    np.testing.assert_allclose(lrs[5:], [0.1, 0.09, 0.081, 0.0729], rtol=1e-12)  # ExponentialLR from 0.1


def test_chained_multiplies_the_factors():
    opt = _optimizer(rb)
    sched = _chain_constant_exp(rb, opt)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(9):
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    want = [0.1 * 0.9**e * (0.1 if e < 8 else 1.0) for e in range(10)]
    np.testing.assert_allclose(lrs, want, rtol=1e-12)


def test_composite_errors():
    S = rb.optim.lr_scheduler
    opt, other = _optimizer(rb), _optimizer(rb)
    a, b = S.ExponentialLR(opt, gamma=0.9), S.ExponentialLR(other, gamma=0.9)
    with pytest.raises(ValueError, match="expects at least one scheduler"):
        S.SequentialLR(opt, [], milestones=[])
    with pytest.raises(ValueError, match="expects at least one scheduler to be chained"):
        S.ChainedScheduler([])
    with pytest.raises(ValueError, match="one more than the number of milestone points"):
        S.SequentialLR(opt, [a], milestones=[3])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        S.SequentialLR(opt, [a, b], milestones=[3])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        S.ChainedScheduler([a, b])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        S.ChainedScheduler([a, S.ReduceLROnPlateau(opt)])
    with pytest.raises(TypeError, match="should have `optimizer` as its attribute"):
        S.SequentialLR(opt, [a, object()], milestones=[2])


# ---------------------------------------------------------------------------------------------------
# CyclicLR


class HalfEachCycle:
    """A callable scale_fn: its attributes go into CyclicLR's state_dict."""

    def __init__(self, base):
        self.base = base

    def __call__(self, x):
        return self.base ** (x - 1)


@requires_torch
@pytest.mark.parametrize(
    "kw",
    [
        dict(base_lr=0.01, max_lr=0.1, step_size_up=4),
        dict(base_lr=0.001, max_lr=0.05, step_size_up=3, step_size_down=6, mode="exp_range", gamma=0.97),
        dict(base_lr=0.01, max_lr=0.1, step_size_up=5, base_momentum=0.7, max_momentum=0.95),
    ],
)
@pytest.mark.parametrize("optim", ["SGD", "Adam"])
def test_cyclic_cycles_momentum_like_torch(kw, optim):
    seqs = []
    for lib in (rb, torch):
        p = lib.zeros(2, requires_grad=True)
        opt = lib.optim.SGD([p], lr=0.1, momentum=0.9) if optim == "SGD" else lib.optim.Adam([p], lr=0.1)
        sched = lib.optim.lr_scheduler.CyclicLR(opt, **kw)
        key = "momentum" if optim == "SGD" else "betas"
        seq = [(opt.param_groups[0]["lr"], opt.param_groups[0][key])]
        for _ in range(30):
            opt.step()
            sched.step()
            seq.append((opt.param_groups[0]["lr"], opt.param_groups[0][key]))
        seqs.append(seq)
        assert opt.param_groups[0]["max_momentum"] == kw.get("max_momentum", 0.9)
    assert seqs[0] == seqs[1]
    assert len({m for _, m in seqs[0]}) > 3  # the momentum did cycle


@requires_torch
def test_cyclic_custom_scale_fn_matches_torch_and_saves_its_attributes():
    out = []
    for lib in (rb, torch):
        opt = _optimizer(lib)
        fn = HalfEachCycle(0.5)
        sched = lib.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=fn)
        seq = [sched.get_last_lr()]
        for _ in range(20):
            opt.step()
            sched.step()
            seq.append(sched.get_last_lr())
        out.append((seq, sched.state_dict()))
    (seq, sd), (tseq, tsd) = out
    assert seq == tseq
    assert sd["_scale_fn_custom"] == tsd["_scale_fn_custom"] == {"base": 0.5}
    assert "_scale_fn_ref" not in sd and sorted(sd) == sorted(tsd)
    # a function is not saved; loading restores a callable object's attributes
    fn2 = HalfEachCycle(0.9)
    sched2 = rb.optim.lr_scheduler.CyclicLR(_optimizer(rb), base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=fn2)
    sched2.load_state_dict(sd)
    assert fn2.base == 0.5 and sched2.last_epoch == 20
    lam = rb.optim.lr_scheduler.CyclicLR(_optimizer(rb), 0.01, 0.1, scale_fn=lambda x: 1.0)
    assert lam.state_dict()["_scale_fn_custom"] is None


def test_cyclic_triangle_values_and_errors():
    opt = _optimizer(rb)
    sched = rb.optim.lr_scheduler.CyclicLR(opt, base_lr=0.0, max_lr=1.0, step_size_up=2, step_size_down=4)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(7):
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    np.testing.assert_allclose(lrs, [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0, 0.5], atol=1e-12)
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.9 - 0.1 * 0.5)  # inverse of the lr
    with pytest.raises(ValueError, match="mode is invalid and scale_fn is None"):
        rb.optim.lr_scheduler.CyclicLR(_optimizer(rb), 0.01, 0.1, mode="sawtooth")
    p = rb.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        rb.optim.lr_scheduler.CyclicLR(rb.optim.Adagrad([p]), 0.01, 0.1)
    with pytest.raises(ValueError, match="base_lr must have the same length as optimizer.param_groups"):
        rb.optim.lr_scheduler.CyclicLR(_optimizer(rb), [0.01], 0.1)
