"""3-D convolution, pooling and batch norm against PyTorch: random conv3d/conv_transpose3d
configurations (values and gradients) through the kernels' block paths, the modules (state_dict keys,
torch's weights, padding modes, output_size), the errors, and a small 3-D CNN that learns."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn as rnn
import rosenblatt.nn.functional as RF
from conftest import torch

TF = torch.nn.functional


def _both(fname, arrays, grad_idx, seed=0, **kw):
    """fname on both libraries; returns (ours, theirs): the output then the gradients of arrays[grad_idx]."""
    res = []
    for lib, F in ((rb, RF), (torch, TF)):
        ts = [None if a is None else lib.tensor(a, requires_grad=i in grad_idx) for i, a in enumerate(arrays)]
        y = getattr(F, fname)(*ts, **kw)
        g = np.random.default_rng(seed).standard_normal(tuple(y.shape)).astype(arrays[0].dtype)
        (y * lib.tensor(g)).sum().backward()
        res.append([y.detach().numpy()] + [ts[i].grad.numpy() for i in grad_idx])
    return res


def _close(ours, theirs, what, tol=1e-3):
    for i, (o, t) in enumerate(zip(ours, theirs)):
        assert o.shape == t.shape, f"{what}: result {i} shape {o.shape} != {t.shape}"
        np.testing.assert_allclose(o, t, rtol=tol, atol=tol * max(1.0, float(np.abs(t).max())),
                                   err_msg=f"{what}: result {i}")


def _random_case(rng, transposed):
    groups = int(rng.choice([1, 1, 2]))
    C, OC = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
    k = tuple(int(v) for v in rng.integers(1, 4, size=3))
    s = tuple(int(v) for v in rng.integers(1, 3, size=3))
    d = tuple(int(v) for v in rng.integers(1, 3, size=3))
    p = tuple(int(rng.integers(0, kk)) for kk in k)
    sp = tuple(int(d[i] * (k[i] - 1) + 1 + rng.integers(0, 4)) for i in range(3))
    x = rng.standard_normal((int(rng.integers(1, 4)), C, *sp)).astype(np.float32)
    b = rng.standard_normal(OC).astype(np.float32) if rng.random() < 0.7 else None
    kw = {"stride": s, "padding": p, "dilation": d, "groups": groups}
    if transposed:
        w = rng.standard_normal((C, OC // groups, *k)).astype(np.float32)
        kw["output_padding"] = tuple(int(rng.integers(0, max(s[i], d[i]))) for i in range(3))
    else:
        w = rng.standard_normal((OC, C // groups, *k)).astype(np.float32)
    return x, w, b, kw


@pytest.mark.parametrize("fname", ["conv3d", "conv_transpose3d"])
@pytest.mark.parametrize("seed", range(6))
def test_random_configurations(fname, seed):
    x, w, b, kw = _random_case(np.random.default_rng(seed), fname == "conv_transpose3d")
    ours, theirs = _both(fname, [x, w, b], [0, 1] + ([2] if b is not None else []), **kw)
    _close(ours, theirs, f"{fname} {x.shape} {w.shape} {kw}")


# The kernels' block shapes: planes split in rows (a 32x32 plane over the column budget), whole
# depth planes per block, several small volumes per product, a window over the whole volume (a dense
# layer), 1x1x1 (the input is its own columns), depthwise groups; one thread and two.
@pytest.mark.parametrize("fname,shape,wshape,kw", [
    ("conv3d", (2, 16, 4, 32, 32), (8, 16, 3, 3, 3), {"padding": 1}),
    ("conv3d", (3, 8, 6, 8, 8), (12, 8, 3, 3, 3), {"padding": (0, 1, 2), "stride": (1, 2, 1)}),
    ("conv3d", (9, 4, 4, 4, 4), (6, 4, 3, 3, 3), {"padding": 1}),
    ("conv3d", (5, 6, 3, 4, 2), (4, 6, 3, 4, 2), {}),
    ("conv3d", (2, 8, 3, 5, 4), (6, 8, 1, 1, 1), {}),
    ("conv3d", (2, 6, 5, 6, 5), (6, 1, 3, 3, 3), {"groups": 6, "padding": 1, "dilation": (2, 1, 1)}),
    ("conv_transpose3d", (2, 16, 3, 8, 8), (16, 8, 4, 4, 4), {"stride": 2, "padding": 1}),
    ("conv_transpose3d", (7, 12, 1, 1, 1), (12, 4, 4, 4, 4), {}),
])
@pytest.mark.parametrize("threads", [1, 2])
def test_block_paths(fname, shape, wshape, kw, threads):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape).astype(np.float32)
    w = (rng.standard_normal(wshape) * 0.1).astype(np.float32)
    oc = wshape[0] if fname == "conv3d" else wshape[1] * kw.get("groups", 1)
    b = rng.standard_normal(oc).astype(np.float32)
    old = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        ours, theirs = _both(fname, [x, w, b], [0, 1, 2], **kw)
    finally:
        rb.set_num_threads(old)
    _close(ours, theirs, f"{fname} {shape} {wshape} {kw} threads={threads}")


def test_double_backward_matches_torch():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 2, 3, 4, 3)), rng.standard_normal((3, 2, 2, 2, 2))
    res = []
    for lib, F in ((rb, RF), (torch, TF)):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = F.conv3d(xt, wt, stride=(1, 2, 1), padding=1)
        (gx,) = lib.autograd.grad(y.square().sum(), [xt], create_graph=True)
        gx.square().sum().backward()
        res.append((y.detach().numpy(), gx.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()))
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_grad_fn_names():
    x = rb.randn(1, 2, 4, 4, 4, requires_grad=True)
    assert RF.conv3d(x, rb.randn(3, 2, 3, 3, 3)).grad_fn.name() == "ConvolutionBackward0"
    assert RF.max_pool3d(x, 2).grad_fn.name() == "MaxPool3DWithIndicesBackward0"
    assert RF.avg_pool3d(x, 2).grad_fn.name() == "AvgPool3DBackward0"
    assert RF.adaptive_avg_pool3d(x, 2).grad_fn.name() == "AdaptiveAvgPool3DBackward0"
    assert RF.adaptive_max_pool3d(x, 2).grad_fn.name() == "AdaptiveMaxPool3DBackward0"
    assert RF.max_pool2d(x[0], 2).grad_fn.name() == "MaxPool2DWithIndicesBackward0"


# ---- modules -------------------------------------------------------------------------------------

MODULES = [
    ("Conv3d", (3, 4, 3), {}),
    ("Conv3d", (4, 6, (3, 2, 1)), {"stride": (2, 1, 1), "padding": (1, 0, 0), "groups": 2, "bias": False}),
    ("Conv3d", (3, 4, 3), {"padding": "same", "dilation": 2}),
    ("ConvTranspose3d", (3, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}),
    ("ConvTranspose3d", (4, 2, 2), {"groups": 2, "dilation": (1, 2, 1)}),
]


@pytest.mark.parametrize("cls,args,kw", MODULES)
def test_conv_modules_load_torch_weights(cls, args, kw):
    ours, theirs = getattr(rnn, cls)(*args, **kw), getattr(torch.nn, cls)(*args, **kw)
    sd = theirs.state_dict()
    assert list(ours.state_dict().keys()) == list(sd.keys())
    assert all(tuple(ours.state_dict()[k].shape) == tuple(v.shape) for k, v in sd.items())
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in sd.items()})
    x = np.random.default_rng(2).standard_normal((2, args[0], 5, 6, 4)).astype(np.float32)
    np.testing.assert_allclose(ours(rb.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("cls,padding", [("Conv3d", (1, 2, 1)), ("Conv3d", "same"), ("Conv2d", 1), ("Conv1d", 2)])
def test_padding_modes_match_torch(cls, padding, mode):
    ours = getattr(rnn, cls)(2, 3, 3, padding=padding, padding_mode=mode)
    theirs = getattr(torch.nn, cls)(2, 3, 3, padding=padding, padding_mode=mode)
    ours.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    assert repr(ours) == repr(theirs)
    n = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3}[cls]
    x = np.random.default_rng(4).standard_normal((2, 2) + (5, 6, 4)[:n]).astype(np.float32)
    xr, xt = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yr, yt = ours(xr), theirs(xt)
    np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-5, rtol=1e-4)
    yr.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(xr.grad.numpy(), xt.grad.numpy(), atol=1e-4, rtol=1e-4)


def test_conv_transpose3d_output_size():
    m, t = rnn.ConvTranspose3d(2, 3, 3, stride=2, padding=1), torch.nn.ConvTranspose3d(2, 3, 3, stride=2, padding=1)
    m.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 4, 3)).astype(np.float32)
    y = m(rb.tensor(x), output_size=[6, 8, 5])
    assert y.shape == (1, 3, 6, 8, 5)
    np.testing.assert_allclose(y.detach().numpy(), t(torch.tensor(x), output_size=[6, 8, 5]).detach().numpy(),
                               atol=1e-5, rtol=1e-4)
    with pytest.raises(ValueError, match="requested an output size of"):
        m(rb.tensor(x), output_size=[9, 8, 5])


def test_batchnorm3d_matches_torch():
    ours, theirs = rnn.BatchNorm3d(3, momentum=0.3), torch.nn.BatchNorm3d(3, momentum=0.3)
    assert list(ours.state_dict().keys()) == list(theirs.state_dict().keys())
    assert repr(ours) == repr(theirs)
    rng = np.random.default_rng(0)
    for _ in range(2):
        x = (rng.standard_normal((4, 3, 2, 3, 5)) * 2 + 1).astype(np.float32)
        xr, xt = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yr, yt = ours(xr), theirs(xt)
        np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-5, rtol=1e-4)
        (yr * yr).sum().backward()
        (yt * yt).sum().backward()
        np.testing.assert_allclose(xr.grad.numpy(), xt.grad.numpy(), atol=1e-4, rtol=1e-4)
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[k].numpy(), v.numpy(), atol=1e-5, rtol=1e-5, err_msg=k)
    ours.eval(), theirs.eval()
    x = rng.standard_normal((2, 3, 2, 2, 2)).astype(np.float32)
    np.testing.assert_allclose(ours(rb.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               atol=1e-5, rtol=1e-4)
    with pytest.raises(ValueError, match=r"expected 5D input \(got 4D input\)"):
        ours(rb.randn(2, 3, 4, 4))


@pytest.mark.parametrize("cls,args,kw", [
    ("MaxPool3d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}),
    ("MaxPool3d", ((2, 1, 2),), {"dilation": (1, 2, 1), "return_indices": True}),
    ("AvgPool3d", (3,), {"stride": (1, 2, 2), "padding": 1, "count_include_pad": False}),
    ("AdaptiveAvgPool3d", ((2, None, 3),), {}),
    ("AdaptiveMaxPool3d", (2,), {"return_indices": True}),
])
def test_pool_modules_match_torch(cls, args, kw):
    ours, theirs = getattr(rnn, cls)(*args, **kw), getattr(torch.nn, cls)(*args, **kw)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(1).standard_normal((2, 3, 5, 6, 7)).astype(np.float32)
    xr, xt = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yr, yt = ours(xr), theirs(xt)
    yr, yt = (yr, yt) if isinstance(yt, torch.Tensor) else (yr, yt)
    outs_r = yr if isinstance(yr, tuple) else (yr,)
    outs_t = yt if isinstance(yt, tuple) else (yt,)
    for a, b in zip(outs_r, outs_t):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-6)
    (outs_r[0] * outs_r[0]).sum().backward()
    (outs_t[0] * outs_t[0]).sum().backward()
    np.testing.assert_allclose(xr.grad.numpy(), xt.grad.numpy(), atol=1e-5)


def test_max_unpool3d_module_matches_torch():
    x = np.random.default_rng(2).standard_normal((2, 2, 5, 4, 6)).astype(np.float32)
    res = []
    for lib in (rb, torch):
        pool, unpool = lib.nn.MaxPool3d(2, return_indices=True), lib.nn.MaxUnpool3d(2)
        y, idx = pool(lib.tensor(x))
        res.append((unpool(y, idx, output_size=x.shape).numpy(), unpool(y, idx).numpy(), repr(unpool)))
    assert res[0][2] == res[1][2]
    np.testing.assert_array_equal(res[0][0], res[1][0])
    np.testing.assert_array_equal(res[0][1], res[1][1])


def test_names_exported():
    for name in ["Conv3d", "ConvTranspose3d", "MaxPool3d", "AvgPool3d", "AdaptiveAvgPool3d", "AdaptiveMaxPool3d",
                 "MaxUnpool3d", "BatchNorm3d"]:
        assert name in rnn.__all__ and hasattr(rnn, name)
    for name in ["conv3d", "conv_transpose3d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
                 "adaptive_max_pool3d", "max_unpool3d"]:
        assert name in RF.__all__
    assert hasattr(rb, "conv3d") and hasattr(rb, "conv_transpose3d")


# ---- errors: the exception type and message PyTorch gives ---------------------------------------

def _v(*shape):
    return np.zeros(shape, np.float32)


ERRORS = [
    ("conv3d", lambda L: (L.tensor(_v(1, 2, 3, 3, 3)), L.tensor(_v(1, 1, 3, 3, 3)))),
    ("conv3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(1, 1, 4, 3, 3)))),
    ("conv3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(1, 1, 3, 3, 3)), None, 1, 0, 0)),
    ("conv3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(1, 1, 3, 3, 3)), None, (1, 1))),
    ("conv3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(1, 1, 1, 1, 1)), None, 2, "same")),
    ("conv3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(2, 1, 1, 1, 1)), L.tensor(_v(3)))),
    ("conv_transpose3d", lambda L: (L.tensor(_v(1, 1, 3, 3, 3)), L.tensor(_v(1, 1, 3, 3, 3)), None, 2, 0, 2)),
    ("conv_transpose3d", lambda L: (L.tensor(_v(1, 1, 1, 1, 1)), L.tensor(_v(1, 1, 1, 1, 1)), None, 1, 1)),
    ("conv_transpose3d", lambda L: (L.tensor(_v(1, 2, 3, 3, 3)), L.tensor(_v(1, 1, 3, 3, 3)))),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), (2, 2))),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 2, 0)),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 2, 2, 2)),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 2, 2, 0, 0)),
    ("max_pool3d", lambda L: (L.tensor(_v(2, 4, 4)), 2)),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 0, 4, 4, 4)), 2)),
    ("max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 5)),
    ("avg_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), (2, 2))),
    ("avg_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 5)),
    ("avg_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), 2, None, 0, False, True, 0)),
    ("avg_pool3d", lambda L: (L.tensor(_v(1, 0, 4, 4, 4)), 2)),
    ("adaptive_avg_pool3d", lambda L: (L.tensor(_v(2, 4, 4)), 2)),
    ("adaptive_avg_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), (2, 2))),
    ("adaptive_avg_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), -1)),
    ("adaptive_avg_pool3d", lambda L: (L.tensor(_v(1, 1, 0, 4, 4)), 2)),
    ("adaptive_max_pool3d", lambda L: (L.tensor(_v(2, 4, 4)), 2)),
    ("adaptive_max_pool3d", lambda L: (L.tensor(_v(1, 0, 4, 4, 4)), 2)),
    ("adaptive_max_pool3d", lambda L: (L.tensor(_v(1, 2, 4, 4, 4)), -1)),
    ("max_unpool3d", lambda L: (L.tensor(_v(1, 2, 2, 2, 2)), L.tensor(np.full((1, 2, 2, 2, 2), 99)), 2)),
    ("max_unpool3d", lambda L: (L.tensor(_v(2, 2, 2)), L.tensor(np.zeros((2, 2, 2), np.int64)), 2)),
    ("max_unpool3d", lambda L: (L.tensor(_v(1, 2, 2, 2, 2)), L.tensor(np.zeros((1, 2, 2, 2, 2), np.int32)), 2)),
    ("max_unpool3d", lambda L: (L.tensor(_v(1, 1, 2, 2, 2)), L.tensor(np.zeros((1, 1, 2, 2, 2), np.int64)), 2, None,
                                0, (4, 4))),
    ("max_unpool3d", lambda L: (L.tensor(_v(1, 1, 2, 2, 2)), L.tensor(np.zeros((1, 1, 2, 2, 2), np.int64)), 2, None,
                                0, (9, 4, 4))),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_match_torch(i):
    fname, make = ERRORS[i]
    caught = []
    for lib, F in ((torch, TF), (rb, RF)):
        with pytest.raises(Exception) as e:
            getattr(F, fname)(*make(lib))
        caught.append(e.value)
    theirs, ours = caught
    assert type(ours) is type(theirs), (fname, ours, theirs)
    assert str(ours) == str(theirs).split("\n")[0], fname


def test_failed_call_changes_nothing():
    m = rnn.Conv3d(2, 3, 3)
    w = m.weight.detach().numpy().copy()
    m(rb.randn(1, 2, 4, 4, 4)).sum().backward()
    g = m.weight.grad.numpy().copy()
    with pytest.raises(RuntimeError):
        m(rb.randn(1, 3, 4, 4, 4))
    np.testing.assert_array_equal(m.weight.grad.numpy(), g)
    np.testing.assert_array_equal(m.weight.detach().numpy(), w)


# ---- learning ------------------------------------------------------------------------------------

def _octant_data(rng, n):
    """8x8x8 volumes of noise with one bright 2x2x2 blob; the label is the octant that holds it."""
    x = rng.normal(0, 0.3, size=(n, 1, 8, 8, 8)).astype(np.float32)
    y = rng.integers(0, 8, size=n)
    for i, c in enumerate(y):
        o = [(c >> 2) & 1, (c >> 1) & 1, c & 1]
        d, h, w = (int(rng.integers(0, 3)) + 4 * o[j] for j in range(3))
        x[i, 0, d:d + 2, h:h + 2, w:w + 2] += 2.0
    return x, y


def test_small_3d_cnn_learns_the_octant_of_a_blob():
    rb.manual_seed(0)
    rng = np.random.default_rng(0)
    net = rnn.Sequential(
        rnn.Conv3d(1, 8, 3, padding=1), rnn.BatchNorm3d(8), rnn.ReLU(), rnn.MaxPool3d(2),
        rnn.Conv3d(8, 8, 3, padding=1), rnn.ReLU(), rnn.AdaptiveAvgPool3d(2), rnn.Flatten(), rnn.Linear(64, 8))
    opt = rb.optim.Adam(net.parameters(), lr=0.01)
    xtr, ytr = _octant_data(rng, 512)
    for _ in range(6):
        for i in range(0, 512, 32):
            loss = RF.cross_entropy(net(rb.tensor(xtr[i:i + 32])), rb.tensor(ytr[i:i + 32]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    xte, yte = _octant_data(rng, 256)
    with rb.no_grad():
        pred = net(rb.tensor(xte)).argmax(1).numpy()
    assert (pred == yte).mean() >= 0.95
