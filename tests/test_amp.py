"""rosenblatt.amp (autocast, GradScaler), torch.cuda.amp's spellings, finfo/iinfo, the default dtype queries
and torch's math constants: what mixed-precision training scripts (nanoGPT's train.py and the like) touch,
against PyTorch's behaviour."""
import math
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


@pytest.fixture
def fresh_warning(monkeypatch):
    monkeypatch.setattr(rb.amp.autocast_mode, "_warned", False)


def test_autocast_state_context_and_decorator(fresh_warning):
    assert not rb.is_autocast_enabled("cpu") and rb.get_autocast_dtype("cpu") == rb.bfloat16
    with pytest.warns(UserWarning, match="casts no op"):
        with rb.autocast(device_type="cpu", dtype=rb.bfloat16):
            assert rb.is_autocast_enabled("cpu") and not rb.is_autocast_enabled()
            y = rb.nn.Linear(3, 2)(rb.ones(1, 3))
            assert y.dtype == rb.float32  # computed in the tensors' own dtype
            with rb.amp.autocast("cpu", enabled=False):
                assert rb.is_autocast_enabled("cpu")  # a disabled inner region leaves the outer one on
    assert not rb.is_autocast_enabled("cpu")

    @rb.autocast("cpu", dtype=rb.float16)
    def f():
        return rb.is_autocast_enabled("cpu"), rb.get_autocast_dtype("cpu")

    assert f() == (True, rb.float16) and rb.get_autocast_dtype("cpu") == rb.bfloat16


@requires_torch
def test_autocast_checks_and_disabling_as_pytorch(fresh_warning):
    for lib in (rb, torch):
        with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
            lib.autocast(1)
        with pytest.warns(UserWarning, match="CUDA is not available or torch_xla is imported. Disabling autocast."):
            a = lib.autocast("cuda")
        with pytest.warns(UserWarning, match="In CPU autocast, but the target dtype is not supported"):
            b = lib.autocast("cpu", dtype=lib.float64)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with a, b:
                assert not lib.is_autocast_enabled("cpu") and not lib.is_autocast_enabled("cuda")


def _train(lib, scaler, steps, poison):
    """Linear regression with SGD through the scaler; at the steps in poison the loss is made inf."""
    lib.manual_seed(0)
    w = lib.nn.Parameter(lib.tensor([[0.5, -0.25], [1.0, 0.75]]))
    opt = lib.optim.SGD([w], lr=0.1)
    x, t = lib.tensor([[1.0, 2.0], [3.0, -1.0]]), lib.tensor([[0.5, 0.0], [1.0, 2.0]])
    scales = []
    for i in range(steps):
        opt.zero_grad()
        loss = ((x @ w - t) ** 2).mean()
        if i in poison:
            loss = loss * float("inf")
        scaler.scale(loss).backward()
        if i % 2:
            scaler.unscale_(opt)  # the clip-grad pattern: unscale, then step
        scaler.step(opt)
        scaler.update()
        scales.append(scaler.get_scale())
    return w.detach().numpy().copy(), scales, scaler.state_dict()


@requires_torch
def test_grad_scaler_matches_pytorch_through_skips_and_growth():
    kw = dict(init_scale=1024.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=3)
    ours = _train(rb, rb.amp.GradScaler("cpu", **kw), 10, {2, 3})
    theirs = _train(torch, torch.amp.GradScaler("cpu", **kw), 10, {2, 3})
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    assert ours[1] == theirs[1] and ours[2] == theirs[2]
    assert ours[1][:4] == [1024.0, 1024.0, 512.0, 256.0]


@requires_torch
def test_grad_scaler_without_cuda_is_disabled_with_pytorchs_warning():
    for lib in (rb, torch):
        with pytest.warns(UserWarning, match="GradScaler is enabled, but CUDA is not available.  Disabling."):
            s = lib.cuda.amp.GradScaler(enabled=True) if lib is rb else lib.amp.GradScaler("cuda")
        x = lib.ones(2)
        assert s.scale(x) is x and not s.is_enabled() and s.get_scale() == 1.0 and s.state_dict() == {}
        w = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.SGD([w], lr=1.0)
        (w * 2).sum().backward()
        s.step(opt)
        s.update()
        assert w.tolist() == [-1.0, -1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not rb.cuda.amp.GradScaler(enabled=False).is_enabled()  # nanoGPT's float32 path: silent


def test_grad_scaler_errors_and_state_dict_round_trip():
    s = rb.amp.GradScaler("cpu", init_scale=8.0)
    w = rb.nn.Parameter(rb.ones(2))
    opt = rb.optim.SGD([w], lr=0.1)
    s.scale(w.sum()).backward()
    assert w.grad.tolist() == [8.0, 8.0]
    s.unscale_(opt)
    assert w.grad.tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="unscale_\\(\\) has already been called"):
        s.unscale_(opt)
    s.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        s.step(opt)
    with pytest.raises(RuntimeError, match="Closure use is not currently supported"):
        s.step(opt, closure=lambda: 0)
    s.update()
    t = rb.amp.GradScaler("cpu")
    t.load_state_dict(s.state_dict())
    assert t.state_dict() == s.state_dict() == {"scale": 8.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                                               "growth_interval": 2000, "_growth_tracker": 1}
    with pytest.raises(AssertionError, match="growth factor must be > 1.0"):
        rb.amp.GradScaler("cpu", growth_factor=1.0)


@requires_torch
@pytest.mark.parametrize("name", ["float16", "bfloat16", "float32", "float64"])
def test_finfo_as_pytorch(name):
    a, b = rb.finfo(getattr(rb, name)), torch.finfo(getattr(torch, name))
    for f in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(a, f) == getattr(b, f), f
    assert repr(a) == repr(b)


@requires_torch
@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_as_pytorch(name):
    a, b = rb.iinfo(getattr(rb, name)), torch.iinfo(getattr(torch, name))
    assert (a.bits, a.max, a.min, a.dtype) == (b.bits, b.max, b.min, b.dtype) and repr(a) == repr(b)


def test_info_errors_default_dtype_constants_and_device_queries():
    assert rb.finfo().eps == rb.finfo(rb.float32).eps == float(np.finfo(np.float32).eps)
    with pytest.raises(TypeError, match="requires a floating point input type"):
        rb.finfo(rb.int64)
    with pytest.raises(TypeError, match="is not supported by torch.iinfo"):
        rb.iinfo(rb.bool)
    assert rb.get_default_dtype() == rb.float32
    rb.set_default_dtype(rb.float32)
    with pytest.raises(TypeError, match="float32 only"):
        rb.set_default_dtype(rb.float64)
    assert (rb.pi, rb.e, rb.inf) == (math.pi, math.e, math.inf) and math.isnan(rb.nan)
    x = rb.ones(2)
    assert x.get_device() == -1 and x.is_pinned() is False
    with pytest.raises(RuntimeError, match="Cannot access accelerator device"):
        x.pin_memory()
