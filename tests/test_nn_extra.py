"""Unflatten, ParameterList, ParameterDict, Bilinear, CosineSimilarity, PairwiseDistance, F.normalize,
Dropout1d and 1-D pooling against PyTorch: values, gradients, state_dict keys, reprs and errors (type and
message). The per-op numerics (numpy reference, gradcheck, gradgradcheck) are in op_specs.py."""
import math
import re

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

rnn, rF = rb.nn, rb.nn.functional


def _pair(rng, *shape, dtype=np.float32):
    a = rng.standard_normal(shape).astype(dtype)
    return rb.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _close(r, t, atol=1e-5, rtol=1e-4):
    t = t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)
    np.testing.assert_allclose(r.detach().numpy(), t, atol=atol, rtol=rtol)


def _message(e):
    # torch prints sizes as torch.Size([...]), we as rosenblatt.Size([...]): compare without the prefix.
    return re.sub(r"\b(torch|rosenblatt)\.", "", str(e))


def same_error(fn):
    """fn(L) raises the same exception type for L = torch and L = rosenblatt, and our message starts with
    torch's (ours may go on to name the shapes, as the broadcasting error does)."""
    with pytest.raises(Exception) as want:
        fn(torch)
    with pytest.raises(Exception) as got:
        fn(rb)
    assert want.type is got.type or issubclass(got.type, want.type), (got.value, want.value)
    assert _message(got.value).startswith(_message(want.value)), (got.value, want.value)


# ---- Unflatten ------------------------------------------------------------------------------

@requires_torch
def test_unflatten_matches_torch(rng):
    x, xt = _pair(rng, 2, 12, 3)
    r, t = rnn.Unflatten(1, (3, -1))(x), torch.nn.Unflatten(1, (3, -1))(xt)
    assert tuple(r.shape) == tuple(t.shape) == (2, 3, 4, 3)
    _close(r, t)
    assert repr(rnn.Unflatten(-1, [2, 2])) == repr(torch.nn.Unflatten(-1, [2, 2]))


@requires_torch
@pytest.mark.parametrize("size", [5, (2, 2.0), "ab"])
def test_unflatten_bad_sizes_raise_as_torch(size):
    if isinstance(size, str):
        with pytest.raises(TypeError, match="unflattened_size must be a tuple of ints, but found type str"):
            rnn.Unflatten(1, size)
        return
    same_error(lambda L: L.nn.Unflatten(1, size))


# ---- ParameterList / ParameterDict ----------------------------------------------------------

class _Holder:
    """The same model in both libraries: a ParameterList and a ParameterDict as children."""

    @staticmethod
    def build(L, arrays):
        m = L.nn.Module()
        m.plist = L.nn.ParameterList([L.tensor(a) for a in arrays[:2]])
        m.plist.append(L.nn.Parameter(L.tensor(arrays[2])))
        m.pdict = L.nn.ParameterDict({"b": L.tensor(arrays[3]), "a": L.tensor(arrays[4])})
        return m


@requires_torch
def test_parameter_containers_state_dict_keys_and_values_match_torch(rng):
    arrays = [rng.standard_normal(s).astype(np.float32) for s in [(2, 3), (3,), (4,), (1, 2), (5,)]]
    r, t = _Holder.build(rb, arrays), _Holder.build(torch, arrays)
    assert list(r.state_dict()) == list(t.state_dict()) == ["plist.0", "plist.1", "plist.2", "pdict.a", "pdict.b"]
    assert [n for n, _ in r.named_parameters()] == [n for n, _ in t.named_parameters()]
    for p in r.parameters():
        assert isinstance(p, rnn.Parameter) and p.requires_grad
    # and weights move between the libraries
    sd = {k: rb.tensor(v.detach().numpy() * 2) for k, v in t.state_dict().items()}
    r.load_state_dict(sd)
    np.testing.assert_array_equal(r.pdict["a"].detach().numpy(), arrays[4] * 2)
    np.testing.assert_array_equal(r.plist[-1].detach().numpy(), arrays[2] * 2)


@requires_torch
def test_parameter_list_behaves_as_torch(rng):
    arrays = [rng.standard_normal(3).astype(np.float32) for _ in range(4)]
    r, t = rnn.ParameterList(), torch.nn.ParameterList()
    for L, pl in ((rb, r), (torch, t)):
        pl.extend([L.tensor(a) for a in arrays[:3]])
        pl += [L.tensor(arrays[3])]
        pl[1] = L.tensor(arrays[0])
    assert len(r) == len(t) == 4
    np.testing.assert_array_equal(r[1].detach().numpy(), arrays[0])
    sl = r[1:3]
    assert isinstance(sl, rnn.ParameterList) and len(sl) == 2 and sl[0] is r[1]
    assert [p.shape for p in r] == [tuple(p.shape) for p in t]
    assert repr(r).replace("rosenblatt", "torch") == repr(t)
    same_error(lambda L: L.nn.ParameterList([L.ones(2)])[5])
    same_error(lambda L: L.nn.ParameterList().extend(L.ones(2)))
    same_error(lambda L: L.nn.ParameterList([L.ones(2)])(1))


