"""The toolbox ops beyond tests/op_specs.py: views that share storage, isclose/allclose/equal,
is_tensor/is_floating_point/numel, einsum forms, and errors of PyTorch's exception types."""
import math

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

pytestmark = requires_torch


def both(fn):
    """fn(L) on rosenblatt and torch: the same result, or the same exception type."""
    try:
        want = fn(torch)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            fn(rb)
        return None
    got = fn(rb)
    if isinstance(want, torch.Tensor):
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        np.testing.assert_allclose(np.asarray(got.numpy(), dtype=float), want.double().numpy(), rtol=1e-6, atol=1e-6)
    else:
        assert got == want
    return got


def T(L, a):
    return L.tensor(np.asarray(a))


def test_views_share_storage():
    x = rb.arange(24.0).reshape(2, 3, 4)
    for v in (x.movedim(0, -1), rb.moveaxis(x, (0, 1), (1, 0)), x.swapaxes(0, 2), rb.swapdims(x, 1, 2),
              x.diagonal(0, 1, 2), rb.diagonal(x, -1, 2, 1)):
        v.mul_(1)  # in place through the view
    d = x.diagonal(dim1=1, dim2=2)
    d.fill_(-1.0)
    assert x[1, 2, 2].item() == -1.0 and x[0, 0, 0].item() == -1.0 and x[0, 0, 1].item() == 1.0
    assert rb.diag(rb.ones(3, 3)).numpy().flags.writeable
    m = rb.ones(3, 3)
    rb.diag(m).fill_(5.0)  # diag of a matrix is a copy, as PyTorch's
    assert m.sum().item() == 9.0


def test_diagonal_grad_of_non_contiguous_input():
    base = torch.randn(4, 3, dtype=torch.float64)
    a = rb.tensor(base.numpy(), requires_grad=True)
    b = base.clone().requires_grad_()
    (rb.diagonal(a.t(), 1) * 2).sum().backward()
    (torch.diagonal(b.t(), 1) * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy())


@pytest.mark.parametrize("kw", [{}, {"rtol": 0.0, "atol": 0.0}, {"rtol": 0.1}, {"atol": 0.5}, {"equal_nan": True}])
def test_isclose_allclose(kw):
    a = [1.0, math.nan, math.inf, -math.inf, 2.0, 1e-9, 3.0]
    b = [1.0 + 1e-7, math.nan, math.inf, math.inf, 2.3, 0.0, 3.4]
    both(lambda L: L.isclose(T(L, a), T(L, b), **kw))
    both(lambda L: T(L, a).isclose(T(L, b), **kw))
    both(lambda L: L.allclose(T(L, a), T(L, b), **kw))
    both(lambda L: L.allclose(T(L, [[1.0], [2.0]]), T(L, [1.0, 2.0]), **kw))
    both(lambda L: L.isclose(T(L, [1, 2, 5]), T(L, [1, 3, 5]), **kw))
    both(lambda L: L.isclose(T(L, [True, False]), T(L, [True, True]), **kw))


def test_equal_and_predicates():
    both(lambda L: L.equal(T(L, [1.0, 2.0]), T(L, [1.0, 2.0])))
    both(lambda L: L.equal(T(L, [1.0, 2.0]), T(L, [1.0, 2.5])))
    both(lambda L: L.equal(T(L, [1.0, 2.0]), T(L, [[1.0, 2.0]])))
    both(lambda L: L.equal(T(L, [1, 2]), T(L, [1.0, 2.0])))
    both(lambda L: T(L, [math.nan]).equal(T(L, [math.nan])))
    assert rb.is_tensor(rb.zeros(1)) and not rb.is_tensor(np.zeros(1)) and not rb.is_tensor(1.0)
    assert rb.is_floating_point(rb.zeros(1, dtype=rb.float64)) and not rb.is_floating_point(rb.zeros(1, dtype=rb.int64))
    assert rb.numel(rb.zeros(2, 3, 4)) == 24 and rb.numel(rb.tensor(3.0)) == 1


