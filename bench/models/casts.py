"""Dtype conversions (Tensor.to) of 4M elements, rosenblatt against PyTorch with the same thread count in one run,
alternating: median ms per conversion and the ratio torch/ours. The conversions are the copy kernel's
(cpp/kernels/cpu/elementwise.cpp); with --isa default both libraries run their baseline code, which shows what a
conversion costs where the AVX copies hand it to the baseline copy (RB_CPU_DISPATCH_HOT_CAST).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/casts.py [--threads 1] [--isa avx2|default]
"""
import time

import numpy as np

import compare  # first: the source tree on sys.path, and --isa's limits set before the libraries load
import rosenblatt as rb

N = 1 << 22
CASES = [("float32", "float16"), ("float16", "float32"), ("float32", "bfloat16"), ("bfloat16", "float32"),
         ("float32", "float64"), ("int64", "float32"), ("float32", "int64")]


def make_step(lib, x_np, src, dst):
    x = lib.tensor(x_np).to(getattr(lib, src))
    to = getattr(lib, dst)

    def step():
        t0 = time.perf_counter()
        x.to(to)
        return time.perf_counter() - t0
    return step


def main():
    a = compare.layer_args(15)
    torch = compare.torch
    print(f"Tensor.to of {N} elements, {a.threads} threads, on {compare._cpu_model()}: rosenblatt "
          f"{rb.backends.cpu.get_cpu_capability()}, torch {torch.backends.cpu.get_cpu_capability()}")
    x = (np.random.default_rng(0).standard_normal(N) * 100).astype(np.float32)
    for src, dst in CASES:
        steps = {"rb": make_step(rb, x, src, dst), "torch": make_step(torch, x, src, dst)}
        ms = compare.alternate_ms(steps, a.reps)
        print(f"  {src:>8} -> {dst:<8}: rb {ms['rb']:7.3f} ms  torch {ms['torch']:7.3f} ms  "
              f"{ms['torch'] / ms['rb']:.2f}x")


if __name__ == "__main__":
    main()
