"""The torch-level composites beyond what op_specs expresses: named-tuple and tuple outputs, argument
combinations, output dtypes, in-place forms, errors (PyTorch's exception types), empty and non-contiguous inputs."""
import math
import warnings

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, requires_torch, torch


def _np(t):
    return t.detach().numpy()


# ---- output dtypes and structured results ----

def test_count_nonzero_and_indices_are_int64():
    x = rb.tensor([[0.0, 1.5], [2.0, 0.0], [0.0, 0.0]])
    assert rb.count_nonzero(x).dtype == rb.int64 and rb.count_nonzero(x).item() == 2
    assert rb.count_nonzero(x, dim=1).tolist() == [1, 1, 0]
    for f, ref in ((rb.tril_indices, np.tril_indices), (rb.triu_indices, np.triu_indices)):
        for r, c, off in ((3, 3, 0), (4, 2, -1), (2, 5, 1), (0, 3, 0)):
            out = f(r, c, off)
            assert out.dtype == rb.int64 and tuple(out.shape)[0] == 2
            np.testing.assert_array_equal(_np(out), np.stack(ref(r, off, c)))
    assert rb.tril_indices(3, 3, dtype=rb.int32).dtype == rb.int32


def test_aminmax_named_tuple_and_var_mean_spellings():
    x = rb.tensor([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]])
    r = rb.aminmax(x, dim=0)
    assert r.min.tolist() == [0.5, -1.0, -2.0] and r.max.tolist() == [3.0, 4.0, 2.0]
    lo, hi = x.aminmax()
    assert lo.item() == -2.0 and hi.item() == 4.0
    a = np.array([[3.0, -1.0, 2.0], [0.5, 4.0, -2.0]])
    for call, ddof in ((lambda: rb.var_mean(x, 1, unbiased=False), 0), (lambda: rb.var_mean(x, 1, correction=2), 2),
                       (lambda: rb.var_mean(x, dim=1), 1)):
        v, m = call()
        np.testing.assert_allclose(_np(v), a.var(1, ddof=ddof), rtol=1e-6)
        np.testing.assert_allclose(_np(m), a.mean(1), rtol=1e-6)
    s, m = rb.std_mean(x, True)
    np.testing.assert_allclose(s.item(), a.std(ddof=1), rtol=1e-6)
    with pytest.raises(RuntimeError):
        rb.aminmax(rb.zeros(0))