def test_einsum_forms():
    a, b = np.random.default_rng(0).standard_normal((2, 3, 4)), np.random.default_rng(1).standard_normal((4, 5))
    for eq, ops in [("bij,jk->bik", (a, b)), ("bij,jk", (a, b)), ("...j,jk->...k", (a, b)), ("b i j -> j", (a,)),
                    ("bij->", (a,)), ("...->...", (a,)), ("bjj->bj", (a[:, :, :3],)), ("ij,ij->ij", (b, b)),
                    ("Ab,bC->AC", (b.T, b)), ("i,i->", (b[0], b[0])), ("...,...->...", (a, a[0]))]:
        both(lambda L, eq=eq, ops=ops: L.einsum(eq, *[T(L, o) for o in ops]))
        both(lambda L, eq=eq, ops=ops: L.einsum(eq, [T(L, o) for o in ops]))


def test_einsum_gradients_to_second_order():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    grads = {}
    for L in (rb, torch):
        a, b = T(L, x).requires_grad_(), T(L, y).requires_grad_()
        out = (L.einsum("ij,jk->ik", a, b) ** 2).sum()
        (ga,) = L.autograd.grad(out, a, create_graph=True)
        (gb,) = L.autograd.grad(ga.sum(), b)
        grads[L] = (ga.detach().numpy(), gb.numpy())
    for g, w in zip(grads[rb], grads[torch]):
        np.testing.assert_allclose(g, w, rtol=1e-10)


def test_index_ops_in_place():
    for L in (rb, torch):
        x = L.zeros(3, 2)
        assert x.index_add_(0, L.tensor([0, 0, 2]), L.ones(3, 2), alpha=2) is x
        assert x.index_copy_(1, L.tensor([1]), L.full((3, 1), 7.0)) is x
        assert x.index_fill_(0, L.tensor([1]), -1) is x
        assert x.tolist() == [[4.0, 7.0], [-1.0, -1.0], [2.0, 7.0]]
    leaf = rb.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError):
        leaf.index_fill_(0, rb.tensor([0]), 1.0)


def test_take_along_dim_out_of_range_raises():
    # PyTorch's CPU kernel reads past the row here without a check; rosenblatt refuses.
    with pytest.raises(RuntimeError, match="out of bounds"):
        rb.take_along_dim(rb.zeros(3, 4), rb.tensor([[0, 9]]), 1)


def test_take_along_dim_matches_argsort():
    x = np.random.default_rng(3).standard_normal((3, 5))
    both(lambda L: L.take_along_dim(T(L, x), L.argsort(T(L, x), dim=1), dim=1))
    both(lambda L: L.take_along_dim(T(L, x), L.argmax(T(L, x))))


