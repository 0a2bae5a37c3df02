"""The math functions (sin ... erfinv, atan2, fmod, lerp) beyond their op_specs entries: PyTorch's
dtype rules, the in-place and Tensor-method forms, the edges of erfinv, integer fmod."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch

NAMES = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log1p", "expm1",
         "log2", "log10", "exp2", "erf", "erfc", "erfinv", "rsqrt", "frac"]


@requires_torch
@pytest.mark.parametrize("name", NAMES)
def test_values_dtypes_and_forms_match_pytorch(name):
    import torch
    x = np.array([-0.75, -0.2, 0.0, 0.3, 0.9, 1.5, 2.5], np.float32)
    ints = np.array([0, 1, 2, 3])
    r, t = getattr(rb, name)(rb.tensor(x)), getattr(torch, name)(torch.tensor(x))
    np.testing.assert_allclose(r.numpy(), t.numpy(), rtol=2e-6, atol=1e-7, equal_nan=True)
    if name == "frac":  # not defined on integers, in both
        for lib in (rb, torch):
            with pytest.raises(NotImplementedError, match="frac_cpu.*Long"):
                lib.frac(lib.tensor(ints))
    else:
        ri, ti = getattr(rb, name)(rb.tensor(ints)), getattr(torch, name)(torch.tensor(ints))
        assert ri.dtype == rb.float32 and ti.dtype == torch.float32
        np.testing.assert_allclose(ri.numpy(), ti.numpy(), rtol=2e-6, equal_nan=True)
    m = rb.tensor(x.astype(np.float64))
    np.testing.assert_allclose(getattr(m, name)().numpy(), getattr(torch.tensor(x.astype(np.float64)), name)().numpy(),
                               rtol=1e-14, atol=1e-15, equal_nan=True)
    before = m.numpy().copy()
    out = getattr(m, name + "_")()
    assert out is m
    np.testing.assert_allclose(m.numpy(), getattr(torch, name)(torch.tensor(before)).numpy(), rtol=1e-14, atol=1e-15,
                               equal_nan=True)


def test_atan2_gradient_at_signed_zeros_is_atens():
    """ATen's atan2_backward: g * b * recip and g * -a * recip with recip = 1 / (a^2 + b^2), 0 where that is 0: a
    signed 0 at 0/0 (and where the squares underflow), not nan, with the zeros' signs of its order of operations."""
    a = [0.0, 0.0, -0.0, -0.0, 0.0, 1e-200, -0.0, 1.0]
    b = [0.0, -0.0, 0.0, -0.0, 0.0, -1e-200, 2.0, -0.0]
    g = [1.0, 1.0, 1.0, -1.0, -0.0, 1.0, 1.0, 1.0]
    # expected (ATen's): ga = g * b * recip, gb = g * -a * recip
    want_ga = [0.0, -0.0, 0.0, 0.0, -0.0, -0.0, 0.5, -0.0]
    want_gb = [-0.0, -0.0, 0.0, -0.0, 0.0, -0.0, 0.0, -1.0]
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        x, y = L.tensor(a, dtype=L.float64, requires_grad=True), L.tensor(b, dtype=L.float64, requires_grad=True)
        L.atan2(x, y).backward(L.tensor(g, dtype=L.float64))
        for got, want in ((x.grad.numpy(), want_ga), (y.grad.numpy(), want_gb)):
            np.testing.assert_array_equal(got, want)
            np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    x = rb.tensor([0.3, -1.2, 2.0], dtype=rb.float64, requires_grad=True)
    y = rb.tensor([[0.5], [-0.7]], dtype=rb.float64, requires_grad=True)
    assert rb.autograd.gradcheck(rb.atan2, (x, y)) and rb.autograd.gradgradcheck(rb.atan2, (x, y))


def test_erfinv_edges():
    y = rb.erfinv(rb.tensor([-1.0, 1.0, 1.5, 0.0]))
    assert y.numpy()[0] == -np.inf and y.numpy()[1] == np.inf and np.isnan(y.numpy()[2]) and y.numpy()[3] == 0
    z = rb.tensor(np.linspace(-0.999, 0.999, 101))
    np.testing.assert_allclose(rb.erf(rb.erfinv(z)).numpy(), z.numpy(), rtol=1e-13, atol=1e-15)


@requires_torch
def test_fmod_atan2_lerp_match_pytorch():
    import torch
    a, b = np.array([-7, 7, 5, -3]), np.array([3, -3, 2, 2])
    assert rb.fmod(rb.tensor(a), rb.tensor(b)).tolist() == torch.fmod(torch.tensor(a), torch.tensor(b)).tolist()
    assert rb.fmod(rb.tensor(a), 4).tolist() == torch.fmod(torch.tensor(a), 4).tolist()
    with pytest.raises(RuntimeError):
        rb.fmod(rb.tensor(a), rb.tensor([1, 0, 1, 1]))
    x, y = np.array([1.0, -1.0, 0.0, -0.0]), np.array([-1.0, -1.0, -1.0, -1.0])
    np.testing.assert_array_equal(rb.atan2(rb.tensor(x), rb.tensor(y)).numpy(),
                                  torch.atan2(torch.tensor(x), torch.tensor(y)).numpy())
    s, e, w = np.array([1.0, 2.0, 3.0]), np.array([5.0, -2.0, 3.5]), np.array([0.0, 0.6, 1.0])
    np.testing.assert_array_equal(rb.lerp(rb.tensor(s), rb.tensor(e), rb.tensor(w)).numpy(),
                                  torch.lerp(torch.tensor(s), torch.tensor(e), torch.tensor(w)).numpy())
    t = rb.tensor(s)
    assert t.lerp_(rb.tensor(e), 0.25) is t
    np.testing.assert_allclose(t.numpy(), s + 0.25 * (e - s))
