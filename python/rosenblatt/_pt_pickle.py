"""The pickle side of PyTorch's checkpoint format, without PyTorch: the dtype table, the allow-list of
torch.load(weights_only=True) with add_safe_globals/safe_globals, the restricted unpickler and the pickler.

The restricted unpickler subclasses pickle's Python Unpickler (pickle._Unpickler) rather than the C one so
that, as torch/_weights_only_unpickler.py does, every opcode that calls something (REDUCE, NEWOBJ, OBJ,
BUILD, APPEND(S), SETITEM(S), ADDITEMS) is checked too, not only the globals it names: nothing outside
the allow-list runs, whatever the file holds. The pickles hold structure only (tensor bytes live in
separate records), so the Python implementation's speed does not matter."""
import _compat_pickle
import copyreg
import pickle
import struct
from _codecs import encode
from collections import Counter, OrderedDict

from . import _C
from ._C import Tensor

__all__ = ["add_safe_globals", "clear_safe_globals", "get_safe_globals", "safe_globals"]

# One row per PyTorch dtype: (torch dtype name, legacy storage class, numpy dtype of its bytes, itemsize).
# The rosenblatt dtype is rb.dtype.<torch name> when rosenblatt has it, so a dtype added to the core works
# here once rb.from_numpy / Tensor.numpy take it; the others raise TypeError naming the dtype. bfloat16 has
# no numpy dtype: its bytes are read as uint16 (reading it needs a uint16 -> bfloat16 reinterpretation).
DTYPES = [
    ("float32", "FloatStorage", "<f4", 4),
    ("float64", "DoubleStorage", "<f8", 8),
    ("float16", "HalfStorage", "<f2", 2),
    ("bfloat16", "BFloat16Storage", "<u2", 2),
    ("int64", "LongStorage", "<i8", 8),
    ("int32", "IntStorage", "<i4", 4),
    ("int16", "ShortStorage", "<i2", 2),
    ("int8", "CharStorage", "i1", 1),
    ("uint8", "ByteStorage", "u1", 1),
    ("bool", "BoolStorage", "?", 1),
    ("complex64", "ComplexFloatStorage", "<c8", 8),
    ("complex128", "ComplexDoubleStorage", "<c16", 16),
]
_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "long": "int64", "int": "int32",
            "short": "int16", "cfloat": "complex64", "cdouble": "complex128"}


class StorageType:
    """What a checkpoint's GLOBAL torch.<X>Storage stands for: a dtype row of DTYPES."""

    def __init__(self, row):
        self.dtype_name, self.storage_name, self.numpy, self.itemsize = row

    def __repr__(self):
        return f"StorageType(dtype=torch.{self.dtype_name})"


STORAGE_TYPES = {row[1]: StorageType(row) for row in DTYPES}
STORAGE_TYPES["UntypedStorage"] = StorageType(("uint8", "UntypedStorage", "u1", 1))
BY_DTYPE = {row[0]: STORAGE_TYPES[row[1]] for row in DTYPES}


def rb_dtype(dtype_name):
    """rosenblatt's dtype for a PyTorch dtype name, or TypeError naming it."""
    dt = getattr(_C.dtype, dtype_name, None)
    if dt is None:
        raise TypeError(f"rb.load: the checkpoint holds torch.{dtype_name} data, a dtype rosenblatt does not have "
                        f"(it has {', '.join(d for d in _C.dtype.__members__)})")
    return dt


def storage_type_of(dt):
    """The DTYPES row of a rosenblatt dtype (for rb.save)."""
    return BY_DTYPE[dt.name]


class _Unsupported:
    """A torch global rosenblatt knows but cannot build (a dtype it lacks): raises when used."""

    def __init__(self, full_name):
        self.full_name = full_name

    def __call__(self, *args, **kwargs):
        raise TypeError(f"rb.load: the checkpoint uses {self.full_name}, which rosenblatt does not have")

    def __repr__(self):
        return self.full_name


# ---- the allow-list -----------------------------------------------------------------------------------------
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
_user_globals = set()


def add_safe_globals(safe_globals):
    """Marks classes/functions as safe for rb.load(weights_only=True), as torch.serialization.add_safe_globals:
    each entry is the object, or (object, "module.qualname") to allow it under another name."""
    for g in safe_globals:
        _check_entry(g)
    _user_globals.update(safe_globals)


