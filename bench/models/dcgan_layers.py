"""The DCGAN step's convolutions one by one (batch 64, forward + backward), rosenblatt against
PyTorch with the same thread count in one run: median ms per layer and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/dcgan_layers.py [threads]
"""
import statistics
import sys
import time

import numpy as np
import torch

import rosenblatt as rb

nt = int(sys.argv[1]) if len(sys.argv) > 1 else 2
rb.set_num_threads(nt)
torch.set_num_threads(nt)
rng = np.random.default_rng(0)
layers = [("T", 100, 256, 4, 1, 0, 1), ("T", 256, 128, 4, 2, 1, 4), ("T", 128, 64, 4, 2, 1, 8),
          ("T", 64, 1, 4, 2, 1, 16), ("C", 1, 64, 4, 2, 1, 32), ("C", 64, 128, 4, 2, 1, 16),
          ("C", 128, 256, 4, 2, 1, 8), ("C", 256, 1, 4, 1, 0, 4)]
tot = {"rb": 0, "torch": 0}
for kind, ci, co, k, s, p, hw in layers:
    x = rng.standard_normal((64, ci, hw, hw)).astype(np.float32)
    res = {}
    for name, lib in (("rb", rb), ("torch", torch)):
        m = (lib.nn.ConvTranspose2d if kind == "T" else lib.nn.Conv2d)(ci, co, k, s, p, bias=False)
        xt = lib.tensor(x, requires_grad=(ci != 1 and ci != 100))
        def f(m=m, xt=xt, lib=lib):  # bound now: f runs only within this iteration
            y = m(xt)
            y.backward(lib.ones(y.shape))
        for _ in range(3):
            f()
        ts = []
        for _ in range(15):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
        res[name] = statistics.median(ts) * 1e3
        tot[name] += res[name]
    print(f"{kind} {ci:>3}->{co:<3} {hw:>2}: rb {res['rb']:7.3f} ms torch {res['torch']:7.3f} ms  "
          f"{res['torch']/res['rb']:.2f}x")
print(f"total rb {tot['rb']:.2f} torch {tot['torch']:.2f} {tot['torch']/tot['rb']:.2f}x")
