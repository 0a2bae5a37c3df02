"""Python-level parts of Tensor: construction from Python data, Size, repr, conversions and
backward. Everything hot stays in C++; these are the methods whose work is Python objects."""
import builtins
from typing import Any

import numpy as np

from . import _C
from ._C import Tensor


class Size(tuple):
    """A tensor's shape: a tuple that prints as PyTorch's torch.Size."""

    def __repr__(self):
        return f"rosenblatt.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


_C._set_size_type(Size)

_NP_TO_DTYPE = {
    np.dtype(np.float32): _C.dtype.float32,
    np.dtype(np.float64): _C.dtype.float64,
    np.dtype(np.float16): _C.dtype.float16,
    np.dtype(np.int64): _C.dtype.int64,
    np.dtype(np.int32): _C.dtype.int32,
    np.dtype(np.int16): _C.dtype.int16,
    np.dtype(np.int8): _C.dtype.int8,
    np.dtype(np.uint8): _C.dtype.uint8,
    np.dtype(np.bool_): _C.dtype.bool,
}
_DTYPE_TO_NP = {v: k for k, v in _NP_TO_DTYPE.items()}
# numpy has no bfloat16: such tensors are built in float32 and rounded (round to nearest even)
_DTYPE_TO_NP[_C.dtype.bfloat16] = np.dtype(np.float32)


def _to_int64(arr):
    """uint16/32/64 data as int64 (rosenblatt has no wider unsigned dtype), refusing a value past int64
    rather than wrapping it to a negative one."""
    if arr.dtype == np.uint64 and arr.size and arr.max() > np.iinfo(np.int64).max:
        raise RuntimeError(f"value {int(arr.max())} of a numpy.uint64 array does not fit int64, the widest integer "
                           "dtype rosenblatt has")
    return arr.astype(np.int64)


def _numpy_of(data, dtype):
    """A fresh numpy array holding `data` in the dtype rosenblatt.tensor() gives it."""
    if isinstance(data, Tensor):
        src = data.detach()
        arr = (src.float() if src.dtype == _C.dtype.bfloat16 else src).numpy().copy()
    elif isinstance(data, (np.ndarray, np.generic)):  # numpy scalars keep their dtype, as in PyTorch
        arr = np.array(data, copy=True)
        if arr.dtype.kind in "iu" and arr.dtype not in _NP_TO_DTYPE:  # uint16/32/64
            arr = _to_int64(arr)
    else:
        arr = np.array(data)
        if arr.dtype == object:
            raise TypeError(f"Could not infer dtype of {type(data).__name__}")
        if arr.dtype.kind == "f":
            if dtype is None:  # Python floats become the default dtype unless one is asked for
                arr = arr.astype(np.float32)
        elif arr.dtype.kind in "iu":
            arr = _to_int64(arr)
        elif arr.dtype.kind not in "b":
            raise TypeError(f"Could not infer dtype of {type(data).__name__} (numpy kind {arr.dtype.kind!r})")
    if dtype is not None:
        arr = arr.astype(_DTYPE_TO_NP[dtype])
    elif arr.dtype not in _NP_TO_DTYPE:
        raise TypeError(f"can't convert np.ndarray of type numpy.{arr.dtype}. The only supported types are: "
                        "float64, float32, float16, int64, int32, int16, int8, uint8, and bool.")
    # np.ascontiguousarray would turn a 0-d array into a 1-d one.
    return arr if arr.flags.c_contiguous else np.array(arr, order="C")


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: Any = False,
           pin_memory: Any = False) -> Tensor:
    """Copies `data` (nested lists, numbers, numpy arrays, tensors) into a new tensor."""
    _C._check_pin_memory(pin_memory)
    if dtype is None and isinstance(data, Tensor):
        dtype = data.dtype
    t = _C.from_numpy(_numpy_of(data, dtype))
    if dtype is not None and t.dtype != dtype:  # bfloat16
        t = t._to_dtype(dtype)
    if device is not None:
        t = _on_device(t, _C.device(str(device)))
    if requires_grad:
        t.requires_grad_(True)
    return t


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like tensor(), but shares memory with a tensor or numpy array when no conversion is needed."""
    if device is not None and _C.device(str(device)) != _C.device("cpu"):
        return tensor(data, dtype=dtype).to(device) if not isinstance(data, Tensor) else data.to(device, dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype == dtype else data._to_dtype(dtype)
    if (isinstance(data, np.ndarray) and data.dtype in _NP_TO_DTYPE
            and (dtype is None or _NP_TO_DTYPE[data.dtype] == dtype)):
        try:
            return _C.from_numpy(data)
        except ValueError:
            pass  # negative strides: copy
    return tensor(data, dtype=dtype)


def _backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    if inputs is None and not create_graph:  # the common call, straight to the engine (microseconds matter)
        _C._run_backward([self], [gradient], bool(retain_graph), [], False)
        return
    from .autograd import backward

    backward([self], [gradient], retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)


class _GradHookHandle:
    """What register_hook returns (PyTorch's RemovableHandle): remove() unregisters the hook."""

    def __init__(self, handle):
        self._handle = handle
        self.id = handle.id

    def remove(self):
        self._handle.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _register_hook(self, hook):
    """hook(grad) -> Tensor or None, called when the gradient of self is computed; a returned
    tensor replaces the gradient (for a leaf, before it is accumulated into .grad)."""
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")

    def checked(grad):
        result = hook(grad)
        if result is not None:
            _check_hook_result(grad, result, hook)
        return result

    return _GradHookHandle(_C._register_grad_hook(self, checked))


def _legacy_type_name(t):
    return "rosenblatt." + ("cuda." if t.device.type == "cuda" else "") + _TYPE_NAMES[t.dtype]


def _check_hook_result(grad, result, hook):
    # PyTorch's check: the backward that reads the gradient was planned for its dtype, device and
    # size (its kernel reads it by the forward's geometry), so a hook may change only its values.
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    name = getattr(hook, "__name__", "<unknown>")
    was, got = _legacy_type_name(grad), _legacy_type_name(result)
    if was != got:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {was} got {got})")
    if result.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")


