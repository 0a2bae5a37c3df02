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
import re
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

# Differences the long runs found and this branch did not fix. A mismatch counts as known (printed, not failed)
# only for the exact entries listed and only when it is the difference the entry documents (its condition,
# `when(plan, what)`: `what` is the mismatch after the case's description), so the CI run guards everything else,
# including other differences of the same entries. Each says why.
def _ids(*names):
    """The test ids of the entries of these exact op names (an op's variants: conv2d's 22 configurations)."""
    return tuple(s.test_id for s in SPECS if s.name in names)


def _theirs(what, pattern):
    """PyTorch raised an error matching pattern (in the forward, or as the float32 reference)."""
    m = re.search(r"PyTorch (?:raises )?(\w+\(.*)", what, re.S)
    return bool(m) and re.search(pattern, m.group(1), re.S) is not None


def _ours(what, pattern):
    m = re.match(r": rosenblatt raises (\w+\(.*?)\), PyTorch", what, re.S)
    return bool(m) and re.search(pattern, m.group(1), re.S) is not None


def _torch_ok(what):
    return what.endswith("PyTorch succeeds")


def _both_raise(what):
    return what.startswith(": rosenblatt raises") and not _torch_ok(what)


def _grad(what):
    return re.match(r" grad \d+:", what) is not None


def _values(what):
    return "values differ" in what


def _wrong_args(plan):
    """How many inputs the plan made wrong (a changed shape or an out-of-range index)."""
    return sum(a["shape"] != "keep" or a["out_of_range"] for a in plan["args"])


def _degenerate(plan):
    """Repeated rows or columns: an expanded layout or a grown (first slice repeated) dim."""
    return any(a["layout"] == "expanded" or a["shape"] == "grow" for a in plan["args"])


def _nonfinite(plan):
    return any(a["special"] is not None and a["special"] != 0 for a in plan["args"])


def _empty(plan):
    return any(a["shape"] == "zero" for a in plan["args"])


def _special(plan):
    """A drawn special value, signed zero included."""
    return any(a["special"] is not None for a in plan["args"])


