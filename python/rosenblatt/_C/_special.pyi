"""
the C++ ops behind rosenblatt.special
"""
from __future__ import annotations
import typing
import builtins
from rosenblatt._C import Tensor
__all__: list[builtins.str] = ['entr', 'logsumexp', 'sinc', 'xlogy']
def entr(input: Tensor) -> Tensor:
    ...
def logsumexp(input: Tensor, dim: typing.Any, keepdim: builtins.bool = False) -> Tensor:
    ...
def sinc(input: Tensor) -> Tensor:
    ...
def xlogy(input: typing.Any, other: typing.Any) -> Tensor:
    ...
