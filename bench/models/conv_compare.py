"""Conv2d(64, 64, 3, padding=1) forward + backward on a 32x64x32x32 batch, rosenblatt against PyTorch
with the same thread count, both timed in one run: GFLOP/s, fraction of the machine's peak, ratio.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/conv_compare.py [--threads 2]
"""
import argparse
import statistics
import time

import numpy as np

import rosenblatt as rb

PEAK_GFLOPS = 430.0  # 2-core AVX-512 FMA peak measured on the project machine


def step_flops(n, c, oc, k, oh, ow):
    fwd = 2.0 * n * oc * c * k * k * oh * ow
    return 3 * fwd  # forward, dinput and dweight are one GEMM-sized product each


def time_lib(lib, x_np, w_np, b_np, reps, warmup):
    x = lib.tensor(x_np, requires_grad=True)
    w = lib.tensor(w_np, requires_grad=True)
    b = lib.tensor(b_np, requires_grad=True)
    g = lib.tensor(np.ones((x_np.shape[0], w_np.shape[0], x_np.shape[2], x_np.shape[3]), np.float32))
    f = lib.nn.functional.conv2d
    times = []
    for i in range(warmup + reps):
        x.grad = None
        w.grad = None
        b.grad = None
        t0 = time.perf_counter()
        y = f(x, w, b, padding=1)
        y.backward(g)
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt)
    return statistics.median(times), times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    n, c, oc, k, h, w = 32, 64, 64, 3, 32, 32
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    wt = (rng.standard_normal((oc, c, k, k)) * 0.05).astype(np.float32)
    b = rng.standard_normal(oc).astype(np.float32)
    flops = step_flops(n, c, oc, k, h, w)
    rb.set_num_threads(a.threads)
    results = {}
    libs = [("rosenblatt", rb)]
    try:
        import torch
        torch.set_num_threads(a.threads)
        libs.append(("torch", torch))
    except ImportError:
        print("PyTorch not installed: rosenblatt only")
    # Interleave the libraries so background load hits both alike.
    for _ in range(2):
        for name, lib in libs:
            med, _ = time_lib(lib, x, wt, b, a.reps // 2, a.warmup)
            results.setdefault(name, []).append(med)
    print(f"Conv2d({c}, {oc}, {k}, padding=1) forward+backward on {n}x{c}x{h}x{w}, {a.threads} threads, "
          f"{flops / 1e9:.2f} GFLOP per step")
    for name, meds in results.items():
        t = min(meds)
        gf = flops / t / 1e9
        print(f"  {name:<11s} {t * 1e3:8.2f} ms  {gf:7.1f} GFLOP/s  {gf / PEAK_GFLOPS:6.1%} of {PEAK_GFLOPS:.0f} peak")
    if "torch" in results:
        ratio = min(results["torch"]) / min(results["rosenblatt"])
        print(f"  ratio rosenblatt/torch speed: {ratio:.2f}x (target >= 0.8x)")


if __name__ == "__main__":
    main()
