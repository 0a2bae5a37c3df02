"""Datasets with torch.utils.data's API: Dataset, IterableDataset, TensorDataset, ConcatDataset,
Subset, random_split. A dataset maps an index to a sample; loaders batch them."""
import bisect
import math
from typing import Any, Iterable, Iterator, Sequence, Union

from ..._C import Tensor

__all__ = ["ConcatDataset", "Dataset", "IterableDataset", "Subset", "TensorDataset", "random_split"]


class Dataset:
    """A map-style dataset: subclasses define __getitem__(index) and usually __len__()."""

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A dataset that is a stream of samples: subclasses define __iter__()."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError("Subclasses of IterableDataset should implement __iter__.")

    def __add__(self, other: Dataset) -> "ConcatDataset":
        raise TypeError("IterableDataset does not support concatenation with +")


class TensorDataset(Dataset):
    """Samples are the rows of tensors that share their first dimension: dataset[i] is
    (t0[i], t1[i], ...). DataLoader batches it with one gather per tensor per batch.

    Shape:
        Input: tensors ``(N, *)`` sharing their first dimension N.
        Output: ``dataset[i]`` is ``(t0[i], t1[i], ...)``; ``len(dataset) == N``.

    Example:
        >>> ds = TensorDataset(rb.randn(10, 3), rb.arange(10))
        >>> len(ds), tuple(ds[2][0].shape)
        (10, (3,))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        n = tensors[0].size(0)
        if not all(n == t.size(0) for t in tensors):
            raise AssertionError("Size mismatch between tensors: first dimensions are "
                                 f"{[t.size(0) for t in tensors]}")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


class ConcatDataset(Dataset):
    """The concatenation of map-style datasets: indices run through them in order."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset")  # noqa: TRY004  (PyTorch raises AssertionError)
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> Any:
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[d - 1] if d > 0 else 0
        return self.datasets[d][idx - start]


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order.

    Example:
        >>> ds = TensorDataset(rb.arange(10))
        >>> sub = rb.utils.data.Subset(ds, [1, 3, 5])
        >>> len(sub), sub[1][0].item()
        (3, 3)
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list[Any]:
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def _lengths_from_fractions(lengths, n):
    subset_lengths = [math.floor(n * frac) for frac in lengths]
    for f in lengths:
        if not 0 <= f <= 1:
            raise ValueError(f"Fraction at index {lengths.index(f)} is not between 0 and 1")
    remainder = n - sum(subset_lengths)
    for i in range(remainder):  # round-robin, as PyTorch
        subset_lengths[i % len(subset_lengths)] += 1
    return subset_lengths


def random_split(dataset: Dataset, lengths: Sequence[Union[int, float]], generator: Any = None) -> list[Subset]:
    """Splits `dataset` into non-overlapping Subsets of the given lengths (ints summing to
    len(dataset), or fractions summing to 1), drawing one permutation from `generator`.

    Example:
        >>> train, val = rb.utils.data.random_split(range(10), [0.8, 0.2],
        ...                                         generator=rb.Generator().manual_seed(0))
        >>> len(train), len(val)
        (8, 2)
    """
    from ..._C import default_generator, randperm

    lengths = list(lengths)
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1 and any(isinstance(x, float) for x in lengths):
        lengths = _lengths_from_fractions(lengths, n)
    if any(int(x) != x or x < 0 for x in lengths):
        raise ValueError(f"lengths must be non-negative integers or fractions summing to 1, got {lengths}")
    lengths = [int(x) for x in lengths]
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset! "
                         f"(lengths {lengths} sum to {sum(lengths)}, the dataset has {n} samples)")
    perm = randperm(sum(lengths), generator=generator if generator is not None else default_generator).tolist()
    out, offset = [], 0
    for length in lengths:
        out.append(Subset(dataset, perm[offset:offset + length]))
        offset += length
    return out

