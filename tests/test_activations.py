"""Activations, dropout and linear beyond the op_specs battery: dropout statistics and edge cases,
the perceptron's step, in-place semantics, stability at extreme inputs, and error messages."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch
from op_specs import F

nnF = F(rb)


def t(a):
    return rb.tensor(np.asarray(a))


# --- dropout -----------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_dropout_statistics(p):
    n = 200_000
    x = rb.tensor(np.ones(n, np.float32))
    y = nnF.dropout(x, p, True).numpy()
    zero_frac = (y == 0).mean()
    assert abs(zero_frac - p) < 0.01, zero_frac
    kept = y[y != 0]
    np.testing.assert_allclose(kept, 1.0 / (1.0 - p), rtol=1e-6)  # inverted dropout scale
    assert abs(y.mean() - 1.0) < 0.02  # the expectation is preserved


def test_dropout_masks_differ_between_calls():
    x = rb.tensor(np.ones(1000, np.float32))
    a, b = nnF.dropout(x, 0.5, True).numpy(), nnF.dropout(x, 0.5, True).numpy()
    assert (a != b).any()


def test_dropout_gradient_is_the_mask():
    x = rb.tensor(np.random.default_rng(0).uniform(1, 2, size=(50, 40)).astype(np.float32)).requires_grad_(True)
    y = nnF.dropout(x, 0.4, True)
    y.sum().backward()
    scale = 1.0 / 0.6
    kept = y.detach().numpy() != 0
    np.testing.assert_allclose(x.grad.numpy(), np.where(kept, scale, 0.0), rtol=1e-6)
    np.testing.assert_allclose(y.detach().numpy(), np.where(kept, x.detach().numpy() * scale, 0.0), rtol=1e-6)


def test_dropout_eval_is_identity():
    a = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32)
    x = rb.tensor(a)
    np.testing.assert_array_equal(nnF.dropout(x, 0.5, False).numpy(), a)
    np.testing.assert_array_equal(nnF.dropout(x, 0.0, True).numpy(), a)


@requires_torch
def test_dropout_p1_zeros_with_zero_gradient_as_torch():
    import torch

    a = np.random.default_rng(2).normal(size=(3, 4)).astype(np.float32)
    x = rb.tensor(a).requires_grad_(True)
    y = nnF.dropout(x, 1.0, True)
    y.sum().backward()
    xt = torch.tensor(a, requires_grad=True)
    yt = torch.nn.functional.dropout(xt, 1.0, True)
    yt.sum().backward()
    np.testing.assert_array_equal(y.detach().numpy(), yt.detach().numpy())
    np.testing.assert_array_equal(x.grad.numpy(), xt.grad.numpy())
    assert not y.detach().numpy().any()


@pytest.mark.parametrize("p", [1.5, -0.1])
def test_dropout_probability_out_of_range_raises(p):
    with pytest.raises(ValueError, match=f"dropout probability has to be between 0 and 1, but got {p}"):
        nnF.dropout(rb.tensor(np.ones(3, np.float32)), p, True)


def test_dropout_follows_a_generator_when_one_is_bound():
    if not hasattr(rb, "Generator"):
        pytest.skip("rb.Generator is bound by the core-misc branch")
    x = rb.tensor(np.ones(500, np.float32))
    g1, g2 = rb.Generator(), rb.Generator()
    g1.manual_seed(7)
    g2.manual_seed(7)
    a = nnF.dropout(x, 0.5, True, generator=g1).numpy()
    b = nnF.dropout(x, 0.5, True, generator=g2).numpy()
    np.testing.assert_array_equal(a, b)
    assert (a != nnF.dropout(x, 0.5, True, generator=g1).numpy()).any()


# --- heaviside step ----------------------------------------------------------------------------

def test_heaviside_step_values_dtype_and_zero_gradient():
    a = np.array([-2.0, -1e-7, 0.0, 1e-7, 3.0], np.float64)
    x = rb.tensor(a).requires_grad_(True)
    y = nnF.heaviside_step(x)
    assert y.dtype == rb.float64
    np.testing.assert_array_equal(y.detach().numpy(), [0.0, 0.0, 1.0, 1.0, 1.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(5))
    y32 = nnF.heaviside_step(rb.tensor(a.astype(np.float32)))
    assert y32.dtype == rb.float32


# --- in-place forms ------------------------------------------------------------------------------

# sigmoid_ and tanh_ live at top level (torch.sigmoid_), the others in nn.functional (F.relu_).
@pytest.mark.parametrize("fn,args,ref", [
    (lambda: nnF.relu_, (), lambda a: np.maximum(a, 0)),
    (lambda: rb.sigmoid_, (), lambda a: 1 / (1 + np.exp(-a))),
    (lambda: rb.tanh_, (), np.tanh),
    (lambda: nnF.leaky_relu_, (0.3,), lambda a: np.where(a > 0, a, 0.3 * a)),
    (lambda: nnF.elu_, (0.7,), lambda a: np.where(a > 0, a, 0.7 * np.expm1(a))),
], ids=["relu_", "sigmoid_", "tanh_", "leaky_relu_", "elu_"])
def test_inplace_writes_through_and_returns_self(fn, args, ref):
    a = np.random.default_rng(3).normal(size=(3, 4)).astype(np.float32)
    x = rb.tensor(a)
    v0 = x._version if hasattr(x, "_version") else None
    r = fn()(x, *args)
    assert r is x
    np.testing.assert_allclose(x.numpy(), ref(a), rtol=1e-6, atol=1e-7)
    if v0 is not None:
        assert x._version > v0


def test_inplace_on_leaf_requiring_grad_raises():
    x = rb.tensor(np.ones(3, np.float32)).requires_grad_(True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        nnF.relu_(x)


def test_tensor_inplace_methods():
    a = np.array([-1.0, 0.5, 2.0], np.float32)
    x = rb.tensor(a)
    assert x.relu_() is x
    np.testing.assert_array_equal(x.numpy(), [0.0, 0.5, 2.0])
    assert rb.sigmoid_(x) is x
    np.testing.assert_allclose(x.numpy(), 1 / (1 + np.exp(-np.array([0.0, 0.5, 2.0]))), rtol=1e-6)


def test_saved_output_modified_in_place_makes_backward_raise():
    x = rb.tensor(np.ones(3, np.float32)).requires_grad_(True)
    y = rb.sigmoid(x)
    nnF.relu_(y)  # sigmoid saved its output, which relu_ overwrote
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# --- stability and dtypes ------------------------------------------------------------------------

def test_sigmoid_tanh_softmax_at_extremes_are_finite():
    a = np.array([[-1000.0, 0.0, 1000.0]], np.float32)
    x = rb.tensor(a)
    np.testing.assert_array_equal(rb.sigmoid(x).numpy(), [[0.0, 0.5, 1.0]])
    np.testing.assert_array_equal(rb.tanh(x).numpy(), [[-1.0, 0.0, 1.0]])
    np.testing.assert_allclose(rb.softmax(x, -1).numpy(), [[0.0, 0.0, 1.0]])
    ls = rb.log_softmax(x, 1).numpy()
    np.testing.assert_allclose(ls, [[-2000.0, -1000.0, 0.0]])


def test_log_softmax_keeps_precision_at_large_logits():
    a = np.array([1e4, 1e4 - 1.0, 1e4 - 2.0], np.float32)
    got = rb.log_softmax(rb.tensor(a), 0).numpy()
    d = np.array([0.0, -1.0, -2.0])
    np.testing.assert_allclose(got, d - np.log(np.exp(d).sum()), rtol=1e-6)


def test_integer_inputs_follow_pytorch_dtypes():
    x = rb.tensor(np.array([-2, 0, 3]))
    r = rb.relu(x)
    assert r.dtype == rb.int64
    np.testing.assert_array_equal(r.numpy(), [0, 0, 3])
    s = rb.sigmoid(x)
    assert s.dtype == rb.float32
    np.testing.assert_allclose(s.numpy(), 1 / (1 + np.exp(-np.array([-2.0, 0.0, 3.0]))), rtol=1e-6)


def test_softmax_bad_dim_raises_index_error():
    with pytest.raises(IndexError):
        rb.softmax(rb.tensor(np.ones((2, 3), np.float32)), 2)


@requires_torch
@pytest.mark.parametrize("shape,dim", [((300, 200), 1), ((64, 50, 30), 1), ((1000, 70), 0)])
def test_large_softmax_matches_torch(shape, dim):
    import torch

    a = np.random.default_rng(5).normal(size=shape).astype(np.float32) * 4
    g = np.random.default_rng(6).normal(size=shape).astype(np.float32)
    for fn in ("softmax", "log_softmax"):
        x = rb.tensor(a).requires_grad_(True)
        xt = torch.tensor(a, requires_grad=True)
        y = getattr(rb, fn)(x, dim)
        yt = getattr(torch, fn)(xt, dim)
        np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=1e-5, atol=1e-5)
        (y * rb.tensor(g)).sum().backward()
        (yt * torch.tensor(g)).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-4, atol=1e-5)


# --- linear --------------------------------------------------------------------------------------

def test_linear_shape_error_names_both_matrices():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(4x3 and 5x2\)"):
        nnF.linear(rb.tensor(np.ones((4, 3), np.float32)), rb.tensor(np.ones((2, 5), np.float32)))
    with pytest.raises(RuntimeError, match=r"\(8x3 and 5x2\)"):
        nnF.linear(rb.tensor(np.ones((2, 4, 3), np.float32)), rb.tensor(np.ones((2, 5), np.float32)))


def test_linear_dtype_mismatch_raises():
    with pytest.raises(RuntimeError, match="same dtype"):
        nnF.linear(rb.tensor(np.ones((4, 3), np.float32)), rb.tensor(np.ones((2, 3), np.float64)))


@requires_torch
def test_large_linear_backward_matches_torch():
    import torch

    rng = np.random.default_rng(7)
    x = rng.normal(size=(8, 32, 96)).astype(np.float32)
    w = rng.normal(size=(80, 96)).astype(np.float32) * 0.1
    b = rng.normal(size=80).astype(np.float32)
    g = rng.normal(size=(8, 32, 80)).astype(np.float32)
    ours = [rb.tensor(v).requires_grad_(True) for v in (x, w, b)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (x, w, b)]
    y = nnF.linear(*ours)
    yt = torch.nn.functional.linear(*theirs)
    np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=1e-4, atol=1e-4)
    (y * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    for o, r in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), r.grad.numpy(), rtol=1e-4, atol=1e-3)


def test_float32_exp_paths_are_accurate_over_a_wide_range():
    # sigmoid, softmax and cross-entropy use a vectorized exp on float32: hold it to float32 accuracy.
    a = np.linspace(-87.0, 87.0, 20001).astype(np.float32)
    ref = 1.0 / (1.0 + np.exp(-a.astype(np.float64)))
    np.testing.assert_allclose(rb.sigmoid(rb.tensor(a)).numpy(), ref, rtol=2e-6, atol=1e-37)
    rows = a[:20000].reshape(200, 100) / 4
    e = np.exp(rows.astype(np.float64) - rows.max(1, keepdims=True))
    np.testing.assert_allclose(rb.softmax(rb.tensor(rows), 1).numpy(), e / e.sum(1, keepdims=True), rtol=5e-6,
                               atol=1e-30)
    lse = np.log(e.sum(1)) + rows.max(1)
    y = np.arange(200) % 100
    want = (lse - rows[np.arange(200), y]).mean()
    assert nnF.cross_entropy(rb.tensor(rows), rb.tensor(y)).item() == pytest.approx(want, rel=1e-6)


def _ulps(y, ref):
    """|y - ref| in units of the float32 spacing at ref (ref in float64)."""
    spacing = np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
    return np.abs(y.astype(np.float64) - ref) / spacing


@pytest.mark.parametrize("name", ["tanh", "exp", "elu"])
def test_float32_vectorized_math_within_2_ulp(name):
    # tanh, exp and elu (expm1) run polynomial float32 versions: within 2 ulp of the exact value at
    # every scale, including the branch points (|x| = 0.625 for tanh, 0.5 for expm1).
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.standard_normal(200_000) * s for s in (1e-7, 1e-3, 0.1, 0.6, 1, 4, 30)]
                       + [np.linspace(-0.7, 0.7, 100_001)]).astype(np.float32)
    x64 = x.astype(np.float64)
    if name == "tanh":
        y, ref = rb.tanh(rb.tensor(x)).numpy(), np.tanh(x64)
    elif name == "exp":
        x = x[x < 88.0]
        y, ref = rb.exp(rb.tensor(x)).numpy(), np.exp(x.astype(np.float64))
    else:
        x = x[x <= 0]
        y, ref = nnF.elu(rb.tensor(x)).numpy(), np.expm1(x.astype(np.float64))
    err = _ulps(y, ref)
    assert err.max() <= 2.0, f"{name}: {err.max():.2f} ulp at x = {x[err.argmax()]!r}"


def test_float32_vectorized_math_special_values():
    x = rb.tensor(np.array([np.inf, -np.inf, np.nan, -0.0, 0.0, 100.0, -100.0], np.float32))
    th = rb.tanh(x).numpy()
    np.testing.assert_array_equal(th[[0, 1, 5, 6]], [1, -1, 1, -1])
    assert np.isnan(th[2]) and np.signbit(th[3]) and not np.signbit(th[4])
    ex = rb.exp(x).numpy()
    assert ex[0] == np.inf and ex[1] == 0 and np.isnan(ex[2]) and ex[5] == np.inf and ex[3] == ex[4] == 1
    el = nnF.elu(x).numpy()
    assert el[0] == np.inf and el[1] == -1 and np.isnan(el[2]) and el[6] == -1 and el[3] == 0


@requires_torch
@pytest.mark.parametrize("needs", [(False, True, True), (True, False, False), (False, True, False)])
def test_linear_gradients_for_each_subset_of_inputs(needs):
    import torch

    rng = np.random.default_rng(8)
    vals = [rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32),
            rng.normal(size=4).astype(np.float32)]
    ours = [rb.tensor(v).requires_grad_(n) for v, n in zip(vals, needs)]
    theirs = [torch.tensor(v, requires_grad=n) for v, n in zip(vals, needs)]
    (nnF.linear(*ours) ** 2).sum().backward()
    (torch.nn.functional.linear(*theirs) ** 2).sum().backward()
    for o, r, n in zip(ours, theirs, needs):
        assert (o.grad is None) == (not n)
        if n:
            np.testing.assert_allclose(o.grad.numpy(), r.grad.numpy(), rtol=1e-5, atol=1e-5)


# --- the activation modules against torch.nn's ---------------------------------------------------

from conftest import torch  # noqa: E402  (the stand-in without PyTorch: its use skips)

nn = rb.nn

# (module name, constructor args, constructor kwargs): defaults, then every option set.
MODULES = [
    ("GELU", (), {}), ("GELU", (), {"approximate": "tanh"}), ("GELU", ("tanh",), {}),
    ("SiLU", (), {}), ("SiLU", (), {"inplace": True}),
    ("Mish", (), {}), ("Mish", (True,), {}),
    ("Softplus", (), {}), ("Softplus", (), {"beta": 2.0, "threshold": 1.0}), ("Softplus", (0.5, 3), {}),
    ("Softsign", (), {}),
    ("Hardtanh", (), {}), ("Hardtanh", (-0.5, 2.0), {}),
    ("Hardtanh", (), {"min_val": 0, "max_val": 1, "inplace": True}),
    ("ReLU6", (), {}), ("ReLU6", (), {"inplace": True}),
    ("Hardsigmoid", (), {}), ("Hardsigmoid", (True,), {}),
    ("Hardswish", (), {}), ("Hardswish", (), {"inplace": True}),
    ("SELU", (), {}), ("SELU", (), {"inplace": True}),
    ("CELU", (), {}), ("CELU", (0.5,), {}), ("CELU", (), {"alpha": 2.0, "inplace": True}),
    ("LogSigmoid", (), {}),
    ("Threshold", (0.1, 20.0), {}), ("Threshold", (-1, 0), {"inplace": True}),
    ("GLU", (), {}), ("GLU", (0,), {}), ("GLU", (), {"dim": 1}),
    ("Softmin", (), {"dim": 1}), ("Softmin", (0,), {}),
    ("PReLU", (), {}), ("PReLU", (4,), {}), ("PReLU", (), {"num_parameters": 4, "init": 0.1}),
]
_IDS = [f"{n}{a}{k}" for n, a, k in MODULES]
# names and defaults as torch.nn's (the constructors' signatures)
_NAMES = sorted({n for n, _, _ in MODULES})


@requires_torch
@pytest.mark.parametrize("name,args,kwargs", MODULES, ids=_IDS)
def test_activation_module_matches_torch(name, args, kwargs):
    a = np.random.default_rng(11).uniform(-4, 4, size=(6, 4, 2)).astype(np.float32)
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x, xt = rb.tensor(a).requires_grad_(True), torch.tensor(a, requires_grad=True)
    y, yt = ours(x * 1.0), theirs(xt * 1.0)  # on a non-leaf, so the in-place ones may run in place
    np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=1e-5, atol=1e-6)
    g = np.random.default_rng(12).normal(size=tuple(yt.shape)).astype(np.float32)
    (y * rb.tensor(g)).sum().backward()
    (yt * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)
    for p, pt in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), pt.grad.numpy(), rtol=1e-5, atol=1e-5)


@requires_torch
@pytest.mark.parametrize("name", _NAMES)
def test_activation_module_signature_and_constants_match_torch(name):
    import inspect

    ours, theirs = getattr(nn, name), getattr(torch.nn, name)
    if name in ("Softsign", "LogSigmoid"):  # torch's take (*args, **kwargs) and ignore them
        assert repr(ours()) == repr(theirs()) == f"{name}()"
        return
    sig = [(p.name, p.default) for p in inspect.signature(ours.__init__).parameters.values()]
    sig_t = [(p.name, p.default) for p in inspect.signature(theirs.__init__).parameters.values()]
    assert sig == sig_t
    assert list(getattr(ours, "__constants__", [])) == list(getattr(theirs, "__constants__", []))


@pytest.mark.parametrize("name,kwargs", [
    ("SiLU", {}), ("Mish", {}), ("Hardtanh", {"min_val": -0.5, "max_val": 0.5}), ("ReLU6", {}),
    ("Hardsigmoid", {}), ("Hardswish", {}), ("SELU", {}), ("CELU", {"alpha": 0.5}),
    ("Threshold", {"threshold": 0.2, "value": -3.0}),
])
def test_inplace_module_returns_its_input_changed(name, kwargs):
    a = np.random.default_rng(13).uniform(-5, 5, size=(3, 7)).astype(np.float32)
    want = getattr(nn, name)(**kwargs)(rb.tensor(a)).numpy()
    x = rb.tensor(a)
    v0 = x._version
    y = getattr(nn, name)(inplace=True, **kwargs)(x)
    assert y is x and x._version > v0
    np.testing.assert_array_equal(x.numpy(), want)
    # without inplace the input is left alone
    x2 = rb.tensor(a)
    assert getattr(nn, name)(**kwargs)(x2) is not x2
    np.testing.assert_array_equal(x2.numpy(), a)


@pytest.mark.parametrize("fn,args", [
    (nnF.hardtanh_, (-0.5, 0.5)), (nnF.selu_, ()), (nnF.celu_, (0.7,)), (nnF.threshold_, (0.1, 2.0)),
    (rb.selu_, ()), (rb.celu_, ()), (rb.threshold_, (0.0, 1.0)),
    (lambda x: nnF.silu(x, inplace=True), ()), (lambda x: nnF.mish(x, True), ()),
    (lambda x: nnF.relu6(x, inplace=True), ()), (lambda x: nnF.hardsigmoid(x, True), ()),
    (lambda x: nnF.hardswish(x, inplace=True), ()), (lambda x: nnF.hardtanh(x, inplace=True), ()),
    (lambda x: nnF.celu(x, 1.0, True), ()), (lambda x: nnF.threshold(x, 0.0, 1.0, True), ()),
])
def test_inplace_functional_forms_return_self(fn, args):
    x = rb.tensor(np.linspace(-4, 4, 9, dtype=np.float32))
    assert fn(x, *args) is x


def test_inplace_on_a_leaf_requiring_grad_raises():
    for f in (nnF.selu_, lambda x: nnF.silu(x, inplace=True), lambda x: nnF.hardtanh(x, inplace=True)):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            f(rb.tensor(np.ones(3, np.float32)).requires_grad_(True))


@requires_torch
def test_inplace_double_backward_matches_torch():
    # the in-place form rebases the history: its gradient is itself differentiable
    a = np.random.default_rng(14).uniform(-3, 3, size=(4, 5))
    for name in ("silu", "mish", "selu", "hardswish"):
        x, xt = rb.tensor(a).requires_grad_(True), torch.tensor(a, requires_grad=True)
        y = getattr(nnF, name)(x * 1.0, inplace=True)
        yt = getattr(torch.nn.functional, name)(xt * 1.0, inplace=True)
        (g,) = rb.autograd.grad((y ** 2).sum(), [x], create_graph=True)
        (gt,) = torch.autograd.grad((yt ** 2).sum(), [xt], create_graph=True)
        (h,) = rb.autograd.grad(g.sum(), [x])
        (ht,) = torch.autograd.grad(gt.sum(), [xt])
        np.testing.assert_allclose(h.numpy(), ht.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


# --- PReLU's learnable weight --------------------------------------------------------------------

@requires_torch
def test_prelu_state_dict_init_and_torch_round_trip():
    m, mt = nn.PReLU(3, init=0.1), torch.nn.PReLU(3, init=0.1)
    assert list(m.state_dict()) == ["weight"]
    assert tuple(m.weight.shape) == (3,) and m.weight.requires_grad
    np.testing.assert_allclose(m.weight.detach().numpy(), [0.1] * 3, rtol=1e-7)
    assert tuple(nn.PReLU().weight.shape) == (1,)
    w = np.array([0.5, -0.2, 2.0], np.float32)
    mt.load_state_dict({"weight": torch.tensor(w)})
    m.load_state_dict({k: v.numpy() for k, v in mt.state_dict().items()})
    a = np.random.default_rng(15).normal(size=(2, 3, 4, 4)).astype(np.float32)
    np.testing.assert_allclose(m(rb.tensor(a)).detach().numpy(), mt(torch.tensor(a)).detach().numpy(), rtol=1e-6)
    assert m.weight.dtype == rb.float32
    assert nn.PReLU(2, dtype=rb.float64).weight.dtype == rb.float64


@requires_torch
def test_prelu_weight_gradient_and_its_double_backward_match_torch():
    a = np.random.default_rng(16).normal(size=(3, 2, 5))
    w = np.array([0.3, -0.4])
    x, wr = rb.tensor(a).requires_grad_(True), rb.tensor(w).requires_grad_(True)
    xt, wt = torch.tensor(a, requires_grad=True), torch.tensor(w, requires_grad=True)
    gx, gw = rb.autograd.grad((nnF.prelu(x, wr) ** 2).sum(), [x, wr], create_graph=True)
    gxt, gwt = torch.autograd.grad((torch.nn.functional.prelu(xt, wt) ** 2).sum(), [xt, wt], create_graph=True)
    np.testing.assert_allclose(gw.detach().numpy(), gwt.detach().numpy(), rtol=1e-10)
    h = rb.autograd.grad((gx.sum() + gw.sum()), [x, wr])
    ht = torch.autograd.grad((gxt.sum() + gwt.sum()), [xt, wt])
    for r, t_ in zip(h, ht):
        np.testing.assert_allclose(r.numpy(), t_.numpy(), rtol=1e-10, atol=1e-12)


@requires_torch
@pytest.mark.parametrize("shape,wshape", [((2, 3), (2,)), ((3,), (3,)), ((2, 4), (1, 1)), ((2, 3, 4), (4,))])
def test_prelu_bad_weight_raises_as_torch(shape, wshape):
    a, w = np.ones(shape, np.float32), np.ones(wshape, np.float32)
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.prelu(torch.tensor(a), torch.tensor(w))
    with pytest.raises(RuntimeError, match=str(theirs.value).replace("`", ".").replace("(", r"\(")):
        nnF.prelu(rb.tensor(a), rb.tensor(w))


def test_prelu_module_channel_mismatch_raises():
    with pytest.raises(RuntimeError, match="Found parameter numbers = 3 and channel size = 4"):
        nn.PReLU(3)(rb.tensor(np.ones((2, 4), np.float32)))


# --- argument errors, as PyTorch raises them ------------------------------------------------------

def test_gelu_bad_approximate_raises_at_forward():
    m = nn.GELU(approximate="foo")  # as torch: the constructor takes it, the call refuses it
    assert repr(m) == "GELU(approximate='foo')"
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh."):
        m(rb.tensor(np.ones(3, np.float32)))
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh."):
        nnF.gelu(rb.tensor(np.ones(3, np.float32)), approximate="Tanh")


def test_hardtanh_bounds_checked_as_torch():
    with pytest.raises(AssertionError, match=r"max_val \(1\) must be greater than min_val \(1\)"):
        nn.Hardtanh(1, 1)
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        nnF.hardtanh(rb.tensor(np.ones(3, np.float32)), 2.0, 1.0)
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        nnF.hardtanh_(rb.tensor(np.ones(3, np.float32)), 2.0, 1.0)
    with pytest.warns(FutureWarning, match="min_value"):
        m = nn.Hardtanh(min_value=-2.0)
    assert m.min_val == -2.0 and repr(m) == "Hardtanh(min_val=-2.0, max_val=1.0)"


def test_celu_zero_alpha_raises():
    with pytest.raises(RuntimeError, match="ZeroDivisionError: alpha cannot be 0 for CELU"):
        nn.CELU(0.0)(rb.tensor(np.ones(3, np.float32)))


@pytest.mark.parametrize("shape,dim,msg", [
    ((2, 3), 1, "Halving dimension must be even, but dimension 1 is size 3"),
    ((), -1, "glu does not support scalars because halving size must be even"),
])
def test_glu_bad_sizes_raise_as_torch(shape, dim, msg):
    with pytest.raises(RuntimeError, match=msg):
        nnF.glu(rb.tensor(np.ones(shape, np.float32)), dim)


def test_glu_bad_dim_raises_index_error():
    with pytest.raises(IndexError):
        nn.GLU(2)(rb.tensor(np.ones((2, 4), np.float32)))


def test_softmin_implicit_dim_warns_as_softmax():
    x = rb.tensor(np.random.default_rng(17).normal(size=(2, 3)).astype(np.float32))
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        y = nn.Softmin()(x)
    np.testing.assert_allclose(y.numpy(), nnF.softmax(-x, 1).numpy())


@pytest.mark.parametrize("name", ["gelu", "silu", "mish", "softplus", "hardsigmoid", "hardswish", "selu", "celu",
                                  "logsigmoid", "glu"])
def test_float_only_activations_refuse_integers(name):
    with pytest.raises(RuntimeError, match="not implemented for"):
        getattr(nnF, name)(rb.tensor(np.array([1, 2, 3, 4])))


def test_piecewise_linear_activations_keep_int64_as_torch():
    x = rb.tensor(np.array([-3, 0, 2, 7]))
    for y, want in [(nnF.hardtanh(x), [-1, 0, 1, 1]), (nnF.relu6(x), [0, 0, 2, 6]),
                    (nnF.threshold(x, 1, -5), [-5, -5, 2, 7])]:
        assert y.dtype == rb.int64
        assert y.numpy().tolist() == want
    assert nnF.softsign(x).dtype == rb.float32


# --- stability at extreme inputs ------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("name,kwargs", [
    ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}), ("softplus", {}),
    ("softplus", {"beta": 0.5, "threshold": 100.0}), ("logsigmoid", {}), ("selu", {}), ("celu", {}),
    ("softsign", {}), ("hardswish", {}),
])
def test_extreme_inputs_are_finite_and_match_torch(name, kwargs):
    # against PyTorch in float64 (its float32 softsign gradient, x/(|x|+1) differentiated, cancels)
    a = np.array([-1e4, -500.0, -88.0, -30.0, -1e-20, 0.0, 1e-20, 30.0, 88.0, 500.0, 1e4])
    xt = torch.tensor(a, requires_grad=True)
    yt = getattr(torch.nn.functional, name)(xt, **kwargs)
    yt.sum().backward()
    for dt, rtol in ((np.float32, 1e-5), (np.float64, 1e-10)):
        x = rb.tensor(a.astype(dt)).requires_grad_(True)
        y = getattr(nnF, name)(x, **kwargs)
        y.sum().backward()
        assert np.isfinite(y.detach().numpy()).all() and np.isfinite(x.grad.numpy()).all()
        np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=rtol, atol=1e-30)
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=rtol, atol=1e-30)


def test_nan_propagates_through_the_new_activations():
    x = rb.tensor(np.array([np.nan, 1.0], np.float32))
    for f in (nnF.gelu, nnF.silu, nnF.mish, nnF.softplus, nnF.softsign, nnF.hardtanh, nnF.relu6, nnF.hardsigmoid,
              nnF.hardswish, nnF.selu, nnF.celu, nnF.logsigmoid, lambda v: nnF.threshold(v, 0.0, 5.0)):
        assert np.isnan(f(x).numpy()[0]), f