def test_meshgrid_warns_without_indexing_and_views_share_storage():
    a, b = rb.arange(3), rb.arange(2)
    with pytest.warns(UserWarning, match="indexing"):
        ga, gb = rb.meshgrid(a, b)
    assert tuple(ga.shape) == (3, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xa, xb = rb.meshgrid(a, b, indexing="xy")
    assert tuple(xa.shape) == (2, 3) and xa.tolist() == [[0, 1, 2], [0, 1, 2]]
    with pytest.raises(RuntimeError, match="indexing"):
        rb.meshgrid(a, b, indexing="ji")
    x, y = rb.broadcast_tensors(rb.ones(3, 1), rb.zeros(4))
    assert tuple(x.shape) == tuple(y.shape) == (3, 4)
    assert rb.broadcast_shapes((3, 1), (4,)) == (3, 4)


def test_tensor_split_sections_indices_and_tensor_forms():
    x = rb.arange(10)
    assert [t.tolist() for t in rb.tensor_split(x, 4)] == [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    assert [t.tolist() for t in x.tensor_split((2, 2, 12))] == [[0, 1], [], list(range(2, 10)), []]
    assert [t.tolist() for t in rb.tensor_split(x, rb.tensor([3, 7]))] == [[0, 1, 2], [3, 4, 5, 6], [7, 8, 9]]
    assert len(rb.tensor_split(x, rb.tensor(3))) == 3
    with pytest.raises(RuntimeError):
        rb.tensor_split(x, 0)


# ---- in-place forms ----

def test_inplace_forms_write_into_self():
    p = rb.ones(2, 3)
    g = rb.full((2, 3), 2.0)
    assert p.addcmul_(g, g, value=0.5) is p
    np.testing.assert_allclose(_np(p), 3.0)
    p.addcdiv_(g, rb.full((2, 3), 4.0), value=-2)
    np.testing.assert_allclose(_np(p), 2.0)
    c = rb.zeros(2, 2)
    c.addmm_(rb.eye(2), rb.full((2, 2), 3.0), beta=0.0, alpha=2)
    np.testing.assert_allclose(_np(c), 6.0)
    b = rb.ones(2, 2, 2)
    b.baddbmm_(rb.ones(2, 2, 1), rb.ones(2, 1, 2))
    np.testing.assert_allclose(_np(b), 2.0)
    n = rb.tensor([float("nan"), 1.0, float("inf")])
    n.nan_to_num_(nan=-1.0, posinf=5.0)
    assert n.tolist() == [-1.0, 1.0, 5.0]
    m = rb.tensor([-1.0, 0.5, 2.0])
    m.clamp_min_(0.0).clamp_max_(1.0)
    assert m.tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("mat,vec,inp", [((3, 0), (0,), (3,)), ((0, 4), (4,), (0,)), ((0, 0), (0,), (0,)),
                                         ((2, 3), (3,), (2,))])
@pytest.mark.parametrize("beta", [0.0, 2.0])
def test_addmv_of_empty_operands_and_beta_zero_gradient(mat, vec, inp, beta):
    """addmv over an empty product: beta * input (zeros for beta 0), with input's gradient beta * grad even for
    beta 0, where PyTorch's formula gives grad * 0 (zeros; nan where grad is) though the value ignores input."""
    results = []
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        i = L.tensor(np.arange(1.0, inp[0] + 1, dtype=np.float32), requires_grad=True)
        m, v = L.full(mat, 3.0, requires_grad=True), L.full(vec, 2.0, requires_grad=True)
        out = L.addmv(i, m, v, beta=beta, alpha=0.5)
        out.backward(L.full(tuple(out.shape), 1.5))
        results.append([_np(out), _np(i.grad), _np(m.grad), _np(v.grad)])
    want_out = beta * np.arange(1.0, inp[0] + 1) + 0.5 * np.full(mat, 3.0) @ np.full(vec, 2.0)
    want = [want_out, np.full(inp, 1.5 * beta), np.full(mat, 0.5 * 1.5 * 2.0), np.full(vec, 0.5 * 1.5 * 3.0 * mat[0])]
    for got in results:
        for u, w in zip(got, want):
            assert u.shape == w.shape
            np.testing.assert_allclose(u, w)
    # beta 0 drops input's nan but passes the gradient times 0: a nan gradient stays nan, as PyTorch's
    i = rb.tensor([float("nan"), 1.0], requires_grad=True)
    rb.addmv(i, rb.ones(2, 3), rb.ones(3), beta=0).backward(rb.tensor([float("nan"), 1.0]))
    assert np.isnan(_np(i.grad)[0]) and _np(i.grad)[1] == 0.0


def test_addmv_of_an_empty_matrix_keeps_the_products_shape():
    """Deliberate: with an empty matrix PyTorch 2.13's addmv returns beta * input in input's own shape (a (1,) input
    and a (3, 0) matrix give (1,), and its backward then fails); ours broadcasts to the product's (3,), as addmm and
    a non-empty addmv do."""
    out = rb.addmv(rb.tensor([2.0]), rb.ones(3, 0), rb.ones(0), beta=1.5)
    assert out.tolist() == [3.0, 3.0, 3.0]
    assert tuple(rb.addmv(rb.tensor(2.0), rb.ones(0, 2), rb.ones(2)).shape) == (0,)


def test_addmm_beta_zero_ignores_nan_input():
    out = rb.addmm(rb.full((2, 2), float("nan")), rb.eye(2), rb.eye(2), beta=0)
    assert _np(out).tolist() == [[1.0, 0.0], [0.0, 1.0]]


# ---- values where composites could go wrong ----

def test_logaddexp_infinities_and_gradient_at_ties():
    ninf, inf = float("-inf"), float("inf")
    out = rb.logaddexp(rb.tensor([ninf, inf, 0.0, ninf]), rb.tensor([ninf, inf, 0.0, 1.0]))
    np.testing.assert_allclose(_np(out), [ninf, inf, math.log(2.0), 1.0])
    a = rb.tensor([0.5], requires_grad=True)
    b = rb.tensor([0.5], requires_grad=True)
    rb.logaddexp(a, b).sum().backward()
    np.testing.assert_allclose(_np(a.grad), [0.5])
    np.testing.assert_allclose(_np(b.grad), [0.5])


def test_norm_gradient_at_zero_is_zero_and_svd_orders_work():
    x = rb.zeros(3, requires_grad=True)
    rb.norm(x).backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    # the singular-value orders: ||[[1, 1], [1, 1]]|| has singular values 2 and 0
    assert rb.norm(rb.ones(2, 2), p="nuc").item() == pytest.approx(2.0)
    assert rb.linalg.matrix_norm(rb.ones(2, 2), ord=2).item() == pytest.approx(2.0)
    assert rb.linalg.matrix_norm(rb.ones(2, 2), ord=-2).item() == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(RuntimeError, match="floating point"):
        rb.linalg.vector_norm(rb.tensor([1, 2]))


def test_signbit_copysign_negative_zero_and_sinc_at_zero():
    x = rb.tensor([-0.0, 0.0, -2.0, 3.0])
    assert rb.signbit(x).tolist() == [True, False, True, False]
    assert rb.copysign(rb.tensor([1.0, 1.0]), rb.tensor([-0.0, 0.0])).tolist() == [-1.0, 1.0]
    assert rb.copysign(rb.tensor([2, -3]), -1).dtype == rb.float32
    z = rb.tensor([0.0, 0.5], dtype=rb.float64, requires_grad=True)
    s = rb.sinc(z)
    s.sum().backward()
    assert s[0].item() == 1.0 and z.grad[0].item() == 0.0
    assert rb.sinc(rb.tensor([0, 1])).dtype == rb.float32


def test_nansum_nanmean_ignore_nans_and_their_gradient():
    x = rb.tensor([[1.0, float("nan"), 3.0], [float("nan"), float("nan"), 2.0]], requires_grad=True)
    rb.nanmean(x, 1).sum().backward()
    np.testing.assert_allclose(_np(rb.nansum(x)), 6.0)
    np.testing.assert_allclose(_np(x.grad), [[0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])
    assert rb.nansum(rb.tensor([1, 2, 3])).item() == 6
    with pytest.raises(RuntimeError, match="floating point"):
        rb.nanmean(rb.tensor([1, 2]))


def test_gcd_lcm_integers_only():
    assert rb.gcd(rb.tensor([0, 0, -12]), rb.tensor([0, 7, 18])).tolist() == [0, 7, 6]
    assert rb.lcm(rb.tensor([0, 4, -6]), rb.tensor([3, 6, 4])).tolist() == [0, 12, 12]
    with pytest.raises(RuntimeError):
        rb.gcd(rb.tensor([1.0]), rb.tensor([2.0]))


def test_empty_and_non_contiguous_inputs():
    e = rb.zeros(0, 3)
    assert tuple(rb.cdist(e, rb.ones(4, 3)).shape) == (0, 4)
    assert rb.norm(e).item() == 0.0
    assert tuple(rb.diff(e, dim=0).shape) == (0, 3)
    assert tuple(rb.kron(e, rb.ones(2, 2)).shape) == (0, 6)
    a = np.arange(24.0).reshape(4, 6)
    t = rb.tensor(a).t()  # non-contiguous
    np.testing.assert_allclose(_np(rb.diff(t, dim=0)), np.diff(a.T, axis=0))
    np.testing.assert_allclose(_np(rb.linalg.matrix_norm(t, 1)), np.linalg.norm(a.T, 1))
    np.testing.assert_allclose(_np(F.pad(t[None], (1, 2), "reflect"))[0], np.pad(a.T, ((0, 0), (1, 2)), "reflect"))
    np.testing.assert_allclose(_np(rb.tensordot(t, t, dims=([1], [1]))), a.T @ a)


def test_fold_of_unfold_counts_overlaps():
    x = rb.ones(1, 2, 4, 5)
    cols = F.unfold(x, 3, padding=1)
    back = F.fold(cols, (4, 5), 3, padding=1)
    ones_cols = F.unfold(rb.ones(1, 1, 4, 5), 3, padding=1)
    np.testing.assert_allclose(_np(back)[0, 0], _np(F.fold(ones_cols, (4, 5), 3, padding=1))[0, 0])
    assert _np(back)[0, 0, 1, 1] == 9.0 and _np(back)[0, 0, 0, 0] == 4.0


# ---- errors: PyTorch's exception types ----

_BAD = [
    ("cdist_int", lambda L: L.cdist(L.ones(2, 3, dtype=L.int64), L.ones(2, 3, dtype=L.int64)), RuntimeError),
    ("cdist_cols", lambda L: L.cdist(L.ones(2, 3), L.ones(2, 4)), RuntimeError),
    ("cdist_1d", lambda L: L.cdist(L.ones(3), L.ones(2, 3)), RuntimeError),
    ("cdist_neg_p", lambda L: L.cdist(L.ones(2, 3), L.ones(2, 3), p=-1.0), RuntimeError),
    ("cdist_mode", lambda L: L.cdist(L.ones(2, 3), L.ones(2, 3), compute_mode="fast"), ValueError),
    ("addmm_1d", lambda L: L.addmm(L.ones(2), L.ones(2), L.ones(2, 2)), RuntimeError),
    ("addmm_shape", lambda L: L.addmm(L.ones(3, 3), L.ones(2, 2), L.ones(2, 2)), RuntimeError),
    ("addmm_inner", lambda L: L.addmm(L.ones(2, 2), L.ones(2, 3), L.ones(2, 2)), RuntimeError),
    ("baddbmm_2d", lambda L: L.baddbmm(L.ones(2, 2, 2), L.ones(2, 2), L.ones(2, 2, 2)), RuntimeError),
    ("addmv_2d_input", lambda L: L.addmv(L.ones(1, 3), L.ones(3, 2), L.ones(2)), RuntimeError),
    ("addmv_input_size", lambda L: L.addmv(L.ones(2), L.ones(3, 2), L.ones(2)), RuntimeError),
    ("addmv_empty_input", lambda L: L.addmv(L.ones(0), L.ones(3, 0), L.ones(0)), RuntimeError),
    ("addcdiv_int", lambda L: L.addcdiv(L.ones(2), L.ones(2, dtype=L.int64), L.ones(2, dtype=L.int64)), RuntimeError),
    ("matrix_norm_1d", lambda L: L.linalg.matrix_norm(L.ones(3)), RuntimeError),
    ("linalg_norm_3d_ord", lambda L: L.linalg.norm(L.ones(2, 2, 2), ord=1), RuntimeError),
    ("cross_size", lambda L: L.linalg.cross(L.ones(2, 4), L.ones(2, 4)), RuntimeError),
    ("diff_0d", lambda L: L.diff(L.tensor(1.0)), RuntimeError),
    ("meshgrid_2d", lambda L: L.meshgrid(L.ones(2, 2), L.ones(2), indexing="ij"), RuntimeError),
    ("block_diag_3d", lambda L: L.block_diag(L.ones(2, 2, 2)), RuntimeError),
    ("tensordot_mismatch", lambda L: L.tensordot(L.ones(2, 3), L.ones(4, 5), dims=1), RuntimeError),
    ("rot90_same_dims", lambda L: L.rot90(L.ones(2, 2), 1, [0, 0]), RuntimeError),
    ("vander_2d", lambda L: L.vander(L.ones(2, 2)), RuntimeError),
    ("heaviside_dtypes", lambda L: L.heaviside(L.ones(2), L.ones(2, dtype=L.float64)), RuntimeError),
    ("renorm_p0", lambda L: L.renorm(L.ones(2, 2), 0, 0, 1.0), RuntimeError),
    ("renorm_1d", lambda L: L.renorm(L.ones(2), 2, 0, 1.0), RuntimeError),
    ("aminmax_empty_dim", lambda L: L.aminmax(L.ones(2, 0), dim=1), IndexError),
    ("pad_reflect_too_big", lambda L: L.nn.functional.pad(L.ones(1, 2, 3), (3, 3), "reflect"), RuntimeError),
    ("pad_circular_wrap", lambda L: L.nn.functional.pad(L.ones(1, 2, 3), (4, 0), "circular"), RuntimeError),
    ("pad_mode_ndim", lambda L: L.nn.functional.pad(L.ones(3), (1, 1), "reflect"), NotImplementedError),
    ("pad_odd", lambda L: L.nn.functional.pad(L.ones(1, 3), (1,), "replicate"), RuntimeError),
    ("pad_mode_value", lambda L: L.nn.functional.pad(L.ones(1, 3), (1, 1), "reflect", 2.0), RuntimeError),
    ("unfold_5d", lambda L: L.nn.functional.unfold(L.ones(1, 1, 1, 3, 3), 2), RuntimeError),
    ("unfold_too_big", lambda L: L.nn.functional.unfold(L.ones(1, 1, 2, 2), 3), RuntimeError),
    ("fold_blocks", lambda L: L.nn.functional.fold(L.ones(2, 12, 5), (3, 3), 2), RuntimeError),
    ("fold_divisible", lambda L: L.nn.functional.fold(L.ones(1, 5, 4), (3, 3), 2), RuntimeError),
    ("channel_shuffle_groups", lambda L: L.nn.functional.channel_shuffle(L.ones(1, 5, 2), 2), RuntimeError),
    ("circular_pad_dim", lambda L: L.nn.CircularPad2d(1)(L.ones(2)), ValueError),
]


@pytest.mark.parametrize("call,exc", [b[1:] for b in _BAD], ids=[b[0] for b in _BAD])
def test_bad_input_raises(call, exc):
    with pytest.raises(exc):
        call(rb)


@requires_torch
@pytest.mark.parametrize("call,exc", [b[1:] for b in _BAD], ids=[b[0] for b in _BAD])
def test_bad_input_raises_as_pytorch(call, exc):
    with pytest.raises(exc):
        call(torch)


# ---- modules: attributes and reprs as PyTorch's ----

_MODULES = [
    lambda L: L.nn.ReflectionPad1d(2), lambda L: L.nn.ReflectionPad2d((1, 0, 2, 1)), lambda L: L.nn.ReflectionPad3d(1),
    lambda L: L.nn.ReplicationPad1d((0, 3)), lambda L: L.nn.ReplicationPad2d(2), lambda L: L.nn.ReplicationPad3d(1),
    lambda L: L.nn.CircularPad1d(1), lambda L: L.nn.CircularPad2d((1, 1, 0, 2)), lambda L: L.nn.CircularPad3d(1),
    lambda L: L.nn.Fold((4, 5), 2, padding=1), lambda L: L.nn.Unfold((2, 3), dilation=2, stride=(1, 2)),
    lambda L: L.nn.ChannelShuffle(2), lambda L: L.nn.LPPool1d(2, 3), lambda L: L.nn.LPPool2d(1.5, (2, 2), stride=1),
]


@requires_torch
@pytest.mark.parametrize("make", _MODULES)
def test_module_repr_matches_pytorch(make):
    assert repr(make(rb)) == repr(make(torch))


@requires_torch
@pytest.mark.parametrize("make,shape", [
    (_MODULES[1], (2, 3, 4, 5)), (_MODULES[2], (1, 2, 3, 3, 3)), (_MODULES[4], (3, 4, 5)), (_MODULES[7], (2, 3, 4)),
    (_MODULES[8], (1, 1, 2, 3, 4)), (_MODULES[12], (2, 3, 7)), (_MODULES[13], (1, 2, 5, 6)),
])
def test_module_forward_matches_pytorch(make, shape):
    a = np.random.default_rng(0).uniform(0.1, 2, size=shape).astype(np.float32)
    np.testing.assert_allclose(_np(make(rb)(rb.tensor(a))), make(torch)(torch.tensor(a)).numpy(), rtol=1e-5,
                               atol=1e-5)


@requires_torch
def test_norm_and_cdist_variants_match_pytorch():
    a = np.random.default_rng(1).standard_normal((3, 4, 5)).astype(np.float32)
    b = np.random.default_rng(2).standard_normal((3, 40, 5)).astype(np.float32)
    ta, tb, ra, rb_ = torch.tensor(a), torch.tensor(b), rb.tensor(a), rb.tensor(b)
    pairs = [
        (lambda L, x, y: L.norm(x, p="fro", dim=(1, 2)),),
        (lambda L, x, y: L.norm(x, 0.5, keepdim=True),),
        (lambda L, x, y: L.linalg.norm(x, dim=2, ord=-math.inf),),
        (lambda L, x, y: L.linalg.matrix_norm(x, ord=-1, keepdim=True),),
        (lambda L, x, y: L.cdist(x, y),),
        (lambda L, x, y: L.cdist(x, y, compute_mode="donot_use_mm_for_euclid_dist"),),
        (lambda L, x, y: L.cdist(x, y, p=0.0),),
    ]
    for (f,) in pairs:
        np.testing.assert_allclose(_np(f(rb, ra, rb_)), f(torch, ta, tb).numpy(), rtol=1e-4, atol=1e-4)


CDIST_INF_CASES = [
    # (x1, x2, incoming gradient) -> (distance, x1's gradient, x2's gradient), ATen's results
    ([[2.0, 0, 1], [-2, -1, 0], [2, 2, -2]], [[0.0, 0, -2]], [[1.0], [-0.5], [1]],
     [[3.0], [2], [2]], [[0.0, 0, 1], [0.5, 0, -0.5], [1, 1, 0]], [[-1.5, -1, -0.5]]),
    # nan coordinates are skipped by the distance; nan or infinite diffs make their coordinates' gradient nan
    ([[-1.0, 2, 0.5]], [[-math.inf, 0.5, -1], [math.nan, 0.5, math.nan]], [[2.0, 2]],
     [[math.inf, 1.5]], [[math.nan, 2, math.nan]], [[math.nan, 0, 0], [math.nan, -2, math.nan]]),
]


@pytest.mark.parametrize("a,b,g,dist,ga,gb", CDIST_INF_CASES)
def test_cdist_inf_gives_each_tied_coordinate_the_whole_gradient(a, b, g, dist, ga, gb):
    """ATen's p = inf backward: sign(diff) * (|diff| == dist) per coordinate, so several coordinates tying for the
    max each get the whole gradient (amax would share it out); its forward skips nan coordinates."""
    results = []
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x, y = L.tensor(a, dtype=L.float64, requires_grad=True), L.tensor(b, dtype=L.float64, requires_grad=True)
        d = L.cdist(x, y, p=math.inf)
        d.backward(L.tensor(g, dtype=L.float64))
        results.append([d.detach().numpy(), x.grad.numpy(), y.grad.numpy()])
    for got in results:
        for u, v in zip(got, (dist, ga, gb)):
            np.testing.assert_array_equal(u, np.array(v))
    x = rb.tensor(np.random.default_rng(3).standard_normal((2, 3, 4)), requires_grad=True)
    y = rb.tensor(np.random.default_rng(4).standard_normal((1, 5, 4)), requires_grad=True)
    assert rb.autograd.gradcheck(lambda u, v: rb.cdist(u, v, p=math.inf), (x, y))
    # vectors of no coordinates are at distance 0, with zero gradients
    x, y = rb.ones(3, 0, requires_grad=True), rb.ones(2, 0, requires_grad=True)
    d = rb.cdist(x, y, p=math.inf)
    assert d.tolist() == [[0.0, 0.0]] * 3
    d.sum().backward()
    assert tuple(x.grad.shape) == (3, 0) and tuple(y.grad.shape) == (2, 0)


@pytest.mark.parametrize("p,a,b,dist,ga,gb", [
    # p = 0 counts differing coordinates (nan where a diff is nan) and has zero gradients, as ATen's zdist
    (0.0, [[1.0, 2], [0, 0], [math.nan, 0]], [[1.0, 0], [0, 0]], [[1.0, 2], [1, 0], [math.nan, math.nan]],
     [[0.0, 0], [0, 0], [0, 0]], [[0.0, 0], [0, 0]]),
    # p = 1: g * sign(diff), nan where diff is (ATen's vectorised sign), where abs's gradient would give 0
    (1.0, [[1.0, math.nan, 0], [0, 0, 0]], [[1.0, 0, 0]], [[math.nan], [1]],
     [[0.0, math.nan, 0], [-1, 0, 0]], [[1.0, math.nan, 0]]),
])
def test_cdist_p0_and_p1_follow_atens_kernels(p, a, b, dist, ga, gb):
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x, y = L.tensor(a, dtype=L.float64, requires_grad=True), L.tensor(b, dtype=L.float64, requires_grad=True)
        d = L.cdist(x, y, p=p)
        assert d.grad_fn is not None  # p = 0 too: backward runs and gives zeros
        d.sum().backward()
        for u, v in ((d, dist), (x.grad, ga), (y.grad, gb)):
            np.testing.assert_array_equal(u.detach().numpy(), np.array(v))


def test_cdist_matmul_path_gradients_spread_nonfinite_values_as_aten():
    """The matrix-product path (p = 2 with use_mm_for_euclid_dist, or more than 25 rows) has ATen's
    EuclideanDistBackward0: ratio = g / dist, dx1 = x1 * ratio.sum(-1) - ratio @ x2, so an infinite coordinate of x2
    makes every gradient of x1 nan (0 * inf in the product), where autograd through the composite gave finite ones."""
    x = rb.tensor([[0.0, 0], [3, 0]], dtype=rb.float64, requires_grad=True)
    y = rb.tensor([[3.0, 4], [math.inf, 1]], dtype=rb.float64, requires_grad=True)
    d = rb.cdist(x, y, compute_mode="use_mm_for_euclid_dist")
    d.sum().backward()
    np.testing.assert_array_equal(d.detach().numpy(), [[5.0, math.nan], [4.0, math.nan]])
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 2), math.nan))
    np.testing.assert_allclose(y.grad.numpy(), [[0.6, 1.8], [math.nan, math.nan]])
    u, v = rb.randn(30, 3, dtype=rb.float64, requires_grad=True), rb.randn(4, 3, dtype=rb.float64, requires_grad=True)
    assert rb.autograd.gradgradcheck(rb.cdist, (u, v))  # the backward is built from ops


