# A typical training script, written as a PyTorch user would, that `mypy --strict` must accept
# (tests/test_typing.py): modules, data loading, an optimizer with a schedule, a loop, checkpoints.
import os
import tempfile

import numpy as np

import rosenblatt as rb
from rosenblatt import nn, optim
from rosenblatt.nn import functional as F
from rosenblatt.optim.lr_scheduler import StepLR
from rosenblatt.utils.data import DataLoader, TensorDataset


class MLP(nn.Module):
    def __init__(self, n_in: int, n_hidden: int, n_classes: int, p: float = 0.1) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Dropout(p))
        self.head = nn.Linear(n_hidden, n_classes)

    def forward(self, x: rb.Tensor) -> rb.Tensor:
        h: rb.Tensor = self.body(x)
        out: rb.Tensor = self.head(F.relu(h) + h)
        return out


def accuracy(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct, total = 0, 0
    with rb.no_grad():
        for x, y in loader:
            pred = model(x).argmax(dim=1)
            correct += int((pred == y).sum().item())
            total += y.shape[0]
    return correct / total


def main() -> float:
    rb.manual_seed(0)
    x = rb.randn(256, 8)
    y = (x[:, 0] > 0).long()
    train = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    test = DataLoader(TensorDataset(x, y), batch_size=128)

    model = MLP(8, 32, 2)
    opt = optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
    sched = StepLR(opt, step_size=2, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()

    for _epoch in range(4):
        model.train()
        running = 0.0
        for xb, yb in train:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.item()
        sched.step()
    lr: float = sched.get_last_lr()[0]

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "mlp.pt")
        rb.save(model.state_dict(), path)
        state = rb.load(path)
        model.load_state_dict(state)

    z = rb.zeros(3, dtype=rb.float32, device="cpu")
    w = rb.ones(3, dtype=rb.float64, requires_grad=True)
    total = (z + 1.5 * w).sum() / 3
    total.backward()
    grad = w.grad
    assert grad is not None and z.dtype == rb.float32 and w.device == rb.device("cpu")
    w.grad = None
    z += 1
    z.mul_(np.float32(2.0)).clamp_(0, 10)
    n_rows: int = x.shape[0]
    first: float = z[0].item() + n_rows * 0
    scale: float = total.item() * lr + running * 0.0 + first * 0.0
    return accuracy(model, test) + scale * 0.0


def fit_with_callbacks(model: nn.Module, loader: DataLoader) -> float:
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    stop = rb.train.EarlyStopping(monitor="loss", patience=2)
    history = rb.fit(model, loader, nn.CrossEntropyLoss(), opt, epochs=2, callbacks=[stop], verbose=False)
    return history["loss"][-1]


if __name__ == "__main__":
    print(f"accuracy {main():.3f}")
    x = rb.randn(64, 8)
    loader = DataLoader(TensorDataset(x, (x[:, 1] > 0).long()), batch_size=16)
    print(f"loss {fit_with_callbacks(MLP(8, 16, 2), loader):.3f}")
