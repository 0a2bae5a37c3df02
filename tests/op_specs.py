"""Every op, once: how to call it, its inputs, a numpy reference and tolerances.

`fn(L, *inputs, **kwargs)` is written against the PyTorch API and receives either the rosenblatt
module or torch as L, so the same entry drives the forward check against `ref` (numpy), the float64
gradient check, and the parity check against PyTorch (tests/test_ops.py).
"""
import math
import random as _random
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from numpy_ref import (  # noqa: F401  (the numpy references that the entries name)
    _np_adaptive,
    _np_bce,
    _np_bce_logits,
    _np_bilinear,
    _np_class_loss,
    _np_conv1d,
    _np_conv2d,
    _np_conv_transpose1d,
    _np_conv_transpose2d,
    _np_cosine_embedding,
    _np_cosine_similarity,
    _np_cross_entropy,
    _np_erf,
    _np_erfinv,
    _np_gaussian_nll,
    _np_gru_cell,
    _np_hinge_embedding,
    _np_huber,
    _np_index_add,
    _np_interp_matrix,
    _np_kl_div,
    _np_layer,
    _np_layer_ref,
    _np_log_softmax,
    _np_lstm_cell,
    _np_margin_ranking,
    _np_multi_margin,
    _np_multilabel_soft_margin,
    _np_nll,
    _np_normalize,
    _np_pairwise_distance,
    _np_poisson_nll,
    _np_pool_out,
    _np_put_pair,
    _np_relu_cell,
    _np_scatter,
    _np_scatter_add,
    _np_sdpa,
    _np_sigmoid,
    _np_smooth_l1,
    _np_soft_margin,
    _np_softmax,
    _np_tanh_cell,
    _np_triplet,
    _np_unpool,
    _np_windows,
    _pair,
    _reduce,
)
from numpy_ref_nn import (  # noqa: F401  (references of the nn ops)
    _np_affine_grid,
    _np_celu,
    _np_ctc,
    _np_fold,
    _np_gelu,
    _np_gelu_tanh,
    _np_glu,
    _np_grid_sample,
    _np_hardsigmoid,
    _np_lp_pool2d,
    _np_pad,
    _np_prelu,
    _np_silu,
    _np_softplus,
    _np_unfold,
    np_avg_pool2d,
    np_batch_norm,
    np_embedding_bag,
    np_group_norm,
    np_instance_norm,
    np_interpolate,
    np_layer_norm,
    np_max_pool2d,
    np_max_pool2d_indices,
    np_pad,
    np_rms_norm,
)
from numpy_ref_tensor import (  # noqa: F401  (references of the tensor toolbox and linear algebra)
    _np_block_diag,
    _np_cdist,
    _np_cum_extreme,
    _np_diag_embed,
    _np_eigh_inv,
    _np_index_copy,
    _np_index_fill,
    _np_lower_median,
    _np_mode_values,
    _np_mT,
    _np_scatter_reduce,
    _np_searchsorted,
    _np_solve_right,
    _np_spd,
    _np_svd_inv,
    _np_unique_consecutive,
    _np_unique_dim,
    _np_vnorm,
    _np_xlogy,
)


@dataclass
class Arg:
    """One input: a shape plus how to draw its values. Float args are differentiated unless grad=False."""

    shape: tuple
    dtype: str = "float"  # "float" (float32 forward, float64 gradcheck), "int64", "bool"
    low: float = -2.0
    high: float = 2.0
    grad: bool = True
    gen: Optional[Callable] = None  # gen(rng) -> np.ndarray overrides shape/low/high

    def draw(self, rng, float_dtype):
        if self.gen is not None:
            a = np.asarray(self.gen(rng))
            return a.astype(float_dtype) if a.dtype.kind == "f" else a
        if self.dtype == "int64":
            return rng.integers(int(self.low), int(self.high), size=self.shape).astype(np.int64)
        if self.dtype == "bool":
            return rng.random(self.shape) < 0.5
        return rng.uniform(self.low, self.high, size=self.shape).astype(float_dtype)


def A(*shape, **kw):
    return Arg(tuple(shape), **kw)


@dataclass
class OpSpec:
    name: str
    fn: Callable  # fn(L, *inputs, **kwargs) -> tensor or tuple of tensors
    ref: Optional[Callable]  # ref(*numpy_inputs, **kwargs) -> array or tuple (None: no numpy reference, say why)
    args: list
    kwargs: dict = field(default_factory=dict)
    atol: float = 1e-5
    rtol: float = 1e-4
    grad: bool = True  # run the float64 gradient check
    gradgrad: bool = True  # and the second-order one (False: not twice differentiable at the drawn point)
    torch: bool = True  # compare with PyTorch
    torch_gradgrad: bool = True  # compare second derivatives with PyTorch (False: it has none for this op)
    id: str = ""

    @property
    def test_id(self):
        return self.id or self.name


SPECS = []


def spec(*a, **kw):
    SPECS.append(OpSpec(*a, **kw))


# ---------------------------------------------------------------------------------------------
# elementwise
# ---------------------------------------------------------------------------------------------
spec("add", lambda L, a, b: L.add(a, b), np.add, [A(3, 4), A(4)])
spec("add_scalar", lambda L, a: a + 2.5, lambda a: a + 2.5, [A(2, 3)])
spec("sub", lambda L, a, b: a - b, np.subtract, [A(2, 1, 3), A(4, 1)])
spec("rsub_scalar", lambda L, a: 1.5 - a, lambda a: 1.5 - a, [A(5)])
spec("mul", lambda L, a, b: a * b, np.multiply, [A(3, 4), A(3, 1)])
spec("div", lambda L, a, b: a / b, np.divide, [A(3, 4), A(4, low=0.5, high=2.0)])
spec("rdiv_scalar", lambda L, a: 2.0 / a, lambda a: 2.0 / a, [A(3, low=0.5, high=2.0)])
spec("pow", lambda L, a, b: a ** b, np.power, [A(3, 4, low=0.5, high=2.0), A(3, 4, low=-1.5, high=1.5)])
spec("frexp_mantissa", lambda L, a: L.frexp(a).mantissa, lambda a: np.frexp(a)[0], [A(3, 4, low=-6.0, high=6.0)])
spec("frexp_exponent", lambda L, a: a.frexp()[1], lambda a: np.frexp(a)[1].astype(np.int32),
     [A(3, 4, low=-6.0, high=6.0)], grad=False)
spec("pow_scalar", lambda L, a: a ** 3, lambda a: a ** 3, [A(2, 5)])
spec("pow_exponent_kw", lambda L, a, b: L.pow(a, exponent=b), np.power,
     [A(3, 4, low=0.5, high=2.0), A(4, low=-1.5, high=1.5)])
spec("pow_method_kw", lambda L, a: a.pow(exponent=2.5), lambda a: a ** 2.5, [A(2, 5, low=0.5, high=2.0)])
spec("rpow_scalar", lambda L, a: 2.0 ** a, lambda a: 2.0 ** a, [A(2, 5)])
spec("neg", lambda L, a: -a, np.negative, [A(3, 2)])
spec("exp", lambda L, a: L.exp(a), np.exp, [A(3, 4)])
spec("log", lambda L, a: L.log(a), np.log, [A(3, 4, low=0.1, high=3.0)])
spec("sqrt", lambda L, a: L.sqrt(a), np.sqrt, [A(3, 4, low=0.1, high=3.0)])
spec("abs", lambda L, a: L.abs(a), np.abs, [A(3, 4)])
spec("maximum", lambda L, a, b: L.maximum(a, b), np.maximum, [A(3, 4), A(4)])
spec("minimum", lambda L, a, b: L.minimum(a, b), np.minimum, [A(3, 4), A(3, 1)])
spec("clamp", lambda L, a: L.clamp(a, -0.5, 1.0), lambda a: np.clip(a, -0.5, 1.0), [A(4, 5)])
spec("clamp_min", lambda L, a: a.clamp(min=0.2), lambda a: np.maximum(a, 0.2), [A(4, 5)])
spec("where", lambda L, c, a, b: L.where(c, a, b), np.where, [A(3, 4, dtype="bool"), A(3, 4), A(4)])
spec("gt", lambda L, a, b: a > b, np.greater, [A(3, 4), A(4)], grad=False)
spec("eq_scalar", lambda L, a: a == 2, lambda a: a == 2, [A(3, 4, dtype="int64", low=0, high=4)], grad=False)
spec("int_true_div", lambda L, a, b: a / b, lambda a, b: (a / b).astype(np.float32),
     [A(3, 4, dtype="int64", low=1, high=9), A(4, dtype="int64", low=1, high=5)], grad=False)

# the math functions (sin ... erfinv), each on a domain where it and its derivative are smooth
_MATH = [("sin", np.sin, -3, 3), ("cos", np.cos, -3, 3), ("tan", np.tan, -1.2, 1.2), ("asin", np.arcsin, -0.9, 0.9),
         ("acos", np.arccos, -0.9, 0.9), ("atan", np.arctan, -3, 3), ("sinh", np.sinh, -2, 2), ("cosh", np.cosh, -2, 2),
         ("asinh", np.arcsinh, -3, 3), ("acosh", np.arccosh, 1.2, 3), ("atanh", np.arctanh, -0.9, 0.9),
         ("log1p", np.log1p, -0.5, 3), ("expm1", np.expm1, -2, 2), ("log2", np.log2, 0.2, 3),
         ("log10", np.log10, 0.2, 3), ("exp2", np.exp2, -2, 2), ("erf", _np_erf, -2, 2),
         ("erfc", lambda a: 1 - _np_erf(a), -2, 2), ("erfinv", _np_erfinv, -0.9, 0.9),
         ("rsqrt", lambda a: 1 / np.sqrt(a), 0.3, 3), ("frac", lambda a: a - np.trunc(a), -3, 3)]
for _name, _ref, _lo, _hi in _MATH:
    spec(_name, lambda L, a, n=_name: getattr(L, n)(a), _ref, [A(3, 4, low=_lo, high=_hi)])
spec("atan2", lambda L, a, b: L.atan2(a, b), np.arctan2, [A(3, 4), A(4, low=0.5, high=2.0)])
spec("fmod", lambda L, a, b: L.fmod(a, b), np.fmod, [A(3, 4, low=-5, high=5), A(4, low=0.7, high=2.0)])
spec("lerp", lambda L, a, b, w: L.lerp(a, b, w), lambda a, b, w: a + w * (b - a),
     [A(3, 4), A(4), A(3, 4, low=-1, high=2)])

# ---------------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------------
spec("sum_all", lambda L, a: a.sum(), lambda a: np.sum(a), [A(3, 4, 5)])
spec("sum_dim", lambda L, a: a.sum(1), lambda a: a.sum(1), [A(3, 4, 5)])
spec("sum_dims_keepdim", lambda L, a: a.sum((0, 2), keepdim=True), lambda a: a.sum((0, 2), keepdims=True), [A(3, 4, 5)])
spec("sum_dim0", lambda L, a: a.sum(0), lambda a: a.sum(0), [A(64, 33)])
spec("mean", lambda L, a: a.mean(-1), lambda a: a.mean(-1), [A(3, 4, 5)])
spec("mean_all", lambda L, a: L.mean(a), np.mean, [A(7, 3)])

# max/min/arg*/amax/amin/var/std/logsumexp/all/any/prod (indexing branch)
def _ties(rng):
    return np.array([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 0.0, 1.5], [0.5, -0.5, 0.25, 0.5]])


spec("max_all", lambda L, a: L.max(a), np.max, [A(3, 4, 5)])
spec("min_all", lambda L, a: a.min(), np.min, [A(3, 4)])
spec("max_dim", lambda L, a: tuple(L.max(a, 1)), lambda a: (a.max(1), a.argmax(1)), [A(3, 4, 5)])
spec("max_dim_fields", lambda L, a: (L.max(a, 0).values, L.max(a, 0).indices), lambda a: (a.max(0), a.argmax(0)),
     [A(4, 3)])
spec("min_dim_keepdim", lambda L, a: tuple(a.min(-1, keepdim=True)),
     lambda a: (a.min(-1, keepdims=True), a.argmin(-1)[..., None]), [A(3, 4, 5)])
spec("max_binary", lambda L, a, b: L.max(a, b), np.maximum, [A(3, 4), A(4)])
spec("min_binary", lambda L, a, b: a.min(b), np.minimum, [A(3, 4), A(3, 1)])
spec("argmax_all", lambda L, a: L.argmax(a), np.argmax, [A(3, 4, 5)], grad=False)
spec("argmax_dim", lambda L, a: a.argmax(1), lambda a: a.argmax(1), [A(3, 4, 5)], grad=False)
spec("argmin_keepdim", lambda L, a: L.argmin(a, 0, keepdim=True), lambda a: a.argmin(0)[None], [A(4, 3)], grad=False)
spec("argmax_int", lambda L, a: a.argmax(-1), lambda a: a.argmax(-1), [A(3, 6, dtype="int64", low=0, high=100)],
     grad=False)
spec("amax_dims", lambda L, a: L.amax(a, (0, 2)), lambda a: np.amax(a, (0, 2)), [A(3, 4, 5)])
spec("amin_keepdim", lambda L, a: a.amin(1, keepdim=True), lambda a: np.amin(a, 1, keepdims=True), [A(3, 4, 5)])
# At a tie the gradient jumps: second-order finite differences straddle the kink.
spec("amax_ties", lambda L, a: L.amax(a, 1), lambda a: np.amax(a, 1), [Arg((3, 4), gen=_ties)], gradgrad=False)
spec("max_all_ties", lambda L, a: L.max(a), np.max, [Arg((3, 4), gen=lambda rng: np.array([[1.0, 3.0], [3.0, 2.0]]))],
     gradgrad=False)
spec("var_dim", lambda L, a: a.var(1), lambda a: np.var(a, 1, ddof=1), [A(3, 4, 5)])
spec("var_all", lambda L, a: L.var(a), lambda a: np.var(a, ddof=1), [A(3, 4)])
spec("var_correction0", lambda L, a: L.var(a, (0, 2), correction=0, keepdim=True),
     lambda a: np.var(a, (0, 2), keepdims=True), [A(3, 4, 5)])
spec("var_unbiased_false", lambda L, a: a.var(1, False), lambda a: np.var(a, 1), [A(3, 4)])
spec("std_dim", lambda L, a: a.std(0), lambda a: np.std(a, 0, ddof=1), [A(5, 3)])
spec("std_keepdim", lambda L, a: L.std(a, -1, keepdim=True), lambda a: np.std(a, -1, ddof=1, keepdims=True),
     [A(3, 4, 5)])
spec("std_all", lambda L, a: L.std(a), lambda a: np.std(a, ddof=1), [A(4, 6)])
spec("logsumexp", lambda L, a: L.logsumexp(a, 1), lambda a: np.log(np.exp(a).sum(1)), [A(3, 4, 5)])
spec("logsumexp_keepdim", lambda L, a: a.logsumexp((0, 2), keepdim=True),
     lambda a: np.log(np.exp(a).sum((0, 2), keepdims=True)), [A(3, 4, 5, low=-30, high=30)], atol=1e-4)
spec("all_dim", lambda L, a: L.all(a, 1), lambda a: a.all(1), [A(4, 3, dtype="bool")], grad=False)
spec("any_all", lambda L, a: a.any(), lambda a: a.any(), [A(4, 3, dtype="bool")], grad=False)
spec("all_float", lambda L, a: (a > -1.5).all(), lambda a: (a > -1.5).all(), [A(4, 3)], grad=False)
spec("any_keepdim", lambda L, a: a.any(0, keepdim=True), lambda a: a.any(0, keepdims=True),
     [A(4, 3, dtype="int64", low=0, high=2)], grad=False)
spec("prod_dim", lambda L, a: a.prod(1), lambda a: np.prod(a, 1), [A(3, 4, 5)])
spec("prod_all", lambda L, a: L.prod(a), np.prod, [A(2, 3)])
spec("prod_zero", lambda L, a: a.prod(0), lambda a: np.prod(a, 0),
     [Arg((3, 3), gen=lambda rng: np.array([[0.0, 1.5, 0.0], [2.0, -1.0, 0.0], [0.5, 3.0, 2.0]]))])

# ---------------------------------------------------------------------------------------------
# matrix products
# ---------------------------------------------------------------------------------------------
spec("matmul_2d", lambda L, a, b: a @ b, np.matmul, [A(3, 4), A(4, 5)])
spec("matmul_vec", lambda L, a, b: L.matmul(a, b), np.matmul, [A(4), A(4)])
spec("matmul_mv", lambda L, a, b: L.matmul(a, b), np.matmul, [A(3, 4), A(4)])
spec("matmul_vm", lambda L, a, b: L.matmul(a, b), np.matmul, [A(4), A(4, 2)])
spec("matmul_batched_2d", lambda L, a, b: a @ b, np.matmul, [A(2, 3, 4), A(4, 5)])
spec("matmul_broadcast", lambda L, a, b: a @ b, np.matmul, [A(2, 1, 3, 4), A(3, 4, 2)])
spec("matmul_t", lambda L, a, b: a @ b.t(), lambda a, b: a @ b.T, [A(3, 4), A(5, 4)])
spec("bmm", lambda L, a, b: L.bmm(a, b), np.matmul, [A(2, 3, 4), A(2, 4, 5)])
spec("matmul_large", lambda L, a, b: a @ b, np.matmul, [A(130, 70), A(70, 120)], atol=1e-4, grad=False)

# ---------------------------------------------------------------------------------------------
# shape and views
# ---------------------------------------------------------------------------------------------
spec("view", lambda L, a: a.view(4, -1), lambda a: a.reshape(4, -1), [A(2, 3, 4)])
# view(dtype) reads the same bytes: not differentiable (PyTorch's derivatives.yaml says so), bits compared
spec("view_dtype_same_size", lambda L, a: a.view(L.int32 if a.element_size() == 4 else L.int64),
     lambda a: a.view(np.int32 if a.itemsize == 4 else np.int64), [A(3, 4)], grad=False)
spec("view_dtype_split", lambda L, a: a[1:].view(L.int16), lambda a: a[1:].view(np.int16), [A(3, 4)], grad=False)
spec("view_dtype_merge", lambda L, a: a[:, 2:].view(L.float64), lambda a: a[:, 2:].view(np.float64), [A(3, 4)],
     grad=False)
spec("view_dtype_int64", lambda L, a: a.view(L.float64), lambda a: a.view(np.float64),
     [A(3, 4, dtype="int64", low=0, high=1000)], grad=False)
spec("reshape_t", lambda L, a: a.t().reshape(-1), lambda a: a.T.reshape(-1), [A(3, 4)])
spec("transpose", lambda L, a: a.transpose(0, 2) * 1.0, lambda a: a.transpose(2, 1, 0), [A(2, 3, 4)])
spec("permute", lambda L, a: a.permute(1, 2, 0) + 0.0, lambda a: a.transpose(1, 2, 0), [A(2, 3, 4)])
spec("expand", lambda L, a: a.expand(3, 2, 4) * 2.0, lambda a: np.broadcast_to(a, (3, 2, 4)) * 2.0, [A(2, 1)])
spec("unsqueeze", lambda L, a: a.unsqueeze(1), lambda a: a[:, None], [A(3, 4)])
spec("squeeze", lambda L, a: a.squeeze(), np.squeeze, [A(3, 1, 4, 1)])

# ---------------------------------------------------------------------------------------------
# indexing, joining, splitting (cat, stack, split, chunk, gather, getitem, setitem)
# ---------------------------------------------------------------------------------------------
def _idx(low, high, *shape):
    return A(*shape, dtype="int64", low=low, high=high, grad=False)


def _mask(*shape):
    return A(*shape, dtype="bool", grad=False)


def _setitem(key, value_is_tensor=True):
    """fn and ref for y = a * 1; y[key] = b; return y (a non-leaf written in place)."""

    def fn(L, a, b):
        y = a * 1.0
        y[key] = b
        return y

    def ref(a, b):
        y = a.copy()
        y[key] = b
        return y

    return fn, ref


spec("getitem_int_slice", lambda L, a: a[1, ::2], lambda a: a[1, ::2], [A(3, 4)])
spec("getitem_none_ellipsis", lambda L, a: a[None, ..., 1], lambda a: a[None, ..., 1], [A(2, 3, 4)])
spec("getitem_negative", lambda L, a: a[-1, 1:-1], lambda a: a[-1, 1:-1], [A(3, 5)])
spec("getitem_step_clamp", lambda L, a: a[-10:10:3, 2:], lambda a: a[-10:10:3, 2:], [A(7, 4)])
spec("getitem_list", lambda L, a: a[[0, 2, 0]], lambda a: a[[0, 2, 0]], [A(3, 4)])
spec("getitem_tensors", lambda L, a, i, j: a[i, j], lambda a, i, j: a[i, j],
     [A(3, 4, 5), _idx(0, 3, 2, 3), _idx(-4, 4, 3)])
