"""Tensor indexing and index assignment against numpy and PyTorch: values, shapes, views sharing
memory, gradients, in-place semantics; the joining/splitting ops' views; and bad input."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, assert_low_precision_parity, requires_torch, torch

A = np.arange(60, dtype=np.float32).reshape(3, 4, 5)


def _rb_key(key, lib):
    """The same key for rosenblatt or torch: numpy arrays inside become that library's tensors."""

    def conv(k):
        if isinstance(k, np.ndarray):
            return lib.tensor(k.reshape(1))[0] if k.ndim == 0 else lib.tensor(k)
        return k

    return tuple(conv(k) for k in key) if isinstance(key, tuple) else conv(key)


# (key, same_as_numpy): PyTorch applies an int as a view before advanced indexing, so keys that mix
# ints with separated index arrays differ from numpy; those are checked against PyTorch only.
KEYS = [
    (0, True),
    (-1, True),
    ((1, 2), True),
    ((1, 2, 3), True),
    ((slice(None), 1), True),
    ((slice(1, None), slice(None, None, 2)), True),
    ((slice(-2, None), slice(None), slice(-10, 10, 3)), True),
    ((Ellipsis, 1), True),
    ((0, Ellipsis), True),
    ((None, 0), True),
    ((slice(None), None, 1, None), True),
    (Ellipsis, True),
    (slice(None), True),
    ([0, 2, 0], True),
    ((np.array([2, 0]), np.array([1, 3])), True),
    ((np.array([[0], [2]]), slice(None), np.array([1, 4])), True),
    ((slice(None), np.array([[0, 1], [3, 3]])), True),
    ((slice(None), np.array([0, -1]), np.array([4, 2])), True),
    ((np.array([1, 0]), None, np.array([2, 3])), False),
    ((0, slice(None), [1, 2]), False),
    ((slice(None), 0, [1, 2]), True),
    ((A > 30,), True),
    ((A[:, :, 0] > 20,), True),
    ((slice(None), np.array([True, False, True, True])), True),
    ((Ellipsis, np.array([True, False, False, True, True])), True),
    ((np.array(1),), True),
    ((True,), False),
    ((False,), False),
    ((0, True), False),
]
KEY_IDS = [f"key{i}" for i in range(len(KEYS))]


NUMPY_KEYS = [(k, i) for i, (k, same) in zip(KEY_IDS, KEYS) if same]


@pytest.mark.parametrize("key", [k for k, _ in NUMPY_KEYS], ids=[i for _, i in NUMPY_KEYS])
def test_getitem_matches_numpy(key):
    got = rb.tensor(A)[_rb_key(key, rb)]
    want = A[key]
    assert tuple(got.shape) == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


@requires_torch
@pytest.mark.parametrize("key,numpy_too", KEYS, ids=KEY_IDS)
def test_getitem_matches_torch_values_and_grad(key, numpy_too):
    import torch

    x = rb.tensor(A.astype(np.float64), requires_grad=True)
    t = torch.tensor(A.astype(np.float64), requires_grad=True)
    got, want = x[_rb_key(key, rb)], t[_rb_key(key, torch)]
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
    w = np.random.default_rng(0).standard_normal(tuple(want.shape))
    (got * rb.tensor(w)).sum().backward()
    (want * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy())


def test_basic_indexing_returns_views_sharing_memory():
    x = rb.tensor(A)
    v = x[1, :, ::2]
    assert tuple(v.shape) == (4, 3)
    assert v.stride() == (5, 2)
    v[0, 0] = -1.0
    assert x[1, 0, 0].item() == -1.0
    x[1, 3, 4] = -7.0
    assert v[3, 2].item() == -7.0
    # numpy sees the same memory through the view
    assert np.shares_memory(v.numpy(), x.numpy())
    assert x[None].numpy().base is not None and np.shares_memory(x[None].numpy(), x.numpy())
    assert x[...].data_ptr() == x.data_ptr()


def test_advanced_indexing_copies():
    x = rb.tensor(A)
    y = x[[0, 1]]
    y[0, 0, 0] = 100.0
    assert x[0, 0, 0].item() == 0.0
    assert not np.shares_memory(y.numpy(), x.numpy())


