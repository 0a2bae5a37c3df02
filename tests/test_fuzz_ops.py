"""Differential property tests: every tests/op_specs.py entry on hypothesis-drawn inputs, against PyTorch.
Each call either matches PyTorch's result or raises PyTorch's exception type; never a crash or another answer.

Hypothesis draws, per entry: the float dtype, sometimes a storage dtype the float inputs
are converted to (uint8, int8, int16, int32 with small integer values, float16, bfloat16; forward only), per
input a shape change (a zero-size or a grown dim, which also breaks the entry's shape agreements, so shape
checks are compared too), a layout (transposed, sliced with a step, expanded), out-of-range integer values
(indices), special float values (nan, inf, signed zeros, huge) and out-of-range integer keyword arguments. Both
libraries get the same data in the same layout. RB_FUZZ_EXAMPLES sets examples per entry (default 3: the whole
file in about 2 minutes); RB_FUZZ_STORAGE=0 draws no storage dtypes; RB_FUZZ_COLLECT=1 records every mismatch
and prints them at the end instead of failing at the first; RB_FUZZ_TRACE=<file> appends each case to the file
before it runs (a crash's case is the last line).
"""
import os
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rosenblatt as rb
from conftest import HAVE_TORCH, torch
from op_specs import SPECS

# The lower-CPU-capability reruns of the suite in .ci/run draw one example per entry.
EXAMPLES = int(os.environ.get("RB_FUZZ_EXAMPLES", "1" if os.environ.get("RB_CPU_CAPABILITY") else "3"))
COLLECT = os.environ.get("RB_FUZZ_COLLECT") == "1"
TRACE = os.environ.get("RB_FUZZ_TRACE")  # a file: each case is appended before it runs, so a crash names its case
STATS = {"cases": 0, "both_ok": 0, "both_raise": 0, "mismatches": [], "known": []}

# PyTorch behaviours deliberately not followed, by entry name: none yet (each would say why).
NOT_FOLLOWED = {}

FUZZ_SPECS = [s for s in SPECS if s.torch and s.name not in NOT_FOLLOWED]

