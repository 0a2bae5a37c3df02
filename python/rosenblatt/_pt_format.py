"""PyTorch's checkpoint files without PyTorch: the zip archive torch.save writes (archive/data.pkl, one
64-byte aligned record per storage at archive/data/<key>, byteorder, version) and the legacy format before it.

Reading builds each storage once (a numpy array read straight from the file, or a copy-on-write memory map
of it with mmap=True) and every tensor as an as_strided view of it, so views that shared a storage when
saved share one here. The functions named torch._utils._rebuild_* in a pickle map to the rebuild_* below."""
import io
import pickle
import secrets
import struct
import sys
import zipfile
import zlib

try:
    import lzma
except ImportError:  # Python built without it: zipfile then refuses LZMA records itself
    lzma = None

import numpy as np

from . import _C
from . import _pt_pickle as pk
from ._C import Tensor

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
_ALIGN = 64
# what zipfile raises on a damaged archive, its decompressors' errors included (a record marked as deflated
# whose bytes are not, found by tests/fuzz/fuzz_load.py)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, struct.error, NotImplementedError, OSError,
               ValueError, KeyError, OverflowError, zlib.error, *((lzma.LZMAError,) if lzma else ()))


class CheckpointError(RuntimeError):
    """A damaged or unreadable PyTorch checkpoint (PyTorch raises RuntimeError for these too)."""


class LoadedStorage:
    """A storage read from a checkpoint: its elements as a 1-d numpy array, and the one rosenblatt tensor
    over them that every view of it is cut from."""

    def __init__(self, array, stype, location):
        self.array, self.stype, self.location = array, stype, location
        self._tensor, self._copied = None, False
        self._typed = {}

    def tensor(self):
        if self._tensor is None:
            self._tensor = to_tensor(self.array, pk.rb_dtype(self.stype.dtype_name))
            self._copied = self._tensor.dtype == getattr(_C.dtype, "bfloat16", None)  # to_tensor copies those
        return self._tensor

    def refresh(self):
        """After the array was filled in place (the legacy format's data follow its pickle): a tensor that
        copied it (bfloat16) gets the data too, in place, so the views cut from it see them."""
        if self._tensor is not None and self._copied:
            self._tensor.copy_(to_tensor(self.array, self._tensor.dtype))

    def typed(self, dtype_name):
        """This (byte) storage seen as `dtype_name` elements: _rebuild_tensor_v3's untyped storages."""
        if dtype_name not in self._typed:
            st = pk.BY_DTYPE[dtype_name]
            raw = self.array.view(np.uint8)
            if raw.size % st.itemsize:
                raise CheckpointError(f"a storage of {raw.size} bytes cannot hold torch.{dtype_name} elements")
            self._typed[dtype_name] = LoadedStorage(raw.view(np.dtype(st.numpy)), st, self.location)
        return self._typed[dtype_name]

    def __len__(self):
        return self.array.size

    def nbytes(self):
        return self.array.nbytes

    def __repr__(self):
        return f"<checkpoint storage of {self.array.size} torch.{self.stype.dtype_name} on {self.location}>"


def to_tensor(array, dt):
    """A tensor of dtype `dt` over a 1-d numpy array of its elements' bytes, sharing its memory where numpy
    has the dtype. bfloat16 has no numpy dtype: its bits (uint16) are widened exactly to float32 and
    converted back, a copy."""
    if dt == getattr(_C.dtype, "bfloat16", None):
        wide = (array.astype(np.uint32) << 16).view(np.float32)
        return _C.from_numpy(wide).to(dt)
    try:
        t = _C.from_numpy(array)
    except TypeError:
        t = None
    if t is None or t.dtype != dt:
        raise TypeError(f"rb.load: {dt} tensors cannot be read into rosenblatt from numpy arrays")
    return t


def to_numpy(t):
    """The elements of a tensor as a numpy array of the bytes PyTorch stores (bfloat16: its uint16 bits)."""
    if t.dtype == getattr(_C.dtype, "bfloat16", None):
        return (t.float().numpy().view(np.uint32) >> 16).astype(np.uint16)
    return t.numpy()


# ---- the torch._utils rebuild functions ---------------------------------------------------------------------
def _ints(v, what):
    if not isinstance(v, tuple) or not all(type(i) is int for i in v):
        raise pickle.UnpicklingError(f"rb.load: a tensor's {what} is not a tuple of ints: {v!r}")
    return v