_CHECK_ORDER = lambda p, w: _both_raise(w) and _wrong_args(p) >= 2  # noqa: E731
_VIEW_RAISES = lambda p, w: _theirs(w, r"view size is not compatible") and not w.startswith(": rosenblatt")  # noqa
_FACTORS = lambda p, w: ((_values(w) or _grad(w)) and (_degenerate(p) or _special(p))) or _nonfinite(p)  # noqa
_KNOWN = [
    (_ids(*(s.name for s in SPECS if s.name.startswith(("cross_entropy_", "nll_loss_")))), _CHECK_ORDER,
     "with several arguments wrong at once the checks run in another order (PyTorch's batch-size ValueError "
     "first)"),
    (_ids("index_put_accumulate"), _CHECK_ORDER, "with several arguments wrong at once the first check differs"),
    (_ids(*(s.name for s in SPECS if s.name.startswith("sdpa"))),
     lambda p, w: _torch_ok(w) and _ours(w, r"same number of positions|same last dim|must match the size"),
     "deliberate: PyTorch 2.13 accepts keys and values of different lengths, queries and keys of different widths "
     "and unbroadcastable masks where its math path multiplies what broadcasts; we raise"),
    (_ids(*(s.name for s in SPECS if s.name.startswith("sdpa"))),
     lambda p, w: _empty(p) and ((w.startswith(" output") and ("shape" in w or _values(w))) or "in one library" in w),
     "boundary: with an empty batch in one operand PyTorch's fused CPU path takes the query's batch, and queries "
     "and keys of width 0 make the default scale 1/sqrt(0) infinite, where the two meet 0 * inf differently; with "
     "no queries the mask's gradient is None in one and zeros in the other"),
    (_ids("take_along_dim", "take_along_dim_broadcast"), lambda p, w: _torch_ok(w) and _ours(w, "out of bounds"),
     "deliberate: PyTorch 2.13 reads past the input for out-of-range indices; we raise"),
    (_ids("take_along_dim_flat", "kron", "kron_ndim"), _VIEW_RAISES,
     "deliberate: PyTorch 2.13's take_along_dim without dim and kron call .view on a transposed operand and raise; "
     "we compute"),
    (_ids("index_select", "embedding_padding_idx"),
     lambda p, w: _ours(w, "IndexError") and _theirs(w, r"RuntimeError\((INDICES element is out of DATA bounds|"
                                                     r"index_select\(\): self indexing axis dim should be positive)"),
     "PyTorch raises RuntimeError from its fbgemm path for some out-of-range indices (and for an empty indexed dim), "
     "IndexError else"),
    (_ids("index_add", "index_add_method", "index_add_inplace"),
     lambda p, w: (_both_raise(w) or (_torch_ok(w) and _empty(p))) and _ours(w, "out of (range|bounds)"),
     "PyTorch's exception type for out-of-range indices depends on the kernel path it takes, and an empty self "
     "skips its index check"),
    (_ids("index_fill", "index_fill_tensor", "index_fill_inplace", "index_copy", "index_copy_inplace"),
     lambda p, w: _ours(w, "IndexError") and (_theirs(w, "setStorage") or (_torch_ok(w) and _empty(p))),
     "PyTorch fails with a storage error on an empty dim, or skips the index check there; we raise IndexError"),
    (_ids(*(s.name for s in SPECS if s.name.startswith(("conv1d", "conv2d", "conv3d", "conv_transpose")))),
     lambda p, w: _empty(p) and ((w.startswith(" output") and "shape" in w) or _both_raise(w)),
     "deliberate: on 0 input channels with groups=2 PyTorch returns 0 output channels (ours: the weight's, with the "
     "bias), and its oneDNN paths' errors on empty inputs"),
    (_ids(*(s.name for s in SPECS if s.name.startswith(("conv1d", "conv2d", "conv3d", "conv_transpose")))),
     lambda p, w: _torch_ok(w) and _ours(w, "too large|overflow|not enough memory") and 2 ** 40 in p["kwargs"].values(),
     "deliberate: with a padding of 2**40 PyTorch 2.13's output size overflows and it returns a small tensor of the "
     "wrapped size; we raise"),
    (_ids("batch_norm_train", "batch_norm_train_1d", "batch_norm_train_running", "batch_norm_eval",
          "batch_norm_train_5d", "batch_norm_eval_5d", "instance_norm", "instance_norm_affine", "instance_norm_eval",
          "instance_norm_running"),
     lambda p, w: _ours(w, r"should contain \d+ elements") and (_torch_ok(w) or _theirs(w, r"IndexError\(select")),
     "deliberate: PyTorch skips the running-statistics and affine size checks for empty inputs"),
    (_ids(*(s.name for s in SPECS if s.name.startswith(("batch_norm", "instance_norm")))),
     lambda p, w: STORAGE.get(p["storage"]) is not None and _empty(p) and _ours(w, "not implemented for"),
     "boundary: on an empty integer input PyTorch runs no kernel and returns an empty result (or takes weight[0] of "
     "an empty parameter: IndexError); ours refuses integer inputs as PyTorch does for non-empty ones"),
    (_ids("instance_norm", "instance_norm_affine", "instance_norm_eval", "instance_norm_running", "batch_norm_train",
          "batch_norm_train_running", "batch_norm_eval", "batch_norm_train_5d", "batch_norm_eval_5d"),
     lambda p, w: _theirs(w, r"IndexError\(select\(\)") and _empty(p),
     "deliberate: PyTorch's empty-input path takes weight[0] of an empty weight (IndexError; batch_norm with no "
     "channels too)"),
    (_ids("multinomial_onehot", "multinomial_onehot_1d"), lambda p, w: _values(w) and _degenerate(p),
     "random: a grown (duplicated) row is no longer one-hot, so the draws differ"),
    (_ids("layer_norm_weight_only", "instance_norm"), lambda p, w: _grad(w) and _degenerate(p),
     "degenerate: the gradient where a row's variance is 0 (an expanded input)"),
    (_ids("getitem_adjacent_after_slice"), lambda p, w: _torch_ok(w) and _ours(w, "out of (bounds|range)"),
     "deliberate: PyTorch 2.13 accepts an out-of-range index here; we raise"),
    (_ids(*(s.name for s in SPECS if s.name.startswith("adaptive_avg_pool"))),
     lambda p, w: w.startswith(": backward raises None vs PyTorch") and "non-zero size" in w,
     "deliberate: PyTorch's backward refuses the empty channels its forward accepts"),
    (_ids(*(s.name for s in SPECS if s.name.startswith("embedding_bag"))),
     lambda p, w: (_torch_ok(w) and _ours(w, "offset")) or (_values(w) and _degenerate(p)),
     "PyTorch's last bag with include_last_offset and offsets not ending at len(input) (repeated, expanded offsets) "
     "is unchecked"),
    (_ids("std_dim", "std_keepdim", "std_all", "std_mean_unbiased"), lambda p, w: _grad(w) and _degenerate(p),
     "degenerate: the gradient of std where the std is 0 (expanded input) is 0/0"),
    (_ids("bce_none", "bce_mean", "bce_sum", "bce_weight"), lambda p, w: _grad(w),
     "boundary: at input 0 PyTorch's gradient for the target is inf, ours the clamped log's -100 slope"),
    (_ids("median_all", "median_dim", "median_dim_keepdim", "nanmedian_all", "nanmedian_dim"),
     lambda p, w: (_values(w) or _grad(w)) and any(a["layout"] == "expanded" for a in p["args"]),
     "deliberate: PyTorch 2.13's median over an expanded (stride-0) input returns wrong values (even 1e12 for a row "
     "of normals); ours equal numpy's (op_specs)"),
    # The factorizations on degenerate inputs (the expanded layouts make rank-deficient matrices with repeated or
    # zero singular values and eigenvalues): the factors are not unique there, and PyTorch's MKL and our OpenBLAS
    # pick different ones; and a non-finite input gives whatever each LAPACK gives. op_specs checks them on
    # well-conditioned inputs, tests/test_linalg.py the singular cases that are defined.
    (_ids("linalg_qr", "linalg_qr_r", "qr_old", "linalg_svd", "linalg_svdvals", "svd_old", "linalg_eigh",
          "linalg_pinv", "linalg_pinv_hermitian", "pinverse", "linalg_solve_ex", "linalg_lstsq"), _FACTORS,
     "degenerate: factors, vectors and pinv's gradient are not unique where singular values or eigenvalues repeat "
     "or vanish (or a reflector's sign where a leading entry is a signed zero), and a singular A's non-finite "
     "gradients follow each LAPACK's pivoting; non-finite inputs are factored or refused as each LAPACK decides"),
    (("linalg_matrix_norm_nuc", "linalg_matrix_norm_-2"), _FACTORS,
     "degenerate: as linalg_svd (the nuclear norm's gradient is U V^T, the -2 norm's u v^T takes the signs each "
     "LAPACK gives the smallest singular value's vectors)"),
    (_ids("linalg_cholesky", "linalg_cholesky_upper", "linalg_cholesky_ex", "cholesky_old", "linalg_eigvalsh",
          "linalg_lstsq", "inverse_method", "linalg_inv", "linalg_inv_ex", "linalg_solve", "linalg_solve_vector",
          "linalg_solve_batched_vector", "linalg_solve_broadcast", "linalg_solve_right"), lambda p, w: _nonfinite(p),
     "non-finite: an infinite or nan input is factored, converges or is refused (a pivot exactly zero, rank, "
     "PyTorch's internal assert on an illegal LAPACK argument) as each LAPACK decides"),
    (_ids("linalg_solve", "linalg_solve_broadcast", "linalg_solve_right"),
     lambda p, w: _degenerate(p) and _empty(p) and _theirs(w, "singular") and not w.startswith(": rosenblatt"),
     "boundary: PyTorch factors a singular A (repeated rows) before broadcasting it against an empty batch of B and "
     "raises; ours solves nothing"),
    (_ids("inverse_method", "linalg_inv", "linalg_inv_ex"), lambda p, w: (_values(w) or _grad(w)) and _degenerate(p),
     "degenerate: a singular A (repeated rows) has no inverse; the inf and nan of the result follow each LAPACK's "
     "pivoting"),
    (_ids("linalg_lstsq"), lambda p, w: _degenerate(p) and _torch_ok(w) and _ours(w, "full rank"),
     "deliberate: gels (a QR) of a rank-deficient A (repeated rows): PyTorch's MKL returns what its QR gives "
     "unchecked; we raise, as PyTorch's documentation says gels needs A of full rank"),
    (_ids("bilinear", "bilinear_3d_no_bias", "bilinear_unbatched"),
     lambda p, w: _theirs(w, "cannot reshape tensor of 0 elements"),
     "boundary: PyTorch's bilinear reshapes an input of no features with -1 and raises ('cannot reshape tensor of 0 "
     "elements'); ours returns the result"),
    (_ids("block_diag"), lambda p, w: _grad(w) and _empty(p),
     "deliberate: PyTorch 2.13's block_diag backward skips the row an empty 1-D input takes in its forward, so the "
     "later inputs' gradients are read one row early; ours reads them where the forward put them "
     "(test_fuzz_regressions)"),
    (_ids(*(s.name for s in SPECS if s.name.startswith("multi_margin_loss"))),
     lambda p, w: _values(w) and _empty(p),
     "deliberate: on an empty batch with reduction='mean' PyTorch 2.13 runs no kernel and returns an uninitialised "
     "value (1e31 and -1e35 seen); ours is nan, the mean of nothing, as its other losses give"),
    (_ids("histogram", "histogram_edges", "histogram_range_weight_density", "histogramdd", "histogramdd_edges",
          "histogramdd_range_weight_density"),
     lambda p, w: p["storage"] in ("float16", "bfloat16") and (_values(w) or "float32 too" in w),
     "boundary: without range= PyTorch has no Half or BFloat16 kernel (its aminmax), so the float32 reference "
     "computes the bin edges in float32, where ours (as PyTorch's own with range=) steps in the dtype"),
    (_ids("multi_margin_loss_mean", "multi_margin_loss_p2_weight"),
     lambda p, w: STORAGE.get(p["storage"]) is not None and _empty(p) and _ours(w, "not implemented for"),
     "boundary: on an empty integer input PyTorch runs no kernel and its mean is uninitialised (uint8: 96 seen); "
     "ours refuses it as PyTorch does every non-empty integer input (an integer has no nan for the mean of nothing)"),
    (_ids("multi_margin_loss_sum"), lambda p, w: STORAGE.get(p["storage"]) is not None and _empty(p) and _values(w),
     "boundary: on an empty integer input PyTorch runs no kernel and its sum is uninitialised; ours is 0"),
]
KNOWN = {}  # test id -> [(when, why)]
for _ids_, _when, _why in _KNOWN:
    for _i in _ids_:
        KNOWN.setdefault(_i, []).append((_when, _why))
