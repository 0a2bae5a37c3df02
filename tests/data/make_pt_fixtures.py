"""Writes the PyTorch checkpoints tests/test_checkpoint_pt.py reads without PyTorch: the same object saved
by torch.save in the zip format (torch_zip.pt) and in the legacy format (torch_legacy.pt). Run it with
PyTorch 2.13 installed: python tests/data/make_pt_fixtures.py (the files are checked in)."""
import os
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 3  # training steps before the checkpoint, and again after it for the expected parameters


def _train(torch, model, opt, sched, x, y, steps):
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
        sched.step()


def build(torch):
    """Tensors of every dtype rosenblatt has (the 16-bit floats and small integers included), views sharing
    one storage, a Parameter, plain containers, and a training run (Linear + Adam + StepLR) checkpointed
    midway with the parameters it reaches afterwards."""
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    obj = {
        "f32": base, "t": base.t(), "row": base[1], "cols": base[:, ::2],
        "f64": torch.linspace(-1, 1, 5, dtype=torch.float64),
        "i64": torch.tensor([-3, 0, 2**40]), "b": torch.tensor([True, False, True]),
        "scalar": torch.tensor(2.5), "empty": torch.zeros(0, 3),
        "param": torch.nn.Parameter(torch.tensor([1.0, -2.0])),
        "nested": {"epoch": 7, "name": "run", "lr": 1e-3, "none": None, "tuple": (1, "a"),
                   "list": [1.5, torch.tensor([4])]},
        "od": OrderedDict(a=1, b=2),
        "small": {name: torch.tensor([-3.5, 0.25, 100.0, 7.0]).to(getattr(torch, name))
                  for name in ("float16", "bfloat16", "int32", "int16", "int8", "uint8")},
    }
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 3)
    opt = torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.8, 0.9))
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    x, y = torch.randn(8, 4), torch.randint(0, 3, (8,))
    _train(torch, model, opt, sched, x, y, STEPS)
    obj["train"] = {"x": x, "y": y, "model": model.state_dict(), "optimizer": opt.state_dict(),
                    "scheduler": sched.state_dict()}
    obj["train"] = _cloned(torch, obj["train"])  # the checkpoint as it was, not the state trained on below
    _train(torch, model, opt, sched, x, y, STEPS)
    obj["train"]["expected"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return obj


def _cloned(torch, obj):
    if isinstance(obj, torch.Tensor):
        return obj.detach().clone()
    if isinstance(obj, dict):
        return {k: _cloned(torch, v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_cloned(torch, v) for v in obj]
    return obj


def main():
    import torch

    obj = build(torch)
    torch.save(obj, os.path.join(HERE, "torch_zip.pt"))
    torch.save(obj, os.path.join(HERE, "torch_legacy.pt"), _use_new_zipfile_serialization=False)
    print("torch", torch.__version__, {n: os.path.getsize(os.path.join(HERE, n)) for n in ("torch_zip.pt",
                                                                                             "torch_legacy.pt")})


if __name__ == "__main__":
    main()
