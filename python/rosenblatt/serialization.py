"""rb.save / rb.load: checkpoints in the safetensors format, never pickle. A flat str -> Tensor
mapping (a state_dict) is a plain safetensors file that PyTorch's safetensors.torch.load_file
reads; anything else (nested dicts/lists/tuples of tensors, numpy arrays, numbers, strings, e.g.
an optimizer state_dict) is a safetensors file whose metadata holds a JSON tree of the object
with references to its tensor entries. Loading parses data only, so it never runs code."""
import json
import math
import os
import tempfile
from typing import Any

import numpy as np

from ._C import Tensor, from_numpy

__all__ = ["load", "save"]

_TREE_KEY = "rosenblatt.tree"   # metadata: the JSON tree of a non-flat object
_KEYS_KEY = "rosenblatt.keys"   # metadata: the insertion order of a flat mapping's keys
_MAX_HEADER = 100 * 1024 * 1024

# safetensors dtype names -> (numpy dtype as stored, numpy dtype of the loaded tensor)
_ST_DTYPES = {
    "F64": ("<f8", np.float64), "F32": ("<f4", np.float32), "F16": ("<f2", np.float32),
    "BF16": ("<u2", np.float32), "I64": ("<i8", np.int64), "I32": ("<i4", np.int64),
    "I16": ("<i2", np.int64), "I8": ("i1", np.int64), "U8": ("u1", np.int64), "U16": ("<u2", np.int64),
    "U32": ("<u4", np.int64), "U64": ("<u8", np.int64), "BOOL": ("?", np.bool_),
}


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
                        "checkpoints hold tensors, numpy arrays, numbers, strings, None and dicts, lists and tuples "
                        "of them (rosenblatt never pickles)")


_NP_KINDS = {"f8", "f4", "f2", "i8", "i4", "i2", "i1", "u1", "u2", "u4", "u8", "b1"}