def test_getitem_gradient_accumulates_repeated_indices():
    x = rb.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])
    y = rb.tensor(np.ones((3, 4)), requires_grad=True)
    (y[1:, ::3] * 2.0).sum().backward()
    want = np.zeros((3, 4))
    want[1:, ::3] = 2.0
    np.testing.assert_array_equal(y.grad.numpy(), want)


def test_mask_selects_in_row_major_order():
    x = rb.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    sel = x[x > 0]
    assert sel.tolist() == [1.0, 4.0]
    sel.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [0.0, 1.0]]


# ---- setitem ------------------------------------------------------------------------------------

SET_CASES = [
    ((0,), lambda: 5.0),
    ((slice(None), 1), lambda: np.arange(5, dtype=np.float32)),
    ((1, slice(1, 3)), lambda: np.ones((1, 2, 5), dtype=np.float32)),  # leading 1s are dropped
    ((Ellipsis, 2), lambda: np.full((3, 1), 9.0, dtype=np.float32)),
    (([0, 2],), lambda: -1.0),
    ((np.array([0, 2]), np.array([1, 3])), lambda: np.arange(5, dtype=np.float32)),
    ((slice(None), np.array([0, 3]), np.array([4, 4])), lambda: np.float32(3.5)),
    ((A > 40,), lambda: 0.0),
    ((slice(None), A[0] > 10), lambda: np.arange(3, dtype=np.float32)[:, None] * np.ones((1, 9), dtype=np.float32)),
    ((None, 0, slice(None, None, 2)), lambda: np.arange(2, dtype=np.float32)[:, None]),
]


@pytest.mark.parametrize("key,value", SET_CASES, ids=[f"set{i}" for i in range(len(SET_CASES))])
def test_setitem_matches_numpy_and_torch(key, value):
    v = value()
    x = rb.tensor(A)
    before = x._version
    xv = rb.tensor(v) if isinstance(v, np.ndarray) else float(v)
    x[_rb_key(key, rb)] = xv
    assert x._version > before
    if isinstance(v, np.ndarray) and v.ndim == 3:  # numpy needs the leading 1 dropped by hand
        v = v[0]
    want = A.copy()
    want[key] = v
    np.testing.assert_array_equal(x.numpy(), want)
    try:
        import torch
    except ImportError:
        return
    t = torch.tensor(A)
    t[_rb_key(key, torch)] = torch.tensor(value()) if isinstance(value(), np.ndarray) else float(value())
    np.testing.assert_array_equal(x.numpy(), t.numpy())


def test_setitem_converts_dtype_and_broadcasts_scalars():
    x = rb.zeros(2, 3, dtype=rb.int64)
    x[0] = 2.7
    x[1, 1:] = rb.tensor([5.0, 6.0])
    assert x.tolist() == [[2, 2, 2], [0, 5, 6]]
    m = rb.tensor([True, False, True])
    b = rb.zeros(3, dtype=rb.bool)
    b[m] = True
    assert b.tolist() == [True, False, True]


def test_setitem_through_a_view_writes_the_base():
    x = rb.zeros(3, 4)
    row = x[1]
    row[[0, 3]] = 1.0
    assert x.tolist()[1] == [1.0, 0.0, 0.0, 1.0]


@requires_torch
@pytest.mark.parametrize("key", [(0, slice(1, None)), ([0, 2],), (slice(None), [1, 1, 3])],
                         ids=["basic", "rows", "dup"])
def test_setitem_autograd_matches_torch(key):
    import torch

    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 4))
    shape = tuple(torch.zeros(3, 4)[key].shape)
    v = rng.standard_normal(shape[-1:])
    w = rng.standard_normal((3, 4))
    results = []
    for L in (rb, torch):
        x = L.tensor(a, requires_grad=True)
        val = L.tensor(v, requires_grad=True)
        y = x * 2.0
        y[key] = val
        (y * L.tensor(w)).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy(), val.grad.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_setitem_value_gets_history_and_saved_tensor_check():
    v = rb.tensor([1.0, 2.0], requires_grad=True)
    x = rb.zeros(3, 2)
    x[1] = v * 3.0
    assert x.requires_grad and x.grad_fn is not None
    x.sum().backward()
    assert v.grad.tolist() == [3.0, 3.0]
    # a tensor saved for backward and then written by setitem makes backward raise
    a = rb.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 1.0
    c = b * b
    b[0] = 5.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()


