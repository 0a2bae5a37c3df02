"""
The artificial neuron
=====================

A neuron computes a weighted sum of its inputs plus a bias and passes it through an activation:
``y = f(w . x + b)``. Stacking neurons in layers gives a network. Here we work one forward pass by
hand, through a 2-2-1 network (two inputs, two ReLU hidden neurons, one sigmoid output), then let
``rosenblatt.nn`` compute the same number.
"""
# The network and its picture. The weights are chosen so the arithmetic is easy to follow.
import math

import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import nn

x = [2.0, 3.0]                       # the input
W1 = [[0.5, 0.2], [-0.3, 0.4]]       # hidden layer: row j holds the weights into hidden neuron j
b1 = [0.1, -0.1]
w2 = [1.0, 1.0]                      # output neuron
b2 = 0.3


def draw_network(ax):
    """Circles for neurons, arrows labelled with their weights, biases written under each neuron."""
    pos = {"x1": (0, 1.5), "x2": (0, 0.5), "h1": (1.6, 1.5), "h2": (1.6, 0.5), "y": (3.2, 1.0)}
    edges = [("x1", "h1", W1[0][0]), ("x2", "h1", W1[0][1]), ("x1", "h2", W1[1][0]), ("x2", "h2", W1[1][1]),
             ("h1", "y", w2[0]), ("h2", "y", w2[1])]
    for a, b, w in edges:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.annotate("", xy=(xb - 0.18, yb + (ya - yb) * 0.11), xytext=(xa + 0.18, ya - (ya - yb) * 0.11),
                    arrowprops={"arrowstyle": "->", "color": "tab:gray"})
        t = 0.3 if a.startswith("x") else 0.5
        ax.text(xa + (xb - xa) * t, ya + (yb - ya) * t + 0.07, f"{w:+.1f}", color="tab:blue", ha="center")
    labels = {"x1": "x1 = 2", "x2": "x2 = 3", "h1": "ReLU\nb=+0.1", "h2": "ReLU\nb=-0.1", "y": "sigmoid\nb=+0.3"}
    for name, (px, py) in pos.items():
        color = "tab:green" if name.startswith("x") else ("tab:orange" if name.startswith("h") else "tab:red")
        ax.add_patch(plt.Circle((px, py), 0.18, color=color, alpha=0.85))
        ax.text(px, py - 0.32, labels[name], ha="center", va="top", fontsize=9)
    ax.set_xlim(-0.5, 3.7)
    ax.set_ylim(-0.3, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("a 2-2-1 network: inputs, ReLU hidden layer, sigmoid output")


fig, ax = plt.subplots(figsize=(7, 4))
draw_network(ax)
plt.show()

# %%
# The forward pass, by hand
# -------------------------
# Hidden neuron 1: ``0.5*2 + 0.2*3 + 0.1 = 1.7``, ReLU keeps 1.7.
# Hidden neuron 2: ``-0.3*2 + 0.4*3 - 0.1 = 0.5``, ReLU keeps 0.5.
# Output: ``1.0*1.7 + 1.0*0.5 + 0.3 = 2.5``, and ``sigmoid(2.5) = 1 / (1 + e^-2.5) = 0.924``.
relu = lambda z: max(z, 0.0)
h = [relu(sum(w * xi for w, xi in zip(W1[j], x)) + b1[j]) for j in range(2)]
z = sum(w * hj for w, hj in zip(w2, h)) + b2
out_by_hand = 1 / (1 + math.exp(-z))
print(f"hidden = {h}, pre-activation z = {z:.3f}, output = {out_by_hand:.4f}")
assert abs(out_by_hand - 0.924) < 1e-3

# %%
# The same network in rosenblatt
# ------------------------------
# ``nn.Linear(2, 2)`` holds a weight of shape ``(out_features, in_features) = (2, 2)`` and a bias of
# shape ``(2,)``: exactly ``W1`` and ``b1``. We copy the numbers in and run the input through.
model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1), nn.Sigmoid())
with rb.no_grad():
    model[0].weight.copy_(rb.tensor(W1))
    model[0].bias.copy_(rb.tensor(b1))
    model[2].weight.copy_(rb.tensor([w2]))
    model[2].bias.copy_(rb.tensor([b2]))
out = model(rb.tensor([x])).item()   # a batch of one sample: shape (1, 2) -> (1, 1)
print(f"rosenblatt: {out:.4f}")
assert abs(out - 0.924) < 1e-3 and abs(out - out_by_hand) < 1e-6

# %%
# A neuron is a line
# ------------------
# One neuron with two inputs splits the plane along the line ``w . x + b = 0``: its output is above
# 0.5 on one side and below on the other. The two hidden neurons draw two such lines; the output
# neuron combines them. Each panel colours the plane by one neuron's output.
g = np.linspace(-3, 5, 161, dtype=np.float32)
gx, gy = np.meshgrid(g, g)
grid = rb.from_numpy(np.stack([gx.ravel(), gy.ravel()], 1))
with rb.no_grad():
    hidden = model[1](model[0](grid)).numpy()
    output = model(grid).numpy()[:, 0]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
for ax, values, title in zip(axes, [hidden[:, 0], hidden[:, 1], output],
                             ["hidden neuron 1 (ReLU)", "hidden neuron 2 (ReLU)", "output (sigmoid)"]):
    im = ax.contourf(gx, gy, values.reshape(gx.shape), levels=20, cmap="viridis")
    ax.plot(*x, "r*", markersize=12)
    ax.set_title(title)
    fig.colorbar(im, ax=ax)
axes[0].set_ylabel("x2")
for ax in axes:
    ax.set_xlabel("x1")
fig.tight_layout()
plt.show()