# Entries whose backward PyTorch refuses where ours returns the gradient (exact ids); compared as known only then.
TORCH_BACKWARD_RAISES = dict.fromkeys(
    _ids(*(s.name for s in SPECS if s.name.startswith("scatter_reduce"))),
    "PyTorch's backward raises a size mismatch where index is smaller than src (empty included): its formula "
    "compares a gather by index with src's shape; ours gives src's gradient at the indexed positions and zero "
    "elsewhere")
TORCH_BACKWARD_RAISES.update(dict.fromkeys(
    _ids("scatter", "scatter_add"), "PyTorch's scatter backward returns the index's shape for src's gradient and "
    "then raises 'invalid gradient' (or fails its own shape check) where index is smaller than src (empty "
    "included); ours gives src's gradient"))
TORCH_BACKWARD_RAISES["channel_shuffle"] = "with zero channels PyTorch's backward calls channel_shuffle with 0 " \
                                           "groups and raises"
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
_CURRENT = {"plan": None, "desc": ""}  # the case being checked (KNOWN's conditions read it)

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


def _is_known(name, plan, what):
    """Whether entry `name`'s mismatch `what` (after the case's description) on `plan` is a documented one."""
    return plan is not None and any(when(plan, what) for when, _ in KNOWN.get(name, ()))


