"""F.affine_grid and F.grid_sample (bilinear and nearest; zeros, border and reflection padding; align_corners
both ways): values and gradients for theta, input and grid against PyTorch, finite-difference gradient checks
(twice), torch's errors and its align_corners=None warning."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch

F = rb.nn.functional
RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 5, 6))
GRID = RNG.uniform(-1.4, 1.4, (2, 4, 7, 2))
THETA = RNG.standard_normal((2, 2, 3))


def test_identity_grid_samples_the_image_back():
    x = rb.tensor(X)
    theta = rb.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]] * 2, dtype=rb.float64)
    for ac in (False, True):
        grid = F.affine_grid(theta, [2, 3, 5, 6], align_corners=ac)
        assert grid.shape == (2, 5, 6, 2)
        np.testing.assert_allclose(F.grid_sample(x, grid, align_corners=ac).numpy(), X, atol=1e-12)
        np.testing.assert_allclose(F.grid_sample(x, grid, mode="nearest", align_corners=ac).numpy(), X, atol=1e-12)


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_gradcheck(mode, padding_mode, align_corners):
    x = rb.tensor(X[:1, :2, :3, :4], requires_grad=True)
    grid = rb.tensor(GRID[:1, :2, :3], requires_grad=mode == "bilinear")

    def f(a, g):
        return F.grid_sample(a, g, mode=mode, padding_mode=padding_mode, align_corners=align_corners)

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
        F.affine_grid(rb.tensor(THETA), [2, 3, 4, 5])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.grid_sample(rb.tensor(X), rb.tensor(GRID), align_corners=False)


@pytest.mark.parametrize("call, exc, msg", [
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID), mode="area", align_corners=False), ValueError,
     "expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: 'area'"),
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID), padding_mode="edge", align_corners=False), ValueError,
     "expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'edge'"),
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID).float(), align_corners=False), RuntimeError,
     "expected input and grid to have same dtype"),
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID[:1]), align_corners=False), RuntimeError,
     "expected grid and input to have same batch size"),
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID[..., :1]), align_corners=False), RuntimeError,
     "expected grid to have size 2 in last dimension"),
    (lambda: F.grid_sample(rb.tensor(X[0]), rb.tensor(GRID[0]), align_corners=False), RuntimeError,
     "expected 4D or 5D input and grid with same number of dimensions"),
    (lambda: F.grid_sample(rb.tensor(X), rb.tensor(GRID), mode="bicubic", align_corners=False), NotImplementedError,
     "bicubic"),
    (lambda: F.affine_grid(rb.tensor(THETA), [2, 3, 4], align_corners=False), NotImplementedError,
     "affine_grid only supports 4D and 5D sizes"),
    (lambda: F.affine_grid(rb.tensor(THETA), [2, 3, 4, 5, 6], align_corners=False), ValueError,
     "Expected a batch of 3D affine matrices of shape Nx3x4"),
    (lambda: F.affine_grid(rb.tensor(THETA), [2, 3, 0, 5], align_corners=False), ValueError,
     "Expected non-zero, positive output size"),
    (lambda: F.affine_grid(rb.tensor(THETA).long(), [2, 3, 4, 5], align_corners=False), ValueError,
     "Expected theta to have floating point type"),
])
def test_errors_are_torchs(call, exc, msg):
    with pytest.raises(exc, match=msg):
        call()


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64", "bool"])
def test_integer_input_samples_only_when_empty(dtype):
    """ATen's grid_sampler kernel refuses integer types (NotImplementedError), and an empty input or grid returns
    its empty result before the kernel: any dtype samples to the empty (N, C, Ho, Wo)."""
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


@requires_torch
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_matches_torch(mode, padding_mode, align_corners):
    g_out = RNG.standard_normal((2, 3, 4, 7))
    results = []
    for L in (rb, torch):
        x = L.tensor(X, requires_grad=True)
        grid = L.tensor(GRID, requires_grad=True)
        y = L.nn.functional.grid_sample(x, grid, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
        y.backward(L.tensor(g_out))
        results.append([y.detach().numpy(), x.grad.numpy(),
                        grid.grad.numpy() if grid.grad is not None else np.zeros(GRID.shape)])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@requires_torch
@pytest.mark.parametrize("size", [[2, 3, 4, 5], [2, 1, 1, 3], [2, 2, 3, 4, 5]])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_matches_torch(size, align_corners):
    theta = THETA if len(size) == 4 else RNG.standard_normal((2, 3, 4))
    outs = []
    for L in (rb, torch):
        t = L.tensor(theta, requires_grad=True)
        grid = L.nn.functional.affine_grid(t, size, align_corners=align_corners)
        grid.sum().backward()
        outs.append((grid.detach().numpy(), t.grad.numpy()))
    np.testing.assert_allclose(outs[0][0], outs[1][0], atol=1e-12)
    np.testing.assert_allclose(outs[0][1], outs[1][1], atol=1e-10)
