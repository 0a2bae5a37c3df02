"""Adamax: Adam with the infinity norm in place of the second moment (torch.optim.Adamax), one fused
C++ pass per parameter."""

from typing import Any, Optional

from .. import _C
from .adam import _check_adam
from .optimizer import Optimizer, _check_flags, _new_state

_adamax_step = _C._optim.adamax_step


class Adamax(Optimizer):
    """Adamax: Adam with the infinity norm, ``u = max(beta2 u, |g| + eps)``, ``p -= lr m_hat / u``.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.Adamax(model.parameters(), lr=2e-3)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: Optional[bool] = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        _check_adam(lr, betas, eps, weight_decay)
        _check_flags("Adamax", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        maximize = group["maximize"]
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, ("exp_avg", "exp_inf"), step=0.0)
            if st is None:
                continue
            _adamax_step(p, None, st["exp_avg"], st["exp_inf"], st["step"], lr, beta1, beta2, eps, wd, maximize)

__all__ = ["Adamax"]
