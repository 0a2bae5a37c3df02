"""
From PyTorch and back: porting scripts and moving checkpoints
=============================================================

rosenblatt's Python API is PyTorch's for everything it covers: the same names, arguments, defaults,
shapes, ``state_dict`` keys and exception types. Porting a script is changing its import, and trained
weights cross between the two libraries through ``state_dict`` files in the safetensors format.

Porting a script
----------------
The whole diff of a typical training script::

    -import torch
    -from torch import nn, optim
    +import rosenblatt as torch
    +from rosenblatt import nn, optim

What does not port: CUDA tensors (this build is CPU-only), complex dtypes, ``torch.compile``
(``rosenblatt.compile`` returns the model unchanged and runs it eagerly), and the layers listed on
:doc:`/differences`. A missing name fails loudly with an ``AttributeError``, never silently.

Below, one function trains a model; it receives the library as an argument, exactly as a script would
after changing its import.
"""
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np

import rosenblatt


def train_xor(torch, steps=200):
    """Written for PyTorch; runs unchanged on rosenblatt."""
    from_numpy = torch.from_numpy
    torch.manual_seed(0)
    x = from_numpy(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32))
    y = from_numpy(np.array([[0], [1], [1], [0]], dtype=np.float32))
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return model, losses


model, losses = train_xor(rosenblatt)
print(f"rosenblatt: final loss {losses[-1]:.4f}")
assert losses[-1] < 0.05

try:
    import torch
except ImportError:   # the page builds without PyTorch; the comparison needs it
    torch = None
if torch is not None:
    _, torch_losses = train_xor(torch)
    print(f"PyTorch:    final loss {torch_losses[-1]:.4f}")
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(losses, label="rosenblatt")
if torch is not None:
    ax.semilogy(torch_losses, "--", label="PyTorch")
ax.set_xlabel("step")
ax.set_ylabel("BCE loss")
ax.set_title("one script, two libraries")
ax.legend()
plt.show()

# %%
# Checkpoints both ways
# ---------------------
# ``rosenblatt.save(model.state_dict(), path)`` writes a safetensors file with PyTorch's keys
# (``0.weight``, ``0.bias``, ...); PyTorch reads it with ``safetensors.torch.load_file`` and
# ``load_state_dict``. The other way, ``safetensors.torch.save_file`` writes what ``rosenblatt.load`` reads.
# rosenblatt never pickles: loading a file parses data and cannot run code.
folder = tempfile.mkdtemp()
path = os.path.join(folder, "xor.safetensors")
rosenblatt.save(model.state_dict(), path)
state = rosenblatt.load(path)
print({k: tuple(v.shape) for k, v in state.items()})
x = rosenblatt.tensor([[0.0, 1.0], [1.0, 1.0]])
copy = rosenblatt.nn.Sequential(rosenblatt.nn.Linear(2, 8), rosenblatt.nn.Tanh(), rosenblatt.nn.Linear(8, 1))
copy.load_state_dict(state)
assert np.array_equal(copy(x).detach().numpy(), model(x).detach().numpy())

if torch is not None:
    from safetensors.torch import load_file, save_file

    # rosenblatt -> PyTorch
    tmodel = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    tmodel.load_state_dict(load_file(path))
    out_t = tmodel(torch.tensor([[0.0, 1.0], [1.0, 1.0]])).detach().numpy()
    assert np.allclose(out_t, model(x).detach().numpy(), atol=1e-6)
    # PyTorch -> rosenblatt
    torch.manual_seed(1)
    fresh = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    back = os.path.join(folder, "from_torch.safetensors")
    save_file(fresh.state_dict(), back)
    copy.load_state_dict(rosenblatt.load(back))
    assert np.allclose(copy(x).detach().numpy(), fresh(torch.tensor([[0.0, 1.0], [1.0, 1.0]])).detach().numpy(),
                       atol=1e-6)
    print("the same outputs in both libraries, in both directions")

# %%
# Optimizer state travels too
# ---------------------------
# ``rosenblatt.save`` also takes nested objects such as an optimizer's ``state_dict`` (its layout is
# torch.optim's), so training resumes where it stopped.
opt = rosenblatt.optim.Adam(model.parameters(), lr=0.05)
model(x).sum().backward()
opt.step()
rosenblatt.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3},
                os.path.join(folder, "checkpoint.safetensors"))
ckpt = rosenblatt.load(os.path.join(folder, "checkpoint.safetensors"))
opt2 = rosenblatt.optim.Adam(copy.parameters(), lr=0.05)
opt2.load_state_dict(ckpt["optimizer"])
assert ckpt["epoch"] == 3 and opt2.state_dict()["param_groups"] == opt.state_dict()["param_groups"]

# %%
# Embedding the C++ core
# ----------------------
# The tensors, autograd and kernels are a C++ library with public headers in ``cpp/include/rosenblatt``;
# a C++ program can use them without Python. :doc:`/cpp` describes what the headers offer today.
