"""Adadelta (torch.optim.Adadelta)."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_adadelta_step = _C._optim.adadelta_step


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): steps scaled by the ratio of moving RMS of past updates to that of the gradients.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.Adadelta(model.parameters(), lr=1.0)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6, weight_decay: float = 0,
                 foreach: Optional[bool] = None, *, capturable: bool = False, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_nonnegative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        _check_nonnegative(eps=eps, weight_decay=weight_decay)
        _check_flags("Adadelta", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            capturable=capturable,
            foreach=foreach,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, rho, eps, wd, maximize = (
            group["lr"],
            group["rho"],
            group["eps"],
            group["weight_decay"],
            group["maximize"],
        )
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, ("square_avg", "acc_delta"), step=0.0)
            if st is None:
                continue
            _adadelta_step(p, None, st["square_avg"], st["acc_delta"], st["step"], lr, rho, eps, wd, maximize)

__all__ = ["Adadelta"]
