"""The search and order-statistic ops beyond tests/op_specs.py: several outputs (inverse, counts, indices),
dims, NaNs, ties, empty, non-contiguous and expanded inputs, storage dtypes, gradients at ties and zeros,
and errors of PyTorch's exception types. Most checks run the same call on rosenblatt and PyTorch."""
import math

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

NAN = math.nan


def _np(t):
    if not hasattr(t, "detach"):
        return np.asarray(t)
    t = t.detach()
    return (t.float() if str(t.dtype).endswith("bfloat16") else t).numpy()  # numpy has no bfloat16


def _same(got, want):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            _same(g, w)
        return
    assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1], f"dtype {got.dtype} vs {want.dtype}"
    assert tuple(got.shape) == tuple(want.shape), f"shape {tuple(got.shape)} vs {tuple(want.shape)}"
    g, w = _np(got), _np(want)
    if w.dtype.kind in "biu":
        np.testing.assert_array_equal(g, w)
    else:
        np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64), rtol=1e-6, atol=1e-6)


def both(fn, *arrays):
    """fn(L, *tensors) on rosenblatt and torch: the same results (values, dtypes, shapes), or the
    same exception type with PyTorch's message."""
    def tensors(L):
        return [L.tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]
    try:
        want = fn(torch, *tensors(torch))
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)) as got_e:
            fn(rb, *tensors(rb))
        assert str(got_e.value).replace("-nan", "nan") == str(e).replace("-nan", "nan")
        return None
    got = fn(rb, *tensors(rb))
    _same(got, want)
    return got


def grads_match(fn, *arrays, seed=0):
    """The gradients of sum(w * fn(x)) for every float input, in both libraries (float64)."""
    out = {}
    for L in (rb, torch):
        xs = [L.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
        y = fn(L, *xs)
        y = y[0] if isinstance(y, tuple) else y
        w = np.random.default_rng(seed).standard_normal(tuple(y.shape))
        (y * L.tensor(w)).sum().backward()
        out[L] = [x.grad for x in xs if x.requires_grad]
    for g, w in zip(out[rb], out[torch]):
        assert (g is None) == (w is None)
        if w is not None:
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-7, atol=1e-10)


F = np.float32


# searchsorted / bucketize ------------------------------------------------------------------------
@requires_torch
def test_searchsorted_nan_unsorted_scalar_and_sides():
    seq = np.array([1.0, 2.0, 2.0, NAN], F)
    vals = np.array([[NAN, 2.0, -1.0], [2.0, 5.0, 1.5]], F)
    for kw in ({}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}):
        both(lambda L, s, v, kw=kw: L.searchsorted(s, v, **kw), seq, vals)
    both(lambda L, s: L.searchsorted(s, 2), seq)  # a Python number: a 0-d result
    both(lambda L, s: L.searchsorted(s, 1.5, right=True), np.array([1, 2, 3]))  # a float against integers
    both(lambda L, s, v: L.searchsorted(s, v), np.array([3.0, 1.0, 2.0], F), vals)  # unsorted is allowed
    both(lambda L, s, v: L.searchsorted(s, v), np.array([[1.0, 3.0], [0.0, 1.0]], F), vals[:, :2])
    both(lambda L, s, v: L.searchsorted(s, v), np.array([1.0, 2.0], F), np.zeros((0,), F))
    both(lambda L, s, v: L.searchsorted(s, v), np.zeros((2, 0), F), vals)  # empty rows: every value at 0
    both(lambda L, s, v: L.searchsorted(s, v), np.zeros((0,), F), vals)


