"""Adadelta (torch.optim.Adadelta)."""

from .. import _C
from .optimizer import Optimizer, _check_flags, _scalar_state

_adadelta_step = _C._optim.adadelta_step
_zeros_like = _C.zeros_like


class Adadelta(Optimizer):
    def __init__(
        self,
        params,
        lr=1.0,
        rho=0.9,
        eps=1e-6,
        weight_decay=0,
        foreach=None,
        *,
        capturable=False,
        maximize=False,
        differentiable=False,
    ):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
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
            st = state.get(p)
            if not st:
                if p.grad is None:
                    continue
                st = state[p]
                st["step"] = _scalar_state(0.0)
                st["square_avg"] = _zeros_like(p)
                st["acc_delta"] = _zeros_like(p)
            _adadelta_step(p, None, st["square_avg"], st["acc_delta"], st["step"], lr, rho, eps, wd, maximize)
