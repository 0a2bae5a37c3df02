"""The tensor toolbox of character-level language-model scripts, beyond tests/op_specs.py: tril/triu
in place and as causal masks, multinomial sampling (the distribution, checked by chi-square bounds
at fixed seeds, and the generator), sort/argsort/topk/kthvalue with NaNs and ties, cumsum/cumprod dtypes and
gradients at zeros, flip/roll/repeat/tile/repeat_interleave, and every error against PyTorch's."""
import re

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch


def _both(fn):
    """fn(rb) and fn(torch), each as the exception it raised or its value."""
    import torch
    out = []
    for L in (rb, torch):
        try:
            out.append(fn(L))
        except Exception as e:  # noqa: BLE001  (the test compares what each library raised)
            out.append(e)
    return out


def _raises_as_torch(fn, match):
    """fn raises in PyTorch, and in rosenblatt the same exception type with a message matching `match`."""
    ours, theirs = _both(fn)
    assert isinstance(theirs, Exception), f"PyTorch did not raise: {theirs}"
    assert isinstance(ours, Exception), f"rosenblatt did not raise, PyTorch raised {theirs!r}"
    assert type(ours).__name__ == type(theirs).__name__, f"{ours!r} vs PyTorch's {theirs!r}"
    assert re.search(match, str(ours)), str(ours)


# ---- tril / triu --------------------------------------------------------------------------------

def test_tril_inplace_returns_self_and_bumps_the_version():
    x = rb.ones(3, 3)
    v = x._version
    assert x.tril_() is x and x._version > v
    np.testing.assert_array_equal(x.numpy(), np.tril(np.ones((3, 3))))
    assert x.triu_(1) is x and not x.numpy().any()


def test_tril_inplace_on_a_leaf_that_requires_grad_raises_and_changes_nothing():
    x = rb.ones(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x.tril_()
    np.testing.assert_array_equal(x.detach().numpy(), np.ones((2, 2)))


def test_tril_of_a_non_contiguous_view_and_of_bool():
    a = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(rb.tensor(a).t().tril().numpy(), np.tril(a.T))
    m = rb.ones(4, 4, dtype=rb.bool).tril()
    assert m.dtype == rb.bool
    np.testing.assert_array_equal(m.numpy(), np.tril(np.ones((4, 4), bool)))


@requires_torch
def test_causal_attention_mask_matches_pytorch():
    """The mask of a GPT block: tril of ones, masked_fill(-inf) above the diagonal, softmax."""
    import torch
    att = np.random.default_rng(0).standard_normal((2, 5, 5)).astype(np.float32)
    outs = []
    for L in (rb, torch):
        mask = L.tril(L.ones(5, 5)).view(1, 5, 5)
        a = L.tensor(att, requires_grad=True)
        w = L.softmax(a.masked_fill(mask == 0, float("-inf")), dim=-1)
        (w * L.arange(5.0)).sum().backward()
        outs.append((w.detach().numpy(), a.grad.numpy()))
    for r, t in zip(*outs):
        np.testing.assert_allclose(r, t, rtol=1e-5, atol=1e-6)
    assert not outs[0][0][:, np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]].any()


@requires_torch
@pytest.mark.parametrize("fn", [lambda L: L.tril(L.ones(3)), lambda L: L.triu(L.tensor(1.0)),
                                lambda L: L.ones(4).tril_()])
def test_tril_errors_match_pytorch(fn):
    _raises_as_torch(fn, "must have at least 2 dimensions")


# ---- multinomial -------------------------------------------------------------------------------

def _chi2_bound(counts, expected):
    """Pearson's statistic and a bound it exceeds with probability < 1e-4 (Wilson-Hilferty)."""
    keep = expected > 0
    stat = (((counts - expected) ** 2)[keep] / expected[keep]).sum()
    k = keep.sum() - 1
    z = 3.72  # the standard normal's 1 - 1e-4 quantile
    return stat, k * (1 - 2 / (9 * k) + z * np.sqrt(2 / (9 * k))) ** 3


def test_multinomial_with_replacement_follows_the_distribution():
    p = np.array([0.5, 0.0, 2.0, 1.0, 0.25, 0.25])  # unnormalized, with a zero
    g = rb.Generator().manual_seed(0)
    n = 40000
    draws = rb.multinomial(rb.tensor(p), n, replacement=True, generator=g).numpy()
    assert draws.shape == (n,) and draws.dtype == np.int64
    counts = np.bincount(draws, minlength=len(p))
    assert counts[1] == 0, "a zero-probability category was drawn"
    stat, bound = _chi2_bound(counts, n * p / p.sum())
    assert stat < bound, (stat, bound, counts)


