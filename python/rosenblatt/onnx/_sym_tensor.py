"""ONNX mappings of the elementwise tensor ops: arithmetic and comparisons, unary math, matmul, casts, masks,
clamping, reductions and arg-reductions (the shape ops are in _sym_shape.py)."""
import numpy as np

from ._graph import Ref, elem_type
from ._registry import op
from .errors import OnnxExporterError


def _other(g, a, b):
    """b as a graph input: a Ref, or a Python number as a scalar constant of a's dtype."""
    return b if isinstance(b, Ref) else g.scalar(b, a.dtype if isinstance(a, Ref) else np.float32)


def _binary(onnx_op, reverse=False):
    def fn(g, r, self, other, *rest, **kw):
        a, b = g.v(self), g.v(_other(g, self, other))
        alpha = kw.get("alpha", rest[0] if rest else 1)
        if alpha != 1:  # add/sub(input, other, alpha=): other scaled first
            b = g.op("Mul", b, g.scalar(alpha, self.dtype))
        if reverse:
            a, b = b, a
        return g.op(onnx_op, a, b)

    return fn


for _names, _onnx in ((("add", "__add__", "__iadd__", "add_"), "Add"), (("sub", "__sub__", "__isub__", "sub_"), "Sub"),
                      (("mul", "__mul__", "__imul__", "mul_"), "Mul"),
                      (("div", "__truediv__", "__itruediv__", "div_"), "Div"), (("pow", "__pow__"), "Pow"),
                      (("__eq__", "eq"), "Equal"), (("__gt__", "gt"), "Greater"), (("__lt__", "lt"), "Less"),
                      (("__ge__", "ge"), "GreaterOrEqual"), (("__le__", "le"), "LessOrEqual")):
    op(*[f"Tensor.{n}" for n in _names], *[n for n in _names if not n.startswith("_")])(_binary(_onnx))
for _names, _onnx in ((("__radd__",), "Add"), (("__rsub__",), "Sub"), (("__rmul__",), "Mul"),
                      (("__rtruediv__",), "Div"), (("__rpow__",), "Pow")):
    op(*[f"Tensor.{n}" for n in _names])(_binary(_onnx, reverse=True))


@op("Tensor.__ne__", "Tensor.ne", "ne")
def ne(g, r, self, other):
    return g.op("Not", g.op("Equal", self, _other(g, self, other)))


def _unary(onnx_op):
    def fn(g, r, self, *rest, **kw):
        return g.op(onnx_op, self)

    return fn


for _n, _onnx in (("exp", "Exp"), ("log", "Log"), ("sqrt", "Sqrt"), ("abs", "Abs"), ("neg", "Neg"),
                  ("__neg__", "Neg"), ("reciprocal", "Reciprocal"), ("tanh", "Tanh"), ("sigmoid", "Sigmoid"),
                  ("relu", "Relu"), ("sin", "Sin"), ("cos", "Cos"), ("erf", "Erf"), ("floor", "Floor"),
                  ("ceil", "Ceil"), ("logical_not", "Not"), ("__invert__", "Not")):
    op(f"Tensor.{_n}", _n, f"nn.{_n}", f"Tensor.{_n}_")(_unary(_onnx))


@op("Tensor.rsqrt", "rsqrt")
def rsqrt(g, r, self):
    return g.op("Reciprocal", g.op("Sqrt", self))


@op("Tensor.matmul", "Tensor.__matmul__", "Tensor.mm", "Tensor.bmm", "matmul", "mm", "bmm")
def matmul(g, r, input, other):
    return g.op("MatMul", input, other)


@op("Tensor.__rmatmul__")
def rmatmul(g, r, self, other):
    return g.op("MatMul", other, self)


@op("Tensor.contiguous", "Tensor.clone", "Tensor.detach", "clone", "detach")
def alias(g, r, input, *rest, **kw):
    return g.v(input)  # the same values: no node


@op("Tensor._to_dtype")
def to_dtype(g, r, self, dtype):
    return g.op("Cast", self, to=elem_type(r.out_dtypes[0]))


@op("Tensor.masked_fill", "masked_fill", "Tensor.masked_fill_")
def masked_fill(g, r, input, mask, value):
    return g.op("Where", mask, _other(g, input, value), input)


@op("where")
def where(g, r, condition, input, other):
    return g.op("Where", condition, _other(g, other, input), _other(g, input, other))


# ---- reductions ---------------------------------------------------------------------------------------
def _reduce(onnx_op):
    def fn(g, r, input, dim=None, keepdim=False, *rest, dtype=None):
        if isinstance(dim, bool):  # sum(x, keepdim) is not a call form, but guard the positional mix-up
            raise OnnxExporterError(f"{r.key}: unexpected arguments")
        x = g.v(input)
        if dtype is not None:
            x = g.op("Cast", x, to=elem_type(r.out_dtypes[0]))
        dims = list(range(input.rank)) if dim is None else ([dim] if isinstance(dim, int) else list(dim))
        axes = [d % max(input.rank, 1) for d in dims]
        if onnx_op == "ReduceSum" or g.opset >= 18:
            return g.op(onnx_op, x, g.ints(axes), keepdims=int(bool(keepdim)))
        return g.op(onnx_op, x, axes=axes, keepdims=int(bool(keepdim)))

    return fn


op("Tensor.sum", "sum")(_reduce("ReduceSum"))
op("Tensor.mean", "mean")(_reduce("ReduceMean"))
op("Tensor.amax", "amax")(_reduce("ReduceMax"))
op("Tensor.amin", "amin")(_reduce("ReduceMin"))


@op("Tensor.clamp", "Tensor.clip", "clamp", "clip", "Tensor.clamp_")
def clamp(g, r, input, min=None, max=None):
    lo = None if min is None else _other(g, input, min)
    hi = None if max is None else _other(g, input, max)
    return g.op("Clip", input, lo, hi)


@op("Tensor.maximum", "maximum")
def maximum(g, r, input, other):
    return g.op("Max", input, other)


@op("Tensor.minimum", "minimum")
def minimum(g, r, input, other):
    return g.op("Min", input, other)


@op("Tensor.square", "square")
def square(g, r, input):
    return g.op("Mul", input, input)


@op("Tensor.argmax", "argmax", "Tensor.argmin", "argmin")
def argmax(g, r, input, dim=None, keepdim=False):
    onnx_op = "ArgMax" if "argmax" in r.key else "ArgMin"
    if dim is None:
        flat = g.op("Reshape", input, g.ints([-1]))
        return g.op(onnx_op, flat, axis=0, keepdims=0)
    return g.op(onnx_op, input, axis=dim % input.rank, keepdims=int(keepdim))


@op("Tensor.tril", "tril", "Tensor.triu", "triu")
def tril(g, r, input, diagonal=0):
    upper = int("triu" in r.key)
    return g.op("Trilu", input, g.const(np.array(diagonal, dtype=np.int64)), upper=upper)