def _register_post_accumulate_grad_hook(self, hook):
    """hook(tensor), called on a leaf after its .grad was accumulated during backward."""
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    return _GradHookHandle(_C._register_post_accumulate_grad_hook(self, hook))


def _parse_to(args, kwargs, accept_copy=True):
    """The (dtype, device, copy, non_blocking) that to(dtype), to(device), to(device, dtype) or to(other)
    ask for: one parser for Tensor.to and nn.Module.to (which takes no copy=)."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False) if accept_copy else False
    non_blocking = bool(kwargs.pop("non_blocking", False))
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, _C.dtype):
            dtype = a
        elif isinstance(a, (str, _C.device)):
            device = a
        elif isinstance(a, Tensor):
            dtype, device = a.dtype, a.device
        else:
            raise TypeError(f"to() received an invalid combination of arguments: {a!r}")
    if isinstance(device, int):
        device = f"cuda:{device}"
    return dtype, (None if device is None else _C.device(str(device))), copy, non_blocking


def _to(self, *args, **kwargs):
    """to(dtype), to(device), to(device, dtype), to(other); copy=False returns self when nothing changes."""
    dtype, device, copy, non_blocking = _parse_to(args, kwargs)
    out = self if dtype is None or dtype == self.dtype else self._to_dtype(dtype)
    out = _on_device(out, device, non_blocking)
    return out.clone() if copy and out is self else out


def _on_device(t, device, non_blocking=False):
    """t itself (the same Python object) when it is on `device` already (index None: any), else its copy there."""
    if device is None or (device.type == t.device.type and device.index in (None, t.device.index)):
        return t
    return t._to_device(device, non_blocking)


def _cuda(self, device=None, non_blocking=False):
    """A copy on the GPU (`device`: an index, a device or None for the current one); self when already there."""
    device = "cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device
    return _on_device(self, _C.device(str(device)), non_blocking)


def _type_method(dt):
    def method(self):
        return self._to_dtype(dt)

    method.__name__ = str(dt).split(".")[-1]
    return method


def _scalar_method(conv):
    def method(self):
        if self.numel() != 1:
            raise TypeError(f"only one element tensors can be converted to Python scalars (shape {list(self.shape)})")
        return conv(self.item())

    return method


def _bool(self):
    if self.numel() != 1:
        raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous (shape {list(self.shape)})")
    return builtins.bool(self.item())


def _index(self):
    if self.dtype.is_floating_point or self.dtype == _C.dtype.bool or self.numel() != 1:
        raise TypeError("only integer tensors of a single element can be converted to an index")
    return self.item()


Tensor.backward = _backward
Tensor.register_hook = _register_hook
Tensor.register_post_accumulate_grad_hook = _register_post_accumulate_grad_hook
Tensor.to = _to
Tensor.float = _type_method(_C.dtype.float32)
Tensor.double = _type_method(_C.dtype.float64)
Tensor.long = _type_method(_C.dtype.int64)
Tensor.bool = _type_method(_C.dtype.bool)
Tensor.half = _type_method(_C.dtype.float16)
Tensor.bfloat16 = _type_method(_C.dtype.bfloat16)
Tensor.int = _type_method(_C.dtype.int32)
Tensor.short = _type_method(_C.dtype.int16)
Tensor.char = _type_method(_C.dtype.int8)
Tensor.byte = _type_method(_C.dtype.uint8)
Tensor.cpu = lambda self: _on_device(self, _C.device("cpu"))
Tensor.cuda = _cuda
Tensor.type_as = lambda self, other: self.to(other.dtype)
Tensor.get_device = lambda self: -1 if self.device.type == "cpu" else self.device.index  # PyTorch's -1 for CPU
Tensor.is_pinned = lambda self, device=None: False  # no page-locked memory without an accelerator


def _pin_memory(self, device=None):
    """PyTorch's answer on a machine without an accelerator (scripts pin only when CUDA is in use)."""
    raise RuntimeError("Cannot access accelerator device when none is available.")


