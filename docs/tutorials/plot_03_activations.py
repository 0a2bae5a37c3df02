"""
Activation functions and their derivatives
==========================================

Without a nonlinearity between them, stacked linear layers collapse into one linear map. The
activation function is that nonlinearity, and its derivative is what backpropagation multiplies by at
every layer, so its shape decides how well gradients travel through a deep network.

We plot each activation with its derivative, computed by autograd (``y.sum().backward()`` fills
``x.grad`` with ``dy/dx`` at every point), then measure the vanishing gradient.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import nn
from rosenblatt.nn import functional as F

activations = {
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "ReLU": F.relu,
    "leaky ReLU (0.1)": lambda t: F.leaky_relu(t, 0.1),
    "ELU": F.elu,
    "GELU": F.gelu,
}

x = rb.linspace(-4, 4, 401, requires_grad=True)
fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharex=True)
derivs = {}
for ax, (name, fn) in zip(axes.ravel(), activations.items()):
    x.grad = None
    y = fn(x)
    y.sum().backward()            # each y_i depends on x_i alone, so x.grad[i] = dy_i/dx_i
    derivs[name] = x.grad.numpy().copy()
    ax.plot(x.detach().numpy(), y.detach().numpy(), label="f(x)")
    ax.plot(x.detach().numpy(), derivs[name], "--", label="f'(x)")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_title(name)
    ax.grid(alpha=0.3)
axes[0, 0].legend()
fig.tight_layout()
plt.show()

# The derivatives autograd computed match the formulas: sigmoid' = s(1 - s), tanh' = 1 - tanh^2.
xs = x.detach().numpy()
s = 1 / (1 + np.exp(-xs))
assert np.allclose(derivs["sigmoid"], s * (1 - s), atol=1e-6)
assert np.allclose(derivs["tanh"], 1 - np.tanh(xs) ** 2, atol=1e-5)
print(f"largest derivative: sigmoid {derivs['sigmoid'].max():.3f}, tanh {derivs['tanh'].max():.3f}, "
      f"ReLU {derivs['ReLU'].max():.3f}")

# %%
# Softmax: an activation over a vector
# ------------------------------------
# Softmax turns a vector of scores into probabilities, ``exp(z_i) / sum_j exp(z_j)``. Its derivative is a
# matrix, the Jacobian ``diag(p) - p p^T``: raising one score raises its probability and lowers the others.
z = rb.tensor([2.0, 1.0, 0.1], requires_grad=True)
p = F.softmax(z, dim=0)
jac = np.stack([rb.autograd.grad(p[i], z, retain_graph=True)[0].numpy() for i in range(3)])
pn = p.detach().numpy()
assert np.allclose(jac, np.diag(pn) - np.outer(pn, pn), atol=1e-6)
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
axes[0].bar(["z1", "z2", "z3"], z.detach().numpy())
axes[0].set_title("scores z")
axes[1].bar(["p1", "p2", "p3"], pn, color="tab:orange")
axes[1].set_title(f"softmax(z), sums to {pn.sum():.3f}")
im = axes[2].imshow(jac, cmap="coolwarm", vmin=-0.25, vmax=0.25)
axes[2].set_title("Jacobian dp_i / dz_j")
fig.colorbar(im, ax=axes[2])
fig.tight_layout()
plt.show()

# %%
# The vanishing gradient, measured
# --------------------------------
# The sigmoid's derivative is at most 0.25. In a deep stack every layer multiplies the backward signal by
# it, so the gradient reaching the first layers shrinks geometrically. We build 12-layer networks, identical
# but for the activation, run one batch and compare the gradient norm of each layer's weight.
def layer_grad_norms(act, depth=12, width=32, seed=0, he_init=False):
    rb.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), act()]
    model = nn.Sequential(*layers, nn.Linear(width, 1))
    if he_init:  # He et al. (2015): variance 2 / fan_in keeps a ReLU network's signal at one scale
        for m in model:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
    x = rb.randn(64, width)
    model(x).pow(2).mean().backward()
    return [model[2 * i].weight.grad.pow(2).sum().sqrt().item() for i in range(depth)]


norms = {name: layer_grad_norms(act) for name, act in [("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh), ("ReLU", nn.ReLU)]}
norms["ReLU, He init"] = layer_grad_norms(nn.ReLU, he_init=True)
fig, ax = plt.subplots(figsize=(7, 4))
for name, n in norms.items():
    ax.semilogy(range(1, len(n) + 1), n, "o-", label=name)
    print(f"{name:14s} gradient norm, layer 1 / layer 12: {n[0] / n[-1]:.2e}")
ax.set_xlabel("layer (1 = next to the input)")
ax.set_ylabel("||dL/dW||")
ax.set_title("gradient norm per layer at initialisation")
ax.legend()
plt.show()
# %%
# Through twelve sigmoids the first layer's gradient is about ten orders of magnitude smaller than the last
# one's. ReLU's derivative is 1 wherever it is active, but with the default initialization (PyTorch's,
# uniform with variance 1 / (3 fan_in)) every layer still shrinks the signal; with He initialization, made for
# ReLU, the gradient reaches the first layer at the same scale as the last. Activation and initialization are
# chosen together.
ratio = {name: n[0] / n[-1] for name, n in norms.items()}
assert ratio["sigmoid"] < 1e-6
assert ratio["sigmoid"] < ratio["tanh"] and ratio["sigmoid"] < ratio["ReLU"]
assert 0.1 < ratio["ReLU, He init"] < 10