spec("getitem_separated", lambda L, a, i, j: a[i, :, j], lambda a, i, j: a[i, :, j],
     [A(3, 4, 5), _idx(0, 3, 2), _idx(0, 5, 2)])
spec("getitem_adjacent_after_slice", lambda L, a, i: a[:, i, 1:3], lambda a, i: a[:, i, 1:3],
     [A(3, 4, 5), _idx(0, 4, 2, 2)])
spec("getitem_mask", lambda L, a, m: a[m], lambda a, m: a[m], [A(3, 4, 2), _mask(3, 4)])
spec("getitem_mask_rows", lambda L, a, m: a[:, m], lambda a, m: a[:, m], [A(3, 4, 2), _mask(4)])
spec("getitem_mixed", lambda L, a: a[1:, [0, 2]], lambda a: a[1:, [0, 2]], [A(3, 4)])
spec("setitem_basic", *_setitem((0, slice(1, None))), [A(3, 4), A(3)])
spec("setitem_advanced_broadcast", *_setitem(([0, 2],)), [A(3, 4), A(4)])
spec("setitem_tensor_pair", lambda L, a, b: _setitem_pair(L, a, b), lambda a, b: _setitem_pair(np, a, b),
     [A(4, 5), A(2)])
spec("setitem_mask_scalar", lambda L, a: _mask_zero(a), lambda a: np.where(a > 0, 0.0, a).astype(a.dtype), [A(3, 4)])
spec("index_put_accumulate", lambda L, a, i, b: a.index_put((i,), b, accumulate=True),
     lambda a, i, b: _np_index_add(a, i, b), [A(5, 3), Arg((4,), dtype="int64", grad=False,
                                                        gen=lambda rng: np.array([0, 3, 0, -1])), A(4, 3)])
spec("index_put_fn", lambda L, a, i, b: L.index_put(a, (i, i), b), lambda a, i, b: _np_put_pair(a, i, b),
     [A(4, 4), Arg((2,), dtype="int64", grad=False, gen=lambda rng: np.array([1, 3])), A(2)])
spec("cat", lambda L, a, b: L.cat([a, b], 1), lambda a, b: np.concatenate([a, b], 1), [A(2, 3), A(2, 4)])
spec("cat_dim0_three", lambda L, a, b, c: L.cat((a, b, c)), lambda a, b, c: np.concatenate([a, b, c]),
     [A(1, 3), A(2, 3), A(3, 3)])
spec("cat_int", lambda L, a, b: L.cat([a, b], -1), lambda a, b: np.concatenate([a, b], -1),
     [_idx(0, 9, 2, 2), _idx(0, 9, 2, 1)], grad=False)
spec("stack", lambda L, a, b: L.stack([a, b], 1), lambda a, b: np.stack([a, b], 1), [A(2, 3), A(2, 3)])
spec("stack_last", lambda L, a, b: L.stack((a, b), -1), lambda a, b: np.stack([a, b], -1), [A(2, 3), A(2, 3)])
spec("split", lambda L, a: L.split(a, 2, 1), lambda a: np.split(a, [2, 4], 1), [A(2, 5)])
spec("split_sections", lambda L, a: a.split([1, 3], 0), lambda a: np.split(a, [1], 0), [A(4, 3)])
spec("chunk", lambda L, a: L.chunk(a, 3, 1), lambda a: np.split(a, [3, 6], 1), [A(2, 7)])
spec("unbind", lambda L, a: L.unbind(a, 1), lambda a: tuple(np.moveaxis(a, 1, 0)), [A(2, 3, 2)])
spec("gather", lambda L, a, i: L.gather(a, 1, i), lambda a, i: np.take_along_axis(a, i, 1), [A(3, 4), _idx(0, 4, 3, 6)])
spec("gather_dim0_small", lambda L, a, i: a.gather(0, i), lambda a, i: np.take_along_axis(a[:, :2], i, 0),
     [A(3, 4), _idx(0, 3, 2, 2)])
spec("scatter_add", lambda L, a, i, b: L.scatter_add(a, 1, i, b), lambda a, i, b: _np_scatter_add(a, i, b),
     [A(3, 4), _idx(0, 4, 3, 5), A(3, 5)])
spec("scatter", lambda L, a, i, b: a.scatter(1, i, b), lambda a, i, b: _np_scatter(a, i, b),
     [A(3, 5), Arg((3, 2), dtype="int64", grad=False, gen=lambda rng: np.array([[4, 0], [1, 2], [3, 1]])), A(3, 2)])
spec("scatter_value", lambda L, a, i: L.scatter(a, 0, i, 2.5),
     lambda a, i: _np_scatter(a.T, i.T, np.full(i.T.shape, 2.5)).T,
     [A(3, 4), Arg((1, 4), dtype="int64", grad=False, gen=lambda rng: np.array([[2, 0, 1, 2]]))])
spec("masked_select", lambda L, a, m: L.masked_select(a, m),
     lambda a, m: np.broadcast_to(a, (3, 4))[np.broadcast_to(m, (3, 4))], [A(4), _mask(3, 4)])
spec("index_select", lambda L, a, i: L.index_select(a, 1, i), lambda a, i: np.take(a, i, 1),
     [A(3, 4, 2), _idx(0, 4, 5)])
spec("flatten", lambda L, a: L.flatten(a, 1), lambda a: a.reshape(a.shape[0], -1), [A(2, 3, 4)])
spec("flatten_mid", lambda L, a: a.flatten(1, 2), lambda a: a.reshape(2, 12, 5), [A(2, 3, 4, 5)])
spec("unflatten", lambda L, a: a.unflatten(1, (2, -1)), lambda a: a.reshape(3, 2, 3, 2), [A(3, 6, 2)])
spec("narrow", lambda L, a: L.narrow(a, 1, 1, 2), lambda a: a[:, 1:3], [A(3, 4)])
spec("as_strided", lambda L, a: L.as_strided(a, (2, 3), (1, 4), 1),
     lambda a: a.reshape(-1)[1 + np.arange(2)[:, None] + 4 * np.arange(3)[None, :]], [A(3, 4)])
spec("as_strided_overlapping", lambda L, a: a.as_strided((4, 3), (2, 1)),  # sliding windows share elements
     lambda a: a.reshape(-1)[2 * np.arange(4)[:, None] + np.arange(3)[None, :]], [A(10)])
spec("select", lambda L, a: L.select(a, 1, -1), lambda a: a[:, -1], [A(3, 4)])
spec("masked_fill", lambda L, a, m: a.masked_fill(m, 0.5), lambda a, m: np.where(m, 0.5, a).astype(a.dtype),
     [A(3, 4), _mask(4)])
spec("masked_fill_fn", lambda L, a, m: L.masked_fill(a, m, -1.0), lambda a, m: np.where(m, -1.0, a).astype(a.dtype),
     [A(2, 3), _mask(2, 3)])
spec("nonzero", lambda L, m: L.nonzero(m), np.argwhere, [_mask(3, 4)], grad=False)

# elementwise extras: logical/bitwise, classification, floor division, remainder, rounding
_special = lambda rng: np.array([1.0, np.nan, np.inf, -np.inf, 0.0, -2.5])  # noqa: E731
spec("logical_not", lambda L, a: L.logical_not(a), np.logical_not, [A(3, 4, dtype="int64", low=0, high=3)], grad=False)
spec("logical_and", lambda L, a, b: L.logical_and(a, b), np.logical_and, [A(3, 4, dtype="int64", low=0, high=2),
                                                                       _mask(4)], grad=False)
spec("logical_or", lambda L, a, b: a.logical_or(b), np.logical_or, [_mask(3, 4), _mask(3, 1)], grad=False)
spec("logical_xor", lambda L, a, b: L.logical_xor(a, b), np.logical_xor, [_mask(3, 4), _mask(4)], grad=False)
spec("invert_bool", lambda L, a: ~a, np.logical_not, [_mask(3, 4)], grad=False)
spec("invert_int", lambda L, a: ~a, np.invert, [_idx(-9, 9, 3, 4)], grad=False)
spec("and_bool", lambda L, a, b: a & b, np.logical_and, [_mask(3, 4), _mask(4)], grad=False)
spec("or_int", lambda L, a, b: a | b, np.bitwise_or, [_idx(0, 16, 3, 4), _idx(0, 16, 4)], grad=False)
spec("xor_int_scalar", lambda L, a: a ^ 5, lambda a: a ^ 5, [_idx(0, 16, 3, 4)], grad=False)
spec("rand_int_scalar", lambda L, a: 6 & a, lambda a: 6 & a, [_idx(0, 16, 5)], grad=False)
spec("isnan", lambda L, a: L.isnan(a), np.isnan, [Arg((6,), gen=_special)], grad=False)
spec("isinf", lambda L, a: a.isinf(), np.isinf, [Arg((6,), gen=_special)], grad=False)
spec("isfinite", lambda L, a: L.isfinite(a), np.isfinite, [Arg((6,), gen=_special)], grad=False)
spec("floordiv_int", lambda L, a, b: a // b, np.floor_divide,
     [_idx(-20, 20, 3, 4), Arg((4,), gen=lambda rng: np.array([3, -3, 7, -2]))], grad=False)
spec("floordiv_float", lambda L, a, b: L.floor_divide(a, b), np.floor_divide,
     [A(3, 4, low=-5, high=5), Arg((4,), gen=lambda rng: np.array([0.7, -0.3, 2.0, -1.5]))], grad=False)
spec("rfloordiv_scalar", lambda L, a: 7 // a, lambda a: 7 // a, [Arg((4,), gen=lambda rng: np.array([2, -3, 5, -7]))],
     grad=False)
spec("div_trunc_int", lambda L, a, b: L.div(a, b, rounding_mode="trunc"), lambda a, b: np.trunc(a / b).astype(np.int64),
     [_idx(-20, 20, 3, 4), Arg((4,), gen=lambda rng: np.array([3, -3, 7, -2]))], grad=False)
spec("div_trunc_float", lambda L, a, b: a.div(b, rounding_mode="trunc"), lambda a, b: np.trunc(a / b),
     [A(3, 4, low=-5, high=5), Arg((4,), gen=lambda rng: np.array([0.7, -0.3, 2.0, -1.5]))], grad=False)
spec("div_floor_scalar", lambda L, a: L.div(a, 0.7, rounding_mode="floor"), lambda a: np.floor_divide(a, 0.7),
     [A(3, 4, low=-5, high=5)], grad=False)
spec("clamp_tensor_bounds", lambda L, a, lo, hi: L.clamp(a, lo, hi),
     lambda a, lo, hi: np.minimum(np.maximum(a, lo), hi),
     [A(3, 4), A(4, low=-1.0, high=-0.2), A(3, 1, low=0.2, high=1.0)])
spec("remainder_float", lambda L, a, b: a % b, np.remainder,
     [A(3, 4, low=-5, high=5), Arg((4,), gen=lambda rng: np.array([0.7, -0.3, 2.0, -1.5]))])
spec("remainder_int", lambda L, a, b: L.remainder(a, b), np.remainder,
     [_idx(-20, 20, 3, 4), Arg((4,), gen=lambda rng: np.array([3, -3, 7, -2]))], grad=False)
spec("remainder_scalar", lambda L, a: a % -1.5, lambda a: np.remainder(a, -1.5), [A(3, 4, low=-5, high=5)])
spec("rmod_scalar", lambda L, a: 5.5 % a, lambda a: np.remainder(5.5, a), [A(4, low=0.5, high=2)],
     grad=False)  # PyTorch has no derivative for a number % tensor
spec("reciprocal", lambda L, a: L.reciprocal(a), lambda a: 1 / a, [A(3, 4, low=0.5, high=2.0)])
spec("reciprocal_int", lambda L, a: a.reciprocal(), lambda a: (1 / a).astype(np.float32), [_idx(1, 9, 5)], grad=False)
spec("square", lambda L, a: L.square(a), np.square, [A(3, 4)])
spec("floor", lambda L, a: L.floor(a), np.floor, [A(3, 4, low=-3, high=3)])
spec("ceil", lambda L, a: a.ceil(), np.ceil, [A(3, 4, low=-3, high=3)])
spec("round", lambda L, a: L.round(a), np.round,
     [Arg((6,), gen=lambda rng: np.array([0.5, 1.5, 2.5, -0.5, 1.2, -2.7]))],
     grad=False)  # values at the jumps: finite differences see the step
spec("round_decimals", lambda L, a: a.round(decimals=2), lambda a: np.round(a, 2), [A(3, 4, low=-3, high=3)])

# ---------------------------------------------------------------------------------------------
# creation (arange, linspace, eye, full, ...): forward only
# ---------------------------------------------------------------------------------------------
spec("arange_end", lambda L: L.arange(7), lambda: np.arange(7), [], grad=False)
spec("arange_step", lambda L: L.arange(2, 11, 3), lambda: np.arange(2, 11, 3), [], grad=False)
spec("arange_neg_step", lambda L: L.arange(5, -4, -2), lambda: np.arange(5, -4, -2), [], grad=False)
spec("arange_float", lambda L: L.arange(0, 1, 0.1), lambda: np.arange(0, 1, 0.1).astype(np.float32), [],
     grad=False)
spec("arange_float64", lambda L: L.arange(-1.5, 2.5, 0.25, dtype=L.float64),
     lambda: np.arange(-1.5, 2.5, 0.25), [], grad=False)
spec("linspace", lambda L: L.linspace(-2, 3, 11), lambda: np.linspace(-2, 3, 11).astype(np.float32), [],
     grad=False)
spec("linspace_one", lambda L: L.linspace(4, 9, 1), lambda: np.array([4.0], np.float32), [], grad=False)
spec("linspace_int", lambda L: L.linspace(0, 10, 4, dtype=L.int64), lambda: np.array([0, 3, 6, 10]), [],
     grad=False)
spec("logspace", lambda L: L.logspace(-2, 3, 11), lambda: np.logspace(-2, 3, 11).astype(np.float32), [],
     grad=False)
spec("logspace_base", lambda L: L.logspace(0.5, -1.5, 6, base=2.0, dtype=L.float64),
     lambda: np.logspace(0.5, -1.5, 6, base=2.0), [], grad=False)
spec("logspace_int", lambda L: L.logspace(0, 3, 4, dtype=L.int64), lambda: np.array([1, 10, 100, 1000]), [],
     grad=False)
spec("scalar_tensor", lambda L: L.scalar_tensor(3), lambda: np.array(3.0, np.float32), [], grad=False)
spec("eye", lambda L: L.eye(3), lambda: np.eye(3, dtype=np.float32), [], grad=False)
spec("eye_rect", lambda L: L.eye(2, 4, dtype=L.int64), lambda: np.eye(2, 4, dtype=np.int64), [], grad=False)
spec("full", lambda L: L.full((2, 3), 1.5), lambda: np.full((2, 3), 1.5, np.float32), [], grad=False)
spec("full_int", lambda L: L.full((4,), 7), lambda: np.full((4,), 7, np.int64), [], grad=False)
spec("full_bool", lambda L: L.full((2, 2), True), lambda: np.full((2, 2), True), [], grad=False)
spec("zeros", lambda L: L.zeros(2, 3, dtype=L.float64), lambda: np.zeros((2, 3)), [], grad=False)
spec("ones_tuple", lambda L: L.ones((3, 1)), lambda: np.ones((3, 1), np.float32), [], grad=False)
spec("zeros_like", lambda L, a: L.zeros_like(a), np.zeros_like, [A(2, 3)], grad=False)
spec("ones_like_int", lambda L, a: L.ones_like(a), np.ones_like, [A(4, dtype="int64", low=0, high=5)],
     grad=False)
spec("full_like", lambda L, a: L.full_like(a, -2.5), lambda a: np.full_like(a, -2.5), [A(3, 2)], grad=False)
spec("empty_shape", lambda L: L.empty(2, 0, 3).shape == (2, 0, 3), lambda: True, [], grad=False, torch=False)

# ---------------------------------------------------------------------------------------------
# activations (nn.functional)
# ---------------------------------------------------------------------------------------------
def F(L):
    """L's nn.functional: torch.nn.functional, rosenblatt.nn.functional, or (before that Python
    module exists) the C++ ops behind it, rosenblatt._C._nn, which take the same keywords."""
    import importlib

    try:
        return importlib.import_module(L.__name__ + ".nn.functional")
    except ImportError:
        return L._C._nn


spec("sigmoid", lambda L, a: L.sigmoid(a), _np_sigmoid, [A(3, 4, low=-6, high=6)])
spec("sigmoid_method", lambda L, a: a.sigmoid(), _np_sigmoid, [A(5)])
spec("F_sigmoid", lambda L, a: F(L).sigmoid(a), _np_sigmoid, [A(2, 3, 4)])
spec("tanh", lambda L, a: L.tanh(a), np.tanh, [A(3, 4)])
spec("tanh_method", lambda L, a: a.tanh(), np.tanh, [A(2, 5)])
spec("relu", lambda L, a: L.relu(a), lambda a: np.maximum(a, 0), [A(3, 4)])
spec("relu_method", lambda L, a: a.relu(), lambda a: np.maximum(a, 0), [A(6)])
spec("F_relu", lambda L, a: F(L).relu(a), lambda a: np.maximum(a, 0), [A(2, 3, 4)])
spec("F_leaky_relu", lambda L, a: F(L).leaky_relu(a, negative_slope=0.2), lambda a: np.where(a > 0, a, 0.2 * a),
     [A(3, 4)])
spec("F_elu", lambda L, a: F(L).elu(a, alpha=1.5), lambda a: np.where(a > 0, a, 1.5 * np.expm1(a)), [A(3, 4)])
spec("heaviside_step", lambda L, a: F(L).heaviside_step(a), lambda a: (a >= 0).astype(a.dtype), [A(3, 4)],
     torch=False)  # rosenblatt's own (the perceptron's step): PyTorch has no F.heaviside_step
spec("softmax_last", lambda L, a: L.softmax(a, -1), lambda a: _np_softmax(a, -1), [A(4, 7, low=-5, high=5)])
spec("softmax_mid", lambda L, a: F(L).softmax(a, dim=1), lambda a: _np_softmax(a, 1), [A(2, 3, 5)])
spec("softmax_dim0", lambda L, a: a.softmax(0), lambda a: _np_softmax(a, 0), [A(4, 3)])
spec("log_softmax_last", lambda L, a: L.log_softmax(a, -1), lambda a: _np_log_softmax(a, -1), [A(3, 6, low=-5, high=5)])
spec("log_softmax_mid", lambda L, a: F(L).log_softmax(a, dim=1), lambda a: _np_log_softmax(a, 1), [A(2, 4, 3)])
spec("log_softmax_method", lambda L, a: a.log_softmax(0), lambda a: _np_log_softmax(a, 0), [A(5, 2)])
# In-place forms on a non-leaf: the gradient flows through the rebased history.
spec("relu_inplace", lambda L, a: F(L).relu_(a * 1.0), lambda a: np.maximum(a, 0), [A(3, 4)])
spec("sigmoid_inplace", lambda L, a: L.sigmoid_(a * 1.0), _np_sigmoid, [A(3, 4)])
spec("tanh_inplace", lambda L, a: (a * 1.0).tanh_(), np.tanh, [A(3, 4)])
spec("leaky_relu_inplace", lambda L, a: F(L).leaky_relu_(a * 1.0, 0.1), lambda a: np.where(a > 0, a, 0.1 * a),
     [A(3, 4)])
spec("elu_inplace", lambda L, a: F(L).elu_(a * 1.0, 0.5), lambda a: np.where(a > 0, a, 0.5 * np.expm1(a)),
     [A(3, 4)])


# The activations PyTorch has beyond those: one kernel pass each (GLU, softmin and PReLU composed
# from ops), every one checked to second order.
_SELU_A, _SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


spec("F_gelu", lambda L, a: F(L).gelu(a), _np_gelu, [A(3, 4, low=-4, high=4)])
spec("F_gelu_tanh", lambda L, a: F(L).gelu(a, approximate="tanh"), _np_gelu_tanh, [A(3, 4, low=-4, high=4)])
spec("F_silu", lambda L, a: F(L).silu(a), _np_silu, [A(3, 4, low=-6, high=6)])
spec("F_mish", lambda L, a: F(L).mish(a), lambda a: a * np.tanh(np.logaddexp(0, a)), [A(3, 4, low=-6, high=6)])
spec("F_softplus", lambda L, a: F(L).softplus(a), _np_softplus, [A(3, 4, low=-6, high=6)])
# beta * x crosses the threshold inside the drawn range: both sides are checked
spec("F_softplus_beta_threshold", lambda L, a: F(L).softplus(a, beta=2.0, threshold=3.0),
     lambda a: _np_softplus(a, 2.0, 3.0), [A(4, 5, low=-3, high=3)])
