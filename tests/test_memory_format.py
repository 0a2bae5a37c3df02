"""torch's memory_format=, layout= and pin_memory= arguments: rb.contiguous_format, rb.preserve_format,
rb.channels_last(_3d) and rb.strided exist; the factories and their _like forms, Tensor.contiguous, clone and
is_contiguous take them with torch's defaults, lay tensors out with torch's strides (channels-last too) and raise
torch's errors for what cannot be honoured."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


def test_objects_are_named_as_torchs():
    assert repr(rb.contiguous_format) == "rosenblatt.contiguous_format" and str(rb.strided) == "rosenblatt.strided"
    assert isinstance(rb.channels_last, rb.memory_format) and isinstance(rb.strided, rb.layout)
    assert rb.preserve_format != rb.contiguous_format


def test_channels_last_strides_and_values():
    assert rb.empty(1, 2, 3, 4, memory_format=rb.channels_last).stride() == (24, 1, 8, 2)
    assert rb.empty(2, 3, 4, 5, 6, memory_format=rb.channels_last_3d).stride() == (360, 1, 90, 18, 3)
    x = rb.randn(2, 3, 4, 5)
    y = x.contiguous(memory_format=rb.channels_last)
    assert y.stride() == (60, 1, 15, 3) and not y.is_contiguous()
    assert y.is_contiguous(memory_format=rb.channels_last) and not x.is_contiguous(memory_format=rb.channels_last)
    assert y.contiguous(memory_format=rb.channels_last).data_ptr() == y.data_ptr()  # no copy
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    np.testing.assert_array_equal(rb.nn.functional.conv2d(y, rb.ones(2, 3, 1, 1)).numpy(),
                                  rb.nn.functional.conv2d(x, rb.ones(2, 3, 1, 1)).numpy())
    assert y.contiguous().is_contiguous() and y.contiguous().stride() == (60, 20, 5, 1)


def test_preserve_format_keeps_dense_strides():
    t = rb.randn(2, 3).t()
    for f in (rb.empty_like, rb.zeros_like, rb.ones_like, rb.rand_like, rb.randn_like):
        assert f(t).stride() == (1, 3)
        assert f(t, memory_format=rb.contiguous_format).stride() == (2, 1)
    assert rb.full_like(t, 2.0).stride() == (1, 3)
    assert t.clone().stride() == (1, 3) and rb.clone(t, memory_format=rb.contiguous_format).stride() == (2, 1)
    np.testing.assert_array_equal(t.clone().numpy(), t.numpy())
    sliced = rb.randn(2, 3, 4, 5)[:, :, ::2]  # not dense: contiguous
    assert sliced.clone().stride() == (30, 10, 5, 1) and rb.zeros_like(sliced).stride() == (30, 10, 5, 1)
    cl = rb.randn(2, 3, 4, 5).contiguous(memory_format=rb.channels_last)
    assert rb.empty_like(cl).stride() == (60, 1, 15, 3) and cl.clone().stride() == (60, 1, 15, 3)


def test_clone_and_contiguous_formats_pass_gradients():
    a = rb.randn(2, 3, 4, 5, requires_grad=True)
    w = rb.arange(120.0).reshape(2, 3, 4, 5)
    (a.contiguous(memory_format=rb.channels_last) * w).sum().backward()
    (a.clone(memory_format=rb.channels_last) * w).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), 2 * w.numpy())


def test_factories_take_layout_and_pin_memory():
    for t in (rb.zeros(2, 3, layout=rb.strided, pin_memory=False), rb.ones(2, 3, layout=None),
              rb.full((2, 3), 1.0, layout=rb.strided), rb.rand(2, 3, layout=rb.strided, pin_memory=False),
              rb.randn(2, 3, pin_memory=False), rb.empty(2, 3, layout=rb.strided, memory_format=rb.contiguous_format),
              rb.zeros_like(rb.zeros(2, 3), layout=rb.strided, pin_memory=False), rb.tensor([[1.0] * 3] * 2,
                                                                                             pin_memory=False)):
        assert t.shape == (2, 3) and t.is_contiguous()
    assert rb.empty(2, 3, memory_format=None).stride() == (3, 1)
    # the ranges, eye, the random factories, tril_indices and scalar_tensor take them too, as torch's
    kw = {"layout": rb.strided, "pin_memory": False}
    made = (rb.arange(6, **kw), rb.linspace(0, 1, 6, **kw), rb.logspace(0, 1, 6, **kw), rb.eye(6, 1, **kw)[:, 0],
            rb.randint(5, (6,), **kw), rb.randperm(6, **kw), rb.normal(0.0, 1.0, (6,), **kw),
            rb.randint_like(rb.zeros(6), 5, **kw), rb.scalar_tensor(1.0, **kw).expand(6))
    assert all(t.shape == (6,) for t in made)
    assert rb.tril_indices(3, 3, layout=rb.strided, pin_memory=False).shape == (2, 6)
    assert rb.randint_like(rb.empty(1, 2, 3, 4, memory_format=rb.channels_last), 5).stride() == (24, 1, 8, 2)
    assert rb.randint_like(rb.zeros(2, 3).t(), 5, memory_format=rb.contiguous_format).is_contiguous()
    for make in (lambda: rb.arange(3, pin_memory=True), lambda: rb.linspace(0, 1, 3, pin_memory=True),
                 lambda: rb.logspace(0, 1, 3, pin_memory=True), lambda: rb.eye(3, pin_memory=True),
                 lambda: rb.randint(5, (3,), pin_memory=True), lambda: rb.randperm(3, pin_memory=True),
                 lambda: rb.tril_indices(3, 3, pin_memory=True), lambda: rb.scalar_tensor(1, pin_memory=True)):
        with pytest.raises(RuntimeError, match="pin_memory=True requires a CUDA"):
            make()


@pytest.mark.parametrize("call, exc, msg", [
    (lambda: rb.empty(2, 3, memory_format=rb.channels_last), RuntimeError,
     "required rank 4 tensor to use channels_last format"),
    (lambda: rb.empty(2, 3, memory_format=rb.channels_last_3d), RuntimeError,
     "required rank 5 tensor to use channels_last_3d format"),
    (lambda: rb.empty(2, 3, 4, 5, memory_format=rb.preserve_format), RuntimeError,
     "unsupported memory format Preserve"),
    (lambda: rb.randn(2, 3).contiguous(memory_format=rb.preserve_format), RuntimeError,
     "preserve memory format is unsupported by the contiguous operator"),
    (lambda: rb.randn(2, 3).clone(memory_format=rb.channels_last), RuntimeError, "required rank 4"),
    (lambda: rb.zeros_like(rb.randn(2, 3), memory_format=rb.channels_last), RuntimeError, "required rank 4"),
    (lambda: rb.empty(2, 3, pin_memory=True), RuntimeError, "pin_memory=True requires a CUDA"),
    (lambda: rb.tensor([1.0], pin_memory=True), RuntimeError, "pin_memory=True requires a CUDA"),
    (lambda: rb.empty(2, 3, memory_format=5), TypeError, "memory_format"),
    (lambda: rb.zeros(2, 3, layout=3), TypeError, "layout"),
    (lambda: rb.zeros(2, 3, memory_format=rb.contiguous_format), TypeError, "zeros"),  # torch.zeros has none either
])
def test_errors_are_torchs(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


@requires_torch
def test_strides_match_torch():
    a = np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype(np.float32)
    for L in (rb, torch):
        x = L.tensor(a)
        got = [x.contiguous(memory_format=L.channels_last).stride(),
               L.empty_like(x.contiguous(memory_format=L.channels_last)).stride(),
               L.zeros_like(x, memory_format=L.channels_last).stride(), x.transpose(1, 3).clone().stride(),
               L.ones_like(x[:, :, ::2]).stride(), L.empty(2, 0, 3, 4, memory_format=L.channels_last).stride(),
               x.contiguous(memory_format=L.channels_last).is_contiguous(),
               x[:, :1].contiguous(memory_format=L.channels_last).is_contiguous()]
        if L is rb:
            mine = got
    assert mine == got