def _np_to_st(arr):
    """A numpy array safetensors.numpy can write (native little-endian, one of its dtypes)."""
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    return _contig(arr)


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: Any = None,
         _use_new_zipfile_serialization: bool = True) -> None:
    """Saves `obj` to the path (or binary file object) `f` in the safetensors format.

    A dict of str -> Tensor (a state_dict) becomes a plain safetensors file, readable by
    safetensors.torch.load_file; other objects (nested dicts, lists and tuples of tensors, numpy
    arrays, numbers, strings, None) are kept as a JSON tree in the file's metadata. Tensors are
    saved detached and contiguous; views that share memory are saved as separate copies. Writing
    to a path is atomic: a temporary file in the same folder is renamed over the target.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), 'model.safetensors')
        >>> rb.save(nn.Linear(2, 3).state_dict(), path)
        >>> sorted(rb.load(path))
        ['bias', 'weight']
    """
    from safetensors.numpy import save as st_save
    from safetensors.numpy import save_file as st_save_file

    if pickle_module is not None:
        raise ValueError("rb.save never pickles; pickle_module is not supported")
    if _is_flat_tensor_mapping(obj):
        arrays = {k: _np_to_st(_to_numpy(v)) for k, v in obj.items()}
        metadata = {"format": "pt", _KEYS_KEY: json.dumps(list(obj.keys()))}
    else:
        enc = _Encoder()
        tree = enc.encode(obj)
        arrays = {k: _np_to_st(v) for k, v in enc.arrays.items()}
        metadata = {"format": "pt", _TREE_KEY: json.dumps(tree, allow_nan=False)}
    if hasattr(f, "write"):
        f.write(st_save(arrays, metadata=metadata))
        return
    path = os.fspath(f)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        st_save_file(arrays, tmp, metadata=metadata)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _parse(data, name):
    """(metadata, {entry: numpy array}) of a safetensors file's bytes, every field checked."""
    def bad(msg):
        return ValueError(f"rb.load: {name}: {msg}")

    if data[:4] == b"PK\x03\x04":
        raise bad("this is a zip/pickle checkpoint (torch.save); rosenblatt reads safetensors files only, which "
                  "never execute code: in PyTorch, save it with safetensors.torch.save_file(state_dict, path)")
    if len(data) < 8:
        raise bad(f"truncated file ({len(data)} bytes): not a safetensors checkpoint")
    n = int.from_bytes(data[:8], "little")
    if n > _MAX_HEADER:
        raise bad(f"not a safetensors checkpoint (header length {n} is implausible)")
    if 8 + n > len(data):
        raise bad(f"truncated file: the header needs {n} bytes, the file has {len(data) - 8} after the length")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError) as e:  # JSONDecodeError, UnicodeDecodeError, too deep, a repeated key
        raise bad(f"corrupt header ({type(e).__name__}: {str(e)[:200]})") from None
    if not isinstance(header, dict):
        raise bad("corrupt header (not a JSON object)")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise bad("corrupt header (__metadata__ is not an object)")
    body = memoryview(data)[8 + n:]
    arrays, spans = {}, []
    for key, info in header.items():
        try:
            dt, shape, (a, b) = info["dtype"], info["shape"], info["data_offsets"]
            src, dst = _ST_DTYPES[dt]
            if not isinstance(shape, list) or not all(_is_index(s) for s in shape) or not (_is_index(a)
                                                                                           and _is_index(b)):
                raise TypeError
        except KeyError:
            raise bad(f"entry {key!r}: unsupported dtype {info.get('dtype') if isinstance(info, dict) else info!r}"
                      if isinstance(info, dict) and "dtype" in info and "shape" in info and "data_offsets" in info
                      else f"corrupt header entry {key!r}") from None
        except (TypeError, ValueError):
            raise bad(f"corrupt header entry {key!r}") from None
        count = math.prod(shape)  # Python ints: no overflow, whatever the header says
        size = count * np.dtype(src).itemsize
        if not a <= b or b - a != size:
            raise bad(f"corrupt entry {key!r}: offsets [{a}, {b}] do not hold shape {shape} of {dt}")
        if b > len(body):
            raise bad(f"truncated file: entry {key!r} ends at byte {b} of the data, which has {len(body)} bytes")
        arr = np.frombuffer(body[a:b], dtype=src, count=count)
        if dt == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        arrays[key] = arr.astype(dst).reshape(shape)  # astype copies: the loaded tensors own their memory
        spans.append((a, b, key))
    # The entries tile the data section exactly, as safetensors requires: in offset order each one
    # starts where the one before ended, with no overlap and no gap, and the last ends at the end.
    end = 0
    for a, b, key in sorted(spans, key=lambda t: (t[0], t[1])):
        if a < end:
            raise bad(f"corrupt entry {key!r}: its bytes [{a}, {b}) overlap another entry's (which ends at {end})")
        if a > end:
            raise bad(f"corrupt entry {key!r}: a gap of {a - end} bytes before its bytes [{a}, {b})")
        end = b
    if end != len(body):
        raise bad(f"corrupt file: {len(body) - end} bytes after the last tensor entry")
    return metadata, arrays


def _is_index(v):
    """A JSON non-negative integer (bool is an int subclass in Python, not in JSON)."""
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _unique_keys(pairs):
    """json object_pairs_hook: a dict, refusing a repeated key (an entry would be silently lost)."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen:
                raise ValueError(f"repeated key {k!r}")
            seen.add(k)
    return d


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


def load(f: Any, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool = True, mmap: Any = None,
         **pickle_load_args: Any) -> Any:
    """Loads what rb.save wrote (or any safetensors file, e.g. from safetensors.torch.save_file)
    from a path or binary file object. A plain safetensors file gives a dict of str -> Tensor
    (float16/bfloat16 entries become float32, integer ones int64). Raises ValueError naming the
    file when it is truncated, corrupt or not a safetensors file.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), 'ckpt.safetensors')
        >>> rb.save({'epoch': 3, 'w': rb.ones(2)}, path)
        >>> ckpt = rb.load(path)
        >>> ckpt['epoch'], ckpt['w'].tolist()
        (3, [1.0, 1.0])
    """
    if map_location not in (None, "cpu") and str(map_location) != "cpu":
        raise RuntimeError(f"rb.load: map_location={map_location!r}: only the CPU is available")
    if hasattr(f, "read"):
        name = getattr(f, "name", "<file object>")
        data = f.read()
    else:
        name = os.fspath(f)
        with open(name, "rb") as fh:
            data = fh.read()
    metadata, arrays = _parse(data, name)
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
    return {k: from_numpy(_contig(arrays[k])) for k in order}


