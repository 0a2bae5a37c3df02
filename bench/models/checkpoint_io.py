"""Checkpoint files of a 100 MB state_dict (25 float32 tensors of 4 MB): seconds to save and to load with
rosenblatt (PyTorch's zip format; load plain and with mmap=True) and with PyTorch (torch.save / torch.load
with weights_only=True), and how much each load grew the peak RSS (one copy of the data is 100 MB).
Each load runs in a fresh interpreter, so the peak RSS is its own.

    python bench/models/checkpoint_io.py [folder for the 100 MB files, default: a temporary one]
"""
import glob
import os
import subprocess
import sys
import tempfile

_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
if glob.glob(os.path.join(_SRC, "rosenblatt", "_C*.so")):
    sys.path.insert(0, _SRC)

_CHILD = r"""
import resource, sys, time
lib, mode, path = sys.argv[1:4]
if lib == "torch":
    import torch as m
    kw = {"weights_only": True}
else:
    import rosenblatt as m
    kw = {}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if mode == "save":
    sd = {f"w{i}": m.randn(1 << 20) for i in range(25)}
    t = time.perf_counter(); m.save(sd, path); dt = time.perf_counter() - t
else:
    t = time.perf_counter(); sd = m.load(path, mmap=(mode == "mmap"), **kw); dt = time.perf_counter() - t
    total = sum(float(v.sum().item()) for v in sd.values())  # touch every element
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(f"{lib:10s} {mode:5s} {dt:7.3f} s   peak RSS +{grown:5.0f} MB")
"""


def _run(*args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([p for p in sys.path if p]))
    out = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, env=env)
    print(out.stdout.strip() or out.stderr.strip()[-400:])


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    rb_file, torch_file = os.path.join(folder, "rb.pt"), os.path.join(folder, "torch.pt")
    _run("rosenblatt", "save", rb_file)
    _run("torch", "save", torch_file)
    for mode in ("load", "mmap"):
        _run("rosenblatt", mode, rb_file)
        _run("torch", mode, rb_file)
    _run("rosenblatt", "load", torch_file)
    for f in (rb_file, torch_file):
        os.remove(f)


if __name__ == "__main__":
    main()