@requires_torch
@pytest.mark.parametrize("mode,rows", [("use_mm_for_euclid_dist", 4), ("use_mm_for_euclid_dist_if_necessary", 30)])
def test_cdist_matmul_path_nonfinite_gradients_match_pytorch(mode, rows):
    rng = np.random.default_rng(5)
    for trial in range(40):
        a, b = rng.standard_normal((2, 1, rows, 3)), rng.standard_normal((3, 5, 3))
        for arr in (a, b):  # one special value in each, broadcast batches included
            arr.flat[rng.integers(arr.size)] = (math.nan, math.inf, -math.inf, 1e200, 0.0)[trial % 5]
        dtype = np.float64 if trial % 2 else np.float32
        a, b = (np.clip(t, -1e30, 1e30) if dtype == np.float32 else t for t in (a, b))  # huge, finite in float32
        w = rng.standard_normal((2, 3, rows, 5)).astype(dtype)  # the incoming gradient
        got = []
        for L in (rb, torch):
            x = L.tensor(a.astype(dtype), requires_grad=True)
            y = L.tensor(b.astype(dtype), requires_grad=trial % 3 != 0)
            d = L.cdist(x, y, compute_mode=mode)
            grads = L.autograd.grad((d * L.tensor(w)).sum(), [x, y] if y.requires_grad else [x])
            got.append([d.detach().numpy()] + [g.numpy() for g in grads])
        for u, v in zip(*got):
            np.testing.assert_allclose(u, v, rtol=1e-4, atol=1e-5, equal_nan=True)


