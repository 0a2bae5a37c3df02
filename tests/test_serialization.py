"""rb.save / rb.load: safetensors state_dicts (interchangeable with PyTorch), nested objects in our
JSON-tree safetensors files, atomic writes, clear errors on bad files, and optimizer state that
round-trips so training resumes bit-exactly."""
import io
import os

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch
from rosenblatt import nn, optim


def _mlp(seed=0):
    rb.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def test_state_dict_round_trip_keeps_keys_order_and_values(tmp_path):
    model = _mlp()
    sd = model.state_dict()
    path = tmp_path / "model.safetensors"
    rb.save(sd, path)
    loaded = rb.load(path)
    assert list(loaded) == list(sd)
    for k in sd:
        assert loaded[k].dtype == sd[k].dtype and loaded[k].shape == sd[k].shape
        np.testing.assert_array_equal(loaded[k].numpy(), sd[k].detach().numpy())
    other = _mlp(seed=1)
    other.load_state_dict(loaded)
    x = rb.randn(5, 4)
    np.testing.assert_array_equal(other(x).detach().numpy(), model(x).detach().numpy())
    assert sorted(os.listdir(tmp_path)) == ["model.safetensors"]  # no temporary file left


def test_flat_file_is_plain_safetensors(tmp_path):
    from safetensors.numpy import load_file

    sd = {"a": rb.tensor([1.0, 2.0]), "b": rb.tensor([[1, 2]]), "m": rb.tensor([True, False])}
    rb.save(sd, tmp_path / "f.safetensors")
    arrays = load_file(str(tmp_path / "f.safetensors"))
    assert arrays["a"].dtype == np.float32 and arrays["a"].tolist() == [1.0, 2.0]
    assert arrays["b"].dtype == np.int64 and arrays["m"].dtype == np.bool_


