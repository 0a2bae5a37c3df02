"""torch.compile and torch.compiler's queries: there is no compiler, so `compile` returns the model
or function unchanged (one warning per process) and it runs eagerly; `is_compiling()` is False."""
from typing import Any

from ._eager import warn_no_compiler

__all__ = ["compile", "disable", "is_compiling", "reset"]


def compile(model: Any = None, *, fullgraph: Any = False, dynamic: Any = None, backend: Any = None,  # noqa: A001
            mode: Any = None, options: Any = None, name: Any = None, disable: Any = False,
            recompile_limit: Any = None, isolate_recompiles: Any = False, shapes_spec: Any = None) -> Any:
    """torch.compile's signature (PyTorch 2.13's: backend None means its default); a decorator with or without
    arguments. Returns `model` itself. `disable=True` asks for no compilation, which is what happens, so it
    does not warn."""
    if model is None:
        def decorate(model):
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                           options=options, name=name, disable=disable, recompile_limit=recompile_limit,
                           isolate_recompiles=isolate_recompiles, shapes_spec=shapes_spec)

        return decorate
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
    if not callable(model):
        raise TypeError(f"compile expects a callable, got {type(model).__name__}")
    if not disable:
        warn_no_compiler("rosenblatt.compile")
    return model


def disable(fn: Any = None, recursive: Any = True, *, reason: Any = None) -> Any:
    """`@disable` and `@disable(...)`: the function, unchanged (it is never compiled)."""
    if fn is None:
        return lambda f: f
    return fn


def is_compiling() -> Any:
    """False: nothing runs under a compiler here."""
    return False


def reset() -> Any:
    """Nothing to clear: there are no compile caches."""
