"""export_model: traces the model (twice when some axes are dynamic), aligns the two traces, emits each
recorded op through its mapping and writes the ONNX model with its inputs, outputs and initializers."""
import warnings

import onnx
from onnx import helper

from .. import _C
from .. import autograd as _autograd
from . import _sym_nn, _sym_rnn, _sym_shape, _sym_tensor  # noqa: F401  (fill the mapping table)
from ._graph import Graph, elem_type
from ._trace import Tracer, _flatten, _np_dtype
from .errors import OnnxExporterError, UnsupportedOperatorError

DEFAULT_OPSET = 20  # torch.onnx.export's default
OPSETS = range(17, 22)  # 17: LayerNormalization; ReduceMean takes axes as an input from 18; Gelu from 20


def _dynamic_axes(dynamic_axes, names):
    out = {}
    for name, axes in (dynamic_axes or {}).items():
        if name not in names:
            warnings.warn(f"Provided key {name} for dynamic axes is not a valid input/output name", stacklevel=3)
        if isinstance(axes, dict):
            out[name] = {int(a): str(d) for a, d in axes.items()}
        else:
            out[name] = {int(a): f"{name}_dynamic_axes_{i + 1}" for i, a in enumerate(axes)}
    return out


def _leaves(obj):
    """The tensors of a nest of tuples and lists, in order: the graph's inputs, as torch.onnx flattens them."""
    if isinstance(obj, _C.Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _leaves(o)]
    return []


def _rebuild(obj, leaves):
    """obj with its tensors replaced, in order, by those of the iterator leaves."""
    if isinstance(obj, _C.Tensor):
        return next(leaves)
    if isinstance(obj, (tuple, list)):
        return type(obj)(_rebuild(o, leaves) for o in obj)
    return obj


def _trace(model, args, kwargs, params, names, opset):
    """Runs the model under a Tracer: returns (records, outputs as (kind entry, tensor))."""
    tracer = Tracer(params, opset)
    with _autograd.enable_grad():
        traced = []
        for a, name in zip(_leaves(args), names):
            t = a.detach().clone()
            if t.is_floating_point():  # a value computed from it by an unwrapped call gets a grad_fn
                t = t.requires_grad_(True) * 1
            tracer.mark(t, ("graph", name))
            traced.append(t)
        ins = _rebuild(args, iter(traced))
        with tracer:
            tracer.patch_instances(model)
            out = model(*ins, **kwargs)
        outs = []
        for t in _flatten(list(out.values()) if isinstance(out, dict) else out):
            if t is None:
                continue
            e = tracer.kind(t)
            if e[0] == "poison":
                raise UnsupportedOperatorError(e[1], opset)
            outs.append((e, t))
    return tracer.records, outs


def _grow(args, names, dyn):
    """The arguments with every dynamic axis larger, for the second trace: by 1 for the first dim name, 2
    for the second..., so two sizes that change are told apart by their pair of sizes."""
    step = {}
    for n in names:
        for d in dyn.get(n, {}).values():
            step.setdefault(d, len(step) + 1)
    out = []
    for a, name in zip(args, names):
        for axis, d in sorted(dyn.get(name, {}).items()):
            if a.shape[axis] == 0:
                raise OnnxExporterError(f"input {name!r} has size 0 on its dynamic axis {axis}")
            a = _C.cat([a] + [a.narrow(axis, 0, 1)] * step[d], axis)
        out.append(a)
    return out


def _refs(obj):
    if hasattr(obj, "is_const"):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [r for o in obj for r in _refs(o)]
    if isinstance(obj, dict):
        return [r for o in obj.values() for r in _refs(o)]
    return []


def _align(rec1, rec2):
    if [r.key for r in rec1] != [r.key for r in rec2]:
        raise OnnxExporterError("the model runs different ops when a dynamic axis changes size, so one graph "
                                "cannot serve every size; export it without dynamic_axes")
    for a, b in zip(rec1, rec2):
        a.out_shapes2 = b.out_shapes
        for x, y in zip(_refs((a.args, a.kwargs)), _refs((b.args, b.kwargs))):
            x.shape2 = y.shape
            if x.is_const and x.name is None and x.shape != y.shape:
                raise OnnxExporterError(f"a constant argument of {a.key} (shape {list(x.shape)}) depends on the size "
                                        "of a dynamic axis: it was made by an op the exporter folds")


def _value_info(name, dtype, shape, shape2, named_dims):
    dims = []
    for k, s in enumerate(shape):
        if k in named_dims:
            dims.append(named_dims[k])
        elif shape2 is not None and shape2[k] != s:
            dims.append(f"{name}_dim_{k}")
        else:
            dims.append(s)
    return helper.make_tensor_value_info(name, elem_type(dtype), dims)


