"""Two Python threads running a large elementwise op at once, against the same calls one after the other:
the op releases the GIL, so with rb.set_num_threads(1) each thread keeps one core busy and the pair takes
about half the time of the sequence on two free cores. Prints the seconds of each and the ratio.

    python bench/threads_elementwise.py [--op add|sin] [--size 24] [--calls 20] [--repeats 5]

add streams three 64 MiB arrays per call, so on a machine whose cores share one memory bus it is bound by
memory bandwidth more than by the cores; sin does more arithmetic per element and shows the cores' share.
"""
import argparse
import glob
import os
import statistics
import sys
import threading
import time

_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python")
if glob.glob(os.path.join(_SRC, "rosenblatt", "_C*.so")):  # prefer an in-place build (cmake -B build/dev)
    sys.path.insert(0, _SRC)
import rosenblatt as rb  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--op", choices=["add", "sin"], default="add")
    p.add_argument("--size", type=int, default=24, help="log2 of the element count (default 2**24 floats)")
    p.add_argument("--calls", type=int, default=20, help="adds per thread and per repeat")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    rb.set_num_threads(1)
    pairs = [(rb.randn(2 ** args.size), rb.randn(2 ** args.size)) for _ in range(2)]

    def work(k):
        a, b = pairs[k]
        for _ in range(args.calls):
            rb.add(a, b) if args.op == "add" else rb.sin(a)  # results come back from the caching allocator

    def in_turn():
        work(0)
        work(1)

    def side_by_side():
        ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    work(0), work(1)  # warm-up: pages touched, allocator filled
    times = {"in turn": [], "two threads": []}
    for _ in range(args.repeats):  # alternate, so load from other processes hits both alike
        for name, fn in (("in turn", in_turn), ("two threads", side_by_side)):
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.op} of 2**{args.size} float32, {args.calls} calls per thread, 1 kernel thread each, "
          f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f})")
    for k, v in med.items():
        print(f"  {k:12s} {v:8.4f} s (median of {args.repeats})")
    print(f"  speed-up of two threads over in turn: {med['in turn'] / med['two threads']:.2f}x")


if __name__ == "__main__":
    main()
