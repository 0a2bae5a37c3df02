"""rb.save / rb.load in PyTorch's checkpoint format: round trips (views sharing a storage, every dtype,
Parameters, nested containers, whole modules behind the allow-list, optimizer and scheduler state), files
torch 2.13 wrote (tests/data, read without PyTorch), the restricted unpickler refusing code, damaged
archives, map_location and mmap; and, with PyTorch installed, files moving both ways and a training run
continued across the two libraries."""
import io
import math
import os
import pathlib
import pickle
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch
from rosenblatt import nn, optim

DATA = pathlib.Path(__file__).parent / "data"


def _same_storage(a, b):
    return a._storage_info()[0] == b._storage_info()[0]


def _views():
    base = rb.arange(12, dtype=rb.float32).reshape(3, 4)
    return {"base": base, "t": base.t(), "row": base[1], "cols": base[:, ::2]}


# ---- round trips without PyTorch ------------------------------------------------------------------------
def test_state_dict_round_trip_keeps_order_values_and_loads(tmp_path):
    rb.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    sd = model.state_dict()
    rb.save(sd, tmp_path / "model.pt")
    assert zipfile.is_zipfile(tmp_path / "model.pt")
    back = rb.load(tmp_path / "model.pt")
    assert list(back) == list(sd)
    for k in sd:
        assert back[k].dtype == sd[k].dtype and back[k].shape == sd[k].shape
        np.testing.assert_array_equal(back[k].numpy(), sd[k].detach().numpy())
    rb.manual_seed(1)
    other = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    other.load_state_dict(back)
    x = rb.randn(5, 4)
    np.testing.assert_array_equal(other(x).detach().numpy(), model(x).detach().numpy())
    assert sorted(os.listdir(tmp_path)) == ["model.pt"]  # written atomically: no temporary file left
    (tmp_path / "plain").write_bytes(b"")
    assert os.stat(tmp_path / "model.pt").st_mode == os.stat(tmp_path / "plain").st_mode  # the usual permissions


def test_views_share_one_storage_after_loading(tmp_path):
    views = _views()
    rb.save(views, tmp_path / "v.pt")
    back = rb.load(tmp_path / "v.pt")
    for k, v in views.items():
        assert back[k].stride() == v.stride() and back[k].storage_offset() == v.storage_offset(), k
        np.testing.assert_array_equal(back[k].numpy(), v.numpy())
        assert _same_storage(back[k], back["base"]), k
    back["base"][1, 2] = -7.0  # one storage: a write through one view shows in the others
    assert back["row"][2].item() == -7.0 and back["t"][2, 1].item() == -7.0 and back["cols"][1, 1].item() == -7.0
    with zipfile.ZipFile(tmp_path / "v.pt") as z:  # saved once, not once per view
        assert [n for n in z.namelist() if "/data/" in n] == ["archive/data/0"]


def test_dtypes_scalars_empty_and_non_contiguous(tmp_path):
    obj = {"f64": rb.tensor([1.5, -2.25], dtype=rb.float64), "i64": rb.tensor([-3, 2**40]),
           "b": rb.tensor([True, False, True]), "s": rb.tensor(2.5), "si": rb.tensor(7),
           "empty": rb.zeros(0, 3), "nc": rb.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1),
           "step": rb.arange(10, dtype=rb.int64)[1::3]}
    rb.save(obj, tmp_path / "d.pt")
    back = rb.load(tmp_path / "d.pt")
    for k, v in obj.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape and back[k].stride() == v.stride(), k
        np.testing.assert_array_equal(back[k].numpy(), v.numpy())
    assert back["s"].dim() == 0 and back["s"].item() == 2.5 and back["si"].item() == 7
    assert not back["nc"].is_contiguous()


