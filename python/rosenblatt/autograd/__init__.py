"""Autograd entry points: backward, grad, grad-mode context managers and gradcheck."""
import functools
import threading
from typing import Any, Optional

from .. import _C
from .._C import Tensor
from .anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: Any = None, create_graph: Any = False,
             grad_variables: Any = None, inputs: Any = None) -> None:
    """Accumulates d(tensors)/d(leaves) into the leaves' .grad (PyTorch's torch.autograd.backward).

    create_graph=True records the backward itself, so the .grad it leaves can be differentiated
    again; retain_graph then defaults to True, as in PyTorch. grad_variables is grad_tensors' deprecated
    name."""
    if grad_variables is not None:
        import warnings

        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                               "`backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    if retain_graph is None:
        retain_graph = create_graph
    if isinstance(tensors, _C.Tensor):
        tensors = [tensors]
    tensors = list(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    elif isinstance(grad_tensors, _C.Tensor):
        grad_tensors = [grad_tensors]
    if inputs is not None:
        if isinstance(inputs, _C.Tensor):
            inputs = [inputs]
        grads = _C._run_backward(tensors, list(grad_tensors), bool(retain_graph), list(inputs), True,
                                 bool(create_graph))
        for t, g in zip(inputs, grads):
            if g is not None and g.numel() == t.numel():
                if t.grad is None:
                    t.grad = g if create_graph else g.clone()
                else:
                    t.grad = t.grad + g
        return
    _C._run_backward(tensors, list(grad_tensors), bool(retain_graph), [], False, bool(create_graph))


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: Any = None, create_graph: Any = False,
         only_inputs: Any = True, allow_unused: Any = None, is_grads_batched: Any = False,
         materialize_grads: Any = False) -> tuple[Optional[Tensor], ...]:
    """Returns d(outputs)/d(inputs) without touching any .grad (PyTorch's torch.autograd.grad).

    create_graph=True records the backward, so the returned gradients can be differentiated again
    (gradient penalties, Hessian-vector products); retain_graph then defaults to True.
    is_grads_batched=True takes grad_outputs with a leading batch dimension and returns the stacked
    vector-Jacobian products, one backward per row (PyTorch vmaps; the values are the same)."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    if not only_inputs:
        import warnings

        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use torch.autograd.backward.", FutureWarning,
                      stacklevel=2)
    if retain_graph is None:
        retain_graph = create_graph
    single = isinstance(inputs, _C.Tensor)
    outputs = [outputs] if isinstance(outputs, _C.Tensor) else list(outputs)
    inputs = [inputs] if single else list(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    elif isinstance(grad_outputs, _C.Tensor):
        grad_outputs = [grad_outputs]
    if is_grads_batched:
        n = grad_outputs[0].shape[0]
        rows = [grad(outputs, inputs, [g[i] for g in grad_outputs], retain_graph=retain_graph or i < n - 1,
                     create_graph=create_graph, allow_unused=allow_unused, materialize_grads=materialize_grads)
                for i in range(n)]
        return tuple(None if col[0] is None else _C.stack(list(col)) for col in zip(*rows))
    res = _C._run_backward(outputs, list(grad_outputs), bool(retain_graph), inputs,
                           bool(allow_unused) or materialize_grads, bool(create_graph))
    if materialize_grads:
        res = [r if r is not None else _C.zeros_like(i) for r, i in zip(res, inputs)]
    return tuple(res)


class _GradModeBase:
    """A context manager that is also a decorator, like torch.no_grad."""

    _mode = True

    def __enter__(self) -> None:
        self._prev = _C.is_grad_enabled()
        _C._set_grad_enabled(self._mode)

    def __exit__(self, *exc: Any) -> None:
        _C._set_grad_enabled(self._prev)
        return False

    def __call__(self, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeBase):
    """Turns gradient recording off inside a ``with`` block or a decorated function: ops there record no graph
    and their results have ``requires_grad=False`` (evaluation, parameter updates by hand).

    Example:
        >>> w = rb.ones(3, requires_grad=True)
        >>> with rb.no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    _mode = False


class enable_grad(_GradModeBase):
    """Turns gradient recording back on inside a ``no_grad`` block (a context manager and decorator).

    Example:
        >>> w = rb.ones(3, requires_grad=True)
        >>> with rb.no_grad():
        ...     with rb.enable_grad():
        ...         y = w * 2
        >>> y.requires_grad
        True
    """

    _mode = True


class set_grad_enabled(_GradModeBase):
    """Sets gradient recording on or off: a context manager, a decorator, or a plain call.

    Example:
        >>> w = rb.ones(3, requires_grad=True)
        >>> with rb.set_grad_enabled(False):
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    def __init__(self, mode: Any) -> None:
        self._mode = bool(mode)
        self._prev = _C.is_grad_enabled()
        _C._set_grad_enabled(self._mode)  # also works as a plain function call, as in PyTorch

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: Any) -> Any:
        mode = self._mode
        _C._set_grad_enabled(self._prev)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


_inference = threading.local()


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()` (and not inside an `inference_mode(False)` nested in it)."""
    return getattr(_inference, "on", False)


class inference_mode(_GradModeBase):
    """torch.inference_mode: a context manager and decorator (`@inference_mode`, `@inference_mode()`,
    `@inference_mode(False)`). Here it is no_grad (mode=True) or enable_grad (mode=False): there are no
    inference tensors, so tensors made inside may later be used with autograd, which PyTorch forbids."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # bare decorator: `mode` is the function

    def __init__(self, mode: Any = True) -> None:
        self.mode = mode
        self._mode = not mode

    def __enter__(self) -> None:
        super().__enter__()
        self._prev_inference = is_inference_mode_enabled()
        _inference.on = self.mode

    def __exit__(self, *exc: Any) -> None:
        _inference.on = self._prev_inference
        return super().__exit__(*exc)

    def __call__(self, fn: Any) -> Any:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return wrapper

    def clone(self) -> Any:
        return self.__class__(self.mode)

__all__ = ["backward", "detect_anomaly", "enable_grad", "grad", "gradcheck", "gradgradcheck", "inference_mode",
    "is_inference_mode_enabled", "no_grad", "set_detect_anomaly", "set_grad_enabled"]