def _view(storage, storage_offset, size, stride):
    if not isinstance(storage, LoadedStorage):
        raise pickle.UnpicklingError(f"rb.load: a tensor rebuilt from {type(storage).__name__}, not a storage")
    if type(storage_offset) is not int:
        raise pickle.UnpicklingError(f"rb.load: a tensor's storage offset is {storage_offset!r}")
    size, stride = _ints(tuple(size), "size"), _ints(tuple(stride), "stride")
    base = storage.tensor()
    if any(s == 0 for s in size):  # nothing to read: torch allows any offset here
        storage_offset = min(max(storage_offset, 0), len(storage))
    return base.as_strided(size, stride, storage_offset)


def rebuild_tensor(storage, storage_offset, size, stride):
    return _view(storage, storage_offset, size, stride)


def rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False, backward_hooks=None,
                      metadata=None):
    t = _view(storage, storage_offset, size, stride)
    if requires_grad:
        t.requires_grad_(True)
    return t


def rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype, metadata=None):
    if not isinstance(storage, LoadedStorage):
        raise pickle.UnpicklingError(f"rb.load: a tensor rebuilt from {type(storage).__name__}, not a storage")
    if not isinstance(dtype, _C.dtype):
        raise TypeError(f"rb.load: the checkpoint holds {dtype!r} data, a dtype rosenblatt does not have")
    return rebuild_tensor_v2(storage.typed(dtype.name), storage_offset, size, stride, requires_grad)


def rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter

    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError(f"rb.load: a Parameter of {type(data).__name__}, not a tensor")
    return Parameter(data, bool(requires_grad))


def _set_state(obj, state):
    """torch._utils._set_obj_state: attributes a tensor carried (a dict, or (dict, slots))."""
    if isinstance(state, tuple) and len(state) == 2:
        dict_state, slots = state
    else:
        dict_state, slots = state, None
    for part in (dict_state, slots):
        if part:
            if not isinstance(part, dict):
                raise pickle.UnpicklingError(f"rb.load: a tensor's state is {type(part).__name__}, not a dict")
            for k, v in part.items():
                setattr(obj, k, v)


def rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    p = rebuild_parameter(data, requires_grad, backward_hooks)
    _set_state(p, state)
    return p


def rebuild_from_type_v2(func, new_type, args, state):
    """A tensor pickled with its Python type and attributes; rosenblatt has Tensor and Parameter."""
    from .nn.parameter import Parameter

    if func not in (rebuild_tensor, rebuild_tensor_v2, rebuild_tensor_v3, rebuild_parameter,
                    rebuild_parameter_with_state) or not isinstance(args, tuple):
        raise pickle.UnpicklingError(f"rb.load: _rebuild_from_type_v2 of {func!r}")
    ret = func(*args)
    if new_type is Parameter and not isinstance(ret, Parameter):
        ret = Parameter(ret, ret.requires_grad)
    elif new_type is not Tensor and new_type is not Parameter:
        raise pickle.UnpicklingError(f"rb.load: tensors of type {getattr(new_type, '__qualname__', new_type)!r} "
                                     "cannot be rebuilt")
    if state:
        _set_state(ret, state)
    return ret


# ---- reading ------------------------------------------------------------------------------------------------
def _ascii(v):
    return v.decode("ascii") if isinstance(v, bytes) else v


def _restore(storage, map_location):
    """torch's restore_location: where a storage saved on `storage.location` goes. rosenblatt holds tensors on
    the CPU; a callable map_location(storage, location) may return the storage (or None for the default)."""
    if callable(map_location) and not isinstance(map_location, (_C.device, str, bytes, dict)) \
            and type(map_location).__name__ != "device":
        result = map_location(storage, storage.location)
        if result is None:
            _check_location(storage.location, None)
            return storage
        if not isinstance(result, LoadedStorage):
            raise TypeError(f"rb.load: map_location returned {type(result).__name__}, not the storage it was given")
        return result
    _check_location(storage.location, map_location)
    return storage


