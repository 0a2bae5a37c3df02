"""
The perceptron learning rule
============================

Rosenblatt's perceptron (1958) is one neuron with a step activation: it predicts 1 where
``w . x + b >= 0`` and 0 elsewhere. It learns one sample at a time: after a mistake,
``w <- w + lr * (y - y_hat) * x`` and ``b <- b + lr * (y - y_hat)``. When the two classes can be
separated by a line, the rule finds one in a finite number of steps (the perceptron convergence
theorem). When they cannot, as for XOR, it never stops making mistakes.

``rosenblatt.Perceptron`` runs the rule in the C++ core; here we also step it by hand to watch it.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
y_and = np.array([0, 0, 0, 1])
y_xor = np.array([0, 1, 1, 0])

# %%
# Step by step on AND
# -------------------
# ``Perceptron.update`` applies the rule once. One epoch visits the four samples in order; we print each
# mistake and the weights it produces, and keep the line after every epoch.
p = rb.Perceptron(n_features=2, lr=0.5)
lines = []
for epoch in range(1, 20):
    mistakes = 0
    for xi, yi in zip(X, y_and):
        pred = int(p.predict(xi).item())
        if pred != yi:
            mistakes += 1
            p.update(xi, yi, pred)
            print(f"epoch {epoch}: x={xi.tolist()} target {yi} predicted {pred} -> "
                  f"w={np.round(p.weight.numpy(), 2).tolist()} b={p.bias.item():+.2f}")
    lines.append((p.weight.numpy().copy(), p.bias.item()))
    if mistakes == 0:
        break
print(f"no mistakes in epoch {epoch}: converged")
assert mistakes == 0 and p.score(X, y_and) == 1.0

# %%
# The decision boundary, epoch by epoch
# -------------------------------------
# Each panel shows the line ``w . x + b = 0`` after one epoch; the shaded side is predicted 1.


def plot_boundary(ax, w, b, y, title):
    g = np.linspace(-0.5, 1.5, 101)
    gx, gy = np.meshgrid(g, g)
    ax.contourf(gx, gy, (w[0] * gx + w[1] * gy + b >= 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["#f3f3f3", "#cfe3f7"])
    if abs(w[1]) > 1e-9:
        ax.plot(g, -(w[0] * g + b) / w[1], "k-")
    ax.scatter(X[:, 0], X[:, 1], c=["tab:red" if t else "tab:gray" for t in y], s=80, edgecolors="k")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_title(title)


fig, axes = plt.subplots(1, len(lines), figsize=(3 * len(lines), 3), squeeze=False)
for i, (w, b) in enumerate(lines):
    plot_boundary(axes[0, i], w, b, y_and, f"AND, after epoch {i + 1}")
fig.tight_layout()
plt.show()

# %%
# fit() runs the same rule in C++
# -------------------------------
# ``fit`` stops after the first epoch without a mistake and records the mistakes per epoch in
# ``errors_``. On AND it converges; on XOR no line separates the classes (the two 1s sit on opposite
# corners), so it runs out of epochs and is still wrong on some samples.
p_and = rb.Perceptron(2, lr=0.5, max_epochs=50).fit(X, y_and)
p_xor = rb.Perceptron(2, lr=0.5, max_epochs=50).fit(X, y_xor)
print(f"AND: converged={p_and.converged_} after {p_and.n_epochs_} epochs, accuracy {p_and.score(X, y_and):.2f}")
print(f"XOR: converged={p_xor.converged_} after {p_xor.n_epochs_} epochs, accuracy {p_xor.score(X, y_xor):.2f}")
assert p_and.converged_ and p_and.score(X, y_and) == 1.0
assert not p_xor.converged_ and p_xor.score(X, y_xor) < 1.0

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
axes[0].plot(range(1, len(p_and.errors_) + 1), p_and.errors_, "o-", label="AND")
axes[0].plot(range(1, len(p_xor.errors_) + 1), p_xor.errors_, "o-", label="XOR", alpha=0.7)
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("mistakes")
axes[0].legend()
axes[0].set_title("mistakes per epoch")
plot_boundary(axes[1], p_and.weight.numpy(), p_and.bias.item(), y_and, "AND: a line exists")
plot_boundary(axes[2], p_xor.weight.numpy(), p_xor.bias.item(), y_xor, "XOR: no line works")
fig.tight_layout()
plt.show()

# %%
# A hidden layer solves XOR
# -------------------------
# Two neurons draw two lines; a third combines them ("x1 OR x2" and not "x1 AND x2"). With a smooth
# activation the network is trained by gradient descent instead of the perceptron rule.
from rosenblatt import nn, optim  # noqa: E402

rb.manual_seed(0)
mlp = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
opt = optim.Adam(mlp.parameters(), lr=0.05)
xt, yt = rb.from_numpy(X), rb.from_numpy(y_xor.astype(np.float32)).reshape(4, 1)
for _ in range(300):
    loss = nn.functional.binary_cross_entropy_with_logits(mlp(xt), yt)
    opt.zero_grad()
    loss.backward()
    opt.step()
pred = (mlp(xt).detach().numpy()[:, 0] > 0).astype(int)
print(f"MLP on XOR: loss {loss.item():.4f}, predictions {pred.tolist()}")
assert (pred == y_xor).all()
