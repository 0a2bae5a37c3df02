"""ONNX mappings of the shape ops: reshape/view/flatten (sizes that change with a dynamic axis come out as
0, -1 or an input's size read at run time), transposes, (un)squeeze, expand, indexing, cat/stack, split."""
import numpy as np

from ._graph import Ref
from ._registry import op
from .errors import OnnxExporterError

_BIG = np.iinfo(np.int64).max


def _input_dim(g, s1, s2):
    """A size that is (s1, s2) in the two traces, read from a graph input's dynamic axis of those sizes."""
    for name, axis, a, b in g.dynamic_dims:
        if (a, b) == (s1, s2):
            return g.op("Shape", name, start=axis, end=axis + 1)
    return None


def _shape_value(g, target):
    """A shape input from ints and 1-element int64 values (sizes read at run time)."""
    if all(isinstance(t, int) for t in target):
        return g.ints(target)
    return g.op("Concat", *[g.ints([t]) if isinstance(t, int) else t for t in target], axis=0)


def reshape_target(g, x, out, out2):
    """The Reshape target for out: the traced sizes, with those that change between the two traces (a
    dynamic axis) as 0 (copy the input's size at that position), an input's size read at run time, or
    -1 (the one size left to infer)."""
    target = list(out)
    if out2 is None:
        return target
    inferred = []
    for k in range(len(out)):
        if out[k] == out2[k]:
            continue
        if k < x.rank and x.shape[k] == out[k] and x.shape2[k] == out2[k]:
            target[k] = 0
        else:
            inferred.append(k)
    for k in inferred[:-1]:  # all but one from the inputs' sizes; the last one inferred
        target[k] = _input_dim(g, out[k], out2[k])
        if target[k] is None:
            raise OnnxExporterError(f"a reshape from {list(x.shape)} to {list(out)} changes several sizes with "
                                    "the dynamic axes; it cannot be written as one ONNX Reshape")
    if inferred:
        target[inferred[-1]] = -1
    return target


def _reshape(g, r, x):
    target = reshape_target(g, x, r.out_shapes[0], r.out_shapes2 and r.out_shapes2[0])
    return g.op("Reshape", x, _shape_value(g, target))


@op("Tensor.view", "Tensor.reshape")
def view(g, r, self, *shape):
    return _reshape(g, r, self)


@op("Tensor.view_as", "Tensor.reshape_as")
def view_as(g, r, self, other):
    return _reshape(g, r, self)


@op("reshape")
def reshape(g, r, input, shape):
    return _reshape(g, r, input)


@op("Tensor.unflatten", "unflatten")
def unflatten(g, r, input, dim, sizes):
    return _reshape(g, r, input)


@op("Tensor.flatten", "flatten")
def flatten(g, r, input, start_dim=0, end_dim=-1):
    n = max(input.rank, 1)
    if start_dim % n == 1 and end_dim % n == n - 1 and input.rank >= 2:
        return g.op("Flatten", input, axis=1)  # (N, rest): torch's own export
    return _reshape(g, r, input)


@op("Tensor.transpose", "transpose", "Tensor.swapaxes", "Tensor.swapdims")
def transpose(g, r, input, dim0, dim1):
    perm = list(range(input.rank))
    d0, d1 = dim0 % max(input.rank, 1), dim1 % max(input.rank, 1)
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return g.op("Transpose", input, perm=perm)


@op("Tensor.t", "t")
def t(g, r, input):
    return g.op("Transpose", input, perm=list(range(input.rank))[::-1])


@op("Tensor.T")
def T(g, r, self):
    return g.op("Transpose", self, perm=list(range(self.rank))[::-1])


@op("Tensor.mT")
def mT(g, r, self):
    return transpose(g, r, self, -2, -1)


@op("Tensor.permute")
def permute(g, r, self, *dims):
    dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (list, tuple)) else dims
    return g.op("Transpose", self, perm=[d % self.rank for d in dims])


@op("permute")
def permute_fn(g, r, input, dims):
    return g.op("Transpose", input, perm=[d % input.rank for d in dims])


@op("Tensor.unsqueeze", "unsqueeze")
def unsqueeze(g, r, input, dim):
    return g.op("Unsqueeze", input, g.ints([dim % (input.rank + 1)]))


@op("Tensor.squeeze", "squeeze")
def squeeze(g, r, input, dim=None):
    dims = range(input.rank) if dim is None else ([dim] if isinstance(dim, int) else dim)
    axes = sorted({d % input.rank for d in dims if input.shape[d] == 1})
    return g.op("Squeeze", input, g.ints(axes)) if axes else g.v(input)


