"""The storage dtypes (uint8, int8, int16, int32, float16, bfloat16): conversion bit-exact with
PyTorch's rounding, promotion, memory sharing with numpy, indexing, comparison, math and modules."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch as needs_torch
from conftest import torch

NEW = ["uint8", "int8", "int16", "int32", "float16", "bfloat16"]
ALL = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
NP = {"bool": np.bool_, "uint8": np.uint8, "int8": np.int8, "int16": np.int16, "int32": np.int32,
      "int64": np.int64, "float16": np.float16, "float32": np.float32, "float64": np.float64}


def rbd(name):
    return getattr(rb, name)


def tod(name):
    return getattr(torch, name)


def bf16_reference(x):
    """float32 -> bfloat16 -> float32 in numpy: round to nearest even on the top 16 bits, NaN -> 0x7fc0."""
    bits = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), out)


def special_floats():
    """Values that exercise every rounding branch of float32 -> 16-bit floats."""
    rng = np.random.default_rng(0)
    f16_edges = [65504.0, 65519.99, 65520.0, 65536.0, 6.1035156e-05, 6.097555e-05, 5.9604645e-08,
                 2.9802322e-08, 2.9802326e-08, 1.7881393e-07, 1e-10, 0.0, -0.0, 1.0009766, 1.00048828125,
                 1.000732421875, 2049.0, 2051.0, -2051.0, 3.4e38, np.inf, -np.inf, np.nan]
    wide = rng.standard_normal(2000) * np.exp(rng.uniform(-30, 30, 2000))
    ties = (np.arange(-200, 200) * 2 + 1).astype(np.float32) * np.float32(2.0 ** -11)  # halfway cases near 1
    return np.concatenate([np.array(f16_edges, np.float32), wide.astype(np.float32), ties.astype(np.float32)])


def test_names_itemsize_and_aliases():
    for name in NEW:
        dt = rbd(name)
        assert str(dt) == f"rosenblatt.{name}"
        assert dt.itemsize == np.dtype(NP.get(name, np.uint16)).itemsize
    assert rb.half is rb.float16 and rb.short is rb.int16 and rb.int is rb.int32
    assert rb.float16.is_floating_point and rb.bfloat16.is_floating_point and not rb.int32.is_floating_point
    assert not rb.uint8.is_signed and rb.int8.is_signed


def test_float32_to_float16_rounds_as_numpy():
    x = special_floats()
    got = rb.from_numpy(x).to(rb.float16).numpy()
    assert got.dtype == np.float16
    with np.errstate(over="ignore"):
        want = x.astype(np.float16)
    np.testing.assert_array_equal(got.view(np.uint16)[~np.isnan(want)], want.view(np.uint16)[~np.isnan(want)])
    assert np.isnan(got[np.isnan(want)]).all()
    # and back: every half value is exact in float32
    all_halves = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    back = rb.from_numpy(all_halves.copy()).float().numpy()
    np.testing.assert_array_equal(back, all_halves.astype(np.float32))


def test_float32_to_bfloat16_rounds_to_nearest_even():
    x = special_floats()
    got = rb.from_numpy(x).to(rb.bfloat16).float().numpy()
    np.testing.assert_array_equal(got, bf16_reference(x))


@needs_torch
@pytest.mark.parametrize("dst", ["float16", "bfloat16"])
@pytest.mark.parametrize("src", ["float32", "float64", "int64", "int32"])
def test_conversions_bit_exact_with_pytorch(src, dst):
    x = special_floats().astype(np.float64)
    if src.startswith("int"):
        x = np.nan_to_num(x, nan=0, posinf=0, neginf=0).clip(-2e9, 2e9)
    x = x.astype(NP[src])
    ours = rb.from_numpy(x.copy()).to(rbd(dst)).float().numpy()
    theirs = torch.from_numpy(x.copy()).to(tod(dst)).float().numpy()
    # NaN payloads differ inside PyTorch itself (its vector and scalar paths): NaN is what must match
    nan = np.isnan(theirs)
    np.testing.assert_array_equal(np.isnan(ours), nan)
    np.testing.assert_array_equal(ours[~nan].view(np.uint32), theirs[~nan].view(np.uint32))


@needs_torch
def test_integer_conversions_wrap_as_pytorch():
    x = np.array([0, 1, -1, 127, 128, 255, 256, -129, 32767, 32768, 2**31 - 1, 2**31, -(2**31) - 1, 2**40 + 5])
    for dst in ["uint8", "int8", "int16", "int32", "bool", "float16"]:
        ours = rb.from_numpy(x.copy()).to(rbd(dst))
        theirs = torch.from_numpy(x.copy()).to(tod(dst))
        assert ours.tolist() == theirs.tolist(), dst
    f = np.array([-3.7, -0.5, 0.0, 0.5, 2.9, 100.2], np.float32)
    for dst in ["uint8", "int8", "int16", "int32"]:
        src = np.abs(f) if dst == "uint8" else f
        assert rb.from_numpy(src.copy()).to(rbd(dst)).tolist() == torch.from_numpy(src.copy()).to(tod(dst)).tolist()


@needs_torch
def test_promotion_table_matches_pytorch():
    for a in ALL:
        for b in ALL:
            x = rb.ones(2, dtype=rbd(a))
            y = rb.ones(2, dtype=rbd(b))
            want = torch.promote_types(tod(a), tod(b))
            assert str((x + y).dtype) == str(want).replace("torch.", "rosenblatt."), (a, b)


def test_promotion_rules():
    cases = {("uint8", "int8"): "int16", ("uint8", "int32"): "int32", ("int8", "int16"): "int16",
             ("float16", "bfloat16"): "float32", ("int32", "float16"): "float16", ("bool", "uint8"): "uint8",
             ("float16", "float64"): "float64", ("int64", "bfloat16"): "bfloat16"}
    for (a, b), want in cases.items():
        assert (rb.ones(1, dtype=rbd(a)) * rb.ones(1, dtype=rbd(b))).dtype == rbd(want)
    # a Python float keeps a 16-bit float tensor's dtype; it makes an integer one float32
    assert (rb.ones(2, dtype=rb.float16) * 2.5).dtype == rb.float16
    assert (rb.ones(2, dtype=rb.int8) * 2.5).dtype == rb.float32
    assert (rb.ones(2, dtype=rb.int8) + 300).dtype == rb.int8


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "float16"])
def test_from_numpy_shares_memory(name):
    a = np.arange(12).reshape(3, 4).astype(NP[name])
    t = rb.from_numpy(a)
    assert t.dtype == rbd(name) and t.shape == (3, 4)
    a[1, 2] = 7
    assert t[1, 2].item() == 7
    t[0, 0] = 5
    assert a[0, 0] == 5
    back = t.numpy()
    assert back.dtype == NP[name] and np.shares_memory(back, a)


def test_read_only_arrays_are_shared_with_a_warning(tmp_path):
    path = tmp_path / "data.bin"
    np.arange(100, dtype=np.uint8).tofile(path)
    mm = np.memmap(path, dtype=np.uint8, mode="r")
    with pytest.warns(UserWarning, match="not writable"):
        t = rb.from_numpy(mm)
    assert t.dtype == rb.uint8 and t[99].item() == 99
    assert t.data_ptr() == mm.ctypes.data  # the file's mapping, not a copy
    frozen = np.ones(5, np.float32)
    frozen.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning):
            rb.from_numpy(frozen)


def test_bfloat16_has_no_numpy_dtype():
    t = rb.ones(3, dtype=rb.bfloat16)
    with pytest.raises(TypeError, match="BFloat16"):
        t.numpy()
    assert t.tolist() == [1.0, 1.0, 1.0]
    assert "dtype=rosenblatt.bfloat16" in repr(t)


@pytest.mark.parametrize("name", NEW)
def test_factories_item_tolist_and_repr(name):
    dt = rbd(name)
    assert rb.zeros(2, 3, dtype=dt).dtype == dt
    assert rb.ones(4, dtype=dt).tolist() == [1, 1, 1, 1]
    assert rb.full((2,), 3, dtype=dt).tolist() == [3, 3]
    assert rb.arange(5, dtype=dt).tolist() == [0, 1, 2, 3, 4]
    assert rb.tensor([1, 2, 3], dtype=dt).dtype == dt
    assert rb.eye(3, dtype=dt).tolist() == np.eye(3).tolist()
    assert rb.tensor(7, dtype=dt).item() == 7
    assert f"dtype=rosenblatt.{name}" in repr(rb.ones(2, dtype=dt))
    assert rb.zeros_like(rb.ones(2, dtype=dt)).dtype == dt


def test_tensor_methods_and_module_casts():
    x = rb.tensor([1.5, -2.25])
    assert x.half().dtype == rb.float16 and x.bfloat16().dtype == rb.bfloat16
    assert x.int().dtype == rb.int32 and x.short().dtype == rb.int16
    assert x.char().dtype == rb.int8 and rb.tensor([3.0]).byte().dtype == rb.uint8
    assert x.int().tolist() == [1, -2]
    m = rb.nn.Sequential(rb.nn.Linear(3, 4), rb.nn.BatchNorm1d(4))
    m.half()
    assert all(p.dtype == rb.float16 for p in m.parameters())
    assert m[1].num_batches_tracked.dtype == rb.int64  # integer buffers are left alone, as in PyTorch
    m.bfloat16()
    assert all(p.dtype == rb.bfloat16 for p in m.parameters())
    assert list(range(10))[rb.tensor(3, dtype=rb.int32)] == 3  # __index__


@pytest.mark.parametrize("name", NEW)
def test_indexing_and_joining(name):
    dt = rbd(name)
    a = np.arange(24).reshape(4, 6) % 100
    t = rb.tensor(a, dtype=dt)
    np.testing.assert_array_equal(np.array(t[1:3, ::2].tolist()), a[1:3, ::2])
    np.testing.assert_array_equal(np.array(t[rb.tensor([3, 0])].tolist()), a[[3, 0]])
    np.testing.assert_array_equal(np.array(t[t > 10].tolist()), a[a > 10])
    t[0] = 9
    t[:, 1] = rb.tensor([5, 5, 5, 5], dtype=dt)
    a[0] = 9
    a[:, 1] = 5
    np.testing.assert_array_equal(np.array(t.tolist()), a)
    np.testing.assert_array_equal(np.array(t.t().contiguous().tolist()), a.T)
    np.testing.assert_array_equal(np.array(rb.cat([t, t]).tolist()), np.concatenate([a, a]))
    np.testing.assert_array_equal(np.array(rb.stack([t, t], 1).tolist()), np.stack([a, a], 1))
    np.testing.assert_array_equal(np.array(t.flip(1).tolist()), a[:, ::-1])
    idx = rb.tensor([[0, 2], [1, 1], [3, 0], [5, 4]])
    np.testing.assert_array_equal(np.array(t.gather(1, idx).tolist()), np.take_along_axis(a, idx.numpy(), 1))
    np.testing.assert_array_equal(np.array(t.masked_fill(t > 10, 1).tolist()), np.where(a > 10, 1, a))
    np.testing.assert_array_equal(np.array(rb.where(t > 10, t, rb.zeros_like(t)).tolist()), np.where(a > 10, a, 0))
    assert rb.nonzero(t).shape[0] == np.count_nonzero(a)
    assert t.reshape(6, 4).dtype == dt and t.view(-1).shape == (24,)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32"])
def test_integer_math_wraps_as_numpy(name):
    info = np.iinfo(NP[name])
    rng = np.random.default_rng(1)
    a = rng.integers(info.min, info.max, 50, endpoint=True).astype(NP[name])
    b = rng.integers(info.min, info.max, 50, endpoint=True).astype(NP[name])
    ta, tb = rb.from_numpy(a.copy()), rb.from_numpy(b.copy())
    with np.errstate(over="ignore"):
        for op in ["__add__", "__sub__", "__mul__"]:
            got = getattr(ta, op)(tb)
            assert got.dtype == rbd(name)
            np.testing.assert_array_equal(got.numpy(), getattr(a, op)(b), err_msg=op)
        np.testing.assert_array_equal((ta & tb).numpy(), a & b)
        np.testing.assert_array_equal((~ta).numpy(), ~a)
        np.testing.assert_array_equal(rb.maximum(ta, tb).numpy(), np.maximum(a, b))
        for op in ["__lt__", "__eq__", "__ge__"]:
            np.testing.assert_array_equal(getattr(ta, op)(tb).numpy(), getattr(a, op)(b))
        np.testing.assert_array_equal((ta / 3).numpy(), (a.astype(np.float32) / np.float32(3)))
        np.testing.assert_array_equal(ta.abs().numpy(), np.abs(a))
        t = ta.clone()
        t += 100
        np.testing.assert_array_equal(t.numpy(), a + NP[name](100))
    assert ta.sum().dtype == rb.int64 and ta.sum().item() == int(a.astype(np.int64).sum())
    assert ta.max().item() == a.max() and ta.argmax().item() == int(a.argmax())


@pytest.mark.parametrize("name", ["float16", "bfloat16"])
def test_half_math_is_float32_rounded_once(name):
    dt = rbd(name)
    rng = np.random.default_rng(2)
    a = rng.standard_normal(64).astype(np.float32)
    b = rng.uniform(0.5, 2, 64).astype(np.float32)
    ta, tb = rb.from_numpy(a).to(dt), rb.from_numpy(b).to(dt)
    fa, fb = ta.float().numpy(), tb.float().numpy()  # the exact values held

    def rounded(v):
        return rb.from_numpy(np.asarray(v, np.float32)).to(dt).float().numpy()

    for op, ref in [(rb.add, np.add), (rb.sub, np.subtract), (rb.mul, np.multiply), (rb.div, np.divide)]:
        got = op(ta, tb)
        assert got.dtype == dt
        np.testing.assert_array_equal(got.float().numpy(), rounded(ref(fa, fb)))
    np.testing.assert_array_equal(rb.sqrt(tb).float().numpy(), rounded(np.sqrt(fb)))  # correctly rounded
    for fn, ref in [(rb.exp, np.exp), (rb.sin, np.sin), (rb.tanh, np.tanh)]:
        got = fn(tb)
        assert got.dtype == dt
        np.testing.assert_allclose(got.float().numpy(), ref(fb), rtol=1e-2 if name == "bfloat16" else 1e-3)
    np.testing.assert_array_equal((ta < tb).numpy(), fa < fb)
    np.testing.assert_array_equal(ta.clamp(-0.5, 0.5).float().numpy(), np.clip(fa, -0.5, 0.5))
    s = ta.sum()
    assert s.dtype == dt
    np.testing.assert_array_equal(s.float().numpy(), rounded(fa.sum(dtype=np.float32)))
    assert ta.mean().dtype == dt and ta.max().item() == fa.max()
    assert rb.softmax(ta, 0).dtype == dt


@needs_torch
@pytest.mark.parametrize("name", ["float16", "bfloat16"])
def test_half_elementwise_bit_exact_with_pytorch(name):
    rng = np.random.default_rng(3)
    a = rng.standard_normal(256).astype(np.float32)
    b = rng.uniform(0.25, 4, 256).astype(np.float32)
    ra, rb_ = rb.from_numpy(a).to(rbd(name)), rb.from_numpy(b).to(rbd(name))
    ta, tb = torch.from_numpy(a).to(tod(name)), torch.from_numpy(b).to(tod(name))
    for op in ["add", "sub", "mul", "div", "maximum"]:
        ours = getattr(rb, op)(ra, rb_).float().numpy()
        theirs = getattr(torch, op)(ta, tb).float().numpy()
        np.testing.assert_array_equal(ours, theirs, err_msg=op)
    np.testing.assert_array_equal((ra * 0.3 + 1).float().numpy(), (ta * 0.3 + 1).float().numpy())
    np.testing.assert_array_equal(rb.relu(ra).float().numpy(), torch.relu(ta).float().numpy())


def test_half_autograd_and_half_module():
    x = rb.tensor([0.5, -1.0, 2.0], dtype=rb.float16, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    assert x.grad.dtype == rb.float16 and x.grad.tolist() == [1.0, -2.0, 4.0]
    rb.manual_seed(0)
    model = rb.nn.Sequential(rb.nn.Linear(8, 16), rb.nn.ReLU(), rb.nn.Linear(16, 3))
    inp = rb.randn(5, 8)
    ref = model(inp)
    model.half()
    out = model(inp.half())
    assert out.dtype == rb.float16
    np.testing.assert_allclose(out.detach().float().numpy(), ref.detach().numpy(), atol=2e-2, rtol=2e-2)
    loss = out.float().pow(2).mean()
    loss.backward()
    assert all(p.grad is not None and p.grad.dtype == rb.float16 for p in model.parameters())


def test_storage_dtypes_without_a_kernel_raise_clearly():
    with pytest.raises(RuntimeError, match="Low precision dtypes not supported. Got Half"):
        rb.linalg.inv(rb.eye(3, dtype=rb.float16))


@needs_torch
@pytest.mark.parametrize("name", NEW)
def test_dlpack_with_pytorch(name):
    t = rb.arange(6, dtype=rbd(name))
    p = torch.from_dlpack(t)
    assert str(p.dtype) == f"torch.{name}" and p.tolist() == t.tolist()
    back = rb.from_dlpack(p)
    assert back.dtype == rbd(name) and back.data_ptr() == p.data_ptr()


@needs_torch
@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "float16", "bfloat16"])
def test_python_numbers_next_to_storage_dtypes_match_pytorch(name):
    """An integer wraps to the tensor's type first (uint8 < -1 compares with 255); a float stays float32."""
    vals = [0, 1, 100, 120] if name != "uint8" else [0, 1, 100, 200]
    a, t = rb.tensor(vals, dtype=rbd(name)), torch.tensor(vals, dtype=tod(name))
    for s in [-1, 300, 2.5, 0.1, 1000]:
        for op in ["__lt__", "__eq__", "__ge__", "__add__", "__sub__", "__mul__", "__truediv__"]:
            ours, theirs = getattr(a, op)(s), getattr(t, op)(s)
            assert str(ours.dtype).split(".")[1] == str(theirs.dtype).split(".")[1], (op, s)
            assert ours.tolist() == theirs.tolist(), (op, s)