def _check_location(location, map_location):
    target = location
    if isinstance(map_location, dict):
        target = map_location.get(location, location)
    elif isinstance(map_location, (str, bytes)):
        target = _ascii(map_location)
    elif isinstance(map_location, _C.device) or type(map_location).__name__ == "device":
        target = str(map_location)
    target = str(_ascii(target))
    if target != "cpu" and not target.startswith("cpu:"):
        if target.startswith("cuda"):
            raise RuntimeError("Attempting to deserialize object on a CUDA device but rosenblatt has no CUDA here. "
                               "If you are running on a CPU-only machine, please use rb.load with "
                               "map_location=rb.device('cpu') to map your storages to the CPU.")
        raise RuntimeError(f"don't know how to restore data location of a storage saved on {target!r}")


def _storage_pid(pid, n):
    if type(pid) is not tuple or len(pid) < n or _ascii(pid[0]) != "storage":
        raise pickle.UnpicklingError(f"rb.load: only storages may be persistent ids, not {str(pid)[:80]}")
    stype, key, location, numel = pid[1:5]
    if not isinstance(stype, pk.StorageType):
        raise pickle.UnpicklingError(f"rb.load: storage of {stype!r}, not a storage type")
    key, location = _ascii(key), _ascii(location)
    if not isinstance(key, str) or not isinstance(location, str) or type(numel) is not int or numel < 0:
        raise pickle.UnpicklingError(f"rb.load: malformed storage id {str(pid)[:120]}")
    return stype, key, location, numel


class ZipCheckpoint:
    """A torch.save zip archive: its records, its storages and the unpickled object."""

    def __init__(self, fileobj, name, mmap_path=None):
        self.f, self.name, self.mmap_path = fileobj, name, mmap_path
        try:
            self.zf = zipfile.ZipFile(fileobj)
            names = self.zf.namelist()
        except _ZIP_ERRORS as e:
            raise self._error(f"not a valid zip archive ({type(e).__name__}: {e})") from None
        pkls = sorted((n for n in names if n.endswith("data.pkl") and n.count("/") <= 1
                       and n.rsplit("/", 1)[-1] == "data.pkl"), key=len)
        if not pkls:
            kind = "a TorchScript archive (torch.jit.save)" if any(n.endswith("constants.pkl") for n in names) \
                else "a zip archive without data.pkl"
            raise self._error(f"{kind}, not a torch.save checkpoint")
        self.prefix = pkls[0][:-len("data.pkl")]
        self.storages = {}
        order = self.record("byteorder", required=False)
        self.byteorder = "little" if order is None else order.decode("ascii", "replace")
        if self.byteorder not in ("little", "big"):
            raise self._error(f"unknown endianness type {self.byteorder!r}")
        try:
            self.file_size = fileobj.seek(0, io.SEEK_END)
        except (OSError, ValueError) as e:
            raise self._error(f"cannot seek ({e})") from None

    def _error(self, msg):
        return CheckpointError(f"rb.load: {self.name}: {msg}")

    def record(self, rel, required=True):
        name = self.prefix + rel
        try:
            self.zf.getinfo(name)
        except KeyError:
            if required:
                raise self._error(f"the archive has no record {name}") from None
            return None
        try:
            return self.zf.read(name)
        except _ZIP_ERRORS as e:
            raise self._error(f"corrupt record {name} ({type(e).__name__}: {e})") from None

    def load(self, unpickler_cls, map_location, pickle_kwargs):
        data = self.record("data.pkl")

        def persistent_load(pid):
            stype, key, location, numel = _storage_pid(pid, 5)
            if key not in self.storages:
                st = LoadedStorage(self._storage_array(key, stype, numel), stype, location)
                self.storages[key] = _restore(st, map_location)
            return self.storages[key]

        return unpickler_cls(io.BytesIO(data), persistent_load, **pickle_kwargs).load()

    def _storage_array(self, key, stype, numel):
        name = f"{self.prefix}data/{key}"
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise self._error(f"the archive has no record {name} for storage {key!r}") from None
        nbytes = numel * stype.itemsize
        if info.file_size != nbytes:
            raise self._error(f"record {name} holds {info.file_size} bytes, its storage needs {nbytes} "
                              f"({numel} x torch.{stype.dtype_name})")
        dtype = np.dtype(stype.numpy).newbyteorder("<" if self.byteorder == "little" else ">")
        if info.compress_type != zipfile.ZIP_STORED:  # not what torch writes, but a valid zip: inflate it
            try:
                arr = np.frombuffer(self.zf.read(name), dtype=dtype).copy()
            except _ZIP_ERRORS as e:
                raise self._error(f"corrupt record {name} ({type(e).__name__}: {e})") from None
        else:
            offset = self._data_offset(info)
            if offset + nbytes > self.file_size:
                raise self._error(f"truncated file: record {name} ends at byte {offset + nbytes} of "
                                  f"{self.file_size}")
            if self.mmap_path is not None and numel:
                # copy-on-write, as torch's mmap=True (MAP_PRIVATE): writes stay in memory, never in the file
                arr = np.memmap(self.mmap_path, dtype=dtype, mode="c", offset=offset, shape=(numel,))
            else:
                arr = np.empty(numel, dtype=dtype)
                self.f.seek(offset)
                got = self.f.readinto(memoryview(arr.view(np.uint8)))
                if got != nbytes:
                    raise self._error(f"truncated file: record {name} has {got} of its {nbytes} bytes")
                if zlib.crc32(arr.view(np.uint8)) != info.CRC:
                    raise self._error(f"corrupt record {name}: CRC-32 mismatch")
        if not arr.dtype.isnative:
            arr = arr.astype(arr.dtype.newbyteorder("="))
        return arr

    def _data_offset(self, info):
        """Where a stored record's bytes start: after its local header, whose extra field (torch's 64-byte
        alignment padding) may differ from the central directory's."""
        self.f.seek(info.header_offset)
        head = self.f.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise self._error(f"corrupt local header for record {info.filename}")
        n, m = struct.unpack("<HH", head[26:30])
        return info.header_offset + 30 + n + m