def test_setitem_on_leaf_requiring_grad():
    x = rb.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x[0] = 1.0
    assert x.tolist() == [0.0, 0.0, 0.0]
    with rb.no_grad():
        x[0] = 1.0
    assert x.tolist() == [1.0, 0.0, 0.0]


def test_failed_setitem_changes_nothing():
    x = rb.tensor(A)
    before = x._version
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[[0, 5]] = 1.0
    with pytest.raises(RuntimeError, match=r"shape mismatch: value tensor of shape \[2\] cannot be broadcast to "
                                           r"indexing result of shape \[3, 5\]"):
        x[:, 0] = rb.tensor([1.0, 2.0])
    assert x._version == before
    np.testing.assert_array_equal(x.numpy(), A)


# ---- errors -------------------------------------------------------------------------------------

def test_index_errors():
    x = rb.tensor(A)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="index -6 is out of bounds for dimension 1 with size 4"):
        x[0, -6]
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        x[rb.tensor([0, 3])]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 3"):
        x[0, 0, 0, 0]
    with pytest.raises(IndexError, match="tensors used as indices must be long, int, byte or bool tensors"):
        x[rb.tensor([0.0, 1.0])]
    with pytest.raises(IndexError, match="only integers, slices"):
        x[1.5]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        x[::-1]
    with pytest.raises(IndexError, match=r"The shape of the mask \[4\] at index 0 does not match the shape of the "
                                         r"indexed tensor \[3, 4, 5\] at index 0"):
        x[rb.tensor([True, False, True, True])]
    with pytest.raises(IndexError, match=r"shape mismatch: indexing tensors could not be broadcast together with "
                                         r"shapes \[2\], \[3\]"):
        x[rb.tensor([0, 1]), rb.tensor([0, 1, 2])]
    with pytest.raises(IndexError, match="single ellipsis"):
        x[..., 0, ...]


def test_cat_stack_split_errors():
    a, b = rb.zeros(2, 3), rb.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"Sizes of tensors must match except in dimension 0\. Expected size 3 but "
                                           r"got size 4 for tensor number 1 in the list "
                                           r"\(shapes \[2, 3\] and \[3, 4\]\)"):
        rb.cat([a, b])
    with pytest.raises(RuntimeError, match=r"Tensors must have same number of dimensions: got 2 and 3"):
        rb.cat([a, rb.zeros(2, 3, 1)])
    with pytest.raises(RuntimeError, match="expected a non-empty list of Tensors"):
        rb.cat([])
    with pytest.raises(IndexError, match="Dimension out of range"):
        rb.cat([a, a], 2)
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 "
                                           r"and \[3, 4\] at entry 1"):
        rb.stack([a, b])
    with pytest.raises(RuntimeError, match=r"split_with_sizes expects split_sizes to sum exactly to 3"):
        rb.split(b, [1, 1])
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0"):
        rb.chunk(a, 0)


def test_gather_select_narrow_errors():
    x = rb.zeros(3, 4)
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 1 with size 4"):
        rb.gather(x, 1, rb.tensor([[5]]))
    with pytest.raises(RuntimeError, match="Expected dtype int64 for index"):
        rb.gather(x, 1, rb.tensor([[0.0]]))
    with pytest.raises(RuntimeError, match=r"Size does not match at dimension 0 expected index \[4, 1\] to be no "
                                           r"larger than self \[3, 4\]"):
        rb.gather(x, 1, rb.zeros(4, 1, dtype=rb.int64))
    with pytest.raises(IndexError, match="index out of range in self"):
        rb.index_select(x, 0, rb.tensor([3]))
    with pytest.raises(IndexError,
                       match=r"select\(\): index 7 out of range for tensor of size \[3, 4\] at dimension 1"):
        rb.select(x, 1, 7)
    with pytest.raises(RuntimeError, match=r"start \(2\) \+ length \(3\) exceeds dimension size \(4\)"):
        rb.narrow(x, 1, 2, 3)
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        x.masked_fill(rb.tensor([1, 0, 1, 0]), 1.0)
    with pytest.raises(RuntimeError, match=r"flatten\(\) has invalid args"):
        rb.flatten(x, 1, 0)
    with pytest.raises(RuntimeError,
                       match=r"unflatten: Provided sizes \[3, 2\] don't multiply up to the size of dim 1"):
        rb.unflatten(x, 1, (3, 2))


