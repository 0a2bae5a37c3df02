"""nn.init: bounds and statistics of every initializer, torch's gains and fans, errors, and that
initializers run under no_grad on parameters."""
import math

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn as nn
from rosenblatt.nn import init


def arr(t):
    return t.detach().numpy()


def big(*shape, dtype=None):
    return nn.Parameter(rb.empty(*shape) if dtype is None else rb.empty(*shape, dtype=dtype))


def test_calculate_gain_matches_torch():
    torch = pytest.importorskip("torch")
    for name, param in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)]:
        assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_uniform_bounds_and_moments():
    t = big(400, 500)
    out = init.uniform_(t, -2.0, 3.0)
    assert out is t and t.requires_grad and t.grad_fn is None
    a = arr(t)
    assert a.min() >= -2.0 and a.max() < 3.0
    assert a.min() < -1.99 and a.max() > 2.99  # covers the range
    assert abs(a.mean() - 0.5) < 0.02
    assert abs(a.std() - 5 / math.sqrt(12)) < 0.02
    d = init.uniform_(rb.empty(1000, dtype=rb.float64))
    assert d.dtype == rb.float64 and 0.0 <= arr(d).min() and arr(d).max() < 1.0


def test_normal_moments():
    t = init.normal_(big(400, 500), mean=1.5, std=0.5)
    a = arr(t)
    assert abs(a.mean() - 1.5) < 0.01 and abs(a.std() - 0.5) < 0.01
    # about 4.6% of a normal's mass lies beyond 2 sigma
    assert 0.04 < np.mean(np.abs(a - 1.5) > 1.0) < 0.052


def test_trunc_normal_stays_in_bounds():
    a = arr(init.trunc_normal_(big(100, 100), mean=0.0, std=1.0, a=-0.5, b=1.0))
    assert a.min() >= -0.5 and a.max() <= 1.0 and a.std() > 0.3


def test_constant_ones_zeros_eye():
    t = big(3, 4)
    assert arr(init.constant_(t, 0.25)).tolist() == [[0.25] * 4] * 3
    assert arr(init.ones_(t)).tolist() == [[1.0] * 4] * 3
    assert arr(init.zeros_(t)).tolist() == [[0.0] * 4] * 3
    assert np.array_equal(arr(init.eye_(t)), np.eye(3, 4, dtype=np.float32))
    assert t.requires_grad and t.grad_fn is None
    with pytest.raises(ValueError, match="2 dimensions"):
        init.eye_(rb.empty(3))


def test_xavier_uniform_and_normal():
    t = big(300, 500)  # fan_out 300, fan_in 500
    bound = 2.0 * math.sqrt(6 / 800)
    a = arr(init.xavier_uniform_(t, gain=2.0))
    assert np.abs(a).max() <= bound and np.abs(a).max() > 0.99 * bound
    assert abs(a.std() - bound / math.sqrt(3)) < 0.01 * bound
    b = arr(init.xavier_normal_(t))
    assert abs(b.std() - math.sqrt(2 / 800)) < 0.01 * math.sqrt(2 / 800) * 3
    assert abs(b.mean()) < 0.001


def test_kaiming_uniform_modes():
    t = big(200, 800)
    bound_in = math.sqrt(2) * math.sqrt(3 / 800)
    a = arr(init.kaiming_uniform_(t, mode="fan_in", nonlinearity="relu"))
    assert np.abs(a).max() <= bound_in and np.abs(a).max() > 0.99 * bound_in
    bound_out = math.sqrt(2) * math.sqrt(3 / 200)
    b = arr(init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"))
    assert np.abs(b).max() <= bound_out and np.abs(b).max() > 0.99 * bound_out
    # torch's Linear default: a = sqrt(5) gives bound 1/sqrt(fan_in)
    c = arr(init.kaiming_uniform_(t, a=math.sqrt(5)))
    assert np.abs(c).max() <= 1 / math.sqrt(800) and np.abs(c).max() > 0.99 / math.sqrt(800)


def test_kaiming_normal_std_and_conv_fans():
    t = big(400, 500)
    a = arr(init.kaiming_normal_(t, nonlinearity="relu"))
    assert abs(a.std() - math.sqrt(2 / 500)) < 0.02 * math.sqrt(2 / 500)
    w = big(64, 16, 3, 3)  # conv weight: fan_in = 16*9, fan_out = 64*9
    assert init._calculate_fan_in_and_fan_out(w) == (144, 576)
    b = arr(init.kaiming_normal_(w, mode="fan_out", nonlinearity="linear"))
    assert abs(b.std() - 1 / math.sqrt(576)) < 0.05 / math.sqrt(576)


def test_init_errors():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(rb.empty(5))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(rb.empty(3, 3), mode="fan_avg")
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_normal_(rb.empty(0, 3))


def test_init_on_parameter_inside_graph_mode():
    # in-place writes to a leaf that requires grad only work because init runs under no_grad
    lin = nn.Linear(4, 3)
    assert rb.is_grad_enabled()
    init.normal_(lin.weight)
    init.constant_(lin.bias, 0.1)
    assert lin.weight.is_leaf and lin.weight.grad_fn is None and rb.is_grad_enabled()
    lin(rb.ones(2, 4)).sum().backward()
    assert arr(lin.bias.grad).tolist() == [2.0, 2.0, 2.0]


@pytest.mark.skipif(not hasattr(rb, "Generator"), reason="rb.Generator comes with the core-misc branch")
def test_generator_and_manual_seed_make_init_reproducible():
    g1, g2 = rb.Generator().manual_seed(7), rb.Generator().manual_seed(7)
    a = arr(init.kaiming_uniform_(big(5, 6), generator=g1)).copy()
    b = arr(init.kaiming_uniform_(big(5, 6), generator=g2)).copy()
    assert np.array_equal(a, b) and np.abs(a).max() > 0
    c = arr(init.xavier_normal_(big(5, 6), generator=g1)).copy()
    assert not np.array_equal(c, arr(init.xavier_normal_(big(5, 6), generator=rb.Generator().manual_seed(8))))
    t1 = arr(init.trunc_normal_(big(50), a=-1.0, b=1.0, generator=rb.Generator().manual_seed(1))).copy()
    t2 = arr(init.trunc_normal_(big(50), a=-1.0, b=1.0, generator=rb.Generator().manual_seed(1))).copy()
    assert np.array_equal(t1, t2) and np.abs(t1).max() <= 1.0
    rb.manual_seed(3)
    w1 = arr(nn.Linear(4, 3).weight).copy()
    rb.manual_seed(3)
    w2 = arr(nn.Linear(4, 3).weight).copy()
    assert np.array_equal(w1, w2)


@pytest.mark.parametrize("shape", [(3, 5), (7, 3), (4, 4), (6, 2, 2)])
def test_orthogonal_rows_or_columns_are_orthonormal_times_gain(shape):
    w = arr(init.orthogonal_(big(*shape), gain=2.0, generator=rb.Generator().manual_seed(0))).reshape(shape[0], -1)
    rows, cols = w.shape
    gram = w @ w.T if rows <= cols else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-5)
    again = arr(init.orthogonal_(big(*shape), gain=2.0, generator=rb.Generator().manual_seed(0)))
    assert np.array_equal(again.reshape(rows, -1), w)


def test_orthogonal_errors_and_empty():
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        init.orthogonal_(rb.empty(5))
    e = rb.empty(0, 3)
    assert init.orthogonal_(e) is e
