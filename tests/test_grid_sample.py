"""F.affine_grid and F.grid_sample: 4-d (bilinear, nearest, bicubic) and 5-d (trilinear, nearest) input with
zeros, border and reflection padding, align_corners both ways: values and gradients for theta, input and grid
against PyTorch in float32 and float64, finite-difference gradient checks (twice), torch's errors (types and
messages, in its order) and its warnings."""
import itertools
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch
from numpy_ref_nn import _np_grid_sample

F = rb.nn.functional
RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 5, 6))
GRID = RNG.uniform(-1.4, 1.4, (2, 4, 7, 2))
THETA = RNG.standard_normal((2, 2, 3))
X5 = RNG.standard_normal((2, 3, 4, 5, 6))
GRID5 = RNG.uniform(-1.4, 1.4, (2, 3, 4, 5, 3))
PADDINGS = ["zeros", "border", "reflection"]
# (mode, input, grid): each form torch has; bicubic is 4-d only.
FORMS = [("bilinear", X, GRID), ("nearest", X, GRID), ("bicubic", X, GRID), ("bilinear", X5, GRID5),
         ("nearest", X5, GRID5)]
FORM_IDS = ["bilinear", "nearest", "bicubic", "trilinear_5d", "nearest_5d"]


def test_identity_grid_samples_the_image_back():
    x = rb.tensor(X)
    theta = rb.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]] * 2, dtype=rb.float64)
    for ac in (False, True):
        grid = F.affine_grid(theta, [2, 3, 5, 6], align_corners=ac)
        assert grid.shape == (2, 5, 6, 2)
        for mode in ("bilinear", "nearest", "bicubic"):
            np.testing.assert_allclose(F.grid_sample(x, grid, mode=mode, align_corners=ac).numpy(), X, atol=1e-12)


def test_identity_grid_samples_the_volume_back():
    x = rb.tensor(X5)
    theta = rb.tensor(np.eye(3, 4)[None].repeat(2, 0))
    for ac in (False, True):
        grid = F.affine_grid(theta, [2, 3, 4, 5, 6], align_corners=ac)
        assert grid.shape == (2, 4, 5, 6, 3)
        for mode in ("bilinear", "nearest"):
            np.testing.assert_allclose(F.grid_sample(x, grid, mode=mode, align_corners=ac).numpy(), X5, atol=1e-12)


def test_volume_axes_follow_the_grid_components():
    """grid[..., 0] moves along W, 1 along H, 2 along D: a shift of one voxel along each reads its neighbour."""
    x = rb.tensor(X5[:1, :1])
    for comp, axis in ((0, 4), (1, 3), (2, 2)):
        theta = np.eye(3, 4)[None].copy()
        theta[0, comp, 3] = 2.0 / X5.shape[axis]  # one voxel, align_corners=False
        grid = F.affine_grid(rb.tensor(theta), [1, 1, 4, 5, 6], align_corners=False)
        out = F.grid_sample(x, grid, mode="nearest", align_corners=False).numpy()
        want = np.take(X5[:1, :1], np.arange(1, X5.shape[axis]), axis)
        np.testing.assert_array_equal(np.take(out, np.arange(X5.shape[axis] - 1), axis), want)


@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
def test_matches_numpy_reference(mode, x, g, padding_mode, align_corners):
    got = F.grid_sample(rb.tensor(x), rb.tensor(g * 1.5), mode=mode, padding_mode=padding_mode,
                        align_corners=align_corners)
    np.testing.assert_allclose(got.numpy(), _np_grid_sample(x, g * 1.5, mode, padding_mode, align_corners),
                               rtol=1e-12, atol=1e-12)


def _small(x, g):
    return x[:1, :2, 1:4, 1:4] if x.ndim == 4 else x[:1, :2, :2, 1:4, 1:4], g[:1, :2, :2] if g.ndim == 4 \
        else g[:1, :2, :1, :2]