# Differences the long runs found and this branch did not fix, by entry-name prefix: a mismatch of these entries
# is counted and printed as known, not failed, so the CI run guards everything else. Each says why.
KNOWN = {
    "cross_entropy": "with several arguments wrong at once PyTorch checks the batch sizes first (ValueError)",
    "nll_loss": "with several arguments wrong at once PyTorch checks the batch sizes first (ValueError)",
    "sdpa": "deliberate: PyTorch 2.13 accepts keys and values of different lengths and unbroadcastable masks",
    "take_along_dim": "deliberate: PyTorch 2.13 reads past the input for out-of-range indices; we raise",
    "index_select": "PyTorch raises RuntimeError from its fbgemm path for some out-of-range indices, IndexError else",
    "embedding_padding_idx": "PyTorch raises RuntimeError from its fbgemm path for some out-of-range indices",
    "index_add": "PyTorch's exception type for out-of-range indices depends on the kernel path it takes",
    "index_fill": "PyTorch fails with a storage error on an empty dim; we raise IndexError",
    "scatter_add": "deliberate: with an empty index PyTorch's backward fails its own shape check for src's "
                   "gradient; ours is zeros of src's shape",
    "conv": "deliberate: on 0 input channels with groups=2 PyTorch returns 0 output channels (ours: the "
            "weight's, with the bias), and its oneDNN paths' errors",
    "batch_norm": "deliberate: PyTorch skips the running-statistics size check for empty inputs",
    "instance_norm": "deliberate: PyTorch's empty-batch path takes weight[0] of an empty weight (IndexError)",
    "multinomial": "random: a grown (duplicated) row is no longer one-hot, so the draws differ",
    "layer_norm_weight_only": "degenerate: the gradient where a row's variance is 0 (an expanded input)",
    "index_copy": "PyTorch fails with a storage error on an empty dim; we raise IndexError",
    "index_put_accumulate": "with several arguments wrong at once the first check differs",
    "getitem_adjacent_after_slice": "deliberate: PyTorch 2.13 accepts an out-of-range index here; we raise",
    "adaptive_avg_pool": "deliberate: PyTorch's backward refuses the empty channels its forward accepts (1-D and 2-D: "
                         "the 1-D op is the 2-D one on a plane)",
    "embedding_bag": "PyTorch's last bag with include_last_offset and offsets not ending at len(input) is unchecked",
    "std": "degenerate: the gradient of std where the std is 0 (expanded input) is 0/0",
    "bce": "boundary: at input 0 PyTorch's gradient for the target is inf, ours the clamped log's -100 slope",
    "median": "deliberate: PyTorch 2.13's median over an expanded (stride-0) input returns wrong values (even "
              "1e12 for a row of normals); ours equal numpy's (op_specs)",
    "nanmedian": "deliberate: as median, PyTorch 2.13 is wrong on expanded inputs",
    "kron": "deliberate: PyTorch 2.13's kron raises on a transposed operand (a .view inside it); we compute it",
    # The factorizations on degenerate inputs (the expanded layouts make rank-deficient matrices with repeated or
    # zero singular values and eigenvalues): the factors are not unique there, and PyTorch's MKL and our OpenBLAS
    # pick different ones; and a non-finite input gives whatever each LAPACK gives. op_specs checks them on
    # well-conditioned inputs, tests/test_linalg.py the singular cases that are defined.
    "linalg_qr": "degenerate: Q's columns past the rank of A are LAPACK-implementation-defined",
    "qr_old": "degenerate: as linalg_qr",
    "linalg_svd": "degenerate: singular vectors of repeated or zero singular values are not unique",
    "svd_old": "degenerate: as linalg_svd",
    "linalg_eigh": "degenerate: eigenvectors of repeated eigenvalues are not unique",
    "linalg_pinv": "degenerate: pinv is not differentiable where the rank changes (its gradient is the SVD's)",
    "pinverse": "degenerate: as linalg_pinv",
    "linalg_cholesky": "non-finite: an infinite input is factored or refused as each LAPACK's potrf decides",
    "cholesky_old": "non-finite: as linalg_cholesky",
    "bilinear_3d": "boundary: as bilinear_unbatched, PyTorch's bilinear over 3-D inputs reshapes an input of no "
                   "features with -1 and raises ('cannot reshape tensor of 0 elements'); ours returns the result",
    "bilinear_unbatched": "boundary: PyTorch's unbatched bilinear reshapes an empty input with -1 and raises "
                          "('cannot reshape tensor of 0 elements'); ours returns the empty result",
    "linalg_solve_ex": "degenerate: a singular A (an expanded layout repeats rows) gives non-finite gradients whose "
                       "inf/nan pattern follows each LAPACK's pivoting",
    "linalg_matrix_norm_nuc": "degenerate: as linalg_svd (the nuclear norm's gradient is U V^T)",
    "linalg_matrix_norm_-2": "degenerate: a grown (repeated) row makes the smallest singular value 0, and its gradient "
                             "u v^T takes the signs each LAPACK gives that value's singular vectors",
    "block_diag": "deliberate: PyTorch 2.13's block_diag backward skips the row an empty 1-D input takes in its "
                  "forward, so the later inputs' gradients are read one row early; ours reads them where the forward "
                  "put them (test_fuzz_regressions)",
    "linalg_eigvalsh": "non-finite: an infinite input converges or fails as each LAPACK's syevd decides",
    "multi_margin_loss": "deliberate: on an empty batch with reduction='mean' PyTorch 2.13 runs no kernel and returns "
                         "an uninitialised value (1e31 and -1e35 seen); ours is nan, the mean of nothing, as its other "
                         "losses give",
    "linalg_lstsq": "non-finite: a nan or inf input is solved or refused (rank, or PyTorch's internal assert on an "
                    "illegal LAPACK argument) as each driver decides",
}
# Entries whose backward PyTorch refuses where ours returns the gradient (by prefix); compared as known only then.
TORCH_BACKWARD_RAISES = {
    "scatter_reduce": "PyTorch's backward raises a size mismatch where index is smaller than src (empty included): "
                      "its formula compares a gather by index with src's shape; ours gives src's gradient at the "
                      "indexed positions and zero elsewhere",
    "scatter": "PyTorch's scatter backward returns the index's shape for src's gradient and then raises 'invalid "
                "gradient' where index is smaller than src (empty included); ours gives src's gradient",
    "channel_shuffle": "with zero channels PyTorch's backward calls channel_shuffle with 0 groups and raises",
}
# Entries whose gradient goes to the element an order statistic picks: where the drawn input has ties (an
# expanded or grown dim), either library may pick either of the equal elements, so only the values compare.
TIE_PICKING = ("kthvalue", "topk", "median", "nanmedian", "mode", "sort", "quantile", "nanquantile")
# PyTorch's _VF.lstm checks no weight shapes (a weight_ih of 21 rows for 4 gates of 5 runs), so these entries keep
# their drawn shapes; the rnn tests check rosenblatt's errors for wrong weight shapes.
TORCH_UNCHECKED_SHAPES = ("rnn_layer_lstm",)
# PyTorch 2.13's CPU ctc_loss reads concatenated 1-D targets as if contiguous: a strided (sliced) one gives inf
# for a feasible alignment. These entries' integer inputs keep a contiguous layout; tests/test_ctc.py checks
# strided targets against the contiguous answer.
TORCH_MISREADS_STRIDED_INTS = ("ctc_loss_concat",)
# Differences only with a storage dtype drawn (the float inputs converted to it), by entry-name prefix; each says
# why (docs/differences.rst lists them).
STORAGE_KNOWN = {
    "histogram": "boundary: without range= PyTorch has no Half kernel (its aminmax), so the float32 reference "
                 "computes the bin edges in float32, where ours (as PyTorch's own with range=) steps in float16",
}
# Differences only with an integer storage dtype drawn.
INT_STORAGE_KNOWN = {
    "rnn_": "open: PyTorch runs recurrent layers and cells on integer tensors (integer matmuls, float activations); "
            "ours requires floating point (float16/bfloat16 run in float32)",
    "lstm_cell": "open: as rnn_ (integer recurrent cells)", "gru_cell": "open: as rnn_ (integer recurrent cells)",
    "multi_margin_loss": "boundary: on an empty integer input PyTorch runs no kernel and returns an uninitialised "
                         "value (uint8: 96 seen); ours refuses integer inputs as PyTorch does for non-empty ones",
}
_CURRENT = {"storage": None}  # the plan being checked (STORAGE_KNOWN applies only with a storage dtype)

