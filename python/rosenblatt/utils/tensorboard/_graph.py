# add_graph's GraphDef: the module tree run once on the input, one node per leaf-module call (op = its
# class, with its parameter shapes and output shape), linked by the tensors passed between them.
from tensorboard.compat.proto.attr_value_pb2 import AttrValue
from tensorboard.compat.proto.graph_pb2 import GraphDef
from tensorboard.compat.proto.node_def_pb2 import NodeDef
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
from tensorboard.compat.proto.versions_pb2 import VersionDef

__all__ = ["module_graph"]


def _tensors(obj):
    """The tensors in a module's output: a tensor, or tuples/lists/dicts of them (LSTM's (out, (h, c)))."""
    if hasattr(obj, "shape") and hasattr(obj, "detach"):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _tensors(o)]
    if isinstance(obj, dict):
        return [t for o in obj.values() for t in _tensors(o)]
    return []


def _shapes_attr(tensors):
    shapes = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=int(d)) for d in t.shape]) for t in tensors]
    return AttrValue(list=AttrValue.ListValue(shape=shapes))


def module_graph(model, input_to_model):
    """A GraphDef of `model` called on input_to_model (a tensor or a tuple of them) under no_grad."""
    from ...autograd import no_grad

    inputs = input_to_model if isinstance(input_to_model, (tuple, list)) else (input_to_model,)
    root = type(model).__name__
    nodes, producer, keep, calls, last = [], {}, [], {}, []

    def add(name, op, ins, outs, **attrs):
        attr = {"_output_shapes": _shapes_attr(outs)}
        attr.update({k: AttrValue(s=v.encode()) for k, v in attrs.items()})
        nodes.append(NodeDef(name=name, op=op, input=ins, attr=attr))
        for t in outs:
            producer[id(t)] = name
        keep.extend(outs)  # ids stay unique while the graph is built
        last[:] = [name]

    for i, x in enumerate(inputs):
        add(f"input/input.{i}", "IO Node", [], _tensors(x))
    last[:] = [n.name for n in nodes]

    def hook(path):
        def record(module, args, out):
            # linked by the tensors a leaf received; a tensor made outside any leaf (a functional op in
            # forward) links to the leaf called just before
            ins = [producer[id(t)] for t in _tensors(list(args)) if id(t) in producer] or list(last)
            k = calls[path] = calls.get(path, -1) + 1
            name = "/".join([root] + (path.split(".") if path else [])) + (f".{k}" if k else "")
            params = ", ".join(f"{n}: {tuple(p.shape)}" for n, p in module.named_parameters(recurse=False))
            add(name, type(module).__name__, ins, _tensors(out), parameters=params, module=repr(module))
        return record

    leaves = [(p, m) for p, m in model.named_modules() if next(iter(m.children()), None) is None]
    handles = [m.register_forward_hook(hook(p)) for p, m in leaves]
    try:
        with no_grad():
            out = model(*inputs)
    finally:
        for h in handles:
            h.remove()
    for i, t in enumerate(_tensors(out)):
        add(f"output/output.{i}", "IO Node", [producer.get(id(t), last[0])], [t])
    return GraphDef(node=nodes, versions=VersionDef(producer=22))
