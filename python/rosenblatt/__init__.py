"""rosenblatt: tensors, autograd and neural networks on a C++ core, with PyTorch's API.

`import rosenblatt as torch` works for the subset it covers; see README.md.
"""
from ._load import _C  # noqa: F401  (first: loads the BLAS and checks the CPU before the extension)

# isort: split
from ._C import *  # noqa: F401,F403  (ops bound in C++: add, matmul, zeros, ...)
from ._C import Tensor, device, dtype, from_numpy, is_grad_enabled  # noqa: F401

__version__ = "0.1.0"

# dtypes under PyTorch's names
bool = dtype.bool  # noqa: A001  (shadows the builtin inside this namespace, as torch.bool does)
int64 = long = dtype.int64
float32 = float = dtype.float32  # noqa: A001
float64 = double = dtype.float64
float16 = half = dtype.float16
bfloat16 = dtype.bfloat16
uint8 = dtype.uint8
int8 = dtype.int8
int16 = short = dtype.int16
int32 = int = dtype.int32  # noqa: A001

# the Python layers; the training toolkit: data loading, bundled datasets, the fit loop, the perceptron rule,
# checkpoints
from math import e, inf, nan, pi  # noqa: E402,F401  (torch.e, torch.inf, torch.nan, torch.pi)

from . import amp, autograd, backends, compiler, cuda, datasets, gan, jit, nn, optim, random, return_types, train, utils  # noqa: E402,F401,E501
from ._config import show_config  # noqa: E402,F401
from ._finfo import finfo, get_default_dtype, iinfo, set_default_dtype  # noqa: E402,F401
from ._formatting import get_printoptions, printoptions, set_printoptions  # noqa: E402,F401
from ._tensor import Size, _legacy_types, as_tensor, tensor  # noqa: E402,F401
from .amp import autocast, get_autocast_dtype, is_autocast_available, is_autocast_enabled  # noqa: E402,F401
from .autograd import enable_grad, inference_mode, is_inference_mode_enabled, no_grad, set_grad_enabled  # noqa: E402,F401,E501
from .backends import (  # noqa: E402,F401
    are_deterministic_algorithms_enabled,
    get_float32_matmul_precision,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    use_deterministic_algorithms,
)
from .compiler import compile  # noqa: E402,F401,A001  (returns the model unchanged: there is no compiler)
from .perceptron import Perceptron  # noqa: E402,F401
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state  # noqa: E402,F401
from .serialization import load, save  # noqa: E402,F401
from .storage import TypedStorage, UntypedStorage  # noqa: E402,F401
from .train import fit  # noqa: E402,F401

# PyTorch's legacy typed constructors, FloatTensor(data or sizes), and isinstance(t, LongTensor) dtype tests
_legacy = _legacy_types()
FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor = (_legacy[n] for n in (
    "FloatTensor", "DoubleTensor", "HalfTensor", "BFloat16Tensor"))
LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor, BoolTensor = (_legacy[n] for n in (
    "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"))

# isort: split
from . import (  # noqa: E402,F401  (torch.linalg norms and cross, torch.special basics)
    linalg,
    onnx,  # noqa: E402,F401  (rosenblatt.onnx.export; needs the onnx package only when called)
    special,
)

__all__ = [
    "are_deterministic_algorithms_enabled", "as_tensor", "autograd", "backends", "bool", "compile", "compiler",
    "cuda", "datasets", "device", "double", "dtype", "enable_grad", "fit", "float", "float16", "float32", "float64",
    "bfloat16", "half", "int", "int8", "int16", "int32", "short", "uint8", "from_numpy", "gan",
    "get_float32_matmul_precision", "get_printoptions", "get_rng_state", "inference_mode", "initial_seed", "int64",
    "is_deterministic_algorithms_warn_only_enabled", "is_grad_enabled", "is_inference_mode_enabled", "jit", "load",
    "long", "manual_seed", "nn", "no_grad", "onnx", "optim", "Perceptron", "printoptions", "random", "save", "seed",
    "set_float32_matmul_precision", "set_grad_enabled", "set_printoptions", "set_rng_state", "show_config", "Size",
    "Tensor", "tensor", "train", "use_deterministic_algorithms", "utils", "linalg", "special", "FloatTensor",
    "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
    "ByteTensor", "BoolTensor", "amp", "autocast", "e", "finfo", "get_autocast_dtype", "get_default_dtype", "iinfo",
    "inf", "is_autocast_available", "is_autocast_enabled", "nan", "pi", "return_types", "set_default_dtype",
    "TypedStorage", "UntypedStorage",
]
import typing as _typing  # noqa: E402

if _typing.TYPE_CHECKING:  # the stub of the extension lists its names
    __all__ += _C.__all__
else:  # the extension itself has no __all__: its public names, as `from ._C import *` took them
    __all__ += [n for n in dir(_C) if not n.startswith("_")]

# the docstrings of the functions bound from C++, kept in rosenblatt/_docs (as torch/_torch_docs.py)
from ._docs import attach as _attach_docs  # noqa: E402

_attach_docs()
del _attach_docs