def test_reduction_and_elementwise_errors():
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified for input.numel"):
        rb.max(rb.zeros(0))
    with pytest.raises(IndexError, match="Expected reduction dim 1 to have non-zero size"):
        rb.zeros(2, 0).max(1)
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        rb.tensor([1, 2]).var()
    with pytest.raises(TypeError, match=r"~ \(operator.invert\) is only implemented on integer and Boolean"):
        ~rb.zeros(2)
    with pytest.raises(NotImplementedError, match="\"bitwise_and_cpu\" not implemented for 'Float'"):
        rb.zeros(2) & rb.zeros(2)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        rb.tensor([1, 2]) // rb.tensor([1, 0])
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        rb.tensor([1, 2]) % 0


# ---- joining, splitting and reductions: views and return types ----------------------------------

def test_split_chunk_unbind_narrow_are_views():
    x = rb.tensor(np.arange(12.0).reshape(3, 4))
    parts = rb.split(x, [1, 3], 1)
    assert isinstance(parts, tuple) and [tuple(p.shape) for p in parts] == [(3, 1), (3, 3)]
    parts[1][0, 0] = -1.0
    assert x[0, 1].item() == -1.0
    chunks = x.chunk(2)
    assert [tuple(c.shape) for c in chunks] == [(2, 4), (1, 4)]
    assert np.shares_memory(chunks[1].numpy(), x.numpy())
    rows = x.unbind()
    assert len(rows) == 3 and rows[2].tolist() == [8.0, 9.0, 10.0, 11.0]
    n = x.narrow(0, 1, 2)
    n.zero_()
    assert x[1:].sum().item() == 0.0


def test_split_gradients_flow_to_the_input():
    x = rb.tensor(np.arange(6.0), requires_grad=True)
    a, b, c = x.split(2)
    (a.sum() + 2 * c.sum()).backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0, 0.0, 2.0, 2.0]


def test_cat_promotes_and_gradients_split_back():
    a = rb.tensor([[1.0, 2.0]], requires_grad=True)
    b = rb.tensor([[3, 4]])
    c = rb.cat([a, b])
    assert c.dtype == rb.float32 and c.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    (c * rb.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert a.grad.tolist() == [[1.0, 2.0]]
    assert rb.cat([rb.zeros(0), rb.ones(2, 2)]).shape == (2, 2)  # PyTorch's legacy empty-tensor rule


def test_max_min_return_values_and_indices():
    x = rb.tensor([[1.0, 5.0, 5.0], [7.0, -1.0, 2.0]])
    r = rb.max(x, 1)
    assert r.values.tolist() == [5.0, 7.0] and r.indices.tolist() == [1, 0]
    values, indices = x.min(0, keepdim=True)
    assert values.tolist() == [[1.0, -1.0, 2.0]] and indices.tolist() == [[0, 1, 1]]
    assert rb.max(x).item() == 7.0 and x.min().item() == -1.0
    assert rb.argmax(x).item() == 3 and tuple(rb.argmax(x, keepdim=True).shape) == (1, 1)
    nan = rb.tensor([1.0, float("nan"), 3.0])
    assert np.isnan(nan.max().item()) and rb.max(nan, 0).indices.item() == 1


def test_amax_splits_gradient_between_ties():
    x = rb.tensor([[3.0, 1.0, 3.0, 3.0]], requires_grad=True)
    x.amax(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[1 / 3, 0.0, 1 / 3, 1 / 3]])
    y = rb.tensor([[3.0, 1.0, 3.0]], requires_grad=True)
    rb.max(y, 1).values.sum().backward()  # along a dim: the returned index takes it all
    assert y.grad.tolist() == [[1.0, 0.0, 0.0]]


