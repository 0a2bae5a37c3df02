"""Tensor.view(dtype): the same bytes read as another dtype, sharing storage. Checked bit for bit against
numpy's view and PyTorch's, with PyTorch's shapes, strides, offsets and error messages."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch as needs_torch
from conftest import torch

ALL = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]
NP = {"bool": np.bool_, "uint8": np.uint8, "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
      "float16": np.float16, "float32": np.float32, "float64": np.float64, "bfloat16": np.uint16}


def bits(t):
    """A tensor's bytes as uint8, through a view (no conversion), so NaN payloads and bfloat16 compare exactly."""
    return np.ascontiguousarray(t.contiguous().view(rb.uint8).numpy())


@pytest.mark.parametrize("src", ALL)
@pytest.mark.parametrize("dst", ALL)
def test_bytes_are_reinterpreted_as_numpy_does(src, dst):
    raw = np.random.default_rng(0).integers(0, 256, size=(3, 64), dtype=np.uint8)
    if src == "bool" or dst == "bool":
        raw &= 1
    x = rb.from_numpy(raw.copy()).view(getattr(rb, src))
    assert x.dtype == getattr(rb, src)
    y = x.view(getattr(rb, dst))
    ref = raw.view(NP[dst])
    assert tuple(y.shape) == ref.shape and y.dtype == getattr(rb, dst)
    np.testing.assert_array_equal(bits(y), raw)
    if dst != "bfloat16":
        np.testing.assert_array_equal(y.numpy().view(np.uint8), raw)


def test_shares_memory_both_ways():
    x = rb.zeros(2, 4)
    i = x.view(rb.int32)
    i[0, 1] = 0x3F800000  # the bits of 1.0
    assert x[0, 1].item() == 1.0
    x[1, 2] = -2.0
    assert i[1, 2].item() == np.float32(-2.0).view(np.int32)
    b = x.view(rb.uint8)
    assert tuple(b.shape) == (2, 16)
    b[0, 0:4] = 0
    assert x[0, 0].item() == 0.0


def test_dtype_keyword_and_same_dtype_is_a_new_alias():
    x = rb.arange(6.0).reshape(2, 3)
    y = x.view(dtype=rb.float32)
    assert y is not x and tuple(y.shape) == (2, 3)
    y[0, 0] = 7.0
    assert x[0, 0].item() == 7.0
    assert tuple(x.view(2, 3).shape) == (2, 3) and tuple(x.view(-1).shape) == (6,)


def test_not_differentiable_as_pytorch():
    w = rb.randn(3, 4, requires_grad=True)
    for dt in (rb.float32, rb.float16, rb.int32, rb.float64):
        v = w.view(dt)
        assert not v.requires_grad and v.grad_fn is None
    h = (w * 2).view(rb.float32)
    assert not h.requires_grad and h.grad_fn is None


@needs_torch
@pytest.mark.parametrize("case", [
    lambda t: t, lambda t: t[1:], lambda t: t[:, 2:6], lambda t: t[::2], lambda t: t.reshape(6, 4)[:, :2],
    lambda t: t[None].expand(2, 3, 8), lambda t: t[:, :0],
])
@pytest.mark.parametrize("src, dst", [("float32", "int16"), ("float32", "float64"), ("int8", "int64"),
                                      ("float64", "uint8"), ("int16", "bfloat16"), ("bool", "int32"),
                                      ("float16", "float32")])
def test_layouts_match_pytorch(case, src, dst):
    raw = np.random.default_rng(1).integers(0, 2, size=(3, 8)).astype(NP[src] if src != "bfloat16" else np.float32)
    a = case(rb.from_numpy(raw.copy()).to(getattr(rb, src)))
    b = case(torch.from_numpy(raw.copy()).to(getattr(torch, src)))
    try:
        want = b.view(getattr(torch, dst))
    except RuntimeError as e:
        with pytest.raises(RuntimeError) as got:
            a.view(getattr(rb, dst))
        assert str(got.value) == str(e)
        return
    got = a.view(getattr(rb, dst))
    assert tuple(got.shape) == tuple(want.shape)
    assert tuple(got.stride()) == tuple(want.stride())
    assert got.storage_offset() == want.storage_offset()
    np.testing.assert_array_equal(bits(got), want.contiguous().view(torch.uint8).numpy())


@needs_torch
@pytest.mark.parametrize("make, dst", [
    (lambda m: m.tensor(1.0), "int16"),
    (lambda m: m.arange(12.0).reshape(3, 4).t(), "int16"),
    (lambda m: m.arange(12.0).reshape(3, 4).t(), "float64"),
    (lambda m: m.arange(12.0).reshape(3, 4)[:, 1:], "float64"),
    (lambda m: m.arange(12.0).reshape(3, 4)[1:2, 1:3], "float64"),
    (lambda m: m.arange(12.0).reshape(3, 4)[:, ::2], "int8"),
    (lambda m: m.arange(12.0).reshape(3, 4)[::3, ::2].t(), "float64"),
    (lambda m: m.arange(9.0).reshape(3, 3)[:, :2], "float64"),
])
def test_errors_word_for_word(make, dst):
    with pytest.raises(RuntimeError) as want:
        make(torch).view(getattr(torch, dst))
    with pytest.raises(RuntimeError) as got:
        make(rb).view(getattr(rb, dst))
    assert str(got.value) == str(want.value)


def test_zero_dim_same_size_and_failed_call_changes_nothing():
    x = rb.tensor(1.0)
    assert x.view(rb.int32).item() == 0x3F800000
    with pytest.raises(RuntimeError, match="self.dim\\(\\) cannot be 0 to view Float as Short"):
        x.view(rb.int16)
    assert x.item() == 1.0 and x.dtype == rb.float32
