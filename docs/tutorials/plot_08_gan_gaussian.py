"""
GANs on one dimension: vanilla and WGAN-GP
==========================================

A generative adversarial network pits two networks against each other. The generator G turns noise z
into samples; the discriminator D scores samples as real or fake. D is trained to tell the data from
G's output, G to fool D. At the game's equilibrium G's samples follow the data's distribution.

One dimension lets us see it all: the data is a Gaussian with mean 3 and standard deviation 0.5, and we
draw a histogram of G's samples as training goes. ``rosenblatt.gan.GAN`` runs the alternating updates.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import gan, nn, optim
from rosenblatt.utils.data import DataLoader

MEAN, STD, LATENT = 3.0, 0.5, 4
rb.manual_seed(0)
data = rb.randn(2048, 1) * STD + MEAN                                   # (2048, 1)
loader = DataLoader(data, batch_size=64, shuffle=True, generator=rb.Generator().manual_seed(0))


def networks():
    G = nn.Sequential(nn.Linear(LATENT, 32), nn.LeakyReLU(0.2), nn.Linear(32, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
    D = nn.Sequential(nn.Linear(1, 32), nn.LeakyReLU(0.2), nn.Linear(32, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
    return G, D


def train_with_snapshots(model, rounds, epochs_per_round):
    """Trains in rounds and keeps 2000 samples after each, to draw the histograms."""
    snaps = [model.sample(2000, generator=rb.Generator().manual_seed(1)).numpy()[:, 0]]
    for _ in range(rounds):
        model.fit(loader, epochs=epochs_per_round, verbose=False)
        snaps.append(model.sample(2000, generator=rb.Generator().manual_seed(1)).numpy()[:, 0])
    return snaps


def plot_snapshots(snaps, epochs_per_round, title):
    fig, axes = plt.subplots(1, len(snaps), figsize=(2.3 * len(snaps), 2.6), sharey=True)
    bins = np.linspace(-1, 6, 50)
    for i, (ax, s) in enumerate(zip(axes, snaps)):
        ax.hist(data.numpy()[:, 0], bins=bins, density=True, alpha=0.4, color="tab:gray", label="data")
        ax.hist(s, bins=bins, density=True, alpha=0.6, color="tab:orange", label="G")
        ax.set_title(f"epoch {i * epochs_per_round}", fontsize=9)
        ax.set_xticks([0, 3, 6])
    axes[0].legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()


# %%
# The vanilla GAN
# ---------------
# ``loss="bce"`` is the non-saturating objective of Goodfellow et al. (2014): D minimises the binary
# cross-entropy of real-vs-fake, G maximises ``log D(G(z))``.
G, D = networks()
vanilla = gan.GAN(G, D, latent_dim=LATENT, loss="bce",
                  g_optimizer=optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999)),
                  d_optimizer=optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999)))
snaps = train_with_snapshots(vanilla, rounds=6, epochs_per_round=5)
plot_snapshots(snaps, 5, "vanilla GAN: G's samples (orange) against the data (gray)")
first, last = snaps[0], snaps[-1]
print(f"G's samples: mean {first.mean():.2f} -> {last.mean():.2f} (data {MEAN}), "
      f"std {first.std():.2f} -> {last.std():.2f} (data {STD})")
assert abs(last.mean() - MEAN) < 0.3 and abs(first.mean() - MEAN) > 1.0

# %%
# WGAN-GP
# -------
# The Wasserstein GAN with gradient penalty (Gulrajani et al., 2017) replaces the classifier by a critic
# whose score difference estimates the earth-mover distance between the two distributions; a penalty
# ``gp_weight * (||grad D(x_hat)|| - 1)^2`` keeps its slope near 1 at points x_hat between real and fake
# samples. The critic is updated 5 times per generator update. ``GAN(..., loss="wgan-gp")`` does all of it
# (the penalty is ``rosenblatt.gan.gradient_penalty``, which differentiates through a gradient).
#
# One lesson from one dimension: with the paper's ``gp_weight=10`` a critic that starts with the wrong
# slope (decreasing towards the data) stays stuck there, since turning the slope around passes through
# slope 0, where the penalty costs 10, more than the critic gains (3, the distance between the means). The
# generator then follows the wrong slope away from the data. PyTorch does the same with these settings. A
# weight of 1 lets the critic turn around. The critic's game also oscillates more than the vanilla GAN's.
rb.manual_seed(0)
G, D = networks()
wgan = gan.GAN(G, D, latent_dim=LATENT, loss="wgan-gp", gp_weight=1.0,
               g_optimizer=optim.Adam(G.parameters(), lr=2e-3, betas=(0.0, 0.9)),
               d_optimizer=optim.Adam(D.parameters(), lr=2e-3, betas=(0.0, 0.9)))
snaps = train_with_snapshots(wgan, rounds=6, epochs_per_round=3)
plot_snapshots(snaps, 3, "WGAN-GP: G's samples (orange) against the data (gray)")
print(f"WGAN-GP samples: mean {snaps[0].mean():.2f} -> {snaps[-1].mean():.2f}, std {snaps[-1].std():.2f}")
assert abs(snaps[-1].mean() - MEAN) < abs(snaps[0].mean() - MEAN) / 2
