"""nn.Module: the base class of every layer. Registers parameters, buffers and submodules, walks
them (parameters, state_dict, train/eval, to) and prints them, with torch.nn.Module's API."""
import copy
import itertools
from collections import OrderedDict, namedtuple
from typing import Any, Callable, Iterator, Mapping, Optional, TypeVar

import numpy as np

from ... import _C
from ..._C import Tensor
from ..._tensor import _on_device, _parse_to
from ...autograd import no_grad
from ..parameter import Buffer, Parameter, _copy_tensor

__all__ = ["Module"]

_MISSING = object()  # no positional argument given to Module.__call__
_M = TypeVar("_M", bound="Module")


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(s_, num_spaces):
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    s = [(num_spaces * " ") + line if line.strip() else "" for line in s]
    return first + "\n" + "\n".join(s)


_NP_DTYPES = {np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.int64), np.dtype(np.bool_)}


def _as_tensor(value):
    """A rosenblatt tensor holding a checkpoint value: a rosenblatt tensor, a numpy array, or
    anything with .numpy() / __array__ (a torch tensor). None when it is not tensor-like."""
    if isinstance(value, Tensor):
        return value.detach()
    if not isinstance(value, np.ndarray):
        if hasattr(value, "detach") and hasattr(value, "numpy"):  # torch.Tensor
            value = value.detach().cpu().numpy()
        elif hasattr(value, "__array__"):
            value = np.asarray(value)
        else:
            return None
    if value.dtype not in _NP_DTYPES:
        if value.dtype.kind in "iu":
            value = value.astype(np.int64)
        elif value.dtype.kind == "f":
            value = value.astype(np.float32)
        else:
            return None
    return _C.from_numpy(np.ascontiguousarray(value))


