"""Arguments of PyTorch's functions that real scripts pass: div's rounding_mode, clamp's tensor bounds, mean's and
softmax's dtype, normal with tensor mean/std, dtype reprs, fill_ with a 0-d tensor, scatter_add_, where's
one-argument and two-number forms, the keyword forms of view/permute/expand..., copy_'s non_blocking, gather's
sparse_grad, and the torch.backends flags found missing by the issue-13 audit. Values are checked against
hand-computed results, and against PyTorch when it is installed."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


def test_dtype_repr_is_torchs():
    assert repr(rb.int64) == "rosenblatt.int64" and repr(rb.float16) == "rosenblatt.float16"
    assert repr([rb.float32]) == "[rosenblatt.float32]"


@pytest.mark.parametrize("mode,expect", [(None, [2.5, -3.5, -2.5, 3.5]), ("trunc", [2, -3, -2, 3]),
                                         ("floor", [2, -4, -3, 3])])
def test_div_rounding_mode_on_integers_keeps_them_integer(mode, expect):
    a, b = rb.tensor([5, -7, 5, -7]), rb.tensor([2, 2, -2, -2])
    out = rb.div(a, b, rounding_mode=mode)
    assert out.dtype == (rb.float32 if mode is None else rb.int64)
    np.testing.assert_array_equal(out.numpy(), expect)
    np.testing.assert_array_equal(a.div(b, rounding_mode=mode).numpy(), expect)


def test_div_rounding_mode_floats_scalars_and_in_place():
    x = rb.tensor([5.5, -7.5])
    np.testing.assert_array_equal(rb.div(x, 2, rounding_mode="trunc").numpy(), [2.0, -3.0])
    np.testing.assert_array_equal(x.div(2, rounding_mode="floor").numpy(), [2.0, -4.0])
    y = rb.tensor([7, -7])
    assert y.div_(2, rounding_mode="trunc") is y
    np.testing.assert_array_equal(y.numpy(), [3, -3])
    with pytest.raises(RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor' but found 'x'"):
        rb.div(x, 2, rounding_mode="x")
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        rb.div(rb.tensor([1]), rb.tensor([0]), rounding_mode="trunc")


def test_div_rounding_mode_has_a_zero_gradient():
    x = rb.tensor([5.5, -7.5], requires_grad=True)
    rb.div(x, 2.0, rounding_mode="trunc").sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0])


def test_clamp_with_tensor_bounds():
    x = rb.tensor([1.0, 5.0, -3.0, 3.0, float("nan")], requires_grad=True)
    lo = rb.tensor([2.0, 2.0, 2.0, 3.0, 2.0], requires_grad=True)
    hi = rb.tensor(4.0, requires_grad=True)
    y = rb.clamp(x, min=lo, max=hi)
    np.testing.assert_array_equal(y.detach().numpy(), [2.0, 4.0, 2.0, 3.0, np.nan])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 0, 0, 1, 1])  # a tie with min goes to x, NaN stays x's
    np.testing.assert_array_equal(lo.grad.numpy(), [1, 0, 1, 0, 0])
    assert hi.grad.item() == 1.0
    assert rb.clamp(rb.tensor([1, 5]), min=rb.tensor([2.5, 0.0])).dtype == rb.float32
    np.testing.assert_array_equal(rb.tensor([1.0, 9.0]).clip(max=rb.tensor([0.0, 3.0])).numpy(), [0.0, 3.0])
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        rb.clamp(x, min=None, max=None)


def test_mean_dtype():
    m = rb.mean(rb.tensor([1, 2]), dtype=rb.float64)
    assert m.dtype == rb.float64 and m.item() == 1.5
    assert rb.tensor([[1.0, 2.0]]).mean(1, True, dtype=rb.float64).shape == (1, 1)


def test_normal_with_tensor_mean_and_std():
    rb.manual_seed(0)
    mean, std = rb.zeros(2, 1) + rb.tensor([[10.0], [-10.0]]), rb.full((3,), 0.5)
    r = rb.normal(mean, std)
    assert r.shape == (2, 3) and r.dtype == rb.float32
    big = rb.normal(rb.full((200_000,), 3.0), 2.0)
    assert abs(big.mean().item() - 3.0) < 0.02 and abs(big.std().item() - 2.0) < 0.02
    assert rb.normal(2.0, rb.ones(2, 2, dtype=rb.float64)).dtype == rb.float64
    g1, g2 = rb.Generator().manual_seed(5), rb.Generator().manual_seed(5)
    np.testing.assert_array_equal(rb.normal(rb.zeros(4), 1.0, generator=g1).numpy(),
                                  rb.normal(rb.zeros(4), 1.0, generator=g2).numpy())
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        rb.normal(rb.zeros(2), rb.tensor([1.0, -1.0]))


@requires_torch
def test_against_torch():
    import torch
    a, b = np.array([5, -7, 5, -7, 0]), np.array([2, 2, -2, -2, 3])
    for mode in (None, "trunc", "floor"):
        np.testing.assert_array_equal(rb.div(rb.tensor(a), rb.tensor(b), rounding_mode=mode).numpy(),
                                      torch.div(torch.tensor(a), torch.tensor(b), rounding_mode=mode).numpy())
        xf = np.array([5.5, -7.5, 0.3, -0.3])
        np.testing.assert_array_equal(rb.div(rb.tensor(xf), 0.7, rounding_mode=mode).numpy(),
                                      torch.div(torch.tensor(xf), 0.7, rounding_mode=mode).numpy())
    x0, lo0, hi0 = np.array([1.0, 5.0, -3.0, 3.0]), np.array([2.0, 2.0, 2.0, 3.0]), np.array([4.0, 4.0, 1.0, 4.0])
    outs = []
    for lib in (rb, torch):
        x, lo, hi = (lib.tensor(v, requires_grad=True) for v in (x0, lo0, hi0))
        y = lib.clamp(x, lo, hi)
        (y * lib.arange(1.0, 5.0, dtype=lib.float64)).sum().backward()
        outs.append([t.detach().numpy() for t in (y, x.grad, lo.grad, hi.grad)])
    for o, t in zip(*outs):
        np.testing.assert_array_equal(o, t)
    assert repr(rb.float64).replace("rosenblatt", "torch") == repr(torch.float64)


def test_clamp_promotes_with_number_bounds():
    # an integer tensor clamped to a float bound becomes float, as PyTorch (it was kept int64: 0 stayed 0)
    out = rb.clamp(rb.tensor([0, 1, 2]), min=0.5)
    assert out.dtype == rb.float32
    np.testing.assert_array_equal(out.numpy(), [0.5, 1.0, 2.0])
    assert rb.clamp(rb.tensor([0, 1, 2]), 0, 1).dtype == rb.int64
    assert rb.clamp(rb.tensor([0, 3], dtype=rb.uint8), 0.5, 1.5).dtype == rb.float32
    assert rb.clamp(rb.tensor([True, False]), min=0.5).tolist() == [1.0, 0.5]
    assert rb.clamp(rb.zeros(2, dtype=rb.float16), 0.5).dtype == rb.float16


@pytest.mark.parametrize("dtype,value", [(rb.uint8, 300), (rb.uint8, -256), (rb.uint8, 255.5), (rb.int8, -129),
                                         (rb.int8, 127.9), (rb.int16, 40000), (rb.int32, 2**40), (rb.int64, 1e30),
                                         (rb.float16, 1e30), (rb.bfloat16, 1e300), (rb.float32, 1e300)])
def test_fill_values_that_overflow_the_dtype_raise(dtype, value):
    # PyTorch's checked conversion (they used to wrap silently: full_like(uint8, 300) gave 44)
    t = rb.zeros(2, dtype=dtype)
    with pytest.raises(RuntimeError, match="value cannot be converted to type .* without overflow"):
        t.fill_(value)
    with pytest.raises(RuntimeError, match="without overflow"):
        rb.full_like(t, value)
    with pytest.raises(RuntimeError, match="without overflow"):
        rb.full((2,), value, dtype=dtype)
    assert t.tolist() == [0, 0]  # the failed fill changed nothing


def test_fill_values_pytorch_accepts():
    assert rb.zeros(2, dtype=rb.uint8).fill_(-1).tolist() == [255, 255]  # a negative integer wraps, as c10 allows
    assert rb.zeros(1).fill_(float("inf")).item() == float("inf")
    assert rb.zeros(1, dtype=rb.float16).fill_(float("nan")).isnan().all()
    assert rb.full((1,), 2**63 - 1).item() == 2**63 - 1
    assert rb.zeros(2, dtype=rb.bool).fill_(5).tolist() == [True, True]
    assert (rb.zeros(2, dtype=rb.uint8) + 300).tolist() == [44, 44]  # arithmetic wraps, as PyTorch's


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_dtype_casts_first(name, rng):
    a = rng.standard_normal((2, 5)).astype(np.float32)
    want = np.exp(a.astype(np.float64) - a.astype(np.float64).max(1, keepdims=True))
    want = want / want.sum(1, keepdims=True)
    if name == "log_softmax":
        want = np.log(want)
    for out in (getattr(rb, name)(rb.tensor(a), 1, dtype=rb.float64), getattr(rb.tensor(a), name)(1, rb.float64),
                getattr(rb.tensor(a), name)(dim=-1, dtype=rb.float64)):
        assert out.dtype == rb.float64
        np.testing.assert_allclose(out.numpy(), want, rtol=1e-12)
    assert getattr(rb, name)(rb.tensor(a), 1).dtype == rb.float32


@requires_torch
def test_fill_with_a_zero_dim_tensor_as_pytorch():
    import torch

    for lib in (rb, torch):
        v = lib.tensor(2.5, requires_grad=True)
        x = lib.zeros(2, 3)
        w = lib.ones(2, 3, requires_grad=True) * 1.0
        assert x.fill_(v) is x
        assert x.tolist() == [[2.5] * 3] * 2
        w.fill_(v)
        (w * lib.arange(6.0).reshape(2, 3)).sum().backward()
        assert v.grad.item() == 15.0
    with pytest.raises(RuntimeError) as want:
        torch.zeros(2).fill_(torch.ones(1))
    with pytest.raises(RuntimeError) as got:
        rb.zeros(2).fill_(rb.ones(1))
    assert str(got.value) == str(want.value)


@requires_torch
def test_scatter_add_in_place_values_and_gradients():
    import torch

    idx = [[0, 1, 0], [2, 0, 2]]
    outs = []
    for lib in (rb, torch):
        src = lib.arange(6.0).reshape(2, 3).requires_grad_()
        base = lib.ones(3, 3, requires_grad=True)
        x = base * 2.0
        assert x.scatter_add_(0, lib.tensor(idx), src) is x
        (x * lib.arange(9.0).reshape(3, 3)).sum().backward()
        outs.append((x.tolist(), src.grad.tolist(), base.grad.tolist()))
    assert outs[0] == outs[1]
    y = rb.zeros(3)
    y.scatter_add_(0, rb.tensor([1, 1, 2]), rb.ones(3))
    assert y.tolist() == [0.0, 2.0, 1.0]


def test_gather_takes_sparse_grad_and_copy_takes_non_blocking():
    x = rb.arange(6.0).reshape(2, 3)
    i = rb.tensor([[2], [0]])
    assert rb.gather(x, 1, i, sparse_grad=False).tolist() == [[2.0], [3.0]]
    assert x.gather(1, i, sparse_grad=True).tolist() == [[2.0], [3.0]]  # no sparse tensors: dense, same values
    y = rb.zeros(2, 3)
    assert y.copy_(x, non_blocking=True) is y and y.tolist() == x.tolist()


@requires_torch
def test_where_one_argument_and_two_numbers_as_pytorch():
    import torch

    c = [[True, False, True], [False, True, True]]
    got, want = rb.where(rb.tensor(c)), torch.where(torch.tensor(c))
    assert isinstance(got, tuple) and [t.tolist() for t in got] == [t.tolist() for t in want]
    for a, b in ((1.0, 0), (1, 0), (True, False), (2, 0.5), (False, 3)):
        r, t = rb.where(rb.tensor(c), a, b), torch.where(torch.tensor(c), a, b)
        assert str(r.dtype).split(".")[1] == str(t.dtype).split(".")[1] and r.tolist() == t.tolist()


@requires_torch
@pytest.mark.parametrize("call", [
    lambda L: L.arange(6.0).view(size=(2, 3)), lambda L: L.arange(6.0).reshape(shape=(3, 2)),
    lambda L: L.arange(6.0).reshape(2, 3).permute(dims=(1, 0)), lambda L: L.ones(1, 3).expand(size=(2, 3)),
    lambda L: L.arange(6.0).reshape(2, 3).flip(dims=[0, 1]), lambda L: L.arange(2.0).tile(dims=(2, 2)),
    lambda L: L.arange(2.0).repeat(repeats=(2, 2)),
    lambda L: L.arange(6.0).view(2, 3), lambda L: L.arange(6.0).view((3, 2)), lambda L: L.arange(6.0).view(-1),
])
def test_keyword_forms_of_the_varargs_shape_methods(call):
    import torch

    assert call(rb).tolist() == call(torch).tolist()


@requires_torch
def test_backend_flags_added_by_the_audit_match_pytorch_defaults():
    import torch

    tb, rbb = torch.backends, rb.backends
    assert rbb.mkldnn.enabled == tb.mkldnn.enabled
    if not tb.opt_einsum.is_available():  # our defaults are those of a torch without the package
        assert (rbb.opt_einsum.enabled, rbb.opt_einsum.strategy) == (tb.opt_einsum.enabled, tb.opt_einsum.strategy)
    for name in ("flash_sdp_enabled", "mem_efficient_sdp_enabled", "math_sdp_enabled"):
        assert getattr(rbb.cuda, name)() == getattr(tb.cuda, name)(), name
    rbb.cuda.enable_flash_sdp(False)
    try:
        assert not rbb.cuda.flash_sdp_enabled() and rbb.cuda.math_sdp_enabled()
    finally:
        rbb.cuda.enable_flash_sdp(True)
    with rbb.mkldnn.flags(enabled=False):
        assert rbb.mkldnn.enabled is False
    assert rbb.mkldnn.enabled is True and not rbb.mkldnn.is_available() and not rbb.opt_einsum.is_available()


@requires_torch
def test_autograd_grad_batched_and_deprecated_arguments_as_pytorch():
    import torch

    jac = []
    for lib in (rb, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x ** 3
        (j,) = lib.autograd.grad(y, x, lib.eye(3), retain_graph=True, is_grads_batched=True)
        jac.append(j.tolist())
        with pytest.warns(FutureWarning, match="only_inputs argument is deprecated"):
            lib.autograd.grad(y.sum(), x, only_inputs=False)
        with pytest.raises(ValueError, match="allow_unused=False"):
            lib.autograd.grad(y.sum(), x, allow_unused=False, materialize_grads=True)
        z = lib.tensor([1.0, 2.0], requires_grad=True)
        with pytest.warns(FutureWarning, match="grad_variables"):
            lib.autograd.backward(z * 3, grad_variables=lib.ones(2))
        assert z.grad.tolist() == [3.0, 3.0]
    assert jac[0] == jac[1] == [[3.0, 0.0, 0.0], [0.0, 12.0, 0.0], [0.0, 0.0, 27.0]]


def test_dataloader_takes_in_order():
    ds = rb.utils.data.TensorDataset(rb.arange(6))
    for workers in (0, 2):
        batches = rb.utils.data.DataLoader(ds, batch_size=2, num_workers=workers, in_order=False)
        assert [b[0].tolist() for b in batches] == [[0, 1], [2, 3], [4, 5]]


def test_pow_takes_exponent_as_a_keyword_as_torch():
    x = rb.tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(rb.pow(x, exponent=2).numpy(), [1.0, 4.0, 9.0])
    np.testing.assert_array_equal(rb.pow(input=x, exponent=rb.tensor([1.0, 0.0, 2.0])).numpy(), [1.0, 1.0, 9.0])
    np.testing.assert_array_equal(x.pow(exponent=3).numpy(), [1.0, 8.0, 27.0])
    np.testing.assert_array_equal(rb.pow(self=2, exponent=x).numpy(), [2.0, 4.0, 8.0])  # torch's name for a number
    y = rb.tensor([2.0, 3.0])
    assert y.pow_(exponent=2) is y
    np.testing.assert_array_equal(y.numpy(), [4.0, 9.0])
    with pytest.raises(TypeError):
        rb.pow(x, other=2)  # torch has no `other` here either
    with pytest.raises(TypeError):
        rb.pow(input=2, exponent=x)  # a number base is `self`


@requires_torch
def test_pow_keywords_match_torch():
    a = np.array([0.5, 1.5, 2.0])
    for call in (lambda L, t: L.pow(t, exponent=2.5), lambda L, t: t.pow(exponent=t),
                 lambda L, t: L.pow(self=3, exponent=t)):
        np.testing.assert_allclose(call(rb, rb.tensor(a)).numpy(), call(torch, torch.tensor(a)).numpy(), rtol=1e-12)
