"""The Python side of examples/cpp: `prepare DIR` writes the digits split as CSV for the C++ program;
`check CKPT OUT` loads the C++ checkpoint into the same CNN, prints its test accuracy, and re-saves it."""
import os
import sys

import numpy as np

import rosenblatt as rb
from rosenblatt import nn


def cnn(hidden=128):
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def prepare(out):
    os.makedirs(out, exist_ok=True)
    for split in ("train", "test"):
        x, y = rb.datasets.load_digits(split)
        table = np.concatenate([x.numpy().reshape(len(y), 64), y.numpy()[:, None].astype(np.float32)], axis=1)
        np.savetxt(os.path.join(out, f"{split}.csv"), table, delimiter=",", fmt="%.9g")


def check(ckpt, out):
    model = cnn()
    model.load_state_dict(rb.load(ckpt))
    model.eval()
    x, y = rb.datasets.load_digits("test")
    with rb.no_grad():
        acc = (model(x).argmax(1) == y).float().mean().item()
    print(f"test accuracy {acc:.4f}")
    rb.save(model.state_dict(), out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"] and len(sys.argv) == 3:
        prepare(sys.argv[2])
    elif sys.argv[1:2] == ["check"] and len(sys.argv) == 4:
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
