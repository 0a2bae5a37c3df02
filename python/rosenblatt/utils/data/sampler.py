"""Samplers with torch.utils.data's API: the orders in which a DataLoader visits a dataset, and
BatchSampler, which groups them into batches."""
from typing import Any, Iterator

import numpy as np

from ... import _C

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler"]


def _seeded_generator(generator):
    """`generator`, or a fresh one seeded from the default generator (so rb.manual_seed fixes it)."""
    if generator is not None:
        return generator
    seed = int(_C.empty((), dtype=_C.dtype.int64).random_().item())
    g = _C.Generator()
    g.manual_seed(seed)
    return g


class Sampler:
    """Iterates over dataset indices."""

    def __init__(self, data_source: Any = None) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Any) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[Any]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)

    def _index_tensor(self):
        return _C.arange(len(self.data_source), dtype=_C.dtype.int64)


class RandomSampler(Sampler):
    """A random permutation per epoch (or num_samples draws with replacement), drawn from
    `generator`; without one, from a generator seeded by the default generator.

    Example:
        >>> s = rb.utils.data.RandomSampler(range(5), generator=rb.Generator().manual_seed(0))
        >>> sorted(s)
        [0, 1, 2, 3, 4]
    """

    def __init__(self, data_source: Any, replacement: Any = False, num_samples: Any = None,
                 generator: Any = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> Any:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[Any]:
        n = len(self.data_source)
        generator = _seeded_generator(self.generator)
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from _C.randint(0, n, (32,), dtype=_C.dtype.int64, generator=generator).tolist()
            yield from _C.randint(0, n, (self.num_samples % 32,), dtype=_C.dtype.int64, generator=generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from _C.randperm(n, generator=generator).tolist()
            yield from _C.randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples

    def _index_tensor(self):
        """The epoch's indices as one int64 tensor, drawn exactly as __iter__ draws them."""
        n = len(self.data_source)
        if self.replacement or self.num_samples != n:
            return None
        generator = _seeded_generator(self.generator)
        perm = _C.randperm(n, generator=generator)
        _C.randperm(n, generator=generator)  # __iter__ draws a second (empty-sliced) permutation
        return perm


class SubsetRandomSampler(Sampler):
    """The given indices in a random order."""

    def __init__(self, indices: Any, generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[Any]:
        for i in _C.randperm(len(self.indices), generator=_seeded_generator(self.generator)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class BatchSampler(Sampler):
    """Groups the indices of `sampler` into lists of batch_size (the last one shorter unless
    drop_last).

    Example:
        >>> list(rb.utils.data.BatchSampler(range(5), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Any, batch_size: Any, drop_last: Any) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")  # noqa: TRY004  (PyTorch raises ValueError)
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[Any]:
        batch = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size


class WeightedRandomSampler(Sampler):
    """num_samples indices drawn with probability proportional to `weights` (with replacement by
    default; without: each index at most once), from `generator`.

    Example:
        >>> s = rb.utils.data.WeightedRandomSampler([0.0, 1.0], num_samples=4)
        >>> list(s)   # index 0 has weight 0
        [1, 1, 1, 1]
    """

    def __init__(self, weights: Any, num_samples: Any, replacement: Any = True, generator: Any = None) -> None:
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")  # noqa: TRY004
        w = np.asarray(weights.tolist() if hasattr(weights, "tolist") else weights, dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {tuple(w.shape)}")
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be finite, non-negative, and not all zero")
        if not replacement and num_samples > np.count_nonzero(w):
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement "
                               f"({num_samples} samples, {np.count_nonzero(w)} non-zero weights)")
        self.weights = w
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[Any]:
        u = _C.rand(self.num_samples if self.replacement else len(self.weights), dtype=_C.dtype.float64,
                    generator=_seeded_generator(self.generator)).numpy()
        if self.replacement:  # inverse CDF
            cdf = np.cumsum(self.weights)
            idx = np.searchsorted(cdf, u * cdf[-1], side="right")
            idx = np.minimum(idx, len(cdf) - 1)
        else:  # the k largest keys u^(1/w) are a weighted sample without replacement (Efraimidis-Spirakis)
            with np.errstate(divide="ignore"):
                keys = np.where(self.weights > 0, np.log(np.maximum(u, 1e-300)) / self.weights, -np.inf)
            idx = np.argsort(-keys, kind="stable")[:self.num_samples]
        yield from idx.tolist()

    def __len__(self) -> int:
        return self.num_samples