def _mismatch(msg):
    name, plan, desc = msg.split(" ", 1)[0], _CURRENT["plan"], _CURRENT["desc"]
    what = msg[len(desc):] if desc and msg.startswith(desc) else msg
    if _is_known(name, plan, what):
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
    _CURRENT["plan"], _CURRENT["desc"] = plan, ""
    arrays = _arrays(spec, plan)
    # Non-finite and overflowing values are compared for raising, shape and dtype only: where they
    # propagate (nan or inf, through BLAS or a two-pass variance) differs between libraries without either being
    # wrong. Indices (argmax, kthvalue, topk) of an expanded or grown (first slice repeated) input have ties,
    # which either library may break its way.
    finite = all(p["special"] is None or p["special"] == 0 for p in plan["args"])
    ties = any(p["layout"] == "expanded" or p["shape"] == "grow" for p in plan["args"])
    # The small integers of an integer storage dtype repeat too: the indices returned beside values (topk's,
    # kthvalue's) may name either of two equal elements.
    index_ties = plan["storage"] is not None  # rounding to float16/bfloat16 makes equal values too
    grad = spec.grad and finite and plan["storage"] is None
    if TRACE:
        with open(TRACE, "a") as f:
            f.write(f"{spec.test_id} {plan}\n")
    out_r, leaves_r, err_r = _call(rb, spec, plan, arrays, grad)
    out_t, leaves_t, err_t = _call(torch, spec, plan, arrays, grad)
    desc = f"{spec.test_id} shapes={[a.shape for a in arrays]} dtype={np.dtype(plan['dtype']).name} plan={plan}"
    _CURRENT["desc"] = desc
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
    if errs[0] is None and errs[1] is not None and spec.test_id in TORCH_BACKWARD_RAISES:
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


