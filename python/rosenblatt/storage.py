"""PyTorch's storages: the block of memory that tensors view. ``Tensor.untyped_storage()`` is its bytes
(UntypedStorage), ``Tensor.storage()`` the same block read as the tensor's dtype (TypedStorage, deprecated in
PyTorch and warned about as there). Both share the memory: writing through one changes every tensor on the
block. ``Tensor.set_``, ``Tensor.new(storage)`` and ``rosenblatt.Tensor(storage)`` put tensors on a storage.

One difference from PyTorch: a storage keeps the size it was made with. ``resize_`` raises, and ``set_`` with
a geometry past the end of the storage raises instead of growing it, since growing a block moves it, and
an array that numpy or DLPack holds on the old memory would be left reading freed memory.
"""
import operator
import warnings

from . import _C
from ._C import Tensor


class _Storage:
    """What both storage classes share: a block (``untyped()``) read as a 1-D tensor of elements (``_view()``)."""

    def __len__(self):
        return self.size()

    def nbytes(self):
        return self.untyped()._impl.nbytes() // self.element_size() * self.element_size()

    @property
    def device(self):
        return self.untyped()._impl.device

    @property
    def is_cuda(self):
        return self.device.type == "cuda"

    @property
    def is_sparse(self):
        return False

    def data_ptr(self):
        return self.untyped()._impl.data_ptr()

    def is_shared(self):
        return False

    def is_pinned(self, device="cuda"):
        return False

    def __getitem__(self, idx):
        return self._view()[_index(idx, self.size())].item()

    def __setitem__(self, idx, value):
        self._view()[idx if isinstance(idx, slice) else _index(idx, self.size())] = value

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self):
        return self._view().tolist()

    def fill_(self, value):
        self._view().fill_(value)
        return self

    def copy_(self, src, non_blocking=None):
        if not isinstance(src, _Storage):
            raise TypeError(f"copy_(): expected a storage, got {type(src).__name__}")
        if src.nbytes() != self.nbytes():
            raise RuntimeError(f"size does not match, self was {self.nbytes()} bytes but src was {src.nbytes()} bytes")
        self.untyped()._view().copy_(src.untyped()._view())
        return self

    def _repr(self, what):
        body = "".join(f" {v}\n" for v in self.tolist())
        return f"{body}[rosenblatt.storage.{type(self).__name__}({what}device={self.device}) of size {self.size()}]"


class UntypedStorage(_Storage):
    """A block of bytes: ``UntypedStorage(nbytes, device=None)`` (uninitialized), ``UntypedStorage(sequence of
    byte values)``, or a tensor's own through ``Tensor.untyped_storage()``."""

    def __init__(self, *args, device=None):
        dev = _C.device(str(device)) if device is not None else _C.device("cpu")
        if len(args) > 1:
            raise TypeError(f"UntypedStorage(): expected at most one argument (a size or a sequence), got {len(args)}")
        arg = args[0] if args else 0
        if isinstance(arg, _C._StorageImpl):  # internal: wraps an existing block
            self._impl = arg
            return
        if isinstance(arg, int) and not isinstance(arg, bool):
            self._impl = _C._StorageImpl(arg, dev)
            return
        from ._tensor import tensor

        values = tensor(list(arg), dtype=_C.dtype.uint8)  # PyTorch's errors for values past 0..255
        self._impl = _C._StorageImpl(values.numel(), dev)
        self._view().copy_(values)

    def _view(self):
        """The block as a 1-D uint8 tensor (a view: writes go to the storage)."""
        return _on_storage(self, _C.dtype.uint8, 0, (self._impl.nbytes(),), (1,))

    def untyped(self):
        return self

    def size(self):
        return self._impl.nbytes()

    def element_size(self):
        return 1

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "rosenblatt.storage.UntypedStorage"
        raise TypeError("UntypedStorage.type(dtype): an untyped storage has no dtype to convert")

    def __getitem__(self, idx):
        if isinstance(idx, slice):  # bytes [start, stop) as a storage of their own, sharing the memory
            start, stop, step = idx.indices(len(self))
            if step != 1:
                raise RuntimeError(f"Trying to slice with a step of {step}, but only a step of 1 is supported")
            return UntypedStorage(self._impl._slice(start, max(start, stop)))
        return super().__getitem__(idx)

    def clone(self):
        return UntypedStorage(self.nbytes(), device=self.device).copy_(self)

    def cpu(self):
        return self if self.device.type == "cpu" else self._view().cpu().untyped_storage()

    def resize_(self, size):
        raise RuntimeError(f"resize_(): rosenblatt storages keep their size ({self.nbytes()} bytes): growing one "
                           "would move the memory that views and exported arrays hold; make a new storage")

    def __eq__(self, other):  # the same block (tensor.untyped_storage() makes a new object on each call)
        return isinstance(other, UntypedStorage) and (self.data_ptr(), self.nbytes(), str(self.device)) == (
            other.data_ptr(), other.nbytes(), str(other.device))

    def __hash__(self):
        return hash((self.data_ptr(), self.nbytes()))

    def __repr__(self):
        return self._repr("")


