# PixelShuffle/PixelUnshuffle parity with PyTorch (values, gradients, errors) and rb.gan.SRGAN:
# trained on the bundled digits, 4x4 -> 8x8, it must beat bicubic upsampling's PSNR on the held-out split.
import math

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import torch
from rosenblatt.utils.data import DataLoader, TensorDataset


@pytest.mark.parametrize("shape,r", [((2, 8, 3, 5), 2), ((18, 2, 3), 3), ((1, 2, 4, 4, 4), 2)])
def test_pixel_shuffle_matches_torch(shape, r):
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    a, b = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = rb.nn.PixelShuffle(r)(a), torch.nn.PixelShuffle(r)(b)
    assert tuple(ya.shape) == tuple(yb.shape)
    np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())
    g = np.random.default_rng(1).standard_normal(tuple(yb.shape)).astype(np.float32)
    ya.backward(rb.tensor(g))
    yb.backward(torch.tensor(g))
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


@pytest.mark.parametrize("shape,r", [((2, 3, 4, 6), 2), ((2, 6, 9), 3)])
def test_pixel_unshuffle_matches_torch_and_inverts(shape, r):
    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    a, b = rb.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = F.pixel_unshuffle(a, r), torch.nn.functional.pixel_unshuffle(b, r)
    np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())
    (ya * ya).sum().backward()
    (yb * yb).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)
    np.testing.assert_array_equal(F.pixel_shuffle(ya, r).detach().numpy(), x)
    assert "downscale_factor=3" in repr(rb.nn.PixelUnshuffle(3))


def test_pixel_shuffle_gradcheck_float64():
    x = rb.randn(1, 4, 2, 3, dtype=rb.float64, requires_grad=True)
    assert rb.autograd.gradcheck(lambda t: F.pixel_shuffle(t, 2) * 1.5, (x,))


def test_pixel_shuffle_errors():
    with pytest.raises(RuntimeError, match=r"input.size\(-3\)=5 is not divisible by 4"):
        F.pixel_shuffle(rb.zeros(1, 5, 2, 2), 2)
    with pytest.raises(RuntimeError, match="at least 3 dimensions"):
        F.pixel_shuffle(rb.zeros(4, 2), 2)
    with pytest.raises(RuntimeError, match=r"input.size\(-2\)=5 is not divisible by 2"):
        F.pixel_unshuffle(rb.zeros(1, 3, 5, 4), 2)
    with pytest.raises(RuntimeError, match=r"input.size\(-1\)=5 is not divisible by 2"):
        F.pixel_unshuffle(rb.zeros(1, 3, 4, 5), 2)


def test_srgan_shapes_and_errors():
    rb.manual_seed(0)
    sr = rb.gan.SRGAN(channels=1, scale=4, features=8, n_blocks=1)
    low, high = rb.rand(3, 1, 4, 4), rb.rand(3, 1, 16, 16)
    out = sr.train_step(low, high)
    assert set(out) == {"content", "g_loss", "d_loss", "d_real", "d_fake"}
    assert all(math.isfinite(v) for v in out.values()) and 0 < out["d_real"] < 1
    up = sr.upscale(low)
    assert tuple(up.shape) == (3, 1, 16, 16) and not up.requires_grad and sr.generator.training
    with pytest.raises(ValueError, match=r"low \(3, 1, 4, 4\) needs high \(3, 1, 16, 16\), got \(3, 1, 8, 8\)"):
        sr.train_step(low, rb.rand(3, 1, 8, 8))
    with pytest.raises(ValueError, match="scale must be 2 or 4"):
        rb.gan.SRGAN(scale=3)
    with pytest.raises(ValueError, match="content_loss"):
        rb.gan.SRGAN(content_loss="l2")
    with pytest.raises(ValueError, match=r"got \(1, 4, 4\)"):
        sr.upscale(rb.rand(1, 4, 4))
    mse = rb.gan.SRGAN(features=8, n_blocks=1, content_loss="mse", adv_weight=0.0)
    out = mse.train_step(F.avg_pool2d(high, 2), high)
    assert out["g_loss"] == pytest.approx(out["content"])


def _psnr(pred, target):
    mse = float(((pred.clamp(0, 1) - target) ** 2).mean().item())
    return 10 * math.log10(1.0 / mse)


def test_srgan_beats_bicubic_on_digits():
    rb.manual_seed(0)
    xtr, _ = rb.datasets.load_digits("train")
    xte, _ = rb.datasets.load_digits("test")
    ltr, lte = F.avg_pool2d(xtr, 2), F.avg_pool2d(xte, 2)
    loader = DataLoader(TensorDataset(ltr, xtr), batch_size=64, shuffle=True)
    sr = rb.gan.SRGAN(channels=1, scale=2, features=16, n_blocks=2, adv_weight=0.0)
    pre = sr.fit(loader, 8, verbose=False)          # content-loss pretraining
    assert pre["content"][-1] < pre["content"][0]
    sr.adv_weight = 1e-3                             # adversarial fine-tuning
    hist = sr.fit(loader, 2, verbose=False)
    assert len(hist.steps["d_loss"]) == 2 * len(loader) and hist["d_loss"][-1] > 0
    sr_psnr = _psnr(sr.upscale(lte), xte)
    bic_psnr = _psnr(F.interpolate(lte, scale_factor=2, mode="bicubic", align_corners=False), xte)
    assert sr_psnr > bic_psnr + 1.0, f"SRGAN PSNR {sr_psnr:.2f} dB vs bicubic {bic_psnr:.2f} dB"
