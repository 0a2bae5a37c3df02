"""Bundled and standard-format datasets: load_digits() (the UCI 8x8 digits shipped with the
package, CC BY 4.0, see data/ATTRIBUTION.md) and read_idx() for MNIST-style IDX files."""
import functools
import gzip
import importlib.resources
import os
import zlib
from typing import Any

import numpy as np

from ._C import from_numpy

__all__ = ["load_digits", "read_idx"]


@functools.lru_cache(maxsize=1)
def _digits_table():
    raw = importlib.resources.files(__package__).joinpath("data", "digits.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    table = np.loadtxt(text.splitlines(), delimiter=",", dtype=np.float32)
    if table.ndim != 2 or table.shape[1] != 65:
        raise RuntimeError(f"the bundled digits.csv.gz has shape {table.shape}; expected (1797, 65)")
    return table


def load_digits(split: Any = None, test_fraction: Any = 0.2, seed: Any = 0) -> Any:
    """The bundled UCI handwritten digits (1797 images of 8x8 pixels, labels 0..9).

    Returns (images, labels): images a float32 tensor (N, 1, 8, 8) with pixels scaled to [0, 1]
    (value / 16), labels an int64 tensor (N,). split=None gives all 1797 images in file order;
    'train' or 'test' gives one side of a fixed split: a permutation drawn from numpy's
    default_rng(seed) puts round(N * test_fraction) images in 'test' and the rest in 'train'.
    The same (test_fraction, seed) always gives the same split, on every machine.

    Example:
        >>> x, y = rb.datasets.load_digits('train')
        >>> tuple(x.shape), tuple(y.shape)
        ((1438, 1, 8, 8), (1438,))
    """
    if split not in (None, "train", "test"):
        raise ValueError(f"split must be None, 'train' or 'test', got {split!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    table = _digits_table()
    images = (table[:, :64] / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
    labels = table[:, 64].astype(np.int64)
    if split is not None:
        order = np.random.default_rng(seed).permutation(len(labels))
        n_test = round(len(labels) * test_fraction)
        rows = order[:n_test] if split == "test" else order[n_test:]
        images, labels = images[rows], labels[rows]
    return from_numpy(np.ascontiguousarray(images)), from_numpy(np.ascontiguousarray(labels))


# IDX type byte -> (big-endian numpy dtype, the dtype of the returned array)
_IDX_TYPES = {
    0x08: (">u1", np.uint8),
    0x09: (">i1", np.int8),
    0x0B: (">i2", np.int16),
    0x0C: (">i4", np.int32),
    0x0D: (">f4", np.float32),
    0x0E: (">f8", np.float64),
}


def read_idx(path: Any) -> Any:
    """Reads an IDX file (the format of MNIST and Fashion-MNIST), gzip-compressed or raw.

    Returns a tensor of the file's shape in the file's type, as torchvision reads it: uint8 for
    0x08, int8 for 0x09, int16 for 0x0B, int32 for 0x0C, float32 for 0x0D and float64 for 0x0E.
    Images come back as uint8 values 0..255; scale them with `x.float() / 255`. A malformed file (bad
    magic number, unknown type, truncated header or data, trailing bytes, broken gzip) raises
    ValueError naming the file and the problem."""
    name = os.fspath(path)
    with open(name, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            raise ValueError(f"read_idx: {name}: corrupt gzip stream ({e})") from None
    if len(data) < 4:
        raise ValueError(f"read_idx: {name}: truncated header ({len(data)} bytes; an IDX file starts with 4 "
                         "magic bytes)")
    if data[0] != 0 or data[1] != 0:
        raise ValueError(f"read_idx: {name}: bad magic number 0x{data[:4].hex()} (an IDX file starts with two "
                         "zero bytes, a type byte and the number of dimensions)")
    kind, ndim = data[2], data[3]
    if kind not in _IDX_TYPES:
        raise ValueError(f"read_idx: {name}: unknown data type byte 0x{kind:02x} (expected one of "
                         f"{', '.join(f'0x{k:02X}' for k in _IDX_TYPES)})")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"read_idx: {name}: truncated header: {ndim} dimensions need {header} bytes, "
                         f"the file has {len(data)}")
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    src, out = _IDX_TYPES[kind]
    itemsize = np.dtype(src).itemsize
    count = 1
    for d in shape:
        count *= d
    expected = header + count * itemsize
    if len(data) < expected:
        raise ValueError(f"read_idx: {name}: truncated data: shape {list(shape)} of {np.dtype(src).name} needs "
                         f"{expected - header} bytes after the header, the file has {len(data) - header}")
    if len(data) > expected:
        raise ValueError(f"read_idx: {name}: size mismatch: {len(data) - expected} trailing bytes after the "
                         f"data of shape {list(shape)}")
    arr = np.frombuffer(data, dtype=src, count=count, offset=header).astype(out).reshape(shape)
    return from_numpy(arr)  # astype made a fresh C-contiguous array
