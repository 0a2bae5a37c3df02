"""A call that raises changes nothing: in-place ops, Module.load_state_dict, Optimizer.load_state_dict and
rb.load leave tensors, parameters, gradients, optimizer state and files exactly as they were."""
import copy

import numpy as np
import pytest

import rosenblatt as rb


def _snapshot(model, opt=None):
    snap = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    snap.update({f"grad:{n}": p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None})
    if opt is not None:
        sd = opt.state_dict()
        snap["opt"] = copy.deepcopy({k: ({kk: (vv.numpy().copy() if isinstance(vv, rb.Tensor) else vv)
                                            for kk, vv in v.items()}) for k, v in sd["state"].items()})
        snap["groups"] = copy.deepcopy(sd["param_groups"])
    return snap


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        if isinstance(a[k], np.ndarray):
            np.testing.assert_array_equal(a[k], b[k], err_msg=k)
        elif k == "opt":
            assert a[k].keys() == b[k].keys()
            for i in a[k]:
                for kk in a[k][i]:
                    np.testing.assert_array_equal(np.asarray(a[k][i][kk]), np.asarray(b[k][i][kk]), err_msg=kk)
        else:
            assert a[k] == b[k], k


def _trained():
    rb.manual_seed(0)
    model = rb.nn.Sequential(rb.nn.Linear(4, 8), rb.nn.BatchNorm1d(8), rb.nn.ReLU(), rb.nn.Linear(8, 2))
    opt = rb.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(3):
        opt.zero_grad()
        model(rb.randn(16, 4)).pow(2).mean().backward()
        opt.step()
    return model, opt


@pytest.mark.parametrize("call", [lambda x: x.add_(rb.ones(5)),
                                  lambda x: x.index_add_(0, rb.tensor([0, 9]), rb.ones(2, 3)),
                                  lambda x: x.copy_(rb.ones(2, 2)),
                                  lambda x: x.scatter_(0, rb.tensor([[7, 0, 0]]), 1.0),
                                  lambda x: x.masked_fill_(rb.ones(4, dtype=rb.bool), 1.0),
                                  lambda x: x.mul_(rb.ones(2, 5))])
def test_a_raising_in_place_op_leaves_its_tensor(call):
    x = rb.arange(12.0).reshape(4, 3)
    before = x.numpy().copy()
    v = x._version
    with pytest.raises((RuntimeError, IndexError, ValueError)):
        call(x)
    np.testing.assert_array_equal(x.numpy(), before)
    assert x._version == v


def test_module_load_state_dict_with_one_bad_entry_changes_nothing():
    model, opt = _trained()
    before = _snapshot(model, opt)
    sd = model.state_dict()
    bad = {k: v + 1 for k, v in sd.items()}
    bad["3.weight"] = rb.zeros(3, 8)  # the last entry has the wrong shape: nothing may be copied before the check
    with pytest.raises(RuntimeError, match="size mismatch"):
        model.load_state_dict(bad)
    _assert_same(before, _snapshot(model, opt))
    missing = {k: v + 1 for k, v in sd.items() if k != "1.running_var"}
    with pytest.raises(RuntimeError, match="Missing key"):
        model.load_state_dict(missing)
    _assert_same(before, _snapshot(model, opt))


def test_optimizer_load_state_dict_that_does_not_fit_changes_nothing():
    model, opt = _trained()
    before = _snapshot(model, opt)
    other = rb.optim.Adam([rb.nn.Parameter(rb.zeros(3))], lr=0.5)
    with pytest.raises(ValueError):
        opt.load_state_dict(other.state_dict())
    _assert_same(before, _snapshot(model, opt))


def test_rb_load_of_a_corrupt_file_changes_neither_file_nor_model(tmp_path):
    model, opt = _trained()
    path = tmp_path / "ckpt.safetensors"
    rb.save(model.state_dict(), path)
    data = bytearray(path.read_bytes())
    data[8:12] = b"\xff\xff\xff\xff"  # inside the JSON header
    path.write_bytes(bytes(data))
    before = _snapshot(model, opt)
    with pytest.raises(ValueError):
        model.load_state_dict(rb.load(path))
    assert path.read_bytes() == bytes(data)
    _assert_same(before, _snapshot(model, opt))
    truncated = tmp_path / "short.safetensors"
    rb.save(model.state_dict(), truncated)
    full = truncated.read_bytes()
    truncated.write_bytes(full[:-5])
    with pytest.raises(ValueError):
        rb.load(truncated)
    assert truncated.read_bytes() == full[:-5]