@requires_torch
def test_searchsorted_sorter_and_layouts():
    rng = np.random.default_rng(0)
    seq = rng.standard_normal((3, 6)).astype(F)
    sorter = np.argsort(seq, 1)
    vals = rng.standard_normal((3, 4)).astype(F)
    both(lambda L, s, v, o: L.searchsorted(s, v, sorter=o), seq, vals, sorter)
    both(lambda L, s, v: L.searchsorted(s.sort(1).values.t().contiguous().t(), v.t().contiguous().t()), seq, vals)
    both(lambda L, s, v: L.searchsorted(s[0].sort().values, v.t()), seq, vals)  # non-contiguous values
    both(lambda L, s, v: L.searchsorted(s[:1].sort().values.expand(3, 6), v), seq, vals)  # expanded
    both(lambda L, s, v: L.searchsorted(s, v), np.array([1, 5, 9]), np.array([4.5, 9.0], F))  # promoted


@requires_torch
@pytest.mark.parametrize("case", [
    lambda L: L.searchsorted(L.tensor(1.0), L.tensor([1.0])),
    lambda L: L.searchsorted(L.tensor([[1.0, 2.0]]), L.tensor([1.0])),
    lambda L: L.searchsorted(L.tensor([[1.0, 2.0], [3.0, 4.0]]), 1.0),
    lambda L: L.searchsorted(L.tensor([1.0, 2.0]), L.tensor([1.0]), side="middle"),
    lambda L: L.searchsorted(L.tensor([1.0, 2.0]), L.tensor([1.0]), side="left", right=True),
    lambda L: L.searchsorted(L.tensor([1.0, 2.0]), L.tensor([1.0]), sorter=L.tensor([0, 2])),
    lambda L: L.searchsorted(L.tensor([1.0, 2.0]), L.tensor([1.0]), sorter=L.tensor([0])),
    lambda L: L.bucketize(L.tensor([1.0]), L.tensor([[1.0, 2.0]])),
])
def test_searchsorted_errors(case):
    both(case)


@requires_torch
def test_bucketize():
    b = np.array([-1.0, 0.0, 0.0, 2.0], F)
    x = np.array([[-2.0, 0.0, 1.0], [2.0, 3.0, NAN]], F)
    both(lambda L, x, b: L.bucketize(x, b), x, b)
    both(lambda L, x, b: L.bucketize(x, b, right=True, out_int32=True), x, b)
    both(lambda L, b: L.bucketize(0, b), b)
    both(lambda L, x, b: L.bucketize(x, b), np.array([0, 1, 2, 5]), b)


# unique / unique_consecutive ---------------------------------------------------------------------
def test_unique_inverse_and_counts_rebuild_the_input():
    x = np.random.default_rng(1).integers(-3, 4, (5, 7))
    for sorted_ in (True, False):
        vals, inv, cnt = rb.unique(rb.tensor(x), sorted=sorted_, return_inverse=True, return_counts=True)
        assert sorted(vals.numpy().tolist()) == np.unique(x).tolist()
        np.testing.assert_array_equal(vals.numpy()[inv.numpy()], x)
        np.testing.assert_array_equal(cnt.numpy(), [(x == v).sum() for v in vals.numpy()])
    v, inv = rb.tensor(x).t().unique(dim=1, return_inverse=True)  # non-contiguous, slices along a dim
    np.testing.assert_array_equal(v.numpy()[:, inv.numpy()], x.T)


@requires_torch
def test_unique_matches_pytorch():
    x = np.random.default_rng(2).integers(0, 3, (6, 3))
    for kw in ({}, {"return_inverse": True}, {"return_counts": True}, {"dim": 0, "return_counts": True},
               {"dim": 1, "return_inverse": True, "return_counts": True}, {"dim": -1}):
        both(lambda L, x, kw=kw: L.unique(x, return_inverse=kw.get("return_inverse", False),
                                   return_counts=kw.get("return_counts", False), dim=kw.get("dim")), x)
    both(lambda L, x: L.unique(x, return_counts=True), np.array([NAN, 1.0, NAN, 1.0, 0.5], F))  # NaNs distinct
    both(lambda L, x: L.unique(x, return_inverse=True, return_counts=True), np.array([True, False, True]))
    both(lambda L, x: L.unique(x, return_inverse=True, return_counts=True, dim=0), np.zeros((0, 3), F))
    both(lambda L, x: L.unique(x, return_inverse=True), np.array(3.0, F))
    both(lambda L, x: L.unique(x.to(L.int8)), x)  # a storage dtype stays itself
    both(lambda L, x: L.unique(x, dim=2), x)
    both(lambda L, x: L.unique(x, dim=0), np.zeros((2, 0), F))


