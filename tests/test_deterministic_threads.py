"""rb.use_deterministic_algorithms(True): every tests/op_specs.py entry gives bit-identical forward results and
gradients at 1 and at 2 threads. The entries' inputs are tiny (every kernel would run serially), so each is
first grown along dim 0 (the first input alone, else every input sharing its dim 0) past the parallel grain;
an entry whose inputs cannot grow that way (or whose first input is 1-D) runs as drawn."""
import numpy as np
import pytest

import rosenblatt as rb
from op_specs import SPECS

_TARGET = 70_000  # elements: past twice the kernels' serial grain (32768), so parallel_for splits the work


@pytest.fixture(scope="module", autouse=True)
def deterministic_mode():
    old = rb.get_num_threads()
    rb.use_deterministic_algorithms(True)
    yield
    rb.use_deterministic_algorithms(False)
    rb.set_num_threads(old)


def _grown(arrays):
    """Candidate input lists, biggest first: grown along dim 0 (first input; inputs sharing its dim 0), as drawn."""
    big = max((a.size for a in arrays), default=0)
    # 1-D inputs are not grown: their ops (diag, vander, outer) have outputs quadratic in the length.
    if not arrays or arrays[0].ndim < 2 or not big or arrays[0].shape[0] == 0:
        return [arrays]
    k = min(-(-_TARGET // big), 4096)
    rep = lambda a: np.concatenate([a] * k, axis=0)  # noqa: E731
    n0 = arrays[0].shape[0]
    first = [rep(arrays[0])] + arrays[1:]
    shared = [rep(a) if a.ndim and a.shape[0] == n0 else a for a in arrays]
    return [first, shared, arrays]


def _run(spec, arrays, threads):
    """Outputs and gradients (a list of arrays), or the exception."""
    rb.set_num_threads(threads)
    rb.manual_seed(0)
    inputs = []
    for a, arg in zip(arrays, spec.args):
        t = rb.tensor(a)
        if arg.grad and a.dtype.kind == "f" and spec.grad:
            t.requires_grad_(True)
        inputs.append(t)
    try:  # a grown input can make the forward or only the backward raise (qr 'complete' of a tall matrix)
        out = spec.fn(rb, *inputs, **spec.kwargs)
        out = [o for o in (out if isinstance(out, (tuple, list)) else [out]) if isinstance(o, rb.Tensor)]
        res = [o.detach().numpy().copy() for o in out]
        diff = [o for o in out if o.requires_grad and o.is_floating_point()]
        leaves = [t for t in inputs if t.requires_grad]
        if diff and leaves:
            rng = np.random.default_rng(1)
            loss = sum((o * rb.tensor(rng.standard_normal(o.shape).astype(np.float32))).sum() for o in diff)
            grads = rb.autograd.grad(loss, leaves, allow_unused=True)
            res += [g.numpy().copy() for g in grads if g is not None]
    except Exception as e:  # noqa: BLE001 (the caller tries the next candidate)
        return e
    return res


@pytest.mark.parametrize("spec", SPECS, ids=[s.test_id for s in SPECS])
def test_results_do_not_depend_on_the_thread_count(spec):
    rng = np.random.default_rng(0)
    drawn = [a.draw(rng, np.float32) for a in spec.args]
    for arrays in _grown(drawn):
        one = _run(spec, arrays, 1)
        if not isinstance(one, Exception):
            break
    if isinstance(one, Exception):
        pytest.skip(f"the drawn inputs raise: {one}")
    two = _run(spec, arrays, 2)
    assert not isinstance(two, Exception), two
    assert len(one) == len(two)
    for k, (a, b) in enumerate(zip(one, two)):
        assert a.shape == b.shape and a.tobytes() == b.tobytes(), \
            f"{spec.test_id} result {k} (shapes {[x.shape for x in arrays]}) differs between 1 and 2 threads"


def test_the_flag_round_trips():
    assert rb.are_deterministic_algorithms_enabled()
    rb.use_deterministic_algorithms(False)
    assert not rb.are_deterministic_algorithms_enabled()
    rb.use_deterministic_algorithms(True, warn_only=True)
    assert rb.is_deterministic_algorithms_warn_only_enabled()
    rb.use_deterministic_algorithms(True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,wshape,kw", [
    ((6, 32, 20, 23), (32, 16, 3, 3), dict(padding=3, groups=2)),  # Winograd forward and dinput, columns' dweight
    ((32, 8, 17, 19), (16, 8, 4, 4), dict(stride=2, padding=1)),  # columns only
    ((4, 8, 20, 23), (8, 8, 3, 3), dict(padding=3)),  # columns only
])
def test_convolution_gradients_at_any_thread_count(shape, wshape, kw, dtype):
    """Convolutions big enough for cpu::gemm to split its products: the BLAS may round a block of a product
    differently from the whole (another kernel for another shape), so deterministic mode cuts products into the
    same blocks at every thread count (these weight and input gradients differed in their last bits before)."""
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(shape).astype(dtype), rng.standard_normal(wshape).astype(dtype)
    results = []
    for threads in (1, 2):
        rb.set_num_threads(threads)
        xr, wr = rb.tensor(x, requires_grad=True), rb.tensor(w, requires_grad=True)
        y = rb.nn.functional.conv2d(xr, wr, **kw)
        y.backward(rb.ones_like(y))
        results.append([y.detach().numpy(), xr.grad.numpy(), wr.grad.numpy()])
    for a, b, name in zip(*results, ["output", "dinput", "dweight"]):
        np.testing.assert_array_equal(a, b, err_msg=name)
