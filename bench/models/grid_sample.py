"""grid_sample forward + backward (input and grid gradients), rosenblatt against PyTorch with the same thread count
in one run, alternating: median ms per step and the ratio torch/ours. 2-d: N=8, C=16, a 64x64 image sampled at a
64x64 grid (bilinear, nearest, bicubic); 3-d: N=2, C=8, a 16^3 volume at a 16^3 grid (trilinear, nearest).
--cpu-time times process CPU time instead of wall time (steadier on a loaded machine; use it with --threads 1).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/grid_sample.py [--threads 2] [--isa avx2]
"""
import time

import numpy as np

import compare  # first: the source tree on sys.path, and --isa's limits set before the libraries load
import rosenblatt as rb

CASES = [("bilinear", (8, 16, 64, 64), (8, 64, 64, 2)), ("nearest", (8, 16, 64, 64), (8, 64, 64, 2)),
         ("bicubic", (8, 16, 64, 64), (8, 64, 64, 2)), ("bilinear", (2, 8, 16, 16, 16), (2, 16, 16, 16, 3)),
         ("nearest", (2, 8, 16, 16, 16), (2, 16, 16, 16, 3))]


def make_step(lib, x_np, g_np, mode, clock):
    x = lib.tensor(x_np, requires_grad=True)
    grid = lib.tensor(g_np, requires_grad=True)
    dy = lib.ones(x_np.shape[:2] + g_np.shape[1:-1])

    def step():
        t0 = clock()
        lib.nn.functional.grid_sample(x, grid, mode=mode, padding_mode="zeros", align_corners=False).backward(dy)
        return clock() - t0
    return step


def main():
    cpu_time = (["--cpu-time"], dict(action="store_true", help="process CPU time instead of wall time"))
    a = compare.layer_args(20, [cpu_time])
    torch = compare.torch
    clock = time.process_time if a.cpu_time else time.perf_counter
    print(f"grid_sample forward+backward, {a.threads} threads, {'CPU' if a.cpu_time else 'wall'} time, on "
          f"{compare._cpu_model()}: rosenblatt {rb.backends.cpu.get_cpu_capability()}, torch "
          f"{torch.backends.cpu.get_cpu_capability()}")
    rng = np.random.default_rng(0)
    for mode, xs, gs in CASES:
        x = rng.standard_normal(xs).astype(np.float32)
        g = rng.uniform(-1.1, 1.1, gs).astype(np.float32)
        steps = {"rb": make_step(rb, x, g, mode, clock), "torch": make_step(torch, x, g, mode, clock)}
        ms = compare.alternate_ms(steps, a.reps)
        print(f"  {len(xs) - 2}-d {mode:>8} {'x'.join(map(str, xs)):>14}: rb {ms['rb']:8.3f} ms  "
              f"torch {ms['torch']:8.3f} ms  {ms['torch'] / ms['rb']:.2f}x")


if __name__ == "__main__":
    main()
