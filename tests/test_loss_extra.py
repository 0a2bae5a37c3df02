"""KLDivLoss, PoissonNLLLoss, GaussianNLLLoss, CosineEmbeddingLoss, MarginRankingLoss, TripletMarginLoss,
MultiLabelSoftMarginLoss, MultiMarginLoss, SoftMarginLoss and HingeEmbeddingLoss as modules against
PyTorch: values and gradients for their options, the legacy size_average/reduce arguments, buffers in
state_dict, and errors (type and message). Per-op numerics are in op_specs.py."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch
from test_nn_extra import _close, same_error


def _inputs(rng, shapes):
    """Each (shape, kind): 'x' a float to differentiate, 'sign' a +-1 target, 'prob' in (0, 1),
    'pos' in (0.2, 2), 'class<C>' int64 classes below C."""
    out = []
    for shape, kind in shapes:
        if kind == "sign":
            a = rng.choice([-1.0, 1.0], size=shape).astype(np.float32)
        elif kind == "prob":
            a = rng.uniform(0.05, 1.0, size=shape).astype(np.float32)
        elif kind == "pos":
            a = rng.uniform(0.2, 2.0, size=shape).astype(np.float32)
        elif kind.startswith("class"):
            a = rng.integers(0, int(kind[5:]), size=shape).astype(np.int64)
        else:
            a = rng.standard_normal(shape).astype(np.float32)
        grad = kind in ("x", "pos", "prob")
        out.append((rb.tensor(a, requires_grad=grad), torch.tensor(a, requires_grad=grad)))
    return out


X, SIGN = "x", "sign"
CASES = [
    ("KLDivLoss", dict(reduction="batchmean"), [((3, 5), X), ((3, 5), "prob")]),
    ("KLDivLoss", dict(reduction="sum", log_target=True), [((3, 5), X), ((3, 5), X)]),
    ("KLDivLoss", dict(reduction="none"), [((3, 5), X), ((5,), "prob")]),
    ("PoissonNLLLoss", {}, [((4, 3), X), ((4, 3), "pos")]),
    ("PoissonNLLLoss", dict(log_input=False, full=True, eps=1e-4, reduction="sum"), [((4, 3), "pos"), ((4, 3), "pos")]),
    ("GaussianNLLLoss", {}, [((4, 3), X), ((4, 3), X), ((4, 3), "pos")]),
    ("GaussianNLLLoss", dict(full=True, eps=0.5, reduction="none"), [((4, 3), X), ((4, 3), X), ((4,), "pos")]),
    ("GaussianNLLLoss", dict(reduction="sum"), [((4, 3), X), ((4, 3), X), ((4, 1), "pos")]),
    ("CosineEmbeddingLoss", dict(margin=0.1), [((5, 4), X), ((5, 4), X), ((5,), SIGN)]),
    ("CosineEmbeddingLoss", dict(reduction="none"), [((4,), X), ((4,), X), ((), SIGN)]),
    ("MarginRankingLoss", dict(margin=0.5), [((6,), X), ((6,), X), ((6,), SIGN)]),
    ("MarginRankingLoss", dict(reduction="sum"), [((2, 3), X), ((2, 3), X), ((2, 3), SIGN)]),
    ("TripletMarginLoss", dict(margin=3.0), [((5, 4), X), ((5, 4), X), ((5, 4), X)]),
    ("TripletMarginLoss", dict(margin=2.0, p=1, swap=True, reduction="none"), [((5, 4), X), ((5, 4), X), ((5, 4), X)]),
    ("TripletMarginLoss", dict(margin=2.0), [((4,), X), ((4,), X), ((4,), X)]),
    ("MultiLabelSoftMarginLoss", {}, [((3, 5), X), ((3, 5), "prob")]),
    ("MultiLabelSoftMarginLoss", dict(reduction="none"), [((2, 3, 5), X), ((2, 3, 5), "prob")]),
    ("MultiMarginLoss", {}, [((4, 5), X), ((4,), "class5")]),
    ("MultiMarginLoss", dict(p=2, margin=2.0, reduction="none"), [((4, 5), X), ((4,), "class5")]),
    ("SoftMarginLoss", {}, [((3, 4), X), ((3, 4), SIGN)]),
    ("SoftMarginLoss", dict(reduction="none"), [((3, 4), X), ((4,), SIGN)]),
    ("HingeEmbeddingLoss", dict(margin=0.5), [((3, 4), X), ((3, 4), SIGN)]),
    ("HingeEmbeddingLoss", dict(reduction="none"), [((3, 4), X), ((4,), SIGN)]),
]


@requires_torch
@pytest.mark.parametrize("name,kw,shapes", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_loss_module_matches_torch(rng, name, kw, shapes):
    pairs = _inputs(rng, shapes)
    m, mt = getattr(rb.nn, name)(**kw), getattr(torch.nn, name)(**kw)
    assert repr(m) == repr(mt)
    y, yt = m(*[p[0] for p in pairs]), mt(*[p[1] for p in pairs])
    assert tuple(y.shape) == tuple(yt.shape)
    _close(y, yt)
    g = rng.standard_normal(tuple(yt.shape)).astype(np.float32)
    (y * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    for r, t in pairs:
        if t.requires_grad:
            _close(r.grad, t.grad, atol=1e-4, rtol=1e-3)


@requires_torch
def test_weighted_losses_keep_weight_as_a_buffer(rng):
    w = rng.uniform(0.5, 2, size=5).astype(np.float32)
    for name, kw in (("MultiMarginLoss", dict(p=2)), ("MultiLabelSoftMarginLoss", {})):
        m, mt = getattr(rb.nn, name)(weight=rb.tensor(w), **kw), getattr(torch.nn, name)(weight=torch.tensor(w), **kw)
        assert list(m.state_dict()) == list(mt.state_dict()) == ["weight"]
        assert [n for n, _ in m.named_parameters()] == []
        (x, xt), = _inputs(rng, [((4, 5), X)])
        tgt = rng.integers(0, 5, size=4) if name == "MultiMarginLoss" else rng.uniform(0, 1, size=(4, 5))
        y = m(x, rb.tensor(tgt.astype(np.int64 if name == "MultiMarginLoss" else np.float32)))
        yt = mt(xt, torch.tensor(tgt.astype(np.int64 if name == "MultiMarginLoss" else np.float32)))
        _close(y, yt)
        y.backward()
        yt.backward()
        _close(x.grad, xt.grad)


@requires_torch
@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True), (False, True)])
def test_legacy_size_average_and_reduce(rng, size_average, reduce):
    for name, shapes in (("SoftMarginLoss", [((3, 4), X), ((3, 4), SIGN)]),
                         ("KLDivLoss", [((3, 4), X), ((3, 4), "prob")]),
                         ("MarginRankingLoss", [((5,), X), ((5,), X), ((5,), SIGN)]),
                         ("MultiMarginLoss", [((3, 4), X), ((3,), "class4")])):
        pairs = _inputs(rng, shapes)
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            m = getattr(rb.nn, name)(size_average=size_average, reduce=reduce)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mt = getattr(torch.nn, name)(size_average=size_average, reduce=reduce)
        assert m.reduction == mt.reduction
        _close(m(*[p[0] for p in pairs]), mt(*[p[1] for p in pairs]))


def test_kl_div_mean_warns_and_batchmean_divides_by_the_batch():
    x = rb.log(rb.full((4, 3), 1 / 3))
    t = rb.tensor(np.full((4, 3), 1 / 3, np.float32)) * 2
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        mean = rb.nn.functional.kl_div(x, t)
    total = rb.nn.functional.kl_div(x, t, reduction="sum").item()
    assert mean.item() == pytest.approx(total / 12, rel=1e-6)
    assert rb.nn.functional.kl_div(x, t, reduction="batchmean").item() == pytest.approx(total / 4, rel=1e-6)
    assert rb.nn.functional.kl_div(x[0, 0], t[0, 0], reduction="batchmean").item() == \
        pytest.approx(total / 12, rel=1e-6)


@requires_torch
def test_gaussian_nll_float_var_and_clamped_var_gradient(rng):
    (x, xt), (y, yt) = _inputs(rng, [((4, 3), X), ((4, 3), X)])
    _close(rb.nn.functional.gaussian_nll_loss(x, y, 0.5), torch.nn.functional.gaussian_nll_loss(xt, yt, 0.5))
    # var below eps: the loss reads eps, the gradient flows to var as if unclamped (torch's no_grad clamp_)
    v = rb.tensor(np.full((4, 3), 1e-8, np.float32), requires_grad=True)
    vt = torch.tensor(np.full((4, 3), 1e-8, np.float32), requires_grad=True)
    rb.nn.functional.gaussian_nll_loss(x, y, v, eps=0.1).backward()
    torch.nn.functional.gaussian_nll_loss(xt, yt, vt, eps=0.1).backward()
    _close(v.grad, vt.grad)


@requires_torch
def test_failed_calls_change_nothing():
    m = rb.nn.MultiMarginLoss(weight=rb.ones(4))
    x = rb.zeros(2, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="target out of range"):
        m(x, rb.tensor(np.array([0, 4])))
    assert x.grad is None and list(m.weight.numpy()) == [1, 1, 1, 1]


ERRORS = [
    lambda L: L.nn.functional.cosine_embedding_loss(L.ones(4, 5), L.ones(4, 6), L.ones(4)),
    lambda L: L.nn.functional.cosine_embedding_loss(L.ones(4, 5), L.ones(4, 5), L.ones(1, 4)),
    lambda L: L.nn.functional.cosine_embedding_loss(L.ones(2, 4, 5), L.ones(2, 4, 5), L.ones(4)),
    lambda L: L.nn.functional.cosine_embedding_loss(L.ones(4, 5), L.ones(4, 5), L.ones(3)),
    lambda L: L.nn.functional.margin_ranking_loss(L.ones(4), L.ones(3), L.ones(4)),
    lambda L: L.nn.functional.margin_ranking_loss(L.ones(4), L.ones(1, 4), L.ones(4)),
    lambda L: L.nn.functional.triplet_margin_loss(L.ones(4, 5), L.ones(4, 5), L.ones(5)),
    lambda L: L.nn.functional.triplet_margin_loss(L.ones(4, 5), L.ones(4, 5), L.ones(4, 5), margin=0),
    lambda L: L.nn.functional.triplet_margin_loss(L.ones(4, 5), L.ones(3, 5), L.ones(4, 5)),
    lambda L: L.nn.TripletMarginLoss(margin=-1.0),
    lambda L: L.nn.functional.hinge_embedding_loss(L.ones(4, 5), L.ones(3)),
    lambda L: L.nn.functional.soft_margin_loss(L.ones(4, 5), L.ones(3)),
    lambda L: L.nn.functional.kl_div(L.ones(4, 5), L.ones(3), reduction="sum"),
    lambda L: L.nn.functional.kl_div(L.ones(4, 5), L.ones(4, 5), reduction="foo"),
    lambda L: L.nn.functional.poisson_nll_loss(L.ones(4, 5), L.ones(4, 5), reduction="foo"),
    lambda L: L.nn.functional.multilabel_soft_margin_loss(L.ones(4, 5), L.ones(4, 5), reduction="foo"),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.zeros(4, dtype=L.int64), p=3),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.zeros(4, dtype=L.int64), weight=L.ones(1, 5)),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.zeros(4, dtype=L.int64), weight=L.ones(4)),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.tensor([0, 1, 2, 5])),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.tensor([0, 1, 2, -1])),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.tensor([0, 1, 2])),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.tensor([[0, 1, 2, 3]])),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(2, 4, 5), L.tensor([0, 1])),
    lambda L: L.nn.functional.multi_margin_loss(L.ones(4, 5), L.zeros(4)),
    lambda L: L.nn.MultiMarginLoss(p=3),
    lambda L: L.nn.MultiMarginLoss(weight=L.ones(2, 2)),
    lambda L: L.nn.functional.gaussian_nll_loss(L.ones(4, 5), L.ones(4, 5), L.ones(3)),
    lambda L: L.nn.functional.gaussian_nll_loss(L.ones(4, 5), L.ones(4, 5), -L.ones(4, 5)),
    lambda L: L.nn.functional.gaussian_nll_loss(L.ones(4, 5), L.ones(4, 5), -1.0),
    lambda L: L.nn.functional.gaussian_nll_loss(L.ones(4, 5), L.ones(4, 5), L.ones(4, 5), reduction="foo"),
    lambda L: L.nn.functional.gaussian_nll_loss(L.ones(4, 5), L.ones(4, 5), L.ones(2, 2)),
]


@requires_torch
@pytest.mark.parametrize("call", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_loss_errors_match_torch(call):
    same_error(call)


@requires_torch
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
def test_multi_margin_loss_integer_storage_as_pytorch(dtype):
    # PyTorch 2.13's kernel is floating-point only: a non-empty integer input raises its NotImplementedError
    # (after the weight checks); an empty batch returns before the kernel, an empty 'none' loss of the dtype.
    x = np.array([[1, 5, 3, 0], [2, 2, 9, 1], [4, 0, 0, 7]])
    for lib in (rb, torch):
        dt = getattr(lib, dtype)
        xi, y = lib.tensor(x).to(dt), lib.tensor([0, 2, 1])
        for kw in ({}, {"reduction": "sum"}, {"p": 2, "margin": 0.7, "weight": lib.ones(4, dtype=dt)}):
            with pytest.raises(NotImplementedError, match="\"multi_margin_loss_cpu_kernel\" not implemented for"):
                lib.nn.functional.multi_margin_loss(xi, y, **kw)
        with pytest.raises(RuntimeError, match="inconsistent weight size, expected 4 but got"):
            lib.nn.functional.multi_margin_loss(xi, y, weight=lib.ones(3, dtype=dt))
        out = lib.nn.functional.multi_margin_loss(xi[:0], y[:0], reduction="none")
        assert out.dtype == dt and tuple(out.shape) == (0,)
    # PyTorch's empty sum and mean are uninitialised memory: ours the empty sum, and the mean refused.
    e = rb.tensor(x).to(getattr(rb, dtype))[:0]
    assert rb.nn.functional.multi_margin_loss(e, rb.tensor([0])[:0], reduction="sum").tolist() in (0, False)
    with pytest.raises(NotImplementedError, match="not implemented for"):
        rb.nn.functional.multi_margin_loss(e, rb.tensor([0])[:0])
