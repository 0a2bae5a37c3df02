"""Every op, once: how to call it, its inputs, a numpy reference and tolerances.

`fn(L, *inputs, **kwargs)` is written against the PyTorch API and receives either the rosenblatt
module or torch as L, so the same entry drives the forward check against `ref` (numpy), the float64
gradient check, and the parity check against PyTorch (tests/test_ops.py).
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np


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
    torch: bool = True  # compare with PyTorch
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
spec("pow_scalar", lambda L, a: a ** 3, lambda a: a ** 3, [A(2, 5)])
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

# ---------------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------------
spec("sum_all", lambda L, a: a.sum(), lambda a: np.sum(a), [A(3, 4, 5)])
spec("sum_dim", lambda L, a: a.sum(1), lambda a: a.sum(1), [A(3, 4, 5)])
spec("sum_dims_keepdim", lambda L, a: a.sum((0, 2), keepdim=True), lambda a: a.sum((0, 2), keepdims=True), [A(3, 4, 5)])
spec("sum_dim0", lambda L, a: a.sum(0), lambda a: a.sum(0), [A(64, 33)])
spec("mean", lambda L, a: a.mean(-1), lambda a: a.mean(-1), [A(3, 4, 5)])
spec("mean_all", lambda L, a: L.mean(a), np.mean, [A(7, 3)])

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
spec("reshape_t", lambda L, a: a.t().reshape(-1), lambda a: a.T.reshape(-1), [A(3, 4)])
spec("transpose", lambda L, a: a.transpose(0, 2) * 1.0, lambda a: a.transpose(2, 1, 0), [A(2, 3, 4)])
spec("permute", lambda L, a: a.permute(1, 2, 0) + 0.0, lambda a: a.transpose(1, 2, 0), [A(2, 3, 4)])
spec("expand", lambda L, a: a.expand(3, 2, 4) * 2.0, lambda a: np.broadcast_to(a, (3, 2, 4)) * 2.0, [A(2, 1)])
spec("unsqueeze", lambda L, a: a.unsqueeze(1), lambda a: a[:, None], [A(3, 4)])
spec("squeeze", lambda L, a: a.squeeze(), np.squeeze, [A(3, 1, 4, 1)])

# ---------------------------------------------------------------------------------------------
# indexing, joining, splitting (cat, stack, split, chunk, gather, getitem, setitem)
# ---------------------------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------------------------
# losses (nn.functional)
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# layers (nn.functional: linear, dropout in eval, ...)
# ---------------------------------------------------------------------------------------------
