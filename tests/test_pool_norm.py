"""Pooling, batch norm, Dropout2d, interpolation and padding against PyTorch: randomized
configurations with gradients, running statistics over several training steps, eval mode,
state_dict keys, reprs and the errors PyTorch raises."""
import random

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, requires_torch, torch

TF = torch.nn.functional


def pair(a, requires_grad=True):
    """The same array as a rosenblatt and a torch tensor (leaves)."""
    r, t = rb.tensor(a), torch.tensor(a)
    if requires_grad:
        r.requires_grad_(True)
        t.requires_grad_(True)
    return r, t


def distinct(rng, shape, dtype=np.float32):
    n = int(np.prod(shape))
    return (rng.permutation(n).reshape(shape) / n * 4 - 2).astype(dtype)


def close(r, t, atol=1e-5, rtol=1e-4):
    np.testing.assert_allclose(r.detach().numpy(), t.detach().numpy(), atol=atol, rtol=rtol)


def backward_both(out_r, out_t, rng):
    w = rng.standard_normal(tuple(out_t.shape)).astype(np.float32 if out_t.dtype == torch.float32 else np.float64)
    (out_r * rb.tensor(w)).sum().backward()
    (out_t * torch.tensor(w)).sum().backward()


def random_pool_config(rnd, dilation=True):
    k = (rnd.randint(1, 5), rnd.randint(1, 5))
    s = (rnd.randint(1, 4), rnd.randint(1, 4))
    d = (rnd.randint(1, 3), rnd.randint(1, 3)) if dilation else (1, 1)
    p = tuple(rnd.randint(0, kk // 2) for kk in k)
    shape = (rnd.choice([1, 2, 3]), rnd.choice([1, 2, 5]), rnd.randint(9, 16), rnd.randint(9, 16))
    if rnd.random() < 0.25:
        shape = shape[1:]  # unbatched (C, H, W)
    return k, s, p, d, rnd.random() < 0.5, shape


# ---- pooling -------------------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("seed", range(40))  # many: edge columns and interior rows take different paths
def test_max_pool2d_random_configs(seed):
    rnd, rng = random.Random(seed), np.random.default_rng(seed)
    k, s, p, d, ceil, shape = random_pool_config(rnd)
    dtype = np.float64 if seed % 3 == 0 else np.float32
    xr, xt = pair(distinct(rng, shape, dtype))
    out_r, idx_r = F.max_pool2d(xr, k, s, p, d, ceil_mode=ceil, return_indices=True)
    out_t, idx_t = TF.max_pool2d(xt, k, s, p, d, ceil_mode=ceil, return_indices=True)
    assert tuple(out_r.shape) == tuple(out_t.shape)
    close(out_r, out_t)
    np.testing.assert_array_equal(idx_r.numpy(), idx_t.numpy())
    assert idx_r.dtype == rb.int64
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)


@requires_torch
@pytest.mark.parametrize("seed", range(40))
def test_avg_pool2d_random_configs(seed):
    rnd, rng = random.Random(100 + seed), np.random.default_rng(seed)
    k, s, p, _, ceil, shape = random_pool_config(rnd, dilation=False)
    cip = rnd.random() < 0.5
    div = rnd.choice([None, None, 3, 7])
    xr, xt = pair(rng.standard_normal(shape).astype(np.float32))
    out_r = F.avg_pool2d(xr, k, s, p, ceil, cip, div)
    out_t = TF.avg_pool2d(xt, k, s, p, ceil, cip, div)
    assert tuple(out_r.shape) == tuple(out_t.shape)
    close(out_r, out_t)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)


@requires_torch
@pytest.mark.parametrize("seed", range(8))
def test_adaptive_pools_random_configs(seed):
    rnd, rng = random.Random(200 + seed), np.random.default_rng(seed)
    shape = (rnd.randint(1, 3), rnd.randint(1, 4), rnd.randint(1, 13), rnd.randint(1, 13))
    if seed % 4 == 3:
        shape = shape[1:]
    osize = rnd.choice([1, (rnd.randint(1, 8), rnd.randint(1, 8)), (None, rnd.randint(1, 5))])
    a = distinct(rng, shape)
    xr, xt = pair(a)
    out_r, out_t = F.adaptive_avg_pool2d(xr, osize), TF.adaptive_avg_pool2d(xt, osize)
    close(out_r, out_t)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)
    xr, xt = pair(a)
    (out_r, idx_r), (out_t, idx_t) = F.adaptive_max_pool2d(xr, osize, True), TF.adaptive_max_pool2d(xt, osize, True)
    close(out_r, out_t)
    np.testing.assert_array_equal(idx_r.numpy(), idx_t.numpy())
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)


