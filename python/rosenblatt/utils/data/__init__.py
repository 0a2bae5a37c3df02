"""rosenblatt.utils.data: datasets, samplers and the DataLoader, with torch.utils.data's API."""
from typing import Any

from . import distributed  # noqa: F401
from ._collate import default_collate, default_convert  # noqa: F401
from .dataloader import DataLoader  # noqa: F401
from .dataset import ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split  # noqa: F401
from .sampler import (  # noqa: F401
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)


def get_worker_info() -> Any:
    """None: batches are loaded in this process (num_workers > 0 uses threads, not worker processes)."""
    return

__all__ = ["BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "default_collate", "default_convert",
    "get_worker_info", "IterableDataset", "random_split", "RandomSampler", "Sampler", "SequentialSampler", "Subset",
    "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler"]
