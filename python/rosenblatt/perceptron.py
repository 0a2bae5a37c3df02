"""rb.Perceptron: Rosenblatt's perceptron learning rule (1958), the library's namesake. A linear
unit with a step activation, trained sample by sample with w <- w + lr*(y - y_hat)*x and
b <- b + lr*(y - y_hat); the fit loop runs in the C++ core (cpp/ops/perceptron.cpp)."""
from typing import Any

import numpy as np

from . import _C
from ._C import Tensor

__all__ = ["Perceptron"]


def _as_tensor(x, name):
    if isinstance(x, Tensor):
        return x
    from ._tensor import as_tensor

    try:
        return as_tensor(np.asarray(x))
    except TypeError as e:
        raise TypeError(f"Perceptron: {name} must be a tensor or array-like of numbers ({e})") from None


class Perceptron:
    """A perceptron over n_features inputs: predicts hi (1) where w.x + b >= 0, else lo (0 or -1).

    fit(X, y) runs epochs over the samples in order, applying the rule after each mistake, and
    stops after the first epoch without a mistake (``converged_ = True``) or after max_epochs
    (``converged_ = False``: the data may not be linearly separable). Labels are all in {0, 1} or
    all in {-1, 1}; fit detects which (``labels_``). The weights start at zero unless given.

    Attributes: ``weight`` (n_features,), ``bias`` (0-d), ``converged_``, ``n_epochs_``, ``errors_`` (mistakes
    per epoch), ``labels_`` ((lo, hi)).

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> p = rb.Perceptron(n_features=2).fit(X, [0, 0, 0, 1])     # AND is linearly separable
        >>> p.converged_, p.predict(X).tolist()
        (True, [0, 0, 0, 1])
        >>> rb.Perceptron(2, max_epochs=20).fit(X, [0, 1, 1, 0]).converged_   # XOR is not
        False
    """

    def __init__(self, n_features: Any, lr: Any = 1.0, max_epochs: Any = 100, dtype: Any = None) -> None:
        if isinstance(n_features, bool) or not isinstance(n_features, int) or n_features <= 0:
            raise ValueError(f"Perceptron: n_features must be a positive integer, got {n_features!r}")
        if not isinstance(max_epochs, int) or max_epochs < 0:
            raise ValueError(f"Perceptron: max_epochs must be a non-negative integer, got {max_epochs!r}")
        dtype = dtype or _C.dtype.float32
        self.n_features = n_features
        self.lr = float(lr)
        self.max_epochs = max_epochs
        self.weight = _C.zeros(n_features, dtype=dtype)
        self.bias = _C.zeros((), dtype=dtype)
        self.labels_ = (0, 1)
        self.converged_ = False
        self.n_epochs_ = 0
        self.errors_ = []

    def __repr__(self):
        return f"Perceptron(n_features={self.n_features}, lr={self.lr}, max_epochs={self.max_epochs})"

    def fit(self, X: Any, y: Any) -> Any:
        """Trains on X (n_samples, n_features) and y (n_samples,); returns self."""
        X, y = _as_tensor(X, "X"), _as_tensor(y, "y")
        converged, n_epochs, errors, lo, hi = _C._perceptron_fit(self.weight, self.bias, X, y, self.lr,
                                                                 self.max_epochs)
        self.converged_, self.n_epochs_, self.errors_ = converged, n_epochs, list(errors)
        self.labels_ = (int(lo), int(hi))
        return self

    def net_input(self, X: Any) -> Any:
        """w.x + b for X (n_samples, n_features) or one sample (n_features,)."""
        X = _as_tensor(X, "X")
        return _C.matmul(X.to(self.weight.dtype) if X.dtype != self.weight.dtype else X, self.weight) + self.bias

    def predict(self, X: Any) -> Any:
        """Labels (int64) for X (n_samples, n_features); one sample (n_features,) gives a 0-d tensor."""
        X = _as_tensor(X, "X")
        lo, hi = self.labels_
        if X.dim() == 1:
            if X.shape[0] != self.n_features:
                raise ValueError(f"Perceptron.predict: x has shape {list(X.shape)}, expected [{self.n_features}]")
            return _C._perceptron_predict(self.weight, self.bias, X.reshape(1, -1), lo, hi).reshape(())
        return _C._perceptron_predict(self.weight, self.bias, X, lo, hi)

    def update(self, x: Any, target: Tensor, prediction: Any) -> Any:
        """The rule, once: w += lr*(target - prediction)*x and b += lr*(target - prediction),
        for one sample x (n_features,) with the given target and prediction. Returns self."""
        x = _as_tensor(x, "x")
        _C._perceptron_update(self.weight, self.bias, x, float(target), float(prediction), self.lr)
        return self

    def score(self, X: Any, y: Any) -> Any:
        """The fraction of samples of X whose predicted label equals y."""
        pred = self.predict(X).numpy()
        y = _as_tensor(y, "y").numpy()
        return float((pred == y).mean())