# PyTorch 2.13 itself segfaults on these with offsets or indices out of range (torch.nn.functional.embedding_bag
# and ctc_loss's CPU kernel read past their inputs), so their integer inputs keep their drawn shapes and values
# here; tests/test_embedding_bag.py and tests/test_ctc.py check rosenblatt's errors for those inputs.
TORCH_CRASHES_ON_BAD_INDICES = ("embedding_bag", "ctc_loss")
# Storage dtypes are drawn too unless RB_FUZZ_STORAGE=0.
FUZZ_STORAGE = os.environ.get("RB_FUZZ_STORAGE", "1") == "1"
# The storage dtypes a plan may convert the float inputs to (no gradients then), with the value range drawn
# for the integer ones: small integers, so sums and products stay in range in both libraries.
STORAGE = {"uint8": (0, 6), "int8": (-6, 6), "int16": (-6, 6), "int32": (-6, 6), "float16": None, "bfloat16": None}
# PyTorch 2.13's linalg.lstsq (MKL's gelss/gelsd) segfaults or fails an internal assert on empty operands (a B of
# no columns), and its scaled_dot_product_attention(enable_gqa=True) dies of SIGFPE (an integer division by the
# key's head count) when key has no heads, so these entries keep their drawn shapes; tests/test_linalg.py and
# tests/test_attention.py check rosenblatt's empty cases.
TORCH_CRASHES_ON_EMPTY = ("linalg_lstsq", "sdpa_gqa")

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed (the reference)")


