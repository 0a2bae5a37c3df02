"""
Losses and optimizers
=====================

A loss measures how wrong a prediction is; an optimizer uses its gradient to change the parameters.
We first look at three losses as functions of the prediction, then race five optimizers on one
problem and watch their paths, and finally see what the learning rate does.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import nn, optim

# %%
# Losses
# ------
# For a regression target of 0, mean squared error grows quadratically (large errors dominate) and mean
# absolute error linearly (robust to outliers, but its gradient never shrinks). For a binary label 1,
# cross-entropy ``-log p`` punishes a confident wrong answer without bound.
pred = rb.linspace(-3, 3, 121)
zero = rb.zeros(121)
mse = nn.MSELoss(reduction="none")(pred, zero)
mae = nn.L1Loss(reduction="none")(pred, zero)
prob = rb.linspace(0.01, 0.99, 99)
bce = nn.BCELoss(reduction="none")(prob, rb.ones(99))
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
axes[0].plot(pred.numpy(), mse.numpy(), label="MSE  (y_hat - y)^2")
axes[0].plot(pred.numpy(), mae.numpy(), label="MAE  |y_hat - y|")
axes[0].set_xlabel("prediction (target 0)")
axes[0].legend()
axes[1].plot(prob.numpy(), bce.numpy(), color="tab:red", label="cross-entropy  -log p")
axes[1].set_xlabel("predicted probability of the true class")
axes[1].legend()
fig.tight_layout()
plt.show()
assert abs(mse[0].item() - 9.0) < 1e-5 and abs(mae[0].item() - 3.0) < 1e-5
assert abs(bce[0].item() + np.log(0.01)) < 1e-4

# %%
# Five optimizers on one problem
# ------------------------------
# A narrow valley, ``f(a, b) = 0.05 a^2 + b^2``: steep across, shallow along. Plain SGD must keep its
# step small for the steep direction and then crawls along the shallow one. Momentum accumulates speed
# along the valley; Adagrad, RMSprop and Adam scale each coordinate's step by its gradient history.


def f(w):
    return 0.05 * w[0] ** 2 + w[1] ** 2


def run(make_opt, steps=60, start=(-9.0, 2.0)):
    w = rb.tensor(list(start), requires_grad=True)
    opt = make_opt([w])
    path = [w.detach().numpy().copy()]
    for _ in range(steps):
        loss = f(w)
        opt.zero_grad()
        loss.backward()
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(path), f(w).item()


optimizers = {
    "SGD": lambda p: optim.SGD(p, lr=0.4),
    "SGD + momentum": lambda p: optim.SGD(p, lr=0.4, momentum=0.7),
    "Adagrad": lambda p: optim.Adagrad(p, lr=1.5),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.3),
    "Adam": lambda p: optim.Adam(p, lr=0.5),
}
results = {name: run(make) for name, make in optimizers.items()}

g1, g2 = np.meshgrid(np.linspace(-10, 2, 200), np.linspace(-3, 3, 120))
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.contour(g1, g2, 0.05 * g1 ** 2 + g2 ** 2, levels=np.geomspace(0.01, 14, 15), colors="0.8")
for name, (path, final) in results.items():
    ax.plot(path[:, 0], path[:, 1], ".-", ms=3, label=f"{name}: f = {final:.1e}")
    print(f"{name:15s} f after 60 steps: {final:.2e}")
ax.plot(0, 0, "k*", ms=12)
ax.set_xlabel("a")
ax.set_ylabel("b")
ax.set_title("60 steps from (-9, 2)")
ax.legend(fontsize=8)
plt.show()
# On this valley momentum gets much further than plain SGD with the same learning rate.
start_loss = f(rb.tensor([-9.0, 2.0])).item()
assert all(final < start_loss / 10 for _, final in results.values())
assert results["SGD + momentum"][1] < results["SGD"][1] / 10

# %%
# The learning rate
# -----------------
# On the steep direction (curvature 2) SGD's step multiplies b by ``1 - 2 lr`` each time: below
# ``lr = 1`` it shrinks, above it the iterates flip sign and grow. Too small is slow, too large diverges.
fig, ax = plt.subplots(figsize=(7, 4))
curves = {}
for lr in (0.02, 0.2, 0.9, 1.05):
    w = rb.tensor([-9.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=lr)
    losses = []
    for _ in range(40):
        loss = f(w)
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    curves[lr] = losses
    ax.semilogy(losses, label=f"lr = {lr}")
ax.set_xlabel("step")
ax.set_ylabel("f")
ax.legend()
ax.set_title("SGD on the valley: the learning rate decides")
plt.show()
assert curves[1.05][-1] > curves[1.05][0]            # diverges
assert curves[0.2][-1] < curves[0.02][-1]            # a larger stable step gets further
