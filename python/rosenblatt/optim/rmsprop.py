"""RMSprop with momentum and the centered variant (torch.optim.RMSprop)."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags, _check_nonnegative, _new_state

_rmsprop_step = _C._optim.rmsprop_step


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): divides the step by a moving root-mean-square of the gradients,
    ``v = alpha v + (1 - alpha) g^2``, ``p -= lr g / (sqrt(v) + eps)``
    (``centered``, ``momentum`` as PyTorch's).

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.RMSprop(model.parameters(), lr=0.01)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0,
                 momentum: Optional[float] = 0, centered: bool = False, capturable: bool = False,
                 foreach: Optional[bool] = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_nonnegative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
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
        buffers = ("square_avg",) + (("momentum_buffer",) if momentum > 0 else ()) + (("grad_avg",) if centered else ())
        state = self.state
        for p in group["params"]:
            st = state.get(p) or _new_state(state, p, buffers, step=0.0)
            if st is None:
                continue
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

__all__ = ["RMSprop"]