def _builtin_base(exc_type):
    """The first builtin class in an exception's MRO: torch.OutOfMemoryError is a RuntimeError."""
    return next(c for c in exc_type.__mro__ if c.__module__ == "builtins")


def _mismatch(msg):
    name = msg.split(" ", 1)[0]
    storage_known = _CURRENT["storage"] and name.startswith(tuple(STORAGE_KNOWN))
    storage_known = storage_known or (STORAGE.get(_CURRENT["storage"]) is not None
                                      and name.startswith(tuple(INT_STORAGE_KNOWN)))
    if name.startswith(tuple(KNOWN)) or storage_known:
        STATS["known"].append(msg)
        return
    if COLLECT:
        STATS["mismatches"].append(msg)
        return
    pytest.fail(msg)


@st.composite
def _plan(draw, spec):
    """How to perturb an entry's inputs: everything drawn here, so hypothesis can shrink it."""
    args = []
    fixed_ints = spec.name.startswith(TORCH_CRASHES_ON_BAD_INDICES)
    for arg in spec.args:
        keep = (fixed_ints and arg.dtype == "int64") or spec.name.startswith(TORCH_CRASHES_ON_EMPTY) \
            or spec.test_id.startswith(TORCH_UNCHECKED_SHAPES)
        ndim = len(arg.shape) if arg.gen is None else None  # gen args: ndim known only after drawing
        args.append({
            "shape": "keep" if keep else draw(st.sampled_from(["keep"] * 6 + ["zero", "grow"])),
            "dim": draw(st.integers(0, 7)),
            "layout": "contiguous" if spec.test_id.startswith(TORCH_MISREADS_STRIDED_INTS)
            and (arg.dtype == "int64" or arg.gen is not None)  # the targets and lengths (drawn by gen)
            else draw(st.sampled_from(["contiguous", "contiguous", "transposed", "sliced", "expanded"])),
            "dim2": draw(st.integers(0, 7)),
            "out_of_range": arg.dtype == "int64" and not keep and draw(st.integers(0, 9)) == 0,
            "special": draw(st.sampled_from([None] * 5 + [np.nan, np.inf, -np.inf, -0.0, 1e30])),
            "ndim": ndim,
        })
    kwargs = dict(spec.kwargs)
    for k, v in spec.kwargs.items():
        if isinstance(v, int) and not isinstance(v, bool) and draw(st.integers(0, 7)) == 0:
            kwargs[k] = draw(st.sampled_from([0, -1, -v - 1, v + 5, 2 ** 40]))
    return {
        "seed": draw(st.integers(0, 2 ** 16)),
        "dtype": draw(st.sampled_from([np.float32, np.float64])),
        "storage": draw(st.sampled_from([None] * 6 + list(STORAGE))) if FUZZ_STORAGE else None,
        "args": args,
        "kwargs": kwargs,
    }


def _arrays(spec, plan):
    rng = np.random.default_rng(plan["seed"])
    out = []
    for arg, p in zip(spec.args, plan["args"]):
        a = arg.draw(rng, plan["dtype"])
        if a.ndim and p["shape"] != "keep":
            d = p["dim"] % a.ndim
            a = np.take(a, [], axis=d) if p["shape"] == "zero" else np.concatenate([a, np.take(a, [0], axis=d)], d)
        if a.dtype.kind == "i" and p["out_of_range"] and a.size:
            a = a.copy()
            a.flat[p["dim"] % a.size] = 10 ** 6 if p["dim2"] % 2 else -10 ** 6
        if a.dtype.kind == "f" and p["special"] is not None and a.size:
            a = a.copy()
            a.flat[p["dim2"] % a.size] = p["special"]
        if a.dtype.kind == "f" and STORAGE.get(plan["storage"]):
            lo, hi = STORAGE[plan["storage"]]
            a = np.clip(np.round(np.nan_to_num(a, posinf=hi, neginf=lo) * 2), lo, hi).astype(a.dtype)
        if a.ndim and p["layout"] == "expanded":
            d = p["dim2"] % a.ndim
            a = np.ascontiguousarray(np.broadcast_to(np.take(a, [0] if a.shape[d] else [], axis=d), a.shape)) \
                if a.shape[d] > 1 else a
        out.append(a)
    return out


