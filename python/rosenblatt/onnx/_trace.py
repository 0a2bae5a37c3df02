"""The tracer: while the model runs on the example arguments, every op bound from C++ (rosenblatt._C,
_C._nn and Tensor's methods and operators) is wrapped, and each call is recorded with its inputs by identity."""
import inspect
import sys
import threading
import types

from .. import _C
from ..nn.modules.module import Module
from ._graph import Ref
from ._registry import TABLE
from .errors import OnnxExporterError, UnsupportedOperatorError

Tensor = _C.Tensor

# Tensor methods that read a tensor without making one, or that the export must not see as ops.
_SKIP = {
    "__init__", "__new__", "__repr__", "__str__", "__format__", "__hash__", "__len__", "__bool__", "__index__",
    "__int__", "__float__", "__iter__", "__getstate__", "__setstate__", "__reduce__", "__reduce_ex__",
    "__array__", "__dlpack__", "__dlpack_device__", "__getattribute__", "__setattr__", "__delattr__", "__dir__",
    "__sizeof__", "__init_subclass__", "__subclasshook__", "__deepcopy__", "__copy__", "__contains__",
    "dim", "size", "numel", "item", "tolist", "numpy", "data_ptr", "is_contiguous", "element_size", "stride",
    "storage_offset", "is_floating_point", "is_complex", "ndimension", "nelement", "name", "backward",
    "retain_grad", "requires_grad_", "register_hook", "_set_size_type", "type", "cpu", "to", "float", "double",
    "long", "bool", "int", "half", "type_as", "new_zeros", "new_ones", "new_empty", "new_full", "new_tensor",
}
_INPLACE_DUNDERS = {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__ipow__", "__imatmul__",
                    "__iand__", "__ior__", "__ixor__", "__setitem__"}


def _flatten(obj):
    """The tensors in a nest of tuples and lists, in order (None kept as a slot)."""
    if isinstance(obj, Tensor):
        return [obj]
    if isinstance(obj, (tuple, list)):
        return [t for o in obj for t in _flatten(o)]
    return [None] if obj is None else []


def display_name(key):
    if key.startswith("Tensor."):
        return key
    return f"rosenblatt._C._nn.{key[3:]}" if key.startswith("nn.") else f"rosenblatt.{key}"


class Record:
    """One mapped op that read traced values: its mapping, bound arguments (tensors as Refs) and outputs."""

    __slots__ = ("key", "fn", "args", "kwargs", "outs", "out_shapes", "out_shapes2", "out_dtypes")


