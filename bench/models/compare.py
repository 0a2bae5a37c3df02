"""Training steps of small models timed side by side with PyTorch in one process, with the same
thread count for both: ms per step (median of repeats, after warmup) and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/compare.py [--threads 2] [--isa avx2]

--isa avx2 (or default) limits both libraries to that instruction set, to measure on an AVX-512
machine what an AVX2 one would see: rosenblatt's kernels (RB_CPU_CAPABILITY) and its OpenBLAS
(OPENBLAS_CORETYPE), PyTorch's kernels (ATEN_CPU_CAPABILITY), MKL and oneDNN.
"""
import argparse
import glob
import os
import statistics
import sys
import time

import numpy as np

# Instruction-set limits per --isa value, set before either library loads (each reads them once).
_ISA_ENV = {
    "avx2": {"RB_CPU_CAPABILITY": "avx2", "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
             "ONEDNN_MAX_CPU_ISA": "AVX2", "OPENBLAS_CORETYPE": "Haswell"},
    "default": {"RB_CPU_CAPABILITY": "default", "ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
                "ONEDNN_MAX_CPU_ISA": "SSE41", "OPENBLAS_CORETYPE": "Nehalem"},
}
if "--isa" in sys.argv[:-1]:
    os.environ.update(_ISA_ENV.get(sys.argv[sys.argv.index("--isa") + 1], {}))

# Prefer the source tree when the extension was built in place (cmake -B build/dev), else the installed package.
_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
if glob.glob(os.path.join(_SRC, "rosenblatt", "_C*.so")):
    sys.path.insert(0, _SRC)
import rosenblatt as rb  # noqa: E402

try:
    import torch
except ImportError:  # the model builders still serve tests/test_determinism.py; main() needs torch
    torch = None


def _train_step(model, loss_fn, opt, x, y):
    """One training step (zero_grad, forward, loss, backward, step) as a closure to time."""

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return step


def xor_case(lib):
    """2-16-1 tanh MLP on the 4 XOR points, MSE, SGD lr 0.1: forward, backward, step."""
    x = lib.from_numpy(np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32))
    y = lib.from_numpy(np.array([[0], [1], [1], [0]], dtype=np.float32))
    model = lib.nn.Sequential(lib.nn.Linear(2, 16), lib.nn.Tanh(), lib.nn.Linear(16, 1))
    loss_fn = lib.nn.MSELoss()
    opt = lib.optim.SGD(model.parameters(), lr=0.1)

    return _train_step(model, loss_fn, opt, x, y)


def mlp_case(lib, batch=128):
    """784-512-256-10 ReLU MLP, batch 128, cross-entropy, Adam lr 1e-3."""
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((batch, 784), dtype=np.float32))
    y = lib.from_numpy(rng.integers(0, 10, batch).astype(np.int64))
    nn = lib.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = lib.optim.Adam(model.parameters(), lr=1e-3)

    return _train_step(model, loss_fn, opt, x, y)


def lenet_case(lib, batch=64):
    """LeNet-style CNN on 1x28x28, batch 64, cross-entropy, SGD with momentum (the Convolutional
    networks issue's benchmark)."""
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((batch, 1, 28, 28), dtype=np.float32))
    y = lib.from_numpy(rng.integers(0, 10, batch).astype(np.int64))
    nn = lib.nn
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))
    loss_fn = nn.CrossEntropyLoss()
    opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    return _train_step(model, loss_fn, opt, x, y)


def dcgan_case(lib, batch=64, w=64):
    """One DCGAN step (D then G), batch 64 of 1x32x32, the classic layout (width w=64), Adam(2e-4, (0.5, 0.999)),
    BCE on logits (the GAN issue's benchmark). The same step code runs on both libraries."""
    rng = np.random.default_rng(0)
    nn = lib.nn
    real = lib.from_numpy(rng.uniform(-1, 1, (batch, 1, 32, 32)).astype(np.float32))
    z = lib.from_numpy(rng.standard_normal((batch, 100, 1, 1), dtype=np.float32))
    G = nn.Sequential(
        nn.ConvTranspose2d(100, 4 * w, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(),    # 4x4
        nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),  # 8x8
        nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),          # 16x16
        nn.ConvTranspose2d(w, 1, 4, 2, 1, bias=False), nn.Tanh())                                 # 32x32
    D = nn.Sequential(
        nn.Conv2d(1, w, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),                                  # 16x16
        nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),       # 8x8
        nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2),   # 4x4
        nn.Conv2d(4 * w, 1, 4, 1, 0, bias=False), nn.Flatten())                                  # 1 logit
    g_opt = lib.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    d_opt = lib.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = lib.ones(batch, 1), lib.zeros(batch, 1)

    def step():
        fake = G(z)
        d_opt.zero_grad()
        d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = bce(D(fake), ones)
        g_loss.backward()
        g_opt.step()
        return g_loss

    return step


