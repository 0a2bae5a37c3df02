"""The same seed and thread count give bit-identical losses: 100 training steps of every bench/models workload
(their model builders, at reduced size so the file stays fast), run twice in fresh interpreters and compared
bit for bit. A kernel whose result depends on OpenMP's scheduling, an uninitialised buffer or the allocator's
reuse of memory shows as a differing loss."""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import run_python

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "models")
# The workloads are the benchmarks' builders: a copy of tests/ without bench/ beside it cannot run these.
pytestmark = pytest.mark.skipif(not os.path.isfile(os.path.join(BENCH, "compare.py")),
                                reason="bench/models is not beside tests/ (the workloads' builders live there)")

# Prints each step's loss as float.hex, per workload; argv: workload names.
_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
import rosenblatt as rb
import compare, gpt_compare, rnn_compare

rb.set_num_threads(2)
# Reduced sizes: the module constants the builders read.
gpt_compare.V, gpt_compare.T, gpt_compare.B, gpt_compare.D, gpt_compare.H, gpt_compare.LAYERS = 17, 8, 2, 16, 2, 1
rnn_compare.T, rnn_compare.B, rnn_compare.I, rnn_compare.H = 10, 4, 8, 16


def seq_case(build):
    m = build(rb)
    g = rb.Generator().manual_seed(0)
    data = rb.randint(0, gpt_compare.V, (gpt_compare.B, gpt_compare.T + 1), generator=g)
    x, y = data[:, :-1], data[:, 1:].reshape(-1)
    opt = rb.optim.AdamW(m.parameters(), lr=1e-3)

    def step():
        loss = rb.nn.functional.cross_entropy(m(x).reshape(-1, gpt_compare.V), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss
    return step


CASES = {
    "xor": lambda: compare.xor_case(rb),
    "mlp": lambda: compare.mlp_case(rb, batch=4),
    "lenet": lambda: compare.lenet_case(rb, batch=1),
    "dcgan": lambda: compare.dcgan_case(rb, batch=4, w=4),
    "lstm": lambda: rnn_compare.lstm_case(rb),
    "gru": lambda: rnn_compare.gru_case(rb),
    "gpt": lambda: seq_case(gpt_compare.gpt),
    "encoder": lambda: seq_case(gpt_compare.encoder),
}
for name in sys.argv[2:]:
    rb.manual_seed(0)
    step = CASES[name]()
    print(name, " ".join(step().item().hex() for _ in range(100)), flush=True)
"""

WORKLOADS = ["xor", "mlp", "lenet", "dcgan", "lstm", "gru", "gpt", "encoder"]


def test_same_seed_and_threads_give_bit_identical_losses():
    with ThreadPoolExecutor(2) as pool:  # the two interpreters side by side
        results = list(pool.map(lambda _: run_python("-c", _SCRIPT, BENCH, *WORKLOADS), range(2)))
    runs = []
    for r in results:
        assert r.returncode == 0, r.stderr
        runs.append(dict(line.split(" ", 1) for line in r.stdout.splitlines()))
    assert sorted(runs[0]) == sorted(WORKLOADS)
    for name in WORKLOADS:
        first, second = runs[0][name].split(), runs[1][name].split()
        assert len(first) == 100
        diff = next((i for i, (a, b) in enumerate(zip(first, second)) if a != b), None)
        assert diff is None, f"{name}: step {diff} loss {first[diff]} vs {second[diff]}"
        assert len(set(first)) > 1, f"{name}: the loss never changed, so nothing trained"


@pytest.mark.parametrize("threads", [1, 2])
def test_rerun_in_one_process_repeats_the_losses(threads):
    # The caching allocator hands the second run recycled (dirty) buffers: the losses still match.
    script = _SCRIPT.replace("rb.set_num_threads(2)", f"rb.set_num_threads({threads})")
    r = run_python("-c", script, BENCH, "dcgan", "gpt", "dcgan", "gpt")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == lines[2] and lines[1] == lines[3]