class TypedStorage(_Storage):
    """A storage read as elements of one dtype: ``Tensor.storage()``, ``TypedStorage(size, dtype=...)``,
    ``TypedStorage(sequence, dtype=...)`` or ``TypedStorage(wrap_storage=untyped, dtype=...)``."""

    def __init__(self, *args, dtype=None, device=None, wrap_storage=None, _internal=False):
        if not _internal:
            _warn_typed_storage()
        if dtype is None:
            from ._finfo import get_default_dtype
            dtype = get_default_dtype()
        self.dtype = dtype
        if wrap_storage is not None:
            if args or device is not None:
                raise RuntimeError("TypedStorage(wrap_storage=...): no other argument but dtype may be given")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(f"expected wrap_storage to be an UntypedStorage, got {type(wrap_storage).__name__}")
            self._untyped_storage = wrap_storage
            return
        if len(args) > 1:
            raise TypeError(f"TypedStorage(): expected at most one argument (a size or a sequence), got {len(args)}")
        arg = args[0] if args else 0
        if isinstance(arg, int) and not isinstance(arg, bool):
            self._untyped_storage = UntypedStorage(arg * _itemsize(self.dtype), device=device)
            return
        from ._tensor import tensor

        self._untyped_storage = tensor(list(arg), dtype=self.dtype, device=device).untyped_storage()

    def _view(self):
        """The whole block as a 1-D tensor of self.dtype (a view)."""
        return _on_storage(self._untyped_storage, self.dtype, 0, (self.size(),), (1,))

    def untyped(self):
        return self._untyped_storage

    def size(self):
        return self._untyped_storage.nbytes() // _itemsize(self.dtype)

    def element_size(self):
        return _itemsize(self.dtype)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            from ._tensor import _TYPE_NAMES
            return "rosenblatt." + _TYPE_NAMES[self.dtype].replace("Tensor", "Storage")
        raise TypeError("TypedStorage.type(dtype): convert the tensor instead (tensor.to(dtype))")

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return super().__getitem__(idx)

    def clone(self):
        return TypedStorage(wrap_storage=self._untyped_storage.clone(), dtype=self.dtype, _internal=True)

    def cpu(self):
        return TypedStorage(wrap_storage=self._untyped_storage.cpu(), dtype=self.dtype, _internal=True)

    def resize_(self, size):
        self._untyped_storage.resize_(size * _itemsize(self.dtype))

    def __eq__(self, other):
        return isinstance(other, TypedStorage) and self.dtype == other.dtype and \
            self._untyped_storage == other._untyped_storage

    def __hash__(self):
        return hash(self._untyped_storage)

    def __repr__(self):
        return self._repr(f"dtype={self.dtype}, ")


def _itemsize(dtype):
    return _C.empty(0, dtype=dtype).element_size()


def _index(idx, n):
    try:
        i = operator.index(idx)
    except TypeError:
        raise TypeError(f"can't index a storage with {type(idx).__name__}") from None
    if not -n <= i < n:
        raise IndexError(f"index {i} out of range for storage of size {n}")
    return i + n if i < 0 else i


def _warn_typed_storage():
    warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only "
                  "storage class. This should only matter to you if you are using storages directly.  To access "
                  "UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
                  UserWarning, stacklevel=3)


