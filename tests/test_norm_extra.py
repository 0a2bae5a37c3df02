"""nn.GroupNorm, nn.RMSNorm, nn.InstanceNorm1d/2d and their F functions against PyTorch: values,
gradients of input and parameters, state_dict keys, InstanceNorm's running statistics, unbatched
inputs, and errors with shapes (a failed call leaves the buffers untouched)."""
import math
import warnings

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, assert_low_precision_parity, requires_torch, torch


def _run(mod_r, mod_t, x, seed=1):
    """Forward both modules on x, backward the same random upstream gradient; returns both outputs."""
    xr, xt = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yr, yt = mod_r(xr), mod_t(xt)
    g = np.random.default_rng(seed).standard_normal(tuple(yt.shape)).astype(x.dtype)
    yr.backward(rb.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-5, rtol=1e-4)
    np.testing.assert_allclose(xr.grad.numpy(), xt.grad.numpy(), atol=1e-4, rtol=1e-4)
    for (name, pr), (_, pt) in zip(mod_r.named_parameters(), mod_t.named_parameters()):
        np.testing.assert_allclose(pr.grad.numpy(), pt.grad.numpy(), atol=1e-4, rtol=1e-4, err_msg=name)
    return yr, yt


def _same_params(mod_r, mod_t, rng):
    """Random parameters, copied into both (so the affine part is tested, not just ones and zeros)."""
    sd = {k: rng.standard_normal(tuple(v.shape)).astype(np.float32) for k, v in mod_t.state_dict().items()
          if v.is_floating_point()}
    mod_t.load_state_dict({k: torch.tensor(v) for k, v in sd.items()}, strict=False)
    mod_r.load_state_dict({k: rb.tensor(v) for k, v in sd.items()}, strict=False)


@requires_torch
@pytest.mark.parametrize("shape,groups,kw", [((4, 6, 5, 3), 3, {}), ((2, 8, 7), 2, {"eps": 1e-3}),
                                             ((3, 4), 4, {"affine": False}), ((2, 6, 64, 33), 6, {"bias": False}),
                                             ((1, 12, 9), 1, {})])
def test_group_norm_module_matches_pytorch(shape, groups, kw, rng):
    mr, mt = rb.nn.GroupNorm(groups, shape[1], **kw), torch.nn.GroupNorm(groups, shape[1], **kw)
    assert list(mr.state_dict()) == list(mt.state_dict())
    assert repr(mr) == repr(mt)
    _same_params(mr, mt, rng)
    _run(mr, mt, (rng.standard_normal(shape) * 3 + 1).astype(np.float32))


@requires_torch
@pytest.mark.parametrize("shape,ns,kw", [((4, 7, 10), 10, {}), ((2, 3, 4, 5), (4, 5), {"eps": 1e-4}),
                                         ((6, 300), [300], {"elementwise_affine": False})])
def test_rms_norm_module_matches_pytorch(shape, ns, kw, rng):
    mr, mt = rb.nn.RMSNorm(ns, **kw), torch.nn.RMSNorm(ns, **kw)
    assert list(mr.state_dict()) == list(mt.state_dict())
    assert repr(mr) == repr(mt)
    _same_params(mr, mt, rng)
    _run(mr, mt, rng.standard_normal(shape).astype(np.float32))


def test_rms_norm_default_eps_is_the_dtype_epsilon():
    # all-zero rows: y = 0 * rsqrt(eps), and the gradient rsqrt(eps) shows which eps was used
    for dt, eps in ((rb.float32, np.finfo(np.float32).eps), (rb.float64, np.finfo(np.float64).eps)):
        x = rb.zeros(2, 3, dtype=dt, requires_grad=True)
        F.rms_norm(x, (3,)).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), np.full((2, 3), 1 / np.sqrt(eps)), rtol=1e-6)


@requires_torch
@pytest.mark.parametrize("cls,shape", [("InstanceNorm1d", (4, 3, 9)), ("InstanceNorm2d", (2, 3, 5, 4)),
                                       ("InstanceNorm1d", (3, 7)), ("InstanceNorm2d", (3, 6, 5))])