def test_nested_containers_and_numbers(tmp_path):
    obj = {"epoch": 3, "big": 2**70, "lr": 1e-3, "inf": math.inf, "nan": math.nan, "name": "run-1", "none": None,
           "flag": True, "pair": (rb.tensor([1, 2]), "x"), "list": [1, [2.5, rb.tensor(True)]], 7: "int key",
           (1, 2): "tuple key", "raw": b"\x00\xff", "set": {1, 2}, "c": 1 + 2j, "od": OrderedDict(b=1, a=2),
           "dtype": rb.float64, "dev": rb.device("cpu"), "size": rb.zeros(2, 3).shape}
    rb.save(obj, tmp_path / "n.pt")
    back = rb.load(tmp_path / "n.pt")
    assert list(back) == list(obj)
    for k in ("epoch", "big", "lr", "inf", "name", "none", "flag", 7, (1, 2), "raw", "set", "c", "od", "dtype"):
        assert back[k] == obj[k] and type(back[k]) is type(obj[k]), k
    assert math.isnan(back["nan"]) and list(back["od"]) == ["b", "a"]
    assert back["pair"][0].tolist() == [1, 2] and back["pair"][1] == "x"
    assert back["list"][1][1].item() is True
    assert str(back["dev"]) == "cpu" and back["size"] == (2, 3) and type(back["size"]) is rb.Size
    assert rb.load(io.BytesIO(_bytes_of(rb.tensor([3.0, 4.0])))).tolist() == [3.0, 4.0]


def _bytes_of(obj, **kw):
    buf = io.BytesIO()
    rb.save(obj, buf, **kw)
    return buf.getvalue()


def test_parameters_round_trip(tmp_path):
    p = nn.Parameter(rb.tensor([1.0, 2.0]))
    frozen = nn.Parameter(rb.tensor([3.0]), requires_grad=False)
    rb.save({"p": p, "again": p, "frozen": frozen, "plain": rb.tensor([1.0], requires_grad=True)}, tmp_path / "p.pt")
    back = rb.load(tmp_path / "p.pt")
    assert type(back["p"]) is nn.Parameter and back["p"].requires_grad and back["p"].tolist() == [1.0, 2.0]
    assert back["again"] is back["p"]  # the same object twice stays one object
    assert type(back["frozen"]) is nn.Parameter and not back["frozen"].requires_grad
    assert type(back["plain"]) is rb.Tensor and back["plain"].requires_grad


def test_legacy_format_round_trip(tmp_path):
    views = _views()
    rb.save(views, tmp_path / "l.pt", _use_new_zipfile_serialization=False)
    assert not zipfile.is_zipfile(tmp_path / "l.pt")
    back = rb.load(tmp_path / "l.pt")
    for k, v in views.items():
        np.testing.assert_array_equal(back[k].numpy(), v.numpy())
        assert _same_storage(back[k], back["base"]) and back[k].stride() == v.stride()


def test_safetensors_paths_still_write_safetensors(tmp_path):
    from safetensors.numpy import load_file

    rb.save({"w": rb.tensor([1.0, 2.0])}, tmp_path / "m.safetensors")
    (tmp_path / "plain").write_bytes(b"")
    assert os.stat(tmp_path / "m.safetensors").st_mode == os.stat(tmp_path / "plain").st_mode
    assert load_file(str(tmp_path / "m.safetensors"))["w"].tolist() == [1.0, 2.0]
    assert rb.load(tmp_path / "m.safetensors")["w"].tolist() == [1.0, 2.0]


def test_safetensors_bfloat16_entries(tmp_path):
    # numpy has no bfloat16 unless ml_dtypes registered one (the safetensors package then returns it): both ways
    # the entry loads as rosenblatt's bfloat16
    import json

    bits = np.array([0.5, -3.0, 1e30], dtype=np.float32).view(np.uint32) >> 16
    header = json.dumps({"bf": {"dtype": "BF16", "shape": [3], "data_offsets": [0, 6]}}).encode()
    (tmp_path / "bf.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + bits.astype("<u2").tobytes())
    for _ in range(2):
        t = rb.load(tmp_path / "bf.safetensors")["bf"]
        assert t.dtype == rb.bfloat16
        np.testing.assert_array_equal(t.float().numpy(), (bits << 16).view(np.float32))
        pytest.importorskip("ml_dtypes")


def _train(model, opt, sched, x, y, steps):
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        sched.step()


def _setup(seed):
    rb.manual_seed(seed)
    model = nn.Linear(4, 3)
    opt = optim.Adam(model.parameters(), lr=0.05, betas=(0.8, 0.9))
    return model, opt, optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)


def test_optimizer_and_scheduler_resume_bit_exactly(tmp_path):
    rb.manual_seed(3)
    x, y = rb.randn(8, 4), rb.randint(0, 3, (8,))
    model, opt, sched = _setup(0)
    _train(model, opt, sched, x, y, 3)
    rb.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict()},
            tmp_path / "ck.pt")
    _train(model, opt, sched, x, y, 3)
    model2, opt2, sched2 = _setup(9)
    ck = rb.load(tmp_path / "ck.pt")
    model2.load_state_dict(ck["model"])
    opt2.load_state_dict(ck["optimizer"])
    sched2.load_state_dict(ck["scheduler"])
    _train(model2, opt2, sched2, x, y, 3)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(model2.state_dict()[k].numpy(), v.numpy())
    assert sched2.get_last_lr() == sched.get_last_lr()


