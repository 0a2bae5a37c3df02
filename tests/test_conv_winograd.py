"""conv2d's Winograd path, F(4x4, 3x3) (float32, 3x3, stride 1, 16 or more channels per group in and out, 128 or
more 4x4 output tiles in the batch), its dinput (conv2d's backward, conv_transpose2d's forward) and its weight
gradient: outputs and all gradients against a float64 numpy definition, and against PyTorch when installed. The
cases leave partial tiles at the right and bottom edges, pad by 0, 1, 2, 7 and 'same', use groups, bias or none,
maps narrower than one tile, non-contiguous inputs, non-finite values, and one or two threads."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as RF
from conftest import HAVE_TORCH, torch
from numpy_ref import _np_conv2d, _np_conv_transpose2d

# (N, C, OC, H, W, padding, groups, bias); each makes at least 128 output tiles of 4x4
CASES = [
    (8, 16, 16, 16, 16, 1, 1, True),      # whole tiles only
    (4, 16, 24, 30, 17, 1, 1, True),      # partial tiles on both edges
    (6, 32, 16, 21, 22, 0, 1, False),     # no padding
    (3, 16, 16, 25, 27, 2, 1, True),      # padding 2: the dinput's own padding is 0
    (6, 32, 32, 18, 19, 1, 2, True),      # two groups of 16
    (2, 16, 16, 33, 40, "same", 1, True),
    (128, 16, 16, 4, 4, 1, 1, True),      # one tile per image, every tile on the border
    (8, 20, 17, 64, 3, 1, 1, False),      # a map narrower than one tile
    (2, 16, 16, 20, 20, 7, 1, True),      # padding past the window: whole tiles of zeros
]
IDS = [f"{c[0]}x{c[1]}->{c[2]}@{c[3]}x{c[4]}-pad{c[5]}-g{c[6]}" for c in CASES]
TOL = 1e-4  # relative to the largest magnitude; Winograd's float32 error here is about 1e-5


def _data(case, seed=0):
    n, c, oc, h, w, padding, groups, bias = case
    stride, k = 1, 3
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    wt = (rng.standard_normal((oc, c // groups, k, k)) / np.sqrt(k * k * c // groups)).astype(np.float32)
    b = rng.standard_normal(oc).astype(np.float32) if bias else None
    return x, wt, b, padding, groups, stride


def _ours(x, w, b, padding, groups, dy, threads=None, stride=1):
    old = rb.get_num_threads()
    if threads:
        rb.set_num_threads(threads)
    try:
        xr, wr = rb.tensor(x, requires_grad=True), rb.tensor(w, requires_grad=True)
        br = rb.tensor(b, requires_grad=True) if b is not None else None
        y = RF.conv2d(xr, wr, br, stride=stride, padding=padding, groups=groups)
        y.backward(rb.tensor(dy))
    finally:
        rb.set_num_threads(old)
    return [y.detach().numpy(), xr.grad.numpy(), wr.grad.numpy()] + ([br.grad.numpy()] if b is not None else [])


def _reference(x, w, b, padding, groups, dy, stride=1):
    """float64: y by definition, dx as the transposed convolution of dy, dw as the correlation of x with dy."""
    x, w, dy = x.astype(np.float64), w.astype(np.float64), dy.astype(np.float64)
    y = _np_conv2d(x, w, None if b is None else b.astype(np.float64), stride=stride, padding=padding, groups=groups)
    k = w.shape[2]
    ph = pw = (k - 1) // 2 if padding == "same" else padding
    n, c, h, wd = x.shape
    oc, cg = w.shape[:2]
    ocg = oc // groups
    oh, ow = dy.shape[2:]
    # dx: scatter each dy pixel through the weight, then crop the padding (pixels no output reads stay 0)
    full = _np_conv_transpose2d(dy, w, stride=stride, groups=groups)
    full = np.pad(full, ((0, 0), (0, 0), (0, max(0, ph + h - full.shape[2])), (0, max(0, pw + wd - full.shape[3]))))
    dx = full[:, :, ph:ph + h, pw:pw + wd]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph + stride), (pw, pw + stride)))
    dw = np.zeros_like(w)
    for g in range(groups):
        for kh in range(k):
            for kw in range(k):
                rows = slice(kh, kh + stride * (oh - 1) + 1, stride)
                cols = slice(kw, kw + stride * (ow - 1) + 1, stride)
                patch = xp[:, g * cg:(g + 1) * cg, rows, cols]
                dw[g * ocg:(g + 1) * ocg, :, kh, kw] = np.einsum("nohw,nchw->oc", dy[:, g * ocg:(g + 1) * ocg], patch)
    out = [y, dx, dw]
    if b is not None:
        out.append(dy.sum(axis=(0, 2, 3)))
    return out


def _assert_close(ours, ref, what):
    for o, r, name in zip(ours, ref, ["output", "dinput", "dweight", "dbias"]):
        assert o.shape == r.shape, f"{what}: {name} shape {o.shape} != {r.shape}"
        scale = float(np.abs(r).max())
        np.testing.assert_allclose(o, r, rtol=TOL, atol=TOL * scale, err_msg=f"{what}: {name}")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_float64_definition(case):
    x, w, b, padding, groups, stride = _data(case)
    y_shape = _np_conv2d(x[:1, :, :, :], w, stride=stride, padding=padding, groups=groups).shape
    dy = np.random.default_rng(1).standard_normal((x.shape[0],) + y_shape[1:]).astype(np.float32)
    _assert_close(_ours(x, w, b, padding, groups, dy, stride=stride),
                  _reference(x, w, b, padding, groups, dy, stride=stride), str(case))


@pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_torch(case):
    x, w, b, padding, groups, stride = _data(case, seed=2)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if b is not None else None
    yt = torch.nn.functional.conv2d(xt, wt, bt, stride=stride, padding=padding, groups=groups)
    dy = np.random.default_rng(3).standard_normal(tuple(yt.shape)).astype(np.float32)
    yt.backward(torch.tensor(dy))
    theirs = [yt.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()] + ([bt.grad.numpy()] if b is not None else [])
    _assert_close(_ours(x, w, b, padding, groups, dy, stride=stride), theirs, f"torch {case}")


@pytest.mark.parametrize("case", [(8, 16, 16, 32, 32, 1, 1, True), (6, 32, 32, 20, 23, 1, 2, True)])
def test_same_result_at_any_thread_count(case):  # several blocks of tiles, so both threads take some
    x, w, b, padding, groups, stride = _data(case, seed=4)
    dy = np.ones_like(_np_conv2d(x, w, stride=stride, padding=padding, groups=groups), dtype=np.float32)
    one = _ours(x, w, b, padding, groups, dy, threads=1, stride=stride)
    two = _ours(x, w, b, padding, groups, dy, threads=2, stride=stride)
    for a, c in zip(one[:2], two[:2]):  # output and dinput (not dweight): tiles are blocked by shape alone
        np.testing.assert_array_equal(a, c)


def test_non_contiguous_input():
    x, w, b, padding, groups, _ = _data(CASES[1], seed=5)
    xt = np.ascontiguousarray(np.swapaxes(x, 2, 3))  # stored (N, C, W, H): the transpose below is the input
    y = RF.conv2d(rb.tensor(xt).transpose(2, 3), rb.tensor(w), rb.tensor(b), padding=padding)
    ref = _np_conv2d(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), padding=padding)
    np.testing.assert_allclose(y.numpy(), ref, rtol=TOL, atol=TOL * float(np.abs(ref).max()))


@pytest.mark.parametrize("padding", [0, 1, 2])
def test_conv_transpose2d_stride1(padding):
    """conv_transpose2d's forward is conv2d's dinput, and its dinput conv2d's forward: both Winograd here."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((8, 24, 15, 18)).astype(np.float32)
    w = (rng.standard_normal((24, 16, 3, 3)) / 15).astype(np.float32)
    b = rng.standard_normal(16).astype(np.float32)
    xr, wr = rb.tensor(x, requires_grad=True), rb.tensor(w, requires_grad=True)
    y = RF.conv_transpose2d(xr, wr, rb.tensor(b), padding=padding)
    ref = _np_conv_transpose2d(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), padding=padding)
    assert y.shape == ref.shape
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=TOL, atol=TOL * float(np.abs(ref).max()))
    dy = rng.standard_normal(ref.shape).astype(np.float32)
    y.backward(rb.tensor(dy))
    # d/dx of conv_transpose2d(x) is conv2d(dy) with the same weight read as (C_in, C_out) -> (16 in, 24 out)
    dx_ref = _np_conv2d(dy.astype(np.float64), w.astype(np.float64), padding=padding)
    np.testing.assert_allclose(xr.grad.numpy(), dx_ref, rtol=TOL, atol=TOL * float(np.abs(dx_ref).max()))
    if HAVE_TORCH:
        xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        yt = torch.nn.functional.conv_transpose2d(xt, wt, torch.tensor(b), padding=padding)
        yt.backward(torch.tensor(dy))
        for o, t in [(y.detach().numpy(), yt.detach().numpy()), (xr.grad.numpy(), xt.grad.numpy()),
                     (wr.grad.numpy(), wt.grad.numpy())]:
            np.testing.assert_allclose(o, t, rtol=TOL, atol=TOL * float(np.abs(t).max()))