def test_std_of_constant_has_zero_gradient():
    x = rb.tensor([2.0, 2.0, 2.0], requires_grad=True)
    s = x.std()
    assert s.item() == 0.0
    s.backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_logsumexp_is_stable():
    x = rb.tensor([[1000.0, 1000.0], [-float("inf"), -float("inf")]])
    out = rb.logsumexp(x, 1)
    np.testing.assert_allclose(out.numpy()[0], 1000.0 + np.log(2.0))
    assert out.numpy()[1] == -np.inf


def test_inplace_operators_keep_identity():
    x = rb.tensor([7, -7, 9])
    y = x
    x %= 4
    x //= 2
    assert x is y and x.tolist() == [1, 0, 0]
    m = rb.tensor([True, False, True])
    m &= rb.tensor([True, True, False])
    assert m.tolist() == [True, False, False]
    f = rb.tensor([1.5, -1.5])
    f.floor_()
    assert f.tolist() == [1.0, -2.0]
    g = rb.tensor([1.0, 2.0, 3.0])
    g.masked_fill_(rb.tensor([False, True, False]), -1.0)
    assert g.tolist() == [1.0, -1.0, 3.0]


def test_scatter_one_hot_and_errors():
    labels = rb.tensor([2, 0, 1])
    onehot = rb.zeros(3, 4).scatter_(1, labels.unsqueeze(1), 1.0)
    assert onehot.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    x = rb.zeros(2, 2)
    with pytest.raises(RuntimeError, match="index 2 is out of bounds for dimension 1 with size 2"):
        x.scatter_(1, rb.tensor([[2], [0]]), 1.0)
    assert x.tolist() == [[0.0, 0.0], [0.0, 0.0]] and x._version == 0


def test_scatter_on_0d_tensors():
    # A 0-d self is a 1-element 1-D one (it used to index an empty stride list and crash).
    x = rb.zeros((), requires_grad=True)
    s = rb.tensor(3.0, requires_grad=True)
    y = rb.scatter_add(x * 1, 0, rb.tensor(0), s * 2)
    assert y.shape == () and y.item() == 6.0
    y.backward()
    assert x.grad.item() == 1.0 and s.grad.item() == 2.0
    assert rb.scatter(rb.zeros(()), 0, rb.tensor(0), rb.tensor(5.0)).tolist() == 5.0
    assert rb.zeros(()).scatter_(-1, rb.tensor(0), rb.tensor(2.0)).tolist() == 2.0
    with pytest.raises(RuntimeError, match="index 1 is out of bounds"):
        rb.scatter(rb.zeros(()), 0, rb.tensor(1), rb.tensor(5.0))


def test_setitem_from_an_overlapping_view():
    x = rb.tensor([0.0, 1.0, 2.0, 3.0, 4.0])
    x[1:] = x[:-1]
    assert x.tolist() == [0.0, 0.0, 1.0, 2.0, 3.0]
    y = rb.tensor([0, 1, 2, 3])
    y[[1, 2, 3]] = y[:3]
    assert y.tolist() == [0, 0, 1, 2]


def test_empty_indices_and_selections():
    x = rb.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    empty = rb.zeros(2, 0, dtype=rb.int64)
    assert tuple(rb.gather(x, 1, empty).shape) == (2, 0)
    assert rb.scatter_add(x, 1, empty, rb.zeros(2, 0)).tolist() == x.tolist()
    assert tuple(x[[]].shape) == (0, 3)
    assert tuple(x[x > 100].shape) == (0,)
    assert tuple(x[:, 5:].shape) == (2, 0)
    assert tuple(rb.index_select(x, 0, rb.zeros(0, dtype=rb.int64)).shape) == (0, 3)
    (x[x > 100].sum() + x[:, 5:].sum()).backward()
    assert x.grad.tolist() == [[0.0] * 3] * 2


def _random_key(rng, shape):
    """A random index expression over `shape`: ints, slices, None, Ellipsis, index arrays, masks."""
    key, dim, used_ellipsis = [], 0, False
    while dim < len(shape) and rng.random() < 0.8:
        n = shape[dim]
        kind = rng.integers(0, 7)
        if kind == 0:
            key.append(int(rng.integers(-n, n)))
        elif kind == 1:
            a, b = (int(v) for v in rng.integers(-n - 2, n + 2, size=2))
            key.append(slice(a if rng.random() < 0.7 else None, b if rng.random() < 0.7 else None,
                             int(rng.integers(1, 4))))
        elif kind == 2:
            key.append(None)
            continue
        elif kind == 3 and not used_ellipsis:
            key.append(Ellipsis)
            used_ellipsis = True
            break
        elif kind == 4:
            key.append(rng.integers(-n, n, size=tuple(int(s) for s in rng.integers(1, 3, size=rng.integers(1, 3)))))
        elif kind == 5:
            key.append(rng.random(n) < 0.5)
        else:
            key.append(slice(None))
        dim += 1
    return tuple(key)