class Module:
    """Base class for all neural network modules (torch.nn.Module)."""

    training: bool
    _version = 1
    call_super_init = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()
        d["_has_hooks"] = False

    def forward(self, *input: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    # The hot path: one flag test, then forward(input) without repacking arguments (a one-tensor
    # call is most calls). Hooks are rare, so they take the slow branch.
    def __call__(self, input: Any = _MISSING, /, *args: Any, **kwargs: Any) -> Any:
        if self._has_hooks:
            if input is not _MISSING:
                args = (input,) + args
            return self._call_with_hooks(*args, **kwargs)
        if args or kwargs:
            if input is _MISSING:
                return self.forward(*args, **kwargs)
            return self.forward(input, *args, **kwargs)
        if input is _MISSING:
            return self.forward()
        return self.forward(input)

    def _call_with_hooks(self, *args, **kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            res = hook(self, args, out)
            if res is not None:
                out = res
        return out

    def _call_impl(self, *args, **kwargs):
        return self.__call__(*args, **kwargs)

    def register_forward_hook(self, hook: Callable[..., Any]) -> "_RemovableHandle":
        return _RemovableHandle(self, self._forward_hooks, hook)

    def register_forward_pre_hook(self, hook: Callable[..., Any]) -> "_RemovableHandle":
        return _RemovableHandle(self, self._forward_pre_hooks, hook)

    def _update_has_hooks(self):
        self.__dict__["_has_hooks"] = bool(self._forward_hooks or self._forward_pre_hooks)

    # ---- registration -------------------------------------------------------------------------
    # Parameters, buffers and submodules live in their dicts (the source of truth) and are mirrored
    # in the instance __dict__, so `self.weight` in forward is a plain attribute lookup.

    def _check_name(self, name, kind):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain "."')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')

    def _discard(self, name):
        for dname in ("_parameters", "_buffers", "_modules"):
            self.__dict__[dname].pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def register_parameter(self, name: str, param: Optional[Parameter]) -> None:
        self._check_name(name, "parameter")
        if hasattr(self, name) and name not in self._parameters and name not in self.__dict__:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._discard(name)
        self._parameters[name] = param
        self.__dict__[name] = param

    def register_buffer(self, name: str, tensor: Optional[Tensor], persistent: bool = True) -> None:
        self._check_name(name, "buffer")
        if hasattr(self, name) and name not in self._buffers and name not in self.__dict__:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._discard(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers_set.add(name)
        self.__dict__[name] = tensor

    def add_module(self, name: str, module: Optional["Module"]) -> None:
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_name(name, "module")
        if hasattr(self, name) and name not in self._modules and name not in self.__dict__:
            raise KeyError(f"attribute '{name}' already exists")
        self._discard(name)
        self._modules[name] = module
        self.__dict__[name] = module

    register_module = add_module

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        if isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            if "_modules" not in d:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._discard(name)
            self._modules[name] = value
            d[name] = value
        elif isinstance(value, Buffer):
            self.register_buffer(name, value, value.persistent)
        elif "_parameters" in d and name in d["_parameters"]:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            self._parameters[name] = None
            d[name] = None
        elif "_modules" in d and name in d["_modules"]:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            self._modules[name] = None
            d[name] = None
        elif "_buffers" in d and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                "(torch.Tensor or None expected)")
            self._buffers[name] = value
            d[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Only reached when the __dict__ mirror misses (e.g. right after unpickling an old state).
        d = self.__dict__
        for dname in ("_parameters", "_buffers", "_modules"):
            sub = d.get(dname)
            if sub is not None and name in sub:
                return sub[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        if name in d.get("_parameters", ()) or name in d.get("_buffers", ()) or name in d.get("_modules", ()):
            self._discard(name)
            d.pop(name, None)
        else:
            object.__delattr__(self, name)

    def get_submodule(self, target: str) -> "Module":
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if item not in mod._modules:
                raise AttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = mod._modules[item]
        return mod

    def get_parameter(self, target: str) -> Parameter:
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if name not in mod._parameters:
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return mod._parameters[name]

    def get_buffer(self, target: str) -> Tensor:
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return mod._buffers[name]

    # ---- traversal -----------------------------------------------------------------------------

    def _named_members(self, get_members_fn, prefix="", recurse=True, remove_duplicate=True):
        memo = set()
        if recurse:
            modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        else:
            modules = [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get_members_fn(module):
                if v is None or (remove_duplicate and id(v) in memo):
                    continue
                if remove_duplicate:
                    memo.add(id(v))
                yield (module_prefix + ("." if module_prefix else "") + k, v)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        return self._named_members(lambda m: m._parameters.items(), prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members(lambda m: m._buffers.items(), prefix, recurse, remove_duplicate)

    def children(self) -> Iterator["Module"]:
        for _, m in self.named_children():
            yield m

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        memo = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in memo:
                memo.add(id(m))
                yield name, m

    def modules(self) -> Iterator["Module"]:
        for _, m in self.named_modules():
            yield m

    def named_modules(self, memo: Optional[set[int]] = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, "Module"]]:
        if memo is None:
            memo = set()
        if id(self) in memo:
            return
        if remove_duplicate:
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub_prefix = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub_prefix, remove_duplicate)

    # ---- modes and gradients -------------------------------------------------------------------

    def train(self: _M, mode: bool = True) -> _M:
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for m in self.modules():
            m.__dict__["training"] = mode
        return self

    def compile(self, *args: Any, **kwargs: Any) -> None:
        """torch.nn.Module.compile: compiles in place there; here the module stays as it is and runs
        eagerly (rosenblatt.compile's one warning)."""
        from ...compiler import compile

        compile(self, *args, **kwargs)

    def eval(self: _M) -> _M:
        return self.train(False)

    def requires_grad_(self: _M, requires_grad: bool = True) -> _M:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                g = p.grad
                if g.grad_fn is not None:
                    g = g.detach()
                    p.grad = g
                g.zero_()

    # ---- conversion ----------------------------------------------------------------------------

    def _apply(self, fn):
        """Replaces every parameter's and buffer's data with fn(data), keeping the Parameter objects
        (so optimizers holding them still see the new data), as torch does by default."""
        for module in self.modules():
            for p in module._parameters.values():
                if p is None:
                    continue
                with no_grad():
                    new = fn(p)
                if new is not p:
                    p.data = new
                if p.grad is not None:
                    with no_grad():
                        g = fn(p.grad)
                    if g is not p.grad:
                        p.grad = None
                        p.grad = g
            for key, b in module._buffers.items():
                if b is None:
                    continue
                with no_grad():
                    new = fn(b)
                if new is not b:
                    module._buffers[key] = new
                    module.__dict__[key] = new
        return self

    def apply(self: _M, fn: Callable[["Module"], Any]) -> _M:
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self: _M, *args: Any, **kwargs: Any) -> _M:
        dtype, device, _, non_blocking = _parse_to(args, kwargs, accept_copy=False)
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        if device is not None:
            # Every tensor moves, or none does: the first copy finds out whether the device is there.
            _C.empty(0, device=device)
            self._apply(lambda t: _on_device(t, device, non_blocking))
        if dtype is not None:
            return self._cast_floating(dtype)
        return self

    def _cast_floating(self, dtype):
        return self._apply(lambda t: t._to_dtype(dtype) if t.is_floating_point() and t.dtype != dtype else t)

    def float(self: _M) -> _M:
        return self._cast_floating(_C.dtype.float32)

    def double(self: _M) -> _M:
        return self._cast_floating(_C.dtype.float64)

    def half(self: _M) -> _M:
        return self._cast_floating(_C.dtype.float16)

    def bfloat16(self: _M) -> _M:
        return self._cast_floating(_C.dtype.bfloat16)

    def type(self: _M, dst_type: Any) -> _M:
        return self.to(dtype=dst_type)

    def cpu(self: _M) -> _M:
        return self.to("cpu")

    def share_memory(self: _M) -> _M:
        """Returns the module: its tensors are already shared by the threads that data loading and
        rosenblatt's parallel work use (PyTorch moves them to shared memory for worker processes)."""
        return self

    def cuda(self: _M, device: Any = None) -> _M:
        return self.to("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device)

    # ---- state_dict ----------------------------------------------------------------------------

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()

    def state_dict(self, *args: Any, destination: Optional[dict[str, Any]] = None, prefix: str = "",
                   keep_vars: bool = False) -> dict[str, Any]:
        if args:  # torch's deprecated positional form: (destination, prefix, keep_vars)
            destination = args[0]
            if len(args) > 1:
                prefix = args[1]
            if len(args) > 2:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()
        root = prefix.rstrip(".") if prefix else ""
        for name, module in self.named_modules(prefix=root, remove_duplicate=False):
            key_prefix = name + "." if name else ""
            module._save_to_state_dict(destination, key_prefix, keep_vars)
        return destination

    def _state_entries(self):
        """(key, module, name, tensor) for every persistent parameter and buffer, in state_dict order."""
        for mprefix, module in self.named_modules(remove_duplicate=False):
            key_prefix = mprefix + "." if mprefix else ""
            for name, p in module._parameters.items():
                if p is not None:
                    yield key_prefix + name, module, name, p
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent_buffers_set:
                    yield key_prefix + name, module, name, b

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> _IncompatibleKeys:
        """Copies state_dict's values (rosenblatt or torch tensors, numpy arrays) into this module's
        parameters and buffers. Every check runs before any copy, so a call that raises changes nothing."""
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        error_msgs = []
        missing, matched = [], set()
        copies = []
        seen = set()
        for key, module, name, current in self._state_entries():
            if key in seen:
                continue
            seen.add(key)
            if key not in state_dict:
                missing.append(key)
                continue
            matched.add(key)
            value = state_dict[key]
            src = _as_tensor(value)
            if src is None:
                error_msgs.append(f'While copying the parameter named "{key}", expected torch.Tensor or '
                                  f"Tensor-like object from checkpoint but received {type(value)}")
                continue
            if tuple(src.shape) != tuple(current.shape):
                error_msgs.append(f"size mismatch for {key}: copying a param with shape {src.shape} from "
                                  f"checkpoint, the shape in current model is {current.shape}.")
                continue
            copies.append((module, name, current, src))
        unexpected = [k for k in state_dict.keys() if k not in matched and k not in seen]
        if strict:
            if unexpected:
                error_msgs.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                error_msgs.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        if error_msgs:
            raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                self.__class__.__name__, "\n\t".join(error_msgs)))
        with no_grad():
            for module, name, current, src in copies:
                if assign:
                    if isinstance(current, Parameter):
                        setattr(module, name, Parameter(src.to(current.dtype), current.requires_grad))
                    else:
                        module._buffers[name] = src
                        module.__dict__[name] = src
                else:
                    current.copy_(src if src.dtype == current.dtype else src._to_dtype(current.dtype))
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing ------------------------------------------------------------------------------

    def _get_name(self):
        return self.__class__.__name__

    def extra_repr(self) -> str:
        return ""

    def __repr__(self):
        extra_lines = []
        extra_repr = self.extra_repr()
        if extra_repr:
            extra_lines = extra_repr.split("\n")
        child_lines = []
        for key, module in self._modules.items():
            mod_str = _addindent(repr(module), 2)
            child_lines.append("(" + key + "): " + mod_str)
        lines = extra_lines + child_lines
        main_str = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main_str += extra_lines[0]
            else:
                main_str += "\n  " + "\n  ".join(lines) + "\n"
        return main_str + ")"

    def __dir__(self):
        attrs = dir(self.__class__)
        keys = (list(self.__dict__) + list(self._parameters) + list(self._modules) + list(self._buffers))
        keys = [k for k in keys if not k[0].isdigit()]
        return sorted(set(attrs + keys))

    # ---- copying and pickling ------------------------------------------------------------------
    # Plain tensors (buffers) cannot pickle themselves, so they travel as numpy arrays.

    def __getstate__(self):
        state = {}
        for k, v in self.__dict__.items():
            if isinstance(v, Tensor) and not isinstance(v, Parameter):
                v = _PickledTensor(v)
            elif k == "_buffers":
                v = {bk: (_PickledTensor(b) if b is not None else None) for bk, b in v.items()}
            state[k] = v
        return state

    def __setstate__(self, state):
        # Tensors arrive as _PickledTensor from pickle, or as they are from rb.load's checkpoint format.
        buffers = {k: (v.restore() if isinstance(v, _PickledTensor) else v)
                   for k, v in state.get("_buffers", {}).items()}
        for k, v in state.items():
            if k in buffers:
                v = buffers[k]
            elif isinstance(v, _PickledTensor):
                v = v.restore()
            elif k == "_buffers":
                v = buffers
            self.__dict__[k] = v
        self.__dict__.setdefault("_forward_hooks", OrderedDict())
        self.__dict__.setdefault("_forward_pre_hooks", OrderedDict())
        self._update_has_hooks()

    def __deepcopy__(self, memo):
        # Plain tensors are not deep-copyable on their own: seed the memo with copies of them.
        for m in self.modules():
            for b in m._buffers.values():
                if b is not None and not isinstance(b, Parameter) and id(b) not in memo:
                    memo[id(b)] = _copy_tensor(b)
            for v in m.__dict__.values():
                if isinstance(v, Tensor) and not isinstance(v, Parameter) and id(v) not in memo:
                    memo[id(v)] = _copy_tensor(v)
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for k, v in self.__dict__.items():
            new.__dict__[k] = copy.deepcopy(v, memo)
        return new


class _PickledTensor:
    def __init__(self, t):
        self.array = t.detach().numpy().copy()
        self.requires_grad = t.requires_grad

    def restore(self):
        t = _C.from_numpy(self.array)
        if self.requires_grad:
            t.requires_grad_(True)
        return t


class _RemovableHandle:
    _ids = itertools.count()

    def __init__(self, module, hooks, hook):
        self.module = module
        self.hooks = hooks
        self.id = next(self._ids)
        hooks[self.id] = hook
        module._update_has_hooks()

    def remove(self):
        self.hooks.pop(self.id, None)
        self.module._update_has_hooks()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