# ---- files written by torch 2.13 (tests/data/make_pt_fixtures.py), read without PyTorch ---------------------
@pytest.mark.parametrize("weights_only", [True, False])
@pytest.mark.parametrize("name", ["torch_zip.pt", "torch_legacy.pt"])
def test_fixture_written_by_torch(name, weights_only):
    assert rb.serialization.get_unsafe_globals_in_checkpoint(DATA / name) == []
    obj = rb.load(DATA / name, weights_only=weights_only)
    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    for k, ref in {"f32": base, "t": base.T, "row": base[1], "cols": base[:, ::2]}.items():
        assert obj[k].dtype == rb.float32
        np.testing.assert_array_equal(obj[k].numpy(), ref)
        assert _same_storage(obj[k], obj["f32"]), k
    assert obj["t"].stride() == (1, 4) and obj["row"].storage_offset() == 4 and obj["cols"].stride() == (4, 2)
    assert obj["f64"].dtype == rb.float64
    np.testing.assert_array_equal(obj["f64"].numpy(), np.linspace(-1, 1, 5))
    assert obj["i64"].dtype == rb.int64 and obj["i64"].tolist() == [-3, 0, 2**40]
    assert obj["b"].dtype == rb.bool and obj["b"].tolist() == [True, False, True]
    assert obj["scalar"].dim() == 0 and obj["scalar"].item() == 2.5
    assert tuple(obj["empty"].shape) == (0, 3)
    assert type(obj["param"]) is nn.Parameter and obj["param"].requires_grad and obj["param"].tolist() == [1.0, -2.0]
    nested = obj["nested"]
    assert (nested["epoch"], nested["name"], nested["lr"], nested["none"], nested["tuple"]) == (7, "run", 1e-3,
                                                                                                None, (1, "a"))
    assert nested["list"][0] == 1.5 and nested["list"][1].tolist() == [4]
    assert type(obj["od"]) is OrderedDict and list(obj["od"].items()) == [("a", 1), ("b", 2)]
    ref = np.array([-3.5, 0.25, 100.0, 7.0])  # torch converts to integers by truncation, wrapping uint8
    for name, t in obj["small"].items():
        assert t.dtype == getattr(rb, name), name
        want = ref if name in ("float16", "bfloat16") else np.trunc(ref).astype(np.int64).astype(name)
        np.testing.assert_array_equal(t.float().numpy() if name == "bfloat16" else t.numpy(), want, err_msg=name)


@pytest.mark.parametrize("name", ["torch_zip.pt", "torch_legacy.pt"])
def test_training_continues_from_a_torch_checkpoint(name):
    # torch trained 3 steps, saved, then trained 3 more to `expected`; rosenblatt resumes from the save
    ck = rb.load(DATA / name)["train"]
    assert ck["optimizer"]["state"][0]["step"].dtype == rb.float32 and ck["optimizer"]["state"][0]["step"].dim() == 0
    model, opt, sched = _setup(9)
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["optimizer"])
    sched.load_state_dict(ck["scheduler"])
    _train(model, opt, sched, ck["x"], ck["y"], 3)
    for k, v in ck["expected"].items():
        np.testing.assert_allclose(model.state_dict()[k].numpy(), v.numpy(), rtol=0, atol=1e-6)


# ---- the allow-list: no code from the file runs -------------------------------------------------------------
def _zip_with_pickle(path, data_pkl):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/byteorder", "little")
        z.writestr("archive/version", "3\n")
    return path


class _Payload:
    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return self.func, (self.arg,)


@pytest.mark.parametrize("fmt", ["zip", "legacy"])
@pytest.mark.parametrize("func,shown", [(os.system, f"{os.system.__module__}.system"), (eval, "builtins.eval"),
                                        (exec, "builtins.exec")])