@requires_torch
def test_parameter_dict_behaves_as_torch(rng):
    a = rng.standard_normal(2).astype(np.float32)
    r = rnn.ParameterDict([("z", rb.tensor(a)), ("y", rb.tensor(a))])
    t = torch.nn.ParameterDict([("z", torch.tensor(a)), ("y", torch.tensor(a))])
    assert list(r) == list(t) == ["z", "y"]  # pairs keep their order; a plain dict is sorted
    r.update({"c": rb.tensor(a), "b": rb.tensor(a)})
    t.update({"c": torch.tensor(a), "b": torch.tensor(a)})
    assert list(r.keys()) == list(t.keys()) == ["z", "y", "b", "c"]
    assert "b" in r and r.get("q") is None
    k, v = r.popitem()
    assert k == "c" and isinstance(v, rnn.Parameter) and "c" not in r
    assert r.pop("z") is not None and list(r) == ["y", "b"]
    assert list(r.setdefault("n", rb.ones(1))) == [1.0] and isinstance(r["n"], rnn.Parameter)
    merged = r | rnn.ParameterDict({"m": rb.zeros(1)})
    assert list(merged) == ["y", "b", "n", "m"] and list(r) == ["y", "b", "n"]
    assert repr(rnn.ParameterDict({"w": rb.ones(2, 3)})).replace("rosenblatt", "torch") == \
        repr(torch.nn.ParameterDict({"w": torch.ones(2, 3)}))
    same_error(lambda L: L.nn.ParameterDict()[3])
    same_error(lambda L: L.nn.ParameterDict([("a", L.ones(1), 3)]))
    same_error(lambda L: L.nn.ParameterDict(5))
    same_error(lambda L: L.nn.ParameterDict()(1))


def test_parameter_list_gradients_flow():
    pl = rnn.ParameterList([rb.ones(3), rb.full((3,), 2.0)])
    (pl[0] * pl[1]).sum().backward()
    np.testing.assert_array_equal(pl[0].grad.numpy(), [2, 2, 2])
    np.testing.assert_array_equal(pl[1].grad.numpy(), [1, 1, 1])


# ---- Bilinear -------------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear_module_matches_torch(rng, bias):
    m, mt = rnn.Bilinear(4, 3, 5, bias=bias), torch.nn.Bilinear(4, 3, 5, bias=bias)
    assert list(m.state_dict()) == list(mt.state_dict()) == (["weight", "bias"] if bias else ["weight"])
    assert tuple(m.weight.shape) == (5, 4, 3)
    m.load_state_dict({k: rb.tensor(v.numpy()) for k, v in mt.state_dict().items()})
    x1, x1t = _pair(rng, 2, 6, 4)
    x2, x2t = _pair(rng, 2, 6, 3)
    y, yt = m(x1, x2), mt(x1t, x2t)
    _close(y, yt)
    g = rng.standard_normal(tuple(yt.shape)).astype(np.float32)
    (y * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    for r, t in [(x1, x1t), (x2, x2t), (m.weight, mt.weight)] + ([(m.bias, mt.bias)] if bias else []):
        _close(r.grad, t.grad, atol=1e-4)
    assert repr(m) == repr(mt)


def test_bilinear_init_is_torchs_uniform_bound():
    rb.manual_seed(0)
    m = rnn.Bilinear(16, 3, 200)
    bound = 1 / math.sqrt(16)  # in1_features, for weight and bias alike
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.9 * bound and w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    with pytest.raises(ValueError, match=r"in1_features must be > 0, but got \(in1_features=0\)"):
        rnn.Bilinear(0, 3, 2)


@requires_torch
@pytest.mark.parametrize("shapes", [
    ((3, 4), (2, 3, 5), (6, 4, 5), None),
    ((3, 4), (2, 5), (6, 4, 5), None),
    ((3, 3), (3, 5), (6, 4, 5), None),
    ((3, 4), (3, 4), (6, 4, 5), None),
    ((3, 4), (3, 5), (6, 4, 5), (5,)),
    ((3, 4), (3, 5), (6, 4), None),
])
def test_bilinear_errors_match_torch(shapes):
    a, b, w, bias = shapes
    same_error(lambda L: L.nn.functional.bilinear(L.ones(*a), L.ones(*b), L.ones(*w),
                                                  None if bias is None else L.ones(*bias)))


# ---- distances ------------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("dim", [1, -1, 0])
def test_cosine_similarity_module_matches_torch(rng, dim):
    a, at = _pair(rng, 4, 1, 6)
    b, bt = _pair(rng, 3, 6)
    y, yt = rnn.CosineSimilarity(dim=dim)(a, b), torch.nn.CosineSimilarity(dim=dim)(at, bt)
    _close(y, yt)
    y.sum().backward()
    yt.sum().backward()
    _close(a.grad, at.grad)
    _close(b.grad, bt.grad)


@requires_torch
def test_cosine_similarity_of_a_zero_vector_matches_torch():
    # The norm is clamped to eps in value only (torch clamps in place under no_grad).
    grads = []
    for L in (rb, torch):
        z = L.zeros(2, 3, requires_grad=True)
        w = L.tensor([[1.0, 2.0, 2.0], [0.0, 3.0, 4.0]], requires_grad=True)
        L.nn.functional.cosine_similarity(z, w).sum().backward()
        grads.append((z.grad, w.grad))
    (zr, wr), (zt, wt) = grads
    _close(zr, zt, rtol=1e-5)
    _close(wr, wt)


@requires_torch
@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 0.5, 3.0, math.inf, -math.inf, -1.0])
def test_pairwise_distance_module_matches_torch(rng, p):
    a, at = _pair(rng, 5, 4)
    b, bt = _pair(rng, 4)
    y, yt = rnn.PairwiseDistance(p=p, keepdim=True)(a, b), torch.nn.PairwiseDistance(p=p, keepdim=True)(at, bt)
    assert tuple(y.shape) == tuple(yt.shape) == (5, 1)
    _close(y, yt)
    if p != 0.0:
        y.sum().backward()
        yt.sum().backward()
        _close(a.grad, at.grad, atol=1e-4)