def _on_storage(storage, dtype, offset, size, stride):
    """A new tensor of dtype viewing `storage` (an UntypedStorage) with this geometry."""
    t = _C.empty(0, dtype=dtype, device=storage.device)
    t._set_storage_(storage._impl, dtype, offset, size, stride)
    return t


def _contiguous_strides(size):
    strides, acc = [], 1
    for s in reversed(size):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))


def _storage_of(source, dtype, what):
    """(UntypedStorage, elements it holds) of a storage argument, which must be untyped or of `dtype`."""
    if isinstance(source, TypedStorage):
        if source.dtype != dtype:
            raise RuntimeError(f"Expected a Storage of type {_c_name(dtype)} or an UntypedStorage, but got type "
                               f"{_scalar_type(source.dtype)} for argument 1 '{what}'")
        return source.untyped()
    return source


def _untyped_storage(self):
    """The bytes this tensor views (shared: writes through the storage change the tensor)."""
    return UntypedStorage(self._storage_impl())


def _storage(self):
    """The block this tensor views, read as its dtype (PyTorch's deprecated TypedStorage, with its warning)."""
    _warn_typed_storage()
    return TypedStorage(wrap_storage=_untyped_storage(self), dtype=self.dtype, _internal=True)


def _set_(self, source=None, storage_offset=None, size=None, stride=None):
    """Tensor.set_(): onto another tensor's memory and geometry (``set_(tensor)``), onto all of a storage
    (``set_(storage)``), onto part of one (``set_(storage, storage_offset, size, stride=None)``: contiguous strides
    when none are given), or onto a new empty storage (``set_()``). In place; returns self. Autograd's saved
    tensors keep the memory they saved."""
    if source is None:
        self._set_storage_(UntypedStorage(0, device=self.device)._impl, self.dtype, 0, (0,), (1,))
        return self
    if storage_offset is not None and size is None:
        raise TypeError("set_(): storage_offset needs size as well: set_(source, storage_offset, size, stride=None)")
    if isinstance(source, Tensor):
        if source.dtype != self.dtype:
            raise RuntimeError(f"Could not set tensor of type {_c_name(source.dtype)} to a tensor of type "
                               f"{_c_name(self.dtype)}")
        if size is None:
            storage_offset, size, stride = source.storage_offset(), tuple(source.shape), source.stride()
        source = source.untyped_storage()
    if not isinstance(source, (UntypedStorage, TypedStorage)):
        raise TypeError(f"set_(): expected a Tensor or a storage as source, got {type(source).__name__}")
    untyped = _storage_of(source, self.dtype, "storage")
    offset = 0 if storage_offset is None else operator.index(storage_offset)
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    size = (untyped.nbytes() // self.element_size(),) if size is None else tuple(size)
    stride = _contiguous_strides(size) if stride is None else tuple(stride)
    self._set_storage_(untyped._impl, self.dtype, offset, size, stride)
    return self


def _is_set_to(self, tensor):
    """Whether both tensors view the same memory with the same geometry."""
    return (self._storage_impl().data_ptr() == tensor._storage_impl().data_ptr()
            and self._storage_impl().nbytes() == tensor._storage_impl().nbytes() and self.dtype == tensor.dtype
            and self.storage_offset() == tensor.storage_offset() and tuple(self.shape) == tuple(tensor.shape)
            and self.stride() == tensor.stride())


def _c_name(dtype):  # PyTorch's scalar type names in its set_ errors: float, double, long ...
    return {"float32": "float", "float64": "double", "int64": "long", "int32": "int", "int16": "short",
            "int8": "signed char", "uint8": "unsigned char", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
            "bool": "bool"}.get(str(dtype).split(".")[-1], str(dtype))


def _scalar_type(dtype):  # ATen's ScalarType names: Float, Double, Long ...
    from ._tensor import _TYPE_NAMES

    return _TYPE_NAMES[dtype][:-len("Tensor")]


def tensor_on(source, dtype):
    """The legacy constructors' form with a storage: a 1-D tensor of dtype over all of it."""
    untyped = _storage_of(source, dtype, "storage")
    return _set_(_C.empty(0, dtype=dtype, device=untyped.device), untyped)


Tensor.untyped_storage = _untyped_storage
Tensor.storage = _storage
Tensor.set_ = _set_
Tensor.is_set_to = _is_set_to