Tensor.pin_memory = _pin_memory


def _unfold(self, dimension, size, step):
    """Tensor.unfold: the windows of ``size`` elements along ``dimension``, ``step`` apart, as a new last
    dimension; a strided view (as_strided, so gradients of overlapping windows add up), as PyTorch's."""
    nd = max(self.dim(), 1)
    if not -nd <= dimension < nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {dimension})")
    d = dimension % nd
    n = self.shape[d] if self.dim() else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if self.dim() == 0:
        return self.as_strided((1,), (1,), self.storage_offset())
    if self.requires_grad and _C.is_grad_enabled() and not self.is_contiguous():
        # as_strided's backward needs a dense input: window a contiguous copy (same values and gradients;
        # the one difference from PyTorch, writes through this result do not reach self)
        self = self.contiguous()
    shape, strides = list(self.shape), list(self.stride())
    shape[d], strides[d] = (n - size) // step + 1, strides[d] * step
    return self.as_strided((*shape, size), (*strides, self.stride(d)), self.storage_offset())


Tensor.unfold = _unfold
Tensor.__float__ = _scalar_method(builtins.float)
Tensor.__int__ = _scalar_method(builtins.int)
Tensor.__bool__ = _bool
Tensor.__index__ = _index
Tensor.__iter__ = lambda self: (self[i] for i in range(len(self)))


def _repr(self):
    from ._formatting import tensor_repr

    return tensor_repr(self)


def _format(self, spec):
    from ._formatting import tensor_format

    return tensor_format(self, spec)


Tensor.__repr__ = _repr
Tensor.__str__ = _repr
Tensor.__format__ = _format


# new_* creation methods: same dtype and device as self unless given (PyTorch's Tensor.new_zeros ...).
def _new_factory(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False):
        return fn(*size, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)

    method.__name__ = "new_" + fn.__name__
    return method


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return _C.full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                   requires_grad=requires_grad)


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def _new(self, *args, device=None):
    """Tensor.new, PyTorch's legacy constructor: ``new()`` is empty; ``new(*sizes)`` or ``new(Size)``
    uninitialized; ``new(data)`` the data (a sequence or array) in self's dtype; ``new(tensor)`` a view of a
    tensor of self's dtype; ``new(storage)`` a 1-D view of all of a storage."""
    dev = self.device if device is None else _C.device(str(device))
    if dev.type != self.device.type:
        raise RuntimeError(f"legacy constructor expects device type: {self.device.type} but device type: "
                           f"{dev.type} was passed")
    if not args:
        return _C.empty(0, dtype=self.dtype, device=dev)
    if len(args) == 1 and _is_storage(args[0]):
        return _storage_mod().tensor_on(args[0], self.dtype)
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if other.dtype != self.dtype or other.device != dev:
            raise TypeError(f"expected {self.dtype} on {dev} (got {other.dtype} on {other.device})")
        return other.as_strided(other.size(), other.stride(), other.storage_offset())
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args) or (len(args) == 1
                                                                             and isinstance(args[0], Size)):
        return _C.empty(*args, dtype=self.dtype, device=dev)
    if len(args) == 1:
        data = args[0]
        if isinstance(data, str):
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        if not isinstance(data, (list, tuple, np.ndarray)):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        return tensor(data, dtype=self.dtype, device=dev)
    bad = next(a for a in args if not isinstance(a, int) or isinstance(a, bool))
    raise TypeError(f"new(): argument 'size' must be tuple of ints, but found element of type "
                    f"{type(bad).__name__}")


