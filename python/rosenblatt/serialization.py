"""rb.save / rb.load: checkpoints in PyTorch's own format (the zip archive torch.save writes; read as
torch.load(weights_only=True) reads it, so no code from the file runs) and in the safetensors format
(`.safetensors` paths), read and written through the safetensors package. A safetensors checkpoint of
anything but a flat str -> Tensor mapping keeps a JSON tree of the object in its metadata."""
import io
import json
import math
import os
import pickle
import secrets
import shutil
import struct
import tempfile
from typing import Any

import numpy as np

from . import _C, _pt_format
from ._C import Tensor, from_numpy
from ._pt_pickle import (
    RestrictedUnpickler,
    TrustedUnpickler,
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
)

__all__ = ["add_safe_globals", "clear_safe_globals", "get_safe_globals", "get_unsafe_globals_in_checkpoint", "load",
           "safe_globals", "save"]

_TREE_KEY = "rosenblatt.tree"   # metadata: the JSON tree of a non-flat object
_KEYS_KEY = "rosenblatt.keys"   # metadata: the insertion order of a flat mapping's keys
_LEGACY_HEAD = b"\x8a\x0a" + _pt_format.LEGACY_MAGIC.to_bytes(10, "little")  # LONG1 of the legacy magic

# safetensors entries of a dtype rosenblatt lacks are widened: numpy dtype name -> the dtype loaded
_WIDEN = {"float16": np.float32, "int32": np.int64, "int16": np.int64, "int8": np.int64, "uint8": np.int64,
          "uint16": np.int64, "uint32": np.int64, "uint64": np.int64}


def _contig(arr):
    """C-contiguous, keeping 0-d arrays 0-d (np.ascontiguousarray makes them 1-d)."""
    return arr if arr.flags.c_contiguous else np.array(arr, order="C")


def _to_numpy(t):
    return _contig(t.detach().contiguous().numpy())


def _is_flat_tensor_mapping(obj):
    return (isinstance(obj, dict) and all(isinstance(k, str) for k in obj)
            and all(isinstance(v, Tensor) for v in obj.values()))


class _Encoder:
    """Turns an object into a JSON-able tree; tensors and arrays go to numbered entries."""

    def __init__(self):
        self.arrays = {}

    def _entry(self, arr):
        name = str(len(self.arrays))
        self.arrays[name] = _contig(arr)
        return name

    def encode(self, obj):
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return obj
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else {"__float__": repr(obj)}
        if isinstance(obj, Tensor):
            return {"__tensor__": self._entry(_to_numpy(obj))}
        if isinstance(obj, np.ndarray):
            if obj.dtype.kind not in "biuf" or obj.dtype.str.lstrip("<>|=") not in _NP_KINDS:
                raise TypeError(f"rb.save: cannot store numpy arrays of dtype {obj.dtype}")
            return {"__ndarray__": self._entry(obj), "dtype": obj.dtype.str}
        if isinstance(obj, np.generic):
            return {"__npscalar__": self.encode(np.asarray(obj))["__ndarray__"], "dtype": obj.dtype.str}
        if isinstance(obj, bytes):
            return {"__bytes__": obj.hex()}
        if isinstance(obj, dict):
            return {"__dict__": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if isinstance(obj, tuple):
            return {"__tuple__": [self.encode(v) for v in obj]}
        if isinstance(obj, list):
            return [self.encode(v) for v in obj]
        if hasattr(obj, "name") and type(obj).__name__ == "dtype" and type(obj).__module__.startswith("rosenblatt"):
            return {"__dtype__": obj.name}
        raise TypeError(f"rb.save: cannot store an object of type {type(obj).__module__}.{type(obj).__qualname__}: "
                        "safetensors checkpoints hold tensors, numpy arrays, numbers, strings, None and dicts, lists "
                        "and tuples of them (safetensors files are never pickles; a path not ending in .safetensors "
                        "gets PyTorch's format, which pickles)")


_NP_KINDS = {"f8", "f4", "f2", "i8", "i4", "i2", "i1", "u1", "u2", "u4", "u8", "b1"}


def _np_to_st(arr):
    """A numpy array safetensors.numpy can write (native little-endian, one of its dtypes)."""
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return _contig(arr)


def _is_safetensors_target(f):
    name = f if isinstance(f, (str, os.PathLike)) else getattr(f, "name", None)
    return isinstance(name, (str, os.PathLike)) and os.fspath(name).lower().endswith(".safetensors")


def _write_atomically(f, write):
    """write(file object) into f, a file object, or a path replaced only once the whole file is written."""
    if hasattr(f, "write"):
        write(f)
        return
    path = os.fspath(f)
    # A fresh name in the target's folder, created by the writer itself so it gets the usual permissions
    # (mkstemp's are 0600).
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)),
                       f"{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _save_safetensors(obj, f):
    from safetensors.numpy import save as st_save
    from safetensors.numpy import save_file as st_save_file

    if _is_flat_tensor_mapping(obj):
        arrays = {k: _np_to_st(_to_numpy(v)) for k, v in obj.items()}
        metadata = {"format": "pt", _KEYS_KEY: json.dumps(list(obj.keys()))}
    else:
        enc = _Encoder()
        tree = enc.encode(obj)
        arrays = {k: _np_to_st(v) for k, v in enc.arrays.items()}
        metadata = {"format": "pt", _TREE_KEY: json.dumps(tree, allow_nan=False)}

    def write(target):
        if isinstance(target, str):
            st_save_file(arrays, target, metadata=metadata)
            umask = _umask()
            if umask is not None:  # the package creates its files 0600; give the usual permissions
                os.chmod(target, 0o666 & ~umask)
        else:
            target.write(st_save(arrays, metadata=metadata))

    _write_atomically(f, write)


