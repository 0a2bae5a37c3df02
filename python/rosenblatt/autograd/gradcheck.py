"""gradcheck: compares autograd's gradients with central finite differences in float64."""
from typing import Any

import numpy as np

from .. import _C


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def gradcheck(func: Any, inputs: Any, *, eps: Any = 1e-6, atol: Any = 1e-5, rtol: Any = 1e-3,
              raise_exception: Any = True) -> bool:
    """True when every input's analytical Jacobian matches the numerical one.

    inputs: a tensor or a tuple; those with requires_grad=True must be float64 (finite differences
    in float32 are too coarse to check anything). Each output is checked through vector-Jacobian
    products with unit vectors, one output element at a time.
    """
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, _C.Tensor) and t.requires_grad]
    for i in diff:
        if inputs[i].dtype != _C.dtype.float64:
            raise ValueError(f"gradcheck expects float64 inputs that require grad; input {i} is {inputs[i].dtype}")

    # Every floating output counts: one without history has a zero analytical Jacobian, which the
    # numerical one must match (so a backward that silently loses its history cannot pass).
    def outputs():
        return [o for o in _as_tuple(func(*inputs)) if isinstance(o, _C.Tensor) and o.dtype.is_floating_point]

    outs = outputs()
    out_sizes = [o.numel() for o in outs]
    # Analytical: one backward per output element.
    analytical = {i: np.zeros((inputs[i].numel(), sum(out_sizes))) for i in diff}
    col = 0
    for o in outs:
        if not o.requires_grad:
            col += o.numel()
            continue
        for j in range(o.numel()):
            g = np.zeros(o.numel())
            g[j] = 1.0
            grads = _C._run_backward([o], [_C.from_numpy(g.reshape(list(o.shape)))], True,
                                     [inputs[i] for i in diff], True)
            for i, gi in zip(diff, grads):
                if gi is not None:
                    analytical[i][:, col] = gi.numpy().reshape(-1)
            col += 1
    # Numerical: perturb each input element in place.
    for i in diff:
        x = inputs[i]
        flat = x.detach().numpy().reshape(-1) if x.is_contiguous() else None
        if flat is None:
            raise ValueError("gradcheck needs contiguous inputs")
        numerical = np.zeros_like(analytical[i])
        for e in range(flat.size):
            orig = flat[e]
            flat[e] = orig + eps
            plus = np.concatenate([o.detach().numpy().reshape(-1) for o in outputs()])
            flat[e] = orig - eps
            minus = np.concatenate([o.detach().numpy().reshape(-1) for o in outputs()])
            flat[e] = orig
            numerical[e] = (plus - minus) / (2 * eps)
        if not np.allclose(analytical[i], numerical, atol=atol, rtol=rtol):
            err = np.abs(analytical[i] - numerical).max()
            if raise_exception:
                raise RuntimeError(f"Jacobian mismatch for output 0 with respect to input {i} "
                                   f"(max abs error {err:.3g}),\n"
                                   f"numerical:{numerical}\nanalytical:{analytical[i]}")
            return False
    return True


def gradgradcheck(func: Any, inputs: Any, grad_outputs: Any = None, *, eps: Any = 1e-6, atol: Any = 1e-5,
                  rtol: Any = 1e-3, raise_exception: Any = True) -> bool:
    """True when the gradients of func's gradients match second-order finite differences.

    Checks gradcheck on (inputs, grad_outputs) -> autograd.grad(func(inputs), inputs, grad_outputs,
    create_graph=True), as PyTorch's torch.autograd.gradgradcheck does; grad_outputs default to
    random float64 tensors shaped like func's outputs.
    """
    from . import grad

    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if isinstance(t, _C.Tensor) and t.requires_grad]
    outs = [o for o in _as_tuple(func(*inputs)) if isinstance(o, _C.Tensor) and o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_C.from_numpy(rng.standard_normal(list(o.shape))).requires_grad_() for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outs):
        raise ValueError(f"gradgradcheck: {len(outs)} outputs need gradients but {len(grad_outputs)} "
                         "grad_outputs were given")
    n = len(inputs)

    def first_order(*args):
        xs, gs = args[:n], args[n:]
        ys = [o for o in _as_tuple(func(*xs)) if isinstance(o, _C.Tensor) and o.requires_grad]
        return grad(ys, [xs[i] for i in diff], list(gs), create_graph=True, allow_unused=True, materialize_grads=True)

    return gradcheck(first_order, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)

__all__ = ["gradcheck", "gradgradcheck"]