Tensor.new = _new
Tensor.new_zeros = _new_factory(_C.zeros)
Tensor.new_ones = _new_factory(_C.ones)
Tensor.new_empty = _new_factory(_C.empty)
Tensor.new_full = _new_full
Tensor.new_tensor = _new_tensor


_TYPE_NAMES = {_C.dtype.float32: "FloatTensor", _C.dtype.float64: "DoubleTensor", _C.dtype.int64: "LongTensor",
               _C.dtype.bool: "BoolTensor", _C.dtype.float16: "HalfTensor", _C.dtype.bfloat16: "BFloat16Tensor",
               _C.dtype.uint8: "ByteTensor", _C.dtype.int8: "CharTensor", _C.dtype.int16: "ShortTensor",
               _C.dtype.int32: "IntTensor"}


def _type(self, dtype=None, non_blocking=False):
    """Tensor.type(): the type's name ("rosenblatt.FloatTensor"); Tensor.type(dtype or name): converted."""
    if dtype is None:
        return "rosenblatt." + _TYPE_NAMES[self.dtype]
    if isinstance(dtype, str):
        by_name = {n: d for d, n in _TYPE_NAMES.items()}
        short = dtype.rsplit(".", 1)[-1]
        if short not in by_name:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = by_name[short]
    return self.to(dtype)


Tensor.type = _type


def _apply_(self, callable):
    """Tensor.apply_(fn): fn applied to every element in place, in Python (slow, as PyTorch warns:
    for experiments, not for hot loops). Not recorded by autograd, as PyTorch refuses it on tensors
    that require grad."""
    if self.requires_grad:
        raise RuntimeError("apply_ is only implemented on CPU tensors that do not require grad")
    values = np.array([callable(v) for v in self.reshape(-1).tolist()]).reshape(tuple(self.shape))
    with _no_grad():
        self.copy_(tensor(values, dtype=self.dtype if self.dtype != _C.dtype.bfloat16 else None))
    return self


def _no_grad():
    from .autograd import no_grad  # autograd imports this module

    return no_grad()


Tensor.apply_ = _apply_


def _storage_mod():
    from . import storage  # storage imports the extension only, but rosenblatt imports this module first

    return storage


def _is_storage(obj):
    mod = _storage_mod()
    return isinstance(obj, (mod.UntypedStorage, mod.TypedStorage))


def _legacy_new(dtype, *args):
    """torch.Tensor(...)'s legacy forms: no argument (an empty 1-D tensor), sizes (uninitialised),
    a torch.Size, data (a sequence or array, converted to dtype), or a storage (a view of all of it)."""
    if not args:
        return _C.empty(0, dtype=dtype)
    sizes = all(isinstance(a, int) and not isinstance(a, bool) for a in args)
    if sizes or (len(args) == 1 and isinstance(args[0], Size)):
        return _C.empty(*args, dtype=dtype)
    if len(args) == 1:
        data = args[0]
        if _is_storage(data):
            return _storage_mod().tensor_on(data, dtype)
        if isinstance(data, Tensor):
            return data if data.dtype == dtype else data.to(dtype)
        return tensor(data, dtype=dtype)
    raise TypeError(f"new(): invalid arguments {tuple(type(a).__name__ for a in args)}: expected sizes (ints) "
                    "or one sequence of data")


_tensor_init = Tensor.__init__


def _init(self, *args, **kwargs):
    """Tensor(t) aliases t (what Parameter builds on); Tensor(data), Tensor(2, 3) (sizes) and Tensor() are
    PyTorch's legacy constructors, in the default dtype float32."""
    if len(args) == 1 and not kwargs and isinstance(args[0], Tensor):
        return _tensor_init(self, args[0])
    if kwargs:
        raise TypeError(f"Tensor(): unexpected keyword arguments {sorted(kwargs)}")
    return _tensor_init(self, _legacy_new(_C.dtype.float32, *args))


Tensor.__init__ = _init


class _LegacyTensorType(type):
    """torch.FloatTensor and its kin: calling one builds a tensor of its dtype (legacy forms, as
    Tensor's); isinstance(t, rosenblatt.LongTensor) tests the dtype."""

    def __call__(cls, *args):
        return _legacy_new(cls.dtype, *args)

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype


def _legacy_types():
    return {name: _LegacyTensorType(name, (), {"dtype": dt, "__module__": "rosenblatt"})
            for dt, name in _TYPE_NAMES.items()}