def clear_safe_globals():
    _user_globals.clear()


def get_safe_globals():
    return list(_user_globals)


def _check_entry(g):
    if isinstance(g, tuple):
        if len(g) != 2:
            raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got tuple of "
                             f"length: {len(g)}")
        if type(g[1]) is not str:
            raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: {type(g[1])}")


class safe_globals:
    """Context manager that allows `safe_globals` inside its block only (torch.serialization.safe_globals)."""

    def __init__(self, safe_globals):
        for g in safe_globals:
            _check_entry(g)
        self.safe_globals = list(safe_globals)

    def __enter__(self):
        self._added = [g for g in self.safe_globals if g not in _user_globals]
        _user_globals.update(self._added)

    def __exit__(self, *exc):
        _user_globals.difference_update(self._added)


def _user_allowed():
    out = {}
    for g in _user_globals:
        if isinstance(g, tuple):
            out[g[1]] = g[0]
        else:
            out[f"{g.__module__}.{g.__qualname__}"] = g
    return out


def _builtin_globals():
    """PyTorch's names for what rosenblatt rebuilds, plus the plain containers torch allows."""
    from . import _pt_format as fmt
    from ._tensor import Size
    from .nn.parameter import Parameter

    rc = {
        "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
        "torch.nn.parameter.Parameter": Parameter, "torch.Tensor": Tensor, "torch.Size": Size,
        "torch.device": _C.device, "_codecs.encode": encode, "builtins.bytearray": bytearray,
        "builtins.set": set, "builtins.complex": complex,
        "torch._utils._rebuild_tensor": fmt.rebuild_tensor, "torch._utils._rebuild_tensor_v2": fmt.rebuild_tensor_v2,
        "torch._utils._rebuild_tensor_v3": fmt.rebuild_tensor_v3,
        "torch._utils._rebuild_parameter": fmt.rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": fmt.rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": fmt.rebuild_from_type_v2,
    }
    for name, st in STORAGE_TYPES.items():
        rc[f"torch.{name}"] = st
    for row in DTYPES:
        dt = getattr(_C.dtype, row[0], None)
        rc[f"torch.{row[0]}"] = dt if dt is not None else _Unsupported(f"torch.{row[0]}")
    return rc


def _allowed():
    rc = _builtin_globals()
    rc.update(_user_allowed())
    return rc


def _unsupported_global(full):
    return pickle.UnpicklingError(
        f"Weights only load failed: unsupported global: GLOBAL {full} is not an allowed global by default. "
        f"Use `rosenblatt.serialization.add_safe_globals([{full}])` or the "
        f"`rosenblatt.serialization.safe_globals([{full}])` context manager to allow it if you trust this "
        "class/function, or load with weights_only=False if you trust the whole file (it may run code).")


def lookup(allowed, module, name, py2_names):
    """What GLOBAL module.name stands for in `allowed`, or UnpicklingError naming it. Protocol 2 pickles
    (py2_names) spell builtins as __builtin__, as Python 2 did."""
    if py2_names:
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
    full = f"{module}.{name}"
    if module.split(".")[0] in _BLOCKED_MODULES:
        raise pickle.UnpicklingError(f"Weights only load failed: trying to load unsupported GLOBAL {full} whose "
                                     f"module {module} is blocked.")
    if full not in allowed:
        raise _unsupported_global(full)
    return allowed[full]


def unsafe_globals(names):
    """Which of the GLOBAL names ("module.name", as a pickle spells them) the allow-list refuses."""
    allowed, unsafe = _allowed(), []
    for full in sorted(names):
        module, _, name = full.rpartition(".")
        try:
            lookup(allowed, module, name, py2_names=True)
        except pickle.UnpicklingError:
            unsafe.append(full)
    return unsafe


