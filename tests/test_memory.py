"""Long training runs keep resident memory flat: a leak of one activation, saved tensor or autograd node per
step shows as growth after warm-up. Each run is a fresh interpreter, so other tests' allocations and the
caching allocator's state do not blur it; the resident size comes from /proc/self/statm (Linux only)."""
import sys

import pytest

from conftest import run_python

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")

# Warm-up (allocator pools filled, optimizer state created), then the rest of the steps; prints both sizes.
_SCRIPT = """
import os, sys
import rosenblatt as rb
rb.manual_seed(0)
rb.set_num_threads(1)

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

kind, steps, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
nn = rb.nn
if kind == "mlp":
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    batch = lambda: (rb.randn(32, 784), rb.randint(0, 10, (32,)))
    loss_of = lambda x, y: nn.functional.cross_entropy(model(x), y)
else:
    model = nn.LSTM(16, 32)
    head = nn.Linear(32, 1)
    model.add_module("head", head)
    batch = lambda: (rb.randn(20, 8, 16), rb.randn(8, 1))
    def loss_of(x, y):
        out, (h, c) = model(x)
        return nn.functional.mse_loss(head(out[-1]), y)
opt = rb.optim.Adam(model.parameters(), lr=1e-3)
for i in range(steps):
    if i == warm:
        before = rss()
    x, y = batch()
    opt.zero_grad()
    loss = loss_of(x, y)
    loss.backward()
    opt.step()
print(before, rss(), loss.item())
"""


@pytest.mark.parametrize("kind, steps, warm", [("mlp", 10_000, 1_000), ("lstm", 2_000, 200)])
def test_training_keeps_resident_memory_flat(kind, steps, warm):
    r = run_python("-c", _SCRIPT, kind, str(steps), str(warm))
    assert r.returncode == 0, r.stderr
    before, after, loss = r.stdout.split()
    before, after = int(before), int(after)
    assert after < before * 1.05, f"{kind}: resident memory grew from {before} to {after} bytes after warm-up"
    assert float(loss) == float(loss)  # the run trained (a finite loss, not nan)