@requires_torch
def test_pairwise_distance_of_equal_points_has_zero_gradient_as_torch():
    for L in (rb, torch):
        x = L.ones(2, 3, requires_grad=True)
        L.nn.functional.pairwise_distance(x, L.ones(2, 3), eps=0.0).sum().backward()
        assert not np.abs(np.asarray(x.grad.tolist())).sum()


@requires_torch
def test_pairwise_distance_integer_and_0d_inputs_as_torch():
    r = rF.pairwise_distance(rb.ones(3, 4, dtype=rb.int64), rb.zeros(3, 4, dtype=rb.int64))
    t = torch.nn.functional.pairwise_distance(torch.ones(3, 4, dtype=torch.long), torch.zeros(3, 4, dtype=torch.long))
    assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
    _close(r, t)
    _close(rF.pairwise_distance(rb.tensor(1.0), rb.tensor(3.0)),
           torch.nn.functional.pairwise_distance(torch.tensor(1.0), torch.tensor(3.0)))


@requires_torch
def test_normalize_matches_torch_including_zero_rows():
    a = np.array([[0.0, 0.0, 0.0], [3.0, -4.0, 0.0]], np.float32)
    for p, dim in [(2.0, 1), (1.0, 0), (math.inf, -1)]:
        x, xt = rb.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        y, yt = rF.normalize(x, p=p, dim=dim), torch.nn.functional.normalize(xt, p=p, dim=dim)
        _close(y, yt)
        (y * rb.tensor(a + 1)).sum().backward()
        (yt * torch.tensor(a + 1)).sum().backward()
        _close(x.grad, xt.grad, rtol=1e-5)
    out = rb.empty(2, 3)
    assert rF.normalize(rb.tensor(a), out=out) is out


@requires_torch
@pytest.mark.parametrize("call", [
    lambda L: L.nn.functional.cosine_similarity(L.ones(3, 4, dtype=L.int64), L.ones(3, 4, dtype=L.int64)),
    lambda L: L.nn.functional.cosine_similarity(L.ones(3, 4), L.ones(3, 5)),
    lambda L: L.nn.functional.cosine_similarity(L.ones(3, 4), L.ones(3, 4), dim=2),
    lambda L: L.nn.functional.pairwise_distance(L.ones(3, 4), L.ones(3, 5)),
    lambda L: L.nn.functional.normalize(L.ones(3, 4, dtype=L.int64)),
    lambda L: L.nn.functional.normalize(L.ones(4)),
])
def test_distance_errors_match_torch(call):
    same_error(call)


# ---- 1-D pooling ----------------------------------------------------------------------------