@requires_torch
def test_unique_consecutive_matches_pytorch():
    x = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    both(lambda L, x: L.unique_consecutive(x), x)
    both(lambda L, x: x.unique_consecutive(return_inverse=True, return_counts=True), x)
    m = np.array([[1, 2], [1, 2], [3, 4], [1, 2]])
    both(lambda L, m: L.unique_consecutive(m, return_inverse=True, return_counts=True, dim=0), m)
    both(lambda L, m: L.unique_consecutive(m, return_counts=True, dim=1), m)
    both(lambda L, x: L.unique_consecutive(x, return_counts=True), np.zeros((0,), F))


# bincount / histc --------------------------------------------------------------------------------
@requires_torch
def test_bincount():
    x = np.array([0, 3, 3, 1, 7])
    both(lambda L, x: L.bincount(x), x)
    both(lambda L, x: L.bincount(x, minlength=10), x)
    for w in (np.arange(5, dtype=F), np.arange(5, dtype=np.float64), np.arange(5)):
        both(lambda L, x, w: x.bincount(w), x, w)
    both(lambda L, x: L.bincount(x, minlength=4), np.zeros((0,), np.int64))
    both(lambda L, x: L.bincount(x.to(L.uint8)), x)
    both(lambda L, x: L.bincount(x[::2]), x)  # non-contiguous


@requires_torch
@pytest.mark.parametrize("case", [
    lambda L: L.bincount(L.tensor([1, -1])),
    lambda L: L.bincount(L.tensor([[1]])),
    lambda L: L.bincount(L.tensor([1.0])),
    lambda L: L.bincount(L.tensor([True])),
    lambda L: L.bincount(L.tensor([1]), minlength=-1),
    lambda L: L.bincount(L.tensor([1, 2]), weights=L.tensor([1.0])),
    lambda L: L.histc(L.zeros(3), bins=0),
    lambda L: L.histc(L.zeros(3), bins=3, min=2, max=1),
    lambda L: L.histc(L.tensor([1, 2]), bins=3),
    lambda L: L.histc(L.tensor([1.0, NAN]), bins=3),
    lambda L: L.histc(L.tensor([1.0]), bins=3, min=-math.inf, max=1),
])
def test_bincount_histc_errors(case):
    both(case)


def test_bincount_huge_values_raise():
    for v in (2**62, 2**63 - 1):  # one past the largest value would overflow the size
        with pytest.raises(RuntimeError):
            rb.bincount(rb.tensor([v]))


@requires_torch
def test_histc():
    x = np.random.default_rng(3).standard_normal((4, 50)).astype(F)
    both(lambda L, x: L.histc(x), x)
    both(lambda L, x: x.histc(bins=7, min=-1, max=1), x)  # out of range values skipped
    both(lambda L, x: L.histc(x, bins=4, min=0, max=3), np.array([0.0, 3.0, 3.0, 1.5, 0.75, NAN, -0.1, 3.1], F))
    both(lambda L, x: L.histc(x, bins=3, min=2, max=2), np.array([1.0, 2.0, 2.0], F))  # min == max: own range
    both(lambda L, x: L.histc(x, bins=3), np.array([5.0, 5.0], F))  # one value: range widened by 1
    both(lambda L, x: L.histc(x, bins=3), np.zeros((0,), F))
    both(lambda L, x: L.histc(x.t(), bins=5), x)
    both(lambda L, x: L.histc(x.double(), bins=5), x)