def test_multinomial_rows_each_follow_their_own_distribution():
    p = np.array([[1.0, 1.0, 1.0, 1.0], [0.1, 0.0, 0.0, 0.9], [0.0, 3.0, 1.0, 0.0]])
    rb.manual_seed(3)
    n = 20000
    draws = rb.tensor(p).multinomial(n, True).numpy()
    assert draws.shape == (3, n)
    for row, pr in zip(draws, p):
        counts = np.bincount(row, minlength=4)
        stat, bound = _chi2_bound(counts, n * pr / pr.sum())
        assert stat < bound, (stat, bound, counts)


def test_multinomial_without_replacement_is_successive_sampling():
    """Each row is a draw, then a draw from what is left: the first position follows p, the second
    follows sum_i p_i p_j / (1 - p_i), and no index repeats within a row."""
    p = np.array([0.1, 0.2, 0.3, 0.4])
    g = rb.Generator().manual_seed(1)
    n = 20000
    rows = rb.multinomial(rb.tensor(p).expand(n, 4), 2, generator=g).numpy()
    assert (rows[:, 0] != rows[:, 1]).all()
    stat, bound = _chi2_bound(np.bincount(rows[:, 0], minlength=4), n * p)
    assert stat < bound, (stat, bound)
    second = np.array([sum(p[i] * p[j] / (1 - p[i]) for i in range(4) if i != j) for j in range(4)])
    stat, bound = _chi2_bound(np.bincount(rows[:, 1], minlength=4), n * second)
    assert stat < bound, (stat, bound)


def test_multinomial_without_replacement_all_categories_is_a_permutation_zeros_last():
    out = rb.multinomial(rb.tensor([[0.0, 1.0, 0.0, 2.0, 3.0]] * 50), 5).numpy()
    for row in out:
        assert sorted(row) == [0, 1, 2, 3, 4]
        assert list(row[3:]) == [0, 2], "the zero-probability categories come last, by position"


def test_multinomial_is_reproducible_and_a_failed_call_draws_nothing():
    p = rb.tensor([0.3, 0.3, 0.4], dtype=rb.float64)
    rb.manual_seed(7)
    a = rb.multinomial(p, 10, True)
    rb.manual_seed(7)
    state = rb.get_rng_state()
    with pytest.raises(RuntimeError):
        rb.multinomial(rb.tensor([0.5, -0.1, 0.6]), 2)
    assert rb.get_rng_state().numpy().tolist() == state.numpy().tolist()
    np.testing.assert_array_equal(rb.multinomial(p, 10, True).numpy(), a.numpy())
    g1, g2 = rb.Generator().manual_seed(5), rb.Generator().manual_seed(5)
    np.testing.assert_array_equal(p.multinomial(3, generator=g1).numpy(), p.multinomial(3, generator=g2).numpy())


def test_multinomial_of_no_rows_and_of_probabilities_that_require_grad():
    assert tuple(rb.multinomial(rb.ones(0, 3), 2).shape) == (0, 2)
    p = rb.tensor([0.0, 1.0], requires_grad=True)
    out = rb.multinomial(p, 1)
    assert out.tolist() == [1] and not out.requires_grad


@requires_torch
@pytest.mark.parametrize("fn, match", [
    (lambda L: L.multinomial(L.tensor([-0.1, 1.0]), 1), r"`inf`, `nan` or element < 0"),
    (lambda L: L.multinomial(L.tensor([float("inf"), 1.0]), 1), r"`inf`, `nan` or element < 0"),
    (lambda L: L.multinomial(L.tensor([[1.0, 1.0], [float("nan"), 1.0]]), 1, True), r"`inf`, `nan`"),
    (lambda L: L.multinomial(L.tensor([[1.0, 1.0], [0.0, 0.0]]), 1), r"sum of probabilities <= 0"),
    (lambda L: L.multinomial(L.tensor([1.0, 1.0]), 3), r"cannot sample n_sample > prob_dist.size\(-1\)"),
    (lambda L: L.multinomial(L.ones(2, 0), 1), r"cannot sample n_sample > prob_dist.size\(-1\)"),
    (lambda L: L.multinomial(L.tensor([1.0, 1.0]), 0, True), r"cannot sample n_sample <= 0 samples"),
    (lambda L: L.multinomial(L.tensor([1.0, 1.0]), -2), r"cannot sample n_sample <= 0 samples"),
    (lambda L: L.multinomial(L.ones(2, 2, 2), 1), r"prob_dist must be 1 or 2 dim"),
    (lambda L: L.multinomial(L.tensor(1.0), 1), r"prob_dist must be 1 or 2 dim"),
    (lambda L: L.multinomial(L.ones(3, dtype=L.int64), 1), r"only supports floating-point dtypes"),
    (lambda L: L.multinomial(L.ones(3), 1.5), r"num_samples|incompatible"),
])
def test_multinomial_errors_match_pytorch(fn, match):
    _raises_as_torch(fn, match)