spec("F_softsign", lambda L, a: F(L).softsign(a), lambda a: a / (1 + np.abs(a)), [A(3, 4)])
spec("F_hardtanh", lambda L, a: F(L).hardtanh(a, min_val=-0.5, max_val=1.5), lambda a: np.clip(a, -0.5, 1.5),
     [A(3, 4)])
spec("F_relu6", lambda L, a: F(L).relu6(a), lambda a: np.clip(a, 0, 6), [A(3, 4, low=-3, high=9)])
# PyTorch has no double backward for hardsigmoid ("derivative for aten::hardsigmoid_backward is not
# implemented"): parity to first order here, our second order (zero) checked on its own below.
spec("F_hardsigmoid", lambda L, a: F(L).hardsigmoid(a), _np_hardsigmoid, [A(3, 4, low=-5, high=5)], gradgrad=False)
spec("F_hardsigmoid", lambda L, a: F(L).hardsigmoid(a), _np_hardsigmoid, [A(3, 4, low=-5, high=5)], torch=False,
     id="F_hardsigmoid_gradgrad")
spec("F_hardswish", lambda L, a: F(L).hardswish(a), lambda a: a * np.clip(a + 3, 0, 6) / 6,
     [A(3, 4, low=-5, high=5)])
spec("F_selu", lambda L, a: F(L).selu(a), lambda a: _SELU_S * np.where(a > 0, a, _SELU_A * np.expm1(a)), [A(3, 4)])
spec("selu", lambda L, a: L.selu(a), lambda a: _SELU_S * np.where(a > 0, a, _SELU_A * np.expm1(a)), [A(5)])
# alpha = 0.5 is exact in float: PyTorch's celu backward rounds 1/alpha through float
spec("F_celu", lambda L, a: F(L).celu(a, alpha=0.5), lambda a: _np_celu(a, 0.5), [A(3, 4)])
spec("celu", lambda L, a: L.celu(a), lambda a: _np_celu(a, 1.0), [A(5)])
spec("F_logsigmoid", lambda L, a: F(L).logsigmoid(a), lambda a: -np.logaddexp(0, -a), [A(3, 4, low=-8, high=8)])
spec("F_threshold", lambda L, a: F(L).threshold(a, 0.3, -2.0), lambda a: np.where(a > 0.3, a, -2.0), [A(3, 4)])
spec("threshold", lambda L, a: L.threshold(a, -0.5, 4.0), lambda a: np.where(a > -0.5, a, 4.0), [A(5)])
spec("F_glu", lambda L, a: F(L).glu(a), lambda a: _np_glu(a, -1), [A(3, 6)])
spec("F_glu_dim", lambda L, a: F(L).glu(a, dim=1), lambda a: _np_glu(a, 1), [A(2, 4, 3)])
spec("F_softmin", lambda L, a: F(L).softmin(a, dim=1), lambda a: _np_softmax(-a, 1), [A(2, 5, 3)])
spec("F_prelu", lambda L, a, w: F(L).prelu(a, w), _np_prelu, [A(2, 3, 4), A(3, low=0.0, high=0.5)])
spec("F_prelu_one_weight", lambda L, a, w: F(L).prelu(a, w), _np_prelu, [A(4, 5), A(1, low=0.0, high=0.5)])
spec("prelu", lambda L, a, w: L.prelu(a, w), _np_prelu, [A(2, 2, 3, 3), A(2, low=0.0, high=0.5)])
# In-place forms (inplace=True, and the trailing-underscore ones PyTorch has), on a non-leaf.
spec("silu_inplace", lambda L, a: F(L).silu(a * 1.0, inplace=True), _np_silu, [A(3, 4)])
spec("mish_inplace", lambda L, a: F(L).mish(a * 1.0, inplace=True), lambda a: a * np.tanh(np.logaddexp(0, a)),
     [A(3, 4)])
spec("hardtanh_inplace", lambda L, a: F(L).hardtanh_(a * 1.0, -0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5), [A(3, 4)])
spec("relu6_inplace", lambda L, a: F(L).relu6(a * 1.0, inplace=True), lambda a: np.clip(a, 0, 6),
     [A(3, 4, low=-3, high=9)])
spec("hardsigmoid_inplace", lambda L, a: F(L).hardsigmoid(a * 1.0, inplace=True), _np_hardsigmoid,
     [A(3, 4, low=-5, high=5)], gradgrad=False)
spec("hardswish_inplace", lambda L, a: F(L).hardswish(a * 1.0, inplace=True), lambda a: a * np.clip(a + 3, 0, 6) / 6,
     [A(3, 4, low=-5, high=5)])
spec("selu_inplace", lambda L, a: F(L).selu_(a * 1.0),
     lambda a: _SELU_S * np.where(a > 0, a, _SELU_A * np.expm1(a)), [A(3, 4)])
spec("celu_inplace", lambda L, a: F(L).celu_(a * 1.0, 1.5), lambda a: _np_celu(a, 1.5), [A(3, 4)])
spec("threshold_inplace", lambda L, a: F(L).threshold_(a * 1.0, 0.1, 0.5), lambda a: np.where(a > 0.1, a, 0.5),
     [A(3, 4)])

# ---------------------------------------------------------------------------------------------
# losses (nn.functional)
# ---------------------------------------------------------------------------------------------


def _probs(*shape, axis=1):
    return lambda rng: _np_softmax(rng.normal(size=shape), axis)


def _targets(*values):
    return lambda rng: np.array(values, dtype=np.int64)


for _r in ("none", "mean", "sum"):
    spec(f"mse_loss_{_r}", lambda L, a, b, reduction: F(L).mse_loss(a, b, reduction=reduction),
         lambda a, b, reduction: _reduce((a - b) ** 2, reduction), [A(3, 4), A(3, 4)], kwargs=dict(reduction=_r))
    spec(f"l1_loss_{_r}", lambda L, a, b, reduction: F(L).l1_loss(a, b, reduction=reduction),
         lambda a, b, reduction: _reduce(np.abs(a - b), reduction), [A(3, 4), A(3, 4)], kwargs=dict(reduction=_r))
    spec(f"smooth_l1_loss_{_r}", lambda L, a, b, reduction: F(L).smooth_l1_loss(a, b, reduction=reduction, beta=0.5),
         lambda a, b, reduction: _reduce(_np_smooth_l1(a, b, 0.5), reduction), [A(4, 5), A(4, 5)],
         kwargs=dict(reduction=_r))
    spec(f"huber_loss_{_r}", lambda L, a, b, reduction: F(L).huber_loss(a, b, reduction=reduction, delta=0.7),
         lambda a, b, reduction: _reduce(_np_huber(a, b, 0.7), reduction), [A(4, 5), A(4, 5)],
         kwargs=dict(reduction=_r))
    spec(f"bce_{_r}", lambda L, a, b, reduction: F(L).binary_cross_entropy(a, b, reduction=reduction),
         lambda a, b, reduction: _np_bce(a, b, reduction=reduction),
         [A(3, 4, low=0.05, high=0.95), A(3, 4, low=0.0, high=1.0)], kwargs=dict(reduction=_r))
    spec(f"bce_logits_{_r}",
         lambda L, a, b, reduction: F(L).binary_cross_entropy_with_logits(a, b, reduction=reduction),
         lambda a, b, reduction: _np_bce_logits(a, b, reduction=reduction),
         [A(3, 4, low=-4, high=4), A(3, 4, low=0.0, high=1.0)], kwargs=dict(reduction=_r))
    spec(f"cross_entropy_{_r}", lambda L, a, t, reduction: F(L).cross_entropy(a, t, reduction=reduction),
         lambda a, t, reduction: _np_cross_entropy(a, t, reduction=reduction),
         [A(5, 4, low=-3, high=3), A(5, dtype="int64", low=0, high=4)], kwargs=dict(reduction=_r))
    spec(f"cross_entropy_weight_{_r}",
         lambda L, a, t, w, reduction: F(L).cross_entropy(a, t, weight=w, reduction=reduction),
         lambda a, t, w, reduction: _np_cross_entropy(a, t, w, reduction=reduction),
         [A(6, 3), A(6, dtype="int64", low=0, high=3), A(3, low=0.2, high=2.0, grad=False)],
         kwargs=dict(reduction=_r))
    spec(f"cross_entropy_ignore_{_r}",
         lambda L, a, t, reduction: F(L).cross_entropy(a, t, ignore_index=1, reduction=reduction),
         lambda a, t, reduction: _np_cross_entropy(a, t, ignore_index=1, reduction=reduction),
         [A(5, 3), Arg((5,), gen=_targets(0, 1, 2, 1, 2))], kwargs=dict(reduction=_r))
    spec(f"cross_entropy_smoothing_{_r}",
         lambda L, a, t, w, reduction: F(L).cross_entropy(a, t, weight=w, ignore_index=-100, reduction=reduction,
                                                          label_smoothing=0.2),
         lambda a, t, w, reduction: _np_cross_entropy(a, t, w, reduction=reduction, label_smoothing=0.2),
         [A(5, 4), Arg((5,), gen=_targets(0, -100, 3, 2, 3)), A(4, low=0.2, high=2.0, grad=False)],
         kwargs=dict(reduction=_r))
    spec(f"cross_entropy_nd_{_r}", lambda L, a, t, reduction: F(L).cross_entropy(a, t, reduction=reduction),
         lambda a, t, reduction: _np_cross_entropy(a, t, reduction=reduction),
         [A(2, 4, 3, 2), A(2, 3, 2, dtype="int64", low=0, high=4)], kwargs=dict(reduction=_r))
    spec(f"cross_entropy_probs_{_r}",
         lambda L, a, t, reduction: F(L).cross_entropy(a, t, reduction=reduction, label_smoothing=0.1),
         lambda a, t, reduction: _np_cross_entropy(a, t, reduction=reduction, label_smoothing=0.1),
         [A(4, 5), Arg((4, 5), gen=_probs(4, 5))], kwargs=dict(reduction=_r))
    spec(f"nll_loss_{_r}", lambda L, a, t, reduction: F(L).nll_loss(a, t, reduction=reduction),
         lambda a, t, reduction: _np_nll(a, t, reduction=reduction),
         [A(5, 4), A(5, dtype="int64", low=0, high=4)], kwargs=dict(reduction=_r))
    spec(f"nll_loss_weight_ignore_{_r}",
         lambda L, a, t, w, reduction: F(L).nll_loss(a, t, weight=w, ignore_index=0, reduction=reduction),
         lambda a, t, w, reduction: _np_nll(a, t, w, ignore_index=0, reduction=reduction),
         [A(2, 3, 4), Arg((2, 4), gen=_targets([0, 1, 2, 1], [2, 0, 0, 1])), A(3, low=0.2, high=2.0, grad=False)],
         kwargs=dict(reduction=_r))

spec("bce_weight", lambda L, a, b, w: F(L).binary_cross_entropy(a, b, weight=w),
     lambda a, b, w: _np_bce(a, b, w),
     [A(3, 4, low=0.05, high=0.95), A(3, 4, low=0, high=1), A(4, low=0.2, high=2, grad=False)])
spec("bce_logits_weight_pos_weight",
     lambda L, a, b, w, pw: F(L).binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw),
     lambda a, b, w, pw: _np_bce_logits(a, b, w, pw),
     [A(3, 4), A(3, 4, low=0, high=1), A(3, 1, low=0.2, high=2, grad=False), A(4, low=0.2, high=3, grad=False)])
spec("bce_logits_pos_weight_sum",
     lambda L, a, b, pw: F(L).binary_cross_entropy_with_logits(a, b, pos_weight=pw, reduction="sum"),
     lambda a, b, pw: _np_bce_logits(a, b, pw=pw, reduction="sum"),
     [A(2, 3, 4), A(2, 3, 4, low=0, high=1), A(4, low=0.2, high=3, grad=False)])
# The class index is drawn as (1,) and viewed as 0-d (rb.tensor of a 0-d numpy array gives (1,) for now).
spec("cross_entropy_unbatched", lambda L, a, t: F(L).cross_entropy(a, t.reshape(())),
     lambda a, t: _np_cross_entropy(a, t.reshape(())), [A(5), Arg((1,), gen=_targets(3))])
spec("cross_entropy_probs_nd_weight", lambda L, a, t, w: F(L).cross_entropy(a, t, weight=w),
     lambda a, t, w: _np_cross_entropy(a, t, w), [A(2, 3, 4), Arg((2, 3, 4), gen=_probs(2, 3, 4)),
                                                  A(3, low=0.2, high=2, grad=False)])
spec("cross_entropy_large_classes", lambda L, a, t: F(L).cross_entropy(a, t), lambda a, t: _np_cross_entropy(a, t),
     [A(64, 100, low=-5, high=5), A(64, dtype="int64", low=0, high=100)], grad=False)

# CTC: logits go through log_softmax first, since PyTorch's ctc gradient is the true one only behind a
# log_softmax (it adds exp(log_probs), whose rows log_softmax's backward cancels). Its backward has no
# derivative in PyTorch, so no second-order checks.


def _ctc(L, x, tg, il, tl, lists=False, unbatched=False, **kw):
    lp = x.log_softmax(-1)
    if lists:
        il, tl = [int(v) for v in il.tolist()], tuple(int(v) for v in tl.tolist())
    return F(L).ctc_loss(lp[:, 0] if unbatched else lp, tg, il, tl, **kw)


# Repeated labels (1, 1) need a blank between them; an empty target; a sample shorter than T.
_CTC_PADDED = [A(6, 3, 4), Arg((3, 4), gen=_targets([1, 1, 2, 3], [3, 2, 3, 3], [0, 0, 0, 0])),
               Arg((3,), gen=_targets(6, 5, 4)), Arg((3,), gen=_targets(3, 4, 0))]
_CTC_CONCAT = [A(6, 3, 4), Arg((7,), gen=_targets(1, 1, 2, 3, 2, 3, 3)), Arg((3,), gen=_targets(6, 5, 4)),
               Arg((3,), gen=_targets(3, 4, 0))]
for _r in ("none", "mean", "sum"):
    spec(f"ctc_loss_padded_{_r}", _ctc, _np_ctc, _CTC_PADDED, kwargs=dict(reduction=_r), gradgrad=False,
         torch_gradgrad=False)
    spec(f"ctc_loss_concat_lists_{_r}", _ctc, _np_ctc, _CTC_CONCAT, kwargs=dict(reduction=_r, lists=True),
         gradgrad=False, torch_gradgrad=False)
# The blank last (label 0 is a real one); the second sample cannot fit its target (inf, zeroed).
spec("ctc_loss_blank_last_zero_infinity", _ctc, _np_ctc,
     [A(5, 2, 5), Arg((2, 3), gen=_targets([0, 2, 0], [1, 1, 1])), Arg((2,), gen=_targets(5, 4)),
      Arg((2,), gen=_targets(3, 3))], kwargs=dict(blank=4, reduction="sum", zero_infinity=True), gradgrad=False,
     torch_gradgrad=False)
spec("ctc_loss_unbatched", _ctc, _np_ctc,
     [A(5, 1, 3), Arg((2,), gen=_targets(2, 2)), Arg((1,), gen=_targets(5)), Arg((1,), gen=_targets(2))],
     kwargs=dict(unbatched=True, reduction="none"), gradgrad=False, torch_gradgrad=False)


# ---------------------------------------------------------------------------------------------
# layers (nn.functional: linear, dropout in eval, ...)
# ---------------------------------------------------------------------------------------------
spec("linear", lambda L, x, w, b: F(L).linear(x, w, b), lambda x, w, b: x @ w.T + b, [A(4, 3), A(5, 3), A(5)])
spec("linear_no_bias", lambda L, x, w: F(L).linear(x, w), lambda x, w: x @ w.T, [A(4, 3), A(2, 3)])
spec("linear_3d", lambda L, x, w, b: F(L).linear(x, w, b), lambda x, w, b: x @ w.T + b, [A(2, 3, 4), A(5, 4), A(5)])
spec("linear_1d", lambda L, x, w, b: F(L).linear(x, w, b), lambda x, w, b: x @ w.T + b, [A(4), A(3, 4), A(3)])
spec("linear_weight_t", lambda L, x, w, b: F(L).linear(x, w.t(), b), lambda x, w, b: x @ w + b,
     [A(4, 3), A(3, 5), A(5)])  # a transposed weight view goes to the GEMM without a copy
spec("linear_large", lambda L, x, w, b: F(L).linear(x, w, b), lambda x, w, b: x @ w.T + b,
     [A(150, 70), A(90, 70), A(90)], atol=1e-4, grad=False)
spec("dropout_eval", lambda L, x: F(L).dropout(x, p=0.5, training=False), lambda x: x, [A(3, 4)])
spec("dropout_p0", lambda L, x: F(L).dropout(x, p=0.0, training=True), lambda x: x, [A(3, 4)])
spec("dropout_p1", lambda L, x: F(L).dropout(x, p=1.0, training=True), np.zeros_like, [A(3, 4)])

# ---------------------------------------------------------------------------------------------
# convolution (nn.functional: conv1d, conv2d, conv_transpose2d)
# ---------------------------------------------------------------------------------------------


def _conv_spec(name, args, has_bias=True, **kw):
    f = name.split("-")[0]
    if has_bias:
        fn = lambda L, x, w, b, **k: getattr(L.nn.functional, f)(x, w, b, **k)
    else:
        fn = lambda L, x, w, **k: getattr(L.nn.functional, f)(x, w, **k)
    ref = {"conv2d": _np_conv2d, "conv1d": _np_conv1d, "conv_transpose2d": _np_conv_transpose2d}[f]
    spec(f, fn, ref, args, kwargs=kw, id=name, atol=1e-4, rtol=1e-4)


_conv_spec("conv2d-basic", [A(2, 3, 7, 6), A(4, 3, 3, 3), A(4)])
_conv_spec("conv2d-nobias", [A(2, 3, 5, 5), A(2, 3, 3, 3)], has_bias=False)
_conv_spec("conv2d-stride2-pad1", [A(2, 3, 9, 8), A(5, 3, 3, 3), A(5)], stride=2, padding=1)
_conv_spec("conv2d-tuples", [A(2, 2, 9, 7), A(3, 2, 3, 2), A(3)], stride=(2, 1), padding=(1, 2), dilation=(2, 1))
_conv_spec("conv2d-dilation2", [A(1, 2, 9, 9), A(3, 2, 3, 3), A(3)], dilation=2, padding=2)
_conv_spec("conv2d-groups2", [A(2, 4, 6, 5), A(6, 2, 3, 3), A(6)], groups=2, padding=1)
_conv_spec("conv2d-depthwise", [A(2, 3, 7, 7), A(6, 1, 3, 3), A(6)], groups=3, stride=2, padding=1)
_conv_spec("conv2d-same-even-kernel", [A(2, 2, 6, 7), A(3, 2, 4, 3), A(3)], padding="same")
_conv_spec("conv2d-same-dilated", [A(1, 2, 7, 6), A(2, 2, 2, 3), A(2)], padding="same", dilation=(2, 1))
_conv_spec("conv2d-valid", [A(2, 2, 6, 6), A(3, 2, 3, 3), A(3)], padding="valid")
_conv_spec("conv2d-batch1-one-channel", [A(1, 1, 5, 5), A(2, 1, 3, 3), A(2)])
_conv_spec("conv2d-1x1", [A(2, 4, 5, 3), A(3, 4, 1, 1), A(3)])
_conv_spec("conv2d-1x1-stride2", [A(2, 4, 5, 5), A(3, 4, 1, 1), A(3)], stride=2)
_conv_spec("conv2d-kernel-gt-stride", [A(2, 2, 11, 10), A(3, 2, 5, 5), A(3)], stride=2, padding=2)
_conv_spec("conv2d-stride-gt-kernel", [A(2, 2, 10, 11), A(3, 2, 2, 2), A(3)], stride=3)
_conv_spec("conv2d-kernel-eq-input", [A(2, 2, 4, 3), A(3, 2, 4, 3), A(3)])
_conv_spec("conv2d-kernel-eq-input-groups", [A(3, 4, 3, 2), A(6, 2, 3, 2), A(6)], groups=2)
_conv_spec("conv2d-kernel-eq-input-dilated-1d", [A(2, 2, 1, 3), A(3, 2, 1, 3), A(3)], dilation=(3, 1))
_conv_spec("conv2d-unbatched", [A(3, 6, 5), A(2, 3, 3, 3), A(2)], padding=1)
_conv_spec("conv1d-basic", [A(2, 3, 9), A(4, 3, 3), A(4)])
_conv_spec("conv1d-stride-pad-dil", [A(2, 2, 13), A(3, 2, 3), A(3)], stride=2, padding=2, dilation=2)
_conv_spec("conv1d-groups", [A(2, 4, 8), A(4, 1, 3), A(4)], groups=4, padding=1)
_conv_spec("conv1d-same", [A(1, 2, 7), A(3, 2, 4), A(3)], padding="same")
_conv_spec("conv1d-unbatched", [A(2, 8), A(3, 2, 3), A(3)])
_conv_spec("conv_transpose2d-basic", [A(2, 3, 4, 5), A(3, 2, 3, 3), A(2)])
_conv_spec("conv_transpose2d-from-1x1", [A(3, 4, 1, 1), A(4, 3, 4, 4), A(3)])  # DCGAN's first layer
_conv_spec("conv_transpose2d-stride2-pad1", [A(2, 3, 4, 4), A(3, 4, 3, 3), A(4)], stride=2, padding=1)
_conv_spec("conv_transpose2d-output-padding", [A(2, 2, 3, 4), A(2, 3, 3, 3), A(3)], stride=2, padding=1,
           output_padding=1)
