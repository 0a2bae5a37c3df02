"""rosenblatt.nn: modules, parameters, initializations and functional ops with torch.nn's API,
so scripts and state_dicts move between the two libraries. The layers are listed once, in
nn/modules/__init__.py; this package re-exports them."""
from . import functional, init, parallel, utils  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from .parameter import Buffer, Parameter  # noqa: F401

__all__ = [*_modules_all, "Buffer", "Parameter", "functional", "init", "parallel", "utils"]
