"""torch.autograd.detect_anomaly / set_detect_anomaly: while on, backward checks each node's
gradients and raises RuntimeError naming the first node whose backward returned NaN."""
import functools
import warnings
from typing import Any

from .. import _C

__all__ = ["detect_anomaly", "set_detect_anomaly"]


class detect_anomaly:
    """Anomaly detection for backward, as a context manager or a decorator.

    Inside it, a backward that produces NaN raises ``RuntimeError: Function 'LogBackward0' returned nan
    values in its 0th output.`` at that node, instead of the NaN spreading to every gradient. It costs
    one NaN scan per gradient, so it is for debugging.

    Example:
        >>> x = rb.tensor([-1.0, 2.0], requires_grad=True)
        >>> with rb.autograd.detect_anomaly():
        ...     rb.sqrt(x).sum().backward()
        Traceback (most recent call last):
        RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only "
                      "be enabled for debugging.", UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        self._prev = (_C.is_anomaly_enabled(), _C.is_anomaly_check_nan_enabled())
        _C._set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc: Any) -> None:
        _C._set_anomaly_enabled(*self._prev)

    def __call__(self, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """Turns anomaly detection on or off: at once as a function call, and back to what it was at the end
    of a ``with`` block, as torch.autograd.set_detect_anomaly."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (_C.is_anomaly_enabled(), _C.is_anomaly_check_nan_enabled())
        _C._set_anomaly_enabled(bool(mode), bool(check_nan))

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: Any) -> None:
        _C._set_anomaly_enabled(*self._prev)
