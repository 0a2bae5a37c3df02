"""parameters_to_vector / vector_to_parameters: one flat vector of all parameters and back."""

from typing import Any

from ... import _C
from ..._C import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Any) -> Tensor:
    """Concatenates the parameters, flattened, into one 1-d tensor (a copy)."""
    return _C.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Any, parameters: Any) -> None:
    """Points each parameter's .data at consecutive slices of vec (sharing its memory), in order."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    flat = vec.detach().contiguous()
    base = flat.numpy()
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = _C.from_numpy(base[pointer:pointer + n].reshape(tuple(param.shape))).to(param.dtype)
        pointer += n