@requires_torch
def test_global_pooling_is_output_size_one():
    a = np.random.default_rng(0).standard_normal((3, 4, 5, 6)).astype(np.float32)
    np.testing.assert_allclose(rb.nn.AdaptiveAvgPool2d(1)(rb.tensor(a)).numpy(), a.mean((2, 3), keepdims=True),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(rb.nn.AdaptiveMaxPool2d((1, 1))(rb.tensor(a)).numpy(), a.max((2, 3), keepdims=True))


@requires_torch
def test_max_pool_ties_and_nan_follow_torch():
    a = np.zeros((1, 1, 4, 4), np.float32)
    a[0, 0, 1, 2] = np.nan
    for x in (np.ones((1, 1, 4, 4), np.float32), a):
        xr, xt = pair(x)
        (o_r, i_r), (o_t, i_t) = (F.max_pool2d(xr, 3, 1, 1, return_indices=True),
                                  TF.max_pool2d(xt, 3, 1, 1, return_indices=True))
        np.testing.assert_array_equal(o_r.detach().numpy(), o_t.detach().numpy())
        np.testing.assert_array_equal(i_r.numpy(), i_t.numpy())
        o_r.sum().backward()
        o_t.sum().backward()
        np.testing.assert_array_equal(xr.grad.numpy(), xt.grad.numpy())


@requires_torch
def test_large_inputs_match_torch_on_the_threaded_path():
    rng = np.random.default_rng(5)
    xr, xt = pair(rng.standard_normal((8, 16, 40, 40)).astype(np.float32))
    close(F.max_pool2d(xr, 3, 2, 1), TF.max_pool2d(xt, 3, 2, 1))
    close(F.avg_pool2d(xr, 2), TF.avg_pool2d(xt, 2))
    close(F.interpolate(xr, scale_factor=2, mode="bilinear"), TF.interpolate(xt, scale_factor=2, mode="bilinear"))
    out_r = F.batch_norm(xr, None, None, training=True)
    out_t = TF.batch_norm(xt, None, None, training=True)
    close(out_r, out_t, atol=1e-4)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad, atol=1e-4)


@requires_torch
def test_max_unpool2d_matches_torch():
    rng = np.random.default_rng(3)
    xr, xt = pair(distinct(rng, (2, 3, 6, 7)))
    pr, pt = rb.nn.MaxPool2d(2, return_indices=True), torch.nn.MaxPool2d(2, return_indices=True)
    ur, ut = rb.nn.MaxUnpool2d(2), torch.nn.MaxUnpool2d(2)
    (o_r, i_r), (o_t, i_t) = pr(xr), pt(xt)
    out_r, out_t = ur(o_r, i_r, output_size=xr.shape), ut(o_t, i_t, output_size=xt.shape)
    assert tuple(out_r.shape) == (2, 3, 6, 7)
    close(out_r, out_t)
    a = distinct(rng, (1, 2, 4, 6))
    (o2r, i2r), (o2t, i2t) = pr(rb.tensor(a)), pt(torch.tensor(a))
    close(ur(o2r, i2r), ut(o2t, i2t))  # the default output size
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)



