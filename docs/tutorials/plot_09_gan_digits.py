"""
GANs on images: DCGAN, conditional GAN and SRGAN
================================================

Images need convolutional networks. DCGAN (Radford et al., 2015) is the recipe that made GANs on images
train reliably: a generator of transposed convolutions that doubles the image size at each layer, a
discriminator of strided convolutions, batch normalization, LeakyReLU in D and Adam with beta1 = 0.5.
A conditional GAN also feeds the label to both networks, so we can ask for a given digit. SRGAN trains a
generator to upscale images, with a discriminator that pushes its output towards realistic detail.

All on the bundled 8x8 digits, scaled to [-1, 1] (the generator ends with tanh). The models are small and
trained briefly so that this page builds quickly; ``python -m rosenblatt demo gan`` trains a conditional
DCGAN on 16x16 upscaled digits for longer.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import gan, nn, optim
from rosenblatt.nn import functional as F
from rosenblatt.utils.data import DataLoader, TensorDataset

rb.manual_seed(0)
x01, y = rb.datasets.load_digits()                  # (1797, 1, 8, 8) in [0, 1], labels (1797,)
x = x01 * 2 - 1
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, generator=rb.Generator().manual_seed(0))


def adam(model):
    return optim.Adam(model.parameters(), lr=1e-3, betas=(0.5, 0.999))


def grid(images, nrow, pad=2):
    """(N, 1, H, W) in [-1, 1] -> one image of the N in rows of nrow, with white gaps between them, for imshow."""
    a = images.numpy()[:, 0]
    n, h, w = a.shape
    rows = (n + nrow - 1) // nrow
    out = np.full((rows * (h + pad) + pad, nrow * (w + pad) + pad), -1.0)
    for i in range(n):
        r, c = divmod(i, nrow)
        out[pad + r * (h + pad):pad + r * (h + pad) + h, pad + c * (w + pad):pad + c * (w + pad) + w] = a[i]
    return out


def pixel_fd(samples):
    """Frechet distance between pixel statistics of samples and of the data: lower is closer."""
    return gan.frechet_distance(x.reshape(len(x), -1), samples.reshape(len(samples), -1))


# %%
# DCGAN
# -----
# ``gan.DCGAN`` builds both networks from the image size: G maps z of shape (N, 16) to (N, 1, 8, 8) (a 4x4
# projection, then one stride-2 transposed convolution), D maps images to one logit each. We measure the
# samples with the Frechet distance between Gaussians fitted to the pixels of samples and of the data
# (``gan.frechet_distance``; on Inception features it is the FID).
G, D = gan.dcgan_generator(16, channels=1, image_size=8, width=32), gan.dcgan_discriminator(1, 8, width=32)
dcgan = gan.DCGAN(latent_dim=16, generator=G, discriminator=D, g_optimizer=adam(G), d_optimizer=adam(D))
before = dcgan.sample(500, generator=rb.Generator().manual_seed(1))
history = dcgan.fit(loader, epochs=6, verbose=False)
after = dcgan.sample(500, generator=rb.Generator().manual_seed(1))
fd_before, fd_after = pixel_fd(before), pixel_fd(after)
print(f"DCGAN: pixel Frechet distance to the data {fd_before:.1f} before training, {fd_after:.1f} after")
assert fd_after < fd_before / 2

fig, axes = plt.subplots(1, 3, figsize=(12, 4))
axes[0].imshow(grid(before[:64], 8), cmap="gray_r")
axes[0].set_title("G before training")
axes[1].imshow(grid(after[:64], 8), cmap="gray_r")
axes[1].set_title("G after 6 epochs")
for ax in axes[:2]:
    ax.axis("off")
for k in ("d_loss", "g_loss"):
    axes[2].plot(history.steps[k], label=k, alpha=0.8)
axes[2].set_xlabel("step")
axes[2].legend()
axes[2].set_title("losses per step")
fig.tight_layout()
plt.show()

# %%
# A conditional GAN
# -----------------
# ``gan.ConditionalGAN`` gives G the one-hot label beside z (so G takes 16 + 10 inputs) and D the label as
# 10 extra image channels. To score it we train a small classifier on the real digits and count how often
# it recognises the digit we asked for (``gan.label_agreement``; 10% is chance).
clf = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
rb.fit(clf, loader, nn.CrossEntropyLoss(), optim.Adam(clf.parameters(), lr=3e-3), epochs=10, verbose=False)

rb.manual_seed(0)
k, latent = 10, 16
G = gan.dcgan_generator(latent + k, channels=1, image_size=8, width=32)
D = gan.dcgan_discriminator(channels=1 + k, image_size=8, width=32)
cgan = gan.ConditionalGAN(G, D, latent, k, g_optimizer=adam(G), d_optimizer=adam(D))
cgan.fit(loader, epochs=8, verbose=False)
labels = rb.arange(10).repeat_interleave(50)
samples = cgan.sample(500, labels, generator=rb.Generator().manual_seed(2))
agreement = gan.label_agreement(clf, samples, labels)
print(f"the classifier reads the digit asked for in {agreement:.0%} of the samples")
assert agreement > 0.7

fig, ax = plt.subplots(figsize=(5, 6))
ax.imshow(grid(samples.reshape(10, 50, 1, 8, 8)[:, :8].reshape(80, 1, 8, 8), 8), cmap="gray_r")
ax.set_title("conditional GAN: row i asks for digit i")
ax.axis("off")
plt.show()

# %%
# SRGAN: super-resolution
# -----------------------
# The generator maps a low-resolution image (N, 1, 4, 4) to (N, 1, 8, 8) through residual blocks and a
# PixelShuffle upsampling; its loss is an L1 content loss to the true 8x8 image plus a small adversarial
# term. We compare it with plain bilinear upscaling on held-out digits.
rb.manual_seed(0)
low = F.avg_pool2d(x, 2)                                      # (1797, 1, 4, 4)
sr_loader = DataLoader(TensorDataset(low[:1500], x[:1500]), batch_size=32, shuffle=True,
                       generator=rb.Generator().manual_seed(0))
srgan = gan.SRGAN(channels=1, scale=2, features=16, n_blocks=2, adv_weight=1e-3)
srgan.fit(sr_loader, epochs=2, verbose=False)
low_test, high_test = low[1500:], x[1500:]
sr = srgan.upscale(low_test)
bilinear = F.interpolate(low_test, scale_factor=2, mode="bilinear", align_corners=False)
err_sr = (sr - high_test).abs().mean().item()
err_bl = (bilinear - high_test).abs().mean().item()
print(f"mean absolute error on held-out digits: SRGAN {err_sr:.4f}, bilinear {err_bl:.4f}")
assert err_sr < err_bl

fig, axes = plt.subplots(3, 1, figsize=(9, 3.6))
for ax, imgs, title in zip(axes, [F.interpolate(low_test[:12], scale_factor=2, mode="nearest"), sr[:12],
                                  high_test[:12]], ["low resolution (4x4)", "SRGAN (8x8)", "truth (8x8)"]):
    ax.imshow(grid(imgs.clamp(-1, 1), 12), cmap="gray_r")
    ax.set_title(title, fontsize=9)
    ax.axis("off")
fig.tight_layout()
plt.show()
