"""rb.empty_strided, Tensor.new_empty_strided and Tensor.new (PyTorch's legacy constructor: sizes, a Size, data,
a tensor, nothing): shapes, strides, dtypes, storage sharing, errors, and PyTorch parity."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


def test_empty_strided_lays_out_as_asked():
    t = rb.empty_strided((2, 3), (1, 2))
    assert t.shape == (2, 3) and t.stride() == (1, 2) and t.dtype == rb.float32 and not t.is_contiguous()
    t.copy_(rb.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(t.numpy(), np.arange(6.0).reshape(2, 3))
    assert rb.empty_strided([2, 3], [3, 1], dtype=rb.float64).dtype == rb.float64
    assert rb.empty_strided((2, 3), (3, 1), requires_grad=True).requires_grad
    assert rb.empty_strided((0, 3), (3, 1), layout=rb.strided).numel() == 0
    s = rb.empty_strided((2, 2), (0, 1))  # broadcast-like strides: 2 elements of storage
    assert s.stride() == (0, 1)


def test_new_empty_strided_takes_self_dtype_and_device():
    x = rb.zeros(1, dtype=rb.float64)
    t = x.new_empty_strided((2, 3), (1, 2))
    assert t.dtype == rb.float64 and t.stride() == (1, 2)
    assert x.new_empty_strided((2,), (1,), dtype=rb.int64).dtype == rb.int64
    assert x.new_empty_strided((2,), (1,), requires_grad=True).requires_grad


@pytest.mark.parametrize("call, exc, msg", [
    (lambda: rb.empty_strided((2, 3), (1,)), RuntimeError,
     r"dimensionality of sizes \(2\) must match dimensionality of strides \(1\)"),
    (lambda: rb.empty_strided((2, 3), (-1, 2)), RuntimeError, "Storage size calculation overflowed"),
    (lambda: rb.empty_strided((2, -3), (1, 2)), RuntimeError, "negative dimension -3"),
    (lambda: rb.empty_strided((2, 3), (1, 2), pin_memory=True), RuntimeError, "pin_memory=True requires"),
    (lambda: rb.zeros(2).new(2.5), TypeError, r"new\(\): data must be a sequence \(got float\)"),
    (lambda: rb.zeros(2).new("ab"), TypeError, r"new\(\): invalid data type 'str'"),
    (lambda: rb.zeros(2).new(2, 3.0), TypeError, "size"),
    (lambda: rb.zeros(2).new(rb.zeros(2, dtype=rb.float64)), TypeError, "expected"),
    (lambda: rb.zeros(2).new(3, dtype=rb.float64), TypeError, "dtype"),
    (lambda: rb.zeros(2).new(-1), RuntimeError, "negative dimension"),
])
def test_errors_are_torchs(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


def test_new_forms():
    x = rb.zeros(2, 2)
    assert x.new().shape == (0,) and x.new().dtype == rb.float32
    assert x.new(2, 3).shape == (2, 3) and x.new(rb.Size([4, 1])).shape == (4, 1) and x.new(5).shape == (5,)
    np.testing.assert_array_equal(x.new((2, 3)).numpy(), [2.0, 3.0])  # a tuple is data, as torch's
    np.testing.assert_array_equal(x.new([1.5, 2]).numpy(), [1.5, 2.0])
    np.testing.assert_array_equal(rb.tensor([1, 2]).new([1.7]).numpy(), [1])
    np.testing.assert_array_equal(x.new(np.array([1, 2])).numpy(), [1.0, 2.0])
    assert x.new(2, device="cpu").shape == (2,)
    a = rb.tensor([1.0, 2.0], requires_grad=True)
    v = a.new(a)  # a view of a, as torch's alias
    assert v.data_ptr() == a.data_ptr() and v.requires_grad
    v.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [1.0, 1.0])


@requires_torch
def test_matches_torch():
    for L in (rb, torch):
        x = L.zeros(2, 2)
        got = [tuple(x.new().shape), tuple(x.new(2, 3).shape), x.new((2, 3)).tolist(), x.new([1.5, 2]).tolist(),
               L.tensor([1, 2]).new([1.7]).tolist(), tuple(x.new(L.Size([4, 1])).shape),
               L.empty_strided((2, 3), (1, 2)).stride(), x.new_empty_strided((3,), (2,)).stride(),
               str(x.new([1]).dtype).split(".")[1]]
        if L is rb:
            mine = got
    assert mine == got
