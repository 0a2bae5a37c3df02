"""nn.EmbeddingBag / F.embedding_bag against PyTorch: bags from offsets (include_last_offset, empty
bags) or a 2-D input, modes sum/mean/max, per_sample_weights and padding_idx, gradients to the weight
(the max's to its argmax rows) and to per_sample_weights, max_norm, scale_grad_by_freq, second order,
the module's arguments, state_dict and from_pretrained, and errors (a failed call changes nothing)."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import assert_low_precision_parity, requires_torch, torch

IDX = np.array([1, 3, 3, 0, 6, 2, 5, 3, 4, 6, 0])


def _both(w, idx, offsets=None, psw=None, seed=0, grads=True, **kw):
    """F.embedding_bag in both libraries, backward of the same upstream gradient; compares the
    output and (grads) the gradients of weight and per_sample_weights."""
    res = []
    for L in (rb, torch):
        tw = L.tensor(w, requires_grad=True)
        tp = None if psw is None else L.tensor(psw, requires_grad=True)
        off = None if offsets is None else L.tensor(offsets)
        y = L.nn.functional.embedding_bag(L.tensor(idx), tw, off, per_sample_weights=tp, **kw)
        g = np.random.default_rng(seed).standard_normal(tuple(y.shape)).astype(w.dtype)
        y.backward(L.tensor(g))
        res.append((y.detach().numpy(), tw.grad.numpy(), None if tp is None else tp.grad.numpy()))
    for r, t in zip(*res) if grads else [(res[0][0], res[1][0])]:
        if t is None:
            assert r is None
        else:
            np.testing.assert_allclose(r, t, atol=1e-5, rtol=1e-5)
    return res[0]


@requires_torch
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("offsets,kw", [([0, 2, 2, 5], {}), ([0, 3, 3, 7, 11], {"include_last_offset": True}),
                                        ([0, 4, 11], {"include_last_offset": True}), ([0, 1, 5], {"padding_idx": 3}),
                                        ([0, 1, 3, 11], {"padding_idx": -1, "include_last_offset": True})])
def test_bags_from_offsets_match_pytorch(mode, offsets, kw, rng):
    w = rng.standard_normal((7, 70)).astype(np.float32)  # D > 64: two column blocks in the backward
    _both(w, IDX, np.array(offsets, dtype=np.int64), mode=mode, **kw)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_no_bags(mode):
    # PyTorch 2.13's backward crashes on empty offsets; here the output is (0, D), the gradient zeros
    w = rb.randn(7, 3, requires_grad=True)
    for off, last in (([], False), ([0], True)):
        y = F.embedding_bag(rb.tensor(IDX), w, rb.tensor(np.array(off, np.int64)), mode=mode, include_last_offset=last)
        assert tuple(y.shape) == (0, 3)
        y.sum().backward()
        assert not w.grad.numpy().any()


@requires_torch
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_2d_input_and_padding_match_pytorch(mode, rng):
    w = rng.standard_normal((9, 5))
    idx = rng.integers(0, 9, (4, 6))
    idx[2] = 2  # a bag of padding only: zeros, no gradient
    _both(w, idx, mode=mode, padding_idx=2)
    _both(w.astype(np.float32), idx, mode=mode)


@requires_torch
def test_per_sample_weights_gradients_match_pytorch(rng):
    w = rng.standard_normal((7, 4)).astype(np.float32)
    psw = rng.standard_normal(len(IDX)).astype(np.float32)
    _, _, dpsw = _both(w, IDX, np.array([0, 4, 4, 8]), psw, mode="sum", padding_idx=6)
    assert dpsw[4] == 0 and dpsw[9] == 0  # the padding entries
    _both(w, IDX.reshape(1, -1), None, psw.reshape(1, -1), mode="sum")



def _rb_bag(w, idx, offsets, psw, **kw):
    tw = rb.tensor(w, requires_grad=True)
    tp = None if psw is None else rb.tensor(psw, requires_grad=True)
    y = F.embedding_bag(rb.tensor(idx), tw, rb.tensor(offsets), per_sample_weights=tp, **kw)
    (y * rb.tensor(np.arange(y.numel(), dtype=w.dtype).reshape(tuple(y.shape)))).sum().backward()
    return y.detach().numpy(), tw.grad.numpy(), None if tp is None else tp.grad.numpy()


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_entries_past_the_last_bag_are_ignored(mode, rng):
    # include_last_offset with offsets[-1] < len(input): entries 8.. belong to no bag, as documented.
    # (PyTorch 2.13 disagrees with itself here: sum and mean stop at offsets[-1], max reads on to the
    # end, and the weight gradient holds uninitialized values.) Checked against the first 8 entries.
    w = rng.standard_normal((7, 4))
    psw = rng.standard_normal(len(IDX)) if mode == "sum" else None
    got = _rb_bag(w, IDX, np.array([0, 4, 8]), psw, mode=mode, include_last_offset=True)
    want = _rb_bag(w, IDX[:8], np.array([0, 4]), None if psw is None else psw[:8], mode=mode)
    for g, r in zip(got[:2], want[:2]):
        np.testing.assert_allclose(g, r, atol=1e-12)
    if psw is not None:
        np.testing.assert_allclose(got[2], np.concatenate([want[2], [0, 0, 0]]), atol=1e-12)


def test_max_gradient_goes_to_the_argmax_rows():
    w = rb.tensor([[0.0, 5.0], [3.0, 1.0], [2.0, 2.0]], requires_grad=True)
    y = F.embedding_bag(rb.tensor([0, 1, 2, 2]), w, rb.tensor([0, 3]), mode="max")
    np.testing.assert_array_equal(y.detach().numpy(), [[3.0, 5.0], [2.0, 2.0]])
    y.backward(rb.tensor([[1.0, 10.0], [100.0, 1000.0]]))
    np.testing.assert_array_equal(w.grad.numpy(), [[0, 10], [1, 0], [100, 1000]])


@requires_torch
@pytest.mark.parametrize("mode", ["sum", "mean"])
def test_scale_grad_by_freq_matches_pytorch_embedding(mode, rng):
    # Each row's gradient divided by its count in the input, as F.embedding's. PyTorch 2.13's own
    # embedding_bag divides by the counts of other rows on the CPU (bincount [2, 1, 1, 3, ...] gives
    # row 1 a factor 1/2), so the reference is torch's F.embedding reduced per bag.
    w = rng.standard_normal((7, 3))
    off = [0, 3, 6]
    tw = torch.tensor(w, requires_grad=True)
    rows = torch.nn.functional.embedding(torch.tensor(IDX), tw, scale_grad_by_freq=True)
    bags = [rows[s:e] for s, e in zip(off, off[1:] + [len(IDX)])]
    yt = torch.stack([b.sum(0) if mode == "sum" else b.mean(0) for b in bags])
    rw = rb.tensor(w, requires_grad=True)
    yr = F.embedding_bag(rb.tensor(IDX), rw, rb.tensor(off), mode=mode, scale_grad_by_freq=True)
    g = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g)), yr.backward(rb.tensor(g))
    np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(rw.grad.numpy(), tw.grad.numpy(), atol=1e-12)


@requires_torch
def test_max_norm_renormalizes_rows_looked_up_as_pytorch(rng):
    w = (rng.standard_normal((7, 4)) * 3).astype(np.float32)
    rw, tw = rb.tensor(w), torch.tensor(w)
    yr = F.embedding_bag(rb.tensor(IDX[:5]), rw, rb.tensor([0, 2]), max_norm=1.5)
    yt = torch.nn.functional.embedding_bag(torch.tensor(IDX[:5]), tw, torch.tensor([0, 2]), max_norm=1.5)
    np.testing.assert_allclose(yr.numpy(), yt.numpy(), atol=1e-6)
    np.testing.assert_allclose(rw.numpy(), tw.numpy(), atol=1e-6)  # rows 0, 1, 3, 6 scaled in place


def _torch_bags(w, idx, off, mode, psw, padding_idx):
    """torch's F.embedding reduced bag by bag: the reference for second order, which PyTorch's own
    embedding_bag does not implement."""
    rows = torch.nn.functional.embedding(torch.tensor(idx), w)
    if psw is not None:
        rows = rows * psw[:, None]
    out = []
    for s, e in zip(off, off[1:] + [len(idx)]):
        keep = [i for i in range(s, e) if idx[i] != padding_idx]
        b = rows[keep]
        out.append(w.new_zeros(w.shape[1]) if not keep else
                   b.sum(0) if mode == "sum" else b.mean(0) if mode == "mean" else b.max(0).values)
    return torch.stack(out)


@requires_torch
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_second_order_matches_pytorch(mode, rng):
    # d/d(weight, psw) of |d sum(out^3) / d(weight, psw)|^2
    w, psw, off = rng.standard_normal((7, 3)), rng.standard_normal(len(IDX)), [0, 4, 4, 8]
    res = []
    for L in (rb, torch):
        tw = L.tensor(w, requires_grad=True)
        tp = L.tensor(psw, requires_grad=True) if mode == "sum" else None
        if L is rb:
            y = F.embedding_bag(rb.tensor(IDX), tw, rb.tensor(off), mode=mode, per_sample_weights=tp, padding_idx=6)
        else:
            y = _torch_bags(tw, IDX, off, mode, tp, 6)
        ins = (tw,) if tp is None else (tw, tp)
        gs = L.autograd.grad((y ** 3).sum(), ins, create_graph=True)
        res.append([g.detach().numpy() for g in gs + L.autograd.grad(sum((g ** 2).sum() for g in gs), ins)])
    for r, t in zip(*res):
        np.testing.assert_allclose(r, t, atol=1e-8, rtol=1e-6)


@requires_torch
@pytest.mark.parametrize("kw", [{}, {"mode": "sum", "padding_idx": -2}, {"mode": "max", "max_norm": 2.0},
                                {"include_last_offset": True, "norm_type": 1.0}])
def test_module_matches_pytorch(kw):
    mr, mt = rb.nn.EmbeddingBag(10, 6, **kw), torch.nn.EmbeddingBag(10, 6, **kw)
    assert repr(mr) == repr(mt) and list(mr.state_dict()) == list(mt.state_dict()) == ["weight"]
    assert mr.padding_idx == mt.padding_idx and tuple(mr.weight.shape) == (10, 6)
    if mr.padding_idx is not None:
        assert not mr.weight[mr.padding_idx].detach().numpy().any()
    mr.load_state_dict({"weight": rb.tensor(mt.weight.detach().numpy())})
    idx, off = np.array([1, 8, 8, 2, 0, 9]), np.array([0, 2, 6])
    yr, yt = mr(rb.tensor(idx), rb.tensor(off)), mt(torch.tensor(idx), torch.tensor(off))
    np.testing.assert_allclose(yr.detach().numpy(), yt.detach().numpy(), atol=1e-6)
    yr.sum().backward(), yt.sum().backward()
    np.testing.assert_allclose(mr.weight.grad.numpy(), mt.weight.grad.numpy(), atol=1e-6)


def test_from_pretrained_freezes_by_default():
    w = rb.tensor(np.arange(12.0).reshape(4, 3))
    m = rb.nn.EmbeddingBag.from_pretrained(w, mode="sum")
    assert not m.weight.requires_grad and m.mode == "sum"
    np.testing.assert_array_equal(m(rb.tensor([[0, 3]])).numpy(), [[9.0, 11.0, 13.0]])
    assert rb.nn.EmbeddingBag.from_pretrained(w, freeze=False).weight.requires_grad
    with pytest.raises(AssertionError, match="2-dimensional"):
        rb.nn.EmbeddingBag.from_pretrained(rb.zeros(3))


@requires_torch
def test_errors_match_pytorch():
    cases = [  # (exception, kwargs of F.embedding_bag, PyTorch's message)
        (RuntimeError, {"offsets": [1, 3]}, r"offsets\[0\] has to be 0.*However, got 1"),
        (RuntimeError, {"offsets": [0, 12]}, r"offsets\[-1\] can not be greater than input's length 11 but got "),
        (RuntimeError, {"input": [1, 9], "offsets": [0]}, r"Index 1 of input takes value 9 which is not in the "
                                                          r"valid range \[0, 7\)"),
        (RuntimeError, {"input": [-1], "offsets": [0]}, "not in the valid range"),
        (RuntimeError, {"offsets": [0, 3], "padding_idx": 7}, "padding_idx must be within the number of embeddings, "
                                                              "-7 through 6, but got 7"),
        (ValueError, {"input": [[1, 2]], "offsets": [0]}, "if input is 2D, then offsets has to be None"),
        (ValueError, {"offsets": None}, "offsets has to be a 1D Tensor but got None"),
        (ValueError, {"offsets": [[0]]}, "offsets has to be a 1D Tensor"),
        (ValueError, {"input": [[[1]]]}, "input has to be 1D or 2D Tensor, but got Tensor of dimension 3"),
        (ValueError, {"offsets": [0], "mode": "min"}, "mode has to be one of sum, mean or max"),
        (ValueError, {"offsets": [0], "mode": "max", "scale_grad_by_freq": True}, "max mode does not support"),
        (NotImplementedError, {"offsets": [0], "mode": "mean", "psw": np.ones(11, np.float32)},
         "per_sample_weights is only supported for mode='sum'"),
        (ValueError, {"offsets": [0], "mode": "sum", "psw": np.ones(3, np.float32)},
         "If per_sample_weights .* is not None, then it must have the same shape as the input"),
        (RuntimeError, {"offsets": [0], "mode": "sum", "psw": np.ones(11)}, "to have the same type"),
    ]
    w = np.ones((7, 2), np.float32)
    for exc, kw, msg in cases:
        for L in (rb, torch):
            idx = L.tensor(np.array(kw.get("input", IDX)))
            off = None if kw.get("offsets") is None else L.tensor(np.array(kw["offsets"], dtype=np.int64))
            psw = None if "psw" not in kw else L.tensor(kw["psw"])
            extra = {k: v for k, v in kw.items() if k not in ("input", "offsets", "psw")}
            with pytest.raises(exc, match=msg):
                L.nn.functional.embedding_bag(idx, L.tensor(w), off, per_sample_weights=psw, **extra)
    with pytest.raises(RuntimeError, match="non-decreasing"):
        F.embedding_bag(rb.tensor(IDX), rb.tensor(w), rb.tensor([0, 4, 3]))
    with pytest.raises(AssertionError, match="padding_idx must be within num_embeddings"):
        rb.nn.EmbeddingBag(6, 2, padding_idx=6)


def test_failed_call_changes_nothing():
    w = rb.tensor(np.full((4, 2), 5.0, np.float32))
    for idx, off in (([4], [0]), ([0, 1], [0, 3])):  # a bad index or offset: max_norm renormalizes nothing
        with pytest.raises(RuntimeError):
            F.embedding_bag(rb.tensor(idx), w, rb.tensor(off), max_norm=1.0)
    np.testing.assert_array_equal(w.numpy(), np.full((4, 2), 5.0))


@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("mode,psw,max_norm", [("sum", False, None), ("sum", True, None), ("mean", False, None),
                                               ("max", False, None), ("sum", True, 1.0), ("mean", False, 1.0)])
def test_float16_and_bfloat16_match_pytorch(mode, psw, max_norm, dtype):
    """The bags summed in float32 and rounded once (ATen's opmath): values and the gradients of weight and
    per_sample_weights within a rounding; max_norm renormalizes the half weight's rows in place as PyTorch's."""
    rng = np.random.default_rng(7)
    w = rng.normal(size=(10, 6)).astype(np.float32)
    idx = rng.integers(0, 10, size=50)
    offsets = np.array([0, 3, 3, 20, 41])
    p = rng.uniform(0.1, 1.0, size=50).astype(np.float32)
    renormed = []

    def fn(L, w, idx, offsets, p):
        out = L.nn.functional.embedding_bag(idx, w, offsets, mode=mode, per_sample_weights=p if psw else None,
                                            padding_idx=2, max_norm=max_norm)
        renormed.append(w.detach().float().numpy().copy())
        return out

    assert_low_precision_parity(fn, [w, idx, offsets, p], dtype, grad=(0, 3) if psw else (0,))
    eps = {"float16": 2.0 ** -10, "bfloat16": 2.0 ** -7}[dtype]
    np.testing.assert_allclose(renormed[0], renormed[1], rtol=2 * eps, atol=0)
    if max_norm:
        assert np.linalg.norm(renormed[0][idx], axis=1).max() <= max_norm * (1 + 2 * eps)
