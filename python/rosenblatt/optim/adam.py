"""Adam and AdamW (torch.optim.Adam, torch.optim.AdamW): one fused C++ pass per parameter."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_adam_step = _C._optim.adam_step
_BUFFERS = ("exp_avg", "exp_avg_sq")
_AMSGRAD_BUFFERS = _BUFFERS + ("max_exp_avg_sq",)


def _check_adam(lr, betas, eps, weight_decay):
    _check_nonnegative(lr=lr, eps=eps)
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    _check_nonnegative(weight_decay=weight_decay)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): steps by the bias-corrected first moment over the square root of the second,
    ``p -= lr m_hat / (sqrt(v_hat) + eps)``;
    ``amsgrad=True`` keeps the maximum of v.

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.Adam(model.parameters(), lr=1e-3)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: Optional[bool] = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: Optional[bool] = None, decoupled_weight_decay: bool = False) -> None:
        _check_adam(lr, betas, eps, weight_decay)
        _check_flags(type(self).__name__, foreach, capturable, differentiable, fused)
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, (beta1, beta2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        amsgrad, maximize, decoupled = group["amsgrad"], group["maximize"], group["decoupled_weight_decay"]
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, _AMSGRAD_BUFFERS if amsgrad else _BUFFERS, step=0.0)
            if st is None:
                continue
            _adam_step(
                p,
                None,
                st["exp_avg"],
                st["exp_avg_sq"],
                st.get("max_exp_avg_sq"),
                st["step"],
                lr,
                beta1,
                beta2,
                eps,
                wd,
                amsgrad,
                maximize,
                decoupled,
            )


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019): ``p -= lr weight_decay p`` before the Adam
    step (default weight_decay 0.01).

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: Optional[bool] = None, capturable: bool = False, differentiable: bool = False,
                 fused: Optional[bool] = None) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True

__all__ = ["Adam", "AdamW"]