@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "bool"])
def test_max_unpool_empty_input_of_any_dtype(dtype):
    """An empty input unpools to zeros of output_size in every dtype (ATen checks the dtype in the kernel,
    which an empty input never reaches); a non-empty non-float input still raises NotImplementedError."""
    cases = [("max_unpool2d", (0, 1, 2, 2), (0, 1, 4, 4)), ("max_unpool2d", (0, 2, 2), (0, 4, 4)),
             ("max_unpool3d", (0, 1, 1, 2, 2), (0, 1, 2, 4, 4))]
    for name, shape, out_shape in cases:
        out = getattr(F, name)(rb.ones(*shape, dtype=getattr(rb, dtype)), rb.zeros(*shape, dtype=rb.int64), 2)
        assert tuple(out.shape) == out_shape and out.dtype == getattr(rb, dtype)
        nonempty = (1,) + shape[1:]
        with pytest.raises(NotImplementedError, match=f"{name}.*not implemented for"):
            getattr(F, name)(rb.ones(*nonempty, dtype=getattr(rb, dtype)), rb.zeros(*nonempty, dtype=rb.int64), 2)
        if HAVE_TORCH:
            ref = getattr(TF, name)(torch.ones(*shape, dtype=getattr(torch, dtype)),
                                    torch.zeros(*shape, dtype=torch.int64), 2)
            assert tuple(ref.shape) == out_shape and str(ref.dtype) == f"torch.{dtype}"
            with pytest.raises(NotImplementedError):
                getattr(TF, name)(torch.ones(*nonempty, dtype=getattr(torch, dtype)),
                                  torch.zeros(*nonempty, dtype=torch.int64), 2)


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64", "bool"])
def test_adaptive_avg_pool_of_an_empty_input_in_any_dtype(dtype):
    """adaptive_avg_pool1d/2d of an empty input return the empty result in any dtype (ATen's dtype check sits in
    the kernel an empty input never reaches); a non-empty integer input still raises NotImplementedError."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        out = L.nn.functional.adaptive_avg_pool1d(L.ones(0, 3, 7, dtype=dt), 4)
        assert tuple(out.shape) == (0, 3, 4) and out.dtype == dt
        out = L.nn.functional.adaptive_avg_pool2d(L.ones(0, 3, 7, 7, dtype=dt), (2, 3))
        assert tuple(out.shape) == (0, 3, 2, 3) and out.dtype == dt
        with pytest.raises(NotImplementedError, match="adaptive_avg_pool2d.* not implemented for"):
            L.nn.functional.adaptive_avg_pool2d(L.ones(2, 3, 7, 7, dtype=dt), (2, 3))

# ---- batch norm ----------------------------------------------------------------------------------

BN_CASES = [
    ("BatchNorm2d", (4, 3, 5, 6), {}),
    ("BatchNorm2d", (2, 1, 3, 3), {"momentum": None}),
    ("BatchNorm2d", (3, 4, 2, 5), {"affine": False, "eps": 1e-3}),
    ("BatchNorm2d", (5, 2, 4, 4), {"track_running_stats": False}),
    ("BatchNorm1d", (8, 5), {"momentum": 0.3}),
    ("BatchNorm1d", (4, 3, 7), {}),
    ("BatchNorm1d", (6, 4), {"momentum": None, "affine": False}),
    ("BatchNorm2d", (3, 2, 3, 3), {"bias": False}),
]


@requires_torch
@pytest.mark.parametrize("cls,shape,kw", BN_CASES)
def test_batch_norm_training_steps_and_eval_match_torch(cls, shape, kw):
    rng = np.random.default_rng(len(shape) * 10 + shape[1])
    mr, mt = getattr(rb.nn, cls)(shape[1], **kw), getattr(torch.nn, cls)(shape[1], **kw)
    if mt.affine:  # non-trivial affine parameters, the same in both
        w, b = rng.uniform(0.5, 1.5, shape[1]).astype(np.float32), rng.standard_normal(shape[1]).astype(np.float32)
        with rb.no_grad():
            mr.weight.copy_(rb.tensor(w))
            if mr.bias is not None:
                mr.bias.copy_(rb.tensor(b))
        with torch.no_grad():
            mt.weight.copy_(torch.tensor(w))
            if mt.bias is not None:
                mt.bias.copy_(torch.tensor(b))
    for step in range(4):
        a = (rng.standard_normal(shape) * (1 + step) + step).astype(np.float32)
        xr, xt = pair(a)
        out_r, out_t = mr(xr), mt(xt)
        close(out_r, out_t, atol=2e-5)
        backward_both(out_r, out_t, rng)
        close(xr.grad, xt.grad, atol=5e-5)
        if mt.affine:
            close(mr.weight.grad, mt.weight.grad, atol=5e-5)
            if mt.bias is not None:
                close(mr.bias.grad, mt.bias.grad, atol=5e-5)
            mr.zero_grad()
            mt.zero_grad()
    if mt.track_running_stats:
        close(mr.running_mean, mt.running_mean)
        close(mr.running_var, mt.running_var)
        assert int(mr.num_batches_tracked.item()) == int(mt.num_batches_tracked) == 4
        assert mr.num_batches_tracked.dtype == rb.int64
    else:
        assert mr.running_mean is None and mr.num_batches_tracked is None
    mr.eval()
    mt.eval()
    a = rng.standard_normal(shape).astype(np.float32)
    xr, xt = pair(a)
    out_r, out_t = mr(xr), mt(xt)
    close(out_r, out_t, atol=2e-5)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad, atol=5e-5)
    if mt.track_running_stats:  # eval mode leaves the running statistics alone
        before = mr.running_mean.numpy().copy()
        mr(rb.tensor(a))
        np.testing.assert_array_equal(mr.running_mean.numpy(), before)


@requires_torch
def test_batch_norm_state_dict_keys_and_loading_from_torch():
    mt = torch.nn.Sequential(torch.nn.Conv2d(1, 1, 1), torch.nn.BatchNorm2d(3), torch.nn.BatchNorm1d(4))
    mr = rb.nn.Sequential(rb.nn.Identity(), rb.nn.BatchNorm2d(3), rb.nn.BatchNorm1d(4))
    want = [k for k in mt.state_dict() if not k.startswith("0.")]
    assert list(mr.state_dict().keys()) == want
    t = torch.nn.BatchNorm2d(3)
    t.train()
    for _ in range(3):
        t(torch.randn(4, 3, 2, 2) * 3 + 1)
    r = rb.nn.BatchNorm2d(3)
    r.load_state_dict({k: rb.tensor(v.numpy()) for k, v in t.state_dict().items()})
    close(r.running_var, t.running_var)
    assert int(r.num_batches_tracked.item()) == 3
    r.eval()
    t.eval()
    a = np.random.default_rng(0).standard_normal((2, 3, 4, 4)).astype(np.float32)
    close(r(rb.tensor(a)), t(torch.tensor(a)))
    assert list(rb.nn.BatchNorm1d(2, affine=False, track_running_stats=False).state_dict().keys()) == []
    assert list(rb.nn.BatchNorm2d(2, bias=False).state_dict().keys()) == list(
        torch.nn.BatchNorm2d(2, bias=False).state_dict().keys())


@requires_torch
def test_functional_batch_norm_updates_running_stats_as_torch():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((5, 3, 4)).astype(np.float32)
    rm_r, rv_r = rb.zeros(3), rb.ones(3)
    rm_t, rv_t = torch.zeros(3), torch.ones(3)
    for m in (0.1, 0.5, 1.0):
        close(F.batch_norm(rb.tensor(a), rm_r, rv_r, training=True, momentum=m),
              TF.batch_norm(torch.tensor(a), rm_t, rv_t, training=True, momentum=m))
    close(rm_r, rm_t)
    close(rv_r, rv_t)  # unbiased variance in the running estimate


# ---- dropout2d -----------------------------------------------------------------------------------

def test_dropout2d_drops_whole_channels():
    rb.manual_seed(0)
    x = rb.ones(64, 32, 3, 3, requires_grad=True)
    y = F.dropout2d(x, 0.25, training=True)
    v = y.detach().numpy()
    per_channel = v.reshape(64, 32, 9)
    assert np.all((per_channel == 0).all(-1) | np.isclose(per_channel, 1 / 0.75).all(-1))
    frac = (per_channel == 0).all(-1).mean()
    assert 0.2 < frac < 0.3
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), v)  # the gradient is the same channel mask
    m = rb.nn.Dropout2d(0.5)
    m.eval()
    assert m(x) is x
    rb.manual_seed(7)
    a = rb.nn.Dropout2d(0.5)(rb.ones(4, 8, 2, 2)).numpy()
    rb.manual_seed(7)
    b = F.dropout2d(rb.ones(4, 8, 2, 2), 0.5).numpy()
    np.testing.assert_array_equal(a, b)  # seeded: reproducible
    assert np.all(F.dropout2d(rb.ones(2, 3, 2, 2), 1.0).numpy() == 0)
    z = rb.ones(2, 3, 2, 2)
    assert F.dropout2d(z, 0.5, inplace=True) is z


def test_dropout2d_bad_probability():
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        rb.nn.Dropout2d(1.5)
    with pytest.raises(ValueError, match="dropout probability"):
        F.dropout2d(rb.ones(1, 2, 2, 2), -0.1)


# ---- interpolate and pad -------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("seed", range(16))
def test_interpolate_random_configs(seed):
    rnd, rng = random.Random(300 + seed), np.random.default_rng(seed)
    mode = ["nearest", "bilinear", "bicubic", "nearest-exact"][seed % 4]
    ac = None if mode.startswith("nearest") else rnd.random() < 0.5
    shape = (rnd.randint(1, 2), rnd.randint(1, 3), rnd.randint(1, 9), rnd.randint(1, 9))
    if rnd.random() < 0.5:
        kw = {"size": (rnd.randint(1, 12), rnd.randint(1, 12))}
    else:
        kw = {"scale_factor": (rnd.choice([0.5, 1.5, 2.0, 2.7, 3.0]), rnd.choice([0.7, 1.0, 2.0, 1.3]))}
        kw["scale_factor"] = tuple(max(f, 1.0 / n + 0.01) for f, n in zip(kw["scale_factor"], shape[2:]))
    xr, xt = pair(rng.standard_normal(shape).astype(np.float32))
    out_r = F.interpolate(xr, mode=mode, align_corners=ac, **kw)
    out_t = TF.interpolate(xt, mode=mode, align_corners=ac, **kw)
    assert tuple(out_r.shape) == tuple(out_t.shape)
    close(out_r, out_t)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad, atol=2e-5)


# uint8 images: up- and downscaling, by size or scale factor, one axis unchanged
_UINT8_CONFIGS = [((5, 7), {"size": (7, 5)}), ((2, 9), {"size": (2, 17)}), ((13, 4), {"size": (40, 3)}),
                  ((32, 32), {"size": (9, 13)}), ((6, 9), {"scale_factor": (0.3, 2.5)}),
                  ((6, 9), {"scale_factor": 1.7, "recompute_scale_factor": True}), ((5, 5), {"scale_factor": 3.0}),
                  ((4, 6), {"size": (4, 6)}), ((9, 3), {"size": (1, 3)})]


def _assert_uint8_equal(mode, **kw):
    """Every value equals PyTorch's on _UINT8_CONFIGS, contiguous, channels-last and transposed inputs."""
    rng = np.random.default_rng(7)
    for (h, w), size_kw in _UINT8_CONFIGS:
        a = rng.integers(0, 256, size=(2, 5, h, w)).astype(np.uint8)
        a[0, 0] = np.where(a[0, 0] > 128, 255, 0)  # hard edges overshoot (cubic) and clamp
        for layout in (lambda t: t, lambda t: t.transpose(2, 3).contiguous().transpose(2, 3)):
            ours = F.interpolate(layout(rb.tensor(a)), mode=mode, **kw, **size_kw)
            theirs = TF.interpolate(layout(torch.tensor(a)), mode=mode, **kw, **size_kw)
            assert ours.dtype == rb.uint8
            np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@requires_torch