# scatter_reduce ----------------------------------------------------------------------------------
REDUCES = ("sum", "prod", "mean", "amax", "amin")


@requires_torch
@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_values(reduce, include_self):
    rng = np.random.default_rng(4)
    x = rng.integers(-9, 9, (3, 5))
    index = rng.integers(0, 5, (3, 4))
    src = rng.integers(-9, 9, (3, 6))  # larger than index: only index's extent is read
    both(lambda L, x, i, s: x.scatter_reduce(1, i, s, reduce, include_self=include_self), x, index, src)
    both(lambda L, x, i, s: L.scatter_reduce(x.float(), 0, i.t()[:2] % 3, s.float().t(), reduce,
                                             include_self=include_self), x, index, src)
    xf = np.array([1.0, NAN, 3.0, -2.0], F)
    both(lambda L, x: x.scatter_reduce(0, L.tensor([0, 0, 2, 3]), L.tensor([NAN, 1.0, 2.0, 5.0]), reduce,
                                       include_self=include_self), xf)
    both(lambda L, x: x.scatter_reduce(0, L.tensor([0, 1]), L.tensor([True, False]), reduce,
                                       include_self=include_self), np.array([False, True, False]))
    both(lambda L, x: x.to(L.float16).scatter_reduce(0, L.tensor([0, 0, 1]), L.tensor([1.5, 2.0, 3.0]).half(),
                                                     reduce, include_self=include_self), xf)
    both(lambda L, x: x.scatter_reduce(0, L.tensor([], dtype=L.int64), L.tensor([]), reduce), xf)
    both(lambda L, x: x.scatter_reduce(0, L.tensor([3, 0, 3], dtype=L.int32), L.tensor([1.0, 2.0, 3.0]), reduce,
                                       include_self=include_self), xf)
    both(lambda L: L.tensor(2.0).scatter_reduce(0, L.tensor(0), L.tensor(5.0), reduce, include_self=include_self))


@requires_torch
def test_scatter_reduce_inplace_returns_self():
    for L in (rb, torch):
        x = L.tensor([1.0, 2.0, 3.0])
        y = x.scatter_reduce_(0, L.tensor([0, 0, 2]), L.tensor([4.0, 5.0, 6.0]), "amax", include_self=False)
        assert y is x
    both(lambda L: L.tensor([1.0, 2.0, 3.0]).scatter_reduce_(0, L.tensor([0, 0, 2]), L.tensor([4.0, 5.0, 6.0]),
                                                            "mean"))


@requires_torch
@pytest.mark.parametrize("case", [
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 3]), L.ones(2), "sum"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([-1]), L.ones(1), "sum"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 1]), L.ones(2), "maximum"),
    lambda L: L.zeros(3, dtype=L.bool).scatter_reduce(0, L.tensor([0]), L.ones(1, dtype=L.bool), "mean"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 1]), L.ones(2, dtype=L.float64), "sum"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0.0, 1.0]), L.ones(2), "sum"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0, 1, 2, 0]), L.ones(2), "sum"),
    lambda L: L.zeros(3).scatter_reduce(0, L.tensor([[0, 1]]), L.ones(2), "sum"),
    lambda L: L.zeros(3).scatter_reduce(1, L.tensor([0]), L.ones(1), "sum"),
])
def test_scatter_reduce_errors(case):
    both(case)


@requires_torch
@pytest.mark.parametrize("reduce", REDUCES)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_gradients_at_ties_and_zeros(reduce, include_self):
    x = np.array([[2.0, 0.0, 3.0, 1.0], [1.0, 1.0, -1.0, 0.0]])
    index = np.array([[0, 0, 2, 2, 1], [3, 3, 3, 1, 1]])
    src = np.array([[2.0, 2.0, 3.0, 0.0, 4.0], [1.0, 0.0, 0.0, 5.0, 1.0]])  # ties with x; zeros, two in a group
    grads_match(lambda L, x, i, s: L.scatter_reduce(x, 1, i, s, reduce, include_self=include_self), x, index, src)


