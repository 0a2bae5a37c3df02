"""Conv2d(64, 64, 3, padding=1) forward + backward on a 32x64x32x32 batch (or --shape), rosenblatt against PyTorch
with the same thread count, both timed in one run: GFLOP/s, fraction of the machine's peak, ratio. --conv3d
times Conv3d(16, 32, 3) (no padding) on a 4x16x16x32x32 volume batch instead. GFLOP/s count the direct
convolution's flops: rosenblatt runs this 3x3 layer as Winograd F(4x4, 3x3), a quarter of the GEMM flops.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/conv_compare.py [--threads 2] [--isa avx2]
    python bench/models/conv_compare.py --conv3d
"""
import argparse
import statistics
import time

import numpy as np

import compare  # first: the source tree on sys.path, and --isa's limits set before the libraries load
import rosenblatt as rb

PEAK_GFLOPS = 430.0  # 2-core AVX-512 FMA peak measured on the project machine


def step_flops(n, c, oc, taps, out_pixels):
    fwd = 2.0 * n * oc * c * taps * out_pixels
    return 3 * fwd  # forward, dinput and dweight are one GEMM-sized product each


def make_step(lib, x_np, w_np, b_np, padding):
    x = lib.tensor(x_np, requires_grad=True)
    w = lib.tensor(w_np, requires_grad=True)
    b = lib.tensor(b_np, requires_grad=True)
    f = lib.nn.functional.conv3d if x_np.ndim == 5 else lib.nn.functional.conv2d
    g = lib.ones_like(f(x, w, b, padding=padding))

    def step():
        x.grad = w.grad = b.grad = None
        t0 = time.perf_counter()
        f(x, w, b, padding=padding).backward(g)
        return time.perf_counter() - t0
    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=12)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--shape", type=int, nargs=4, default=[32, 64, 64, 32], metavar=("N", "C", "OC", "HW"),
                    help="batch, in and out channels, height=width (3x3 kernel, padding 1)")
    ap.add_argument("--conv3d", action="store_true", help="Conv3d(16, 32, 3) on 4x16x16x32x32 instead")
    ap.add_argument("--isa", choices=["native", *compare._ISA_ENV], default="native",
                    help="limit both libraries to this instruction set (compare.py's option)")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    k = 3
    if a.conv3d:
        n, c, oc, spatial, pad = 4, 16, 32, (16, 32, 32), 0
    else:
        (n, c, oc, h), pad = a.shape, 1
        spatial = (h, h)
    out = [s + 2 * pad - k + 1 for s in spatial]
    x = rng.standard_normal((n, c, *spatial)).astype(np.float32)
    wt = (rng.standard_normal((oc, c) + (k,) * len(spatial)) * 0.05).astype(np.float32)
    b = rng.standard_normal(oc).astype(np.float32)
    flops = step_flops(n, c, oc, k ** len(spatial), int(np.prod(out)))
    rb.set_num_threads(a.threads)
    steps = {"rosenblatt": make_step(rb, x, wt, b, pad)}
    try:
        import torch
        torch.set_num_threads(a.threads)
        steps["torch"] = make_step(torch, x, wt, b, pad)
    except ImportError:
        print("PyTorch not installed: rosenblatt only")
    # One step of each library in turn, so background load hits both alike; the best step of each
    # is the least disturbed one (the project machine is shared).
    results = {name: [] for name in steps}
    for i in range(a.warmup + a.reps):
        for name, step in steps.items():
            t = step()
            if i >= a.warmup:
                results[name].append(t)
    layer = f"Conv{len(spatial)}d({c}, {oc}, {k}, padding={pad})"
    print(f"{layer} forward+backward on {'x'.join(map(str, x.shape))}, {a.threads} threads, "
          f"{flops / 1e9:.2f} GFLOP per step, on {compare._cpu_model()}: rosenblatt "
          f"{rb.backends.cpu.get_cpu_capability()}, torch {compare.torch.backends.cpu.get_cpu_capability()}")
    for name, ts in results.items():
        t = min(ts)
        gf = flops / t / 1e9
        print(f"  {name:<11s} best {t * 1e3:8.2f} ms (median {statistics.median(ts) * 1e3:8.2f})  {gf:7.1f} GFLOP/s  "
              f"{gf / PEAK_GFLOPS:6.1%} of {PEAK_GFLOPS:.0f} peak")
    if "torch" in results:
        ratio = min(results["torch"]) / min(results["rosenblatt"])
        print(f"  ratio rosenblatt/torch speed: {ratio:.2f}x (target >= 1.2x)")


if __name__ == "__main__":
    main()
