"""Convolutions against PyTorch: randomized conv1d/conv2d/conv_transpose2d configurations (values and
the gradients of input, weight and bias), the kernels' parallel paths, the modules and the errors."""
import math
import warnings

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn as rnn
import rosenblatt.nn.functional as RF
from conftest import torch

TF = torch.nn.functional


def _pair_list(rng, lo, hi):
    return (int(rng.integers(lo, hi)), int(rng.integers(lo, hi)))


def _run_both(fname, x, w, b, upstream_seed=0, **kw):
    """Forward and backward in both libraries; returns (ours, theirs) lists of output, dx, dw, db."""
    xr, wr = rb.tensor(x, requires_grad=True), rb.tensor(w, requires_grad=True)
    xt, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    br = bt = None
    if b is not None:
        br, bt = rb.tensor(b, requires_grad=True), torch.tensor(b, requires_grad=True)
    yr = getattr(RF, fname)(xr, wr, br, **kw)
    yt = getattr(TF, fname)(xt, wt, bt, **kw)
    g = np.random.default_rng(upstream_seed).standard_normal(tuple(yt.shape)).astype(x.dtype)
    (yr * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    ours = [yr.detach().numpy(), xr.grad.numpy(), wr.grad.numpy()] + ([br.grad.numpy()] if b is not None else [])
    theirs = [yt.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()] + ([bt.grad.numpy()] if b is not None else [])
    return ours, theirs


def _assert_close(ours, theirs, what, tol=2e-4):
    names = ["output", "dinput", "dweight", "dbias"]
    for o, t, n in zip(ours, theirs, names):
        assert o.shape == t.shape, f"{what}: {n} shape {o.shape} != {t.shape}"
        scale = max(1.0, float(np.abs(t).max()))
        np.testing.assert_allclose(o, t, atol=tol * scale, rtol=tol, err_msg=f"{what}: {n}")


@pytest.mark.parametrize("seed", range(30))
def test_conv2d_random_configurations(seed):
    rng = np.random.default_rng(seed)
    groups = int(rng.choice([1, 1, 2, 3]))
    cin = groups * int(rng.integers(1, 4))
    cout = groups * int(rng.integers(1, 4))
    k = _pair_list(rng, 1, 5)
    stride = _pair_list(rng, 1, 4)
    dil = _pair_list(rng, 1, 3)
    pad = (int(rng.integers(0, k[0])), int(rng.integers(0, k[1])))
    n = int(rng.integers(1, 4))
    h = dil[0] * (k[0] - 1) + 1 + int(rng.integers(0, 8)) - 2 * pad[0]
    w_ = dil[1] * (k[1] - 1) + 1 + int(rng.integers(0, 8)) - 2 * pad[1]
    h, w_ = max(h, 1), max(w_, 1)
    if h + 2 * pad[0] < dil[0] * (k[0] - 1) + 1 or w_ + 2 * pad[1] < dil[1] * (k[1] - 1) + 1:
        pad = (dil[0] * (k[0] - 1), dil[1] * (k[1] - 1))
    x = rng.standard_normal((n, cin, h, w_)).astype(np.float32)
    w = rng.standard_normal((cout, cin // groups, *k)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32) if rng.random() < 0.7 else None
    kw = {"stride": stride, "padding": pad, "dilation": dil, "groups": groups}
    ours, theirs = _run_both("conv2d", x, w, b, **kw)
    _assert_close(ours, theirs, f"conv2d {x.shape} {w.shape} {kw}")


@pytest.mark.parametrize("seed", range(20))
def test_conv_transpose2d_random_configurations(seed):
    rng = np.random.default_rng(100 + seed)
    groups = int(rng.choice([1, 1, 2]))
    cin = groups * int(rng.integers(1, 4))
    cout = groups * int(rng.integers(1, 4))
    k = _pair_list(rng, 1, 5)
    stride = _pair_list(rng, 1, 4)
    dil = _pair_list(rng, 1, 3)
    pad = (int(rng.integers(0, k[0])), int(rng.integers(0, k[1])))
    outpad = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(stride, dil))
    n = int(rng.integers(1, 4))
    x = rng.standard_normal((n, cin, int(rng.integers(2, 7)), int(rng.integers(2, 7)))).astype(np.float32)
    w = rng.standard_normal((cin, cout // groups, *k)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32) if rng.random() < 0.7 else None
    kw = {"stride": stride, "padding": pad, "output_padding": outpad, "groups": groups, "dilation": dil}
    out = [(x.shape[2 + d] - 1) * stride[d] - 2 * pad[d] + dil[d] * (k[d] - 1) + outpad[d] + 1 for d in range(2)]
    if min(out) <= 0:
        kw["padding"] = 0
    ours, theirs = _run_both("conv_transpose2d", x, w, b, **kw)
    _assert_close(ours, theirs, f"conv_transpose2d {x.shape} {w.shape} {kw}")


@pytest.mark.parametrize("seed", range(12))
def test_conv1d_random_configurations(seed):
    rng = np.random.default_rng(200 + seed)
    groups = int(rng.choice([1, 2]))
    cin, cout = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
    k, stride, dil = int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
    pad = int(rng.integers(0, k))
    length = dil * (k - 1) + 1 + int(rng.integers(0, 10))
    x = rng.standard_normal((int(rng.integers(1, 4)), cin, length)).astype(np.float32)
    w = rng.standard_normal((cout, cin // groups, k)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32)
    kw = {"stride": stride, "padding": pad, "dilation": dil, "groups": groups}
    ours, theirs = _run_both("conv1d", x, w, b, **kw)
    _assert_close(ours, theirs, f"conv1d {x.shape} {w.shape} {kw}")


@pytest.mark.parametrize("seed", range(8))
def test_conv_transpose1d_random_configurations(seed):
    rng = np.random.default_rng(400 + seed)
    groups = int(rng.choice([1, 2]))
    cin, cout = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
    k, stride, dil = int(rng.integers(1, 6)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
    outpad = int(rng.integers(0, max(stride, dil)))
    length = int(rng.integers(2, 9))
    pad = int(rng.integers(0, k))
    if (length - 1) * stride - 2 * pad + dil * (k - 1) + outpad + 1 <= 0:
        pad = 0
    x = rng.standard_normal((int(rng.integers(1, 4)), cin, length)).astype(np.float32)
    w = rng.standard_normal((cin, cout // groups, k)).astype(np.float32)
    b = rng.standard_normal(cout).astype(np.float32)
    kw = {"stride": stride, "padding": pad, "output_padding": outpad, "groups": groups, "dilation": dil}
    ours, theirs = _run_both("conv_transpose1d", x, w, b, **kw)
    _assert_close(ours, theirs, f"conv_transpose1d {x.shape} {w.shape} {kw}")


@pytest.mark.parametrize("seed", range(10))
def test_depthwise_random_configurations(seed):
    """groups == in_channels runs the direct depthwise kernels (channel multiplier 1 to 3)."""
    rng = np.random.default_rng(300 + seed)
    c, mult = int(rng.integers(2, 6)), int(rng.integers(1, 4))
    k, stride, dil = _pair_list(rng, 1, 5), _pair_list(rng, 1, 3), _pair_list(rng, 1, 3)
    pad = (int(rng.integers(0, k[0])), int(rng.integers(0, k[1])))
    n = int(rng.integers(1, 4))
    hw = [dil[d] * (k[d] - 1) + 1 + int(rng.integers(0, 6)) for d in range(2)]
    x = rng.standard_normal((n, c, *hw)).astype(np.float32)
    w = rng.standard_normal((c * mult, 1, *k)).astype(np.float32)
    b = rng.standard_normal(c * mult).astype(np.float32)
    kw = {"stride": stride, "padding": pad, "dilation": dil, "groups": c}
    ours, theirs = _run_both("conv2d", x, w, b, **kw)
    _assert_close(ours, theirs, f"depthwise conv2d {x.shape} {w.shape} {kw}")
    outpad = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(stride, dil))
    wt = rng.standard_normal((c, 1, *k)).astype(np.float32)
    ours, theirs = _run_both("conv_transpose2d", x, wt, b[:c], stride=stride, output_padding=outpad, groups=c,
                             dilation=dil)
    _assert_close(ours, theirs, f"depthwise conv_transpose2d {x.shape} {wt.shape}")


# Sizes big enough for the batch-parallel path, the split-GEMM path (batch 1) and the 1x1 path.
@pytest.mark.parametrize("shape,wshape,kw", [
    ((4, 16, 20, 18), (32, 16, 3, 3), {"padding": 1}),
    ((1, 16, 24, 24), (32, 16, 3, 3), {"padding": 1, "stride": 2}),
    ((5, 32, 16, 16), (48, 32, 1, 1), {}),
    ((3, 32, 16, 16), (32, 1, 3, 3), {"padding": 1, "groups": 32}),
    ((4, 24, 15, 17), (36, 8, 3, 5), {"padding": (1, 2), "groups": 3, "dilation": (1, 2)}),
])
@pytest.mark.parametrize("threads", [1, 2])
def test_conv2d_large_paths(shape, wshape, kw, threads):
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal(wshape) * 0.1).astype(np.float32)
    b = rng.standard_normal(wshape[0]).astype(np.float32)
    old = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        ours, theirs = _run_both("conv2d", x, w, b, **kw)
        groups = kw.get("groups", 1)
        wt = (rng.standard_normal((shape[1], wshape[0] // groups, *wshape[2:])) * 0.1).astype(np.float32)
        ours_t, theirs_t = _run_both("conv_transpose2d", x, wt, b, **kw)
    finally:
        rb.set_num_threads(old)
    _assert_close(ours, theirs, f"conv2d {shape} {wshape} {kw} threads={threads}", tol=1e-3)
    _assert_close(ours_t, theirs_t, f"conv_transpose2d {shape} {kw} threads={threads}", tol=1e-3)


# Small maps: several whole images' columns side by side in one product (a batch that is no
# multiple of the images per product), and windows covering the whole input (a dense layer).
# The DCGAN shapes are among them.
@pytest.mark.parametrize("fname,shape,wshape,kw", [
    ("conv2d", (37, 64, 8, 8), (96, 64, 4, 4), {"padding": 1, "stride": 2}),
    ("conv2d", (9, 6, 5, 5), (4, 3, 3, 3), {"padding": 2, "stride": 3, "groups": 2, "dilation": 2}),
    ("conv2d", (13, 32, 4, 4), (24, 32, 4, 4), {}),
    ("conv2d", (7, 8, 3, 5), (6, 4, 3, 5), {"groups": 2}),
    ("conv2d", (11, 12, 6, 7), (10, 12, 3, 3), {"stride": (2, 3), "padding": (2, 0)}),
    ("conv_transpose2d", (37, 96, 4, 4), (96, 64, 4, 4), {"padding": 1, "stride": 2}),
    ("conv_transpose2d", (19, 100, 1, 1), (100, 48, 4, 4), {}),
    ("conv_transpose2d", (10, 6, 3, 2), (6, 2, 3, 3), {"stride": 3, "groups": 2, "output_padding": 1}),
])
@pytest.mark.parametrize("threads", [1, 2])
def test_conv_small_map_paths(fname, shape, wshape, kw, threads):
    rng = np.random.default_rng(5)
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal(wshape) * 0.1).astype(np.float32)
    out_channels = wshape[0] if fname == "conv2d" else wshape[1] * kw.get("groups", 1)
    b = rng.standard_normal(out_channels).astype(np.float32)
    old = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        ours, theirs = _run_both(fname, x, w, b, **kw)
    finally:
        rb.set_num_threads(old)
    _assert_close(ours, theirs, f"{fname} {shape} {wshape} {kw} threads={threads}", tol=1e-3)


@pytest.mark.parametrize("threads", [1, 2])
def test_conv1d_long_sequence_blocks(threads):
    """A row longer than one column block is split into pieces of the row."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal((2, 64, 3001)).astype(np.float32)
    w = (rng.standard_normal((8, 64, 5)) * 0.1).astype(np.float32)
    b = rng.standard_normal(8).astype(np.float32)
    old = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        ours, theirs = _run_both("conv1d", x, w, b, padding=3, stride=2, dilation=2)
        ours_t, theirs_t = _run_both("conv_transpose1d", x, w.transpose(1, 0, 2).copy(), b[:8], stride=1)
    finally:
        rb.set_num_threads(old)
    _assert_close(ours, theirs, "long conv1d", tol=1e-3)
    _assert_close(ours_t, theirs_t, "long conv_transpose1d", tol=1e-3)


def test_float64_matches_torch():
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((2, 4, 7, 7)), rng.standard_normal((6, 2, 3, 3)), rng.standard_normal(6)
    ours, theirs = _run_both("conv2d", x, w, b, stride=2, padding=1, groups=2)
    assert ours[0].dtype == np.float64
    _assert_close(ours, theirs, "conv2d float64", tol=1e-10)


def test_padding_same_asymmetric_and_unbatched():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 8, 7)).astype(np.float32)
    w = rng.standard_normal((2, 3, 4, 2)).astype(np.float32)
    ours, theirs = _run_both("conv2d", x, w, None, padding="same", dilation=(1, 3))
    assert ours[0].shape == (2, 8, 7)
    _assert_close(ours, theirs, "conv2d same unbatched")
    x1 = rng.standard_normal((3, 9)).astype(np.float32)
    ours, theirs = _run_both("conv1d", x1, w[:, :, 0, :], None, padding="same")
    assert ours[0].shape == (2, 9)
    _assert_close(ours, theirs, "conv1d same unbatched")


def test_grad_fn_and_partial_gradients():
    x = rb.randn(2, 3, 5, 5, requires_grad=True)
    w = rb.randn(4, 3, 3, 3)
    y = RF.conv2d(x, w)
    assert y.grad_fn.name() == "ConvolutionBackward0"
    y.sum().backward()
    assert x.grad is not None and w.grad is None
    xt = torch.tensor(x.detach().numpy(), requires_grad=True)
    TF.conv2d(xt, torch.tensor(w.numpy())).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), atol=1e-4, rtol=1e-4)
    # no graph under no_grad, and an empty batch gives an empty output
    with rb.no_grad():
        assert RF.conv2d(x, w).grad_fn is None
    assert tuple(RF.conv2d(rb.zeros(0, 3, 5, 5), w).shape) == (0, 4, 3, 3)


def test_inplace_modification_of_saved_input_raises():
    x = rb.randn(1, 2, 4, 4)
    w = rb.randn(3, 2, 3, 3, requires_grad=True)
    y = RF.conv2d(x, w)
    x.add_(1.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# ---- modules ------------------------------------------------------------------------------------

MODULE_CASES = [
    ("Conv2d", (3, 8, 3), {"stride": 2, "padding": 1}),
    ("Conv2d", (4, 6, (3, 5)), {"padding": "same", "groups": 2, "bias": False}),
    ("Conv2d", (4, 4, 3), {"groups": 4, "dilation": 2}),
    ("Conv1d", (3, 5, 4), {"stride": 2, "padding": 1}),
    ("Conv1d", (2, 4, 3), {"padding": "valid", "bias": False}),
    ("ConvTranspose2d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2}),
    ("ConvTranspose2d", (3, 2, (2, 3)), {"dilation": 2, "bias": False}),
    ("ConvTranspose1d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2}),
]


@pytest.mark.parametrize("cls,args,kw", MODULE_CASES)
def test_module_matches_torch(cls, args, kw):
    ours, theirs = getattr(rnn, cls)(*args, **kw), getattr(torch.nn, cls)(*args, **kw)
    sd_r, sd_t = ours.state_dict(), theirs.state_dict()
    assert list(sd_r.keys()) == list(sd_t.keys())
    for k in sd_t:
        assert tuple(sd_r[k].shape) == tuple(sd_t[k].shape), k
    assert repr(ours) == repr(theirs)
    # default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias alike
    fan_in = ours.weight.shape[1] * math.prod(ours.weight.shape[2:])
    bound = 1 / math.sqrt(fan_in)
    assert float(np.abs(ours.weight.detach().numpy()).max()) <= bound + 1e-6
    assert float(np.abs(ours.weight.detach().numpy()).max()) > 0.5 * bound
    if ours.bias is not None:
        assert float(np.abs(ours.bias.detach().numpy()).max()) <= bound + 1e-6
    # torch's weights loaded into ours give torch's output
    ours.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in sd_t.items()})
    spatial = (9,) if cls.endswith("1d") else (9, 8)
    x = np.random.default_rng(5).standard_normal((2, args[0], *spatial)).astype(np.float32)
    np.testing.assert_allclose(ours(rb.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               atol=1e-5, rtol=1e-4)
    assert ours.weight.shape == ours.weight.shape and ours.kernel_size == theirs.kernel_size
    assert ours.stride == theirs.stride and ours.padding == theirs.padding and ours.dilation == theirs.dilation


def test_conv_forward_hook_point():
    m = rnn.Conv2d(2, 3, 3)
    x, w2 = rb.randn(1, 2, 5, 5), rb.randn(3, 2, 3, 3)
    np.testing.assert_allclose(m._conv_forward(x, w2, None).numpy(), RF.conv2d(x, w2).numpy())


def test_conv_transpose1d_output_size():
    m, mt = rnn.ConvTranspose1d(2, 3, 3, stride=3), torch.nn.ConvTranspose1d(2, 3, 3, stride=3)
    m.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in mt.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((2, 2, 5)).astype(np.float32)
    y, yt = m(rb.tensor(x), output_size=[17]), mt(torch.tensor(x), output_size=[17])
    assert tuple(y.shape) == tuple(yt.shape) == (2, 3, 17)
    np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), atol=1e-5, rtol=1e-4)


def test_conv_transpose2d_output_size():
    m = rnn.ConvTranspose2d(3, 2, 3, stride=2)
    mt = torch.nn.ConvTranspose2d(3, 2, 3, stride=2)
    m.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in mt.state_dict().items()})
    x = np.random.default_rng(6).standard_normal((1, 3, 8, 8)).astype(np.float32)
    for size in ([17, 17], [18, 17], (1, 2, 18, 18)):
        y = m(rb.tensor(x), output_size=size)
        yt = mt(torch.tensor(x), output_size=size)
        assert tuple(y.shape) == tuple(yt.shape)
        np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), atol=1e-5, rtol=1e-4)
    with pytest.raises(ValueError, match="requested an output size of \\[20, 20\\], but valid sizes range from "
                                         "\\[17, 17\\] to \\[18, 18\\]"):
        m(rb.tensor(x), output_size=[20, 20])


def test_module_trains():
    rb.manual_seed(0)
    net = rnn.Sequential(rnn.Conv2d(1, 4, 3, padding=1), rnn.ReLU(), rnn.Conv2d(4, 1, 3, padding=1))
    x = rb.randn(8, 1, 6, 6)
    target = x * 2.0
    first = None
    for _ in range(60):
        loss = ((net(x) - target) ** 2).mean()
        first = float(loss) if first is None else first
        net.zero_grad()
        loss.backward()
        with rb.no_grad():
            for p in net.parameters():
                p -= 0.05 * p.grad
    assert float(loss) < 0.2 * first


@pytest.mark.parametrize("kw,err,msg", [
    ({"groups": 0}, ValueError, "groups must be a positive integer"),
    ({"groups": 2}, ValueError, "in_channels must be divisible by groups"),
    ({"padding": "foo"}, ValueError, "Invalid padding string 'foo'"),
    ({"padding": "same", "stride": 2}, ValueError, "padding='same' is not supported for strided convolutions"),
    ({"padding_mode": "foo"}, ValueError, "padding_mode must be one of"),
])
def test_module_errors(kw, err, msg):
    with pytest.raises(err, match=msg):
        rnn.Conv2d(3, 4, 3, **kw)


# ---- functional errors (PyTorch's messages, shapes included) -------------------------------------

def _x():
    return rb.randn(1, 3, 8, 8)


@pytest.mark.parametrize("call,msg", [
    (lambda: RF.conv2d(_x(), rb.randn(2, 4, 3, 3)),
     r"Given groups=1, weight of size \[2, 4, 3, 3\], expected input\[1, 3, 8, 8\] to have 4 channels, but got 3 "
     r"channels instead"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 9, 9)),
     r"Calculated padded input size per channel: \(8 x 8\). Kernel size: \(9 x 9\). Kernel size can't be greater "
     r"than actual input size"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), dilation=4),
     r"Kernel size: \(9 x 9\)"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), stride=0), "non-positive stride is not supported"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), stride=(1, -1)), "non-positive stride is not supported"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), padding=-1), "negative padding is not supported"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), dilation=0), r"dilation should be greater than zero, but got "
                                                                 r"\[0, 0\]"),
    (lambda: RF.conv2d(_x(), rb.randn(4, 1, 3, 3), groups=2),
     r"Given groups=2, weight of size \[4, 1, 3, 3\], expected input\[1, 3, 8, 8\] to have 2 channels"),
    (lambda: RF.conv2d(rb.randn(1, 4, 8, 8), rb.randn(3, 2, 3, 3), groups=2),
     "expected weight to be divisible by 2 at dimension 0"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), groups=0), "non-positive groups is not supported"),
    (lambda: RF.conv2d(rb.randn(8, 8), rb.randn(2, 3, 3, 3)),
     r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[8, 8\]"),
    (lambda: RF.conv2d(rb.randn(1, 1, 3, 8, 8), rb.randn(2, 3, 3, 3)), r"input of size: \[1, 1, 3, 8, 8\]"),
    (lambda: RF.conv1d(rb.randn(2, 1, 3, 8), rb.randn(2, 3, 3)),
     r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), padding="same", stride=2),
     "padding='same' is not supported for strided convolutions"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), padding="foo"), "Invalid padding string: 'foo'"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), rb.randn(3)),
     r"Given weight of size \[2, 3, 3, 3\], expected bias to be 1-dimensional with 2 elements, but got bias of "
     r"size \[3\] instead"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3, dtype=rb.float64)), "should be the same"),
    (lambda: RF.conv2d(_x(), rb.randn(2, 3, 3, 3), stride=(1, 2, 3)),
     r"expected stride to be a single integer value or a list of 2 values to match the convolution dimensions, "
     r"but got stride=\[1, 2, 3\]"),
    (lambda: RF.conv1d(rb.randn(1, 3, 2), rb.randn(2, 3, 3)),
     r"Calculated padded input size per channel: \(2\). Kernel size: \(3\)"),
    (lambda: RF.conv_transpose2d(_x(), rb.randn(4, 2, 3, 3)),
     r"Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 8, 8\] to have 4 channels, but got "
     r"3 channels instead"),
    (lambda: RF.conv_transpose2d(_x(), rb.randn(3, 2, 3, 3), output_padding=1),
     "output padding must be smaller than either stride or dilation, but got output_padding_height: 1"),
    (lambda: RF.conv_transpose2d(_x(), rb.randn(3, 2, 3, 3), stride=0), "non-positive stride is not supported"),
    (lambda: RF.conv_transpose2d(_x(), rb.randn(3, 2, 3, 3), padding=5),
     r"Given input size per channel: \(8 x 8\). Calculated output size per channel: \(0 x 0\). Output size is too "
     r"small"),
    (lambda: RF.conv2d(rb.ones(1, 3, 8, 8, dtype=rb.bool), rb.ones(2, 3, 3, 3, dtype=rb.bool)),
     "\"slow_conv2d_cpu\" not implemented for 'Bool'"),
])
def test_functional_errors(call, msg):
    with pytest.raises(RuntimeError, match=msg):
        call()


def test_failed_call_leaves_grads_untouched():
    w = rb.randn(2, 3, 3, 3, requires_grad=True)
    with pytest.raises(RuntimeError):
        RF.conv2d(rb.randn(1, 4, 8, 8), w)
    assert w.grad is None


def test_top_level_functions_match_functional():
    x, w, b = rb.randn(2, 3, 6, 6), rb.randn(4, 3, 3, 3), rb.randn(4)
    np.testing.assert_array_equal(rb.conv2d(x, w, b, 1, 1).numpy(), RF.conv2d(x, w, b, padding=1).numpy())
    wt = rb.randn(3, 2, 3, 3)
    np.testing.assert_array_equal(rb.conv_transpose2d(x, wt, stride=2).numpy(),
                                  RF.conv_transpose2d(x, wt, stride=2).numpy())
    x1, w1 = rb.randn(2, 3, 9), rb.randn(4, 3, 3)
    np.testing.assert_array_equal(rb.conv1d(x1, w1, padding="same").numpy(),
                                  RF.conv1d(x1, w1, padding="same").numpy())


def test_non_contiguous_operands():
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 6, 7, 3)).astype(np.float32)  # NHWC storage, used as NCHW
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)  # (KH, KW, C, OC) storage
    xr = rb.tensor(x, requires_grad=True)
    wr = rb.tensor(w, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    yr = RF.conv2d(xr.permute(0, 3, 1, 2), wr.permute(3, 2, 0, 1), padding=1, stride=(2, 1))
    yt = TF.conv2d(xt.permute(0, 3, 1, 2), wt.permute(3, 2, 0, 1), padding=1, stride=(2, 1))
    np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-4, rtol=1e-4)
    yr.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(xr.grad.numpy(), xt.grad.numpy(), atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(wr.grad.numpy(), wt.grad.numpy(), atol=1e-4, rtol=1e-4)


_INT_CONFIGS = [{}, {"stride": 2}, {"padding": 1}, {"dilation": 2}, {"groups": 2},
                {"stride": 2, "padding": 1, "dilation": 2}]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("transposed", [False, True])
def test_integer_storage_matches_pytorch(dtype, nd, transposed):
    # PyTorch's CPU build convolves every integer type through slow_conv2d/3d (a gemm in the type, so sums wrap),
    # the dilated and transposed ones in int64 only, bool never; an empty batch takes no kernel. Values up to
    # +-120 make the narrow types wrap.
    rng = np.random.default_rng(nd * 2 + transposed)
    fn = f"conv_transpose{nd}d" if transposed else f"conv{nd}d"
    configs = _INT_CONFIGS + ([{"stride": 2, "output_padding": 1}] if transposed else [{"padding": "same"}])
    for kw in configs:
        for n in (2, 0):
            g = kw.get("groups", 1)
            ws = (4, 6 // g) if transposed else (6, 4 // g)
            lo, hi = (0, 2) if dtype == "bool" else (0 if dtype == "uint8" else -120, 120)
            arrays = [rng.integers(lo, hi, s) for s in ((n, 4) + (5,) * nd, ws + (3,) * nd, (6,))]
            got = []
            for lib in (rb, torch):
                args = [lib.tensor(a).to(getattr(lib, dtype)) for a in arrays]
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # PyTorch's padding='same' warning
                        out = getattr(lib.nn.functional, fn)(*args, **kw)
                    got.append((str(out.dtype).split(".")[-1], tuple(out.shape), out.to(lib.int64).numpy()))
                except NotImplementedError as e:
                    got.append(str(e))
            assert type(got[0]) is type(got[1]), (kw, n, got)
            if isinstance(got[0], str):
                assert got[0] == got[1]
            else:
                assert got[0][:2] == got[1][:2] and np.array_equal(got[0][2], got[1][2]), (kw, n)
            computes = dtype == "int64" or n == 0 or (dtype != "bool" and not transposed and "dilation" not in kw)
            assert isinstance(got[0], tuple) == computes, (kw, n)


def test_integer_sums_wrap_in_the_storage_type():
    x = rb.full((1, 1, 4), -100, dtype=rb.int8)
    w = rb.full((1, 1, 3), 100, dtype=rb.int8)
    out = RF.conv1d(x, w)  # -30000 wraps to -48 in int8
    assert out.dtype == rb.int8 and out.tolist() == [[[-48, -48]]]
    out = RF.conv1d(x.to(rb.int16), w.to(rb.int16), rb.tensor([-7], dtype=rb.int16))
    assert out.tolist() == [[[-30007, -30007]]]
    big = rb.full((1, 1, 2), 2**62, dtype=rb.int64)
    assert RF.conv1d(big, rb.full((1, 1, 1), 4, dtype=rb.int64)).tolist() == [[[0, 0]]]  # 2**64 wraps to 0
    with pytest.raises(NotImplementedError, match="\"slow_conv_transpose2d_out_cpu\" not implemented for 'Char'"):
        RF.conv_transpose2d(rb.ones(1, 2, 3, 3, dtype=rb.int8), rb.ones(2, 2, 2, 2, dtype=rb.int8))


def test_zero_dilation_is_refused_only_where_a_kernel_runs():
    # PyTorch checks for a negative dilation first; a zero one is refused by its kernels, which an empty batch
    # never reaches (its output size then takes a kernel extent of 1).
    w = rb.ones(3, 2, 3, 3, requires_grad=True)
    out = RF.conv2d(rb.ones(0, 2, 9, 9), w, rb.ones(3), dilation=0)
    assert tuple(out.shape) == tuple(TF.conv2d(torch.ones(0, 2, 9, 9), torch.ones(3, 2, 3, 3), dilation=0).shape)
    out.sum().backward()
    assert w.grad.abs().sum().item() == 0
    assert tuple(RF.conv_transpose2d(rb.ones(0, 2, 9, 9), rb.ones(2, 3, 3, 3), dilation=0).shape) == (0, 3, 9, 9)
    with pytest.raises(RuntimeError, match=r"^dilation should be greater than zero$"):
        RF.conv2d(rb.ones(0, 2, 9, 9), rb.ones(3, 2, 3, 3), dilation=-1)
    with pytest.raises(RuntimeError, match="but got dilation_height: 1, dilation_width: 0$"):
        RF.conv_transpose2d(rb.ones(1, 2, 9, 9), rb.ones(2, 3, 3, 3), dilation=(1, 0))
