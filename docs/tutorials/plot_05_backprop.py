"""
Backpropagation by hand, against autograd
=========================================

Backpropagation is the chain rule applied from the loss backwards, layer by layer, reusing what the
forward pass computed. We write it out in numpy for a two-layer network,

``h = tanh(x W1^T + b1)``,  ``y_hat = h W2^T + b2``,  ``L = mean((y_hat - y)^2)``,

and check every gradient against ``loss.backward()``.
"""
import matplotlib.pyplot as plt
import numpy as np

import rosenblatt as rb
from rosenblatt import nn

rb.manual_seed(0)
N, D, H, O = 16, 3, 5, 2
model = nn.Sequential(nn.Linear(D, H), nn.Tanh(), nn.Linear(H, O)).double()
x = rb.randn(N, D, dtype=rb.float64)
y = rb.randn(N, O, dtype=rb.float64)

# %%
# Forward and backward in numpy
# -----------------------------
# Shapes: x (N, D), W1 (H, D), h (N, H), W2 (O, H), y_hat (N, O). Each backward line is one chain-rule
# step; ``dX`` means dL/dX.
W1, b1 = model[0].weight.detach().numpy(), model[0].bias.detach().numpy()
W2, b2 = model[2].weight.detach().numpy(), model[2].bias.detach().numpy()
xn, yn = x.numpy(), y.numpy()

a = xn @ W1.T + b1                 # (N, H)
h = np.tanh(a)
y_hat = h @ W2.T + b2              # (N, O)
loss_np = np.mean((y_hat - yn) ** 2)

dy_hat = 2 * (y_hat - yn) / y_hat.size   # d mean(e^2) / de
dW2 = dy_hat.T @ h                       # (O, H)
db2 = dy_hat.sum(0)
dh = dy_hat @ W2                         # (N, H)
da = dh * (1 - h ** 2)                   # tanh' = 1 - tanh^2
dW1 = da.T @ xn                          # (H, D)
db1 = da.sum(0)

# %%
# The same with autograd
# ----------------------
loss = nn.functional.mse_loss(model(x), y)
loss.backward()
by_hand = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
by_autograd = {"W1": model[0].weight.grad.numpy(), "b1": model[0].bias.grad.numpy(),
               "W2": model[2].weight.grad.numpy(), "b2": model[2].bias.grad.numpy()}
print(f"loss: numpy {loss_np:.10f}, rosenblatt {loss.item():.10f}")
for k in by_hand:
    err = np.abs(by_hand[k] - by_autograd[k]).max()
    print(f"d{k}: shape {by_hand[k].shape}, largest difference {err:.1e}")
    assert err < 1e-12
assert abs(loss_np - loss.item()) < 1e-12

fig, ax = plt.subplots(figsize=(5, 5))
for k in by_hand:
    ax.scatter(by_hand[k].ravel(), by_autograd[k].ravel(), label=k, s=20)
lim = max(np.abs(v).max() for v in by_hand.values()) * 1.1
ax.plot([-lim, lim], [-lim, lim], "k--", lw=0.8)
ax.set_xlabel("gradient by hand (numpy)")
ax.set_ylabel("gradient from loss.backward()")
ax.set_title("every gradient on the diagonal")
ax.legend()
plt.show()

# %%
# A third opinion: finite differences
# -----------------------------------
# ``rb.autograd.gradcheck`` nudges each input by a small epsilon and compares ``(f(x+e) - f(x-e)) / 2e``
# with the analytical gradient: the standard test of a hand-written backward.
W1t = rb.tensor(W1, requires_grad=True)


def loss_of_w1(w):
    return ((rb.tanh(x @ w.t() + model[0].bias.detach()) @ model[2].weight.detach().t()
             + model[2].bias.detach() - y) ** 2).mean()


assert rb.autograd.gradcheck(loss_of_w1, (W1t,))
print("gradcheck passed")