def test_vector_norm_p0_backward_runs_and_gives_no_gradient():
    """The 0 "norm" counts nonzeros: PyTorch records LinalgVectorNormBackward0, whose backward returns no gradient,
    so backward() runs and leaves x.grad None, and autograd.grad calls x unused; ours raised 'does not require
    grad'."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x = L.tensor([1.0, 0.0, 2.0], requires_grad=True)
        n = L.linalg.vector_norm(x, 0)
        assert n.item() == 2.0 and n.requires_grad
        n.backward()
        assert x.grad is None
        (L.linalg.vector_norm(x, 0) + x.sum()).backward()
        assert x.grad.tolist() == [1.0, 1.0, 1.0]
        with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
            L.autograd.grad(L.linalg.vector_norm(x, 0), x)


def test_clamp_tensor_bounds_gradient_below_equal_bounds_goes_nowhere():
    """PyTorch's clamp_backward_min_max: min's gradient needs x < min < max, max's x > max or max < min, x's
    min <= x <= max; so below a min equal to the max no input gets it (ours gave it to min)."""
    cases = [  # x, min, max -> value, and the gradients of x, min, max for an upstream 1.5
        (-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), (-1.0, 0.0, 1.0, 0.0, 0.0, 1.5, 0.0),
        (-1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.5), (2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5), (0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 0.0)]
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        for x, lo, hi, *want in cases:
            t = [L.tensor([v], dtype=L.float64, requires_grad=True) for v in (x, lo, hi)]
            out = L.clamp(*t)
            out.backward(L.tensor([1.5], dtype=L.float64))
            assert [out.item()] + [v.grad.item() for v in t] == want, (L.__name__, x, lo, hi)


def test_xlogy_gradients_at_x_zero_are_torchs():
    """PyTorch's xlogy derivatives: d/dx = xlogy(g, y), 0 only where x == 0 and y <= 0 (so g * log(y) at x == 0,
    y > 0, where the value's mask gave 0); d/dy = g * x / y (nan at x == y == 0)."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x = L.tensor([0.0, -0.0, 0.0, 0.0, 2.0], dtype=L.float64, requires_grad=True)
        y = L.tensor([math.e, 2.0, 0.0, -1.0, math.e], dtype=L.float64, requires_grad=True)
        out = L.xlogy(x, y)
        out.backward(L.full((5,), 1.5, dtype=L.float64))
        np.testing.assert_allclose(out.detach().numpy(), [0.0, 0.0, 0.0, 0.0, 2.0])
        np.testing.assert_allclose(x.grad.numpy(), [1.5, 1.5 * math.log(2.0), 0.0, 0.0, 1.5])
        np.testing.assert_allclose(y.grad.numpy(), [0.0, 0.0, math.nan, 0.0, 3.0 / math.e])