@pytest.mark.parametrize("antialias", [False, True])
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_uint8_bilinear_and_bicubic_equal_pytorchs_fixed_point_results(mode, align_corners, antialias):
    """PyTorch 2.13 resizes uint8 images with its own fixed-point algorithm (int16 weights at a precision chosen per
    axis, int32 sums from a rounding half, the width pass then the height pass through uint8, clamped): not the float
    result rounded (up to 21 apart)."""
    _assert_uint8_equal(mode, align_corners=align_corners, antialias=antialias)


@requires_torch
def test_uint8_lanczos_equals_pytorchs_fixed_point_results():
    _assert_uint8_equal("lanczos", antialias=True)


_AA_CONFIGS = [((9, 7), {"size": (4, 13)}), ((12, 8), {"scale_factor": (0.3, 2.5)}), ((31, 40), {"size": (7, 9)}),
               ((6, 9), {"scale_factor": 1.7, "recompute_scale_factor": True}), ((3, 4), {"size": (30, 2)}),
               ((12, 8), {"size": (1, 1)}), ((5, 6), {"size": (5, 2)})]


@requires_torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode,align_corners", [("bilinear", False), ("bilinear", True), ("bicubic", False),
                                                ("bicubic", True), ("lanczos", False)])
def test_antialiased_float_interpolation_matches_pytorch(mode, align_corners, dtype):
    """antialias=True of float32 and float64 (PyTorch's _upsample_*2d_aa and their backward): PIL's filters over a
    support widened by the downscale, normalised per output; down- and upscaling, by size or scale factor, with
    recompute_scale_factor, an axis unchanged, a 1x1 output, a channels-last input. Within float rounding: the
    weights are computed in the input's dtype as ATen's."""
    rng = np.random.default_rng(3)
    tol = {"atol": 3e-6, "rtol": 1e-5} if dtype == np.float32 else {"atol": 1e-12, "rtol": 1e-12}
    for (h, w), kw in _AA_CONFIGS:
        for last in (False, True):
            a = rng.standard_normal((2, 3, h, w)).astype(dtype)
            xr, xt = pair(a)
            ir, it = ((t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) if last else t) for t in (xr, xt))
            out_r = F.interpolate(ir, mode=mode, align_corners=align_corners, antialias=True, **kw)
            out_t = TF.interpolate(it, mode=mode, align_corners=align_corners, antialias=True, **kw)
            assert out_r.dtype == (rb.float32 if dtype == np.float32 else rb.float64)
            assert tuple(out_r.shape) == tuple(out_t.shape)
            assert out_r.grad_fn.name() == out_t.grad_fn.name()
            close(out_r, out_t, **tol)
            backward_both(out_r, out_t, rng)
            close(xr.grad, xt.grad, **tol)


