"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule (torch.optim.NAdam)."""

from typing import Any, Optional

from .. import _C
from .adam import _check_adam
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_nadam_step = _C._optim.nadam_step


class NAdam(Optimizer):
    """NAdam (Dozat, 2016): Adam with Nesterov momentum and PyTorch's momentum decay schedule.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.NAdam(model.parameters(), lr=2e-3)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3, decoupled_weight_decay: bool = False, *,
                 foreach: Optional[bool] = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_adam(lr, betas, eps, weight_decay)
        _check_nonnegative(momentum_decay=momentum_decay)
        _check_flags("NAdam", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        momentum_decay, decoupled, maximize = (
            group["momentum_decay"],
            group["decoupled_weight_decay"],
            group["maximize"],
        )
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, ("exp_avg", "exp_avg_sq"), step=0.0, mu_product=1.0)
            if st is None:
                continue
            _nadam_step(
                p,
                None,
                st["exp_avg"],
                st["exp_avg_sq"],
                st["mu_product"],
                st["step"],
                lr,
                beta1,
                beta2,
                eps,
                wd,
                momentum_decay,
                decoupled,
                maximize,
            )

__all__ = ["NAdam"]