# ---- sort / argsort / topk -----------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("descending", [False, True])
def test_sort_orders_nan_above_every_number_as_pytorch(descending):
    import torch
    x = np.array([[3.0, np.nan, 1.0, -np.inf, np.inf, 1.0, np.nan, 0.0]])
    r = rb.sort(rb.tensor(x), descending=descending, stable=True)
    t = torch.sort(torch.tensor(x), descending=descending, stable=True)
    np.testing.assert_array_equal(r.values.numpy(), t.values.numpy())
    np.testing.assert_array_equal(r.indices.numpy(), t.indices.numpy())
    np.testing.assert_array_equal(rb.argsort(rb.tensor(x), descending=descending, stable=True).numpy(),
                                  t.indices.numpy())


@requires_torch
def test_topk_counts_nan_as_largest_as_pytorch():
    import torch
    x = np.array([3.0, np.nan, 1.0, 2.0, -1.0])
    for largest in (True, False):
        r, t = rb.topk(rb.tensor(x), 2, largest=largest), torch.topk(torch.tensor(x), 2, largest=largest)
        np.testing.assert_array_equal(r.values.numpy(), t.values.numpy())
        np.testing.assert_array_equal(r.indices.numpy(), t.indices.numpy())


def test_sort_and_topk_results_are_named_tuples_and_bool_sorts():
    r = rb.tensor([True, False, True]).sort()
    assert type(r).__name__ == "sort" and r._fields == ("values", "indices")
    assert r.values.tolist() == [False, True, True] and r.indices.tolist() == [1, 0, 2]
    v, i = rb.topk(rb.tensor([1.0, 5.0, 3.0]), 2)
    assert type(rb.topk(rb.tensor([1.0]), 1)).__name__ == "topk"
    assert v.tolist() == [5.0, 3.0] and i.tolist() == [1, 2]


def test_topk_with_sorted_false_keeps_the_same_elements_and_k_zero_is_empty():
    x = rb.tensor(np.random.default_rng(0).standard_normal((3, 9)))
    a, b = x.topk(4, sorted=False), x.topk(4)
    assert sorted(a.indices.flatten().tolist()) == sorted(b.indices.flatten().tolist())
    z = x.topk(0)
    assert tuple(z.values.shape) == (3, 0) and z.indices.dtype == rb.int64


@requires_torch
def test_kthvalue_counts_nan_as_largest_as_pytorch():
    import torch
    x = np.array([[3.0, 1.0, 2.0, np.nan], [0.0, 5.0, 4.0, -1.0]])
    for k in (1, 3, 4):
        r, t = rb.kthvalue(rb.tensor(x), k), torch.kthvalue(torch.tensor(x), k)
        assert type(r).__name__ == "kthvalue"
        np.testing.assert_array_equal(r.values.numpy(), t.values.numpy())
        np.testing.assert_array_equal(r.indices.numpy(), t.indices.numpy())
    assert rb.tensor(x).kthvalue(2, 0).values.is_contiguous()
    assert tuple(rb.kthvalue(rb.ones(0, 2), 1, 1).values.shape) == (0,)
    s = rb.tensor(2.5).kthvalue(1)
    assert s.values.item() == 2.5 and s.indices.item() == 0


def test_sort_and_topk_of_a_0d_tensor():
    s = rb.tensor(2.5).sort()
    assert s.values.item() == 2.5 and s.indices.item() == 0 and s.values.dim() == 0
    t = rb.tensor(2.5).topk(1)
    assert t.values.item() == 2.5 and t.indices.item() == 0


