"""The heavy op bindings (elementwise, reduction, activation and loss families) release the GIL
while their C++ runs, as matmul, conv and the recurrent layers do, so other Python threads (a data
loader, a progress bar) make progress meanwhile.

The check is deterministic, not a timing race: with a huge switch interval a thread that holds the
GIL never hands it over except by blocking or releasing it. A worker thread runs the op repeatedly;
the main thread, woken as the worker starts, can count only if some op call releases the GIL, and
stops the worker as soon as it has counted. An op that holds the GIL lets the main thread run only
after the worker has finished every call, when it sees `finished` and counts nothing (the control
below, a long builtin call, shows the check tells the two apart)."""
import sys
import threading

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.nn import functional as F

_COUNT = 2000      # main-thread iterations that prove it ran while the worker was inside an op
_CALLS = 100       # the most op calls the worker makes (it stops as soon as the main thread counted)


def _main_thread_progress(op):
    """How far a pure-Python counter in the main thread gets while a worker thread runs `op`."""
    entered, stop, finished = threading.Event(), threading.Event(), threading.Event()

    def work():
        entered.set()
        for _ in range(_CALLS):
            op()
            if stop.is_set():
                break
        finished.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)  # no forced hand-over: the GIL changes hands only when released
    try:
        t = threading.Thread(target=work, daemon=True)
        t.start()
        entered.wait()
        count = 0
        while count < _COUNT and not finished.is_set():
            count += 1
        stop.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    return count


@pytest.fixture(scope="module", autouse=True)
def one_op_thread():
    # The ops run on one thread, so a core stays free for the main thread to take the released GIL
    # at once (each op call is a window of a millisecond or two; the worker takes the GIL back after).
    old = rb.get_num_threads()
    rb.set_num_threads(1)
    yield
    rb.set_num_threads(old)


@pytest.fixture(scope="module")
def big():
    rng = np.random.default_rng(0)
    x = rb.from_numpy(rng.standard_normal((1024, 1024)).astype(np.float32))
    y = rb.from_numpy(rng.standard_normal((1024, 1024)).astype(np.float32))
    labels = rb.from_numpy(rng.integers(0, 4, 1024 * 256).astype(np.int64))
    return x, y.sigmoid(), labels  # y in (0, 1): a binary cross-entropy target too


_OPS = {
    "sum": lambda x, y, t: x.sum(),
    "sum_dim": lambda x, y, t: rb.sum(x, dim=1),
    "mean": lambda x, y, t: x.mean(0),
    "amax": lambda x, y, t: rb.amax(x, 1),
    "max_dim": lambda x, y, t: rb.max(x, 1),
    "var": lambda x, y, t: x.var(1),
    "logsumexp": lambda x, y, t: rb.logsumexp(x, 1),
    "exp": lambda x, y, t: rb.exp(x),
    "exp_method": lambda x, y, t: x.exp(),
    "add": lambda x, y, t: x + y,
    "mul_scalar": lambda x, y, t: x * 3.0,
    "sin": lambda x, y, t: rb.sin(x),
    "where": lambda x, y, t: rb.where(x > 0, x, y),
    "relu": lambda x, y, t: F.relu(x),
    "gelu": lambda x, y, t: F.gelu(x),
    "softmax": lambda x, y, t: F.softmax(x, dim=1),
    "log_softmax": lambda x, y, t: F.log_softmax(x, dim=1),
    # (262144, 4) logits: nll_loss's work is one value per row, so it needs many rows to take a while
    "cross_entropy": lambda x, y, t: F.cross_entropy(x.view(-1, 4), t),
    "nll_loss": lambda x, y, t: F.nll_loss(x.view(-1, 4), t),
    "mse_loss": lambda x, y, t: F.mse_loss(x, y),
    "smooth_l1_loss": lambda x, y, t: F.smooth_l1_loss(x, y),
    "bce_with_logits": lambda x, y, t: F.binary_cross_entropy_with_logits(x, y),
    "prod": lambda x, y, t: rb.prod(y, 1),
    "std": lambda x, y, t: x.std(),
    "norm": lambda x, y, t: rb.linalg.vector_norm(x),
    "cumsum": lambda x, y, t: rb.cumsum(x, 1),
    "cumprod": lambda x, y, t: y.cumprod(0),
    "logcumsumexp": lambda x, y, t: rb.logcumsumexp(x, 1),
    "cummax": lambda x, y, t: rb.cummax(x, 1),
    "median": lambda x, y, t: rb.median(x, 1),
    "mode": lambda x, y, t: rb.mode(x[:256], 1),
    "argmax": lambda x, y, t: rb.argmax(x, 1),
    "clamp": lambda x, y, t: rb.clamp(x, -0.5, 0.5),
    "pow": lambda x, y, t: rb.pow(y, x),
    "div": lambda x, y, t: x / y,
    "tanh": lambda x, y, t: rb.tanh(x),
    "sigmoid": lambda x, y, t: rb.sigmoid(x),
    "leaky_relu": lambda x, y, t: F.leaky_relu(x, 0.1),
    "softplus": lambda x, y, t: F.softplus(x),
    "l1_loss": lambda x, y, t: F.l1_loss(x, y),
    "huber_loss": lambda x, y, t: F.huber_loss(x, y),
    "kl_div": lambda x, y, t: F.kl_div(x, y, reduction="batchmean"),
    "bce": lambda x, y, t: F.binary_cross_entropy(y, y),
}


@pytest.mark.parametrize("name", list(_OPS))
def test_op_releases_the_gil(big, name):
    x, y, labels = big
    op = _OPS[name]
    assert _main_thread_progress(lambda: op(x, y, labels)) == _COUNT


def test_in_place_ops_release_the_gil(big):
    x, _, _ = big
    z = x.clone()
    assert _main_thread_progress(lambda: z.mul_(1.0)) == _COUNT
    assert _main_thread_progress(lambda: z.sin_()) == _COUNT
    assert _main_thread_progress(lambda: F.relu_(z)) == _COUNT

    def iadd():
        nonlocal z
        z += 0.0
    assert _main_thread_progress(iadd) == _COUNT


def test_control_a_call_that_holds_the_gil_lets_nothing_run():
    # A long builtin call never releases the GIL: the main thread counts nothing while it runs.
    assert _main_thread_progress(lambda: sum(range(50_000))) == 0


def test_results_are_unchanged(big):
    x, y, labels = big
    xs, ys = x[:4, :5], y[:4, :5]
    np.testing.assert_allclose((xs + ys).numpy(), xs.numpy() + ys.numpy(), rtol=1e-6)
    np.testing.assert_allclose(rb.sum(xs, dim=1).numpy(), xs.numpy().sum(1), rtol=1e-5)
    vals, idx = rb.max(xs, 1)
    np.testing.assert_array_equal(idx.numpy(), xs.numpy().argmax(1))
