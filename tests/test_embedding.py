"""nn.Embedding / F.embedding / F.one_hot and nn.LayerNorm / F.layer_norm against PyTorch: values,
gradients (padding_idx, scale_grad_by_freq, second order), max_norm renormalization, module
arguments and state_dicts, errors; and a small language model that learns with both."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import requires_torch


def _pair(a, requires_grad=True):
    import torch
    return rb.tensor(a, requires_grad=requires_grad), torch.tensor(a, requires_grad=requires_grad)


@requires_torch
@pytest.mark.parametrize("kw", [{}, {"padding_idx": 2}, {"padding_idx": -1}, {"scale_grad_by_freq": True},
                                {"padding_idx": 0, "scale_grad_by_freq": True}])
def test_embedding_gradients_match_pytorch(kw):
    import torch
    rng = np.random.default_rng(0)
    w = rng.standard_normal((6, 70))  # wider than one column block of the backward kernel
    idx = np.array([[0, 2, 2, 5], [5, 5, 1, 0]])
    rw, tw = _pair(w)
    ro, to = F.embedding(rb.tensor(idx), rw, **kw), torch.nn.functional.embedding(torch.tensor(idx), tw, **kw)
    g = rng.standard_normal(ro.shape)
    ro.backward(rb.tensor(g))
    to.backward(torch.tensor(g))
    np.testing.assert_array_equal(ro.detach().numpy(), to.detach().numpy())
    np.testing.assert_allclose(rw.grad.numpy(), tw.grad.numpy(), rtol=1e-12, atol=1e-12)


@requires_torch
def test_embedding_double_backward_matches_pytorch():
    import torch
    rng = np.random.default_rng(1)
    w, idx = rng.standard_normal((5, 3)), np.array([1, 1, 4, 0])
    outs = []
    for lib in (rb, torch):
        wt = lib.tensor(w, requires_grad=True)
        y = lib.nn.functional.embedding(lib.tensor(idx), wt, padding_idx=4)
        (gw,) = lib.autograd.grad((y ** 3).sum(), wt, create_graph=True)
        (ggw,) = lib.autograd.grad((gw ** 2).sum(), wt)
        outs.append((gw.detach().numpy(), ggw.numpy()))
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@requires_torch
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_max_norm_renormalizes_rows_looked_up_as_pytorch(norm_type):
    import torch
    w = np.random.default_rng(2).standard_normal((8, 5)) * 3
    idx = np.array([1, 3, 3, 7])
    rw, tw = rb.tensor(w), torch.tensor(w)
    F.embedding(rb.tensor(idx), rw, max_norm=1.5, norm_type=norm_type)
    torch.nn.functional.embedding(torch.tensor(idx), tw, max_norm=1.5, norm_type=norm_type)
    np.testing.assert_allclose(rw.numpy(), tw.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(rw.numpy()[[0, 2, 4, 5, 6]], w[[0, 2, 4, 5, 6]])  # rows not looked up: untouched


@requires_torch
def test_embedding_module_matches_pytorch():
    import torch
    for args, kw in [((10, 3), {}), ((10, 3), {"padding_idx": -3, "max_norm": 2.0}),
                     ((4, 2), {"norm_type": 1.0, "scale_grad_by_freq": True})]:
        assert repr(rb.nn.Embedding(*args, **kw)) == repr(torch.nn.Embedding(*args, **kw))
    m = rb.nn.Embedding(10, 3, padding_idx=4)
    assert m.weight.shape == (10, 3) and m.weight.requires_grad and not m.weight[4].detach().numpy().any()
    t = torch.nn.Embedding(10, 3, padding_idx=4)
    m.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    idx = np.array([[4, 1, 9]])
    np.testing.assert_allclose(m(rb.tensor(idx)).detach().numpy(), t(torch.tensor(idx)).detach().numpy(), rtol=1e-6)
    frozen = rb.nn.Embedding.from_pretrained(rb.ones(4, 2))
    assert not frozen.weight.requires_grad and frozen(rb.tensor([3])).tolist() == [[1.0, 1.0]]
    assert rb.nn.Embedding.from_pretrained(rb.ones(4, 2), freeze=False).weight.requires_grad


def test_embedding_errors_name_the_problem():
    w = rb.randn(5, 2)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(rb.tensor([0, 5]), w)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(rb.tensor([-1]), w)
    with pytest.raises(RuntimeError, match="Long"):
        F.embedding(rb.tensor([0.0]), w)
    with pytest.raises(RuntimeError, match="must be 2-D"):
        F.embedding(rb.tensor([0]), rb.randn(5))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        F.embedding(rb.tensor([0]), w, padding_idx=5)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        rb.nn.Embedding(5, 2, padding_idx=-6)
    with pytest.raises(NotImplementedError, match="sparse"):
        F.embedding(rb.tensor([0]), w, sparse=True)
    before = w.numpy().copy()
    with pytest.raises(IndexError):  # a failed call changes nothing, max_norm included
        F.embedding(rb.tensor([0, 7]), w, max_norm=0.1)
    np.testing.assert_array_equal(w.numpy(), before)


def test_one_hot():
    assert F.one_hot(rb.tensor([2, 0])).tolist() == [[0, 0, 1], [1, 0, 0]]
    out = F.one_hot(rb.tensor([[1], [3]]), num_classes=5)
    assert out.dtype == rb.int64 and out.shape == (2, 1, 5) and out.sum().item() == 2
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(rb.tensor([3]), 3)
    with pytest.raises(RuntimeError, match="non-negative"):
        F.one_hot(rb.tensor([-1]), 3)
    with pytest.raises(RuntimeError, match="LongTensor"):
        F.one_hot(rb.tensor([1.0]), 3)


@requires_torch
@pytest.mark.parametrize("shape,ns,affine,bias", [((4, 130), (130,), True, True), ((2, 3, 4, 5), (4, 5), True, False),
                                                  ((6, 8), (8,), False, False), ((300, 9), [9], True, True),
                                                  ((1001, 70), (70,), True, True)])  # rows split over threads
def test_layer_norm_module_matches_pytorch(shape, ns, affine, bias):
    import torch
    m = rb.nn.LayerNorm(ns, elementwise_affine=affine, bias=bias, dtype=rb.float64)
    t = torch.nn.LayerNorm(ns, elementwise_affine=affine, bias=bias, dtype=torch.float64)
    assert repr(m) == repr(t) and list(m.state_dict()) == list(t.state_dict())
    rng = np.random.default_rng(3)
    with torch.no_grad():
        for p in t.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape))))
    m.load_state_dict({k: rb.tensor(v.numpy()) for k, v in t.state_dict().items()})
    x = rng.standard_normal(shape) * 5 + 3
    rx, tx = _pair(x)
    ry, ty = m(rx), t(tx)
    g = rng.standard_normal(shape)
    ry.backward(rb.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(ry.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rx.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-11)
    for (_, a), (_, b) in zip(m.named_parameters(), t.named_parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-11)


@requires_torch
def test_layer_norm_float32_matches_pytorch():
    import torch
    x = np.random.default_rng(4).standard_normal((64, 256)).astype(np.float32) * 10 + 100  # large mean
    ry = F.layer_norm(rb.tensor(x), (256,))
    ty = torch.nn.functional.layer_norm(torch.tensor(x), (256,))
    np.testing.assert_allclose(ry.numpy(), ty.numpy(), rtol=1e-4, atol=1e-4)


def test_layer_norm_errors_name_the_shapes():
    with pytest.raises(RuntimeError, match=r"expected input with shape \[\*, 4\], but got input of size\[2, 3\]"):
        F.layer_norm(rb.ones(2, 3), [4])
    with pytest.raises(RuntimeError, match=r"Expected weight to be of same shape as normalized_shape, but got weight "
                                           r"of shape \[2\] and normalized_shape = \[3\]"):
        F.layer_norm(rb.ones(2, 3), [3], rb.ones(2))
    with pytest.raises(RuntimeError, match="at least 1-dimensional"):
        F.layer_norm(rb.ones(2, 3), [])
    assert F.layer_norm(rb.ones(0, 3), [3]).shape == (0, 3)


def test_embedding_layer_norm_language_model_learns():
    # A bigram-style model on a deterministic token cycle (next = (t * 3 + 1) % 11): embedding,
    # layer norm, linear; it must reach near-zero cross-entropy (chance is ln 11 = 2.4).
    rb.manual_seed(0)
    V = 11
    model = rb.nn.Sequential(rb.nn.Embedding(V, 16), rb.nn.LayerNorm(16), rb.nn.Linear(16, V))
    opt = rb.optim.Adam(model.parameters(), lr=0.05)
    x = rb.arange(V)
    y = (x * 3 + 1) % V
    for _ in range(150):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.05, loss.item()
    assert (model(x).argmax(1) == y).all().item()
