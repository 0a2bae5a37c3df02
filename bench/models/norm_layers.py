"""BatchNorm2d forward + backward on the DCGAN step's shapes (batch 64), rosenblatt against PyTorch with the same
thread count in one run, alternating: median ms per layer and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/norm_layers.py [--threads 2] [--isa avx2]
"""
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
    a = compare.layer_args(30)
    torch = compare.torch
    print(f"BatchNorm2d forward+backward, {a.threads} threads, on {compare._cpu_model()}: rosenblatt "
          f"{rb.backends.cpu.get_cpu_capability()}, torch {torch.backends.cpu.get_cpu_capability()}")
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        x = rng.standard_normal(shape).astype(np.float32)
        steps = {"rb": make_step(rb, x), "torch": make_step(torch, x)}
        ms = compare.alternate_ms(steps, a.reps)
        print(f"  {'x'.join(map(str, shape)):>12}: rb {ms['rb']:7.3f} ms  torch {ms['torch']:7.3f} ms  "
              f"{ms['torch'] / ms['rb']:.2f}x")


if __name__ == "__main__":
    main()