def test_antialiased_downscale_low_pass_filters():
    """The point of antialias: a 1-pixel checkerboard shrunk 3x keeps its mean (0.5 +- 1/162 inside: per axis a
    triangle 3 pixels wide each side weighs the parities 5/9 and 4/9) where the plain bilinear kernel samples single
    pixels (0 or 1: aliasing); upscaling keeps the plain triangle's values."""
    board = (np.indices((18, 18)).sum(0) % 2).astype(np.float32)[None, None]
    aa = F.interpolate(rb.tensor(board), size=(6, 6), mode="bilinear", antialias=True).numpy()
    plain = F.interpolate(rb.tensor(board), size=(6, 6), mode="bilinear").numpy()
    assert np.abs(aa - 0.5).max() < 0.07
    np.testing.assert_allclose(np.abs(aa[..., 1:5, 1:5] - 0.5), 1 / 162, atol=1e-6)
    np.testing.assert_array_equal(np.abs(plain - 0.5), 0.5)
    x = rb.tensor(np.random.default_rng(0).standard_normal((1, 1, 5, 5)).astype(np.float32))
    up_aa = F.interpolate(x, size=(10, 10), mode="bilinear", antialias=True).numpy()
    up = F.interpolate(x, size=(10, 10), mode="bilinear").numpy()
    np.testing.assert_allclose(up_aa, up, atol=1e-6)


def test_antialiased_backward_is_differentiable_and_the_forwards_gradient():
    """The backward is an op with a node: its gradient with respect to grad_output is the forward again
    (create_graph). Where a scale factor keeps an axis' size (5 * 1.1 -> 5), the forward does not resample that
    axis (PyTorch's), and the gradient is the identity there too: PyTorch's backward resamples it with the scale
    factor's weights (its gradcheck fails); ours passes it."""
    rng = np.random.default_rng(1)
    for mode in ("bilinear", "bicubic", "lanczos"):
        x = rb.tensor(rng.standard_normal((1, 2, 6, 7)), requires_grad=True)
        y = F.interpolate(x, size=(3, 9), mode=mode, antialias=True)
        g = rb.tensor(rng.standard_normal(tuple(y.shape)), requires_grad=True)
        (gx,) = rb.autograd.grad(y, x, g, create_graph=True)
        v = rb.tensor(rng.standard_normal(tuple(gx.shape)))
        (gx * v).sum().backward()
        want = F.interpolate(v, size=(3, 9), mode=mode, antialias=True)
        np.testing.assert_allclose(g.grad.numpy(), want.numpy(), atol=1e-12)
        x2 = rb.tensor(rng.standard_normal((1, 1, 5, 6)), requires_grad=True)
        assert rb.autograd.gradcheck(
            lambda t, m=mode: F.interpolate(t, scale_factor=(1.1, 0.5), mode=m, antialias=True), (x2,))