# median / nanmedian / mode ------------------------------------------------------------------------
@requires_torch
def test_median_nan_keepdim_and_layouts():
    m = np.array([[3.0, NAN, 1.0, NAN, 0.5], [4.0, 2.0, 9.0, 1.0, 5.0], [NAN, NAN, NAN, NAN, NAN]], F)
    both(lambda L, m: L.median(m), m)
    both(lambda L, m: L.nanmedian(m), m)
    both(lambda L, m: L.nanmedian(m[:2]), m)
    both(lambda L, m: tuple(L.median(m, 1)), m)  # the first NaN of each row, with its position
    both(lambda L, m: tuple(L.nanmedian(m[:2], 1, keepdim=True)), m)
    both(lambda L, m: L.nanmedian(m, 1).values, m)
    both(lambda L, m: tuple(L.median(m.t(), 0)), m[1:2])
    both(lambda L, m: tuple(m.median(-1)), np.random.default_rng(5).standard_normal((2, 3, 6)).astype(F))
    both(lambda L, m: tuple(m.median(0, keepdim=True)), np.arange(12).reshape(4, 3) % 5)
    both(lambda L, m: L.median(m.to(L.float16)), m[1:2])
    both(lambda L, m: tuple(L.median(m, 0)), np.array(2.5, F))
    both(lambda L, m: L.median(m), np.zeros((0,), F))
    both(lambda L, m: L.median(m, 1), np.zeros((3, 0), F))
    both(lambda L, m: L.nanmedian(m, 0), np.zeros((0, 2), F))


@requires_torch
def test_median_gradients():
    ties = np.array([[1.0, 2.0, 2.0, 3.0], [2.0, 0.0, 5.0, 2.0]])
    grads_match(lambda L, x: L.median(x), ties)  # split evenly among the elements equal to the median
    grads_match(lambda L, x: L.nanmedian(x), np.array([1.0, NAN, 2.0, NAN, 0.0]))
    grads_match(lambda L, x: L.median(x), np.array([1.0, NAN, 2.0, NAN]))  # to the NaNs
    grads_match(lambda L, x: L.median(x, 1).values, np.random.default_rng(6).standard_normal((3, 5)))
    grads_match(lambda L, x: L.nanmedian(x, 0, keepdim=True).values, np.array([[1.0, NAN], [3.0, 2.0], [0.5, 4]]))


def test_median_gradient_is_differentiable_again():
    x = rb.tensor(np.random.default_rng(7).standard_normal((3, 4)), requires_grad=True)
    assert rb.autograd.gradgradcheck(lambda x: rb.median(x) * rb.median(x, 0).values.sum(), (x,))


@requires_torch
def test_mode_ties_and_indices_match_pytorch():
    rng = np.random.default_rng(8)
    for shape, dim in (((4, 9), 1), ((9, 4), 0), ((2, 12, 3), 1), ((3, 40), -1)):
        x = rng.integers(0, 4, shape)  # many ties in frequency: the smallest value wins
        both(lambda L, x, dim=dim: tuple(L.mode(x, dim)), x)
        both(lambda L, x, dim=dim: tuple(x.float().mode(dim, keepdim=True)), x)
    both(lambda L, x: tuple(L.mode(x)), np.array([[3.0, 1, 1, 3, 2], [2, 2, 5, 5, 7]], F))
    both(lambda L, x: tuple(L.mode(x.to(L.int8))), np.array([[3, 1, 1, 3, 2]]))
    both(lambda L, x: tuple(L.mode(x)), np.array(1.5, F))
    both(lambda L, x: L.mode(x, 1), np.zeros((3, 0), F))
    grads_match(lambda L, x: L.mode(x, 1).values, np.array([[1.0, 2.0, 1.0, 0.5], [3.0, 3.0, 2.0, 2.0]]))