def load_legacy(f, name, unpickler_cls, map_location, pickle_kwargs):
    """torch.save(..., _use_new_zipfile_serialization=False): three small pickles (magic, protocol, sys_info),
    the object's pickle, the list of storage keys, then each storage as an int64 count and its bytes
    (little-endian whatever the machine, as torch writes them)."""
    def refuse(pid):
        raise pickle.UnpicklingError("rb.load: a persistent id in a checkpoint's header")

    def unpickle(persistent=refuse):
        return unpickler_cls(f, persistent, **pickle_kwargs).load()

    if unpickle() != LEGACY_MAGIC:
        raise CheckpointError(f"rb.load: {name}: invalid magic number; corrupt file?")
    protocol = unpickle()
    if protocol != LEGACY_PROTOCOL:
        raise CheckpointError(f"rb.load: {name}: invalid protocol version: {protocol!r}")
    sys_info = unpickle()
    if not isinstance(sys_info, dict):
        raise CheckpointError(f"rb.load: {name}: corrupt header")
    storages = {}
    here = f.tell()
    file_size = f.seek(0, io.SEEK_END)
    f.seek(here)

    def persistent_load(pid):
        if type(pid) is tuple and pid and _ascii(pid[0]) == "module":
            return pid[1]  # a module's class, already through find_class
        stype, key, location, numel = _storage_pid(pid, 6)
        if numel * stype.itemsize > file_size:  # its bytes follow in this file: a larger count is a broken file
            raise CheckpointError(f"rb.load: {name}: storage {key!r} of {numel} elements is larger than the file")
        if key not in storages:
            storages[key] = _restore(LoadedStorage(np.zeros(numel, dtype=stype.numpy), stype, location),
                                     map_location)
        view = pid[5]
        if view is None:
            return storages[key]
        if type(view) is not tuple or len(view) != 3 or not all(type(v) is int for v in view[1:]):
            raise pickle.UnpicklingError(f"rb.load: malformed storage view {str(view)[:80]}")
        view_key, offset, view_size = view  # a storage view (torch < 0.4)
        if view_key not in storages:
            storages[view_key] = LoadedStorage(storages[key].array[offset:offset + view_size], stype, location)
        return storages[view_key]

    result = unpickle(persistent_load)
    keys = unpickle()
    if not isinstance(keys, list):
        raise CheckpointError(f"rb.load: {name}: corrupt storage list")
    for key in keys:
        st = storages.get(_ascii(key))
        if st is None:
            raise CheckpointError(f"rb.load: {name}: storage {key!r} is listed but never used")
        head = f.read(8)
        if len(head) != 8:
            raise CheckpointError(f"rb.load: {name}: truncated file: storage {key!r} is missing")
        numel = int.from_bytes(head, "little", signed=True)
        if numel != st.array.size:
            raise CheckpointError(f"rb.load: {name}: storage {key!r} holds {numel} elements, expected "
                                  f"{st.array.size}")
        raw = st.array.view(np.uint8) if st.array.flags.c_contiguous else None
        buf = bytearray(st.array.nbytes) if raw is None else memoryview(raw)
        if f.readinto(buf) != st.array.nbytes:
            raise CheckpointError(f"rb.load: {name}: truncated file: storage {key!r} is short")
        if raw is None:
            st.array[...] = np.frombuffer(buf, dtype=st.array.dtype)
        if sys.byteorder == "big" and st.array.itemsize > 1:
            st.array.byteswap(inplace=True)
    for st in storages.values():
        st.refresh()
    return result


