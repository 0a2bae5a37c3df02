"""RAdam: Adam with the variance of the adaptive step rectified (torch.optim.RAdam), one fused C++
pass per parameter; decoupled_weight_decay gives AdamW-style decay."""

from typing import Any, Optional

from .. import _C
from .adam import _check_adam
from .optimizer import Optimizer, _check_flags, _new_state

_radam_step = _C._optim.radam_step


class RAdam(Optimizer):
    """RAdam (Liu et al., 2020): Adam with the variance of the adaptive rate rectified in the first steps.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.RAdam(model.parameters(), lr=1e-3)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *, foreach: Optional[bool] = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False) -> None:
        _check_adam(lr, betas, eps, weight_decay)
        _check_flags("RAdam", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        decoupled, maximize = group["decoupled_weight_decay"], group["maximize"]
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, ("exp_avg", "exp_avg_sq"), step=0.0)
            if st is None:
                continue
            _radam_step(
                p, None, st["exp_avg"], st["exp_avg_sq"], st["step"], lr, beta1, beta2, eps, wd, decoupled, maximize
            )

__all__ = ["RAdam"]