def test_mode_nan_counts_each_nan_alone():
    v, i = rb.mode(rb.tensor([[NAN, NAN, 1.0, 1.0, 2.0]]), 1)
    assert v.item() == 1.0 and i.item() in (2, 3)


# quantile / nanquantile ----------------------------------------------------------------------------
INTERPS = ("linear", "lower", "higher", "midpoint", "nearest")


@requires_torch
@pytest.mark.parametrize("interpolation", INTERPS)
def test_quantile_shapes_nans_and_gradients(interpolation):
    x = np.random.default_rng(9).standard_normal((3, 4, 5))
    q = np.array([0.0, 0.125, 0.5, 0.875, 1.0])
    for dim in (None, 0, 1, -1):
        for keepdim in (False, True):
            both(lambda L, x, q, dim=dim, keepdim=keepdim: L.quantile(x, q, dim, keepdim, interpolation=interpolation),
                 x, q)
            both(lambda L, x, dim=dim, keepdim=keepdim: x.quantile(0.4, dim, keepdim, interpolation=interpolation), x)
    xn = x.copy()
    xn[0, 1, 2] = xn[1, :, 3] = NAN
    both(lambda L, x, q: L.quantile(x, q, 1, interpolation=interpolation), xn, q)
    both(lambda L, x, q: L.nanquantile(x, q, 1, interpolation=interpolation), xn, q)  # all-NaN slice: NaN
    both(lambda L, x: L.nanquantile(x, 0.3, interpolation=interpolation), xn)
    both(lambda L, x: L.quantile(x.t(), 0.3, 0), x[0])
    both(lambda L, x: L.quantile(x.float(), L.tensor([0.25, 0.75]), 0, interpolation=interpolation), x[0])
    grads_match(lambda L, x, q: L.quantile(x, q, 1, interpolation=interpolation), x, q)
    grads_match(lambda L, x: L.nanquantile(x, 0.3, 0, interpolation=interpolation), xn[:, 0])


@requires_torch
@pytest.mark.parametrize("case", [
    lambda L: L.quantile(L.zeros(3), 1.5),
    lambda L: L.nanquantile(L.zeros(3), -0.5),
    lambda L: L.quantile(L.zeros(3), L.tensor([0.5, 1.5])),
    lambda L: L.quantile(L.zeros(0), 0.5),
    lambda L: L.quantile(L.zeros(3, dtype=L.int64), 0.5),
    lambda L: L.quantile(L.zeros(3), 0.5, interpolation="cubic"),
    lambda L: L.quantile(L.zeros(3), L.zeros(2, 2)),
    lambda L: L.quantile(L.zeros(3), L.zeros(2, dtype=L.float64)),
    lambda L: L.quantile(L.zeros(3), 0.5, dim=1),
])
def test_quantile_errors(case):
    both(case)


# cummax / cummin / logcumsumexp --------------------------------------------------------------------
@requires_torch
def test_cummax_cummin():
    x = np.array([[1.0, 3.0, 3.0, NAN, 2.0, NAN, 5.0], [2.0, 1.0, 1.0, 0.0, 0.0, 4.0, 4.0]], F)
    for name in ("cummax", "cummin"):
        both(lambda L, x, name=name: tuple(getattr(L, name)(x, 1)), x)  # ties move the index on, NaN sticks
        both(lambda L, x, name=name: tuple(getattr(x.t(), name)(0)), x)
        both(lambda L, x, name=name: tuple(getattr(L, name)(x, 0)), np.random.default_rng(10).integers(0, 3, (6, 2)))
        both(lambda L, x, name=name: tuple(getattr(L, name)(x, 0)), np.array([True, False, True]))
        both(lambda L, x, name=name: tuple(getattr(L, name)(x.to(L.float16), 1)), x)
        both(lambda L, x, name=name: tuple(getattr(L, name)(x, 0)), np.array(3.0, F))
        both(lambda L, x, name=name: tuple(getattr(L, name)(x, 1)), np.zeros((2, 0), F))
        grads_match(lambda L, x, name=name: getattr(L, name)(x, 1).values, np.array([[1.0, 3.0, 3.0, 2.0, 5.0]]))
        grads_match(lambda L, x, name=name: getattr(L, name)(x, 0).values,
                    np.random.default_rng(11).standard_normal((5, 3)))


