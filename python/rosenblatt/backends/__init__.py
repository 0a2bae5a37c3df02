"""Backend settings, as torch.backends: `rosenblatt.backends.cpu` tells which instruction set the
CPU kernels run with."""
from . import cpu  # noqa: F401