def _umask():
    """This process's umask (Linux: read, not set, so no other thread sees it change); None if unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _to_file(write):
    """Adapts a writer of file objects to _write_atomically's path-or-file-object argument."""
    def go(target):
        if isinstance(target, str):
            with open(target, "wb") as fh:
                write(fh)
        else:
            write(target)
    return go


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Saves `obj` to the path (or binary file object) `f`, as torch.save.

    A path ending in `.safetensors` gets a safetensors file: a dict of str -> Tensor (a state_dict) becomes a
    plain one (safetensors.torch.load_file reads it); other objects of tensors, numpy arrays, numbers,
    strings, None, dicts, lists and tuples are kept as a JSON tree in its metadata; anything else is a
    TypeError. Any other path or file object gets PyTorch's checkpoint format, which torch.load (with
    weights_only=True) reads: the zip archive, or with _use_new_zipfile_serialization=False the legacy
    format. It pickles what torch.save would; views that share a storage are saved as one storage. Writing
    to a path is atomic: a temporary file in the same folder is renamed over the target.

    Example:
        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> rb.save(nn.Linear(2, 3).state_dict(), os.path.join(folder, 'model.safetensors'))
        >>> sorted(rb.load(os.path.join(folder, 'model.safetensors')))
        ['bias', 'weight']
        >>> rb.save({'epoch': 3, 'w': rb.ones(2)}, os.path.join(folder, 'ckpt.pt'))   # PyTorch's format
    """
    if pickle_module is not None and pickle_module is not pickle:
        raise ValueError("rb.save writes PyTorch's pickle format itself; pickle_module must be pickle (or None)")
    if _is_safetensors_target(f):
        _save_safetensors(obj, f)
    elif _use_new_zipfile_serialization:
        _write_atomically(f, _to_file(lambda fh: _pt_format.save_zip(obj, fh, pickle_protocol,
                                                                     not _disable_byteorder_record)))
    else:
        _write_atomically(f, _to_file(lambda fh: _pt_format.save_legacy(obj, fh, pickle_protocol)))


# ---- safetensors --------------------------------------------------------------------------------------------
def _st_arrays(path, name):
    """(metadata, {entry: numpy array}) through safetensors.safe_open (a memory map of the file)."""
    from safetensors import SafetensorError, deserialize, safe_open

    try:
        with safe_open(path, framework="numpy") as sf:
            metadata = sf.metadata() or {}
            arrays, raw = {}, None
            for key in sf.keys():
                try:
                    arrays[key] = sf.get_tensor(key)
                except TypeError:  # a dtype numpy lacks (bfloat16): its raw bytes, from the package's parser
                    if raw is None:
                        with open(path, "rb") as fh:
                            raw = dict(deserialize(fh.read()))
                    arrays[key] = _raw_entry(raw[key], name, key)
    except SafetensorError as e:
        raise ValueError(f"rb.load: {name}: not a valid safetensors file ({e})") from None
    return metadata, arrays


def _raw_entry(entry, name, key):
    """A BF16 entry: rosenblatt's bfloat16 where it has one, else float32 (exact either way)."""
    if entry["dtype"] != "BF16":
        raise ValueError(f"rb.load: {name}: entry {key!r}: unsupported dtype {entry['dtype']}")
    return _bf16_tensor(np.frombuffer(entry["data"], dtype="<u2").reshape(entry["shape"]))


def _bf16_tensor(bits):
    """bfloat16 values from their uint16 bits: rosenblatt's bfloat16 where it has one, else float32 (exact)."""
    if getattr(_C.dtype, "bfloat16", None) is not None:
        return _pt_format.to_tensor(bits.reshape(-1), _C.dtype.bfloat16).reshape(bits.shape)
    return from_numpy(_contig((bits.astype(np.uint32) << 16).view(np.float32)))