_conv_spec("conv_transpose2d-tuples", [A(1, 2, 3, 4), A(2, 2, 2, 3), A(2)], stride=(2, 3), padding=(0, 1),
           output_padding=(1, 0))
_conv_spec("conv_transpose2d-groups", [A(2, 4, 3, 3), A(4, 3, 3, 3), A(6)], groups=2, stride=2)
_conv_spec("conv_transpose2d-dilation", [A(2, 2, 4, 3), A(2, 2, 3, 2), A(2)], dilation=2, output_padding=1,
           stride=1)
_conv_spec("conv_transpose2d-one-channel", [A(1, 1, 3, 3), A(1, 1, 4, 4), A(1)], stride=2)
_conv_spec("conv_transpose2d-unbatched", [A(2, 3, 3), A(2, 3, 2, 2), A(3)], stride=2)
_conv_spec("conv_transpose2d-nobias", [A(2, 2, 3, 3), A(2, 2, 3, 3)], has_bias=False, padding=1)
_conv_spec("conv2d-depthwise-dilated", [A(2, 2, 8, 9), A(6, 1, 3, 2), A(6)], groups=2, stride=(1, 2), dilation=2,
           padding=(2, 1))
_conv_spec("conv2d-depthwise-one-per-channel", [A(1, 4, 5, 6), A(4, 1, 3, 3)], has_bias=False, groups=4,
           padding="same")
_conv_spec("conv_transpose2d-depthwise", [A(2, 3, 4, 3), A(3, 1, 3, 3), A(3)], groups=3, stride=2, padding=1,
           output_padding=1)
_conv_spec("conv1d-depthwise", [A(2, 3, 11), A(6, 1, 4), A(6)], groups=3, stride=2, dilation=2)
_conv_spec("conv2d-1x1-groups", [A(2, 4, 3, 5), A(6, 2, 1, 1), A(6)], groups=2)
_conv_spec("conv_transpose2d-1x1", [A(2, 4, 3, 5), A(4, 3, 1, 1), A(3)])


for _name, _args, _kw in [
    ("conv_transpose1d-basic", [A(2, 3, 5), A(3, 2, 3), A(2)], {}),
    ("conv_transpose1d-stride-outpad", [A(2, 4, 6), A(4, 3, 4), A(6)], {"stride": 3, "padding": 1, "output_padding": 2,
                                                                          "groups": 2}),
    ("conv_transpose1d-dilation-unbatched", [A(2, 5), A(2, 3, 3), A(3)], {"dilation": 2, "stride": 2}),
]:
    spec("conv_transpose1d", lambda L, x, w, b, **k: L.nn.functional.conv_transpose1d(x, w, b, **k),
         _np_conv_transpose1d, _args, kwargs=_kw, id=_name, atol=1e-4, rtol=1e-4)

# helpers of the indexing entries
def _setitem_pair(L, a, b):
    y = a * 1.0
    if L is np:
        y = a.copy()
        y[np.array([0, 3]), np.array([1, 4])] = b
        return y
    y[L.tensor([0, 3]), L.tensor([1, 4])] = b
    return y


def _mask_zero(a):
    y = a * 1.0
    y[a > 0] = 0.0
    return y


# ---------------------------------------------------------------------------------------------
# pooling and normalization (max/avg/adaptive pooling, unpooling, batch norm, interpolate, pad)
# ---------------------------------------------------------------------------------------------


def _distinct(*shape):
    """Values all different (by far more than the gradcheck step), so max-pool argmaxes have no ties."""
    def gen(rng):
        n = int(np.prod(shape))
        return (rng.permutation(n).reshape(shape) * (4.0 / n) - 2.0) + rng.uniform(0, 0.1 / n, size=shape)
    return Arg(tuple(shape), gen=gen)


def _F(L):
    return L.nn.functional


spec("max_pool2d", lambda L, x: _F(L).max_pool2d(x, 2), lambda x: np_max_pool2d(x, 2), [_distinct(2, 3, 6, 6)])
spec("max_pool2d_unbatched", lambda L, x: _F(L).max_pool2d(x, 3, 2, 1),
     lambda x: np_max_pool2d(x, 3, 2, 1), [_distinct(2, 7, 5)])
spec("max_pool2d_module_ceil", lambda L, x: L.nn.MaxPool2d((3, 2), (2, 1), (1, 0), ceil_mode=True)(x),
     lambda x: np_max_pool2d(x, (3, 2), (2, 1), (1, 0), ceil_mode=True), [_distinct(1, 1, 8, 5)])


spec("max_pool2d_indices", lambda L, x: _F(L).max_pool2d(x, 3, 2, 1, 2, True, return_indices=True)[1],
     lambda x: np_max_pool2d_indices(x, 3, 2, 1, 2, True), [_distinct(2, 2, 7, 8)], grad=False)
spec("avg_pool2d", lambda L, x: _F(L).avg_pool2d(x, 2), lambda x: np_avg_pool2d(x, 2), [A(2, 3, 6, 7)])
spec("avg_pool2d_pad_exclude", lambda L, x: _F(L).avg_pool2d(x, 3, 2, 1, count_include_pad=False),
     lambda x: np_avg_pool2d(x, 3, 2, 1, count_include_pad=False), [A(1, 2, 7, 6)])
spec("avg_pool2d_divisor", lambda L, x: L.nn.AvgPool2d(3, 2, 1, ceil_mode=True, divisor_override=5)(x),
     lambda x: np_avg_pool2d(x, 3, 2, 1, True, True, 5), [A(2, 1, 6, 6)])
spec("adaptive_avg_pool2d", lambda L, x: _F(L).adaptive_avg_pool2d(x, (3, 4)),
     lambda x: _np_adaptive(x, (3, 4), np.mean), [A(2, 3, 7, 9)])
spec("adaptive_avg_pool2d_global", lambda L, x: L.nn.AdaptiveAvgPool2d(1)(x),
     lambda x: _np_adaptive(x, 1, np.mean), [A(2, 4, 5, 3)])
spec("adaptive_max_pool2d", lambda L, x: _F(L).adaptive_max_pool2d(x, (4, 3)),
     lambda x: _np_adaptive(x, (4, 3), np.max), [_distinct(2, 2, 9, 7)])
spec("adaptive_max_pool2d_unbatched_up", lambda L, x: L.nn.AdaptiveMaxPool2d(5)(x),
     lambda x: _np_adaptive(x, 5, np.max), [_distinct(3, 3, 4)])


spec("max_unpool2d", lambda L, x: _F(L).max_unpool2d(*_F(L).max_pool2d(x, 2, return_indices=True), 2),
     _np_unpool, [_distinct(2, 2, 4, 6)])

spec("batch_norm_train", lambda L, x, w, b: _F(L).batch_norm(x, None, None, w, b, training=True),
     lambda x, w, b: np_batch_norm(x, None, None, w, b, True), [A(4, 3, 5, 2), A(3), A(3)])
spec("batch_norm_train_1d", lambda L, x: _F(L).batch_norm(x, None, None, training=True, eps=1e-3),
     lambda x: np_batch_norm(x, None, None, training=True, eps=1e-3), [A(6, 4)])
spec("batch_norm_train_running", lambda L, x, rm, rv, w, b: _F(L).batch_norm(x, rm, rv, w, b, True, 0.3),
     lambda x, rm, rv, w, b: np_batch_norm(x, rm, rv, w, b, True),
     [A(3, 2, 7), A(2, grad=False), A(2, low=0.5, high=2.0, grad=False), A(2), A(2)])
spec("batch_norm_eval", lambda L, x, rm, rv, w, b: _F(L).batch_norm(x, rm, rv, w, b),
     lambda x, rm, rv, w, b: np_batch_norm(x, rm, rv, w, b),
     [A(2, 3, 4, 4), A(3, grad=False), A(3, low=0.5, high=2.0, grad=False), A(3), A(3)])


spec("layer_norm", lambda L, x, w, b: _F(L).layer_norm(x, (4, 5), w, b),
     lambda x, w, b: np_layer_norm(x, 2, w, b), [A(3, 4, 5), A(4, 5), A(4, 5)])
spec("layer_norm_plain", lambda L, x: _F(L).layer_norm(x, [6], eps=1e-3),
     lambda x: np_layer_norm(x, 1, eps=1e-3), [A(2, 3, 6)])
spec("layer_norm_bias_only", lambda L, x, b: _F(L).layer_norm(x, (2, 3), None, b),
     lambda x, b: np_layer_norm(x, 2, None, b), [A(4, 2, 3), A(2, 3)],
     torch=False)  # PyTorch 2.13's double backward raises for a bias without a weight; gradgradcheck runs here
spec("layer_norm_weight_only", lambda L, x, w: _F(L).layer_norm(x, (7,), w), lambda x, w: np_layer_norm(x, 1, w),
     [A(5, 7), A(7)])


spec("group_norm", lambda L, x, w, b: _F(L).group_norm(x, 3, w, b), lambda x, w, b: np_group_norm(x, 3, w, b),
     [A(2, 6, 5), A(6), A(6)])
spec("group_norm_4d_plain", lambda L, x: _F(L).group_norm(x, 2, eps=1e-3), lambda x: np_group_norm(x, 2, eps=1e-3),
     [A(3, 4, 3, 2)])
spec("group_norm_one_group_weight", lambda L, x, w: _F(L).group_norm(x, 1, w), lambda x, w: np_group_norm(x, 1, w),
     [A(2, 5, 4), A(5)])
spec("group_norm_2d_input", lambda L, x, w, b: _F(L).group_norm(x, 4, w, b), lambda x, w, b: np_group_norm(x, 4, w, b),
     [A(3, 8), A(8), A(8)])
spec("rms_norm", lambda L, x, w: _F(L).rms_norm(x, (4, 5), w), lambda x, w: np_rms_norm(x, 2, w),
     [A(3, 4, 5), A(4, 5)])
spec("rms_norm_plain_eps", lambda L, x: _F(L).rms_norm(x, [6], eps=1e-3), lambda x: np_rms_norm(x, 1, eps=1e-3),
     [A(2, 3, 6)])
spec("instance_norm", lambda L, x: _F(L).instance_norm(x), np_instance_norm, [A(2, 3, 5)])
spec("instance_norm_affine", lambda L, x, w, b: _F(L).instance_norm(x, weight=w, bias=b, eps=1e-3),
     lambda x, w, b: np_instance_norm(x, w, b, 1e-3), [A(2, 3, 4, 3), A(3), A(3)])
spec("instance_norm_running", lambda L, x, rm, rv: _F(L).instance_norm(x, rm, rv, momentum=0.3),
     lambda x, rm, rv: np_instance_norm(x), [A(3, 2, 6), A(2, grad=False), A(2, low=0.5, high=2.0, grad=False)])
spec("instance_norm_eval", lambda L, x, rm, rv, w, b: _F(L).instance_norm(x, rm, rv, w, b, use_input_stats=False),
     lambda x, rm, rv, w, b: np_batch_norm(x, rm, rv, w, b),
     [A(2, 3, 4), A(3, grad=False), A(3, low=0.5, high=2.0, grad=False), A(3), A(3)])

# embedding lookups: the weight is differentiable, the indices are not
spec("embedding", lambda L, w, i: _F(L).embedding(i, w), lambda w, i: w[i], [A(7, 4), _idx(0, 7, 3, 5)])
spec("embedding_1d_repeats", lambda L, w, i: _F(L).embedding(i, w, scale_grad_by_freq=True), lambda w, i: w[i],
     [A(3, 130), _idx(0, 3, 9)], grad=False)  # scaled gradients are not the forward's derivative: test_embedding.py
spec("embedding_padding_idx", lambda L, w, i: _F(L).embedding(i, w, padding_idx=-2), lambda w, i: w[i],
     [A(6, 3), _idx(0, 6, 4, 2)], grad=False)  # the padding row's zeroed gradient: tests/test_embedding.py
spec("one_hot", lambda L, i: _F(L).one_hot(i, 5), lambda i: np.eye(5, dtype=np.int64)[i], [_idx(0, 5, 3, 4)],
     grad=False)


def _offsets(*v):
    return Arg((len(v),), dtype="int64", grad=False, gen=lambda rng: np.array(v, dtype=np.int64))


_bag_idx = Arg((9,), dtype="int64", grad=False, gen=lambda rng: np.array([1, 3, 3, 0, 6, 2, 5, 3, 4]))
spec("embedding_bag_mean", lambda L, w, i, o: _F(L).embedding_bag(i, w, o),
     lambda w, i, o: np_embedding_bag(w, i, o), [A(7, 4), _bag_idx, _offsets(0, 2, 2, 5)])
spec("embedding_bag_sum_2d", lambda L, w, i: _F(L).embedding_bag(i, w, mode="sum"),
     lambda w, i: np_embedding_bag(w, i, mode="sum"), [A(7, 4), _idx(0, 7, 3, 4)])
spec("embedding_bag_max", lambda L, w, i, o: _F(L).embedding_bag(i, w, o, mode="max"),
     lambda w, i, o: np_embedding_bag(w, i, o, mode="max"), [A(7, 5), _bag_idx, _offsets(0, 3, 3, 7)])
spec("embedding_bag_psw", lambda L, w, i, o, p: _F(L).embedding_bag(i, w, o, mode="sum", per_sample_weights=p),
     lambda w, i, o, p: np_embedding_bag(w, i, o, "sum", p), [A(7, 3), _bag_idx, _offsets(0, 4, 6), A(9)],
     torch_gradgrad=False)  # PyTorch 2.13 has no double backward for it; tests/test_embedding_bag.py compares
spec("embedding_bag_last_offset_padding",
     lambda L, w, i, o: _F(L).embedding_bag(i, w, o, mode="mean", include_last_offset=True, padding_idx=3),
     lambda w, i, o: np_embedding_bag(w, i, o, "mean", include_last_offset=True, padding_idx=3),
     [A(7, 4), _bag_idx, _offsets(0, 2, 3, 9)])
spec("embedding_bag_max_padding", lambda L, w, i, o: _F(L).embedding_bag(i, w, o, mode="max", padding_idx=-4),
     lambda w, i, o: np_embedding_bag(w, i, o, "max", padding_idx=3), [A(7, 2), _bag_idx, _offsets(0, 1, 3, 8)])

# scaled dot-product attention: lengths past one 64-row block, L != S, masks, grouped heads
def _dead_row_mask(rng):
    m = rng.random((5, 6)) < 0.6
    m[2] = False  # a query that sees no key: its output is 0
    return m


spec("sdpa", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v), _np_sdpa,
     [A(2, 3, 5, 4), A(2, 3, 6, 4), A(2, 3, 6, 3)])
spec("sdpa_causal_blocks", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v, is_causal=True),
     lambda q, k, v: _np_sdpa(q, k, v, causal=True), [A(1, 1, 66, 2), A(1, 1, 65, 2), A(1, 1, 65, 2)],
     gradgrad=False)  # the fused kernels' blocks are first order; create_graph's recorded path is checked below
spec("sdpa_causal_short_queries", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v, is_causal=True),
     lambda q, k, v: _np_sdpa(q, k, v, causal=True), [A(2, 4, 2), A(2, 66, 2), A(2, 66, 2)], gradgrad=False)
spec("sdpa_bool_mask", lambda L, q, k, v, m: _F(L).scaled_dot_product_attention(q, k, v, attn_mask=m),
     lambda q, k, v, m: _np_sdpa(q, k, v, m), [A(2, 5, 4), A(2, 6, 4), A(2, 6, 3), Arg((5, 6), gen=_dead_row_mask)])
spec("sdpa_float_mask", lambda L, q, k, v, m: _F(L).scaled_dot_product_attention(q, k, v, attn_mask=m),
     lambda q, k, v, m: _np_sdpa(q, k, v, m), [A(2, 3, 5, 4), A(2, 3, 6, 4), A(2, 3, 6, 3), A(3, 1, 6, grad=False)])
spec("sdpa_float_mask_grad", lambda L, q, k, v, m: _F(L).scaled_dot_product_attention(q, k, v, attn_mask=m),
     lambda q, k, v, m: _np_sdpa(q, k, v, m), [A(2, 5, 4), A(2, 6, 4), A(2, 6, 3), A(5, 6)])
spec("sdpa_gqa", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True),
     lambda q, k, v: _np_sdpa(q, k, v, causal=True, gqa=True), [A(2, 4, 5, 4), A(2, 2, 6, 4), A(2, 2, 6, 3)])
spec("sdpa_broadcast_scale", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v, scale=0.3),
     lambda q, k, v: _np_sdpa(q, k, v, scale=0.3), [A(3, 5, 4), A(1, 6, 4), A(1, 6, 3)])
spec("sdpa_2d", lambda L, q, k, v: _F(L).scaled_dot_product_attention(q, k, v), _np_sdpa, [A(5, 4), A(6, 4), A(6, 3)])


def _interp_spec(mode, ac, kw):
    tag = "_".join(f"{k}{v}" for k, v in kw.items()).replace(" ", "").replace("(", "").replace(")", "")
    spec(f"interpolate_{mode}_{ac}_{tag}", lambda L, x: _F(L).interpolate(x, mode=mode, align_corners=ac, **kw),
         lambda x: np_interpolate(x, mode=mode, align_corners=ac, **kw), [A(2, 2, 4, 5)])


for _mode, _ac in [("nearest", None), ("bilinear", False), ("bilinear", True), ("bicubic", False), ("bicubic", True)]:
    for _kw in [{"size": (7, 5)}, {"scale_factor": 2}, {"scale_factor": (0.6, 1.5)}]:
        _interp_spec(_mode, _ac, _kw)


def _interp_aa_spec(mode, ac, kw, shape):
    tag = "_".join(f"{k}{v}" for k, v in kw.items()).replace(" ", "").replace("(", "").replace(")", "")
    spec(f"interpolate_aa_{mode}_{ac}_{tag}",
         lambda L, x: _F(L).interpolate(x, mode=mode, align_corners=ac, antialias=True, **kw),
         lambda x: np_interpolate(x, mode=mode, align_corners=ac, antialias=True, **kw), [A(*shape)])


# antialiased: downscaling (the support widens), mixed up- and downscaling by scale factor, upscaling
for _mode, _ac in [("bilinear", False), ("bilinear", True), ("bicubic", False), ("bicubic", True), ("lanczos", False)]:
    for _kw, _shape in [({"size": (3, 4)}, (2, 2, 7, 9)), ({"scale_factor": (0.4, 1.5)}, (1, 2, 8, 5)),
                        ({"size": (6, 8)}, (1, 2, 3, 4))]:
        _interp_aa_spec(_mode, _ac, _kw, _shape)
spec("upsample_module", lambda L, x: L.nn.Upsample(scale_factor=3, mode="bilinear", align_corners=True)(x),
     lambda x: np_interpolate(x, scale_factor=3, mode="bilinear", align_corners=True), [A(1, 3, 3, 2)])

spec("pad_constant", lambda L, x: _F(L).pad(x, (1, 2, 0, 3), value=0.5), lambda x: np_pad(x, (1, 2, 0, 3), 0.5),
     [A(2, 3, 4)])
spec("pad_negative", lambda L, x: _F(L).pad(x, (-1, 2, 2, -2)), lambda x: np_pad(x, (-1, 2, 2, -2)), [A(2, 4, 5)])
spec("pad_all_dims", lambda L, x: _F(L).pad(x, (1, 0, 0, 1, 2, 1)), lambda x: np_pad(x, (1, 0, 0, 1, 2, 1)),
     [A(2, 3, 2)])
spec("zero_pad2d", lambda L, x: L.nn.ZeroPad2d((1, 0, 2, 1))(x), lambda x: np_pad(x, (1, 0, 2, 1)), [A(1, 2, 3, 3)])