@requires_torch
def test_topk_gradient_and_second_order_match_pytorch():
    import torch
    x = np.random.default_rng(3).standard_normal((3, 6))
    outs = []
    for L in (rb, torch):
        t = L.tensor(x, requires_grad=True)
        v = L.topk(t ** 3, 2, dim=1).values
        (g,) = L.autograd.grad((v * L.tensor([[1.0, -2.0]])).sum(), t, create_graph=True)
        (gg,) = L.autograd.grad((g ** 2).sum(), t)
        outs.append((g.detach().numpy(), gg.numpy()))
    for r, t in zip(*outs):
        np.testing.assert_allclose(r, t, rtol=1e-10, atol=1e-12)


@requires_torch
@pytest.mark.parametrize("fn, exc_match", [
    (lambda L: L.topk(L.ones(3, 4), 5), "selected index k out of range"),
    (lambda L: L.topk(L.ones(3, 4), -1), "selected index k out of range"),
    (lambda L: L.topk(L.tensor(3.0), 2), "selected index k out of range"),
    (lambda L: L.topk(L.ones(3, 4), 2, dim=3), "Dimension out of range"),
    (lambda L: L.sort(L.ones(3, 4), 2), "Dimension out of range"),
    (lambda L: L.argsort(L.ones(3), -2), "Dimension out of range"),
    (lambda L: L.kthvalue(L.ones(2, 4), 0), "selected number k out of range for dimension 1"),
    (lambda L: L.kthvalue(L.ones(2, 4), 5), "selected number k out of range for dimension 1"),
    (lambda L: L.kthvalue(L.ones(2, 0), 1), "Expected reduction dim 1 to have non-zero size"),
    (lambda L: L.ones(2, 4).kthvalue(1, 2), "Dimension out of range"),
])
def test_sort_errors_match_pytorch(fn, exc_match):
    _raises_as_torch(fn, exc_match)


# ---- cumsum / cumprod ----------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("fn", [
    lambda L: L.cumsum(L.tensor([1, 2, 3]), 0),
    lambda L: L.cumsum(L.tensor([True, False, True]), 0),
    lambda L: L.cumsum(L.tensor([1, 2, 3]), 0, dtype=L.float32),
    lambda L: L.tensor([1.5, -2.5, 3.25]).cumsum(0, dtype=L.int64),
    lambda L: L.cumprod(L.tensor([[1, 2], [3, -4]]), 1),
    lambda L: L.cumprod(L.tensor([True, True]), 0),
    lambda L: L.cumsum(L.tensor(3.0), 0),
    lambda L: L.cumprod(L.ones(0, 3), 1),
    lambda L: L.tensor([1.0, 2.0], dtype=L.float32).cumprod(dim=0, dtype=L.float64),
])
def test_scan_dtypes_and_values_match_pytorch(fn):
    r, t = _both(fn)
    assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    np.testing.assert_array_equal(r.numpy(), t.numpy())


def test_float32_cumsum_accumulates_in_double():
    x = rb.full((100000,), 0.1)
    np.testing.assert_allclose(x.cumsum(0)[-1].item(), 10000.0, rtol=1e-6)


@requires_torch
@pytest.mark.parametrize("row", [[2.0, 0.0, 3.0, 0.5], [0.0, 1.5, 2.0, 3.0], [1.5, 2.0, -1.0, 0.0],
                                 [0.0, 0.0, 2.0, 1.0], [1.0, 0.0, 0.0, 0.0]])
def test_cumprod_gradients_at_zeros_match_pytorch_to_second_order(row):
    import torch
    outs = []
    for L in (rb, torch):
        t = L.tensor([row, [1.0, 2.0, 0.5, -1.0]], requires_grad=True)
        y = L.cumprod(t, 1)
        w = L.tensor([[1.0, -1.0, 2.0, 0.5]])
        (g,) = L.autograd.grad((y * w).sum(), t, create_graph=True)
        (gg,) = L.autograd.grad((g * L.tensor([[0.5, 1.0, -2.0, 3.0]])).sum(), t)
        outs.append((g.detach().numpy(), gg.numpy()))
    for r, t in zip(*outs):
        np.testing.assert_allclose(r, t, rtol=1e-12, atol=1e-12)


@requires_torch
@pytest.mark.parametrize("fn", [lambda L: L.cumsum(L.ones(3, 4), 2), lambda L: L.ones(3).cumprod(-2)])
def test_scan_errors_match_pytorch(fn):
    _raises_as_torch(fn, "Dimension out of range")