@requires_torch
def test_torch_interop_both_ways(tmp_path):
    import torch
    from safetensors.torch import load_file, save_file

    model = _mlp()
    rb.save(model.state_dict(), tmp_path / "rb.safetensors")
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    tmodel.load_state_dict(load_file(str(tmp_path / "rb.safetensors")))
    x = np.random.default_rng(0).standard_normal((6, 4)).astype(np.float32)
    np.testing.assert_allclose(tmodel(torch.from_numpy(x)).detach().numpy(),
                               model(rb.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)

    torch.manual_seed(5)
    tmodel2 = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    save_file(tmodel2.state_dict(), str(tmp_path / "torch.safetensors"))
    sd = rb.load(tmp_path / "torch.safetensors")
    model.load_state_dict(sd)
    np.testing.assert_allclose(model(rb.from_numpy(x)).detach().numpy(),
                               tmodel2(torch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-6)
    # float16 / bfloat16 / int32 entries keep their dtypes (rosenblatt has them)
    save_file({"h": torch.tensor([1.5, -2.0], dtype=torch.float16),
               "bf": torch.tensor([0.5, 3.0], dtype=torch.bfloat16),
               "i": torch.tensor([7, -8], dtype=torch.int32)}, str(tmp_path / "mixed.safetensors"))
    m = rb.load(tmp_path / "mixed.safetensors")
    assert m["h"].dtype == rb.float16 and m["h"].tolist() == [1.5, -2.0]
    assert m["bf"].dtype == rb.bfloat16 and m["bf"].tolist() == [0.5, 3.0]
    assert m["i"].dtype == rb.int32 and m["i"].tolist() == [7, -8]


@requires_torch
def test_torch_pickle_checkpoint_is_read(tmp_path):
    # torch.save's own format loads (it was refused before rb.load read PyTorch checkpoints)
    import torch

    torch.save({"w": torch.arange(3.0)}, tmp_path / "pickle.pt")
    assert rb.load(tmp_path / "pickle.pt")["w"].tolist() == [0.0, 1.0, 2.0]


def test_nested_objects_round_trip(tmp_path):
    obj = {
        "epoch": 3, "lr": 0.01, "name": "run-1", "none": None, "flag": True, "nan": float("nan"),
        "model": {"w": rb.tensor([[1.0, 2.0]]), "b": rb.tensor([0.5], dtype=rb.float64)},
        "pair": (rb.tensor([1, 2]), "x"), "list": [1, [2.5, rb.tensor(True)]],
        7: "int key", (1, 2): "tuple key", "arr": np.arange(6, dtype=np.int32).reshape(2, 3),
        "np_scalar": np.float32(1.5), "raw": b"\x00\x01",
    }
    rb.save(obj, tmp_path / "obj.safetensors")
    back = rb.load(tmp_path / "obj.safetensors")
    assert set(back) == set(obj)
    assert back["epoch"] == 3 and back["lr"] == 0.01 and back["name"] == "run-1" and back["none"] is None
    assert back["flag"] is True and np.isnan(back["nan"])
    assert back["model"]["w"].tolist() == [[1.0, 2.0]] and back["model"]["b"].dtype == rb.float64
    assert isinstance(back["pair"], tuple) and back["pair"][0].tolist() == [1, 2] and back["pair"][1] == "x"
    assert back["list"][0] == 1 and back["list"][1][0] == 2.5 and back["list"][1][1].item() is True
    assert back[7] == "int key" and back[(1, 2)] == "tuple key"
    assert isinstance(back["arr"], np.ndarray) and back["arr"].dtype == np.int32
    np.testing.assert_array_equal(back["arr"], obj["arr"])
    assert isinstance(back["np_scalar"], np.float32) and back["np_scalar"] == 1.5
    assert back["raw"] == b"\x00\x01"
    single = tmp_path / "t.safetensors"
    rb.save(rb.tensor([3.0, 4.0]), single)
    assert rb.load(single).tolist() == [3.0, 4.0]


def test_file_objects(tmp_path):
    buf = io.BytesIO()
    rb.save({"w": rb.ones(2, 2)}, buf)
    buf.seek(0)
    assert rb.load(buf)["w"].tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_unsupported_objects_raise_and_write_nothing(tmp_path):
    with pytest.raises(TypeError, match="cannot store an object of type .*object.*safetensors files are never pickles"):
        rb.save({"x": object()}, tmp_path / "bad.safetensors")
    assert os.listdir(tmp_path) == []


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    import safetensors.numpy

    path = tmp_path / "ckpt.safetensors"
    rb.save({"w": rb.tensor([1.0])}, path)
    before = path.read_bytes()

    def boom(*a, **k):
        with open(a[1], "wb") as f:
            f.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(safetensors.numpy, "save_file", boom)
    with pytest.raises(OSError, match="disk full"):
        rb.save({"w": rb.tensor([2.0])}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]


@pytest.mark.parametrize("cut", [0, 5, 20, -3])
def test_truncated_files_raise(tmp_path, cut):
    path = tmp_path / "full.safetensors"
    rb.save({"w": rb.randn(10, 10), "b": rb.randn(10)}, path)
    data = path.read_bytes()
    bad = tmp_path / "cut.safetensors"
    bad.write_bytes(data[:cut] if cut >= 0 else data[:len(data) + cut])
    with pytest.raises(ValueError, match="cut.safetensors: not a valid safetensors file"):
        rb.load(bad)


def test_corrupt_files_raise(tmp_path):
    path = tmp_path / "c.safetensors"
    rb.save({"w": rb.randn(4)}, path)
    data = bytearray(path.read_bytes())
    data[10] = ord("#")  # breaks the JSON header
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="c.safetensors: not a valid safetensors file .*invalid JSON"):
        rb.load(path)
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\xff" * 64)
    with pytest.raises(ValueError, match="junk.bin: not a valid safetensors file"):
        rb.load(junk)
    extra = tmp_path / "extra.safetensors"
    rb.save({"w": rb.randn(4)}, extra)
    extra.write_bytes(extra.read_bytes() + b"tail")
    with pytest.raises(ValueError, match="extra.safetensors: not a valid safetensors file .*not fully covered"):
        rb.load(extra)


def _train_steps(model, opt, n, seed):
    rng = np.random.default_rng(seed)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(n):
        x = rb.from_numpy(rng.standard_normal((8, 4)).astype(np.float32))
        y = rb.from_numpy(rng.integers(0, 3, 8).astype(np.int64))
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()


@pytest.mark.parametrize("make_opt", [
    lambda p: optim.Adam(p, lr=1e-2, betas=(0.8, 0.95)),
    lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
])
def test_optimizer_state_round_trips_and_training_resumes_bit_exactly(tmp_path, make_opt):
    model = _mlp()
    opt = make_opt(model.parameters())
    _train_steps(model, opt, 3, seed=0)
    rb.save(model.state_dict(), tmp_path / "model.st")
    rb.save(opt.state_dict(), tmp_path / "opt.rb")
    rb.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, tmp_path / "all.rb")
    _train_steps(model, opt, 4, seed=1)
    expected = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}

    for resume in ("separate", "bundle"):
        model2 = _mlp(seed=9)
        opt2 = make_opt(model2.parameters())
        if resume == "separate":
            model2.load_state_dict(rb.load(tmp_path / "model.st"))
            opt2.load_state_dict(rb.load(tmp_path / "opt.rb"))
        else:
            ck = rb.load(tmp_path / "all.rb")
            assert ck["epoch"] == 3
            model2.load_state_dict(ck["model"])
            opt2.load_state_dict(ck["optimizer"])
        _train_steps(model2, opt2, 4, seed=1)
        for k, v in model2.state_dict().items():
            np.testing.assert_array_equal(v.detach().numpy(), expected[k])
    sd = rb.load(tmp_path / "opt.rb")
    assert isinstance(sd["param_groups"][0]["params"], list) and 0 in sd["state"]
