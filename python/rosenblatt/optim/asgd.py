"""ASGD: averaged stochastic gradient descent (torch.optim.ASGD), one fused C++ pass per parameter."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_asgd_step = _C._optim.asgd_step


class ASGD(Optimizer):
    """Averaged SGD (Polyak and Juditsky, 1992): SGD with a decaying rate ``eta = lr / (1 + lambd * lr * t)^alpha``
    and weight decay ``lambd``, keeping in ``state["ax"]`` the average of the iterates from step ``t0`` on.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.ASGD(model.parameters(), lr=0.01)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75, t0: float = 1e6,
                 weight_decay: float = 0, foreach: Optional[bool] = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_nonnegative(lr=lr, weight_decay=weight_decay)
        _check_flags("ASGD", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            lambd=lambd,
            alpha=alpha,
            t0=t0,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, lambd, alpha, t0, wd, maximize = (group["lr"], group["lambd"], group["alpha"], group["t0"],
                                              group["weight_decay"], group["maximize"])
        state = self.state
        for p in group["params"]:
            # torch's keys and order: step, eta (the group's lr when p first steps), mu, ax
            st = state.get(p) or _new_state(state, p, ("ax",), step=0.0, eta=lr, mu=1.0)
            if st is None:
                continue
            _asgd_step(p, None, st["ax"], st["step"], st["eta"], st["mu"], lr, lambd, alpha, t0, wd, maximize)


__all__ = ["ASGD"]
