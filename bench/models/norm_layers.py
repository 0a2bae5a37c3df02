"""BatchNorm2d forward + backward on the DCGAN step's shapes (batch 64), rosenblatt against PyTorch with the same
thread count in one run, alternating: median ms per layer and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/norm_layers.py [--threads 2] [--isa avx2]
"""
import argparse
import statistics
import time

import numpy as np

import compare  # first: the source tree on sys.path, and --isa's limits set before the libraries load
import rosenblatt as rb

SHAPES = [(64, 64, 16, 16), (64, 128, 8, 8), (64, 256, 4, 4)]


def make_step(lib, x_np):
    bn = lib.nn.BatchNorm2d(x_np.shape[1])
    x = lib.tensor(x_np, requires_grad=True)
    g = lib.ones(x_np.shape)

    def step():
        t0 = time.perf_counter()
        bn(x).backward(g)
        return time.perf_counter() - t0
    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--isa", choices=["native", *compare._ISA_ENV], default="native",
                    help="limit both libraries to this instruction set (compare.py's option)")
    a = ap.parse_args()
    torch = compare.torch
    rb.set_num_threads(a.threads)
    torch.set_num_threads(a.threads)
    print(f"BatchNorm2d forward+backward, {a.threads} threads, on {compare._cpu_model()}: rosenblatt "
          f"{rb.backends.cpu.get_cpu_capability()}, torch {torch.backends.cpu.get_cpu_capability()}")
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        x = rng.standard_normal(shape).astype(np.float32)
        steps = {"rb": make_step(rb, x), "torch": make_step(torch, x)}
        times = {name: [] for name in steps}
        for i in range(3 + a.reps):  # one step of each in turn, so background load hits both alike
            for name, step in steps.items():
                t = step()
                if i >= 3:
                    times[name].append(t)
        ms = {name: statistics.median(ts) * 1e3 for name, ts in times.items()}
        print(f"  {'x'.join(map(str, shape)):>12}: rb {ms['rb']:7.3f} ms  torch {ms['torch']:7.3f} ms  "
              f"{ms['torch'] / ms['rb']:.2f}x")


if __name__ == "__main__":
    main()
