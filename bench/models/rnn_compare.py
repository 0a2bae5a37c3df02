"""Recurrent training steps timed side by side with PyTorch in one process, with the same thread
count for both: ms per step (median of repeats, after warmup) and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/rnn_compare.py [--threads 2]
"""
import argparse
import glob
import os
import statistics
import sys
import time

import numpy as np

# Prefer the source tree when the extension was built in place (cmake -B build/dev), else the installed package.
_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
if glob.glob(os.path.join(_SRC, "rosenblatt", "_C*.so")):
    sys.path.insert(0, _SRC)
import rosenblatt as rb  # noqa: E402

try:
    import torch
except ImportError:
    sys.exit("rnn_compare.py needs PyTorch (pip install torch) to compare against")


T, B, I, H = 50, 32, 32, 256


def _data(lib):
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((T, B, I), dtype=np.float32))
    y = lib.from_numpy(rng.standard_normal((B, 1), dtype=np.float32))
    return x, y


def _layer_case(lib, cls):
    """A recurrent layer over the sequence, the last output into Linear(H, 1), MSE, Adam lr 1e-3."""
    lib.manual_seed(0)
    x, y = _data(lib)
    rnn, head = cls(I, H), lib.nn.Linear(H, 1)
    loss_fn = lib.nn.MSELoss()
    opt = lib.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)

    def step():
        opt.zero_grad()
        out, _ = rnn(x)
        loss = loss_fn(head(out[-1]), y)
        loss.backward()
        opt.step()
        return loss

    return step


def lstm_case(lib):
    return _layer_case(lib, lib.nn.LSTM)


def gru_case(lib):
    return _layer_case(lib, lib.nn.GRU)


def lstmcell_case(lib):
    """An LSTMCell stepped from Python over the sequence (per-call overhead shows), then as above."""
    lib.manual_seed(0)
    x, y = _data(lib)
    xs = [x[t] for t in range(T)]
    cell, head = lib.nn.LSTMCell(I, H), lib.nn.Linear(H, 1)
    loss_fn = lib.nn.MSELoss()
    opt = lib.optim.Adam(list(cell.parameters()) + list(head.parameters()), lr=1e-3)

    def step():
        opt.zero_grad()
        h = c = lib.zeros(B, H)
        for xt in xs:
            h, c = cell(xt, (h, c))
        loss = loss_fn(head(h), y)
        loss.backward()
        opt.step()
        return loss

    return step


CASES = {
    "lstm": (f"nn.LSTM({I}, {H}), batch {B}, {T} steps, last output -> Linear({H}, 1), MSE, Adam", lstm_case, 5, 10),
    "gru": (f"nn.GRU({I}, {H}), batch {B}, {T} steps, last output -> Linear({H}, 1), MSE, Adam", gru_case, 5, 10),
    "lstmcell": (f"nn.LSTMCell({I}, {H}) stepped from Python, batch {B}, {T} steps, Linear, MSE, Adam",
                 lstmcell_case, 5, 10),
}


def time_block(step, n):
    t0 = time.perf_counter()
    for _ in range(n):
        loss = step()
    loss.item()  # both libraries compute eagerly; item() keeps the last step inside the timing
    return (time.perf_counter() - t0) / n * 1e3


def compare(name, repeats, scale):
    title, make, warmup, steps = CASES[name]
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


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--scale", type=float, default=1.0, help="multiplies warmup and steps per repeat")
    p.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(CASES)} (default: all)")
    args = p.parse_args(argv)
    unknown = set(args.cases) - set(CASES)
    if unknown:
        p.error(f"unknown case(s) {', '.join(sorted(unknown))}; choose from {', '.join(CASES)}")
    rb.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    print(f"rosenblatt {rb.__version__} vs torch {torch.__version__}, {args.threads} threads each")
    for name in args.cases or list(CASES):
        compare(name, args.repeats, args.scale)


if __name__ == "__main__":
    main()
