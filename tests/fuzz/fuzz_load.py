"""atheris target: rb.load on arbitrary bytes (safetensors, and whatever else rb.load accepts), seeded with
files rb.save wrote. A load either returns or raises ValueError, RuntimeError or pickle.UnpicklingError (a
.pt file's pickle that is garbled or names what weights_only refuses); anything else is a finding.

Run: python tests/fuzz/fuzz_load.py -max_total_time=30 (tests/fuzz/test_fuzz_targets.py runs it briefly)."""
import io
import os
import pickle
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["rosenblatt"]):
    import rosenblatt as rb

# What rb.load documents for a corrupt, truncated or foreign file (and an unpickler's refusal).
ALLOWED = (ValueError, RuntimeError, pickle.UnpicklingError)


def seeds(folder):
    """Valid files for the fuzzer to mutate: a flat state_dict of several dtypes, and a nested tree."""
    os.makedirs(folder, exist_ok=True)
    rb.save({"w": rb.ones(2, 3), "b": rb.zeros(3, dtype=rb.float64), "i": rb.arange(4), "m": rb.ones(2) > 0,
             "h": rb.ones(3).half()}, os.path.join(folder, "flat.st"))
    rb.save({"model": {"0.weight": rb.ones(1, 2)}, "step": 3, "lr": [0.1, (1, 2)], "name": "x"},
            os.path.join(folder, "tree.st"))
    try:  # a PyTorch checkpoint (zip) too, for the .pt reader: rb.load refuses or reads it, never crashes
        import torch

        torch.save({"w": torch.ones(2, 3), "n": 3}, os.path.join(folder, "ckpt.pt"))
    except ImportError:  # rb.save writes the same zip format
        rb.save({"w": rb.ones(2, 3), "n": 3}, os.path.join(folder, "ckpt.pt"))
    return folder


def test_one_input(data):
    try:
        rb.load(io.BytesIO(data))
    except ALLOWED:
        pass


if __name__ == "__main__":
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):  # no corpus folder given: a fresh seeded one
        args.append(seeds(tempfile.mkdtemp(prefix="rb-fuzz-load-")))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()
