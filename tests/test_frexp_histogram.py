"""rb.frexp / Tensor.frexp (return_types.frexp(mantissa, exponent), exponent int32, the mantissa's gradient
2^-exponent) and rb.histogram / Tensor.histogram (return_types.histogram(hist, bin_edges); bins a number or
edges, range=, weight=, density=): values, errors and PyTorch parity."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import assert_low_precision_parity, requires_torch, torch

SPECIAL = [0.0, -0.0, 1.0, -3.5, 1e-40, 1e-310, 2.0 ** 60, float("inf"), -float("inf"), float("nan"), 0.5, 0.75]


def test_frexp_values_and_types():
    r = rb.frexp(rb.tensor([8.0, 0.75, -3.0, 0.0]))
    assert type(r).__name__ == "frexp" and r._fields == ("mantissa", "exponent")
    assert r.exponent.dtype == rb.int32 and r.mantissa.dtype == rb.float32
    np.testing.assert_array_equal(r.mantissa.numpy(), [0.5, 0.75, -0.75, 0.0])
    np.testing.assert_array_equal(r.exponent.numpy(), [4, 0, 2, 0])
    m, e = rb.tensor([[3.0, 5.0]], dtype=rb.float64).frexp()
    assert m.dtype == rb.float64 and m.shape == (1, 2)
    np.testing.assert_array_equal((m * rb.pow(2.0, e.double())).numpy(), [[3.0, 5.0]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_frexp_reconstructs_exactly(dtype):
    x = rb.tensor(np.random.default_rng(0).standard_normal(100) * 1e3).to(getattr(rb, dtype))
    m, e = rb.frexp(x)
    assert m.dtype == x.dtype and e.dtype == rb.int32
    np.testing.assert_array_equal((m.double() * rb.pow(2.0, e.double())).numpy(), x.double().numpy())


def test_frexp_gradient_is_two_to_the_minus_exponent():
    x = rb.tensor([7.0, 0.75, -3.0], dtype=rb.float64, requires_grad=True)  # no power of 2: a jump there
    m, e = rb.frexp(x)
    assert not e.requires_grad and m.grad_fn.name() == "FrexpBackward0"
    m.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0 ** -3, 1.0, 0.25])
    assert rb.autograd.gradcheck(lambda t: rb.frexp(t).mantissa, (x,))
    assert rb.autograd.gradgradcheck(lambda t: rb.frexp(t).mantissa, (x,))


def test_frexp_rejects_integers():
    with pytest.raises(RuntimeError, match=r"torch.frexp\(\) only supports floating-point dtypes"):
        rb.frexp(rb.tensor([1, 2]))


def test_histogram_counts_and_edges():
    x = rb.tensor([1.0, 2.0, 2.5, 3.0, 4.0, 4.0])
    h = rb.histogram(x, 4)
    assert type(h).__name__ == "histogram" and h._fields == ("hist", "bin_edges")
    np.testing.assert_array_equal(h.hist.numpy(), [1.0, 1.0, 2.0, 2.0])
    np.testing.assert_allclose(h.bin_edges.numpy(), [1.0, 1.75, 2.5, 3.25, 4.0])
    # equal ends widen by 0.5; an empty input spans [0, 1]
    np.testing.assert_allclose(rb.histogram(rb.tensor([2.0, 2.0]), 2).bin_edges.numpy(), [1.5, 2.0, 2.5])
    np.testing.assert_allclose(rb.histogram(rb.tensor([]), 2).bin_edges.numpy(), [0.0, 0.5, 1.0])
    # values outside the range are left out; the right edge counts in the last bin
    np.testing.assert_array_equal(x.histogram(2, range=(2.0, 3.0)).hist.numpy(), [1.0, 2.0])
    w = rb.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(rb.histogram(x, rb.tensor([0.0, 2.0, 3.0, 10.0]), weight=w).hist.numpy(),
                                  [1.0, 5.0, 15.0])
    d = rb.histogram(x, rb.tensor([0.0, 2.0, 3.0, 10.0]), density=True).hist
    np.testing.assert_allclose((d * rb.tensor([2.0, 1.0, 7.0])).sum().item(), 1.0, rtol=1e-6)


@pytest.mark.parametrize("call, exc, msg", [
    (lambda x: rb.histogram(x.long(), 3), NotImplementedError, "\"histogramdd\" not implemented for 'Long'"),
    (lambda x: rb.histogram(x, 0), RuntimeError, "bins must be > 0, but got 0 for dimension 0"),
    (lambda x: rb.histogram(x, 3, range=(3.0, 1.0)), RuntimeError, "min should not exceed max, but got min 3 max 1"),
    (lambda x: rb.histogram(x, 3, range=(0.0, float("inf"))), RuntimeError, r"range \[0, inf\] is not finite"),
    (lambda x: rb.histogram(rb.tensor([1.0, float("nan")]), 3), RuntimeError, "is not finite"),
    (lambda x: rb.histogram(x, 3, range=(1.0, 2.0, 3.0)), RuntimeError, "range should have 2 elements, but got 3"),
    (lambda x: rb.histogram(x, 3, weight=rb.ones(5)), RuntimeError, "should have the same shape as the input"),
    (lambda x: rb.histogram(x, 3, weight=rb.ones(6, dtype=rb.float64)), RuntimeError,
     r"input\(float\), and weight\(double\)"),
    (lambda x: rb.histogram(x, rb.tensor([1.0])), RuntimeError, "bins must be > 0, but got 0"),
    (lambda x: rb.histogram(x, rb.tensor([[1.0, 2.0]])), RuntimeError, "bins tensor should have one dimension"),
    (lambda x: rb.histogram(x, rb.tensor([1.0, 2.0], dtype=rb.float64)), RuntimeError,
     "input with dtype float and bins for dimension 0 with dtype double"),
])
def test_histogram_errors_are_torchs(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call(rb.tensor([1.0, 2.0, 2.5, 3.0, 4.0, 4.0]))


@requires_torch
def test_frexp_matches_torch():
    for dt in ("float32", "float64"):
        a = np.array(SPECIAL, dtype=dt)
        m, e = rb.frexp(rb.tensor(a))
        tm, te = torch.frexp(torch.tensor(a))
        np.testing.assert_array_equal(m.numpy(), tm.numpy())
        np.testing.assert_array_equal(e.numpy(), te.numpy())
    x = np.random.default_rng(1).standard_normal((3, 4)) * 10
    g = np.random.default_rng(2).standard_normal((3, 4))
    rx, tx = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    rb.frexp(rx).mantissa.backward(rb.tensor(g))
    torch.frexp(tx).mantissa.backward(torch.tensor(g))
    np.testing.assert_array_equal(rx.grad.numpy(), tx.grad.numpy())


@requires_torch
@pytest.mark.parametrize("kw", [dict(bins=7), dict(bins=5, range=(-1.0, 1.0)), dict(bins=4, density=True),
                                dict(bins=6, weight=True), dict(bins=6, weight=True, density=True, range=(-2.0, 0.5)),
                                dict(bins="edges"), dict(bins="edges", weight=True, density=True)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histogram_matches_torch(kw, dtype):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 25)).astype(dtype)
    w = rng.random((4, 25)).astype(dtype)
    out = []
    for L in (rb, torch):
        args = dict(kw)
        if args.pop("weight", False):
            args["weight"] = L.tensor(w)
        if args["bins"] == "edges":
            args["bins"] = L.tensor(np.array([-2.0, -0.5, 0.0, 0.3, 1.0, 2.5], dtype=dtype))
        hist, edges = L.histogram(L.tensor(a), **args)
        out.append((hist.numpy(), edges.numpy()))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-6, atol=1e-7)


def test_histogramdd_counts_points_in_boxes():
    pts = rb.tensor([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0], [5.0, 0.5]])
    r = rb.histogramdd(pts, bins=[2, 2], range=[0.0, 2.0, 0.0, 1.0])
    assert type(r).__name__ == "histogramdd" and isinstance(r.bin_edges, tuple)
    assert r.hist.tolist() == [[0.0, 1.0], [1.0, 1.0]]  # (5, 0.5) is outside; each last edge in the last bin
    w = rb.histogramdd(pts, bins=2, range=[0.0, 2.0, 0.0, 1.0], weight=rb.tensor([1.0, 2.0, 4.0, 8.0]))
    assert w.hist.tolist() == [[0.0, 1.0], [4.0, 2.0]]
    d = rb.histogramdd(pts[:3], bins=[2, 2], density=True)  # the volume of a bin: 1 * 0.5
    np.testing.assert_allclose(d.hist.numpy(), [[0.0, 2 / 3], [2 / 3, 2 / 3]], rtol=1e-6)
    edges = rb.histogramdd(pts.reshape(2, 2, 2), bins=[rb.tensor([0.0, 3.0]), rb.tensor([0.0, 0.6, 1.0])])
    assert edges.hist.tolist() == [[1.0, 2.0]] and edges.bin_edges[1].tolist() == [0.0, 0.6000000238418579, 1.0]


@pytest.mark.parametrize("call, exc, msg", [
    (lambda: rb.histogramdd(rb.rand(5), 3), RuntimeError, "at least 2 dimensions"),
    (lambda: rb.histogramdd(rb.tensor(1.0), 3), IndexError, "no dimensions"),
    (lambda: rb.histogramdd(rb.rand(5, 2), [3]), RuntimeError, "size of bins must be equal"),
    (lambda: rb.histogramdd(rb.rand(5, 2), 3, range=[0.0, 1.0]), RuntimeError, "range should have 4 elements"),
    (lambda: rb.histogramdd(rb.rand(5, 2), 3, weight=rb.rand(5, 2)), RuntimeError, "excluding its innermost"),
    (lambda: rb.histogramdd(rb.rand(5, 2), [2, 0]), RuntimeError, "bins must be > 0, but got 0 for dimension 1"),
    (lambda: rb.histogramdd(rb.rand(5, 2), [rb.tensor([0.0, 1.0])]), RuntimeError, "expected 2 sequences"),
    (lambda: rb.histogramdd(rb.rand(5, 2), [rb.tensor([0.0, 1.0]), rb.tensor([1.0])]), RuntimeError,
     "bins must be > 0, but got 0 for dimension 1"),
    (lambda: rb.histogramdd(rb.rand(5, 2), [rb.tensor([0.0, 1.0]), rb.tensor([0.0, 1.0], dtype=rb.float64)]),
     RuntimeError, "same dtype"),
    (lambda: rb.histogramdd(rb.rand(5, 2), 2, range=[0.0, 1.0, 2.0, 1.0]), RuntimeError,
     "min should not exceed max, but got min 2 max 1 for dimension 1"),
    (lambda: rb.histogramdd(rb.zeros(5, 2, dtype=rb.int64), 2), NotImplementedError, "'Long'"),
])
def test_histogramdd_errors_are_torchs(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


@requires_torch
@pytest.mark.parametrize("seed", range(40))
def test_histogramdd_matches_torch(seed):
    rng = np.random.default_rng(seed)
    D = 1 + seed % 3
    a = (rng.standard_normal((2, 1 + seed, D)) * 2).astype(np.float32 if seed % 2 else np.float64)
    w = rng.random((2, 1 + seed)).astype(a.dtype)
    kinds = ([2 + seed % 3] * D, 3, [np.sort(rng.standard_normal(2 + k)).astype(a.dtype) for k in range(D)])
    bins = kinds[seed % 3]
    for kw in ({}, {"weight": w, "density": True}, {"range": [v for _ in range(D) for v in (-1.0, 1.5)]}):
        if "range" in kw and seed % 3 == 2:
            continue
        mk = (lambda L: [L.tensor(b) for b in bins]) if seed % 3 == 2 else (lambda L: bins)
        ours = rb.histogramdd(rb.tensor(a), mk(rb), **{k: rb.tensor(v) if k == "weight" else v for k, v in kw.items()})
        theirs = torch.histogramdd(torch.tensor(a), mk(torch),
                                   **{k: torch.tensor(v) if k == "weight" else v for k, v in kw.items()})
        np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy(), rtol=1e-6)
        for e1, e2 in zip(ours.bin_edges, theirs.bin_edges):
            np.testing.assert_array_equal(e1.numpy(), e2.numpy())


@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", ["range", "edges", "weight_density", "dd_range", "dd_edges_weight_density"])
def test_histogram_in_float16_and_bfloat16_matches_torch(case, dtype):
    """With range= or edges PyTorch counts float16 and bfloat16 (its edges stepped in the dtype): ours counts in
    float32 and rounds once, so the counts, edges and densities agree (a density within a rounding)."""
    rng = np.random.default_rng(11)
    x = (rng.random(200) * 2 - 0.5).astype(np.float32)
    w = rng.random(200).astype(np.float32)

    def fn(L, x, w):
        edges = L.tensor([-0.5, 0.1, 0.3, 0.35, 1.2]).to(x.dtype)
        if case == "range":
            return tuple(L.histogram(x, 7, range=(0.0, 1.0)))
        if case == "edges":
            return tuple(L.histogram(x, edges))
        if case == "weight_density":
            return tuple(L.histogram(x, 5, range=(-0.2, 1.3), weight=w, density=True))
        pts = x.reshape(100, 2)
        if case == "dd_range":
            r = L.histogramdd(pts, [3, 4], range=[0.0, 1.0, -0.5, 1.5])
        else:
            r = L.histogramdd(pts, [L.linspace(0, 1, 4).to(x.dtype), edges], weight=w[:100], density=True)
        return (r.hist, *r.bin_edges)

    assert_low_precision_parity(fn, [x, w], dtype, ulps=1)


def test_histogram_of_bfloat16_without_range_computes_as_float16():
    """PyTorch has no float16/bfloat16 kernel for the range (its aminmax raises); ours takes the range in the dtype
    and counts as with range= (docs/differences.rst), for bfloat16 as for float16."""
    x = rb.tensor([0.0, 0.25, 0.5, 1.0, 1.0])
    for dt in (rb.float16, rb.bfloat16):
        h = rb.histogram(x.to(dt), 4)
        assert h.hist.dtype == dt and h.hist.tolist() == [1.0, 1.0, 1.0, 2.0]
        assert h.bin_edges.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert rb.histogramdd(x.to(dt).reshape(5, 1), 2).hist.tolist() == [2.0, 3.0]