def _st_tensor(arr):
    """A tensor of a safetensors entry: its own dtype where rosenblatt has it, else widened (_WIDEN)."""
    if isinstance(arr, Tensor):  # a BF16 entry, already converted
        return arr
    if arr.dtype.name == "bfloat16":  # ml_dtypes' numpy bfloat16, there once some package imported it
        return _bf16_tensor(arr.view(np.uint16))
    arr = _contig(arr)
    try:
        return from_numpy(arr)
    except TypeError:
        wide = _WIDEN.get(arr.dtype.name)
        if wide is None:
            raise TypeError(f"rb.load: safetensors entries of dtype {arr.dtype} are not supported") from None
        return from_numpy(arr.astype(wide))


def _load_safetensors(f, name):
    tmp = None
    if hasattr(f, "read"):  # safe_open maps files: spool a file object into one
        fd, tmp = tempfile.mkstemp(suffix=".safetensors")
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(f, out)
        path = tmp
    else:
        path = os.fspath(f)
    try:
        metadata, arrays = _st_arrays(path, name)
    finally:
        if tmp is not None:
            os.remove(tmp)
    if _TREE_KEY in metadata:
        try:
            tree = json.loads(metadata[_TREE_KEY])
        except (TypeError, ValueError, RecursionError) as e:
            raise ValueError(f"rb.load: {name}: corrupt tree metadata ({type(e).__name__}: {str(e)[:200]})") from None
        try:
            return _Decoder(arrays, name).decode(tree)
        except (TypeError, KeyError, AttributeError, OverflowError, RecursionError) as e:
            # A tree node of the wrong shape (a list where a name belongs, an unhashable key, ...).
            raise ValueError(f"rb.load: {name}: corrupt tree ({type(e).__name__}: {str(e)[:200]})") from None
    order = list(arrays)
    if _KEYS_KEY in metadata:
        try:
            keys = json.loads(metadata[_KEYS_KEY])
        except (TypeError, ValueError, RecursionError):
            keys = None
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys) and sorted(keys) == sorted(order):
            order = keys
    return {k: _st_tensor(arrays[k]) for k in order}


class _Decoder:
    def __init__(self, arrays, name):
        self.arrays, self.name = arrays, name

    def _array(self, ref):
        if ref not in self.arrays:
            raise ValueError(f"rb.load: {self.name}: corrupt tree: it refers to a missing entry {ref!r}")
        return self.arrays[ref]

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if isinstance(node, dict):
            if "__tensor__" in node:
                return from_numpy(_contig(self._array(node["__tensor__"])))
            if "__ndarray__" in node:
                return self._stored(node["__ndarray__"], node.get("dtype"))
            if "__npscalar__" in node:
                return self._stored(node["__npscalar__"], node.get("dtype"))[()]
            if "__tuple__" in node:
                return tuple(self.decode(v) for v in node["__tuple__"])
            if "__dict__" in node:
                return {_hashable(self.decode(k)): self.decode(v) for k, v in node["__dict__"]}
            if "__float__" in node:
                return float(node["__float__"])
            if "__bytes__" in node:
                return bytes.fromhex(node["__bytes__"])
            if "__dtype__" in node:
                from . import _C

                return getattr(_C.dtype, node["__dtype__"])
        raise ValueError(f"rb.load: {self.name}: corrupt tree node {str(node)[:80]!r}")

    def _stored(self, ref, dtype):
        arr = self._array(ref)
        try:
            return arr.astype(np.dtype(dtype)) if dtype else arr
        except TypeError:
            raise ValueError(f"rb.load: {self.name}: corrupt tree: bad numpy dtype {dtype!r}") from None


def _hashable(k):
    if isinstance(k, list):
        return tuple(_hashable(v) for v in k)
    return k




