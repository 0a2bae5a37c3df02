"""Variable-length batches as torch.nn.utils.rnn: PackedSequence, pack_padded_sequence,
pad_packed_sequence, pad_sequence, pack_sequence, unpack_sequence; the recurrent layers read them."""
from collections import namedtuple
from typing import Any

import numpy as np

from ... import _C
from ..._C import Tensor
from ..._tensor import tensor as _tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
]


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """data: (sum of lengths, *) with the steps of all sequences interleaved time-major (longest first);
    batch_sizes: int64 (max_len,), how many sequences are still running at each step."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = invert_permutation(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    @property
    def is_cuda(self) -> Any:
        return False

    def is_pinned(self) -> Any:
        return False

    def to(self, *args: Any, **kwargs: Any) -> Any:
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(data, self.batch_sizes, self.sorted_indices,
                                                         self.unsorted_indices)

    def double(self) -> Any:
        return self.to(dtype=_C.float64)

    def float(self) -> Any:
        return self.to(dtype=_C.float32)


def invert_permutation(permutation: Any) -> Any:
    if permutation is None:
        return None
    p = np.asarray(permutation.numpy() if hasattr(permutation, "numpy") else permutation, dtype=np.int64)
    inv = np.empty_like(p)
    inv[p] = np.arange(p.size, dtype=np.int64)
    return _tensor(inv)


def _np_int(x):
    if hasattr(x, "numpy"):
        return np.asarray(x.detach().numpy() if hasattr(x, "detach") else x.numpy()).astype(np.int64).reshape(-1)
    return np.asarray(x, dtype=np.int64).reshape(-1)


def _lengths_of(batch_sizes):
    """Per sorted sequence length from batch_sizes."""
    bs = _np_int(batch_sizes)
    B = int(bs[0]) if bs.size else 0
    return np.array([(bs > b).sum() for b in range(B)], dtype=np.int64)


def _packed_to_padded(seq, padding_value=0.0, total_length=None):
    """(T, B, *) padded in the packed (sorted) batch order, plus the sorted lengths as an int64 tensor."""
    data = seq.data
    bs = _np_int(seq.batch_sizes)
    T = bs.size if total_length is None else total_length
    B = int(bs[0]) if bs.size else 0
    offsets = np.concatenate([[0], np.cumsum(bs)[:-1]]).astype(np.int64)
    n = data.size(0)
    idx = np.full((T, B), n, dtype=np.int64)  # n points at the padding row
    for t in range(bs.size):
        idx[t, :bs[t]] = offsets[t] + np.arange(bs[t])
    rest = list(data.shape[1:])
    pad = _C.full([1] + rest, padding_value, dtype=data.dtype)
    src = _C.cat([data, pad], 0)
    padded = src.index_select(0, _tensor(idx.reshape(-1))).reshape([T, B] + rest)
    return padded, _tensor(_lengths_of(bs))


def _padded_to_packed(padded, like):
    """Inverse of _packed_to_padded with like's batch_sizes and indices."""
    bs = _np_int(like.batch_sizes)
    T, B = padded.size(0), padded.size(1)
    idx = np.concatenate([t * B + np.arange(bs[t]) for t in range(bs.size)]).astype(np.int64)
    rest = list(padded.shape[2:])
    data = padded.reshape([T * B] + rest).index_select(0, _tensor(idx))
    return PackedSequence(data, like.batch_sizes, like.sorted_indices, like.unsorted_indices)


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: Any = False, enforce_sorted: Any = True) -> Any:
    lengths = _np_int(lengths)
    if batch_first:
        input = input.transpose(0, 1)
    B = input.size(1) if input.dim() > 1 else 0
    if lengths.size != B:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
                           f"(batch_size={B})")
    if enforce_sorted:
        if np.any(lengths[1:] > lengths[:-1]):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence "
                               "to sidestep this requirement if you do not need ONNX exportability.")
        sorted_indices = None
        order = np.arange(B)
    else:
        order = np.argsort(-lengths, kind="stable")
        sorted_indices = _tensor(order.astype(np.int64))
        lengths = lengths[order]
    if B and lengths.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if B and lengths.max() > input.size(0):
        raise RuntimeError(f"Expected all lengths to be at most the sequence length {input.size(0)}, but got "
                           f"{int(lengths.max())}")
    T = int(lengths[0]) if B else 0
    bs = np.array([(lengths > t).sum() for t in range(T)], dtype=np.int64)
    Tin = input.size(0)
    idx = np.concatenate([t * B + order[:bs[t]] for t in range(T)]).astype(np.int64) if T else np.zeros(0, np.int64)
    rest = list(input.shape[2:])
    data = input.reshape([Tin * B] + rest).index_select(0, _tensor(idx))
    return PackedSequence(data, _tensor(bs), sorted_indices, None)


def pad_packed_sequence(sequence: Any, batch_first: Any = False, padding_value: Any = 0.0,
                        total_length: Any = None) -> Any:
    max_len = _np_int(sequence.batch_sizes).size
    if total_length is not None and total_length < max_len:
        raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                         f"but got total_length={total_length} and max sequence length being {max_len}")
    padded, lengths = _packed_to_padded(sequence, padding_value, total_length)
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(1, sequence.unsorted_indices)
        lengths = lengths.index_select(0, sequence.unsorted_indices)
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, lengths


def pad_sequence(sequences: Any, batch_first: Any = False, padding_value: Any = 0.0,
                 padding_side: Any = "right") -> Any:
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    T = max(s.size(0) for s in sequences)
    out = []
    for s in sequences:
        n = T - s.size(0)
        if n:
            pad = _C.full([n] + list(s.shape[1:]), padding_value, dtype=s.dtype)
            s = _C.cat([s, pad] if padding_side == "right" else [pad, s], 0)
        out.append(s)
    return _C.stack(out, 0 if batch_first else 1)


def pack_sequence(sequences: Any, enforce_sorted: Any = True) -> Any:
    lengths = [s.size(0) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: Any) -> Any:
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return [padded[i, :int(n)] for i, n in enumerate(_np_int(lengths))]