def test_deterministic_weight_gradient_at_any_thread_count():
    """The Winograd weight gradient sums per thread; rb.use_deterministic_algorithms keeps every gradient
    the same at one and two threads (its dweight takes the columns' path). 512 tiles: several blocks per thread."""
    x, w, b, padding, groups, _ = _data((8, 16, 16, 32, 32, 1, 1, True), seed=7)
    dy = np.random.default_rng(8).standard_normal(_np_conv2d(x, w, padding=padding).shape).astype(np.float32)
    rb.use_deterministic_algorithms(True)
    try:
        one = _ours(x, w, b, padding, groups, dy, threads=1)
        two = _ours(x, w, b, padding, groups, dy, threads=2)
    finally:
        rb.use_deterministic_algorithms(False)
    for a, c in zip(one, two):
        np.testing.assert_array_equal(a, c)
    _assert_close(one, _reference(x, w, b, padding, groups, dy), "deterministic")


@pytest.mark.parametrize("special", [np.inf, -np.inf, np.nan, 1e38])
def test_non_finite_values_stay_where_the_direct_convolution_puts_them(special):
    """A Winograd tile mixes all its inputs, so one infinity or nan (or a transform's overflow of a huge finite
    value) would spoil the tile's other outputs; those calls fall back to the direct path, so every output,
    dinput and dweight is non-finite exactly where the definition's is, and equal elsewhere."""
    x, w, b, padding, groups, stride = _data((8, 16, 32, 16, 16, 1, 1, True), seed=10)
    x[3, 5, 7, 9] = special
    dy = np.ones(_np_conv2d(x, w, stride=stride, padding=padding).shape, dtype=np.float32)
    dy_special = dy.copy()
    dy_special[1, 2, 3, 3] = special
    for dy_ in (dy, dy_special):
        xs = x if dy_ is dy else np.nan_to_num(x, posinf=1.0, neginf=-1.0, nan=0.5)
        ours = _ours(xs, w, b, padding, groups, dy_, stride=stride)
        ref = _reference(xs, w, b, padding, groups, dy_, stride=stride)
        for o, r, name in zip(ours, ref, ["output", "dinput", "dweight", "dbias"]):
            np.testing.assert_array_equal(np.isnan(o), np.isnan(r), err_msg=f"{name}: nan positions")
            np.testing.assert_array_equal(np.isposinf(o), np.isposinf(r), err_msg=f"{name}: +inf positions")
            np.testing.assert_array_equal(np.isneginf(o), np.isneginf(r), err_msg=f"{name}: -inf positions")
            fin = np.isfinite(r)
            if fin.any():
                np.testing.assert_allclose(o[fin], r[fin], rtol=TOL, atol=TOL * float(np.abs(r[fin]).max()),
                                           err_msg=name)