ERRORS = [
    lambda L: L.movedim(L.zeros(2, 3), (0, 1), (0,)),
    lambda L: L.movedim(L.zeros(2, 3), (0, 0), (0, 1)),
    lambda L: L.movedim(L.zeros(2, 3), (0, 1), (1, 1)),
    lambda L: L.movedim(L.zeros(2, 3), 2, 0),
    lambda L: L.movedim(L.zeros(2, 3), (0, 1), 0),
    lambda L: L.swapaxes(L.zeros(2, 3), 0, 2),
    lambda L: L.diagonal(L.zeros(2, 3), 0, 0, 0),
    lambda L: L.diagonal(L.zeros(3), 0),
    lambda L: L.diag_embed(L.zeros(2, 3), 0, 1, 1),
    lambda L: L.diag_embed(L.zeros(2, 3), 0, 0, 3),
    lambda L: L.diag(L.zeros(2, 2, 2)),
    lambda L: L.diag(L.tensor(1.0)),
    lambda L: L.trace(L.zeros(2, 2, 2)),
    lambda L: L.trace(L.zeros(2, 2, dtype=L.bool)),
    lambda L: L.outer(L.zeros(2, 2), L.zeros(2)),
    lambda L: L.ger(L.zeros(2), L.zeros(2, 2)),
    lambda L: L.take_along_dim(L.zeros(3, 4), L.zeros(3, 1)),
    lambda L: L.take_along_dim(L.zeros(3, 4), L.tensor([0, 1]), 1),
    lambda L: L.take_along_dim(L.zeros(3, 4), L.tensor([[0, 1]] * 2), 1),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([0, 5]), L.zeros(3, 2)),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([0, 1]).float(), L.zeros(3, 2)),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([[0], [1]]), L.zeros(3, 2)),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([0, 1]), L.zeros(2, 2)),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([0, 1]), L.zeros(3, 2, dtype=L.float64)),
    lambda L: L.zeros(3, 4).index_add(2, L.tensor([0, 1]), L.zeros(3, 2)),
    lambda L: L.zeros(3, 4).index_add(1, L.tensor([0, 1]), L.zeros(3, 2), 2.0),
    lambda L: L.zeros(3, 4).index_copy(1, L.tensor([0, 5]), L.zeros(3, 2)),
    lambda L: L.zeros(3, 4).index_copy(1, L.tensor([0, 1]), L.zeros(3, 3)),
    lambda L: L.zeros(3, 4).index_copy(1, L.tensor([0, 1]), L.zeros(3, 2, dtype=L.float64)),
    lambda L: L.zeros(3, 4).index_fill(1, L.tensor([0, 7]), 2.5),
    lambda L: L.zeros(3, 4).index_fill(1, L.tensor([0, 1]), L.tensor([1.0, 2.0])),
    lambda L: L.zeros(3, 4).index_fill(1, L.tensor([0, 1]).float(), 1),
    lambda L: L.isclose(L.zeros(2), L.zeros(2, dtype=L.float64)),
    lambda L: L.isclose(L.zeros(2), L.zeros(2), rtol=-1),
    lambda L: L.allclose(L.zeros(2), L.zeros(2), atol=-1),
    lambda L: L.allclose(L.zeros(3, 4), L.zeros(5)),
    lambda L: L.einsum("ij,jk->ik", L.zeros(2, 3)),
    lambda L: L.einsum("ij->ij", L.zeros(2, 3), L.zeros(3)),
    lambda L: L.einsum("ij->ij", L.zeros(2, 3, 4)),
    lambda L: L.einsum("ijk->ij", L.zeros(2, 3)),
    lambda L: L.einsum("ij,jk->ik", L.zeros(2, 3), L.zeros(4, 5)),
    lambda L: L.einsum("ii->i", L.zeros(2, 3)),
    lambda L: L.einsum("ij->k", L.zeros(2, 3)),
    lambda L: L.einsum("ij->ii", L.zeros(2, 3)),
    lambda L: L.einsum("i1->i", L.zeros(2, 3)),
    lambda L: L.einsum("i..j->i", L.zeros(2, 3)),
    lambda L: L.einsum("ij->ij"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_match_pytorch(i):
    with pytest.raises(Exception) as want:
        ERRORS[i](torch)
    with pytest.raises(want.type):
        ERRORS[i](rb)


@pytest.mark.parametrize("make, args", [
    (lambda L: L.arange(6.0), (0, 2, 1)), (lambda L: L.arange(6.0), (-1, 2, 3)), (lambda L: L.arange(6.0), (0, 0, 1)),
    (lambda L: L.arange(12.0).reshape(3, 4), (1, 3, 1)), (lambda L: L.arange(12.0).reshape(3, 4).t(), (0, 2, 1)),
    (lambda L: L.arange(24.0).reshape(2, 3, 4)[:, 1:], (0, 1, 1)), (lambda L: L.tensor(3.0), (0, 1, 1)),
])
def test_tensor_unfold_windows_strides_and_gradient_as_pytorch(make, args):
    a, b = make(rb), make(torch)
    ua, ub = a.unfold(*args), b.unfold(*args)
    assert tuple(ua.shape) == tuple(ub.shape) and tuple(ua.stride()) == tuple(ub.stride())
    assert ua.tolist() == ub.tolist()
    if ua.numel() and a.dim() and a.is_contiguous():
        ua[(0,) * ua.dim()] = 100.0  # a view: the write reaches the input
        assert a.reshape(-1)[0].item() == 100.0
    a, b = make(rb).requires_grad_(), make(torch).requires_grad_()
    ua, ub = a.unfold(*args), b.unfold(*args)
    w = np.arange(ub.numel(), dtype=np.float32).reshape(tuple(ub.shape))
    (ua * rb.tensor(w)).sum().backward()
    (ub * torch.tensor(w)).sum().backward()
    assert a.grad.tolist() == b.grad.tolist()


@pytest.mark.parametrize("args", [(0, 7, 1), (0, 2, 0), (0, 2, -1), (1, 2, 1)])
def test_tensor_unfold_errors_as_pytorch(args):
    with pytest.raises((RuntimeError, IndexError)) as want:
        torch.arange(6.0).unfold(*args)
    with pytest.raises(want.type) as got:
        rb.arange(6.0).unfold(*args)
    assert str(got.value) == str(want.value)