def _build(L, spec, plan, arrays, grad):
    """The inputs in the plan's layouts, plus the leaves whose gradients are compared."""
    inputs, leaves = [], []
    for a, arg, p in zip(arrays, spec.args, plan["args"]):
        layout = p["layout"] if a.ndim else "contiguous"
        need_grad = grad and arg.grad and a.dtype.kind == "f"
        # the float inputs in the plan's storage dtype, converted by each library from the same values
        cast = (lambda b: b.to(getattr(L, plan["storage"]))) if plan["storage"] and a.dtype.kind == "f" \
            else (lambda b: b)
        if layout == "transposed" and a.ndim >= 2:
            i, j = p["dim"] % a.ndim, p["dim2"] % a.ndim
            i, j = (i, j) if i != j else (0, a.ndim - 1)
            base = cast(L.tensor(np.ascontiguousarray(np.swapaxes(a, i, j))))
            t = lambda b, i=i, j=j: b.transpose(i, j)  # noqa: E731
        elif layout == "sliced":
            d = p["dim"] % a.ndim
            big_shape = list(a.shape)
            big_shape[d] *= 2
            big = np.zeros(big_shape, a.dtype)
            idx = tuple(slice(None, None, 2) if k == d else slice(None) for k in range(a.ndim))
            big[idx] = a
            base = cast(L.tensor(big))
            t = lambda b, idx=idx: b[idx]  # noqa: E731
        elif layout == "expanded" and a.ndim and a.shape[p["dim2"] % a.ndim] > 1:
            d = p["dim2"] % a.ndim
            base = cast(L.tensor(np.ascontiguousarray(np.take(a, [0], axis=d))))
            t = lambda b, shape=a.shape: b.expand(*shape)  # noqa: E731
        else:
            base = cast(L.tensor(a))
            t = lambda b: b  # noqa: E731
        if need_grad:
            base.requires_grad_(True)
            leaves.append(base)
        inputs.append(t(base))
    return inputs, leaves


def _call(L, spec, plan, arrays, grad):
    """(outputs, leaves, None) or (None, None, exception)."""
    try:
        inputs, leaves = _build(L, spec, plan, arrays, grad)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = spec.fn(L, *inputs, **plan["kwargs"])
        return (list(out) if isinstance(out, (tuple, list)) else [out]), leaves, None
    except Exception as e:  # noqa: BLE001 (comparing which exception, not handling it)
        return None, None, e


def _np(x):
    if isinstance(x, rb.Tensor) or (HAVE_TORCH and isinstance(x, torch.Tensor)):
        x = x.detach()
        return (x.float() if str(x.dtype).endswith("bfloat16") else x).numpy()  # numpy has no bfloat16
    return np.asarray(x)


def _compare_values(what, r, t, spec, dtype, values=True, ties=False):
    if tuple(r.shape) != tuple(t.shape):
        return _mismatch(f"{what}: shape {tuple(r.shape)} vs PyTorch {tuple(t.shape)}")
    if str(r.dtype).split(".")[-1] != str(t.dtype).split(".")[-1]:
        return _mismatch(f"{what}: dtype {r.dtype} vs PyTorch {t.dtype}")
    if not values:
        return
    rn, tn = _np(r), _np(t)
    if tn.dtype.kind in "iu" and ties:
        return
    if tn.dtype.kind in "biu":
        if not np.array_equal(rn, tn):
            return _mismatch(f"{what}: integer/bool values differ\n{rn}\nvs PyTorch\n{tn}")
        return
    atol, rtol = max(spec.atol, 1e-5) * 10, spec.rtol * 10
    if str(t.dtype).split(".")[-1] in ("float16", "bfloat16"):  # one rounding apart, or a rounded input's
        rn, tn, atol, rtol = rn.astype(np.float32), tn.astype(np.float32), max(atol, 0.05), max(rtol, 0.05)
    elif dtype == np.float64:
        atol, rtol = atol / 10, rtol / 10
    with np.errstate(invalid="ignore"):
        ok = np.allclose(rn, tn, atol=atol, rtol=rtol, equal_nan=True)
    if not ok:
        _mismatch(f"{what}: values differ (atol={atol}, rtol={rtol})\n{rn}\nvs PyTorch\n{tn}")


