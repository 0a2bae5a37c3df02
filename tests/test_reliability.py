"""Inputs off the beaten path get PyTorch's answer or a clear exception, never a crash or a silent
wrong answer: writes through expanded views, shape products past int64, huge conv strides."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import requires_torch

OVERLAP = "more than one element of the written-to tensor refers to a single memory location"


@pytest.mark.parametrize("write", [lambda v: v.add_(1), lambda v: v.mul_(2), lambda v: v.copy_(rb.ones(2, 3)),
                                   lambda v: v.sqrt_(), lambda v: v.clamp_(0, 1), lambda v: v.masked_fill_(
                                       rb.ones(2, 3, dtype=rb.bool), 1.0)])
def test_in_place_writes_through_an_expanded_view_are_refused(write):
    b = rb.zeros(1, 3)
    with pytest.raises(RuntimeError, match=OVERLAP):
        write(b.expand(2, 3))
    assert b.tolist() == [[0.0, 0.0, 0.0]]  # the failed call changed nothing


def test_fill_through_an_expanded_view_writes_one_value():
    b = rb.zeros(1, 3)
    b.expand(2, 3).fill_(1.5)  # every element gets the same value: allowed, as in PyTorch
    assert b.tolist() == [[1.5, 1.5, 1.5]]


def test_shape_products_past_int64_raise():
    with pytest.raises(RuntimeError, match="overflow"):
        rb.zeros(0).view(2**32, 2**32)
    with pytest.raises(RuntimeError, match="overflow"):
        rb.zeros(0).reshape(2**40, 2**40, 0)
    assert rb.zeros(2**31, 2**31, 0).shape == (2**31, 2**31, 0)  # fits: an empty tensor


@requires_torch
@pytest.mark.parametrize("fname,stride", [("conv2d", 7), ("conv2d", 100000), ("conv2d", 2**32), ("conv3d", (7, 1, 1)),
                                          ("conv3d", (100000, 2, 3)), ("conv3d", (2**32, 2**32, 1))])
def test_conv_strides_past_the_input_match_pytorch(fname, stride):
    import torch
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 5, 6)), rng.standard_normal((4, 3, 3, 2))
    if fname == "conv3d":
        x, w = rng.standard_normal((2, 3, 4, 5, 6)), rng.standard_normal((4, 3, 2, 3, 2))
    res = []
    for lib in (rb, torch):
        xt, wt = lib.tensor(x, requires_grad=True), lib.tensor(w, requires_grad=True)
        y = getattr(lib.nn.functional, fname)(xt, wt, stride=stride, padding=1)
        y.square().sum().backward()
        res.append((y.detach().numpy(), xt.grad.numpy(), wt.grad.numpy()))
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_transposed_conv_output_size_overflow_raises():
    with pytest.raises(RuntimeError, match="overflows"):
        F.conv_transpose2d(rb.randn(1, 1, 3, 3), rb.randn(1, 1, 3, 3), stride=2**63 - 1)
    with pytest.raises(RuntimeError, match="overflows"):
        F.conv2d(rb.randn(1, 1, 5, 5), rb.randn(1, 1, 3, 3), dilation=2**62)


def test_conv3d_output_size_overflow_raises():
    with pytest.raises(RuntimeError, match="overflows"):
        F.conv_transpose3d(rb.randn(1, 1, 3, 3, 3), rb.randn(1, 1, 3, 3, 3), stride=(1, 2**63 - 1, 1))
    with pytest.raises(RuntimeError, match="overflows"):
        F.conv3d(rb.randn(1, 1, 5, 5, 5), rb.randn(1, 1, 3, 3, 3), dilation=(2**62, 1, 1))
    with pytest.raises(RuntimeError, match="overflows"):
        F.conv3d(rb.randn(1, 1, 5, 5, 5), rb.randn(1, 1, 3, 3, 3), padding=(2**62, 2**62, 0))


@pytest.mark.parametrize("call", [lambda t: t.size(0), lambda t: t.size(-1), lambda t: t.stride(0),
                                  lambda t: t.stride(-1)])
def test_size_and_stride_of_a_0d_tensor_raise(call):
    # read one past an empty shape (a segmentation fault) before; PyTorch raises IndexError
    with pytest.raises(IndexError, match="but tensor has no dimensions"):
        call(rb.tensor(1.0))
    assert rb.tensor(1.0).size() == () and rb.tensor(1.0).stride() == ()