def _expand(g, r, x):
    out, out2 = r.out_shapes[0], r.out_shapes2 and r.out_shapes2[0]
    target = list(out)
    if out2 is not None:
        lead = len(out) - x.rank
        for k in range(len(out)):
            if out[k] != out2[k]:
                j = k - lead
                if j >= 0 and x.shape[j] == out[k] and x.shape2[j] == out2[k]:
                    target[k] = 1  # broadcasting keeps the input's (dynamic) size
                    continue
                target[k] = _input_dim(g, out[k], out2[k])
                if target[k] is None:
                    raise OnnxExporterError(f"an expand to {list(out)} depends on a dynamic axis in a way that "
                                            "cannot be read from the inputs' sizes")
    return g.op("Expand", x, _shape_value(g, target))


@op("Tensor.expand")
def expand(g, r, self, *sizes, **kw):
    return _expand(g, r, self)


@op("Tensor.expand_as")
def expand_as(g, r, self, other):
    return _expand(g, r, self)


@op("broadcast_to")
def broadcast_to(g, r, input, size):
    return _expand(g, r, input)


@op("Tensor.select", "select")
def select(g, r, input, dim, index):
    return g.op("Gather", input, g.const(np.array(index, dtype=np.int64)), axis=dim % input.rank)


@op("Tensor.__getitem__")
def getitem(g, r, self, key):
    """Basic indexing: ints, slices with a positive step, None and Ellipsis; a 1-D integer tensor on one dim."""
    key = list(key) if isinstance(key, tuple) else [key]
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if any(k is Ellipsis for k in key):
        i = next(i for i, k in enumerate(key) if k is Ellipsis)
        key[i:i + 1] = [slice(None)] * (self.rank - n_real)
    key += [slice(None)] * (self.rank - sum(1 for k in key if k is not None))
    x, starts, ends, axes, steps, squeeze_axes, new_axes, gathers = g.v(self), [], [], [], [], [], [], []
    d = out_pos = 0
    for k in key:
        if k is None:
            new_axes.append(out_pos)
            out_pos += 1
            continue
        if isinstance(k, slice):
            if k != slice(None):
                step = 1 if k.step is None else k.step
                if step <= 0:
                    raise OnnxExporterError("Tensor.__getitem__: slices with a step <= 0 have no ONNX mapping")
                starts.append(0 if k.start is None else k.start)
                ends.append(_BIG if k.stop is None else k.stop)
                axes.append(d)
                steps.append(step)
            out_pos += 1
        elif isinstance(k, int):
            starts.append(k)
            ends.append(k + 1 if k != -1 else _BIG)
            axes.append(d)
            steps.append(1)
            squeeze_axes.append(d)
        elif isinstance(k, Ref) and k.rank == 1 and k.dtype == np.int64:
            gathers.append((d, k))
            out_pos += 1
        else:
            raise OnnxExporterError(f"Tensor.__getitem__: the index {k!r} has no ONNX mapping")
        d += 1
    if axes:
        x = g.op("Slice", x, g.ints(starts), g.ints(ends), g.ints(axes), g.ints(steps))
    for axis, idx in gathers:
        x = g.op("Gather", x, idx, axis=axis)
    if squeeze_axes:
        x = g.op("Squeeze", x, g.ints(squeeze_axes))
    if new_axes:
        x = g.op("Unsqueeze", x, g.ints(new_axes))
    return x


@op("cat", "concat", "concatenate")
def cat(g, r, tensors, dim=0):
    return g.op("Concat", *tensors, axis=dim % tensors[0].rank)


@op("stack")
def stack(g, r, tensors, dim=0):
    axis = dim % (tensors[0].rank + 1)
    return g.op("Concat", *[g.op("Unsqueeze", t, g.ints([axis])) for t in tensors], axis=axis)


def _split(g, r, input, dim):
    axis = dim % input.rank
    sizes = [s[axis] for s in r.out_shapes]
    if r.out_shapes2 is not None and [s[axis] for s in r.out_shapes2] != sizes:
        raise OnnxExporterError("a split along a dynamic axis has no static ONNX mapping")
    outs = g.op("Split", input, g.ints(sizes), axis=axis, outputs=len(sizes))
    return outs if isinstance(outs, list) else [outs]


@op("Tensor.chunk", "chunk")
def chunk(g, r, input, chunks, dim=0):
    return _split(g, r, input, dim)


@op("Tensor.split", "split")
def split(g, r, input, split_size_or_sections, dim=0):
    return _split(g, r, input, dim)


