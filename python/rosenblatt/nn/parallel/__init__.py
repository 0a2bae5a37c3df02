"""rosenblatt.nn.parallel: DistributedDataParallel (torch.nn.parallel), on rosenblatt.distributed."""
from .distributed import DistributedDataParallel  # noqa: F401

__all__ = ["DistributedDataParallel"]
