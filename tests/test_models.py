"""Models learn: a 2-16-1 MLP solves XOR while a single linear layer cannot, and the seed's
worked forward pass (ReLU hidden layer, sigmoid output) gives z_out = 2.5 and 0.924."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn as nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


def seeded_init(model, seed):
    """Redraws every parameter from a seeded numpy generator within torch's default bounds, so the
    test does not depend on the library's random stream."""
    rng = np.random.default_rng(seed)
    sd = {}
    for name, p in model.named_parameters():
        owner = model.get_submodule(name.rsplit(".", 1)[0])
        fan_in = owner.in_features
        bound = 1 / np.sqrt(fan_in)
        sd[name] = rng.uniform(-bound, bound, tuple(p.shape)).astype(np.float32)
    model.load_state_dict(sd)


class HandSGD:
    """p -= lr * p.grad, for trees without rosenblatt.optim.SGD."""

    def __init__(self, params, lr):
        self.params, self.lr = list(params), lr

    def step(self):
        with rb.no_grad():
            for p in self.params:
                p -= self.lr * p.grad

    def zero_grad(self):
        for p in self.params:
            p.grad = None


def train(model, epochs, lr):
    x, y = rb.from_numpy(X), rb.from_numpy(Y)
    loss_fn = nn.MSELoss()
    opt = (rb.optim.SGD if hasattr(rb.optim, "SGD") else HandSGD)(model.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    with rb.no_grad():
        return model(x).numpy().copy(), loss.item()


@pytest.mark.parametrize("seed", [0, 1])
def test_mlp_learns_xor(seed):
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1), nn.Sigmoid())
    seeded_init(model, seed)
    out, loss = train(model, epochs=3000, lr=1.0)
    assert ((out > 0.5) == (Y > 0.5)).all(), out.ravel()
    assert loss < 0.05


def test_single_linear_layer_cannot_learn_xor():
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    seeded_init(model, 0)
    out, loss = train(model, epochs=3000, lr=1.0)
    accuracy = ((out > 0.5) == (Y > 0.5)).mean()
    assert accuracy <= 0.75
    assert loss > 0.2  # stuck near the best linear fit (0.25 at all outputs 0.5)


def test_worked_forward_pass():
    # w_ij joins input i to hidden unit j; Linear stores weight[j, i] = w_ij (row = hidden unit)
    w11, w12, w21, w22 = 0.5, -0.3, 0.8, 0.2
    hidden = nn.Linear(2, 2)
    out = nn.Linear(2, 1)
    model = nn.Sequential(hidden, nn.ReLU(), out, nn.Sigmoid())
    model.load_state_dict({
        "0.weight": np.array([[w11, w21], [w12, w22]], np.float32),
        "0.bias": np.array([0.1, -0.2], np.float32),
        "2.weight": np.array([[0.7, -0.5]], np.float32),
        "2.bias": np.array([0.05], np.float32),
    })
    x = rb.tensor([[2.0, 3.0]])
    h = model[1](hidden(x))
    assert h.numpy(force=True).ravel().tolist() == pytest.approx([3.5, 0.0])
    z_out = out(h)
    assert z_out.item() == pytest.approx(2.5, abs=1e-6)
    y = model(x)
    assert y.item() == pytest.approx(0.924, abs=5e-4)
    assert y.item() == pytest.approx(1 / (1 + np.exp(-2.5)), rel=1e-6)
