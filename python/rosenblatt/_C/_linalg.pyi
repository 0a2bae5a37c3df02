"""
the C++ ops behind rosenblatt.linalg
"""
from __future__ import annotations
import typing
import builtins
from rosenblatt._C import Tensor, dtype
__all__: list[builtins.str] = ['cross', 'matrix_norm', 'norm', 'vector_norm']
def cross(input: Tensor, other: Tensor, *, dim: typing.SupportsInt | typing.SupportsIndex = -1) -> Tensor:
    ...
def matrix_norm(A: Tensor, ord: typing.Any = 'fro', dim: typing.Any = (-2, -1), keepdim: builtins.bool = False, *, dtype: dtype | None = None) -> Tensor:
    ...
def norm(A: Tensor, ord: typing.Any = None, dim: typing.Any = None, keepdim: builtins.bool = False, *, dtype: dtype | None = None) -> Tensor:
    ...
def vector_norm(x: Tensor, ord: typing.Any = 2.0, dim: typing.Any = None, keepdim: builtins.bool = False, *, dtype: dtype | None = None) -> Tensor:
    ...
