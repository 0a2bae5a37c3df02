"""torch.jit's entry points for scripts that use them: script and trace return their argument
unchanged (one warning per process: there is no compiler, it runs eagerly); ignore and unused
return it unchanged without a warning, since eager code is never compiled anyway."""
from typing import Any

from ._eager import warn_no_compiler

__all__ = ["ignore", "is_scripting", "is_tracing", "script", "trace", "unused"]


def script(obj: Any, optimize: Any = None, _frames_up: Any = 0, _rcb: Any = None, example_inputs: Any = None) -> Any:
    """Returns `obj` (a module, function or class) unchanged; torch.jit.script compiles it."""
    warn_no_compiler("rosenblatt.jit.script")
    return obj


def trace(func: Any, example_inputs: Any = None, optimize: Any = None, check_trace: Any = True,
          check_inputs: Any = None, check_tolerance: Any = 1e-5, strict: Any = True, _force_outplace: Any = False,
          _module_class: Any = None, _compilation_unit: Any = None, example_kwarg_inputs: Any = None,
          _store_inputs: Any = True) -> Any:
    """Returns `func` (a module or function) unchanged without running it; torch.jit.trace records it."""
    warn_no_compiler("rosenblatt.jit.trace")
    return func


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """`@ignore` and `@ignore(drop=...)`: the function, unchanged."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn: Any) -> Any:
    """`@unused`: the function, unchanged."""
    return fn


def is_scripting() -> Any:
    """False: code never runs under the TorchScript compiler here."""
    return False


def is_tracing() -> Any:
    """False: code is never traced here."""
    return False