@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
def test_gradcheck(mode, x, g, padding_mode, align_corners):
    x, g = _small(x, g)
    x = rb.tensor(x, requires_grad=True)
    grid = rb.tensor(g * 1.4, requires_grad=mode != "nearest")

    def f(a, gr):
        return F.grid_sample(a, gr, mode=mode, padding_mode=padding_mode, align_corners=align_corners)

    assert rb.autograd.gradcheck(f, (x, grid))
    assert rb.autograd.gradgradcheck(f, (x, grid))


def test_affine_grid_gradcheck():
    theta = rb.tensor(THETA, requires_grad=True)
    for size in ([2, 1, 3, 4], [2, 1, 1, 4]):
        assert rb.autograd.gradcheck(lambda t, s=size: F.affine_grid(t, s, align_corners=False), (theta,))
    theta3 = rb.tensor(RNG.standard_normal((1, 3, 4)), requires_grad=True)
    assert rb.autograd.gradcheck(lambda t: F.affine_grid(t, [1, 2, 2, 3, 2], align_corners=True), (theta3,))


def test_align_corners_none_warns_as_torch():
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.grid_sample(rb.tensor(X), rb.tensor(GRID))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.grid_sample(rb.tensor(X5), rb.tensor(GRID5))
    with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
        F.affine_grid(rb.tensor(THETA), [2, 3, 4, 5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.grid_sample(rb.tensor(X), rb.tensor(GRID), align_corners=False)
        F.affine_grid(rb.tensor(THETA), [2, 3, 1, 5], align_corners=False)


@pytest.mark.parametrize("size, ok", [([2, 3, 1, 5], True), ([0, 3, 1, 5], False), ([2, 0, 1, 5], True),
                                      ([2, 3, 1, 1, 4], True)])
def test_affine_grid_unit_size_warns_as_torch(size, ok):
    """torch warns for a unit-size grid with align_corners=True, and skips its positive-size check there: a
    channel count of 0 passes, a batch of 0 reaches bmm's check against theta's."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        theta = L.tensor(THETA if len(size) == 4 else RNG.standard_normal((2, 3, 4)))
        with pytest.warns(UserWarning, match="affine_grid behavior has changed for unit-size grids"):
            if ok:
                out = L.nn.functional.affine_grid(theta, size, align_corners=True)
                assert tuple(out.shape) == (2, *size[2:], len(size) - 2)
            else:
                with pytest.raises(RuntimeError, match=r"batch2 tensor to be: \[0, 3\] but got: \[2, 3\]"):
                    L.nn.functional.affine_grid(theta, size, align_corners=True)


def _ones(L, shape, dtype="float32"):
    return L.ones(shape, dtype=getattr(L, dtype))


def _zeros(L, shape, dtype="float32"):
    return L.zeros(shape, dtype=getattr(L, dtype))


# (call(L), exception type, message): the message is torch's, checked against torch's own when it is installed.
ERRORS = [
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6)), _zeros(L, (2, 4, 7, 2)), mode="area",
                                           align_corners=False), ValueError,
     "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'area'"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6)), _zeros(L, (2, 4, 7, 2)), padding_mode="edge",
                                           align_corners=False), ValueError,
     "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'edge'"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6)), _zeros(L, (2, 4, 7, 2), "float64"),
                                           align_corners=False), RuntimeError,
     "expected scalar type Float but found Double"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6, 2), "float64"), _zeros(L, (2, 4, 7, 2, 3)),
                                           align_corners=False), RuntimeError,
     "expected scalar type Double but found Float"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6)), _zeros(L, (1, 4, 7, 2)), align_corners=False),
     RuntimeError, "grid_sampler(): expected grid and input to have same batch size, but got input with sizes "
     "[2, 3, 5, 6] and grid with sizes [1, 4, 7, 2]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6)), _zeros(L, (2, 4, 7, 1)), align_corners=False),
     RuntimeError, "grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes "
     "[2, 4, 7, 1]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 4, 5, 6)), _zeros(L, (2, 2, 3, 4, 2)),
                                           align_corners=False), RuntimeError,
     "grid_sampler(): expected grid to have size 3 in last dimension, but got grid with sizes [2, 2, 3, 4, 2]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 0, 5, 6)), _zeros(L, (2, 2, 3, 4, 3)), mode="bicubic",
                                           align_corners=False), RuntimeError,
     "grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes [2, 3, 0, 5, 6] "
     "with dimension 2 being empty"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 4, 5)), _zeros(L, (2, 7, 2, 2, 2)), align_corners=False),
     RuntimeError, "grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with "
     "sizes [2, 3, 4, 5] and grid with sizes [2, 7, 2, 2, 2]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 4, 5, 6)), _zeros(L, (2, 3, 4, 3)), align_corners=False),
     RuntimeError, "grid_sampler(): expected 5D input and grid with same number of dimensions, but got input with "
     "sizes [2, 3, 4, 5, 6] and grid with sizes [2, 3, 4, 3]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (3, 5, 6)), _zeros(L, (3, 7, 1)), align_corners=False),
     RuntimeError, "grid_sampler(): expected 5D input and grid with same number of dimensions, but got input with "
     "sizes [3, 5, 6] and grid with sizes [3, 7, 1]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6, 3, 2)), _zeros(L, (2, 7, 2, 3, 3, 4)),
                                           align_corners=False), RuntimeError,
     "grid_sampler(): expected 5D input and grid with same number of dimensions"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2,)), _zeros(L, (2,)), align_corners=False), RuntimeError,
     "grid_sampler(): expected grid to have size -1 in last dimension, but got grid with sizes [2]"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, ()), _zeros(L, ()), align_corners=False), IndexError,
     "Dimension specified as 0 but tensor has no dimensions"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 4, 5, 6)), _zeros(L, (2, 2, 3, 4, 3), "float64"),
                                           mode="bicubic", align_corners=False), RuntimeError,
     "grid_sampler(): bicubic interpolation only supports 4D input"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 4, 5, 6)), _zeros(L, (2, 2, 3, 4, 3)), mode="bicubic",
                                           padding_mode="reflection", align_corners=True), RuntimeError,
     "grid_sampler(): bicubic interpolation only supports 4D input"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6), "int64"), _zeros(L, (2, 7, 2, 2)),
                                           mode="bicubic", align_corners=False), NotImplementedError,
     "\"grid_sampler_2d_cpu_kernel_impl\" not implemented for 'Long'"),
    (lambda L: L.nn.functional.grid_sample(_ones(L, (2, 3, 5, 6, 2), "int64"), _zeros(L, (2, 7, 2, 2, 3)),
                                           align_corners=False), NotImplementedError,
     "\"grid_sampler3d_cpu\" not implemented for 'Long'"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 2, 3)), [2, 3, 4], align_corners=False), NotImplementedError,
     "affine_grid only supports 4D and 5D sizes"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 2, 3)), [2, 3, 4, 5, 6], align_corners=False), ValueError,
     "Expected a batch of 3D affine matrices of shape Nx3x4 for size [2, 3, 4, 5, 6]"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 3, 4)), [2, 3, 4, 5], align_corners=False), ValueError,
     "Expected a batch of 2D affine matrices of shape Nx2x3 for size [2, 3, 4, 5]"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 2, 3)), [2, 3, 0, 5], align_corners=False), ValueError,
     "Expected non-zero, positive output size. Got [2, 3, 0, 5]"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 3, 4)), [-1, 3, 2, 5, 2], align_corners=False), ValueError,
     "Expected non-zero, positive output size. Got [-1, 3, 2, 5, 2]"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 2, 3), "int64"), [2, 3, 4, 5], align_corners=False),
     ValueError, "Expected theta to have floating point type, but got "),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 3, 4)), [3, 3, 2, 5, 2], align_corners=False), RuntimeError,
     r"Expected size for first two dimensions of batch2 tensor to be: [3, 4] but got: [2, 4]."),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 2, 3), "bfloat16"), [2, 3, 1, 5], align_corners=False),
     NotImplementedError, "\"tensor_cpu\" not implemented for 'BFloat16'"),
    (lambda L: L.nn.functional.affine_grid(_ones(L, (2, 3, 4), "float16"), [2, 3, 2, 1, 5], align_corners=False),
     NotImplementedError, "\"tensor_cpu\" not implemented for 'Half'"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_are_torchs(i):
    call, exc, msg = ERRORS[i]
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(exc) as info:
                call(L)
        assert msg in str(info.value), (L.__name__, str(info.value))


def test_affine_grid_messages_print_dtype_and_size_as_python_does():
    """torch's messages hold str(theta.dtype) and str(theta.shape): ours, rosenblatt's."""
    with pytest.raises(ValueError, match=r"but got rosenblatt\.int64$"):
        F.affine_grid(rb.ones(2, 2, 3, dtype=rb.int64), [2, 3, 4, 5], align_corners=False)
    with pytest.raises(ValueError, match=r"for size \[2, 3, 4, 5, 6\]\. Got rosenblatt\.Size\(\[2, 2, 3\]\)\.$"):
        F.affine_grid(rb.ones(2, 2, 3), [2, 3, 4, 5, 6], align_corners=False)


def test_affine_grid_negative_batch_in_the_unit_size_path_is_torchs():
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        with pytest.warns(UserWarning), pytest.raises(RuntimeError, match=r"negative dimension -1: \[-1, 1, 5, 3\]"):
            L.nn.functional.affine_grid(L.ones(2, 2, 3), [-1, 3, 1, 5], align_corners=True)


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64", "bool"])
def test_integer_input_samples_only_when_empty(dtype):
    """ATen's grid_sampler kernels refuse integer types (NotImplementedError); the 2-d one returns the empty result
    of an empty input or grid before its dtype check, the 3-d one checks the dtype first."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        out = L.nn.functional.grid_sample(L.ones(2, 4, 4, 5, dtype=dt), L.zeros(2, 3, 0, 2, dtype=dt),
                                          align_corners=False)
        assert tuple(out.shape) == (2, 4, 3, 0) and out.dtype == dt
        out = L.nn.functional.grid_sample(L.ones(0, 4, 4, 5, dtype=dt), L.zeros(0, 3, 2, 2, dtype=dt),
                                          align_corners=False)
        assert tuple(out.shape) == (0, 4, 3, 2)
        with pytest.raises(NotImplementedError, match="grid_sampler_2d_cpu_kernel_impl.* not implemented for"):
            L.nn.functional.grid_sample(L.ones(2, 4, 4, 5, dtype=dt), L.zeros(2, 3, 1, 2, dtype=dt),
                                        align_corners=False)
        for grid in (L.zeros(2, 3, 0, 2, 3, dtype=dt), L.zeros(2, 3, 1, 2, 3, dtype=dt)):
            with pytest.raises(NotImplementedError, match="grid_sampler3d_cpu.* not implemented for"):
                L.nn.functional.grid_sample(L.ones(2, 4, 4, 5, 2, dtype=dt), grid, align_corners=False)


def test_empty_samples_before_the_dtype_check():
    """An empty grid (or batch, or channel count) gives its empty result in the input's dtype, whatever the grid's."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        cases = [((2, 3, 5, 6), (2, 7, 0, 2)), ((2, 3, 5, 6, 2), (2, 7, 0, 2, 3)), ((2, 0, 5, 6, 2), (2, 7, 1, 2, 3))]
        for xs, gs in cases:
            out = L.nn.functional.grid_sample(L.ones(xs), L.zeros(gs, dtype=L.float64), align_corners=False)
            assert tuple(out.shape) == xs[:2] + gs[1:-1] and out.dtype == L.float32


@requires_torch
@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_matches_torch(mode, x, g, padding_mode, align_corners, dtype):
    """Values and the gradients of input and grid (nearest's grid gets zeros) against torch's."""
    x, g = x.astype(dtype), (g * 1.6).astype(dtype)
    g_out = RNG.standard_normal(x.shape[:2] + g.shape[1:-1]).astype(dtype)
    results = []
    for L in (rb, torch):
        xt = L.tensor(x, requires_grad=True)
        grid = L.tensor(g, requires_grad=True)
        y = L.nn.functional.grid_sample(xt, grid, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
        y.backward(L.tensor(g_out))
        results.append([y.detach().numpy(), xt.grad.numpy(), grid.grad.numpy()])
    for a, b in zip(*results):  # float32: sums of terms of the largest's size, so absolute to its ulps
        scale = max(1.0, np.abs(b).max())
        tol = dict(rtol=1e-10, atol=1e-12 * scale) if dtype == "float64" else dict(rtol=1e-5, atol=2e-6 * scale)
        np.testing.assert_allclose(a, b, **tol)


@requires_torch
@pytest.mark.parametrize("mode, x, g", [f for f in FORMS if f[0] != "nearest"],
                         ids=[i for i, f in zip(FORM_IDS, FORMS) if f[0] != "nearest"])
@pytest.mark.parametrize("padding_mode", PADDINGS)
def test_double_backward_matches_torch(mode, x, g, padding_mode):
    """The gradients of a weighted sum of both first-order gradients, with respect to input and grid."""
    x, g = _small(x, g)
    rng = np.random.default_rng(5)
    w = rng.standard_normal(x.shape[:2] + g.shape[1:-1])
    vx, vg = rng.standard_normal(x.shape), rng.standard_normal(g.shape)
    results = []
    for L in (rb, torch):
        xt, gt = L.tensor(x, requires_grad=True), L.tensor(g * 1.5, requires_grad=True)
        y = L.nn.functional.grid_sample(xt, gt, mode=mode, padding_mode=padding_mode, align_corners=False)
        dx, dg = L.autograd.grad((y * L.tensor(w)).sum(), (xt, gt), create_graph=True)
        results.append([a.numpy() for a in L.autograd.grad((dx * L.tensor(vx)).sum() + (dg * L.tensor(vg)).sum(),
                                                            (xt, gt))])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)


@requires_torch
@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
def test_non_finite_grid_values_sample_as_torch(mode, x, g, padding_mode, align_corners):
    """nan and +-inf coordinates: the 2-d kernel's bilinear and bicubic weights turn nan (even outside, 0 * nan),
    border and reflection clip a nan to 0 in 2-d and to size - 1 in 3-d, zeros padding skips it in 3-d and nearest."""
    g = g.copy()
    g.reshape(-1)[:9] = [np.nan, np.inf, -np.inf] * 3
    outs = [L.nn.functional.grid_sample(L.tensor(x), L.tensor(g), mode=mode, padding_mode=padding_mode,
                                        align_corners=align_corners).numpy() for L in (rb, torch)]
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12, atol=1e-12)  # nan where torch's is


@requires_torch
@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_far_out_points_reflect_as_torch(mode, x, g, dtype):
    """Reflection of points up to 1e30 away: 3-d folds with fmod (its int fold count even once it overflows), 2-d
    with trunc and one fused multiply-subtract in float32, so each lands on torch's pixel."""
    for mag in (1e3, 1e6, 1e8, 1e12, 1e30):
        gg = (g * mag).astype(dtype)
        for ac in (False, True):
            outs = [L.nn.functional.grid_sample(L.tensor(x.astype(dtype)), L.tensor(gg), mode=mode,
                                                padding_mode="reflection", align_corners=ac).numpy()
                    for L in (rb, torch)]
            np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5, atol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
def test_a_nan_pixel_does_not_reach_points_outside(mode, x, g):
    """Outside points read 0, not the first pixel weighted by 0 (nan * 0 would be nan); nor take its gradient."""
    x = x.copy()
    x.reshape(-1)[0] = np.nan
    g = np.full_like(g, 5.0)
    xt = rb.tensor(x, requires_grad=True)
    y = F.grid_sample(xt, rb.tensor(g), mode=mode, align_corners=False)
    assert not np.isnan(y.detach().numpy()).any() and not np.abs(y.detach().numpy()).any()
    y.sum().backward()
    assert not np.abs(xt.grad.numpy()).any()


@requires_torch
@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_and_bfloat16_match_torch(mode, x, g, dtype):
    """float16 and bfloat16: torch's CPU kernels round each step in the dtype, as our ops do: the same bits."""
    for padding_mode, ac in itertools.product(PADDINGS, (False, True)):
        outs = [L.nn.functional.grid_sample(L.tensor(x).to(getattr(L, dtype)), L.tensor(g * 1.6).to(getattr(L, dtype)),
                                            mode=mode, padding_mode=padding_mode, align_corners=ac).float().numpy()
                for L in (rb, torch)]
        np.testing.assert_array_equal(outs[0], outs[1])


@requires_torch
@pytest.mark.parametrize("size", [[2, 3, 4, 5], [2, 1, 1, 3], [2, 2, 3, 4, 5], [2, 1, 1, 3, 2]])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_matches_torch(size, align_corners):
    theta = THETA if len(size) == 4 else RNG.standard_normal((2, 3, 4))
    outs = []
    for L in (rb, torch):
        t = L.tensor(theta, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the unit-size warning, tested above
            grid = L.nn.functional.affine_grid(t, size, align_corners=align_corners)
        grid.sum().backward()
        outs.append((grid.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], atol=1e-12)
    np.testing.assert_allclose(outs[0][1], outs[1][1], atol=1e-10)


@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("padding_mode", PADDINGS)
@pytest.mark.parametrize("align_corners", [False, True])
def test_fused_backward_equals_the_composites(mode, x, g, padding_mode, align_corners):
    """float32/float64 take the fused kernels (torch's node names); their one-pass backward gives the composite's
    gradients, which the create_graph backward differentiates, to 1e-12 in float64: points inside, far out
    (1e30) and non-finite, where both give the same nan pattern."""
    g = RNG.uniform(-2.5, 2.5, g.shape)
    g.reshape(-1)[:12] = [np.nan, np.inf, -np.inf, 1e30, -1e30, 7.0] * 2
    dy = RNG.standard_normal(x.shape[:2] + g.shape[1:-1])
    results = []
    for create_graph in (False, True):
        xt, gt = rb.tensor(x, requires_grad=True), rb.tensor(g, requires_grad=True)
        y = F.grid_sample(xt, gt, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
        assert y.grad_fn.name() == f"GridSampler{x.ndim - 2}DBackward0"
        dx, dg = rb.autograd.grad(y, (xt, gt), rb.tensor(dy), create_graph=create_graph)
        assert (dx.grad_fn is not None) == create_graph  # the composite's graph only when asked for
        results.append([y.detach().numpy(), dx.detach().numpy(), dg.detach().numpy()])
    # nan reaches the grid's gradient where no clip stops it: bicubic's point, bilinear's with zeros padding
    assert np.isnan(results[0][2]).any() == (mode == "bicubic" or (mode == "bilinear" and padding_mode == "zeros"))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("mode, x, g", FORMS, ids=FORM_IDS)
def test_fused_backward_computes_only_the_gradients_asked_for(mode, x, g):
    """ATen's output_mask: with one of input and grid requiring a gradient, that one gets the same gradient as with
    both, and the other none."""
    g = g * 1.3
    dy = rb.tensor(RNG.standard_normal(x.shape[:2] + g.shape[1:-1]))
    both = [rb.tensor(x, requires_grad=True), rb.tensor(g, requires_grad=True)]
    F.grid_sample(*both, mode=mode, align_corners=False).backward(dy)
    for i in range(2):
        ts = [rb.tensor(x, requires_grad=i == 0), rb.tensor(g, requires_grad=i == 1)]
        F.grid_sample(*ts, mode=mode, align_corners=False).backward(dy)
        np.testing.assert_array_equal(ts[i].grad.numpy(), both[i].grad.numpy())
        assert ts[1 - i].grad is None


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_and_bfloat16_keep_the_composite(dtype):
    """The fused kernels take float32 and float64; float16 and bfloat16 round each step as torch's kernels do,
    which the composite of ops reproduces."""
    x = rb.tensor(X, requires_grad=True).to(getattr(rb, dtype))
    y = F.grid_sample(x, rb.tensor(GRID).to(getattr(rb, dtype)), align_corners=False)
    assert not y.grad_fn.name().startswith("GridSampler")
