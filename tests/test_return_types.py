"""rosenblatt.return_types: the named tuples of max/min/sort/topk/... and linalg carry torch.return_types'
names and fields, are tuples, and print as torch's with rosenblatt's module name."""
import pickle

import pytest

import rosenblatt as rb
from conftest import requires_torch as needs_torch
from conftest import torch

x = rb.tensor([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
spd = rb.tensor([[4.0, 1.0], [1.0, 3.0]])

# name -> a call returning it; the same call on torch when the module is swapped
CALLS = {
    "max": lambda m, a: m.max(a, 1),
    "min": lambda m, a: a.min(dim=0),
    "sort": lambda m, a: m.sort(a),
    "topk": lambda m, a: a.topk(2),
    "kthvalue": lambda m, a: m.kthvalue(a, 1),
    "median": lambda m, a: m.median(a, 1),
    "nanmedian": lambda m, a: m.nanmedian(a, 1),
    "mode": lambda m, a: m.mode(a, 1),
    "cummax": lambda m, a: m.cummax(a, 1),
    "cummin": lambda m, a: m.cummin(a, 1),
    "aminmax": lambda m, a: m.aminmax(a),
    "linalg_slogdet": lambda m, a: m.linalg.slogdet(a),
    "linalg_eigh": lambda m, a: m.linalg.eigh(a),
    "linalg_qr": lambda m, a: m.linalg.qr(a),
    "linalg_svd": lambda m, a: m.linalg.svd(a),
    "linalg_inv_ex": lambda m, a: m.linalg.inv_ex(a),
    "linalg_cholesky_ex": lambda m, a: m.linalg.cholesky_ex(a),
    "linalg_solve_ex": lambda m, a: m.linalg.solve_ex(a, a),
    "linalg_lstsq": lambda m, a: m.linalg.lstsq(m.eye(2), a),
    "slogdet": lambda m, a: m.slogdet(a),
    "svd": lambda m, a: m.svd(a),
    "qr": lambda m, a: m.qr(a),
}
SQUARE = {n for n in CALLS if n.startswith("linalg") or n in ("slogdet", "svd", "qr")}


def arg(m, name):
    return m.tensor(spd.tolist() if name in SQUARE else x.tolist())


@pytest.mark.parametrize("name", sorted(CALLS))
def test_type_name_fields_and_tuple_behaviour(name):
    r = CALLS[name](rb, arg(rb, name))
    t = getattr(rb.return_types, name)
    assert type(r) is t and type(r).__name__ == name and t.__module__ == "rosenblatt.return_types"
    assert isinstance(r, tuple) and len(r) == t.n_fields == len(t._fields)
    first, *rest = r
    assert first is r[0] and getattr(r, t._fields[0]) is r[0]
    assert rb.equal(r[-1], getattr(r, t._fields[-1])) if isinstance(r[-1], rb.Tensor) else True


@needs_torch
@pytest.mark.parametrize("name", sorted(CALLS))
def test_fields_and_repr_match_pytorch(name):
    r, w = CALLS[name](rb, arg(rb, name)), CALLS[name](torch, arg(torch, name))
    assert type(r).__name__ == type(w).__name__
    assert type(r).n_fields == type(w).n_fields
    assert repr(r) == repr(w).replace("torch.", "rosenblatt.")
    assert str(r) == repr(r)


def test_repr_layout():
    r = rb.max(rb.tensor([[1.0, 2.0]]), 1)
    assert repr(r) == "rosenblatt.return_types.max(\nvalues=tensor([2.]),\nindices=tensor([1]))"


@needs_torch
def test_every_torch_type_is_exposed_with_its_fields():
    import types

    for t in torch.return_types.all_return_types:
        if t.__name__.endswith("_out"):
            continue
        ours = getattr(rb.return_types, t.__name__)
        fields = [k for k, v in vars(t).items() if isinstance(v, types.MemberDescriptorType)]
        assert list(ours._fields) == fields, t.__name__


def test_construct_pickle_and_replace():
    t = rb.return_types.sort
    v, i = rb.tensor([1.0]), rb.tensor([0])
    a, b = t((v, i)), t(v, i)  # torch's one-sequence form, and the field form
    assert a.values is v and b.indices is i and a._fields == ("values", "indices")
    assert a._replace(values=i).values is i
    c = pickle.loads(pickle.dumps(t((1.5, 2))))  # pickled by name, rebuilt field by field
    assert type(c) is t and c == (1.5, 2)
    with pytest.raises(TypeError):
        t(v, i, v)