def test_antialias_refusals_follow_pytorch():
    x = rb.zeros(1, 1, 4, 4)
    for dt, name in [(rb.float16, "Half"), (rb.bfloat16, "BFloat16"), (rb.int32, "Int"), (rb.int64, "Long")]:
        with pytest.raises(NotImplementedError, match=f"\"compute_index_ranges_weights\" not implemented for '{name}'"):
            F.interpolate(x.to(dt), size=2, mode="bicubic", antialias=True)
    restricted = "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D"
    for inp, mode in [(x, "nearest"), (x, "area"), (rb.zeros(1, 1, 4), "bilinear"),
                      (rb.zeros(1, 1, 2, 2, 2), "bicubic"), (rb.zeros(1, 1, 4), "lanczos")]:
        with pytest.raises(ValueError, match=restricted):
            F.interpolate(inp, size=2, mode=mode, antialias=True)
    with pytest.raises(ValueError, match="Lanczos mode requires antialias=True"):
        F.interpolate(x, size=2, mode="lanczos")
    with pytest.raises(ValueError, match="Lanczos mode does not support align_corners=True"):
        F.interpolate(x, size=2, mode="lanczos", align_corners=True, antialias=True)
    with pytest.raises(NotImplementedError, match=r"trilinear \| lanczos \| area \| nearest-exact \(got lanczos\)"):
        F.interpolate(rb.zeros(1, 1, 4), size=2, mode="lanczos")
    with pytest.raises(RuntimeError, match=r"Input and output sizes should be greater than 0.*output \(H: 0, W: 3\)"):
        F.interpolate(x, size=(0, 3), mode="bilinear", antialias=True)
    with pytest.raises(RuntimeError, match="Non-empty 4D data tensor expected"):
        F.interpolate(rb.zeros(1, 0, 4, 4), size=2, mode="bilinear", antialias=True)
    assert tuple(F.interpolate(rb.zeros(0, 2, 4, 4), size=2, mode="bilinear", antialias=True).shape) == (0, 2, 2, 2)


def test_uint8_interpolation_refusals_follow_pytorch():
    x = rb.zeros(1, 2, 5, dtype=rb.uint8)
    with pytest.raises(NotImplementedError, match="\"compute_indices_weights_linear\" not implemented for 'Byte'"):
        F.interpolate(x, scale_factor=2, mode="linear")
    with pytest.raises(ValueError, match="Anti-alias option is restricted to bilinear, bicubic, and lanczos modes"):
        F.interpolate(rb.zeros(1, 1, 4, 4, dtype=rb.uint8), scale_factor=2, mode="nearest", antialias=True)
    with pytest.raises(NotImplementedError):
        F.interpolate(rb.zeros(1, 1, 4, 4, dtype=rb.int32), scale_factor=2, mode="bilinear")
    # a float image's bilinear is unchanged: the float path, differentiable
    assert F.interpolate(rb.ones(1, 1, 2, 2, requires_grad=True), scale_factor=2, mode="bilinear").requires_grad


@requires_torch
def test_interpolate_3d_and_modules():
    rng = np.random.default_rng(0)
    xr, xt = pair(rng.standard_normal((2, 3, 7)).astype(np.float32))
    for mode, ac in [("nearest", None), ("linear", False), ("linear", True)]:
        close(F.interpolate(xr, size=11, mode=mode, align_corners=ac),
              TF.interpolate(xt, size=11, mode=mode, align_corners=ac))
    a = rng.standard_normal((1, 2, 3, 4)).astype(np.float32)
    for r, t in [(rb.nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2)),
                 (rb.nn.UpsamplingBilinear2d(size=(5, 7)), torch.nn.UpsamplingBilinear2d(size=(5, 7))),
                 (rb.nn.UpsamplingNearest2d(scale_factor=3), torch.nn.UpsamplingNearest2d(scale_factor=3)),
                 (rb.nn.Upsample(size=6, mode="bicubic", align_corners=True),
                  torch.nn.Upsample(size=6, mode="bicubic", align_corners=True))]:
        close(r(rb.tensor(a)), t(torch.tensor(a)))
        assert repr(r) == repr(t)