# ---- writing ------------------------------------------------------------------------------------------------
class _Storages:
    """The storages of the tensors being pickled, each once, in the order first met (keys "0", "1", ...)."""

    def __init__(self, legacy):
        self.entries = {}
        self.legacy = legacy

    def __call__(self, t):
        sid, _, nbytes = t._storage_info()
        try:
            st = pk.storage_type_of(t.dtype)
        except KeyError:
            raise TypeError(f"rb.save: tensors of dtype {t.dtype} have no PyTorch storage type") from None
        entry = self.entries.get(sid)
        if entry is None:
            key, numel = str(len(self.entries)), nbytes // st.itemsize
            pid = ("storage", pk.Global("torch", st.storage_name), key, "cpu", numel)
            entry = self.entries[sid] = (pk.StorageRef(pid + (None,) if self.legacy else pid), t, st, numel)
        elif entry[2] is not st:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data as different types")
        return entry[0]

    def arrays(self):
        """(key, the whole storage as a 1-d little-endian numpy array), without copying on little-endian hosts."""
        for ref, t, _, numel in self.entries.values():
            arr = to_numpy(t.detach().as_strided((numel,), (1,), 0))
            if sys.byteorder == "big":
                arr = arr.astype(arr.dtype.newbyteorder("<"))
            yield ref.pid[2], arr


def _pickle(obj, storages, protocol):
    buf = io.BytesIO()
    pk.Pickler(buf, storages, protocol=protocol).dump(obj)
    return buf.getbuffer()


def _write_record(zf, name, data):
    """A stored (uncompressed) zip record whose bytes start at a multiple of 64, as torch's writer aligns
    them (a 'FB' extra field of padding), so they can be memory-mapped in place."""
    data = memoryview(data).cast("B")
    zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_STORED
    zi.file_size = data.nbytes
    zip64 = data.nbytes * 1.05 > zipfile.ZIP64_LIMIT  # zipfile's own rule for a zip64 local header
    header = 30 + len(name.encode("utf-8")) + (20 if zip64 else 0) + 4
    pad = -(zf.fp.tell() + header) % _ALIGN
    zi.extra = struct.pack("<HH", 0x4246, pad) + b"Z" * pad
    with zf.open(zi, "w", force_zip64=zip64) as w:
        w.write(data)


def save_zip(obj, f, protocol=2, byteorder_record=True):
    storages = _Storages(legacy=False)
    data = _pickle(obj, storages, protocol)
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        _write_record(zf, "archive/data.pkl", data)
        if byteorder_record:
            _write_record(zf, "archive/byteorder", b"little")
        for key, arr in storages.arrays():
            _write_record(zf, f"archive/data/{key}", arr.view(np.uint8) if arr.size else b"")
        _write_record(zf, "archive/version", b"3\n")
        _write_record(zf, "archive/.data/serialization_id", str(secrets.randbits(128)).zfill(40).encode())


def save_legacy(obj, f, protocol=2):
    storages = _Storages(legacy=True)
    data = _pickle(obj, storages, protocol)
    sys_info = {"protocol_version": LEGACY_PROTOCOL, "little_endian": True,
                "type_sizes": {"short": 2, "int": 4, "long": 4}}
    for header in (LEGACY_MAGIC, LEGACY_PROTOCOL, sys_info):
        pickle.dump(header, f, protocol=protocol)
    f.write(data)
    arrays = dict(storages.arrays())
    keys = sorted(arrays)
    pickle.dump(keys, f, protocol=protocol)
    for key in keys:
        f.write(struct.pack("<q", arrays[key].size))
        if arrays[key].size:
            f.write(memoryview(arrays[key].view(np.uint8)))