# ---- flip / roll / repeat / tile / repeat_interleave ----------------------------------------------

def test_flip_roll_repeat_copy_rather_than_view():
    x = rb.arange(6.0).view(2, 3)
    for y in (x.flip(()), x.roll(0, 1), x.repeat(1, 1), x.tile(()), rb.flip(x, [0])):
        y.fill_(-1.0)
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_flip_and_roll_of_0d_and_empty_tensors():
    assert rb.tensor(3.0).flip(0).item() == 3.0 and rb.roll(rb.tensor(3.0), 1).item() == 3.0
    assert tuple(rb.roll(rb.ones(0, 3), 1, 0).shape) == (0, 3)
    assert tuple(rb.ones(0, 3).flip(1).shape) == (0, 3)


@requires_torch
@pytest.mark.parametrize("fn", [
    lambda L: L.repeat_interleave(L.tensor([[1, 2], [3, 4]]), L.tensor([1, 2]), dim=0),
    lambda L: L.repeat_interleave(L.tensor([2, 0, 1])),
    lambda L: L.repeat_interleave(L.tensor([2, 1]), output_size=3),
    lambda L: L.repeat_interleave(L.tensor(2.0), 3),
    lambda L: L.tensor([[True, False]]).repeat_interleave(2, dim=1, output_size=4),
    lambda L: L.tensor([[1, 2], [3, 4]]).repeat(2, 1, 2),
    lambda L: L.tile(L.tensor([1, 2]), (2, 2)),
    lambda L: L.roll(L.arange(12).view(3, 4), (1, 1), (0, 0)),
    lambda L: L.ones(2, 3).repeat(0, 2),
])
def test_repeats_and_rolls_match_pytorch(fn):
    r, t = _both(fn)
    assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    np.testing.assert_array_equal(r.numpy(), t.numpy())


@requires_torch
@pytest.mark.parametrize("fn, match", [
    (lambda L: L.flip(L.ones(2, 3), (0, 0)), "dim 0 appears multiple times"),
    (lambda L: L.flip(L.ones(2, 3), 0), "must be tuple of ints, not int"),
    (lambda L: L.ones(2, 3).flip(2), "Dimension out of range"),
    (lambda L: L.roll(L.ones(2, 3), (1, 2)), "shifts and dimensions must align"),
    (lambda L: L.roll(L.ones(2, 3), (1, 2), 0), "shifts and dimensions must align"),
    (lambda L: L.roll(L.ones(2, 3), ()), "`shifts` required"),
    (lambda L: L.roll(L.ones(2, 3), 1, 2), "Dimension out of range"),
    (lambda L: L.ones(2, 3).repeat(2), "can not be smaller than number of dimensions"),
    (lambda L: L.ones(2, 3).repeat(-1, 2), "negative dimension"),
    (lambda L: L.ones(2, 3).repeat(), "missing 1 required positional arguments"),
    (lambda L: L.tile(L.ones(2, 3), (-1,)), "negative dimension"),
    (lambda L: L.repeat_interleave(L.ones(2, 3), -1), "Repeats must be non-negative"),
    (lambda L: L.repeat_interleave(L.ones(3, 2), L.tensor([1, 2]), 0), "must have the same size as input along dim"),
    (lambda L: L.repeat_interleave(L.ones(3, 2), L.tensor([1, -1, 2]), 0), "repeats can not be negative"),
    (lambda L: L.repeat_interleave(L.ones(3, 2), L.tensor([[1]]), 0), "repeats must be 0-dim or 1-dim tensor"),
    (lambda L: L.repeat_interleave(L.ones(3, 2), L.tensor([1.0, 2.0, 1.0]), 0), "not implemented for"),
    (lambda L: L.repeat_interleave(L.tensor([[1, 2]])), "only accept 1D vector as repeat"),
    (lambda L: L.repeat_interleave(L.tensor([2, 1]), output_size=4), "allocated size does not match required size"),
    (lambda L: L.repeat_interleave(L.ones(3), 2, 0, output_size=5), "Invalid output_size, expected 6 but got 5"),
    (lambda L: L.repeat_interleave(L.ones(3), 2, 1), "Dimension out of range"),
])
def test_flip_roll_repeat_errors_match_pytorch(fn, match):
    _raises_as_torch(fn, match)