@requires_torch
@pytest.mark.parametrize("seed", range(8))
def test_pad_random_configs(seed):
    rnd, rng = random.Random(400 + seed), np.random.default_rng(seed)
    ndim = rnd.randint(1, 4)
    shape = tuple(rnd.randint(2, 5) for _ in range(ndim))
    npad = rnd.randint(1, ndim)
    pad = []
    for d in range(npad):
        size = shape[-1 - d]
        left = rnd.randint(-(size // 2), 3)
        right = rnd.randint(-(size // 2), 3)
        pad += [left, right]
    value = rnd.choice([None, 0.0, -1.5, 3])
    a = rng.standard_normal(shape).astype(np.float64)
    xr, xt = pair(a)
    out_r, out_t = F.pad(xr, pad, value=value), TF.pad(xt, pad, value=value)
    assert tuple(out_r.shape) == tuple(out_t.shape)
    close(out_r, out_t)
    backward_both(out_r, out_t, rng)
    close(xr.grad, xt.grad)
    # a non-contiguous input
    if ndim >= 2:
        close(F.pad(rb.tensor(a).transpose(0, 1), pad, value=value), TF.pad(torch.tensor(a).transpose(0, 1), pad,
                                                                            value=value))


@requires_torch
def test_pad_int_tensor_and_modules():
    a = np.arange(6).reshape(2, 3)
    out = F.pad(rb.tensor(a), (1, 1), value=7)
    assert out.dtype == rb.int64
    np.testing.assert_array_equal(out.numpy(), TF.pad(torch.tensor(a), (1, 1), value=7).numpy())
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 3)).astype(np.float32)
    for r, t in [(rb.nn.ZeroPad2d(2), torch.nn.ZeroPad2d(2)),
                 (rb.nn.ConstantPad2d((1, 0, 2, 1), 0.5), torch.nn.ConstantPad2d((1, 0, 2, 1), 0.5)),
                 (rb.nn.ConstantPad1d(1, -1.0), torch.nn.ConstantPad1d(1, -1.0))]:
        close(r(rb.tensor(x)), t(torch.tensor(x)))
        assert repr(r) == repr(t)


# ---- reprs, grad_fn names ------------------------------------------------------------------------

@requires_torch
def test_module_reprs_match_torch():
    pairs = [
        (rb.nn.MaxPool2d(3, 2, 1, ceil_mode=True), torch.nn.MaxPool2d(3, 2, 1, ceil_mode=True)),
        (rb.nn.AvgPool2d((2, 3)), torch.nn.AvgPool2d((2, 3))),
        (rb.nn.AdaptiveAvgPool2d((1, 1)), torch.nn.AdaptiveAvgPool2d((1, 1))),
        (rb.nn.AdaptiveMaxPool2d(4), torch.nn.AdaptiveMaxPool2d(4)),
        (rb.nn.BatchNorm2d(8, momentum=None), torch.nn.BatchNorm2d(8, momentum=None)),
        (rb.nn.BatchNorm1d(3, affine=False), torch.nn.BatchNorm1d(3, affine=False)),
        (rb.nn.BatchNorm1d(3, bias=False), torch.nn.BatchNorm1d(3, bias=False)),
        (rb.nn.Dropout2d(0.2), torch.nn.Dropout2d(0.2)),
        (rb.nn.MaxUnpool2d(2), torch.nn.MaxUnpool2d(2)),
    ]
    for r, t in pairs:
        assert repr(r) == repr(t)


def test_grad_fn_names():
    x = rb.ones(1, 1, 4, 4, requires_grad=True)
    assert F.max_pool2d(x, 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    assert F.avg_pool2d(x, 2).grad_fn.name() == "AvgPool2DBackward0"
    assert F.adaptive_avg_pool2d(x, 2).grad_fn.name() == "AdaptiveAvgPool2DBackward0"  # 1x1 is a mean, as ATen
    assert F.batch_norm(x, None, None, training=True).grad_fn.name() == "NativeBatchNormBackward0"
    assert F.pad(x, (1, 1)).grad_fn.name() == "ConstantPadNdBackward0"
    assert F.interpolate(x, scale_factor=2, mode="bilinear").grad_fn.name() == "UpsampleBilinear2DBackward0"


# ---- errors --------------------------------------------------------------------------------------

X4 = lambda: rb.ones(1, 2, 4, 4)

ERRORS = [
    (lambda: F.max_pool2d(X4(), 3, padding=2), RuntimeError, "pad should be at most half of effective kernel size"),
    (lambda: F.avg_pool2d(X4(), 3, padding=2), RuntimeError, "pad should be at most half of effective kernel size"),
    (lambda: F.max_pool2d(X4(), 2, stride=0), RuntimeError, "stride should not be zero"),
    (lambda: F.avg_pool2d(X4(), 2, stride=0), RuntimeError, "stride should not be zero"),
    (lambda: F.max_pool2d(X4(), 2, stride=-1), RuntimeError, "stride should be greater than zero, but got dH: -1"),
    (lambda: F.max_pool2d(X4(), 2, dilation=0), RuntimeError, "dilation should be greater than zero"),
    (lambda: F.max_pool2d(X4(), 5), RuntimeError,
     r"Given input size: \(2x4x4\). Calculated output size: \(2x0x0\). Output size is too small"),
    (lambda: F.avg_pool2d(X4(), 5), RuntimeError, "Output size is too small"),
    (lambda: F.max_pool2d(rb.ones(4, 4), 2), RuntimeError, "non-empty 3D or 4D"),
    (lambda: F.max_pool2d(rb.ones(1, 1, 1, 4, 4), 2), RuntimeError, "non-empty 3D or 4D"),
    (lambda: F.max_pool2d(X4(), (2, 2, 2)), RuntimeError, "kernel_size must either be a single int"),
    (lambda: F.adaptive_avg_pool2d(rb.ones(4, 4), 2), RuntimeError, r"Expected 3D or 4D tensor, but got \[4, 4\]"),
    (lambda: F.adaptive_max_pool2d(rb.ones(4, 4), 2), RuntimeError, "Expected 3D or 4D tensor"),
    (lambda: F.adaptive_avg_pool2d(X4(), -1), RuntimeError, "elements of output_size must be greater than or equal"),
    (lambda: F.adaptive_max_pool2d(rb.ones(1, 2, 0, 4), 2), RuntimeError, "with dimension 2 being empty"),
    (lambda: rb.nn.BatchNorm2d(2)(rb.ones(2, 4, 4)), ValueError, r"expected 4D input \(got 3D input\)"),
    (lambda: rb.nn.BatchNorm1d(2)(rb.ones(2, 2, 4, 4)), ValueError, r"expected 2D or 3D input \(got 4D input\)"),
    (lambda: rb.nn.BatchNorm2d(3)(X4()), RuntimeError, "running_mean should contain 2 elements not 3"),
    (lambda: rb.nn.BatchNorm1d(2)(rb.ones(1, 2)), ValueError, "Expected more than 1 value per channel when training"),
    (lambda: F.batch_norm(X4(), rb.zeros(2), rb.ones(2), rb.ones(3)), RuntimeError,
     "weight should contain 2 elements not 3"),
    (lambda: F.batch_norm(rb.ones(2, 3), None, None, training=False), RuntimeError,
     "running_mean must be defined in evaluation mode"),
    (lambda: F.interpolate(X4(), mode="nearest"), ValueError, "either size or scale_factor should be defined"),
    (lambda: F.interpolate(X4(), size=2, scale_factor=2), ValueError, "only one of size or scale_factor"),
    (lambda: F.interpolate(X4(), size=2, align_corners=True), ValueError, "align_corners option can only be set"),
    (lambda: F.interpolate(X4(), size=(2, 2, 2)), ValueError, "same number of spatial dimensions"),
    (lambda: F.interpolate(rb.ones(1, 2, 4), size=3, mode="bilinear"), NotImplementedError,
     "Got 3D input, but bilinear mode needs 4D input"),
    (lambda: F.interpolate(X4(), size=2, mode="foo"), NotImplementedError, "got foo"),
    (lambda: F.interpolate(X4(), size=0), RuntimeError, "Input and output sizes should be greater than 0"),
    (lambda: F.pad(X4(), (1,)), RuntimeError, "Padding length must be divisible by 2"),
    (lambda: F.pad(X4(), (1,) * 10), RuntimeError, "Padding length should be less than or equal to two times"),
    (lambda: F.pad(X4(), (-3, -3)), RuntimeError, "length must be non-negative"),
    (lambda: F.pad(X4(), (1, 1), mode="reflect2"), NotImplementedError, "Unrecognised padding mode reflect2"),
    (lambda: F.max_unpool2d(rb.ones(1, 1, 2, 2), rb.tensor([[[[0, 1], [2, 99]]]]), 2), RuntimeError,
     "Found an invalid max index: 99"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    fn, exc, msg = ERRORS[i]
    with pytest.raises(exc, match=msg):
        fn()


@requires_torch
@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_have_torch_exception_types(i):
    """The same call on torch raises the same exception type (both run the same lambda body)."""
    fn, exc, _ = ERRORS[i]
    if i == len(ERRORS) - 1:  # torch checks unpool indices elsewhere, with another type
        return
    g = dict(fn.__globals__, F=TF, rb=torch, X4=lambda: torch.ones(1, 2, 4, 4))
    with pytest.raises(exc):
        type(fn)(fn.__code__, g)()


def test_failed_batch_norm_leaves_running_stats_untouched():
    m = rb.nn.BatchNorm1d(3)
    rm, rv = m.running_mean.numpy().copy(), m.running_var.numpy().copy()
    with pytest.raises(RuntimeError):
        F.batch_norm(rb.ones(4, 3), m.running_mean, m.running_var, rb.ones(2), None, training=True)
    np.testing.assert_array_equal(m.running_mean.numpy(), rm)
    np.testing.assert_array_equal(m.running_var.numpy(), rv)


def test_integer_inputs_are_rejected():
    # (max pools and average pools take int64, as PyTorch's: tests/test_fuzz_regressions.py)
    with pytest.raises(NotImplementedError, match="avg_pool2d"):
        F.avg_pool2d(rb.ones(1, 1, 4, 4, dtype=rb.int32), 2)
    with pytest.raises(NotImplementedError):
        F.batch_norm(rb.ones(2, 3, dtype=rb.int64), None, None, training=True)


# ---- layouts and threads -------------------------------------------------------------------------

@requires_torch
def test_non_contiguous_inputs():
    rng = np.random.default_rng(11)
    a = distinct(rng, (3, 2, 6, 5))
    xr, xt = rb.tensor(a).transpose(2, 3), torch.tensor(a).transpose(2, 3)
    close(F.max_pool2d(xr, 2, 1), TF.max_pool2d(xt, 2, 1))
    close(F.avg_pool2d(xr, 3, 2, 1), TF.avg_pool2d(xt, 3, 2, 1))
    close(F.adaptive_max_pool2d(xr, 2), TF.adaptive_max_pool2d(xt, 2))
    close(F.batch_norm(xr, None, None, training=True), TF.batch_norm(xt, None, None, training=True))
    close(F.interpolate(xr, size=(4, 9), mode="bicubic"), TF.interpolate(xt, size=(4, 9), mode="bicubic"))
    # a non-contiguous upstream gradient (from expand) reaches each backward
    xr2, xt2 = pair(a)
    F.max_pool2d(xr2, 2).sum().backward()
    TF.max_pool2d(xt2, 2).sum().backward()
    close(xr2.grad, xt2.grad)


def test_results_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(12)
    a = rng.standard_normal((4, 8, 48, 48)).astype(np.float32)
    prev = rb.get_num_threads()

    def run():
        x = rb.tensor(a).requires_grad_(True)
        y = F.batch_norm(F.max_pool2d(x, 3, 2, 1), None, None, training=True)
        y = F.interpolate(y, scale_factor=2, mode="bilinear")
        (y * y).sum().backward()
        return y.detach().numpy(), x.grad.numpy()

    try:
        rb.set_num_threads(1)
        one = run()
        rb.set_num_threads(2)
        two = run()
    finally:
        rb.set_num_threads(prev)
    for p, q in zip(one, two):
        np.testing.assert_array_equal(p, q)