@requires_torch
def test_random_index_expressions_match_torch():
    import torch

    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(300):
        shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 5)))
        a = rng.standard_normal(shape)
        key = _random_key(rng, shape)
        try:
            want = torch.tensor(a)[_rb_key(key, torch)]
        except (IndexError, RuntimeError) as e:  # index arrays that do not broadcast together
            with pytest.raises(type(e)):
                rb.tensor(a)[_rb_key(key, rb)]
            continue
        got = rb.tensor(a)[_rb_key(key, rb)]
        assert tuple(got.shape) == tuple(want.shape), (shape, key)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        # the same key assigned: a broadcast value of the result's trailing shape
        value = rng.standard_normal(tuple(want.shape)[-1:])
        x, t = rb.tensor(a), torch.tensor(a)
        x[_rb_key(key, rb)] = rb.tensor(value)
        t[_rb_key(key, torch)] = torch.tensor(value)
        np.testing.assert_array_equal(x.numpy(), t.numpy())
        checked += 1
    assert checked > 150


@pytest.mark.parametrize("shape,idx_shapes,out", [((3, 0, 5), [(0, 3), (3,)], (0, 3, 5)),
                                                  ((3, 0, 5), [(2, 0), (2, 1)], (2, 0, 5)),
                                                  ((4, 0), [(0,), (1,)], (0,))])
