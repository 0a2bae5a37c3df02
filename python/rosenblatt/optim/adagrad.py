"""Adagrad (torch.optim.Adagrad): state is created for every parameter at construction, as in PyTorch."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _scalar_state

_adagrad_step = _C._optim.adagrad_step
_full_like = _C.full_like


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011): each coordinate's step is divided by the root of its summed squared gradients,
    ``p -= lr g / (sqrt(sum g^2) + eps)``.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.Adagrad(model.parameters(), lr=0.01)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: Optional[bool] = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: Optional[bool] = None) -> None:
        _check_nonnegative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value, eps=eps)
        _check_flags("Adagrad", foreach, False, differentiable, fused)
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p, group):
        st = self.state[p]
        st["step"] = _scalar_state(0.0)
        st["sum"] = _full_like(p, group["initial_accumulator_value"])
        return st

    def _step_group(self, group):
        lr, lr_decay, wd, eps, maximize = (
            group["lr"],
            group["lr_decay"],
            group["weight_decay"],
            group["eps"],
            group["maximize"],
        )
        state = self.state
        for p in group["params"]:
            st = state.get(p)
            if not st:  # a parameter added with add_param_group
                if p.grad is None:
                    continue
                st = self._init_state(p, group)
            _adagrad_step(p, None, st["sum"], st["step"], lr, lr_decay, wd, eps, maximize)

__all__ = ["Adagrad"]
