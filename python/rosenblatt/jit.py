"""torch.jit's entry points for scripts that use them: script and trace return their argument
unchanged (one warning per process: there is no compiler, it runs eagerly); ignore and unused
return it unchanged without a warning, since eager code is never compiled anyway."""
from ._eager import warn_no_compiler

__all__ = ["ignore", "is_scripting", "is_tracing", "script", "trace", "unused"]


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """Returns `obj` (a module, function or class) unchanged; torch.jit.script compiles it."""
    warn_no_compiler("rosenblatt.jit.script")
    return obj


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None, check_tolerance=1e-5,
          strict=True, _force_outplace=False, _module_class=None, _compilation_unit=None,
          example_kwarg_inputs=None, _store_inputs=True):
    """Returns `func` (a module or function) unchanged without running it; torch.jit.trace records it."""
    warn_no_compiler("rosenblatt.jit.trace")
    return func


def ignore(drop=False, **kwargs):
    """`@ignore` and `@ignore(drop=...)`: the function, unchanged."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    """`@unused`: the function, unchanged."""
    return fn


def is_scripting():
    """False: code never runs under the TorchScript compiler here."""
    return False


def is_tracing():
    """False: code is never traced here."""
    return False
