"""rosenblatt.amp: torch.amp's autocast and GradScaler, so mixed-precision training scripts run unchanged.

autocast keeps PyTorch's arguments, checks and state queries, but no op is autocast: everything computes in
its tensors' own dtype (float32 for a float32 model), which is at least as accurate; entering an enabled
autocast warns once that this is so. GradScaler is PyTorch's dynamic loss scaling, complete: scale, unscale_,
step skipping non-finite steps, update's growth and backoff, state_dict."""
from .autocast_mode import autocast, get_autocast_dtype, is_autocast_available, is_autocast_enabled
from .grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "get_autocast_dtype", "is_autocast_available", "is_autocast_enabled"]