@pytest.mark.parametrize("kw", [{}, {"affine": True}, {"track_running_stats": True, "momentum": 0.3},
                                {"affine": True, "track_running_stats": True, "eps": 1e-3}])
def test_instance_norm_module_matches_pytorch(cls, shape, kw, rng):
    mr, mt = getattr(rb.nn, cls)(3, **kw), getattr(torch.nn, cls)(3, **kw)
    assert list(mr.state_dict()) == list(mt.state_dict())
    assert repr(mr) == repr(mt)
    _same_params(mr, mt, rng)
    for _ in range(2):  # two training steps: the running statistics move twice
        _run(mr, mt, (rng.standard_normal(shape) * 2 + 0.5).astype(np.float32))
    for k, v in mt.state_dict().items():
        np.testing.assert_allclose(mr.state_dict()[k].numpy(), v.numpy(), atol=1e-5, rtol=1e-5, err_msg=k)
    mr.eval(), mt.eval()  # with track_running_stats: normalized by the running statistics
    _run(mr, mt, rng.standard_normal(shape).astype(np.float32))


@requires_torch
def test_instance_norm_state_dict_moves_between_libraries(rng):
    mt = torch.nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
    mt(torch.tensor(rng.standard_normal((2, 4, 3, 3)).astype(np.float32)))
    mr = rb.nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
    mr.load_state_dict({k: rb.tensor(v.numpy()) for k, v in mt.state_dict().items()})
    mr.eval(), mt.eval()
    x = rng.standard_normal((1, 4, 3, 3)).astype(np.float32)
    np.testing.assert_allclose(mr(rb.tensor(x)).detach().numpy(), mt(torch.tensor(x)).detach().numpy(), atol=1e-5)


def _raises_like(exc_r, fn_r, fn_t, match=None):
    """Both libraries raise the same exception type (PyTorch's message matched when given)."""
    with pytest.raises(exc_r, match=match):
        fn_r()
    if torch:
        with pytest.raises(exc_r, match=match):
            fn_t()


@requires_torch
def test_errors_match_pytorch():
    x3 = np.zeros((2, 6, 4), np.float32)
    R, T = rb.tensor(x3), torch.tensor(x3)
    _raises_like(RuntimeError, lambda: F.group_norm(R, 4), lambda: torch.nn.functional.group_norm(T, 4),
                 r"divisible by num_groups, but got input of shape \[2, 6, 4\] and num_groups=4")
    _raises_like(RuntimeError, lambda: F.group_norm(R, 3, rb.ones(5)),
                 lambda: torch.nn.functional.group_norm(T, 3, torch.ones(5)),
                 r"weight of shape \[5\] and input of shape \[2, 6, 4\]")
    _raises_like(RuntimeError, lambda: F.group_norm(rb.zeros(6), 3), lambda: torch.nn.functional.group_norm(
        torch.zeros(6), 3), "Expected at least 2 dimensions for input tensor but received 1")
    _raises_like(ValueError, lambda: F.group_norm(rb.zeros(1, 3, 1), 3),
                 lambda: torch.nn.functional.group_norm(torch.zeros(1, 3, 1), 3), "more than 1 value per channel")
    _raises_like(ValueError, lambda: rb.nn.GroupNorm(4, 6), lambda: torch.nn.GroupNorm(4, 6),
                 r"num_channels \(6\) must be divisible by num_groups \(4\)")
    _raises_like(RuntimeError, lambda: F.rms_norm(R, (5,)), lambda: torch.nn.functional.rms_norm(T, (5,)),
                 r"expected input with shape \[\*,? ?5\], but got input of size ?\[2, 6, 4\]")
    _raises_like(RuntimeError, lambda: F.rms_norm(R, (4,), rb.ones(5)),
                 lambda: torch.nn.functional.rms_norm(T, (4,), torch.ones(5)),
                 r"weight of shape \[5\] and normalized_shape = \[4\]")
    _raises_like(NotImplementedError, lambda: F.rms_norm(rb.zeros(2, 3, dtype=rb.int64), (3,)),
                 lambda: torch.nn.functional.rms_norm(torch.zeros(2, 3, dtype=torch.int64), (3,)), "rms_norm")
    _raises_like(ValueError, lambda: F.instance_norm(rb.zeros(2, 3, 1)),
                 lambda: torch.nn.functional.instance_norm(torch.zeros(2, 3, 1)), "more than 1 spatial element")
    _raises_like(RuntimeError, lambda: F.instance_norm(rb.zeros(2, 3, 4), use_input_stats=False),
                 lambda: torch.nn.functional.instance_norm(torch.zeros(2, 3, 4), use_input_stats=False),
                 "running_mean and running_var to be defined")
    _raises_like(RuntimeError, lambda: F.instance_norm(rb.zeros(2, 3, 4), weight=rb.ones(2)),
                 lambda: torch.nn.functional.instance_norm(torch.zeros(2, 3, 4), weight=torch.ones(2)),
                 "weight should contain 6 elements not 4")
    _raises_like(ValueError, lambda: rb.nn.InstanceNorm1d(3)(rb.zeros(2, 3, 4, 5)),
                 lambda: torch.nn.InstanceNorm1d(3)(torch.zeros(2, 3, 4, 5)), r"expected 2D or 3D input \(got 4D")
    _raises_like(ValueError, lambda: rb.nn.InstanceNorm2d(3, affine=True)(rb.zeros(2, 4, 3, 3)),
                 lambda: torch.nn.InstanceNorm2d(3, affine=True)(torch.zeros(2, 4, 3, 3)),
                 r"size at dim=1 to match num_features \(3\), but got: 4")


