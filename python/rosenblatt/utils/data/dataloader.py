"""DataLoader with torch.utils.data's API: iterates a dataset in batches through a sampler and a
collate function. A TensorDataset with the default collate is batched by indexing its tensors
with one index tensor per batch (one gather per tensor), not by stacking samples."""
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator, Optional

from ._collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

__all__ = ["DataLoader"]


class DataLoader:
    """Batches of `dataset`: batch_size samples (None: unbatched), reshuffled every epoch when
    shuffle=True (from `generator`, else from a generator seeded by the default one, so
    rb.manual_seed makes it reproducible). num_workers > 0 fetches batches ahead on that many
    threads (not processes: the core releases the GIL in its heavy calls); order is kept.

    Shape:
        Output: each batch stacks ``batch_size`` samples along a new first dimension: a dataset of
            ``(x (3,), y ())`` samples gives ``(x (B, 3), y (B,))`` batches.

    Example:
        >>> ds = TensorDataset(rb.randn(10, 3), rb.arange(10))
        >>> loader = DataLoader(ds, batch_size=4, shuffle=True, generator=rb.Generator().manual_seed(0))
        >>> [tuple(x.shape) for x, y in loader]
        [(4, 3), (4, 3), (2, 3)]
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: Optional[bool] = None, sampler: Any = None,
                 batch_sampler: Any = None, num_workers: int = 0, collate_fn: Optional[Callable[..., Any]] = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Optional[Callable[..., Any]] = None, multiprocessing_context: Any = None,
                 generator: Any = None, *, prefetch_factor: Optional[int] = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
        if not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing."
                             "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.generator = generator
        self.persistent_workers = persistent_workers
        self.in_order = in_order  # batches always come in order here; in_order=False only permits otherwise
        self._iterable = isinstance(dataset, IterableDataset)

        if self._iterable:
            if shuffle not in (None, False):
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle option, "
                                 f"but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler option, "
                                 f"but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")

        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not self._iterable:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self._auto_collation = batch_sampler is not None or (self._iterable and batch_size is not None)
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn

    def __len__(self) -> int:
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.sampler)

    # --- iteration -----------------------------------------------------------------------------

    def _fast_index(self):
        """The epoch's index tensor when batches can be gathered straight from a TensorDataset."""
        if not (type(self.dataset) is TensorDataset and self.collate_fn is default_collate
                and type(self.batch_sampler) is BatchSampler
                and type(self.sampler) in (RandomSampler, SequentialSampler)):
            return None
        return self.sampler._index_tensor()

    def _gather_batches(self, index):
        tensors = self.dataset.tensors
        n, bs = index.size(0), self.batch_size
        stop = n - n % bs if self.drop_last else n
        for start in range(0, stop, bs):
            idx = index[start:min(start + bs, n)]
            yield [t[idx] for t in tensors]  # advanced indexing on dim 0: one gather per tensor

    def _fetch(self, indices):
        if self._auto_collation:
            getitems = getattr(self.dataset, "__getitems__", None)
            data = getitems(indices) if callable(getitems) else [self.dataset[i] for i in indices]
            return self.collate_fn(data)
        return self.collate_fn(self.dataset[indices])

    def _iter_iterable(self):
        if not self._auto_collation:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)

    def __iter__(self) -> Iterator[Any]:
        if self._iterable:
            return self._iter_iterable()
        index = self._fast_index()
        if index is not None:
            return self._gather_batches(index)
        keys = self.batch_sampler if self.batch_sampler is not None else self.sampler
        if self.num_workers == 0:
            return (self._fetch(k) for k in keys)
        return self._threaded(keys)

    def _threaded(self, keys):
        ahead = self.num_workers * self.prefetch_factor
        with ThreadPoolExecutor(self.num_workers, initializer=self._init_worker()) as pool:
            pending = []
            for k in keys:
                pending.append(pool.submit(self._fetch, k))
                if len(pending) >= ahead:
                    yield pending.pop(0).result(timeout=self.timeout or None)
            for f in pending:
                yield f.result(timeout=self.timeout or None)

    def _init_worker(self):
        if self.worker_init_fn is None:
            return None
        counter = iter(range(self.num_workers))
        return lambda: self.worker_init_fn(next(counter))