class Tracer:
    def __init__(self, params, opset=None):
        self.opset = opset
        self.params = params  # id(tensor) -> state_dict key
        self.vals = {}  # id(obj) -> ("graph", name) | ("const",) | ("param", key) | ("poison", op name)
        self.keep = []  # every tensor seen, so that ids are not reused while tracing
        self.records = []
        self.depth = 0
        self._n = 0
        self._patches = []
        self._thread = threading.get_ident()  # calls from other threads run unrecorded

    # ---- values ------------------------------------------------------------------------------------
    def mark(self, t, entry):
        self.vals[id(t)] = entry
        self.keep.append(t)

    def kind(self, t):
        e = self.vals.get(id(t))
        if e is not None:
            return e
        if id(t) in self.params:
            e = ("param", self.params[id(t)])
        elif t.grad_fn is not None:
            # made from a traced value by a call the wrappers did not see (a function captured before
            # tracing began): its gradient node names the op
            raise UnsupportedOperatorError(_grad_fn_name(t), self.opset, reason="it was called through a reference the "
                                           "exporter could not wrap, on a value computed from the inputs")
        else:
            e = ("const",)
        self.mark(t, e)
        return e

    def ref(self, t):
        e = self.kind(t)
        shape, dtype = tuple(t.shape), _np_dtype(t)
        if e[0] == "graph":
            return Ref(e[1], None, shape, dtype)
        if e[0] == "poison":
            raise UnsupportedOperatorError(e[1], self.opset)
        return Ref(e[1] if e[0] == "param" else None, t.detach().numpy().copy(), shape, dtype)

    def new_name(self):
        self._n += 1
        return f"v{self._n}"

    # ---- recording -----------------------------------------------------------------------------------
    def record(self, key, args, kwargs, out):
        ins = _flatten(list(args) + list(kwargs.values()))
        kinds = [self.kind(t) for t in ins if t is not None]
        outs = _flatten(out)
        inplace = (key.endswith("_") and not key.endswith("__")) or key.split(".")[-1] in _INPLACE_DUNDERS
        if inplace and args and isinstance(args[0], Tensor) and not any(o is args[0] for o in outs):
            outs = [args[0]] + outs if key.endswith("__setitem__") else outs + [args[0]]
        poison = next((k[1] for k in kinds if k[0] == "poison"), None)
        if poison is None and not any(k[0] == "graph" for k in kinds):
            for o in outs:
                if o is not None:
                    self.mark(o, ("const",))
            return
        entry = TABLE.get(key)
        if poison is not None or entry is None or key.endswith("__setitem__"):
            for o in outs:
                if o is not None:
                    self.mark(o, ("poison", poison or display_name(key)))
            return
        fn, sig = entry
        conv = lambda a: self.ref(a) if isinstance(a, Tensor) else (  # noqa: E731
            type(a)(conv(x) for x in a) if isinstance(a, (list, tuple)) and not hasattr(a, "_fields") else a)
        try:
            bound = sig.bind(*[conv(a) for a in args], **{k: conv(v) for k, v in kwargs.items()})
        except TypeError as e:
            raise OnnxExporterError(f"{display_name(key)}: the call does not match the mapping's signature: {e}") from e
        bound.apply_defaults()
        r = Record()
        r.key, r.fn, r.args, r.kwargs = key, fn, bound.args, bound.kwargs
        real = [o for o in outs if o is not None]
        if inplace and len(real) > 1 and real[-1] is args[0] and key[-1] == "_":
            real = real[:1]  # the op returned self: one value
        r.outs = [self.new_name() for _ in real]
        r.out_shapes = [tuple(o.shape) for o in real]
        r.out_dtypes = [_np_dtype(o) for o in real]
        r.out_shapes2 = None
        for o, n in zip(real, r.outs):
            self.mark(o, ("graph", n))
        if inplace:
            self.mark(args[0], ("graph", r.outs[0]))
        self.records.append(r)

    # ---- wrapping ------------------------------------------------------------------------------------
    def _wrap(self, fn, key):
        tracer = self

        def wrapper(*args, **kwargs):
            if tracer.depth or threading.get_ident() != tracer._thread:
                return fn(*args, **kwargs)
            tracer.depth += 1
            try:
                out = fn(*args, **kwargs)
                tracer.record(key, args, kwargs, out)
            finally:
                tracer.depth -= 1
            return out

        wrapper.__name__ = getattr(fn, "__name__", key)
        wrapper.__wrapped__ = fn
        return wrapper

    def _set(self, owner, attr, value, restore):
        self._patches.append((owner, attr, restore))
        if isinstance(owner, Module):
            owner.__dict__[attr] = value
        else:
            setattr(owner, attr, value)

    def __enter__(self):
        try:
            self._install()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _install(self):
        wrappers = {}  # id(original C++ function) -> its wrapper
        for mod, prefix in ((_C, ""), (_C._nn, "nn.")):
            for name, fn in list(vars(mod).items()):
                if isinstance(fn, types.BuiltinFunctionType) and not name.startswith("_"):
                    wrappers[id(fn)] = (fn, self._wrap(fn, prefix + name))
        for name, attr in list(vars(Tensor).items()):
            if name in _SKIP or (name.startswith("_") and not name.startswith("__") and name != "_to_dtype"):
                continue
            if isinstance(attr, property) and name in ("T", "mT", "H", "mH"):
                w = self._wrap(attr.fget, "Tensor." + name)
                self._set(Tensor, name, property(w), attr)
            elif callable(attr) and not isinstance(attr, (types.FunctionType, type, property)):
                self._set(Tensor, name, self._wrap(getattr(Tensor, name), "Tensor." + name), attr)
        # every module-level reference to a wrapped function: rosenblatt.cat, F.gelu = _nn.gelu, ...
        mods = [m for n, m in list(sys.modules.items()) if n == "rosenblatt" or n.startswith("rosenblatt.")]
        mods += [_C, _C._nn]
        for m in mods:
            for name, val in list(vars(m).items()):
                hit = wrappers.get(id(val))
                if hit is not None and hit[0] is val:
                    self._set(m, name, hit[1], val)
        self._wrappers = wrappers

    def patch_instances(self, model):
        """References held by modules themselves (TransformerEncoderLayer.activation = _nn.relu) and by the
        modules their classes are defined in."""
        for m in model.modules():
            for name, val in list(vars(m).items()):
                hit = self._wrappers.get(id(val))
                if hit is not None and hit[0] is val:
                    self._set(m, name, hit[1], val)
            src = sys.modules.get(type(m).__module__)
            if src is not None and not src.__name__.startswith("rosenblatt"):
                for name, val in list(vars(src).items()):
                    hit = self._wrappers.get(id(val))
                    if hit is not None and hit[0] is val:
                        self._set(src, name, hit[1], val)

    def __exit__(self, *exc):
        while self._patches:
            owner, attr, val = self._patches.pop()
            if isinstance(owner, Module):
                owner.__dict__.pop(attr, None)
                if val is not None:
                    owner.__dict__[attr] = val
            else:
                setattr(owner, attr, val)
        return False


def _np_dtype(t):
    return _C.empty(0, dtype=t.dtype).numpy().dtype


def _grad_fn_name(t):
    g = t.grad_fn
    n = getattr(g, "name", None)
    return n() if callable(n) else type(g).__name__


def signature_of(fn):
    """A mapping's signature without its (g, r) parameters: the C++ op's own arguments."""
    sig = inspect.signature(fn)
    return sig.replace(parameters=list(sig.parameters.values())[2:])