def test_instance_norm_failed_call_leaves_running_stats_untouched():
    m = rb.nn.InstanceNorm1d(3, track_running_stats=True)
    with pytest.raises(RuntimeError, match="running_mean should contain"):
        F.instance_norm(rb.ones(2, 3, 4), rb.zeros(2), rb.ones(3))
    with pytest.raises(ValueError):
        m(rb.ones(2, 3, 1))
    np.testing.assert_array_equal(m.running_mean.numpy(), np.zeros(3))
    np.testing.assert_array_equal(m.running_var.numpy(), np.ones(3))


def test_instance_norm_warns_when_channels_differ_without_affine():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        y = rb.nn.InstanceNorm1d(3)(rb.randn(2, 5, 4))
    assert y.shape == (2, 5, 4) and any("does not match num_features" in str(x.message) for x in w)


@requires_torch
@pytest.mark.parametrize("fn,pshape", [(lambda L, x, *p: L.nn.functional.group_norm(x, 2, *p), (4,)),
                                       (lambda L, x, *p: L.nn.functional.instance_norm(x, None, None, *p), (4,)),
                                       (lambda L, x, w: L.nn.functional.rms_norm(x, (5,), w), (5,))],
                         ids=["group_norm", "instance_norm", "rms_norm"])
def test_gradient_penalty_matches_pytorch(fn, pshape, rng):
    # d/d(x, params) of |d sum(out^2) / d x|^2: the backward differentiated again
    arrays = [rng.standard_normal((2, 4, 5)), rng.standard_normal(pshape), rng.standard_normal(pshape)]
    nparams = 1 if pshape == (5,) else 2
    res = []
    for L in (rb, torch):
        ts = [L.tensor(a, requires_grad=True) for a in arrays[:1 + nparams]]
        (gx,) = L.autograd.grad((fn(L, *ts) ** 2).sum(), (ts[0],), create_graph=True)
        res.append([g.detach().numpy() for g in L.autograd.grad((gx ** 2).sum(), ts)])
    for r, t in zip(*res):
        np.testing.assert_allclose(r, t, atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("shape,groups,w_grad", [((2, 5, 0), 1, [math.nan] * 5), ((2, 6, 0, 3), 2, [math.nan] * 6),
                                                 ((0, 6, 4), 2, [0.0] * 6)])
def test_group_norm_of_empty_groups(shape, groups, w_grad):
    """Groups of no elements have nan statistics, as ATen's reductions over nothing: weight's gradient is nan then
    (bias's 0), as torch's, where ours read the never-written statistics; an empty batch gives zeros."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x = L.ones(*shape, requires_grad=True)
        w, b = L.ones(shape[1], requires_grad=True), L.ones(shape[1], requires_grad=True)
        y = L.nn.functional.group_norm(x, groups, w, b)
        assert tuple(y.shape) == shape
        y.sum().backward()
        np.testing.assert_array_equal(w.grad.numpy(), w_grad)
        assert b.grad.tolist() == [0.0] * shape[1] and tuple(x.grad.shape) == shape


# --- float16 / bfloat16 inputs (issue 14) ---------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("params", ["same", "float32"])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("op", ["batch_norm", "instance_norm"])
def test_norms_of_float16_and_bfloat16_match_torch(op, training, params, dtype):
    """Normalised in float32 and rounded once (ATen's opmath), with parameters and running statistics of the
    input's dtype or all float32 (its mixed-type kernel): the output, the gradients of input, weight and bias, and
    the updated running statistics (each in its own dtype) as PyTorch's, within a rounding."""
    rng = np.random.default_rng(12)
    x = (rng.normal(size=(4, 3, 5)) * 2 + 1).astype(np.float32)
    w, b = rng.uniform(0.5, 1.5, 3).astype(np.float32), rng.uniform(-1, 1, 3).astype(np.float32)
    rm, rv = rng.uniform(-1, 1, 3).astype(np.float32), rng.uniform(0.5, 1.5, 3).astype(np.float32)
    stats = []

    def fn(L, x, w, b, rm, rv):
        p = [t.detach().to(L.float32).requires_grad_(t.requires_grad) if params == "float32" else t
             for t in (w, b, rm, rv)]
        w, b, rm, rv = p
        if op == "batch_norm":
            y = L.nn.functional.batch_norm(x, rm, rv, w, b, training=training, momentum=0.3)
        else:
            y = L.nn.functional.instance_norm(x, rm, rv, w, b, use_input_stats=training, momentum=0.3)
        stats.append([(str(t.dtype).split(".")[-1], t.float().numpy()) for t in (rm, rv)])
        return y

    assert_low_precision_parity(fn, [x, w, b, rm, rv], dtype, grad=(0,) if params == "float32" else (0, 1, 2))
    eps = {"float16": 2.0 ** -10, "bfloat16": 2.0 ** -7}[dtype]
    for (da, a), (db, c) in zip(*stats):
        assert da == db == (dtype if params == "same" else "float32")
        np.testing.assert_allclose(a, c, rtol=2 * eps, atol=1e-6)


def test_batch_norm_of_float16_refuses_mixed_or_float64_parameters():
    x = rb.ones(4, 3, dtype=rb.float16)
    with pytest.raises(RuntimeError, match="expected scalar type Half but found Float"):
        F.batch_norm(x, rb.zeros(3), rb.ones(3), rb.ones(3, dtype=rb.float16), training=True)
    with pytest.raises(RuntimeError, match="float64"):
        F.batch_norm(x, rb.zeros(3, dtype=rb.float64), rb.ones(3, dtype=rb.float64), training=True)
    with pytest.raises(RuntimeError, match="float16"):
        F.batch_norm(rb.ones(4, 3), rb.zeros(3, dtype=rb.float16), rb.ones(3, dtype=rb.float16), training=True)
    with pytest.raises(NotImplementedError, match="\"batch_norm\" not implemented for 'Char'"):
        F.batch_norm(x.to(rb.int8), rb.zeros(3), rb.ones(3), training=True)


def test_batchnorm_module_trains_after_half():
    """Module.half(): the buffers become float16 and move in float32 steps rounded once."""
    m = rb.nn.BatchNorm1d(3).half()
    x = rb.tensor(np.random.default_rng(13).normal(size=(8, 3)).astype(np.float32)).half()
    y = m(x)
    y.float().sum().backward()
    assert y.dtype == m.running_mean.dtype == m.weight.grad.dtype == rb.float16
    np.testing.assert_allclose(m.running_mean.float().numpy(), 0.1 * x.float().numpy().mean(0), rtol=2e-3, atol=1e-4)