POOLS = [
    ("MaxPool1d", (3,), dict(stride=2, padding=1)),
    ("MaxPool1d", (2,), dict(dilation=2, ceil_mode=True)),
    ("MaxPool1d", (3,), dict(return_indices=True)),
    ("AvgPool1d", (3,), dict(stride=2, padding=1, count_include_pad=False)),
    ("AvgPool1d", (4,), dict(ceil_mode=True)),
    ("AdaptiveAvgPool1d", (3,), {}),
    ("AdaptiveMaxPool1d", (5,), dict(return_indices=True)),
    ("AdaptiveMaxPool1d", (12,), {}),
]


@requires_torch
@pytest.mark.parametrize("name,args,kw", POOLS)
@pytest.mark.parametrize("shape", [(2, 3, 9), (3, 10)])
def test_pool1d_modules_match_torch(rng, name, args, kw, shape):
    a = rng.permutation(int(np.prod(shape))).reshape(shape).astype(np.float32)  # no ties
    x, xt = rb.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    m, mt = getattr(rnn, name)(*args, **kw), getattr(torch.nn, name)(*args, **kw)
    assert repr(m) == repr(mt)
    y, yt = m(x), mt(xt)
    if kw.get("return_indices"):
        np.testing.assert_array_equal(y[1].numpy(), yt[1].numpy())
        y, yt = y[0], yt[0]
    _close(y, yt)
    g = rng.standard_normal(tuple(yt.shape)).astype(np.float32)
    (y * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    _close(x.grad, xt.grad)


@requires_torch
@pytest.mark.parametrize("call", [
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 4, 5), 2),
    lambda L: L.nn.functional.max_pool1d(L.ones(3), 2),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 1), 2),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8), 0),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8), 2, 0),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8), 2, padding=2),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8), (2, 3)),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8), 2, dilation=0),
    lambda L: L.nn.functional.max_pool1d(L.ones(2, 3, 8, dtype=L.int64), 2),
    lambda L: L.nn.functional.avg_pool1d(L.ones(2, 3, 4, 5), 2),
    lambda L: L.nn.functional.avg_pool1d(L.ones(2, 3, 8), 2, padding=2),
    lambda L: L.nn.functional.avg_pool1d(L.ones(2, 3, 1), 2),
    lambda L: L.nn.functional.avg_pool1d(L.ones(2, 3, 8), (2, 3)),
    lambda L: L.nn.functional.adaptive_avg_pool1d(L.ones(2, 3, 4, 5), 2),
    lambda L: L.nn.functional.adaptive_avg_pool1d(L.ones(2, 3, 8), (2, 3)),
    lambda L: L.nn.functional.adaptive_avg_pool1d(L.ones(2, 3, 8), -1),
    lambda L: L.nn.functional.adaptive_avg_pool1d(L.ones(2, 3, 0), 2),
    lambda L: L.nn.functional.adaptive_max_pool1d(L.ones(2, 3, 4, 5), 2),
    lambda L: L.nn.functional.adaptive_max_pool1d(L.ones(2, 3, 8), (2, 3)),
    lambda L: L.nn.functional.adaptive_max_pool1d(L.ones(2, 3, 0), 2),
    lambda L: L.nn.functional.adaptive_avg_pool1d(L.ones(2, 3, 8, dtype=L.int64), 2),
])
def test_pool1d_errors_match_torch(call):
    same_error(call)


@pytest.mark.parametrize("shape", [(8, 16, 5), (16, 5)])
def test_dropout1d_zeroes_whole_channels_and_scales(shape):
    x = rb.ones(*shape)
    for y in (rnn.Dropout1d(0.5)(x), rF.dropout1d(x, 0.5), rF.dropout1d(x.clone(), 0.5, inplace=True)):
        a = y.numpy().reshape(-1, shape[-1])
        assert tuple(y.shape) == shape and set(np.unique(a)) <= {0.0, 2.0}
        assert (a.min(1) == a.max(1)).all() and 0 < (a[:, 0] == 0).sum() < a.shape[0]  # rows all-or-nothing
    z = rb.ones(*shape)
    assert rF.dropout1d(z, 0.5, inplace=True) is z
    m = rnn.Dropout1d(0.5).eval()
    assert m(x) is x and rF.dropout1d(x, 0.3, training=False) is x


@requires_torch
def test_dropout1d_errors_as_pytorch():
    for call in (lambda L: L.nn.functional.dropout1d(L.ones(2, 3, 4, 5)), lambda L: L.nn.Dropout1d(0.5)(L.ones(3)),
                 lambda L: L.nn.functional.dropout1d(L.ones(2, 3), 1.5)):
        with pytest.raises((RuntimeError, ValueError)) as want:
            call(torch)
        with pytest.raises(want.type) as got:
            call(rb)
        assert str(got.value) == str(want.value)