def _torch_lacks_storage_kernel(err_t, plan):
    """PyTorch's CPU build has no float16/bfloat16 kernel for some ops (cdist: "not implemented for 'Half'") where
    ours computes in float32 and rounds once (docs/differences.rst): a superset, checked against float32 instead."""
    return plan["storage"] in ("float16", "bfloat16") and isinstance(err_t, NotImplementedError) \
        and "not implemented for" in str(err_t)


def _check_against_float32(spec, plan, arrays, out_r, desc):
    """rosenblatt's storage-dtype result against PyTorch's float32 one on the same rounded inputs, rounded once."""
    low = {"float16": np.float16, "bfloat16": None}[plan["storage"]]
    if low is None:  # numpy has no bfloat16: round through torch
        rounded = [torch.tensor(a).to(torch.bfloat16).to(torch.float32).numpy() if a.dtype.kind == "f" else a
                   for a in arrays]
    else:
        rounded = [a.astype(low).astype(np.float32) if a.dtype.kind == "f" else a for a in arrays]
    out_t, _, err_t = _call(torch, spec, dict(plan, storage=None), rounded, False)
    if err_t is not None:
        return _mismatch(f"{desc}: PyTorch raises {type(err_t).__name__}({err_t}) in float32 too, rosenblatt does not")
    storage = getattr(torch, plan["storage"])
    out_t = [t.to(storage) if isinstance(t, torch.Tensor) and t.is_floating_point() else t for t in out_t]
    if len(out_r) != len(out_t):
        return _mismatch(f"{desc}: {len(out_r)} outputs vs PyTorch's float32 {len(out_t)}")
    finite = all(p["special"] is None or p["special"] == 0 for p in plan["args"])
    for k, (r, t) in enumerate(zip(out_r, out_t)):
        if isinstance(t, torch.Tensor):
            _compare_values(f"{desc} output {k} (PyTorch in float32)", r, t, spec, plan["dtype"], finite)
    STATS["both_ok"] += 1


