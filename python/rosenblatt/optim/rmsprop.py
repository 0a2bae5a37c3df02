"""RMSprop with momentum and the centered variant (torch.optim.RMSprop)."""

from .. import _C
from .optimizer import Optimizer, _check_flags, _scalar_state

_rmsprop_step = _C._optim.rmsprop_step
_zeros_like = _C.zeros_like


class RMSprop(Optimizer):
    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        _check_flags("RMSprop", foreach, capturable, differentiable)
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, alpha, eps, wd = group["lr"], group["alpha"], group["eps"], group["weight_decay"]
        momentum, centered, maximize = group["momentum"], group["centered"], group["maximize"]
        state = self.state
        for p in group["params"]:
            st = state.get(p)
            if not st:
                if p.grad is None:
                    continue
                st = state[p]
                st["step"] = _scalar_state(0.0)
                st["square_avg"] = _zeros_like(p)
                if momentum > 0:
                    st["momentum_buffer"] = _zeros_like(p)
                if centered:
                    st["grad_avg"] = _zeros_like(p)
            _rmsprop_step(
                p,
                None,
                st["square_avg"],
                st.get("grad_avg"),
                st.get("momentum_buffer"),
                st["step"],
                lr,
                alpha,
                eps,
                wd,
                momentum,
                centered,
                maximize,
            )