def test_malicious_pickles_run_nothing(tmp_path, fmt, func, shown):
    marker = tmp_path / "pwned"
    code = f"touch {marker}" if func is os.system else f"open({str(marker)!r}, 'w').close()"
    payload = {"w": _Payload(func, code)}
    if fmt == "zip":
        path = _zip_with_pickle(tmp_path / "evil.pt", pickle.dumps(payload, protocol=2))
    else:
        path = tmp_path / "evil.pt"
        with open(path, "wb") as f:
            for head in (0x1950A86A20F9469CFC6C, 1001, {"little_endian": True}):
                pickle.dump(head, f, protocol=2)
            pickle.dump(payload, f, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL {shown}"):
        rb.load(path)
    assert not marker.exists()
    if func is os.system:  # blocked even when allow-listed, as in PyTorch
        with rb.serialization.safe_globals([os.system]), pytest.raises(pickle.UnpicklingError, match="is blocked"):
            rb.load(path)
        assert not marker.exists()


def test_hand_written_opcodes_are_checked(tmp_path):
    # GLOBAL by protocol-4 STACK_GLOBAL, and a REDUCE of an object that is no allowed global (a bound method)
    stack_global = b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x011\x85R."
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL builtins.eval"):
        rb.load(_zip_with_pickle(tmp_path / "a.pt", stack_global))
    # APPEND into something that is not a list (here a dict): refused, as torch's unpickler does
    with pytest.raises(pickle.UnpicklingError, match="only append to lists"):
        rb.load(_zip_with_pickle(tmp_path / "b.pt", b"\x80\x02}K\x01a."))


class Custom:
    def __init__(self, v):
        self.v = v


def test_allow_listed_classes_load(tmp_path):
    rb.save({"c": Custom(rb.tensor([1.0]))}, tmp_path / "c.pt")
    with pytest.raises(pickle.UnpicklingError, match=f"GLOBAL {__name__}.Custom"):
        rb.load(tmp_path / "c.pt")
    with rb.serialization.safe_globals([Custom]):
        assert rb.load(tmp_path / "c.pt")["c"].v.tolist() == [1.0]
    assert Custom not in rb.serialization.get_safe_globals()  # the context manager's allowance ends with it
    rb.serialization.add_safe_globals([(Custom, f"{__name__}.Custom")])
    try:
        assert isinstance(rb.load(tmp_path / "c.pt")["c"], Custom)
    finally:
        rb.serialization.clear_safe_globals()
    assert rb.load(tmp_path / "c.pt", weights_only=False)["c"].v.tolist() == [1.0]


def test_whole_module_needs_its_classes_allowed(tmp_path):
    rb.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    model.register_buffer("running", rb.tensor([1.0, 2.0]))
    rb.save(model, tmp_path / "m.pt")
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL rosenblatt.nn.modules.container.Sequential"):
        rb.load(tmp_path / "m.pt")
    assert rb.serialization.get_unsafe_globals_in_checkpoint(tmp_path / "m.pt") == [
        "rosenblatt.nn.modules.activation.Tanh", "rosenblatt.nn.modules.container.Sequential",
        "rosenblatt.nn.modules.linear.Linear"]
    with rb.serialization.safe_globals([nn.Sequential, nn.Linear, nn.Tanh]):
        back = rb.load(tmp_path / "m.pt")
    x = rb.randn(5, 3)
    assert type(back) is nn.Sequential and type(back[0].weight) is nn.Parameter
    np.testing.assert_array_equal(back(x).detach().numpy(), model(x).detach().numpy())
    assert back.running.tolist() == [1.0, 2.0] and list(back.state_dict()) == list(model.state_dict())


# ---- damaged files, map_location, mmap ----------------------------------------------------------------------
def test_truncated_and_corrupt_archives_raise_clear_errors(tmp_path):
    rb.save({"w": rb.randn(64), "b": rb.arange(10)}, tmp_path / "ok.pt")
    data = (tmp_path / "ok.pt").read_bytes()
    bad = tmp_path / "bad.pt"
    for cut in (10, 100, 300, len(data) // 2, len(data) - 30):
        bad.write_bytes(data[:cut])
        with pytest.raises((RuntimeError, pickle.UnpicklingError), match="bad.pt"):
            rb.load(bad)
    with zipfile.ZipFile(tmp_path / "ok.pt") as z:
        start = z.getinfo("archive/data/0").header_offset
    flipped = bytearray(data)
    flipped[start + 64 + 8] ^= 0xFF  # a byte of the first storage (the records start 64-byte aligned)
    bad.write_bytes(bytes(flipped))
    with pytest.raises(RuntimeError, match="bad.pt: corrupt record archive/data/0: CRC-32 mismatch"):
        rb.load(bad)
    _zip_with_pickle(bad, b"\x80\x02}q\x00(X")  # a pickle that stops midway
    with pytest.raises(pickle.UnpicklingError, match="bad.pt: corrupt pickle"):
        rb.load(bad)
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("archive/other", "x")
    with pytest.raises(RuntimeError, match="without data.pkl"):
        rb.load(bad)


@pytest.mark.parametrize("legacy", [False, True])
def test_random_damage_raises_clean_errors(legacy):
    # seeded byte flips and cuts of a saved file: each load succeeds or raises one of the documented
    # exceptions, never a TypeError, MemoryError (a flipped count allocating terabytes) or a crash
    import random

    obj = {"a": rb.arange(12.0).reshape(3, 4), "p": nn.Parameter(rb.ones(2)), "n": [1, "x", (2.5, None)],
           "b": rb.tensor([True]), "i": rb.tensor(3)}
    obj["t"] = obj["a"].t()
    data = _bytes_of(obj, _use_new_zipfile_serialization=not legacy)
    rnd = random.Random(0)
    for _ in range(400):
        d = bytearray(data)
        if rnd.random() < 0.3:
            d = d[:rnd.randrange(len(d))]
        else:
            for _ in range(rnd.randint(1, 4)):
                d[rnd.randrange(len(d))] = rnd.randrange(256)
        try:
            rb.load(io.BytesIO(bytes(d)))
        except (RuntimeError, pickle.UnpicklingError, ValueError):
            pass


def _saved_on(tmp_path, location):
    """A checkpoint whose storage says it was saved on `location` (rosenblatt itself saves on 'cpu')."""
    rb.save({"w": rb.tensor([1.0, 2.0])}, tmp_path / "cpu.pt")
    with zipfile.ZipFile(tmp_path / "cpu.pt") as z:
        records = {n: z.read(n) for n in z.namelist()}
    old, new = b"X\x03\x00\x00\x00cpu", b"X" + struct.pack("<I", len(location)) + location.encode()
    records["archive/data.pkl"] = records["archive/data.pkl"].replace(old, new)
    path = tmp_path / "moved.pt"
    with zipfile.ZipFile(path, "w") as z:
        for n, v in records.items():
            z.writestr(n, v)
    return path


def test_map_location(tmp_path):
    path = _saved_on(tmp_path, "cuda:0")
    with pytest.raises(RuntimeError, match="CUDA device"):
        rb.load(path)
    seen = []
    for loc in ("cpu", rb.device("cpu"), {"cuda:0": "cpu"}, lambda s, where: seen.append(where) or s):
        assert rb.load(path, map_location=loc)["w"].tolist() == [1.0, 2.0]
    assert seen == ["cuda:0"]
    with pytest.raises(RuntimeError, match="CUDA device"):
        rb.load(tmp_path / "cpu.pt", map_location="cuda:0")
    rb.save({"w": rb.tensor([1.0])}, tmp_path / "w.safetensors")
    assert rb.load(tmp_path / "w.safetensors", map_location="cpu")["w"].tolist() == [1.0]
    with pytest.raises(RuntimeError, match="CUDA device"):
        rb.load(tmp_path / "w.safetensors", map_location="cuda")


def _mapping_of(address):
    """The file backing the memory at `address` (Linux /proc/self/maps), or None for anonymous memory."""
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.split()
            lo, hi = (int(v, 16) for v in fields[0].split("-"))
            if lo <= address < hi:
                return fields[5] if len(fields) > 5 else None
    return None


@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs Linux's /proc/self/maps")
def test_mmap_maps_the_file_copy_on_write(tmp_path):
    path = tmp_path / "big.pt"
    w = rb.arange(1 << 20, dtype=rb.float32)  # 4 MB
    rb.save({"w": w, "half": w[::2]}, path)
    before = path.read_bytes()
    m = rb.load(path, mmap=True)
    assert _mapping_of(m["w"].data_ptr()) == str(path)  # the tensor's memory is the file's mapping
    assert _same_storage(m["w"], m["half"]) and m["half"][3].item() == 6.0
    plain = rb.load(path)
    assert _mapping_of(plain["w"].data_ptr()) != str(path)
    np.testing.assert_array_equal(m["w"].numpy(), plain["w"].numpy())
    m["w"][0] = 5.0  # private mapping: the write stays in memory
    assert m["half"][0].item() == 5.0 and path.read_bytes() == before
    with pytest.raises(ValueError, match="file path"):
        rb.load(io.BytesIO(before), mmap=True)
    rb.save({"w": w[:4]}, tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(RuntimeError, match="mmap can only be used"):
        rb.load(tmp_path / "legacy.pt", mmap=True)


def test_every_dtype_round_trips(tmp_path):
    ref = rb.tensor([-3.5, 0.25, 100.0, 7.0])
    obj = {name: ref.to(getattr(rb, name)) for name in ("float16", "bfloat16", "int32", "int16", "int8", "uint8")}
    obj["bf_view"] = obj["bfloat16"][1:]  # bfloat16 is rebuilt by a copy (numpy has no such dtype): still one storage
    for legacy in (False, True):
        rb.save(obj, tmp_path / "d.pt", _use_new_zipfile_serialization=not legacy)
        back = rb.load(tmp_path / "d.pt")
        for k, v in obj.items():
            assert back[k].dtype == v.dtype and back[k].tolist() == v.tolist(), (k, legacy)
        assert _same_storage(back["bf_view"], back["bfloat16"])


def test_dtypes_rosenblatt_lacks_raise_type_error(tmp_path):
    # a complex storage in an archive (torch.ComplexFloatStorage): named in the error
    rb.save({"w": rb.tensor([1.0, 2.0])}, tmp_path / "f.pt")
    with zipfile.ZipFile(tmp_path / "f.pt") as z:
        records = {n: z.read(n) for n in z.namelist()}
    pkl = records["archive/data.pkl"].replace(b"torch\nFloatStorage", b"torch\nComplexFloatStorage")
    records["archive/data.pkl"] = pkl.replace(b"K\x02t", b"K\x01t")  # numel: 2 floats are 1 complex64
    with zipfile.ZipFile(tmp_path / "c.pt", "w") as z:
        for n, v in records.items():
            z.writestr(n, v)
    with pytest.raises(TypeError, match="torch.complex64"):
        rb.load(tmp_path / "c.pt")


# ---- with PyTorch: files move both ways ---------------------------------------------------------------------
@requires_torch
def test_torch_save_then_rb_load(tmp_path):
    base = torch.randn(3, 4)
    obj = {"base": base, "t": base.t(), "row": base[2], "f64": torch.randn(5, dtype=torch.float64),
           "i": torch.tensor([1, -2]), "b": torch.tensor([True]), "s": torch.tensor(1.5), "e": torch.zeros(0),
           "p": torch.nn.Parameter(torch.randn(2)), "n": {"k": [1, (2.0, "x")]}}
    for legacy in (False, True):
        torch.save(obj, tmp_path / "t.pt", _use_new_zipfile_serialization=not legacy)
        back = rb.load(tmp_path / "t.pt")
        for k, v in obj.items():
            if isinstance(v, torch.Tensor):
                np.testing.assert_array_equal(back[k].detach().numpy(), v.detach().numpy())
                assert back[k].stride() == v.stride() and back[k].storage_offset() == v.storage_offset(), k
        assert _same_storage(back["t"], back["base"]) and _same_storage(back["row"], back["base"])
        assert type(back["p"]) is nn.Parameter and back["n"] == {"k": [1, (2.0, "x")]}
    # a model's state_dict: an OrderedDict with a _metadata attribute (pickled with BUILD), a 0-d int64 buffer
    tnn = torch.nn
    tm = tnn.Sequential(tnn.Conv2d(1, 2, 3), tnn.BatchNorm2d(2), tnn.Flatten(), tnn.Linear(8, 2))
    tm(torch.randn(2, 1, 4, 4))
    torch.save(tm.state_dict(), tmp_path / "sd.pt")
    sd = rb.load(tmp_path / "sd.pt")
    assert type(sd) is OrderedDict and sd._metadata == tm.state_dict()._metadata
    assert sd["1.num_batches_tracked"].dtype == rb.int64 and sd["1.num_batches_tracked"].item() == 1
    rm = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(8, 2))
    rm.load_state_dict(sd)
    x = torch.randn(3, 1, 4, 4)
    np.testing.assert_allclose(rm.eval()(rb.from_numpy(x.numpy())).detach().numpy(), tm.eval()(x).detach().numpy(),
                               rtol=1e-5, atol=1e-6)


@requires_torch
def test_rb_save_then_torch_load(tmp_path):
    obj = dict(_views(), f64=rb.tensor([1.5], dtype=rb.float64), i=rb.tensor([2**40]), b=rb.tensor([False, True]),
               s=rb.tensor(3.0), e=rb.zeros(0, 2), p=nn.Parameter(rb.tensor([1.0, 2.0])), n={"k": [1, (2.0, "x")]},
               od=OrderedDict(a=rb.tensor([1])), dtype=rb.float64, size=rb.zeros(2).shape)
    for legacy in (False, True):
        rb.save(obj, tmp_path / "r.pt", _use_new_zipfile_serialization=not legacy)
        back = torch.load(tmp_path / "r.pt", weights_only=True)
        for k, v in obj.items():
            if isinstance(v, rb.Tensor):
                np.testing.assert_array_equal(back[k].detach().numpy(), v.detach().numpy())
                assert back[k].stride() == v.stride() and back[k].storage_offset() == v.storage_offset(), k
        assert back["t"].untyped_storage().data_ptr() == back["base"].untyped_storage().data_ptr()
        assert type(back["p"]) is torch.nn.Parameter and back["p"].requires_grad
        assert back["n"] == {"k": [1, (2.0, "x")]} and type(back["od"]) is OrderedDict
        assert back["dtype"] is torch.float64 and back["size"] == torch.Size([2])
    small = {name: rb.tensor([-3.5, 0.25, 100.0, 7.0]).to(getattr(rb, name))
             for name in ("float16", "bfloat16", "int32", "int16", "int8", "uint8")}
    rb.save(small, tmp_path / "s.pt")
    back = torch.load(tmp_path / "s.pt", weights_only=True)
    for name, t in small.items():
        assert back[name].dtype == getattr(torch, name) and back[name].tolist() == t.tolist(), name
    torch.save(back, tmp_path / "s2.pt")
    again = rb.load(tmp_path / "s2.pt")
    assert all(again[n].dtype == t.dtype and again[n].tolist() == t.tolist() for n, t in small.items())
    rb.save({"w": rb.arange(100.0)}, tmp_path / "m.pt")
    assert torch.load(tmp_path / "m.pt", mmap=True, weights_only=True)["w"].tolist() == list(map(float, range(100)))


@requires_torch
def test_training_continued_across_libraries_matches_torch():
    # torch 3 steps -> torch.save -> rb.load, rb 3 steps -> rb.save -> torch.load, torch 3 steps: the same
    # parameters as 9 uninterrupted torch steps
    torch.manual_seed(0)
    x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))

    def torch_setup():
        torch.manual_seed(1)
        model = torch.nn.Linear(4, 3)
        opt = torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.8, 0.9))
        return model, opt, torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)

    def torch_train(model, opt, sched, steps):
        for _ in range(steps):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
            sched.step()

    ref = torch_setup()
    torch_train(*ref, 9)

    model, opt, sched = torch_setup()
    torch_train(model, opt, sched, 3)
    buf = io.BytesIO()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, buf)
    ck = rb.load(io.BytesIO(buf.getvalue()))
    rmodel, ropt, rsched = _setup(7)
    rmodel.load_state_dict(ck["model"])
    ropt.load_state_dict(ck["optimizer"])
    rsched.load_state_dict(ck["scheduler"])
    _train(rmodel, ropt, rsched, rb.from_numpy(x.numpy()), rb.from_numpy(y.numpy()), 3)
    back = torch.load(io.BytesIO(_bytes_of({"model": rmodel.state_dict(), "optimizer": ropt.state_dict(),
                                            "scheduler": rsched.state_dict()})), weights_only=True)
    model, opt, sched = torch_setup()
    model.load_state_dict(back["model"])
    opt.load_state_dict(back["optimizer"])
    sched.load_state_dict(back["scheduler"])
    torch_train(model, opt, sched, 3)
    for k, v in ref[0].state_dict().items():
        np.testing.assert_allclose(model.state_dict()[k].detach().numpy(), v.detach().numpy(), rtol=0, atol=1e-6)
    assert sched.get_last_lr() == ref[2].get_last_lr()


def test_a_record_marked_deflated_whose_bytes_are_not_raises_runtime_error():
    """Found by tests/fuzz/fuzz_load.py: zipfile's decompressor raised zlib.error out of rb.load."""
    path = pathlib.Path(__file__).parent / "data" / "crash_deflate_record.pt"
    with pytest.raises(RuntimeError, match="corrupt record"):
        rb.load(path)
