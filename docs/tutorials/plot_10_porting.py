"""
From PyTorch and back: porting scripts and moving checkpoints
=============================================================

rosenblatt's Python API is PyTorch's for everything it covers: the same names, arguments, defaults,
shapes, ``state_dict`` keys and exception types. Porting a script is changing its import, and trained
weights cross between the two libraries through ``state_dict`` files: PyTorch's own ``.pt`` checkpoints, or
safetensors files.

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
# ``rosenblatt.save(model.state_dict(), "model.pt")`` writes the zip archive ``torch.save`` writes, with
# PyTorch's keys (``0.weight``, ``0.bias``, ...), and ``torch.load`` reads it; ``rosenblatt.load`` reads what
# ``torch.save`` wrote. Loading has ``torch.load``'s ``weights_only=True`` rules: the file may name tensors,
# containers and numbers only, so loading it runs no code from it. A path ending in ``.safetensors`` uses the
# safetensors format instead (``safetensors.torch.load_file``/``save_file`` on PyTorch's side). Both below.
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

    x_t = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
    # rosenblatt -> PyTorch, through safetensors and through a .pt file
    pt_path = os.path.join(folder, "xor.pt")
    rosenblatt.save(model.state_dict(), pt_path)
    for state_t in (load_file(path), torch.load(pt_path, weights_only=True)):
        tmodel = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
        tmodel.load_state_dict(state_t)
        assert np.allclose(tmodel(x_t).detach().numpy(), model(x).detach().numpy(), atol=1e-6)
    # PyTorch -> rosenblatt, both formats
    torch.manual_seed(1)
    fresh = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    save_file(fresh.state_dict(), os.path.join(folder, "from_torch.safetensors"))
    torch.save(fresh.state_dict(), os.path.join(folder, "from_torch.pt"))
    for name in ("from_torch.safetensors", "from_torch.pt"):
        copy.load_state_dict(rosenblatt.load(os.path.join(folder, name)))
        assert np.allclose(copy(x).detach().numpy(), fresh(x_t).detach().numpy(), atol=1e-6)
    print("the same outputs in both libraries, in both directions, through .pt and .safetensors files")

# %%
# Optimizer state travels too
# ---------------------------
# ``rosenblatt.save`` also takes nested objects such as an optimizer's ``state_dict`` (its layout is
# torch.optim's), so training resumes where it stopped, in either library.
opt = rosenblatt.optim.Adam(model.parameters(), lr=0.05)
model(x).sum().backward()
opt.step()
rosenblatt.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3},
                os.path.join(folder, "checkpoint.pt"))
ckpt = rosenblatt.load(os.path.join(folder, "checkpoint.pt"))
opt2 = rosenblatt.optim.Adam(copy.parameters(), lr=0.05)
opt2.load_state_dict(ckpt["optimizer"])
assert ckpt["epoch"] == 3 and opt2.state_dict()["param_groups"] == opt.state_dict()["param_groups"]

# %%
# Embedding the C++ core
# ----------------------
# The tensors, autograd and kernels are a C++ library with public headers in ``cpp/include/rosenblatt``;
# a C++ program can use them without Python. :doc:`/cpp` describes what the headers offer today.
