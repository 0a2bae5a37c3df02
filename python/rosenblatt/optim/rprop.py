"""Rprop: resilient backpropagation, a per-element step size grown or shrunk by the sign agreement of
successive gradients (torch.optim.Rprop), one fused C++ pass per parameter."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_rprop_step = _C._optim.rprop_step


class Rprop(Optimizer):
    """Rprop (Riedmiller and Braun, 1993): per-coordinate step sizes that grow (``etas[1]``) while the gradient
    keeps its sign and shrink (``etas[0]``) when it flips.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.Rprop(model.parameters(), lr=0.01)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: Optional[bool] = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        _check_flags("Rprop", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            etas=tuple(etas),
            step_sizes=tuple(step_sizes),
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        (etaminus, etaplus), (lo, hi), maximize = group["etas"], group["step_sizes"], group["maximize"]
        state = self.state
        for p in group["params"]:
            st = state.get(p)
            if not st:
                st = _new_state(state, p, ("prev",), step=0.0)
                if st is None:
                    continue
                st["step_size"] = _C.full_like(p, group["lr"])  # the group's lr when p first steps
            _rprop_step(p, None, st["prev"], st["step_size"], st["step"], etaminus, etaplus, lo, hi, maximize)

__all__ = ["Rprop"]
