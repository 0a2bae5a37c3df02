"""default_collate and default_convert as torch.utils.data has them: a list of samples becomes a
batch (tensors, numpy arrays and numbers stacked; tuples, lists and dicts collated field-wise)."""
import collections.abc
from typing import Any

import numpy as np

from ... import _C
from ..._C import Tensor

__all__ = ["default_collate", "default_convert"]

_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}")


def _np_to_tensor(a):
    from ..._tensor import as_tensor

    if a.dtype.kind in "SUO":
        raise TypeError(_ERR.format(a.dtype))
    return as_tensor(a if a.flags.c_contiguous else np.array(a, order="C"))  # keeps 0-d arrays 0-d


def default_convert(data: Any) -> Any:
    """Converts numpy arrays inside `data` to tensors, leaving the structure as it is."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if data.dtype.kind in "SUO" else _np_to_tensor(data)
    if isinstance(data, np.generic) and data.dtype.kind not in "SUO":
        return _np_to_tensor(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        try:
            return type(data)({k: default_convert(v) for k, v in data.items()})
        except TypeError:
            return {k: default_convert(v) for k, v in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def default_collate(batch: Any) -> Any:
    """Stacks a list of samples into a batch, as torch.utils.data.default_collate:
    tensors -> stack on a new dim 0; numpy arrays -> tensors, stacked; numpy scalars -> a tensor;
    float -> float64 tensor; int -> int64 tensor; bool -> bool tensor; str/bytes -> the list;
    dicts -> a dict of collated values; namedtuples -> the namedtuple; tuples and lists -> a list
    of collated fields (every sample must have the same number of fields)."""
    from ..._tensor import tensor

    elem = batch[0]
    if isinstance(elem, Tensor):
        shape = elem.shape
        for i, b in enumerate(batch):
            if not isinstance(b, Tensor):
                raise TypeError(_ERR.format(type(b).__name__))
            if b.shape != shape:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at entry 0 "
                                   f"and {list(b.shape)} at entry {i}")
        return _C.stack(list(batch), 0)
    if isinstance(elem, np.ndarray):
        if elem.dtype.kind in "SUO":
            raise TypeError(_ERR.format(elem.dtype))
        return default_collate([_np_to_tensor(b) for b in batch])
    if isinstance(elem, np.generic):
        if elem.dtype.kind in "SUO":
            raise TypeError(_ERR.format(elem.dtype))
        return _np_to_tensor(np.array(batch))
    if isinstance(elem, bool):
        return tensor(batch)
    if isinstance(elem, float):
        return tensor(batch, dtype=_C.dtype.float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        out = {k: default_collate([d[k] for d in batch]) for k in elem}
        try:
            return type(elem)(out)
        except TypeError:
            return out
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        n = len(elem)
        if not all(len(b) == n for b in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        fields = [default_collate(s) for s in zip(*batch)]  # fields are tuples, as in PyTorch
        if isinstance(elem, tuple):
            return fields
        try:
            return type(elem)(fields)
        except TypeError:
            return fields
    raise TypeError(_ERR.format(type(elem).__name__))