def test_known_differences_match_their_entries_and_conditions_only():
    """KNOWN names exact entries and the difference each documents: an entry sharing a prefix (bce_logits with
    bce), or another difference of a listed entry (a cross_entropy value), is a mismatch."""
    arg = {"shape": "keep", "out_of_range": False, "layout": "contiguous", "special": None}
    plan = {"args": [dict(arg), dict(arg)], "storage": None}
    wrong2 = {"args": [dict(arg, shape="zero"), dict(arg, out_of_range=True)], "storage": None}
    assert _is_known("bce_mean", plan, " grad 1: values differ (atol=1e-05, rtol=0.0001)")
    assert not _is_known("bce_logits_mean", plan, " grad 1: values differ (atol=1e-05, rtol=0.0001)")
    assert not _is_known("bce_mean", plan, " output 0: values differ (atol=1e-05, rtol=0.0001)")
    raised = ": rosenblatt raises RuntimeError(weight tensor should be defined), PyTorch ValueError(Expected input)"
    assert _is_known("cross_entropy_mean", wrong2, raised)
    assert not _is_known("cross_entropy_mean", plan, raised)  # one argument wrong: the order must agree
    assert not _is_known("cross_entropy_mean", wrong2, " output 0: values differ (atol=1e-05, rtol=0.0001)")
    assert not _is_known("median_all", plan, ": backward raises RuntimeError('no grad_fn') vs PyTorch None")
    # every storage dtype PyTorch computes has a kernel here now: a refusal of one is a mismatch
    assert not _is_known("index_add", dict(plan, storage="int8"),
                         ": rosenblatt raises RuntimeError(\"index_add\" not implemented for 'int8'), PyTorch succeeds")
    assert not _is_known("conv2d-basic", dict(plan, storage="int8"),
                         ": rosenblatt raises RuntimeError(\"convNd\" not implemented for 'int8'), PyTorch succeeds")
    assert "take_along_dim_flat" not in [i for i, e in KNOWN.items() if any("reads past" in why for _, why in e)]


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