@requires_torch
def test_logcumsumexp():
    x = np.random.default_rng(12).standard_normal((3, 6)) * 50  # exp would overflow float32
    both(lambda L, x: L.logcumsumexp(x.float(), 1), x)
    both(lambda L, x: x.logcumsumexp(0), x)
    both(lambda L, x: L.logcumsumexp(x, 0), np.array([-math.inf, -math.inf, 1.0, math.inf, math.inf, 2.0], F))
    both(lambda L, x: L.logcumsumexp(x, 0), np.array([1.0, NAN, 2.0], F))
    both(lambda L, x: L.logcumsumexp(x.to(L.bfloat16), 1), x)
    both(lambda L, x: L.logcumsumexp(x, 0), np.array([1, 2]))
    both(lambda L, x: L.logcumsumexp(x, 0), np.zeros((0, 3), F))
    grads_match(lambda L, x: L.logcumsumexp(x, 1), x / 10)
    grads_match(lambda L, x: L.logcumsumexp(x.t(), 0), x / 10)


def test_logcumsumexp_second_order_and_stability():
    x = rb.tensor(np.random.default_rng(13).standard_normal((2, 4)), requires_grad=True)
    assert rb.autograd.gradgradcheck(lambda x: rb.logcumsumexp(x, 1), (x,))
    big = np.array([1000.0, 1000.0, -1000.0], np.float64)
    np.testing.assert_allclose(rb.logcumsumexp(rb.tensor(big), 0).numpy(), np.logaddexp.accumulate(big))


@requires_torch
def test_expanded_and_strided_inputs():
    """Inputs whose elements share memory (expand) or are strided read the same values as a contiguous copy."""
    x = np.random.default_rng(14).integers(0, 4, (3, 5))
    both(lambda L, x: L.unique(x[:1].expand(4, 5), dim=0, return_counts=True), x)
    both(lambda L, x: tuple(L.mode(x.t(), 1)), x)
    both(lambda L, x: tuple(L.cummax(x[:, ::2], 1)), x)
    both(lambda L, x: tuple(L.median(x.float()[:1].expand(3, 5), 1)), x)
    both(lambda L, x: L.quantile(x.double().t(), 0.5, 1), x)
    both(lambda L, x: L.bincount(x[0].expand(3, 5)[1]), x)
    both(lambda L, x: L.zeros(3, 5, dtype=L.int64).scatter_reduce(1, x[:1].expand(3, 5), x.t().t(), "sum"), x)
    both(lambda L, x: L.logcumsumexp(x.double().t(), 0), x)


def test_scatter_reduce_prod_two_zeros_refuses_double_backward():
    """Two zeros of src in one product: the gradient is right (zero for both, the others' product for
    neither), and differentiating it again raises, as in PyTorch, rather than returning a wrong value."""
    x = rb.tensor([2.0, 3.0], requires_grad=True)
    src = rb.tensor([0.0, 0.0, 4.0, 5.0], requires_grad=True)
    out = x.scatter_reduce(0, rb.tensor([0, 0, 0, 1]), src, "prod")
    gx, gs = rb.autograd.grad(out.sum(), (x, src), create_graph=True)
    np.testing.assert_array_equal(gs.detach().numpy(), [0.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(gx.detach().numpy(), [0.0, 5.0])
    with pytest.raises(NotImplementedError, match="double backward"):
        gs.sum().backward()