# ---- unpicklers ---------------------------------------------------------------------------------------------
class RestrictedUnpickler(pickle._Unpickler):
    """torch.load(weights_only=True)'s unpickler: only allow-listed globals, and only they are called."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, persistent_load, **kwargs):
        super().__init__(file, **kwargs)
        self._persistent = persistent_load
        self._globals = _allowed()
        self._callable_ids = {id(v) for v in self._globals.values()}
        self._user_types = tuple(v for v in _user_allowed().values() if isinstance(v, type))

    def load(self):
        try:
            return super().load()
        except TypeError as e:  # an allowed callable given garbage (set(5)), an unhashable key: a broken file
            if str(e).startswith("rb.load"):  # ours: a dtype rosenblatt lacks
                raise
            raise pickle.UnpicklingError(f"corrupt pickle (TypeError: {str(e)[:200]})") from None

    def find_class(self, module, name):
        return lookup(self._globals, module, name, self.proto < 3 and self.fix_imports)

    def persistent_load(self, pid):
        return self._persistent(pid)

    def _check_callable(self, func, what):
        if id(func) not in self._callable_ids:
            raise pickle.UnpicklingError(f"Weights only load failed: {what} of {func!r}, which is not an allowed "
                                         "global")

    def load_reduce(self):
        args = self.stack.pop()
        func = self.stack[-1]
        self._check_callable(func, "call")
        if not isinstance(args, tuple):
            raise pickle.UnpicklingError("Weights only load failed: REDUCE arguments are not a tuple")
        self.stack[-1] = func(*args)

    def load_newobj(self):
        args = self.stack.pop()
        cls = self.stack.pop()
        self._check_callable(cls, "new object")
        if not isinstance(cls, type) or not isinstance(args, tuple):
            raise pickle.UnpicklingError(f"Weights only load failed: NEWOBJ of {cls!r}")
        self.append(self._new(cls, args, {}))

    def load_newobj_ex(self):
        kwargs = self.stack.pop()
        args = self.stack.pop()
        cls = self.stack.pop()
        self._check_callable(cls, "new object")
        if not isinstance(cls, type) or not isinstance(args, tuple) or type(kwargs) is not dict:
            raise pickle.UnpicklingError(f"Weights only load failed: NEWOBJ_EX of {cls!r}")
        self.append(self._new(cls, args, kwargs))

    @staticmethod
    def _new(cls, args, kwargs):
        # The extension's types must be built by their constructors (__new__ alone leaves no C++ object).
        if issubclass(cls, (Tensor, _C.device, _C.dtype)):
            from .nn.parameter import Parameter

            if cls is not Parameter:
                raise pickle.UnpicklingError(f"Weights only load failed: NEWOBJ of {cls.__qualname__}")
            return Parameter(*args, **kwargs)
        return cls.__new__(cls, *args, **kwargs)

    def load_obj(self):
        args = self.pop_mark()
        cls = args.pop(0)
        self._check_callable(cls, "new object")
        self._instantiate(cls, args)

    def load_build(self):
        state = self.stack.pop()
        inst = self.stack[-1]
        if type(inst) is OrderedDict or type(inst) is Counter:
            if not isinstance(state, dict):
                raise pickle.UnpicklingError("Weights only load failed: BUILD of an OrderedDict with a non-dict state")
            inst.__dict__.update(state)
            return
        if not (self._user_types and type(inst) in self._user_types):
            raise pickle.UnpicklingError(f"Weights only load failed: can only BUILD OrderedDict or types allowed "
                                         f"with add_safe_globals, but got {type(inst).__module__}."
                                         f"{type(inst).__qualname__}")
        self.stack.append(state)
        super().load_build()

    def load_append(self):
        if type(self.stack[-2]) is not list:
            raise pickle.UnpicklingError(f"Weights only load failed: can only append to lists, not "
                                         f"{type(self.stack[-2]).__name__}")
        super().load_append()

    def load_appends(self):
        items = self.pop_mark()
        if type(self.stack[-1]) is not list:
            raise pickle.UnpicklingError(f"Weights only load failed: can only extend lists, not "
                                         f"{type(self.stack[-1]).__name__}")
        self.stack[-1].extend(items)

    def _check_mapping(self, target):
        if type(target) not in (dict, OrderedDict, Counter):
            raise pickle.UnpicklingError(f"Weights only load failed: can only set items of dict, OrderedDict or "
                                         f"Counter, not {type(target).__name__}")

    def load_setitem(self):
        self._check_mapping(self.stack[-3])
        super().load_setitem()

    def load_setitems(self):
        items = self.pop_mark()
        self._check_mapping(self.stack[-1])
        for i in range(0, len(items) - 1, 2):
            self.stack[-1][items[i]] = items[i + 1]

    def load_additems(self):
        items = self.pop_mark()
        if type(self.stack[-1]) is not set:
            raise pickle.UnpicklingError("Weights only load failed: can only add items to sets")
        self.stack[-1].update(items)

    def load_bytearray8(self):
        # pickle's own allocates the length the file states before reading: read first, then copy
        (n,) = struct.unpack("<Q", self.read(8))
        data = self.read(n)
        if len(data) != n:
            raise pickle.UnpicklingError("corrupt pickle: BYTEARRAY8 longer than the file")
        self.append(bytearray(data))

    for _op, _fn in [(pickle.BYTEARRAY8, load_bytearray8),
                     (pickle.REDUCE, load_reduce), (pickle.NEWOBJ, load_newobj), (pickle.NEWOBJ_EX, load_newobj_ex),
                     (pickle.OBJ, load_obj), (pickle.BUILD, load_build), (pickle.APPEND, load_append),
                     (pickle.APPENDS, load_appends), (pickle.SETITEM, load_setitem),
                     (pickle.SETITEMS, load_setitems), (pickle.ADDITEMS, load_additems)]:
        dispatch[_op[0]] = _fn
    del _op, _fn


class TrustedUnpickler(pickle.Unpickler):
    """weights_only=False: plain pickle (it may run any code in the file), with PyTorch's tensor globals
    rebuilt by rosenblatt."""

    def __init__(self, file, persistent_load, **kwargs):
        super().__init__(file, **kwargs)
        self._persistent = persistent_load
        self._torch = _builtin_globals()

    def find_class(self, module, name):
        full = f"{module}.{name}"
        if full in self._torch:
            return self._torch[full]
        return super().find_class(module, name)

    def persistent_load(self, pid):
        return self._persistent(pid)


# ---- the pickler --------------------------------------------------------------------------------------------
class Global:
    """A name written as GLOBAL module.name, whatever is (or is not) importable here (torch's names)."""

    _cache = {}

    def __new__(cls, module, name):
        key = (module, name)
        if key not in cls._cache:
            obj = super().__new__(cls)
            obj.module, obj.name = module, name
            cls._cache[key] = obj
        return cls._cache[key]

    def __call__(self, *args):  # save_reduce wants a callable; it is never called here
        raise TypeError(f"{self.module}.{self.name} is a name in a pickle, not a function")


class Pickler(pickle._Pickler):
    """torch.save's pickle (protocol 2): tensors as torch._utils._rebuild_tensor_v2 of a persistent
    ('storage', torch.<X>Storage, key, 'cpu', numel), Parameters as torch._utils._rebuild_parameter, dtypes,
    devices and Size under torch's names. `storage_id(tensor)` gives the persistent id of a tensor's storage."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, file, storage_id, protocol=2):
        from ._tensor import Size
        from .nn.modules.module import Module
        from .nn.parameter import Parameter

        super().__init__(file, protocol=protocol)
        self._storage_id = storage_id
        self._types = Size, Module, Parameter

    def save_global_name(self, obj):
        self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    def save_dtype(self, obj):
        self.save(Global("torch", obj.name))

    dispatch[Global] = save_global_name
    dispatch[_C.dtype] = save_dtype

    def persistent_id(self, obj):
        if type(obj) is StorageRef:
            return obj.pid
        return None

    def reducer_override(self, obj):
        Size, Module, Parameter = self._types
        if isinstance(obj, Tensor):
            if isinstance(obj, Parameter):
                data = obj.detach()
                return Global("torch._utils", "_rebuild_parameter"), (data, obj.requires_grad, OrderedDict())
            ref = self._storage_id(obj)
            args = (ref, obj.storage_offset(), tuple(obj.shape), tuple(obj.stride()), obj.requires_grad, OrderedDict())
            return Global("torch._utils", "_rebuild_tensor_v2"), args
        if type(obj) is Size:
            return Global("torch", "Size"), (tuple(obj),)
        if type(obj) is _C.device:
            return Global("torch", "device"), (str(obj),)
        if isinstance(obj, Module):  # its own state, tensors included, not Module.__getstate__'s numpy copies
            return copyreg.__newobj__, (type(obj),), dict(obj.__dict__)
        return NotImplemented


class StorageRef:
    """Stands for one storage in the pickle; its persistent id is what torch writes for a storage."""

    def __init__(self, pid):
        self.pid = pid
