"""rosenblatt: tensors, autograd and neural networks on a C++ core, with PyTorch's API.

`import rosenblatt as torch` works for the subset it covers; see README.md.
"""
from ._load import _C
from ._C import *  # noqa: F401,F403  (ops bound in C++: add, matmul, zeros, ...)
from ._C import Tensor, dtype, device, from_numpy, is_grad_enabled  # noqa: F401

__version__ = "0.1.0"

# dtypes under PyTorch's names
bool = dtype.bool  # noqa: A001  (shadows the builtin inside this namespace, as torch.bool does)
int64 = long = dtype.int64
float32 = float = dtype.float32  # noqa: A001
float64 = double = dtype.float64

from ._tensor import Size, tensor, as_tensor  # noqa: E402,F401
from .autograd import no_grad, enable_grad, set_grad_enabled  # noqa: E402,F401
from . import autograd  # noqa: E402,F401
from . import nn, optim, utils  # noqa: E402,F401
from . import backends, random, cuda  # noqa: E402,F401
from .random import manual_seed, seed, initial_seed, get_rng_state, set_rng_state  # noqa: E402,F401
from ._formatting import set_printoptions, get_printoptions, printoptions  # noqa: E402,F401
from ._config import show_config  # noqa: E402,F401
# training toolkit: data loading, bundled datasets, the fit loop, the perceptron rule, checkpoints
from . import datasets, train  # noqa: E402,F401
from .train import fit  # noqa: E402,F401
from .perceptron import Perceptron  # noqa: E402,F401
from .serialization import save, load  # noqa: E402,F401
from . import gan  # noqa: E402,F401