def test_indices_into_an_empty_dim_with_an_empty_broadcast_read_nothing(shape, idx_shapes, out):
    """ATen's AdvancedIndex refuses indices into a dim of size 0 only when their broadcast shape is not empty: an
    index of its own non-empty (3,) broadcast with an empty (0, 3) one reads nothing and raises nothing."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x = L.zeros(*shape)
        idx = tuple(L.full(s, 2, dtype=L.int64) for s in idx_shapes)
        assert tuple(x[idx].shape) == out
        x.index_put_(idx, L.ones(()))
        assert not x.any()
        with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
            x[tuple(L.zeros(1, dtype=L.int64) for _ in idx_shapes)]


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8"])
def test_a_0d_integer_tensor_subscript_is_an_integer(dtype):
    """torch's Python indexing reads a 0-d integer tensor as an integer (a select), not as an advanced index: with a
    slice between it and an index tensor the sliced dim stays first, and it is bounds-checked at once. int32 index
    tensors index as int64 ones (subscripts, index_put_, gradients)."""
    libs = (rb, torch) if HAVE_TORCH else (rb,)
    for L in libs:
        x = L.arange(24.0).reshape(2, 3, 4)
        i = L.tensor(1, dtype=getattr(L, dtype))
        got = x[i, :, L.tensor([0, 2, 3, 1, 0])]
        assert tuple(got.shape) == (3, 5)
        np.testing.assert_array_equal(got.numpy(), np.arange(24.0).reshape(2, 3, 4)[1][:, [0, 2, 3, 1, 0]])
        y = x.clone()
        y[i, :, L.tensor([0, 3])] = -1.0
        assert y.sum().item() == x.sum().item() - (12 + 15 + 16 + 19 + 20 + 23) - 6
        with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 2"):
            x[L.tensor(5, dtype=getattr(L, dtype)), L.zeros(0, dtype=L.int64)]
    for L in libs:
        v = L.arange(5.0, requires_grad=True)
        v[L.tensor([4, 4, 1], dtype=L.int32)].sum().backward()
        assert v.grad.tolist() == [0.0, 1.0, 0.0, 0.0, 2.0]
        z = L.zeros(3)
        z.index_put_((L.tensor([0, 2, 2], dtype=L.int32),), L.tensor(1.0), accumulate=True)
        assert z.tolist() == [1.0, 0.0, 2.0]


# ---- uint8 masks and sequences read as tuples ---------------------------------------------------

_BYTE_WARNING = "indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead."
_SEQ_WARNING = "Using a non-tuple sequence for multidimensional indexing is deprecated"


def _byte_mask_cases(L):
    x = L.arange(12.0).reshape(3, 4)
    m = L.tensor([1, 0, 2], dtype=L.uint8)  # any nonzero byte selects
    cols = L.tensor([1, 0, 1, 1], dtype=L.uint8)

    def put(key, value):
        y = x.clone()
        y[key] = value
        return y

    def put_grad():
        y = x.clone().requires_grad_()
        z = y * 1
        z[m] = L.tensor([1.0, 2, 3, 4])
        (z * L.arange(12.0).reshape(3, 4)).sum().backward()
        return y.grad

    return {
        "rows": lambda: x[m],
        "cols": lambda: x[:, cols],
        "2d": lambda: x[L.tensor([[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=L.uint8)],
        "with_int": lambda: x[m, 1],
        "with_positions": lambda: x[m, L.tensor([1, 2])],
        "numpy_uint8": lambda: x[np.array([1, 0, 1], dtype=np.uint8)],
        "in_a_list": lambda: x[[m]],
        "0d_true": lambda: x[L.tensor(1, dtype=L.uint8)],  # a bool scalar there: no warning
        "0d_false_put": lambda: put(L.tensor(0, dtype=L.uint8), 3.0),
        "0d_true_put": lambda: put(L.tensor(7, dtype=L.uint8), 3.0),
        "put_rows": lambda: put(m, L.tensor([1.0, 2, 3, 4])),
        "put_block": lambda: put((m, slice(1, 3)), L.tensor([[1.0, 2], [3, 4]])),
        "put_with_positions": lambda: put((m, L.tensor([0, 3])), 3.0),
        "put_grad": put_grad,
        "index_put": lambda: L.index_put(x, (m, L.tensor([0, 1])), L.tensor(5.0)),
        "index_put_accumulate": lambda: x.index_put((m,), L.tensor(5.0), accumulate=True),
        "index_put_vector": lambda: x.index_put((m,), L.tensor([1.0, 2, 3, 4])),
        "two_masks": lambda: x[m, cols],  # broadcast (2,) with (3,): IndexError
        "wrong_length": lambda: x[L.tensor([1, 0], dtype=L.uint8)],
        # a put of one element through a single mask goes to masked_fill, which refuses bytes
        "put_scalar": lambda: put(m, 7.0),
        "put_scalar_cols": lambda: put((slice(None), cols), L.tensor(7.0)),
        "put_scalar_wrong_length": lambda: put(L.tensor([1, 0], dtype=L.uint8), 7.0),
        "index_put_scalar": lambda: L.index_put(x, (m,), L.tensor(5.0)),
        "index_put_none": lambda: x.index_put((None, cols), L.tensor(1.0)),
    }


@requires_torch
@pytest.mark.parametrize("case", list(_byte_mask_cases(rb)))
def test_uint8_index_tensors_are_masks_as_in_pytorch(case):
    """torch reads a uint8 index tensor as a bool mask (deprecated, with a UserWarning each time its indexing
    expands one), a 0-d one as x[True]/x[False] without the warning; a put of one element through a single uint8
    mask goes to masked_fill_ and raises there. Values, exception types and messages, and warnings as PyTorch 2.13
    (each library's own warnings compared by text)."""
    got = []
    for L in (rb, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                r = _byte_mask_cases(L)[case]()
                out = ("ok", r.tolist())
            except Exception as e:  # noqa: BLE001 (comparing which exception)
                out = ("raises", type(e), str(e).split(" (Triggered internally")[0])
        texts = [str(x.message).split(" (Triggered internally")[0] for x in w if x.category is UserWarning]
        got.append((out, [t for t in texts if t == _BYTE_WARNING or t.startswith(_SEQ_WARNING)]))
    (ours, our_warnings), (theirs, their_warnings) = got
    assert ours == theirs
    if case != "put_grad":  # PyTorch's backward warns once more, from its own index_put; ours runs no Python
        assert our_warnings == their_warnings


def test_uint8_masks_select_nonzero_bytes():
    x = rb.arange(12.0).reshape(3, 4)
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        assert x[rb.tensor([1, 0, 2], dtype=rb.uint8)].tolist() == [[0.0, 1, 2, 3], [8, 9, 10, 11]]
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks, but got mask with dtype unsigned "
                                           "char"):
        x[rb.tensor([1, 0, 2], dtype=rb.uint8)] = 7.0
    assert x.tolist() == np.arange(12.0).reshape(3, 4).tolist()  # the failed put wrote nothing
    with pytest.raises(TypeError, match="expected Tensor as element 0 in argument 1, but got NoneType"):
        rb.index_put(x, (None, rb.tensor([0])), rb.tensor(1.0))


@requires_torch
@pytest.mark.parametrize("key", [[[0, 1], [1, 2]], [0, slice(1, 3)], [None, 0], [Ellipsis, 0], [1, [0, 1]],
                                 [[True, False, True]], [0, 1], [[0, 1]]])
def test_a_list_holding_sequences_or_slices_is_a_tuple_of_indices(key):
    """torch's treatSequenceAsTuple: a short list holding a sequence, tensor, slice, None or Ellipsis indexes as the
    tuple of its elements (with its deprecation warning); a list of numbers stays one index."""
    got = []
    for L in (rb, torch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = L.arange(12.0).reshape(3, 4)[key]
        got.append((r.tolist(), [str(x.message).startswith(_SEQ_WARNING) for x in w]))
    assert got[0] == got[1]


# --- the accumulate forms in float16/bfloat16 and the small integer dtypes (issue 14) -----------------------

@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("op", ["index_add", "index_add_alpha", "scatter_add", "index_put", "index_put_"])
def test_accumulate_forms_in_float16_and_bfloat16_match_torch(op, dtype):
    """scatter_add and index_add (alpha 1) sum in float32 and round once, as ATen's; index_put(accumulate=True)
    and index_add with another alpha add in the dtype, rounding each step: values and gradients as PyTorch's."""
    rng = np.random.default_rng(8)
    x = (rng.normal(size=(5, 4)) * 3).astype(np.float32)
    src = (rng.normal(size=(9, 4)) * 3).astype(np.float32)
    idx = rng.integers(0, 5, size=9)  # repeated rows: the accumulation order matters

    def fn(L, x, src, idx):
        if op == "index_add":
            return x.index_add(0, idx, src)
        if op == "index_add_alpha":
            return x.index_add(0, idx, src, alpha=2)
        if op == "scatter_add":
            return x.scatter_add(0, idx[:, None].expand(9, 4), src)
        if op == "index_put":
            return x.index_put((idx,), src, accumulate=True)
        return (x * 1).index_put_((idx,), src, accumulate=True)

    assert_low_precision_parity(fn, [x, src, idx], dtype, grad=(0, 1), ulps=1)


@requires_torch
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
def test_accumulate_forms_in_integer_dtypes_match_torch(dtype):
    """Integer accumulation wraps in the dtype (uint8 250 + 9 is 3) and index_add truncates alpha (2.7 adds twice
    the source), as ATen's; every form gives PyTorch's exact values."""
    rng = np.random.default_rng(9)
    lo, hi = (0, 256) if dtype == "uint8" else (-100, 100)
    x, src = rng.integers(lo, hi, size=(5, 4)), rng.integers(lo, hi, size=(9, 4))
    idx = rng.integers(0, 5, size=9)
    got = []
    for L in (rb, torch):
        dt = getattr(L, dtype)
        X, S, ix, ix4 = L.tensor(x).to(dt), L.tensor(src).to(dt), L.tensor(idx), L.tensor(idx[:4] % 4)
        outs = [X.index_add(0, ix, S), X.index_add(1, ix4, S[:5], alpha=2.7),
                X.scatter_add(0, ix[:, None].expand(9, 4), S), X.index_put((ix,), S, accumulate=True),
                X.clone().index_put_((ix,), S, accumulate=True), X.clone().index_add_(0, ix, S, alpha=-1)]
        got.append([(str(o.dtype).split(".")[-1], o.numpy()) for o in outs])
    for (da, a), (db, b) in zip(*got):
        assert da == db == dtype
        np.testing.assert_array_equal(a, b)
