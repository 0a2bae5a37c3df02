"""The ONNX graph under construction: nodes, initializers and value names, with the helpers the op
mappings call (g.op, g.v, g.const, g.scalar). build() turns it into an onnx.ModelProto."""
import numpy as np
from onnx import TensorProto, helper, numpy_helper


class Ref:
    """A tensor argument of a recorded op: a graph value (name, no array) or a constant (array; name too
    when it is a parameter or buffer, its state_dict key). shape2 is its shape in the second trace."""

    __slots__ = ("name", "array", "shape", "shape2", "dtype")

    def __init__(self, name, array, shape, dtype):
        self.name, self.array, self.shape, self.shape2, self.dtype = name, array, tuple(shape), None, dtype

    @property
    def is_const(self):
        return self.array is not None

    @property
    def rank(self):
        return len(self.shape)


class Graph:
    def __init__(self, opset_version):
        self.opset = opset_version
        self.nodes = []
        self.initializers = {}  # name -> TensorProto
        self.alias = {}  # a traced value's name -> the ONNX value holding it
        self._const_of = {}  # id(array) -> initializer name, so a constant used twice is stored once
        self._keep = []  # those arrays, alive while the graph is, so their ids stay unique
        self._n = 0
        self.dynamic_dims = []  # (input name, axis, size in trace 1, size in trace 2)

    def fresh(self, hint):
        self._n += 1
        return f"/{hint}_{self._n}"

    def op(self, op_type, *inputs, outputs=1, **attrs):
        """Appends a node; returns its output name (or the list of names when outputs > 1)."""
        names = [self.fresh(f"{op_type}_output") for _ in range(outputs)]
        attrs = {k: v for k, v in attrs.items() if v is not None}
        self.nodes.append(helper.make_node(op_type, [self.v(i) for i in inputs], names,
                                           name=self.fresh(op_type), **attrs))
        return names[0] if outputs == 1 else names

    def v(self, x):
        """The ONNX name of an input: a Ref, a name, None (an omitted optional input) or a numpy array."""
        if x is None:
            return ""
        if isinstance(x, str):
            return self.alias.get(x, x)
        if isinstance(x, np.ndarray):
            return self.const(x)
        if not x.is_const:
            return self.alias.get(x.name, x.name)
        if x.name is not None:  # a parameter or buffer: an initializer named by its state_dict key
            if x.name not in self.initializers:
                self.initializers[x.name] = numpy_helper.from_array(_c_order(x.array), x.name)
            return x.name
        return self.const(x.array)

    def const(self, array, name=None):
        key = id(array)
        if name is None and key in self._const_of:
            return self._const_of[key]
        name = name or self.fresh("Constant")
        self.initializers[name] = numpy_helper.from_array(_c_order(array), name)
        self._const_of[key] = name
        self._keep.append(array)
        return name

    def scalar(self, value, dtype):
        return self.const(np.array(value, dtype=dtype))

    def ints(self, values):
        return self.const(np.array(list(values), dtype=np.int64))

    def build(self, inputs, outputs, producer="rosenblatt"):
        """inputs/outputs: lists of onnx ValueInfoProto; output value infos name the final values."""
        graph = helper.make_graph(self.nodes, "main_graph", inputs, outputs, list(self.initializers.values()))
        model = helper.make_model(graph, producer_name=producer, opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = min(model.ir_version, 9)  # readable by onnxruntime releases of the last two years
        return model


def elem_type(np_dtype):
    if np_dtype == np.bool_:
        return TensorProto.BOOL
    return helper.np_dtype_to_tensor_dtype(np.dtype(np_dtype))


def _c_order(a):
    # not np.ascontiguousarray: it turns a 0-d array (a scalar index) into a 1-d one
    return a if a.flags.c_contiguous else np.array(a, order="C")