CASES = {
    "xor": ("2-16-1 tanh MLP, XOR (4 samples), MSE, SGD", xor_case, 500, 200),
    "mlp": ("784-512-256-10 ReLU MLP, batch 128, CE, Adam", mlp_case, 10, 20),
    "lenet": ("LeNet-style CNN, batch 64 of 1x28x28, CE, SGD momentum", lenet_case, 3, 10),
    "dcgan": ("DCGAN step (D and G), batch 64 of 1x32x32, Adam", dcgan_case, 2, 5),
}


def time_block(step, n):
    t0 = time.perf_counter()
    for _ in range(n):
        loss = step()
    loss.item()  # both libraries compute eagerly; item() keeps the last step inside the timing
    return (time.perf_counter() - t0) / n * 1e3


def compare(name, repeats, scale, cases=None):
    title, make, warmup, steps = (cases or CASES)[name]
    steps = max(1, int(steps * scale))
    libs = {"torch": torch, "rosenblatt": rb}
    fns = {k: make(lib) for k, lib in libs.items()}
    for fn in fns.values():
        time_block(fn, max(1, int(warmup * scale)))
    ms = {k: [] for k in libs}
    for _ in range(repeats):  # alternate, so load from other processes hits both alike
        for k, fn in fns.items():
            ms[k].append(time_block(fn, steps))
    med = {k: statistics.median(v) for k, v in ms.items()}
    ratio = med["torch"] / med["rosenblatt"]
    print(f"{title}\n  torch {med['torch']:9.4f} ms/step   rosenblatt {med['rosenblatt']:9.4f} ms/step   "
          f"torch/rosenblatt {ratio:5.2f}x   ({repeats} repeats of {steps} steps)", flush=True)
    return med, ratio


def layer_args(reps, extra=()):
    """The layer benchmarks' command line (--threads, --reps, --isa and `extra`: (flags, kwargs) pairs), parsed,
    with both libraries' thread counts set from it."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=reps)
    for flags, kwargs in extra:
        ap.add_argument(*flags, **kwargs)
    ap.add_argument("--isa", choices=["native", *_ISA_ENV], default="native",
                    help="limit both libraries to this instruction set (compare.py's option)")
    a = ap.parse_args()
    rb.set_num_threads(a.threads)
    torch.set_num_threads(a.threads)
    return a


def alternate_ms(steps, reps, warmup=3):
    """Median ms of each of `steps` (name -> a call returning its own seconds), run one of each in turn, so load
    from other processes hits them alike; the first `warmup` rounds are dropped."""
    times = {name: [] for name in steps}
    for i in range(warmup + reps):
        for name, step in steps.items():
            t = step()
            if i >= warmup:
                times[name].append(t)
    return {name: statistics.median(ts) * 1e3 for name, ts in times.items()}


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "an unknown CPU"


def main(argv=None, cases=None, doc=__doc__):
    """The command line of this script and of the other bench/models/*_compare.py (their `cases`)."""
    cases = cases or CASES
    p = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--scale", type=float, default=1.0, help="multiplies warmup and steps per repeat")
    p.add_argument("--isa", choices=["native", *_ISA_ENV], default="native",
                   help="limit both libraries to this instruction set (see above)")
    p.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(cases)} (default: all)")
    args = p.parse_args(argv)
    if torch is None:
        sys.exit("compare.py needs PyTorch (pip install torch) to compare against")
    unknown = set(args.cases) - set(cases)
    if unknown:
        p.error(f"unknown case(s) {', '.join(sorted(unknown))}; choose from {', '.join(cases)}")
    rb.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    print(f"rosenblatt {rb.__version__} vs torch {torch.__version__}, {args.threads} threads each, on {_cpu_model()}: "
          f"rosenblatt {rb.backends.cpu.get_cpu_capability()}, torch {torch.backends.cpu.get_cpu_capability()}")
    for name in args.cases or list(cases):
        compare(name, args.repeats, args.scale, cases)


if __name__ == "__main__":
    main()
