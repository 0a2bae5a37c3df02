"""SGD with momentum, dampening, Nesterov momentum and weight decay (torch.optim.SGD)."""

from typing import Any, Optional

from .. import _C
from .optimizer import Optimizer, _check_flags

_sgd_step = _C._optim.sgd_step
_empty_like = _C.empty_like


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov), weight decay and dampening:
    ``b = momentum b + (1 - dampening) g``, ``p -= lr b`` (PyTorch's formulation).

    Example:
        >>> model = nn.Linear(4, 1)
        >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> loss = model(rb.randn(8, 4)).pow(2).mean()
        >>> opt.zero_grad()
        >>> loss.backward()
        >>> opt.step()
    """

    def __init__(self, params: Any, lr: float = 1e-3, momentum: Optional[float] = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: Optional[bool] = None, differentiable: bool = False, fused: Optional[bool] = None) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_flags("SGD", foreach, False, differentiable, fused)
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def _step_group(self, group):
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        wd, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
        # grad None: the C++ step reads p.grad itself and skips parameters without one.
        if momentum == 0:
            for p in group["params"]:
                _sgd_step(p, None, None, lr, momentum, dampening, wd, nesterov, maximize, False)
            return
        state = self.state
        for p in group["params"]:
            st = state.get(p)
            buf = st.get("momentum_buffer") if st else None
            if buf is not None:
                _sgd_step(p, None, buf, lr, momentum, dampening, wd, nesterov, maximize, False)
            elif p.grad is not None:
                # The first step copies the gradient into the buffer; it joins the state once written.
                buf = _empty_like(p)
                if _sgd_step(p, None, buf, lr, momentum, dampening, wd, nesterov, maximize, True):
                    state[p]["momentum_buffer"] = buf

__all__ = ["SGD"]