def _check(spec, plan):
    STATS["cases"] += 1
    _CURRENT["storage"] = plan["storage"]
    arrays = _arrays(spec, plan)
    # Non-finite and overflowing values are compared for raising, shape and dtype only: where they
    # propagate (nan or inf, through BLAS or a two-pass variance) differs between libraries without either being
    # wrong. Indices (argmax, kthvalue, topk) of an expanded or grown (first slice repeated) input have ties,
    # which either library may break its way.
    finite = all(p["special"] is None or p["special"] == 0 for p in plan["args"])
    ties = any(p["layout"] == "expanded" or p["shape"] == "grow" for p in plan["args"])
    # The small integers of an integer storage dtype repeat too: the indices returned beside values (topk's,
    # kthvalue's) may name either of two equal elements.
    index_ties = STORAGE.get(plan["storage"]) is not None
    grad = spec.grad and finite and plan["storage"] is None
    if TRACE:
        with open(TRACE, "a") as f:
            f.write(f"{spec.test_id} {plan}\n")
    out_r, leaves_r, err_r = _call(rb, spec, plan, arrays, grad)
    out_t, leaves_t, err_t = _call(torch, spec, plan, arrays, grad)
    desc = f"{spec.test_id} shapes={[a.shape for a in arrays]} dtype={np.dtype(plan['dtype']).name} plan={plan}"
    if err_t is not None:
        if err_r is None and _torch_lacks_storage_kernel(err_t, plan):
            return _check_against_float32(spec, plan, arrays, out_r, desc)
        if err_r is None:
            return _mismatch(f"{desc}: PyTorch raises {type(err_t).__name__}({err_t}), rosenblatt does not")
        base = _builtin_base(type(err_t))
        if not (isinstance(err_r, base) or issubclass(base, type(err_r))):
            return _mismatch(f"{desc}: rosenblatt raises {type(err_r).__name__}({err_r}), PyTorch "
                             f"{type(err_t).__name__}({err_t})")
        STATS["both_raise"] += 1
        return
    if err_r is not None:
        return _mismatch(f"{desc}: rosenblatt raises {type(err_r).__name__}({err_r}), PyTorch succeeds")
    if len(out_r) != len(out_t):
        return _mismatch(f"{desc}: {len(out_r)} outputs vs PyTorch {len(out_t)}")
    # A known difference in the outputs (a shape, say) also ends the case: the gradients compare like outputs only.
    n_before = len(STATS["mismatches"]) + len(STATS["known"])
    for k, (r, t) in enumerate(zip(out_r, out_t)):
        if isinstance(t, torch.Tensor):
            if not isinstance(r, rb.Tensor):
                return _mismatch(f"{desc}: output {k} is {type(r).__name__}, PyTorch's a Tensor")
            _compare_values(f"{desc} output {k}", r, t, spec, plan["dtype"], finite,
                            ties or (index_ties and k > 0 and t.dtype == torch.int64))
    if ties and spec.test_id.startswith(TIE_PICKING):
        grad = False
    if not grad or len(STATS["mismatches"]) + len(STATS["known"]) != n_before:
        STATS["both_ok"] += 1
        return
    # The same upstream gradient through every differentiable output, then the leaves' gradients.
    rng = np.random.default_rng(plan["seed"] + 1)
    loss_r = loss_t = None
    for r, t in zip(out_r, out_t):
        if isinstance(t, torch.Tensor) and t.requires_grad and t.dtype.is_floating_point:
            w = rng.standard_normal(tuple(t.shape)).astype(_np(t).dtype)
            lr, lt = (r * rb.tensor(w)).sum(), (t * torch.tensor(w)).sum()
            loss_r = lr if loss_r is None else loss_r + lr
            loss_t = lt if loss_t is None else loss_t + lt
    if loss_t is None:
        STATS["both_ok"] += 1
        return
    errs = []
    for loss in (loss_r, loss_t):
        try:
            loss.backward()
            errs.append(None)
        except Exception as e:  # noqa: BLE001
            errs.append(e)
    if errs[0] is None and errs[1] is not None and spec.test_id.startswith(tuple(TORCH_BACKWARD_RAISES)):
        STATS["known"].append(f"{desc}: PyTorch's backward raises {errs[1]!r}")
        return
    if (errs[0] is None) != (errs[1] is None):
        return _mismatch(f"{desc}: backward raises {errs[0]!r} vs PyTorch {errs[1]!r}")
    if errs[0] is None:
        for k, (r, t) in enumerate(zip(leaves_r, leaves_t)):
            if (r.grad is None) != (t.grad is None):
                _mismatch(f"{desc}: grad of input {k} is None in one library only")
            elif t.grad is not None:
                _compare_values(f"{desc} grad {k}", r.grad, t.grad, spec, plan["dtype"])
    STATS["both_ok"] += 1


@pytest.mark.parametrize("spec", FUZZ_SPECS, ids=[s.test_id for s in FUZZ_SPECS])
def test_op_matches_pytorch_on_drawn_inputs(spec):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not COLLECT and "RB_FUZZ_EXAMPLES" not in os.environ,
              suppress_health_check=list(HealthCheck), database=None)
    @given(plan=_plan(spec))
    def run(plan):
        _check(spec, plan)

    run()


def test_zz_fuzz_report():
    """Prints the counts (run with -s); in collect mode, lists every mismatch and fails if any."""
    print(f"\nfuzz_ops: {STATS['cases']} cases, {STATS['both_ok']} matched, {STATS['both_raise']} raised in both, "
          f"{len(STATS['mismatches'])} mismatches, {len(STATS['known'])} known differences")
    if COLLECT:
        for m in STATS["known"]:
            print("KNOWN", m[:2000], "\n")
    for m in STATS["mismatches"]:
        print("MISMATCH", m[:2000], "\n")
    assert not STATS["mismatches"]