# ---- dispatch -----------------------------------------------------------------------------------------------
def load(f: Any, map_location: Any = None, pickle_module: Any = None, *, weights_only: Any = None, mmap: Any = None,
         **pickle_load_args: Any) -> Any:
    """Loads what rb.save or torch.save wrote, or any safetensors file, from a path or binary file object;
    the format is told by the file's first bytes.

    PyTorch checkpoints (the zip archive, or the legacy format) are read as torch.load does, with its
    weights_only semantics (the default, True): the pickle may name only tensors, storages, dtypes,
    OrderedDict and plain containers and numbers, plus what `add_safe_globals`/`safe_globals` allow;
    anything else raises pickle.UnpicklingError naming it, and nothing from the file runs. weights_only=False
    is plain pickle: only for files you trust. mmap=True maps the archive's storages copy-on-write instead of
    reading them (f must be a path). map_location ('cpu', a device, a dict of locations, or a callable) is
    honoured; rosenblatt's tensors live on the CPU. A damaged archive raises RuntimeError; a damaged or
    foreign file that is no PyTorch checkpoint raises ValueError (from the safetensors package).

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), 'ckpt.pt')
        >>> rb.save({'epoch': 3, 'w': rb.ones(2)}, path)
        >>> ckpt = rb.load(path)
        >>> ckpt['epoch'], ckpt['w'].tolist()
        (3, [1.0, 1.0])
    """
    if weights_only is None:
        weights_only = True
    if pickle_module is not None:
        if weights_only:
            raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
        if pickle_module is not pickle:
            raise ValueError("rb.load reads PyTorch's pickle format itself; pickle_module must be pickle (or None)")
    pickle_load_args.setdefault("encoding", "utf-8")
    unpickler = RestrictedUnpickler if weights_only else TrustedUnpickler
    if hasattr(f, "read"):
        if mmap:
            raise ValueError("f must be a file path in order to use the mmap argument")
        return _load_from(f, None, False, unpickler, map_location, pickle_load_args)
    path = os.fspath(f)
    with open(path, "rb") as fh:
        return _load_from(fh, path, mmap, unpickler, map_location, pickle_load_args)


def _load_from(fh, path, mmap, unpickler, map_location, pickle_args):
    name = path if path is not None else getattr(fh, "name", "<file object>")
    if not _seekable(fh):
        fh = io.BytesIO(fh.read())
    start = fh.tell()
    head = fh.read(32)
    fh.seek(start)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        ckpt = _pt_format.ZipCheckpoint(fh, name, path if mmap else None)
        return _unpickling(name, lambda: ckpt.load(unpickler, map_location, pickle_args))
    if head[:1] == b"\x80" and _LEGACY_HEAD in head:
        if mmap:
            raise RuntimeError("mmap can only be used with files saved with `torch.save(_use_new_zipfile_"
                               "serialization=True)`, please torch.save your checkpoint with this option in order "
                               "to use mmap.")
        return _unpickling(name, lambda: _pt_format.load_legacy(fh, name, unpickler, map_location, pickle_args))
    if not callable(map_location):  # safetensors tensors are CPU tensors: only a CPU target is possible
        _pt_format._check_location("cpu", map_location)
    return _load_safetensors(fh if path is None else path, name)


def get_unsafe_globals_in_checkpoint(f: Any) -> list:
    """The globals a PyTorch checkpoint names that rb.load(weights_only=True) would refuse ("module.name"),
    found by reading its pickle's opcodes, never by running it: what add_safe_globals would need to allow
    (torch.serialization.get_unsafe_globals_in_checkpoint)."""
    import pickletools

    from ._pt_pickle import unsafe_globals

    fh = f if hasattr(f, "read") else open(os.fspath(f), "rb")
    try:
        if not _seekable(fh):
            fh = io.BytesIO(fh.read())
        start = fh.tell()
        head = fh.read(32)
        fh.seek(start)
        if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            ckpt = _pt_format.ZipCheckpoint(fh, getattr(fh, "name", "<file object>"))
            streams = [io.BytesIO(ckpt.record("data.pkl"))]
        elif head[:1] == b"\x80" and _LEGACY_HEAD in head:
            streams = [fh] * 5  # magic, protocol, sys_info, the object, the storage keys
        else:
            raise ValueError("not a PyTorch checkpoint (torch.save's zip archive or legacy format)")
        names, strings = set(), []
        for stream in streams:
            for op, arg, _ in pickletools.genops(stream):
                if op.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE", "BINUNICODE8"):
                    strings.append(arg)
                elif op.name in ("GLOBAL", "INST"):
                    names.add(arg.replace(" ", ".", 1))
                elif op.name == "STACK_GLOBAL" and len(strings) >= 2:
                    names.add(f"{strings[-2]}.{strings[-1]}")
        return unsafe_globals(names)
    finally:
        if fh is not f:
            fh.close()


def _seekable(fh):
    try:
        return fh.seekable()
    except (AttributeError, OSError, ValueError):
        return False


def _unpickling(name, run):
    """Runs an unpickling; a pickle stream that ends early or is garbled is an UnpicklingError naming the file."""
    try:
        return run()
    except (EOFError, IndexError, KeyError, ValueError, struct.error, RecursionError) as e:
        raise pickle.UnpicklingError(f"rb.load: {name}: corrupt pickle ({type(e).__name__}: {str(e)[:200]})") \
            from None