def export_model(model, args, f, *, kwargs, input_names, output_names, opset_version, export_params,
                 keep_initializers_as_inputs, dynamic_axes, training, verbose):
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if opset not in OPSETS:
        raise ValueError(f"opset_version {opset} is not supported: rosenblatt.onnx exports opsets "
                         f"{OPSETS.start}..{OPSETS.stop - 1}")
    args = (args,) if isinstance(args, _C.Tensor) else tuple(args)
    if args and isinstance(args[-1], dict) and kwargs is None:  # torch's convention: trailing kwargs
        args, kwargs = args[:-1], args[-1]
    kwargs = dict(kwargs or {})
    if any(isinstance(v, _C.Tensor) for v in kwargs.values()):
        raise OnnxExporterError("tensors passed as keyword arguments cannot be graph inputs; pass them in args")
    leaves = _leaves(args)
    names = list(input_names or [])
    if len(names) > len(leaves):
        raise ValueError(f"{len(names)} input_names for {len(leaves)} input tensors")
    names += [f"input_{i}" for i in range(len(names), len(leaves))]
    params = {}
    for prefix_fn in (model.named_parameters, model.named_buffers):
        for key, t in prefix_fn(remove_duplicate=False):
            params.setdefault(id(t), key)

    modes = [(m, m.training) for m in model.modules()]
    try:
        if training == 0:
            model.eval()
        elif training == 2:
            model.train()
        rec1, outs1 = _trace(model, args, kwargs, params, names, opset)
        dyn = _dynamic_axes(dynamic_axes, set(names) | set(output_names or []))
        outs2 = None
        if any(n in dyn for n in names):
            leaves2 = _grow(leaves, names, dyn)
            args2 = _rebuild(args, iter(leaves2))
            try:
                rec2, outs2 = _trace(model, args2, kwargs, params, names, opset)
            except (RuntimeError, ValueError, IndexError) as e:
                if isinstance(e, OnnxExporterError):
                    raise
                raise OnnxExporterError(
                    f"the model failed when traced again with its dynamic axes grown ({e}); the sizes of dims "
                    "that must stay equal need the same name in dynamic_axes ({'x': {0: 'batch'}, "
                    "'h0': {1: 'batch'}})") from e
            if len(outs2) != len(outs1):
                raise OnnxExporterError("the model returns a different number of outputs for another input size")
            _align(rec1, rec2)
    finally:
        for m, mode in modes:
            m.training = mode

    g = Graph(opset)
    if outs2 is not None:
        g.dynamic_dims = [(n, ax, leaves[i].shape[ax], leaves2[i].shape[ax])
                          for i, n in enumerate(names) if n in dyn for ax in sorted(dyn[n])]
    for r in rec1:
        res = r.fn(g, r, *r.args, **r.kwargs)
        res = res if isinstance(res, list) else [res]
        if len(res) != len(r.outs):
            raise OnnxExporterError(f"{r.key}: the mapping gave {len(res)} outputs for {len(r.outs)}")
        for v, n in zip(r.outs, res):
            g.alias[v] = g.v(n)
        if verbose:
            print(f"[rosenblatt.onnx] {r.key} -> {res}")

    out_names = list(output_names or [])
    out_names += [f"output_{i}" for i in range(len(out_names), len(outs1))]
    rename, used = {}, set(names)
    for (e, t), name in zip(outs1, out_names):
        if e[0] == "graph":
            src = g.v(e[1])
            if src in used or src in g.initializers or src in rename:
                g.nodes.append(helper.make_node("Identity", [src], [name], name=g.fresh("Identity")))
            else:
                rename[src] = name
        else:
            g.nodes.append(helper.make_node("Identity", [g.const(t.detach().numpy().copy())], [name],
                                            name=g.fresh("Identity")))
        used.add(name)
    for node in g.nodes:
        node.input[:] = [rename.get(n, n) for n in node.input]
        node.output[:] = [rename.get(n, n) for n in node.output]

    inputs = [_value_info(n, _np_dtype(t), tuple(t.shape), None, dyn.get(n, {})) for t, n in zip(leaves, names)]
    outputs = [_value_info(n, _np_dtype(t), tuple(t.shape), None if outs2 is None else tuple(outs2[i][1].shape),
                           dyn.get(n, {})) for i, ((_, t), n) in enumerate(zip(outs1, out_names))]
    param_names = set(params.values())
    if not export_params:  # parameters become graph inputs, initializers only for folded constants
        for key in [k for k in g.initializers if k in param_names]:
            init = g.initializers.pop(key)
            inputs.append(helper.make_tensor_value_info(key, init.data_type, list(init.dims)))
    if keep_initializers_as_inputs:
        inputs += [helper.make_tensor_value_info(k, i.data_type, list(i.dims)) for k, i in g.initializers.items()]
    model_proto = g.build(inputs, outputs)
    try:
        onnx.checker.check_model(model_proto)
    except onnx.checker.ValidationError as e:
        raise OnnxExporterError(f"the exported graph does not pass onnx.checker: {e}") from e
    if f is not None:
        onnx.save_model(model_proto, f)
    return model_proto