def test_clamp_min_max_promote_as_pytorch():
    x = rb.tensor([-2, 0, 3])
    assert rb.clamp_min(x, 0.5).dtype == rb.float32 and rb.clamp_min(x, 0.5).tolist() == [0.5, 0.5, 3.0]
    assert x.clamp_max(1).dtype == rb.int64 and x.clamp_max(1).tolist() == [-2, 0, 1]
    assert rb.clamp_min(rb.tensor([1.0, -1.0]), rb.tensor([0.0, 0.0])).tolist() == [1.0, 0.0]


@requires_torch
@pytest.mark.parametrize("size,k,d,p,s", [((5, 7), 2, (1, 2), (0, 1), (2, 2)), ((6, 6), 3, 1, 1, 3),
                                          ((7, 5), (2, 3), 2, 0, (3, 1))])
def test_fold_unfold_geometries_match_pytorch(size, k, d, p, s):
    gen = np.random.default_rng(0)
    x = gen.standard_normal((2, 3, *size)).astype(np.float32)
    ours = F.unfold(rb.tensor(x), k, d, p, s)
    np.testing.assert_allclose(_np(ours), torch.nn.functional.unfold(torch.tensor(x), k, d, p, s).numpy())
    cols = gen.standard_normal(tuple(ours.shape)).astype(np.float32)
    np.testing.assert_allclose(_np(F.fold(rb.tensor(cols), size, k, d, p, s)),
                               torch.nn.functional.fold(torch.tensor(cols), size, k, d, p, s).numpy(), atol=1e-6)


def test_unfold_integer_raises_and_empty_batch():
    x = rb.arange(2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    with pytest.raises(NotImplementedError, match="im2col_out_cpu"):  # as PyTorch: no integer kernel
        F.unfold(x, 2, stride=2)
    cols = F.unfold(x.double(), 2, stride=2)
    assert cols.dtype == rb.float64 and tuple(cols.shape) == (2, 12, 4)
    assert cols[0, :4, 0].tolist() == [0, 1, 4, 5]
    assert tuple(F.unfold(rb.zeros(0, 3, 4, 4), 2).shape) == (0, 12, 9)