# Randomized configurations (fixed seed): stride, padding up to half the kernel, dilation,
# ceil_mode, odd sizes, batch 1, one channel, kernels larger than the stride.
def _pool_specs(i, k, s, p, d, ceil, pa, cip, o, shape):
    spec(f"max_pool2d_rand{i}", lambda L, x: _F(L).max_pool2d(x, k, s, p, d, ceil_mode=ceil),
         lambda x: np_max_pool2d(x, k, s, p, d, ceil), [_distinct(*shape)])
    spec(f"avg_pool2d_rand{i}", lambda L, x: _F(L).avg_pool2d(x, k, s, pa, ceil, cip),
         lambda x: np_avg_pool2d(x, k, s, pa, ceil, cip), [A(*shape)])
    spec(f"adaptive_avg_pool2d_rand{i}", lambda L, x: _F(L).adaptive_avg_pool2d(x, o),
         lambda x: _np_adaptive(x, o, np.mean), [A(*shape)])
    spec(f"adaptive_max_pool2d_rand{i}", lambda L, x: _F(L).adaptive_max_pool2d(x, o),
         lambda x: _np_adaptive(x, o, np.max), [_distinct(*shape)])


_rng = _random.Random(4)
for _i in range(8):
    _k = (_rng.randint(1, 4), _rng.randint(1, 4))
    _s = (_rng.randint(1, 3), _rng.randint(1, 3))
    _d = (_rng.randint(1, 2), _rng.randint(1, 2))
    _p = tuple(_rng.randint(0, k // 2) for k in _k)
    _ceil = _rng.random() < 0.5
    _shape = (_rng.choice([1, 2]), _rng.choice([1, 3]), _rng.randint(7, 11), _rng.randint(7, 11))
    _pa = tuple(_rng.randint(0, k // 2) for k in _k)
    _cip = _rng.random() < 0.5
    _o = (_rng.randint(1, 6), _rng.randint(1, 6))
    _pool_specs(_i, _k, _s, _p, _d, _ceil, _pa, _cip, _o, _shape)


# ---------------------------------------------------------------------------------------------
# recurrent
# ---------------------------------------------------------------------------------------------
def _is_torch(L):
    return L.__name__ == "torch"


def _cell(name):
    def fn(L, x, *rest):
        if _is_torch(L):
            if name == "lstm_cell":
                return L.lstm_cell(x, (rest[0], rest[1]), *rest[2:])
            return getattr(L, name)(x, *rest)
        return getattr(L._C._nn, name)(x, *rest)
    return fn


def _layer(mode, reverse=False, proj=False):
    def fn(L, x, h, *rest):
        c = rest[0] if mode == "LSTM" else None
        w = list(rest[1:] if mode == "LSTM" else rest)
        w_hr = w[4] if proj else None
        if not _is_torch(L):
            out = L._C._nn.rnn_layer(mode, x, h, c, *w[:4], w_hr, None, reverse)
            return out if mode == "LSTM" else out[:2]
        import torch.func
        cls = {"LSTM": L.nn.LSTM, "GRU": L.nn.GRU, "RNN_TANH": L.nn.RNN, "RNN_RELU": L.nn.RNN}[mode]
        kw = {"nonlinearity": "relu" if mode == "RNN_RELU" else "tanh"} if mode.startswith("RNN") else {}
        if proj:
            kw["proj_size"] = w_hr.shape[0]
        m = cls(x.shape[2], w[0].shape[0] // {"LSTM": 4, "GRU": 3}.get(mode, 1), **kw).double()
        names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"] + (["weight_hr_l0"] if proj else [])
        xs = x.flip(0) if reverse else x
        hx = (h[None], c[None]) if mode == "LSTM" else h[None]
        out, hn = torch.func.functional_call(m, dict(zip(names, w)), (xs, hx))
        if reverse:
            out = out.flip(0)
        return (out, hn[0][0], hn[1][0]) if mode == "LSTM" else (out, hn[0])
    return fn


def _W(*shape):
    return A(*shape, low=-0.6, high=0.6)


_B, _I, _H, _T = 3, 4, 5, 4
spec("rnn_tanh_cell", _cell("rnn_tanh_cell"), _np_tanh_cell,
     [A(_B, _I), A(_B, _H), _W(_H, _I), _W(_H, _H), _W(_H), _W(_H)])
spec("rnn_relu_cell", _cell("rnn_relu_cell"), _np_relu_cell,
     [A(_B, _I), A(_B, _H), _W(_H, _I), _W(_H, _H), _W(_H), _W(_H)])
spec("lstm_cell", _cell("lstm_cell"), lambda *a: _np_lstm_cell(*a),
     [A(_B, _I), A(_B, _H), A(_B, _H), _W(4 * _H, _I), _W(4 * _H, _H), _W(4 * _H), _W(4 * _H)])
spec("gru_cell", _cell("gru_cell"), _np_gru_cell,
     [A(_B, _I), A(_B, _H), _W(3 * _H, _I), _W(3 * _H, _H), _W(3 * _H), _W(3 * _H)])
for _mode, _g in (("RNN_TANH", 1), ("RNN_RELU", 1), ("GRU", 3), ("LSTM", 4)):
    for _rev in (False, True):
        _state = [A(_B, _H)] + ([A(_B, _H)] if _mode == "LSTM" else [])
        spec("rnn_layer", _layer(_mode, _rev), _np_layer_ref(_mode, _rev),
             [A(_T, _B, _I)] + _state + [_W(_g * _H, _I), _W(_g * _H, _H), _W(_g * _H), _W(_g * _H)],
             id=f"rnn_layer_{_mode.lower()}{'_reverse' if _rev else ''}")
_P = 3
spec("rnn_layer", _layer("LSTM", False, True), _np_layer_ref("LSTM", False, True),
     [A(_T, _B, _I), A(_B, _P), A(_B, _H), _W(4 * _H, _I), _W(4 * _H, _P), _W(4 * _H), _W(4 * _H), _W(_P, _H)],
     id="rnn_layer_lstm_proj")
spec("rnn_layer", _layer("LSTM", True, True), _np_layer_ref("LSTM", True, True),
     [A(_T, _B, _I), A(_B, _P), A(_B, _H), _W(4 * _H, _I), _W(4 * _H, _P), _W(4 * _H), _W(4 * _H), _W(_P, _H)],
     id="rnn_layer_lstm_proj_reverse")


# ---------------------------------------------------------------------------------------------
# 1-D pooling (the 2-D kernels on a (N, C, 1, L) view), distances, bilinear and the composite losses
# ---------------------------------------------------------------------------------------------
def _row(f):
    """A 2-D pooling reference applied to (..., L) as (..., 1, L)."""
    return lambda x, *a, **kw: f(x[..., None, :], *a, **kw)[..., 0, :]


spec("max_pool1d", lambda L, x: _F(L).max_pool1d(x, 3, 2, 1), _row(lambda x: np_max_pool2d(x, (1, 3), (1, 2), (0, 1))),
     [_distinct(2, 3, 9)])
spec("max_pool1d_dilation_ceil", lambda L, x: L.nn.MaxPool1d(2, 2, 1, dilation=2, ceil_mode=True)(x),
     _row(lambda x: np_max_pool2d(x, (1, 2), (1, 2), (0, 1), (1, 2), True)), [_distinct(3, 8)])
spec("max_pool1d_indices", lambda L, x: _F(L).max_pool1d(x, 3, 2, 1, return_indices=True)[1],
     _row(lambda x: np_max_pool2d_indices(x, (1, 3), (1, 2), (0, 1))), [_distinct(2, 2, 7)], grad=False)
spec("avg_pool1d", lambda L, x: _F(L).avg_pool1d(x, 3, 2, 1), _row(lambda x: np_avg_pool2d(x, (1, 3), (1, 2), (0, 1))),
     [A(2, 3, 8)])
spec("avg_pool1d_exclude_pad_ceil", lambda L, x: L.nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False)(x),
     _row(lambda x: np_avg_pool2d(x, (1, 3), (1, 2), (0, 1), True, False)), [A(3, 8)])
spec("adaptive_avg_pool1d", lambda L, x: _F(L).adaptive_avg_pool1d(x, 4),
     _row(lambda x: _np_adaptive(x, (1, 4), np.mean)), [A(2, 3, 7)])
spec("adaptive_max_pool1d", lambda L, x: L.nn.AdaptiveMaxPool1d(3)(x),
     _row(lambda x: _np_adaptive(x, (1, 3), np.max)), [_distinct(3, 8)])
spec("adaptive_max_pool1d_indices", lambda L, x: _F(L).adaptive_max_pool1d(x, 3, return_indices=True)[1],
     lambda x: np.stack([[np.argmax(r[i * 8 // 3:-(-(i + 1) * 8 // 3)]) + i * 8 // 3 for i in range(3)]
                         for r in x.reshape(-1, 8)]).reshape(x.shape[:-1] + (3,)), [_distinct(2, 2, 8)], grad=False)

spec("cosine_similarity", lambda L, a, b: _F(L).cosine_similarity(a, b), _np_cosine_similarity, [A(4, 5), A(4, 5)])
spec("cosine_similarity_broadcast", lambda L, a, b: _F(L).cosine_similarity(a, b, dim=-1, eps=1e-6),
     lambda a, b: _np_cosine_similarity(a, b, -1), [A(3, 1, 4), A(5, 4)])
for _p in (2.0, 1.0, 3.0, math.inf):
    spec("pairwise_distance", lambda L, a, b, p: _F(L).pairwise_distance(a, b, p=p), _np_pairwise_distance,
         [A(4, 6), A(4, 6)], kwargs=dict(p=_p), id=f"pairwise_distance_p{_p}")
spec("pairwise_distance_broadcast_keepdim", lambda L, a, b: L.nn.PairwiseDistance(eps=0.1, keepdim=True)(a, b),
     lambda a, b: _np_pairwise_distance(a, b, 2.0, 0.1, True), [A(2, 3, 4), A(4)])
spec("normalize", lambda L, x: _F(L).normalize(x), _np_normalize, [A(4, 5)])
spec("normalize_p1_dim0", lambda L, x: _F(L).normalize(x, p=1, dim=0), lambda x: _np_normalize(x, 1, 0), [A(3, 4, 2)])
spec("bilinear", lambda L, a, b, w, bias: _F(L).bilinear(a, b, w, bias), _np_bilinear,
     [A(5, 3), A(5, 4), A(2, 3, 4), A(2)])
spec("bilinear_3d_no_bias", lambda L, a, b, w: _F(L).bilinear(a, b, w), _np_bilinear,
     [A(2, 3, 3), A(2, 3, 4), A(5, 3, 4)])
spec("bilinear_unbatched", lambda L, a, b, w: _F(L).bilinear(a, b, w), _np_bilinear, [A(3), A(2), A(4, 3, 2)])


def _signs(*shape):
    return Arg(shape, grad=False, gen=lambda rng: rng.choice([-1.0, 1.0], size=shape))


for _r in ("none", "sum", "batchmean"):
    spec(f"kl_div_{_r}", lambda L, x, t, reduction: _F(L).kl_div(x, t, reduction=reduction),
         _np_kl_div, [A(3, 4), A(3, 4, low=0.05, high=1.0)], kwargs=dict(reduction=_r))
spec("kl_div_log_target", lambda L, x, t: _F(L).kl_div(x, t, reduction="sum", log_target=True),
     lambda x, t: _np_kl_div(x, t, "sum", True), [A(3, 4), A(3, 4)])
# PyTorch has no second derivative of multi_margin_loss (torch_gradgrad=False); gradgradcheck checks ours.
for _r in ("none", "mean", "sum"):
    spec(f"poisson_nll_loss_{_r}", lambda L, x, t, reduction: _F(L).poisson_nll_loss(x, t, reduction=reduction),
         _np_poisson_nll, [A(3, 4), A(3, 4, low=0, high=3)], kwargs=dict(reduction=_r))
    spec(f"gaussian_nll_loss_{_r}",
         lambda L, x, t, v, reduction: _F(L).gaussian_nll_loss(x, t, v, reduction=reduction),
         lambda x, t, v, reduction: _np_gaussian_nll(x, t, v, reduction=reduction),
         [A(3, 4), A(3, 4), A(3, 4, low=0.2, high=2.0)], kwargs=dict(reduction=_r))
    spec(f"cosine_embedding_loss_{_r}",
         lambda L, a, b, y, reduction: _F(L).cosine_embedding_loss(a, b, y, margin=0.2, reduction=reduction),
         lambda a, b, y, reduction: _np_cosine_embedding(a, b, y, 0.2, reduction), [A(6, 5), A(6, 5), _signs(6)],
         kwargs=dict(reduction=_r))
    spec(f"hinge_embedding_loss_{_r}",
         lambda L, x, y, reduction: _F(L).hinge_embedding_loss(x, y, margin=0.5, reduction=reduction),
         lambda x, y, reduction: _np_hinge_embedding(x, y, 0.5, reduction), [A(3, 4), _signs(3, 4)],
         kwargs=dict(reduction=_r))
    spec(f"margin_ranking_loss_{_r}",
         lambda L, a, b, y, reduction: _F(L).margin_ranking_loss(a, b, y, margin=0.3, reduction=reduction),
         lambda a, b, y, reduction: _np_margin_ranking(a, b, y, 0.3, reduction), [A(6), A(6), _signs(6)],
         kwargs=dict(reduction=_r))
    spec(f"triplet_margin_loss_{_r}",
         lambda L, a, p, n, reduction: _F(L).triplet_margin_loss(a, p, n, margin=2.0, reduction=reduction),
         lambda a, p, n, reduction: _np_triplet(a, p, n, 2.0, reduction=reduction), [A(5, 4), A(5, 4), A(5, 4)],
         kwargs=dict(reduction=_r))
    spec(f"soft_margin_loss_{_r}", lambda L, x, y, reduction: _F(L).soft_margin_loss(x, y, reduction=reduction),
         _np_soft_margin, [A(3, 4), _signs(3, 4)], kwargs=dict(reduction=_r))
    spec(f"multilabel_soft_margin_loss_{_r}",
         lambda L, x, y, reduction: _F(L).multilabel_soft_margin_loss(x, y, reduction=reduction),
         lambda x, y, reduction: _np_multilabel_soft_margin(x, y, reduction=reduction),
         [A(3, 5), A(3, 5, low=0, high=1)], kwargs=dict(reduction=_r))
    spec(f"multi_margin_loss_{_r}", lambda L, x, t, reduction: _F(L).multi_margin_loss(x, t, reduction=reduction),
         lambda x, t, reduction: _np_multi_margin(x, t, reduction=reduction),
         [A(4, 5), A(4, dtype="int64", low=0, high=5)], kwargs=dict(reduction=_r), torch_gradgrad=False)
spec("poisson_nll_loss_full_not_log", lambda L, x, t: _F(L).poisson_nll_loss(x, t, log_input=False, full=True),
     lambda x, t: _np_poisson_nll(x, t, False, True), [A(3, 4, low=0.2, high=3), A(3, 4, low=0, high=4)])
spec("gaussian_nll_loss_full_var_leading", lambda L, x, t, v: _F(L).gaussian_nll_loss(x, t, v, full=True, eps=0.3),
     lambda x, t, v: _np_gaussian_nll(x, t, v, True, 0.3), [A(3, 4), A(3, 4), A(3, low=0.1, high=2.0)])
spec("gaussian_nll_loss_heteroscedastic", lambda L, x, t, v: _F(L).gaussian_nll_loss(x, t, v, reduction="sum"),
     lambda x, t, v: _np_gaussian_nll(x, t, v, reduction="sum"), [A(3, 4), A(3, 4), A(3, 1, low=0.2, high=2.0)])
spec("cosine_embedding_loss_unbatched", lambda L, a, b, y: _F(L).cosine_embedding_loss(a, b, y.reshape(())),
     lambda a, b, y: _np_cosine_embedding(a, b, y.reshape(())), [A(5), A(5), _signs(1)])
spec("triplet_margin_loss_swap_p1", lambda L, a, p, n: L.nn.TripletMarginLoss(p=1, swap=True)(a, p, n),
     lambda a, p, n: _np_triplet(a, p, n, norm=1, swap=True), [A(5, 4), A(5, 4), A(5, 4)])
spec("multilabel_soft_margin_loss_weight", lambda L, x, y, w: _F(L).multilabel_soft_margin_loss(x, y, weight=w),
     lambda x, y, w: _np_multilabel_soft_margin(x, y, w), [A(3, 5), A(3, 5, low=0, high=1), A(5, low=0.2, grad=False)])
spec("multi_margin_loss_p2_weight", lambda L, x, t, w: L.nn.MultiMarginLoss(p=2, margin=0.7, weight=w)(x, t),
     lambda x, t, w: _np_multi_margin(x, t, 2, 0.7, w), [A(4, 5), A(4, dtype="int64", low=0, high=5),
                                                          A(5, low=0.2, high=2.0, grad=False)], torch_gradgrad=False)
spec("multi_margin_loss_unbatched", lambda L, x, t: _F(L).multi_margin_loss(x, t.reshape(()), reduction="none"),
     lambda x, t: _np_multi_margin(x, t.reshape(()), reduction="none"), [A(5), A(1, dtype="int64", low=0, high=5)],
     torch_gradgrad=False)

# the tensor toolbox of language-model scripts: tril/triu, multinomial, sort/argsort/topk/kthvalue,
# cumsum/cumprod, flip/roll/repeat/tile/repeat_interleave (tests/test_toolbox.py has the rest)
# ---------------------------------------------------------------------------------------------
def _ties_rows(rng):
    return np.array([[1.0, -0.5, 1.0, 2.0, -0.5, 1.0], [0.0, 0.0, 3.0, -1.0, 3.0, 0.0]])


def _cumprod_zeros(rng):  # one zero, two zeros, a zero first and last: each branch of the gradient
    return np.array([[1.5, 0.0, 2.0, -1.0, 0.5], [0.0, 0.0, 1.2, 2.0, 1.0], [0.5, -2.0, 1.5, 3.0, 0.0]])


def _onehot_rows(rng):  # a deterministic distribution: every draw is the one category with mass
    return np.array([[0.0, 0.0, 2.0, 0.0], [0.5, 0.0, 0.0, 0.0]])


spec("tril", lambda L, a: L.tril(a), np.tril, [A(4, 5)])
spec("tril_diagonal_batch", lambda L, a: a.tril(-1), lambda a: np.tril(a, -1), [A(2, 3, 4, 5)])
spec("triu", lambda L, a: L.triu(a, 2), lambda a: np.triu(a, 2), [A(2, 5, 4)])
spec("triu_beyond_matrix", lambda L, a: a.triu(-7), lambda a: np.triu(a, -7), [A(3, 4)])
spec("tril_inplace", lambda L, a: (a * 1).tril_(1), lambda a: np.tril(a, 1), [A(3, 3)])
spec("triu_inplace", lambda L, a: (a * 1).triu_(), np.triu, [A(2, 3, 3)])
spec("tril_int", lambda L, a: L.tril(a), np.tril, [A(4, 4, dtype="int64", low=-5, high=5)], grad=False)
spec("multinomial_onehot", lambda L, p: L.multinomial(p, 3, True), lambda p: np.repeat(p.argmax(1)[:, None], 3, 1),
     [Arg((2, 4), grad=False, gen=_onehot_rows)], grad=False)
spec("multinomial_onehot_1d", lambda L, p: p.multinomial(1), lambda p: p.argmax()[None],
     [Arg((4,), grad=False, gen=lambda rng: np.array([0.0, 0.0, 0.0, 0.3]))], grad=False)
spec("sort", lambda L, a: tuple(L.sort(a)), lambda a: (np.sort(a, -1), np.argsort(a, -1, kind="stable")), [A(3, 6)])
spec("sort_descending_dim0", lambda L, a: tuple(a.sort(0, descending=True)),
     lambda a: (-np.sort(-a, 0), np.argsort(-a, 0, kind="stable")), [A(5, 3, 2)])
spec("sort_fields", lambda L, a: (L.sort(a, 1).values, L.sort(a, 1).indices),
     lambda a: (np.sort(a, 1), np.argsort(a, 1, kind="stable")), [A(2, 4, 3)])
# Equal values: the order among them is the stable one; the gradient jumps there, so none is checked.
spec("sort_stable_ties", lambda L, a: tuple(L.sort(a, stable=True)),
     lambda a: (np.sort(a, -1, kind="stable"), np.argsort(a, -1, kind="stable")), [Arg((2, 6), gen=_ties_rows)],
     grad=False)
spec("sort_stable_ties_descending", lambda L, a: tuple(a.sort(descending=True, stable=True)),
     lambda a: (-np.sort(-a, -1, kind="stable"), np.argsort(-a, -1, kind="stable")), [Arg((2, 6), gen=_ties_rows)],
     grad=False)
spec("sort_int", lambda L, a: tuple(L.sort(a, 0)), lambda a: (np.sort(a, 0), np.argsort(a, 0, kind="stable")),
     [A(6, 3, dtype="int64", low=0, high=100)], grad=False)
spec("argsort", lambda L, a: L.argsort(a, 1, descending=True), lambda a: np.argsort(-a, 1, kind="stable"),
     [A(3, 5, 2)], grad=False)
spec("argsort_method", lambda L, a: a.argsort(), lambda a: np.argsort(a, -1, kind="stable"), [A(4, 5)], grad=False)
spec("topk", lambda L, a: tuple(L.topk(a, 3)),
     lambda a: (-np.sort(-a, -1)[..., :3], np.argsort(-a, -1, kind="stable")[..., :3]), [A(4, 7)])
spec("topk_smallest_dim0", lambda L, a: tuple(a.topk(2, 0, largest=False)),
     lambda a: (np.sort(a, 0)[:2], np.argsort(a, 0, kind="stable")[:2]), [A(5, 3, 2)])
spec("topk_fields", lambda L, a: (L.topk(a, 1, dim=1).values, L.topk(a, 1, dim=1).indices),
     lambda a: (a.max(1, keepdims=True), a.argmax(1)[:, None]), [A(3, 6)])
spec("kthvalue", lambda L, a: tuple(L.kthvalue(a, 3)),
     lambda a: (np.sort(a, -1)[..., 2], np.argsort(a, -1, kind="stable")[..., 2]), [A(4, 7)])
spec("kthvalue_dim0_keepdim", lambda L, a: tuple(a.kthvalue(1, 0, keepdim=True)),
     lambda a: (a.min(0, keepdims=True), a.argmin(0)[None]), [A(5, 3, 2)])
spec("kthvalue_fields", lambda L, a: (L.kthvalue(a, 2, dim=1).values, L.kthvalue(a, 2, dim=1).indices),
     lambda a: (np.sort(a, 1)[:, 1], np.argsort(a, 1, kind="stable")[:, 1]), [A(3, 6)])
spec("cumsum", lambda L, a: L.cumsum(a, 1), lambda a: np.cumsum(a, 1), [A(3, 5, 2)])
spec("cumsum_last", lambda L, a: a.cumsum(-1), lambda a: np.cumsum(a, -1), [A(4, 70)])
spec("cumsum_dtype", lambda L, a: a.cumsum(0, dtype=L.float64), lambda a: np.cumsum(a.astype(np.float64), 0),
     [A(6, 2)])
spec("cumsum_int", lambda L, a: L.cumsum(a, -1), lambda a: np.cumsum(a, -1),
     [A(3, 5, dtype="int64", low=-9, high=9)], grad=False)
spec("cumsum_bool", lambda L, a: L.cumsum(a, 0), lambda a: np.cumsum(a, 0), [A(5, 2, dtype="bool")], grad=False)
spec("cumprod", lambda L, a: L.cumprod(a, 1), lambda a: np.cumprod(a, 1), [A(3, 5, 2)])
spec("cumprod_zeros", lambda L, a: a.cumprod(-1), lambda a: np.cumprod(a, -1), [Arg((3, 5), gen=_cumprod_zeros)])
spec("cumprod_int", lambda L, a: L.cumprod(a, 0), lambda a: np.cumprod(a, 0),
     [A(4, 3, dtype="int64", low=-3, high=4)], grad=False)
spec("flip", lambda L, a: L.flip(a, (0, 2)), lambda a: np.flip(a, (0, 2)), [A(3, 4, 5)])
spec("flip_adjacent_dims", lambda L, a: a.flip(-1, -2), lambda a: np.flip(a, (-1, -2)), [A(2, 3, 4)])
spec("flip_rows", lambda L, a: a.flip(1), lambda a: np.flip(a, 1), [A(3, 4)])
spec("roll", lambda L, a: L.roll(a, 2, 1), lambda a: np.roll(a, 2, 1), [A(3, 5)])
spec("roll_dims", lambda L, a: a.roll((-1, 7), (0, 2)), lambda a: np.roll(a, (-1, 7), (0, 2)), [A(3, 4, 5)])
spec("roll_flattened", lambda L, a: L.roll(a, 5), lambda a: np.roll(a, 5), [A(3, 4)])
spec("repeat", lambda L, a: a.repeat(2, 1, 3), lambda a: np.tile(a, (2, 1, 3)), [A(3, 2)])
spec("repeat_sequence", lambda L, a: a.repeat((1, 2)), lambda a: np.tile(a, (1, 2)), [A(3, 2)])
spec("tile", lambda L, a: L.tile(a, (2,)), lambda a: np.tile(a, (2,)), [A(3, 2)])
spec("tile_method", lambda L, a: a.tile(2, 1, 2), lambda a: np.tile(a, (2, 1, 2)), [A(2, 3)])
spec("repeat_interleave", lambda L, a: L.repeat_interleave(a, 3, 1), lambda a: np.repeat(a, 3, 1), [A(2, 4)])
spec("repeat_interleave_flattened", lambda L, a: a.repeat_interleave(2), lambda a: np.repeat(a, 2), [A(2, 3)])
spec("repeat_interleave_tensor", lambda L, a, r: L.repeat_interleave(a, r, 0), lambda a, r: np.repeat(a, r, 0),
     [A(3, 4), Arg((3,), dtype="int64", grad=False, gen=lambda rng: np.array([2, 0, 3]))])
spec("repeat_interleave_tensor_method", lambda L, a, r: a.repeat_interleave(r, dim=-1),
     lambda a, r: np.repeat(a, r, -1), [A(2, 3), Arg((1,), dtype="int64", grad=False, gen=lambda rng: np.array([2]))])
spec("repeat_interleave_counts", lambda L, r: L.repeat_interleave(r), lambda r: np.repeat(np.arange(len(r)), r),
     [Arg((4,), dtype="int64", grad=False, gen=lambda rng: np.array([1, 0, 3, 2]))], grad=False)

# ---------------------------------------------------------------------------------------------
# toolbox: dim moves, diagonals, outer/trace, index_add/copy/fill, take_along_dim, einsum
# ---------------------------------------------------------------------------------------------


def _idx(*values):
    return Arg((len(values),), dtype="int64", grad=False, gen=lambda rng: np.array(values))


spec("movedim", lambda L, a: L.movedim(a, (0, 2), (2, 0)), lambda a: np.moveaxis(a, (0, 2), (2, 0)), [A(2, 3, 4)])
spec("movedim_int", lambda L, a: a.movedim(-1, 0), lambda a: np.moveaxis(a, -1, 0), [A(2, 3, 4)])
spec("moveaxis", lambda L, a: L.moveaxis(a, (1, 0), (-1, -2)), lambda a: np.moveaxis(a, (1, 0), (-1, -2)),
     [A(2, 3, 4, 5)])
spec("swapaxes", lambda L, a: L.swapaxes(a, 0, 2), lambda a: np.swapaxes(a, 0, 2), [A(2, 3, 4)])
spec("swapdims_method", lambda L, a: a.swapdims(-1, 1), lambda a: np.swapaxes(a, -1, 1), [A(2, 3, 4)])
spec("outer", lambda L, a, b: L.outer(a, b), np.outer, [A(3), A(4)])
spec("ger_method", lambda L, a, b: a.ger(b), np.outer, [A(4), A(2)])
spec("diag_1d", lambda L, a: L.diag(a), np.diag, [A(4)])
spec("diag_1d_offset", lambda L, a: L.diag(a, 2), lambda a: np.diag(a, 2), [A(3)])
spec("diag_1d_negative", lambda L, a: a.diag(-1), lambda a: np.diag(a, -1), [A(3)])
spec("diag_2d", lambda L, a: L.diag(a), np.diag, [A(4, 3)])
spec("diag_2d_offset", lambda L, a: L.diag(a, diagonal=1), lambda a: np.diag(a, 1), [A(3, 5)])
spec("diag_2d_negative", lambda L, a: a.diag(-2), lambda a: np.diag(a, -2), [A(4, 3)])
spec("diagonal", lambda L, a: L.diagonal(a), lambda a: np.diagonal(a).copy(), [A(3, 4)])
spec("diagonal_dims", lambda L, a: L.diagonal(a, 1, 2, 0), lambda a: np.diagonal(a, 1, 2, 0).copy(), [A(4, 2, 3)])
spec("diagonal_negative", lambda L, a: a.diagonal(offset=-1, dim1=-1, dim2=-2),
     lambda a: np.diagonal(a, -1, -1, -2).copy(), [A(2, 4, 3)])
spec("diagonal_empty", lambda L, a: L.diagonal(a, 5), lambda a: np.diagonal(a, 5).copy(), [A(3, 4)])
spec("diagonal_of_transpose", lambda L, a: a.t().diagonal(1), lambda a: np.diagonal(a.T, 1).copy(), [A(3, 4)])
spec("diag_embed", lambda L, a: L.diag_embed(a), _np_diag_embed, [A(2, 3)])
spec("diag_embed_offset_dims", lambda L, a: L.diag_embed(a, 1, 0, 2), lambda a: _np_diag_embed(a, 1, 0, 2),
     [A(2, 3)])
spec("diag_embed_negative", lambda L, a: a.diag_embed(-2, dim1=-1, dim2=0), lambda a: _np_diag_embed(a, -2, -1, 0),
     [A(3, 2)])
spec("trace", lambda L, a: L.trace(a), np.trace, [A(3, 4)])
spec("trace_method", lambda L, a: a.trace(), np.trace, [A(4, 2)])
spec("trace_int", lambda L, a: L.trace(a), np.trace, [A(3, 3, dtype="int64", low=-5, high=5)], grad=False)
spec("take_along_dim", lambda L, a, i: L.take_along_dim(a, i, 1), lambda a, i: np.take_along_axis(a, i, 1),
     [A(3, 4), Arg((3, 2), dtype="int64", grad=False, low=0, high=4)])
spec("take_along_dim_broadcast", lambda L, a, i: a.take_along_dim(i, dim=0),
     lambda a, i: np.take_along_axis(a, np.broadcast_to(i, (2, 4)), 0),
     [A(3, 4), Arg((2, 1), dtype="int64", grad=False, low=0, high=3)])
spec("take_along_dim_flat", lambda L, a, i: L.take_along_dim(a, i), lambda a, i: a.reshape(-1)[i.reshape(-1)],
     [A(3, 4), Arg((2, 3), dtype="int64", grad=False, low=0, high=12)])
spec("index_add", lambda L, a, i, b: L.index_add(a, 1, i, b, alpha=2.5),
     lambda a, i, b: np.moveaxis(_np_index_add(np.moveaxis(a, 1, 0), i, 2.5 * np.moveaxis(b, 1, 0)), 0, 1),
     [A(3, 4), _idx(0, 2, 0), A(3, 3)])
spec("index_add_method", lambda L, a, i, b: a.index_add(0, i, b), _np_index_add, [A(4, 2), _idx(3, 1), A(2, 2)])
spec("index_add_inplace", lambda L, a, i, b: (a * 1).index_add_(-1, i, b, alpha=-1),
     lambda a, i, b: np.moveaxis(_np_index_add(np.moveaxis(a, -1, 0), i, -np.moveaxis(b, -1, 0)), 0, -1),
     [A(2, 3), _idx(2, 2), A(2, 2)])
spec("index_copy", lambda L, a, i, b: L.index_copy(a, 1, i, b), lambda a, i, b: _np_index_copy(a, 1, i, b),
     [A(3, 4), _idx(3, 0), A(3, 2)])
spec("index_copy_inplace", lambda L, a, i, b: (a * 1).index_copy_(0, i, b), lambda a, i, b: _np_index_copy(a, 0, i, b),
     [A(4, 2), _idx(1, 3, 0), A(3, 2)])
spec("index_fill", lambda L, a, i: L.index_fill(a, 1, i, -1.5), lambda a, i: _np_index_fill(a, 1, i, -1.5),
     [A(3, 4), _idx(0, 3)])
spec("index_fill_tensor", lambda L, a, i, v: a.index_fill(0, i, v), lambda a, i, v: _np_index_fill(a, 0, i, v),
     [A(3, 4), _idx(2), A()])
spec("index_fill_inplace", lambda L, a, i: (a * 1).index_fill_(-1, i, 2.0), lambda a, i: _np_index_fill(a, -1, i, 2.0),
     [A(2, 3), _idx(1)])
spec("einsum_matmul", lambda L, a, b: L.einsum("ij,jk->ik", a, b), lambda a, b: np.einsum("ij,jk->ik", a, b),
     [A(3, 4), A(4, 2)])
spec("einsum_implicit", lambda L, a, b: L.einsum("ij,jk", a, b), lambda a, b: np.einsum("ij,jk", a, b),
     [A(3, 4), A(4, 2)])
# ---------------------------------------------------------------------------------------------
# searching, counting and order statistics: searchsorted/bucketize, unique, bincount, histc,
# scatter_reduce, median, mode, quantile, cummax/cummin, logcumsumexp (tests/test_search_ops.py has the rest)
# ---------------------------------------------------------------------------------------------
def _sorted_rows(rng):  # boundaries: sorted rows with a repeated value, so left and right differ
    return np.array([[-1.0, 0.0, 0.0, 0.5, 1.5], [-2.0, -1.0, 0.25, 1.0, 1.0]])


def _probe(rng):  # values between, below, above and exactly on the boundaries
    return np.array([[-3.0, 0.0, 0.2, 1.5, 2.0], [1.0, -1.5, 0.25, 3.0, -2.0]])


def _scatter_index(rng):  # repeats, a position never written, rows of different lengths
    return np.array([[0, 2, 0, 2], [1, 1, 3, 0]])


def _mode_rows(rng):  # integers with a tie in frequency (the smaller value wins) and a clear winner
    return np.array([[3, 1, 1, 3, 2, 0], [5, 5, 5, 2, 2, 9], [4, 4, 0, 0, 7, 7]])


def _prod_zero(rng):  # one zero in a group of src and a zero in x: each branch of prod's gradient
    return np.array([[1.5, 0.0, 2.0, -1.0], [0.5, -2.0, 0.0, 3.0]])


spec("searchsorted", lambda L, s, v: L.searchsorted(s, v), _np_searchsorted,
     [Arg((2, 5), gen=_sorted_rows, grad=False), Arg((2, 5), gen=_probe, grad=False)], grad=False)
spec("searchsorted_right_1d", lambda L, s, v: L.searchsorted(s[0], v, right=True),
     lambda s, v: _np_searchsorted(s[0], v, "right"),
     [Arg((2, 5), gen=_sorted_rows, grad=False), Arg((2, 5), gen=_probe, grad=False)], grad=False)
spec("searchsorted_side_int32", lambda L, s, v: L.searchsorted(s, v, side="right", out_int32=True),
     lambda s, v: _np_searchsorted(s, v, "right").astype(np.int32),
     [Arg((2, 5), gen=_sorted_rows, grad=False), Arg((2, 5), gen=_probe, grad=False)], grad=False)
spec("searchsorted_sorter", lambda L, s, v: L.searchsorted(s[0].flip(0), v, sorter=L.arange(4, -1, -1)),
     lambda s, v: _np_searchsorted(s[0], v),
     [Arg((2, 5), gen=_sorted_rows, grad=False), Arg((2, 5), gen=_probe, grad=False)], grad=False)
spec("bucketize", lambda L, v, s: L.bucketize(v, s[1]), lambda v, s: _np_searchsorted(s[1], v),
     [Arg((2, 5), gen=_probe, grad=False), Arg((2, 5), gen=_sorted_rows, grad=False)], grad=False)
spec("bucketize_right", lambda L, v, s: L.bucketize(v, s[0], right=True),
     lambda v, s: _np_searchsorted(s[0], v, "right"),
     [Arg((2, 5), gen=_probe, grad=False), Arg((2, 5), gen=_sorted_rows, grad=False)], grad=False)
spec("unique", lambda L, a: L.unique(a, return_inverse=True, return_counts=True),
     lambda a: np.unique(a, return_inverse=True, return_counts=True), [A(4, 6, dtype="int64", low=0, high=7)],
     grad=False)
spec("unique_values_only", lambda L, a: a.unique(), np.unique, [A(20, low=-1, high=1)], grad=False)
spec("unique_dim", lambda L, a: L.unique(a, dim=0, return_inverse=True, return_counts=True),
     lambda a: _np_unique_dim(a, 0), [A(8, 2, dtype="int64", low=0, high=2)], grad=False)
spec("unique_consecutive", lambda L, a: L.unique_consecutive(a, return_inverse=True, return_counts=True),
     _np_unique_consecutive, [A(30, dtype="int64", low=0, high=3)], grad=False)
spec("bincount", lambda L, a: L.bincount(a), np.bincount, [A(40, dtype="int64", low=0, high=9)], grad=False)
spec("bincount_weights_minlength", lambda L, a, w: a.bincount(w, minlength=12),
     lambda a, w: np.bincount(a, w, minlength=12).astype(w.dtype), [A(40, dtype="int64", low=0, high=9), A(40)],
     grad=False)
spec("histc", lambda L, a: L.histc(a, bins=7, min=-1.5, max=1.0),
     lambda a: np.histogram(a[(a >= -1.5) & (a <= 1.0)], 7, (-1.5, 1.0))[0].astype(a.dtype), [A(200)], grad=False)
spec("histc_own_range", lambda L, a: a.histc(5), lambda a: np.histogram(a, 5)[0].astype(a.dtype), [A(3, 50)],
     grad=False)


spec("affine_grid", lambda L, t: L.nn.functional.affine_grid(t, [2, 1, 3, 4], align_corners=False),
     lambda t: _np_affine_grid(t, [2, 1, 3, 4]), [A(2, 2, 3)])
spec("affine_grid_3d", lambda L, t: L.nn.functional.affine_grid(t, [2, 1, 2, 3, 4], align_corners=True),
     lambda t: _np_affine_grid(t, [2, 1, 2, 3, 4], align_corners=True), [A(2, 3, 4)])
spec("grid_sample", lambda L, x, g: L.nn.functional.grid_sample(x, g, align_corners=False), _np_grid_sample,
     [A(2, 3, 4, 5), A(2, 3, 4, 2, low=-1.2, high=1.2)])
# Every mode with every padding, align_corners both ways: 4-d bilinear, nearest and bicubic, 5-d trilinear and
# nearest (bicubic is 4-d only); the grid reaches past the border (reflection folds more than once). Nearest's
# grid has a zero gradient, not checked by finite differences.
for _mode, _x, _g in (("bilinear", (2, 2, 3, 4), (2, 2, 3, 2)), ("nearest", (2, 2, 3, 4), (2, 2, 3, 2)),
                      ("bicubic", (2, 2, 3, 4), (2, 2, 3, 2)), ("bilinear", (2, 2, 2, 3, 3), (2, 2, 2, 1, 3)),
                      ("nearest", (2, 2, 2, 3, 3), (2, 2, 2, 1, 3))):
    for _pad in ("zeros", "border", "reflection"):
        for _ac in (False, True):
            spec(f"grid_sample_{len(_x)}d_{_mode}_{_pad}" + "_align" * _ac,
                 lambda L, x, g, **kw: L.nn.functional.grid_sample(x, g, **kw), _np_grid_sample,
                 [A(*_x), A(*_g, low=-1.9, high=1.9, grad=_mode != "nearest")],
                 dict(mode=_mode, padding_mode=_pad, align_corners=_ac))

spec("histogram", lambda L, a: tuple(L.histogram(a, 6)), lambda a: tuple(x.astype(a.dtype) for x in np.histogram(a, 6)),
     [A(3, 40)], grad=False)
spec("histogram_range_weight_density",
     lambda L, a, w: tuple(a.histogram(5, range=(-1.0, 1.5), weight=w, density=True)),
     lambda a, w: tuple(x.astype(a.dtype) for x in np.histogram(a, 5, (-1.0, 1.5), weights=w, density=True)),
     [A(60), A(60, low=0.0, high=1.0)], grad=False)
spec("histogram_edges", lambda L, a, e: tuple(L.histogram(a, e)),
     lambda a, e: (np.histogram(a, e)[0].astype(a.dtype), e),
     [A(50), Arg((4,), gen=lambda rng: np.array([-1.5, -0.2, 0.4, 1.7]), grad=False)], grad=False)
spec("histogramdd", lambda L, a: (L.histogramdd(a, [3, 4]).hist, *L.histogramdd(a, [3, 4]).bin_edges),
     lambda a: tuple(x.astype(a.dtype) for x in (lambda h, e: (h, *e))(*np.histogramdd(a, [3, 4]))),
     [A(40, 2)], grad=False)
spec("histogramdd_range_weight_density",
     lambda L, a, w: L.histogramdd(a, 3, range=[-1.0, 1.0, -0.5, 1.5], weight=w, density=True).hist,
     lambda a, w: np.histogramdd(a, 3, [(-1.0, 1.0), (-0.5, 1.5)], weights=w, density=True)[0].astype(a.dtype),
     [A(60, 2), A(60, low=0.0, high=1.0)], grad=False)
spec("histogramdd_edges", lambda L, a, e0, e1: L.histogramdd(a, [e0, e1]).hist,
     lambda a, e0, e1: np.histogramdd(a.reshape(-1, 2), [e0, e1])[0].astype(a.dtype),
     [A(4, 10, 2), Arg((4,), gen=lambda rng: np.array([-1.5, -0.2, 0.4, 1.7]), grad=False),
      Arg((3,), gen=lambda rng: np.array([-1.0, 0.0, 1.0]), grad=False)], grad=False)
for _red in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        spec(f"scatter_reduce_{_red}" + ("" if _inc else "_exclude_self"),
             lambda L, x, i, s, r=_red, inc=_inc: x.scatter_reduce(1, i, s, r, include_self=inc),
             lambda x, i, s, r=_red, inc=_inc: _np_scatter_reduce(x, i, s, r, inc),
             [A(2, 4, low=0.5, high=2.0), Arg((2, 4), gen=_scatter_index), A(2, 4, low=0.5, high=2.0)])
spec("scatter_reduce_amax_ties", lambda L, x, i, s: L.scatter_reduce(x, 1, i, s, "amax"),
     lambda x, i, s: _np_scatter_reduce(x, i, s, "amax"),
     [Arg((2, 4), gen=lambda rng: np.array([[2.0, 1.0, 3.0, 0.0], [1.0, 1.0, 1.0, 1.0]])),
      Arg((2, 4), gen=_scatter_index),
      Arg((2, 4), gen=lambda rng: np.array([[2.0, 0.0, 1.0, 3.0], [1.0, 0.5, 1.0, 1.0]]))], gradgrad=False)
spec("scatter_reduce_prod_zeros", lambda L, x, i, s: L.scatter_reduce(x, 1, i, s, "prod"),
     lambda x, i, s: _np_scatter_reduce(x, i, s, "prod"),
     [Arg((2, 4), gen=lambda rng: np.array([[0.0, 1.5, 2.0, 1.0], [1.0, -1.0, 0.5, 2.0]])),
      Arg((2, 4), gen=_scatter_index), Arg((2, 4), gen=_prod_zero)])
spec("scatter_reduce_inplace", lambda L, x, i, s: (x * 1).scatter_reduce_(1, i, s, "mean"),
     lambda x, i, s: _np_scatter_reduce(x, i, s, "mean"), [A(2, 4), Arg((2, 4), gen=_scatter_index), A(2, 4)])
spec("median_all", lambda L, a: L.median(a), lambda a: np.sort(a.ravel())[(a.size - 1) // 2], [A(4, 5)])
spec("nanmedian_all", lambda L, a: a.nanmedian(), lambda a: np.sort(a.ravel())[(a.size - 1) // 2], [A(3, 3)])
spec("median_dim", lambda L, a: tuple(L.median(a, 1)), lambda a: _np_lower_median(a, 1), [A(3, 6, 2)])
spec("median_dim_keepdim", lambda L, a: tuple(a.median(0, keepdim=True)),
     lambda a: tuple(np.expand_dims(r, 0) for r in _np_lower_median(a, 0)), [A(5, 3)])
spec("nanmedian_dim", lambda L, a: tuple(L.nanmedian(a, -1)), lambda a: _np_lower_median(a, -1), [A(4, 7)])
spec("mode", lambda L, a: L.mode(a).values, _np_mode_values, [Arg((3, 6), gen=_mode_rows)], grad=False)
spec("mode_float", lambda L, a: tuple(L.mode(a, 0, keepdim=True)),
     lambda a: (a.min(0, keepdims=True), a.argmin(0)[None]), [A(5, 3)])
for _interp in ("linear", "lower", "higher", "midpoint", "nearest"):
    spec(f"quantile_{_interp}", lambda L, a, m=_interp: L.quantile(a, L.tensor([0.0, 0.25, 0.6, 1.0], dtype=a.dtype),
                                                                   dim=1, interpolation=m),
         lambda a, m=_interp: np.quantile(a, [0.0, 0.25, 0.6, 1.0], axis=1, method=m), [A(3, 7, 2)])
spec("quantile_scalar_all", lambda L, a: L.quantile(a, 0.3), lambda a: np.quantile(a, 0.3), [A(4, 5)])
spec("quantile_keepdim", lambda L, a: a.quantile(0.7, 0, keepdim=True),
     lambda a: np.quantile(a, 0.7, axis=0, keepdims=True), [A(6, 3)])
spec("nanquantile", lambda L, a: L.nanquantile(a, L.tensor([0.2, 0.9], dtype=a.dtype), dim=0),
     lambda a: np.nanquantile(a, [0.2, 0.9], axis=0), [A(5, 4)])
spec("cummax", lambda L, a: tuple(L.cummax(a, 1)), lambda a: _np_cum_extreme(a, 1, False), [A(3, 6, 2)])
spec("cummin", lambda L, a: tuple(a.cummin(0)), lambda a: _np_cum_extreme(a, 0, True), [A(5, 3)])
spec("cummax_int", lambda L, a: tuple(a.cummax(-1)), lambda a: _np_cum_extreme(a, -1, False),
     [A(3, 8, dtype="int64", low=0, high=4)], grad=False)
spec("logcumsumexp", lambda L, a: L.logcumsumexp(a, 1), lambda a: np.logaddexp.accumulate(a, 1), [A(3, 5, 2)])
spec("logcumsumexp_dim0", lambda L, a: a.logcumsumexp(0), lambda a: np.logaddexp.accumulate(a, 0),
     [A(6, 3, low=-30, high=30)])

spec("einsum_batch", lambda L, a, b: L.einsum("bij,bjk->bki", a, b), lambda a, b: np.einsum("bij,bjk->bki", a, b),
     [A(2, 3, 4), A(2, 4, 5)])
spec("einsum_trace", lambda L, a: L.einsum("ii", a), lambda a: np.einsum("ii", a), [A(3, 3)])
spec("einsum_diagonal", lambda L, a: L.einsum("ii->i", a), lambda a: np.einsum("ii->i", a), [A(3, 3)])
spec("einsum_sum", lambda L, a: L.einsum("ij->", a), lambda a: np.einsum("ij->", a), [A(3, 4)])
spec("einsum_transpose", lambda L, a: L.einsum("ijk->kji", a), lambda a: np.einsum("ijk->kji", a), [A(2, 3, 4)])
spec("einsum_outer", lambda L, a, b: L.einsum("i,j->ij", a, b), lambda a, b: np.einsum("i,j->ij", a, b), [A(3), A(4)])
spec("einsum_dot", lambda L, a, b: L.einsum("i,i", a, b), lambda a, b: np.einsum("i,i", a, b), [A(5), A(5)])
spec("einsum_ellipsis", lambda L, a, b: L.einsum("...ij,...jk->...ik", a, b),
     lambda a, b: np.einsum("...ij,...jk->...ik", a, b), [A(2, 3, 4), A(1, 4, 2)])
spec("einsum_ellipsis_implicit", lambda L, a: L.einsum("i...->...", a), lambda a: np.einsum("i...->...", a),
     [A(3, 2, 4)])
spec("einsum_three", lambda L, a, b, c: L.einsum("ij,jk,kl->il", a, b, c),
     lambda a, b, c: np.einsum("ij,jk,kl->il", a, b, c), [A(2, 3), A(3, 4), A(4, 2)])
spec("einsum_bilinear", lambda L, a, w, b: L.einsum("bn,anm,bm->ba", [a, w, b]),
     lambda a, w, b: np.einsum("bn,anm,bm->ba", a, w, b), [A(2, 3), A(4, 3, 5), A(2, 5)])
spec("einsum_broadcast_one", lambda L, a, b: L.einsum("ij,ij->i", a, b), lambda a, b: np.einsum("ij,ij->i", a, b),
     [A(3, 4), A(1, 4)])
spec("einsum_sum_one_side", lambda L, a, b: L.einsum("ij,kl->il", a, b), lambda a, b: np.einsum("ij,kl->il", a, b),
     [A(2, 3), A(4, 5)])
spec("einsum_int", lambda L, a, b: L.einsum("ij,j->i", a, b), lambda a, b: np.einsum("ij,j->i", a, b),
     [A(3, 4, dtype="int64", low=-4, high=4), A(4, dtype="int64", low=-4, high=4)], grad=False)

# ---- torch-level composites (cpp/ops/composite_math.cpp, composite_shape.cpp, pad.cpp) ---------------


def _nan_gen(rng):
    a = rng.uniform(-2, 2, size=(3, 5))
    a[0, 1] = a[2, 3] = np.nan
    return a


def _nonfinite_gen(rng):
    a = rng.uniform(-2, 2, size=(2, 5))
    a[0, 0], a[0, 1], a[1, 2] = np.nan, np.inf, -np.inf
    return a


def _zeros_gen(rng):
    a = rng.uniform(-2, 2, size=(4, 5))
    a[rng.random((4, 5)) < 0.4] = 0
    return a


def _away(low, high):  # values in [low, high] with random signs: away from the kinks of |x| and max ties
    return lambda rng, shape: rng.uniform(low, high, size=shape) * rng.choice([-1, 1], size=shape)


def _L(L, name):
    mod = L
    for part in name.split("."):
        mod = getattr(mod, part)
    return mod


spec("norm_fro", lambda L, a: L.norm(a), lambda a: np.sqrt((a * a).sum()), [A(3, 4)])
spec("norm_p1_dim", lambda L, a: L.norm(a, 1, dim=1), lambda a: np.abs(a).sum(1), [A(3, 4)])
spec("norm_method_p3_keepdim", lambda L, a: a.norm(p=3, dim=(0, 2), keepdim=True),
     lambda a: _np_vnorm(a, 3, (0, 2), True), [A(2, 3, 4)])
spec("norm_inf", lambda L, a: L.norm(a, p=float("inf"), dim=0), lambda a: np.abs(a).max(0),
     [Arg((4, 3), gen=lambda rng: rng.permutation(12).reshape(4, 3) - 5.5)])
for _p in (2.0, 1.0, 0.5, 3.0, 0.0):
    spec("linalg_vector_norm", lambda L, a, p: _L(L, "linalg.vector_norm")(a, ord=p, dim=-1),
         lambda a, p: _np_vnorm(a, p, -1), [A(3, 5)], kwargs=dict(p=_p), id=f"linalg_vector_norm_{_p}",
         grad=_p != 0.0)  # ord 0 counts: PyTorch's result has no grad_fn
spec("linalg_vector_norm_all_dtype", lambda L, a: _L(L, "linalg.vector_norm")(a, dtype=L.float64),
     lambda a: np.sqrt((a.astype(np.float64) ** 2).sum()), [A(2, 3, 2)])
for _o in ("fro", 1, -1, math.inf, -math.inf, 2, -2, "nuc"):
    spec("linalg_matrix_norm", lambda L, a, o: _L(L, "linalg.matrix_norm")(a, ord=o),
         lambda a, o: np.stack([np.linalg.norm(m, o) for m in a]), [A(2, 3, 4)], kwargs=dict(o=_o),
         id=f"linalg_matrix_norm_{_o}")
spec("linalg_matrix_norm_dims_keepdim", lambda L, a: _L(L, "linalg.matrix_norm")(a, 1, dim=(0, 2), keepdim=True),
     lambda a: np.abs(a).sum(0, keepdims=True).max(2, keepdims=True), [A(3, 2, 4)])
spec("linalg_norm_default", lambda L, a: _L(L, "linalg.norm")(a), lambda a: np.sqrt((a * a).sum()), [A(2, 3, 4)])
spec("linalg_norm_vector_ord", lambda L, a: _L(L, "linalg.norm")(a, 3), lambda a: _np_vnorm(a, 3), [A(5)])
spec("linalg_norm_matrix_inf", lambda L, a: _L(L, "linalg.norm")(a, math.inf), lambda a: np.linalg.norm(a, np.inf),
     [A(3, 4)])
spec("linalg_norm_dim_pair", lambda L, a: _L(L, "linalg.norm")(a, dim=(1, 2)),
     lambda a: np.sqrt((a * a).sum((1, 2))), [A(2, 3, 4)])
for _p, _n in ((2.0, 4), (2.0, 30), (1.0, 4), (3.0, 4), (math.inf, 4), (0.0, 4)):
    spec("cdist", lambda L, a, b, p: L.cdist(a, b, p=p), lambda a, b, p: _np_cdist(a, b, p), [A(2, _n, 3), A(2, 5, 3)],
         kwargs=dict(p=_p), id=f"cdist_p{_p}_{_n}", atol=1e-4, torch_gradgrad=_n > 25)  # ATen's _cdist_backward
    # is once differentiable; the matmul path's (more than 25 rows) is built from ops there too. p = 0 counts the
    # differing coordinates: piecewise constant, its gradient is zeros (the finite differences' too)
spec("cdist_mm_broadcast", lambda L, a, b: L.cdist(a, b, compute_mode="use_mm_for_euclid_dist"), _np_cdist,
     [A(2, 1, 4, 3), A(3, 5, 3)], atol=1e-4)
spec("addmm", lambda L, c, a, b: L.addmm(c, a, b, beta=0.5, alpha=2.0), lambda c, a, b: 0.5 * c + 2 * a @ b,
     [A(4), A(3, 2), A(2, 4)])
spec("addmm_method_default", lambda L, c, a, b: c.addmm(a, b), lambda c, a, b: c + a @ b, [A(3, 4), A(3, 2), A(2, 4)])
spec("addmv", lambda L, c, a, b: L.addmv(c, a, b, alpha=-1.5), lambda c, a, b: c - 1.5 * a @ b, [A(3), A(3, 4), A(4)])
spec("addbmm", lambda L, c, a, b: L.addbmm(c, a, b, beta=2), lambda c, a, b: 2 * c + (a @ b).sum(0),
     [A(3, 5), A(2, 3, 4), A(2, 4, 5)])
spec("baddbmm", lambda L, c, a, b: L.baddbmm(c, a, b, beta=0.25, alpha=3), lambda c, a, b: 0.25 * c + 3 * (a @ b),
     [A(1, 3, 5), A(2, 3, 4), A(2, 4, 5)])
spec("addcmul", lambda L, x, a, b: L.addcmul(x, a, b, value=-0.5), lambda x, a, b: x - 0.5 * a * b,
     [A(3, 4), A(4), A(3, 1)])
spec("addcdiv", lambda L, x, a, b: x.addcdiv(a, b, value=2), lambda x, a, b: x + 2 * a / b,
     [A(3, 4), A(3, 4), Arg((3, 4), gen=lambda rng: _away(0.5, 2)(rng, (3, 4)))])
spec("logaddexp", lambda L, a, b: L.logaddexp(a, b), np.logaddexp, [A(3, 4), A(4)])
spec("logaddexp2", lambda L, a, b: a.logaddexp2(b), np.logaddexp2, [A(3, 4), A(3, 1)])
spec("hypot", lambda L, a, b: L.hypot(a, b), np.hypot, [A(3, 4), A(3, 4)])
spec("copysign", lambda L, a, b: L.copysign(a, b), np.copysign,
     [Arg((3, 4), gen=lambda rng: _away(0.2, 2)(rng, (3, 4))), A(4, grad=False)])  # the sign's gradient is 0
spec("copysign_int", lambda L, a, b: L.copysign(a, b), lambda a, b: np.copysign(a, b).astype(np.float32),
     [A(3, 4, dtype="int64", low=-5, high=5), A(4, dtype="int64", low=-5, high=5)], grad=False)
spec("signbit", lambda L, a: L.signbit(a), np.signbit,
     [Arg((6,), gen=lambda rng: np.array([-1.0, -0.0, 0.0, 2.0, -np.inf, np.inf]))], grad=False)
spec("xlogy", lambda L, a, b: L.xlogy(a, b), _np_xlogy, [A(3, 4), A(3, 4, low=0.2, high=3)])
# x == 0 gives 0 (and, as in PyTorch, a zero gradient, which finite differences do not see)
spec("xlogy_zeros", lambda L, a, b: L.xlogy(a, b), _np_xlogy,
     [Arg((3, 4), gen=lambda rng: np.where(rng.random((3, 4)) < 0.3, 0.0, rng.uniform(-2, 2, (3, 4)))),
      A(3, 4, low=0.2, high=3)], grad=False)
spec("special_entr", lambda L, a: _L(L, "special.entr")(a), lambda a: -a * np.log(a), [A(3, 4, low=0.1, high=2)])
spec("sinc", lambda L, a: L.sinc(a), np.sinc, [A(3, 4)])
spec("heaviside", lambda L, a, v: L.heaviside(a, v), np.heaviside,
     [Arg((6,), gen=lambda rng: np.array([-1.5, 0.0, 2.0, 0.0, 3.0, -0.0])), A(6)], grad=False)
spec("nan_to_num", lambda L, a: L.nan_to_num(a, nan=1.5, posinf=9.0), lambda a: np.nan_to_num(a, nan=1.5, posinf=9.0),
     [Arg((2, 5), gen=_nonfinite_gen)], grad=False)
spec("nan_to_num_defaults", lambda L, a: a.nan_to_num(), np.nan_to_num, [Arg((2, 5), gen=_nonfinite_gen)], grad=False)
spec("nan_to_num_grad", lambda L, a: L.nan_to_num(a), np.nan_to_num, [A(3, 4)])
spec("clamp_min", lambda L, a: L.clamp_min(a, 0.25), lambda a: np.maximum(a, 0.25),
     [Arg((3, 4), gen=lambda rng: _away(0.5, 2)(rng, (3, 4)))])
spec("clamp_max_method", lambda L, a: a.clamp_max(-0.25), lambda a: np.minimum(a, -0.25),
     [Arg((3, 4), gen=lambda rng: _away(0.5, 2)(rng, (3, 4)))])
spec("count_nonzero", lambda L, a: L.count_nonzero(a), np.count_nonzero, [Arg((4, 5), gen=_zeros_gen)], grad=False)
spec("count_nonzero_dims", lambda L, a: a.count_nonzero(dim=(0,)), lambda a: np.count_nonzero(a, axis=0),
     [Arg((4, 5), gen=_zeros_gen)], grad=False)
spec("nansum", lambda L, a: L.nansum(a, 1), lambda a: np.nansum(a, 1), [Arg((3, 5), gen=_nan_gen)], grad=False)
spec("nansum_grad", lambda L, a: a.nansum(), np.nansum, [A(3, 4)])
spec("nanmean", lambda L, a: L.nanmean(a, dim=1, keepdim=True), lambda a: np.nanmean(a, 1, keepdims=True),
     [Arg((3, 5), gen=_nan_gen)], grad=False)
spec("nanmean_grad", lambda L, a: a.nanmean(0), lambda a: np.nanmean(a, 0), [A(3, 4)])
spec("var_mean", lambda L, a: L.var_mean(a, 1), lambda a: (a.var(1, ddof=1), a.mean(1)), [A(3, 5)])
spec("var_mean_correction", lambda L, a: L.var_mean(a, dim=(0, 1), correction=0, keepdim=True),
     lambda a: (a.var((0, 1), keepdims=True), a.mean((0, 1), keepdims=True)), [A(3, 4, 2)])
spec("std_mean_unbiased", lambda L, a: L.std_mean(a, False), lambda a: (a.std(), a.mean()), [A(3, 5)])
spec("aminmax", lambda L, a: tuple(L.aminmax(a)), lambda a: (a.min(), a.max()), [A(3, 5)])
spec("aminmax_dim", lambda L, a: tuple(a.aminmax(dim=1, keepdim=True)),
     lambda a: (a.min(1, keepdims=True), a.max(1, keepdims=True)), [A(3, 5)])
spec("renorm", lambda L, a: L.renorm(a, 2, 0, 1.0), lambda a: a * np.where(
    (n := np.sqrt((a * a).sum((1, 2), keepdims=True))) > 1.0, 1.0 / (n + 1e-7), 1.0), [A(4, 3, 2)])
spec("diff", lambda L, a: L.diff(a), lambda a: np.diff(a), [A(3, 5)])
spec("diff_n2_dim0_prepend_append", lambda L, a, b, c: L.diff(a, n=2, dim=0, prepend=b, append=c),
     lambda a, b, c: np.diff(a, n=2, axis=0, prepend=b, append=c), [A(3, 4), A(1, 4), A(2, 4)])
spec("diff_bool", lambda L, a: a.diff(), lambda a: np.diff(a), [A(3, 6, dtype="bool")], grad=False)
spec("meshgrid_ij", lambda L, a, b, c: L.meshgrid(a, b, c, indexing="ij"),
     lambda a, b, c: tuple(np.meshgrid(a, b, c, indexing="ij")), [A(2), A(3), A(4)])
spec("meshgrid_xy_list", lambda L, a, b: L.meshgrid([a, b], indexing="xy"),
     lambda a, b: tuple(np.meshgrid(a, b, indexing="xy")), [A(2), A(3)])
spec("broadcast_tensors", lambda L, a, b: L.broadcast_tensors(a, b), lambda a, b: tuple(np.broadcast_arrays(a, b)),
     [A(3, 1), A(4)])
spec("cartesian_prod", lambda L, a, b: L.cartesian_prod(a, b),
     lambda a, b: np.stack([x.ravel() for x in np.meshgrid(a, b, indexing="ij")], 1), [A(2), A(3)])
spec("block_diag", lambda L, a, b, c: L.block_diag(a, b, c), _np_block_diag, [A(2, 3), A(4), A(1, 2)])
spec("kron", lambda L, a, b: L.kron(a, b), np.kron, [A(2, 3), A(3, 2)])
spec("kron_ndim", lambda L, a, b: a.kron(b), np.kron, [A(2, 1, 3), A(3, 2)])
spec("tensordot_int", lambda L, a, b: L.tensordot(a, b, dims=2), lambda a, b: np.tensordot(a, b, 2),
     [A(3, 4, 5), A(4, 5, 2)])
spec("tensordot_lists", lambda L, a, b: L.tensordot(a, b, dims=([0, 2], [1, 0])),
     lambda a, b: np.tensordot(a, b, ([0, 2], [1, 0])), [A(3, 4, 5), A(5, 3, 2)])
spec("cross", lambda L, a, b: L.cross(a, b, dim=1), lambda a, b: np.cross(a, b, axis=1), [A(2, 3, 4), A(2, 3, 4)])
spec("linalg_cross_broadcast", lambda L, a, b: _L(L, "linalg.cross")(a, b), lambda a, b: np.cross(a, b),
     [A(4, 3), A(1, 3)])
for _k in (1, 2, 3, -1):
    spec("rot90", lambda L, a, k: L.rot90(a, k, [1, 2]), lambda a, k: np.rot90(a, k, (1, 2)), [A(2, 3, 4)],
         kwargs=dict(k=_k), id=f"rot90_{_k}")
# PyTorch's own vander backward raises (its cumprod output is modified in place): no comparison.
spec("vander", lambda L, a: L.vander(a), np.vander, [A(4)], torch=False)
spec("vander_increasing_N", lambda L, a: L.vander(a, N=3, increasing=True), lambda a: np.vander(a, 3, True), [A(5)],
     torch=False)
spec("tensor_split_sections", lambda L, a: L.tensor_split(a, 3, dim=1), lambda a: tuple(np.array_split(a, 3, 1)),
     [A(2, 7)])
spec("tensor_split_indices", lambda L, a: a.tensor_split([1, 4]), lambda a: tuple(np.split(a, [1, 4])), [A(6, 2)])
spec("narrow_copy", lambda L, a: L.narrow_copy(a, 1, 1, 2), lambda a: a[:, 1:3], [A(3, 4)])
for _mode in ("reflect", "replicate", "circular"):
    for _pad, _shape in (((2, 1), (2, 3, 5)), ((1, 2, 2, 0), (2, 2, 4, 3)), ((1, 1, 0, 2, 2, 1), (1, 2, 3, 3, 4))):
        spec("pad_mode", lambda L, a, pad, mode: _F(L).pad(a, pad, mode), _np_pad, [A(*_shape)],
             kwargs=dict(pad=_pad, mode=_mode), id=f"pad_{_mode}_{len(_pad) // 2}d")
spec("pad_reflect_negative", lambda L, a: _F(L).pad(a, (-1, 2), "reflect"), lambda a: _np_pad(a[..., 1:], (0, 2),
     "reflect"), [A(2, 5)])
spec("unfold", lambda L, a: _F(L).unfold(a, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
     lambda a: _np_unfold(a, (2, 3), (1, 2), 1, (2, 1)), [A(2, 3, 5, 6)])
spec("unfold_module_unbatched", lambda L, a: L.nn.Unfold(2)(a), lambda a: _np_unfold(a[None], 2)[0], [A(2, 4, 3)])
spec("fold", lambda L, a: _F(L).fold(a, (5, 6), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1)),
     lambda a: _np_fold(a, (5, 6), (2, 3), (1, 2), 1, (2, 1)), [A(2, 18, 12)])
spec("fold_module", lambda L, a: L.nn.Fold((4, 4), 2, stride=2)(a), lambda a: _np_fold(a, (4, 4), 2, 1, 0, 2),
     [A(1, 8, 4)])
spec("lp_pool2d", lambda L, a: L.nn.LPPool2d(2, 2)(a), lambda a: _np_lp_pool2d(a, 2, 2), [A(1, 2, 4, 5, low=0.5)])
spec("lp_pool1d", lambda L, a: _F(L).lp_pool1d(a, 3, 2),
     lambda a: ((a[..., :4].reshape(1, 2, 2, 2) ** 3).sum(-1)) ** (1 / 3), [A(1, 2, 5, low=0.5)])
spec("channel_shuffle", lambda L, a: L.nn.ChannelShuffle(3)(a),
     lambda a: a.reshape(2, 3, 2, 4).transpose(0, 2, 1, 3).reshape(2, 6, 4), [A(2, 6, 4)])
spec("gcd", lambda L, a, b: L.gcd(a, b), np.gcd, [A(3, 4, dtype="int64", low=-30, high=30), A(4, dtype="int64", low=-30,
     high=30)], grad=False)
spec("lcm", lambda L, a, b: a.lcm(b), np.lcm, [A(3, 4, dtype="int64", low=-12, high=12), A(3, 4, dtype="int64", low=-12,
     high=12)], grad=False)

# ---------------------------------------------------------------------------------------------
# 3-D convolution, pooling and batch norm (references: tests/numpy_ref3d.py)
# ---------------------------------------------------------------------------------------------
from numpy_ref3d import (  # noqa: E402
    np_adaptive3d,
    np_avg_pool3d,
    np_conv3d,
    np_conv_transpose3d,
    np_max_pool3d,
    np_max_unpool3d,
)

for _name, _args, _kw in [
    ("conv3d-basic", [A(2, 2, 4, 5, 3), A(3, 2, 2, 3, 2), A(3)], {}),
    ("conv3d-stride-pad-dilation", [A(1, 2, 6, 5, 7), A(2, 2, 3, 2, 3), A(2)],
     {"stride": (2, 1, 2), "padding": (1, 0, 2), "dilation": (1, 2, 1)}),
    ("conv3d-groups-unbatched", [A(4, 3, 4, 4), A(4, 2, 2, 2, 2), A(4)], {"groups": 2, "padding": 1}),
    ("conv3d-same", [A(1, 2, 3, 4, 3), A(2, 2, 2, 3, 2), A(2)], {"padding": "same"}),
    ("conv3d-depthwise-1x1-valid", [A(2, 3, 3, 2, 3), A(3, 1, 1, 1, 1), A(3)], {"groups": 3, "padding": "valid"}),
    ("conv3d-kernel-eq-input", [A(2, 2, 2, 3, 2), A(3, 2, 2, 3, 2), A(3)], {}),
]:
    spec("conv3d", lambda L, x, w, b, **k: L.nn.functional.conv3d(x, w, b, **k), np_conv3d, _args, kwargs=_kw,
         id=_name, atol=1e-4, rtol=1e-4)
for _name, _args, _kw in [
    ("conv_transpose3d-basic", [A(2, 2, 2, 3, 2), A(2, 3, 2, 2, 3), A(3)], {}),
    ("conv_transpose3d-stride-outpad-groups", [A(1, 4, 2, 3, 2), A(4, 1, 3, 2, 2), A(2)],
     {"stride": (2, 3, 2), "padding": (1, 0, 1), "output_padding": (1, 2, 0), "groups": 2}),
    ("conv_transpose3d-dilation-unbatched", [A(2, 2, 3, 2), A(2, 2, 2, 2, 2), A(2)], {"dilation": 2, "stride": 2}),
]:
    spec("conv_transpose3d", lambda L, x, w, b, **k: L.nn.functional.conv_transpose3d(x, w, b, **k),
         np_conv_transpose3d, _args, kwargs=_kw, id=_name, atol=1e-4, rtol=1e-4)

spec("max_pool3d", lambda L, x: _F(L).max_pool3d(x, 2), lambda x: np_max_pool3d(x, 2), [_distinct(2, 2, 4, 4, 6)])
spec("max_pool3d_module_pad_dil_ceil", lambda L, x: L.nn.MaxPool3d((3, 2, 2), (2, 1, 2), (1, 0, 1), (1, 2, 1),
                                                                    ceil_mode=True)(x),
     lambda x: np_max_pool3d(x, (3, 2, 2), (2, 1, 2), (1, 0, 1), (1, 2, 1), True), [_distinct(3, 5, 5, 4)])
spec("max_pool3d_indices", lambda L, x: _F(L).max_pool3d(x, 3, 2, 1, return_indices=True)[1],
     lambda x: np_max_pool3d(x, 3, 2, 1, return_indices=True)[1], [_distinct(1, 2, 5, 4, 6)], grad=False)
spec("avg_pool3d", lambda L, x: _F(L).avg_pool3d(x, 2), lambda x: np_avg_pool3d(x, 2), [A(2, 2, 4, 5, 4)])
spec("avg_pool3d_pad_exclude_ceil", lambda L, x: _F(L).avg_pool3d(x, 3, 2, 1, True, count_include_pad=False),
     lambda x: np_avg_pool3d(x, 3, 2, 1, True, count_include_pad=False), [A(1, 2, 5, 4, 6)])
spec("avg_pool3d_module_divisor_unbatched", lambda L, x: L.nn.AvgPool3d((2, 3, 2), 1, (1, 1, 0),
                                                                        divisor_override=3)(x),
     lambda x: np_avg_pool3d(x, (2, 3, 2), 1, (1, 1, 0), divisor_override=3), [A(2, 3, 4, 3)])
spec("adaptive_avg_pool3d", lambda L, x: _F(L).adaptive_avg_pool3d(x, (2, 3, 2)),
     lambda x: np_adaptive3d(x, (2, 3, 2), np.mean), [A(2, 2, 5, 7, 3)])
spec("adaptive_avg_pool3d_module_global", lambda L, x: L.nn.AdaptiveAvgPool3d(1)(x),
     lambda x: np_adaptive3d(x, 1, np.mean), [A(2, 3, 3, 4, 2)])
spec("adaptive_max_pool3d", lambda L, x: _F(L).adaptive_max_pool3d(x, (3, 2, 4)),
     lambda x: np_adaptive3d(x, (3, 2, 4), np.max), [_distinct(2, 2, 5, 4, 6)])
spec("adaptive_max_pool3d_module_unbatched_up", lambda L, x: L.nn.AdaptiveMaxPool3d(3)(x),
     lambda x: np_adaptive3d(x, 3, np.max), [_distinct(2, 2, 3, 2)])
spec("max_unpool3d", lambda L, x: _F(L).max_unpool3d(*_F(L).max_pool3d(x, 2, return_indices=True), 2),
     np_max_unpool3d, [_distinct(2, 2, 4, 2, 4)])
spec("batch_norm_train_5d", lambda L, x, w, b: _F(L).batch_norm(x, None, None, w, b, training=True),
     lambda x, w, b: np_batch_norm(x, None, None, w, b, True), [A(3, 2, 3, 2, 3), A(2), A(2)])
spec("batch_norm_eval_5d", lambda L, x, m, v, w, b: _F(L).batch_norm(x, m, v, w, b, eps=1e-3),
     lambda x, m, v, w, b: np_batch_norm(x, m, v, w, b, False, eps=1e-3),
     [A(2, 3, 2, 3, 2), A(3, grad=False), A(3, low=0.5, grad=False), A(3), A(3)])
spec("lp_pool3d", lambda L, a: L.nn.LPPool3d(2, (2, 1, 2), stride=1)(a),
     lambda a: np.sqrt(np_avg_pool3d(a ** 2, (2, 1, 2), 1) * 4), [A(1, 2, 3, 3, 4, low=0.5)])

# ---------------------------------------------------------------------------------------------
# linalg factorizations (LAPACK). Inputs are drawn well-conditioned; a factor defined only up to the sign of
# each vector (svd, eigh) is compared and differentiated through gauge-invariant functions of it, as PyTorch's
# OpInfos do. Functions that read one triangle get a symmetric input built inside fn, so the finite
# differences see what the gradient formula assumes.

def _mat(*shape, shift=3.0):
    """Square matrices with `shift` added to the diagonal: well away from singular."""
    return Arg(shape, gen=lambda rng: rng.uniform(-1, 1, shape) + shift * np.eye(shape[-1]))


def _mT(x):
    return x.transpose(-2, -1)


def _spd(L, a):
    return a @ _mT(a) + 3 * L.eye(a.shape[-1], dtype=a.dtype)


def _sym(a):
    return (a + _mT(a)) / 2


def _svd_inv(L, a, full):  # the gauge-invariant parts: S, U Vh over the leading k columns, |U|, |Vh|
    U, S, Vh = _L(L, "linalg.svd")(a, full_matrices=full)
    k = S.shape[-1]
    U, Vh = U[..., :k], Vh[..., :k, :]
    return S, U @ Vh, U.abs(), Vh.abs()


def _eigh_inv(L, a, uplo):
    w, v = _L(L, "linalg.eigh")(_sym(a), UPLO=uplo)
    return w, v.abs(), (v * w.unsqueeze(-2)) @ _mT(v)


spec("linalg_inv", lambda L, a: _L(L, "linalg.inv")(a), np.linalg.inv, [_mat(2, 4, 4)])
spec("inverse_method", lambda L, a: a.inverse(), np.linalg.inv, [_mat(3, 3)])
spec("linalg_inv_ex", lambda L, a: _L(L, "linalg.inv_ex")(a).inverse, np.linalg.inv, [_mat(3, 3)])
spec("linalg_solve", lambda L, a, b: _L(L, "linalg.solve")(a, b), np.linalg.solve, [_mat(2, 3, 3), A(2, 3, 2)])
spec("linalg_solve_vector", lambda L, a, b: _L(L, "linalg.solve")(a, b), np.linalg.solve, [_mat(3, 3), A(3)])
spec("linalg_solve_batched_vector", lambda L, a, b: _L(L, "linalg.solve")(a, b),
     lambda a, b: np.linalg.solve(a, b[..., None])[..., 0], [_mat(2, 3, 3), A(2, 3)])
spec("linalg_solve_broadcast", lambda L, a, b: _L(L, "linalg.solve")(a, b), np.linalg.solve,
     [_mat(1, 3, 3), A(2, 3, 4)])
spec("linalg_solve_right", lambda L, a, b: _L(L, "linalg.solve")(a, b, left=False), _np_solve_right,
     [_mat(3, 3), A(2, 4, 3)])
spec("linalg_solve_ex", lambda L, a, b: _L(L, "linalg.solve_ex")(a, b).result, np.linalg.solve,
     [_mat(3, 3), A(3, 2)])
for _up, _left, _unit in ((True, True, False), (False, True, False), (True, False, False), (False, False, True)):
    spec("linalg_solve_triangular",
         lambda L, a, b, up, left, unit: _L(L, "linalg.solve_triangular")(a, b, upper=up, left=left,
                                                                          unitriangular=unit),
         lambda a, b, up, left, unit: (np.linalg.solve if left else _np_solve_right)(
             (np.triu(a, 1 if unit else 0) if up else np.tril(a, -1 if unit else 0)) + (np.eye(3) if unit else 0), b),
         [_mat(2, 3, 3), A(2, 3, 2) if _left else A(2, 2, 3)], kwargs=dict(up=_up, left=_left, unit=_unit),
         id=f"linalg_solve_triangular_{'upper' if _up else 'lower'}_{'left' if _left else 'right'}"
            f"{'_unit' if _unit else ''}")
spec("linalg_det", lambda L, a: _L(L, "linalg.det")(a), np.linalg.det, [A(2, 3, 3)])
spec("det_method", lambda L, a: a.det(), np.linalg.det, [A(4, 4)])
spec("linalg_slogdet", lambda L, a: tuple(_L(L, "linalg.slogdet")(a)), np.linalg.slogdet, [A(2, 3, 3)])
spec("slogdet", lambda L, a: tuple(L.slogdet(a)), np.linalg.slogdet, [A(3, 3)])
spec("logdet", lambda L, a: L.logdet(a), lambda a: np.log(np.linalg.det(a)), [_mat(2, 3, 3)])
spec("linalg_cholesky", lambda L, a: _L(L, "linalg.cholesky")(_spd(L, a)), lambda a: np.linalg.cholesky(_np_spd(a)),
     [A(2, 3, 3)])
spec("linalg_cholesky_upper", lambda L, a: _L(L, "linalg.cholesky")(_spd(L, a), upper=True),
     lambda a: _np_mT(np.linalg.cholesky(_np_spd(a))), [A(4, 4)])
spec("cholesky_old", lambda L, a: L.cholesky(_spd(L, a)), lambda a: np.linalg.cholesky(_np_spd(a)), [A(3, 3)])
spec("linalg_cholesky_ex", lambda L, a: _L(L, "linalg.cholesky_ex")(_spd(L, a)).L,
     lambda a: np.linalg.cholesky(_np_spd(a)), [A(3, 3)])
for _shape, _mode in (((4, 3), "reduced"), ((2, 3, 4), "reduced"), ((3, 3), "complete"), ((3, 5), "complete")):
    spec("linalg_qr", lambda L, a, mode: tuple(_L(L, "linalg.qr")(a, mode=mode)),
         lambda a, mode: np.linalg.qr(a, mode=mode), [A(*_shape)], kwargs=dict(mode=_mode),
         id=f"linalg_qr_{_mode}_{'x'.join(map(str, _shape))}")
spec("linalg_qr_r", lambda L, a: _L(L, "linalg.qr")(a, mode="r").R, lambda a: np.linalg.qr(a, mode="r"), [A(4, 3)],
     grad=False)
spec("qr_old", lambda L, a: tuple(L.qr(a)), np.linalg.qr, [A(4, 3)])
for _shape, _full in (((4, 3), False), ((3, 4), False), ((2, 3, 3), False), ((4, 3), True), ((2, 5), True)):
    spec("linalg_svd", lambda L, a, full: _svd_inv(L, a, full), _np_svd_inv, [A(*_shape)], kwargs=dict(full=_full),
         id=f"linalg_svd_{'full' if _full else 'reduced'}_{'x'.join(map(str, _shape))}", atol=1e-4)
spec("svd_old", lambda L, a: (L.svd(a)[1], L.svd(a)[0] @ _mT(L.svd(a)[2])),
     lambda a: _np_svd_inv(a, False)[:2], [A(4, 3)], atol=1e-4)
spec("linalg_svdvals", lambda L, a: _L(L, "linalg.svdvals")(a), lambda a: np.linalg.svd(a, compute_uv=False),
     [A(2, 3, 4)])
for _uplo in ("L", "U"):
    spec("linalg_eigh", lambda L, a, uplo: _eigh_inv(L, a, uplo), _np_eigh_inv, [A(2, 4, 4)], kwargs=dict(uplo=_uplo),
         id=f"linalg_eigh_{_uplo}", atol=1e-4)
spec("linalg_eigvalsh", lambda L, a: _L(L, "linalg.eigvalsh")(_sym(a)),
     lambda a: np.linalg.eigvalsh((a + _np_mT(a)) / 2), [A(2, 3, 3)])
spec("linalg_pinv", lambda L, a: _L(L, "linalg.pinv")(a), np.linalg.pinv, [A(2, 4, 3)], atol=1e-4)
spec("linalg_pinv_hermitian", lambda L, a: _L(L, "linalg.pinv")(_sym(a), hermitian=True),
     lambda a: np.linalg.pinv((a + _np_mT(a)) / 2, hermitian=True), [A(3, 3)], atol=1e-4)
spec("pinverse", lambda L, a: L.pinverse(a), np.linalg.pinv, [A(3, 5)], atol=1e-4)
spec("linalg_matrix_rank", lambda L, a: _L(L, "linalg.matrix_rank")(a @ _mT(a)),
     lambda a: np.linalg.matrix_rank(a @ _np_mT(a)), [A(2, 4, 2)], grad=False)
for _drv, _shape in (("gelsy", (2, 5, 3)), ("gelsd", (2, 5, 3)), ("gels", (5, 3)), ("gelss", (3, 5))):
    spec("linalg_lstsq", lambda L, a, b, drv: tuple(_L(L, "linalg.lstsq")(a, b, driver=drv))[:2],
         lambda a, b, drv: (np.linalg.lstsq(a, b, rcond=None)[0] if a.ndim == 2 else
                            np.stack([np.linalg.lstsq(x, y, rcond=None)[0] for x, y in zip(a, b)]),
                            ((a @ np.linalg.pinv(a) @ b - b) ** 2).sum(-2) if drv != "gelsy" and a.shape[-2] >
                            a.shape[-1] else np.zeros(0)),
         [A(*_shape), A(*_shape[:-1], 2)], kwargs=dict(drv=_drv), id=f"linalg_lstsq_{_drv}", atol=1e-4)
