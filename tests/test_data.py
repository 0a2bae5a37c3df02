"""rosenblatt.utils.data (datasets, samplers, DataLoader, collate, random_split) and
rosenblatt.datasets (the bundled digits, the IDX reader)."""
import collections
import gzip
import struct

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


def _xy(n=10, f=3):
    x = rb.from_numpy(np.arange(n * f, dtype=np.float32).reshape(n, f))
    y = rb.from_numpy(np.arange(n, dtype=np.int64))
    return x, y


class ListDataset(Dataset):
    """Same samples as TensorDataset(x, y), served one by one (the generic, non-gather path)."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return self.x.shape[0]


def _batches(loader):
    return [[t.numpy().copy() for t in b] for b in loader]


# --- datasets ---------------------------------------------------------------------------------

def test_tensor_dataset_items_and_size_mismatch():
    x, y = _xy()
    ds = TensorDataset(x, y)
    assert len(ds) == 10
    xi, yi = ds[3]
    np.testing.assert_array_equal(xi.numpy(), [9, 10, 11])
    assert yi.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch"):
        TensorDataset(x, rb.zeros(9))


def test_subset_and_concat():
    x, y = _xy()
    ds = TensorDataset(x, y)
    sub = Subset(ds, [7, 2])
    assert len(sub) == 2 and sub[0][1].item() == 7 and sub[1][1].item() == 2
    cat = ds + sub
    assert isinstance(cat, ConcatDataset) and len(cat) == 12
    assert cat[10][1].item() == 7 and cat[-1][1].item() == 2 and cat[4][1].item() == 4


# --- DataLoader -------------------------------------------------------------------------------

def test_sequential_batches_and_last_partial_batch():
    x, y = _xy(10)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    assert len(loader) == 3
    got = _batches(loader)
    assert [b[1].tolist() for b in got] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    np.testing.assert_array_equal(got[1][0], x.numpy()[4:8])
    assert got[0][0].dtype == np.float32 and got[0][1].dtype == np.int64
    dropped = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)
    assert len(dropped) == 2
    assert [b[1].tolist() for b in _batches(dropped)] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_shuffle_with_seeded_generator_is_reproducible():
    x, y = _xy(50)
    ds = TensorDataset(x, y)

    def run(seed):
        g = rb.Generator().manual_seed(seed)
        loader = DataLoader(ds, batch_size=8, shuffle=True, generator=g)
        return [np.concatenate([b[1] for b in _batches(loader)]) for _ in range(2)]

    a, b, c = run(3), run(3), run(4)
    for ea, eb in zip(a, b):
        np.testing.assert_array_equal(ea, eb)
    assert sorted(a[0].tolist()) == list(range(50))  # each epoch is a permutation
    assert a[0].tolist() != a[1].tolist()  # reshuffled every epoch
    assert a[0].tolist() != c[0].tolist()
    assert a[0].tolist() != list(range(50))


def test_shuffle_follows_manual_seed_without_generator():
    x, y = _xy(40)
    ds = TensorDataset(x, y)
    rb.manual_seed(11)
    first = [b[1].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    rb.manual_seed(11)
    second = [b[1].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True)]
    assert first == second


def test_gather_fast_path_matches_per_sample_path():
    x, y = _xy(23)
    fast = DataLoader(TensorDataset(x, y), batch_size=5, shuffle=True, generator=rb.Generator().manual_seed(7))
    slow = DataLoader(ListDataset(x, y), batch_size=5, shuffle=True, generator=rb.Generator().manual_seed(7))
    for _ in range(2):  # the generators must stay in step across epochs
        bf, bs = _batches(fast), _batches(slow)
        assert len(bf) == len(bs) == 5
        for (xf, yf), (xs, ys) in zip(bf, bs):
            np.testing.assert_array_equal(xf, xs)
            np.testing.assert_array_equal(yf, ys)


def test_threaded_workers_keep_order():
    x, y = _xy(30)
    ds = ListDataset(x, y)
    plain = _batches(DataLoader(ds, batch_size=4))
    threaded = _batches(DataLoader(ds, batch_size=4, num_workers=2))
    assert len(plain) == len(threaded) == 8
    for a, b in zip(plain, threaded):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_unbatched_loader_converts_numpy():
    class NpDataset(Dataset):
        def __getitem__(self, i):
            return np.full(2, i, dtype=np.float32)

        def __len__(self):
            return 3

    items = list(DataLoader(NpDataset(), batch_size=None))
    assert len(items) == 3 and isinstance(items[2], rb.Tensor) and items[2].tolist() == [2.0, 2.0]


def test_iterable_dataset_batches():
    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(7))

    assert [b.tolist() for b in DataLoader(Stream(), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [b.tolist() for b in DataLoader(Stream(), batch_size=3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="shuffle"):
        DataLoader(Stream(), shuffle=True)


def test_loader_option_errors():
    x, y = _xy()
    ds = TensorDataset(x, y)
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False), batch_size=4)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match="num_workers"):
        DataLoader(ds, num_workers=-1)


def test_batch_sampler_and_random_sampler():
    ds = list(range(10))
    assert list(BatchSampler(SequentialSampler(ds), 4, False)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert len(BatchSampler(SequentialSampler(ds), 4, True)) == 2
    draws = list(RandomSampler(ds, replacement=True, num_samples=50, generator=rb.Generator().manual_seed(0)))
    assert len(draws) == 50 and all(0 <= d < 10 for d in draws) and len(set(draws)) < 50
    loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 5, False))
    assert [b.tolist() for b in loader] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


# --- collate ----------------------------------------------------------------------------------

def test_collate_dicts_tuples_numbers_and_strings():
    batch = [{"x": rb.tensor([1.0, 2.0]), "label": 1, "w": 0.5, "name": "a", "pair": (np.int64(3), np.zeros(2))},
             {"x": rb.tensor([3.0, 4.0]), "label": 0, "w": 1.5, "name": "b", "pair": (np.int64(4), np.ones(2))}]
    out = default_collate(batch)
    assert set(out) == {"x", "label", "w", "name", "pair"}
    assert out["x"].shape == (2, 2) and out["x"].tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert out["label"].dtype == rb.int64 and out["label"].tolist() == [1, 0]
    assert out["w"].dtype == rb.float64 and out["w"].tolist() == [0.5, 1.5]
    assert out["name"] == ["a", "b"]
    assert isinstance(out["pair"], list) and out["pair"][0].tolist() == [3, 4]
    assert out["pair"][1].dtype == rb.float64 and out["pair"][1].tolist() == [[0, 0], [1, 1]]


def test_collate_tuples_namedtuples_and_errors():
    out = default_collate([(rb.tensor([1]), 2.0), (rb.tensor([3]), 4.0)])
    assert isinstance(out, list) and out[0].tolist() == [[1], [3]] and out[1].tolist() == [2.0, 4.0]
    Point = collections.namedtuple("Point", "x y")
    p = default_collate([Point(1, 2), Point(3, 4)])
    assert isinstance(p, Point) and p.x.tolist() == [1, 3] and p.y.tolist() == [2, 4]
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([rb.zeros(2), rb.zeros(3)])
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([(1, 2), (1,)])
    with pytest.raises(TypeError, match="object"):
        default_collate([object(), object()])


def test_loader_collates_dict_dataset():
    class DictDataset(Dataset):
        def __getitem__(self, i):
            return {"x": np.full(3, i, dtype=np.float32), "y": i}

        def __len__(self):
            return 5

    batches = list(DataLoader(DictDataset(), batch_size=2))
    assert len(batches) == 3
    assert batches[0]["x"].shape == (2, 3) and batches[0]["x"].dtype == rb.float32
    assert batches[2]["y"].tolist() == [4]


# --- random_split -----------------------------------------------------------------------------

def test_random_split_sizes_disjoint_and_seeded():
    ds = list(range(100))
    a, b, c = random_split(ds, [50, 30, 20], generator=rb.Generator().manual_seed(1))
    assert (len(a), len(b), len(c)) == (50, 30, 20)
    items = [a[i] for i in range(50)] + [b[i] for i in range(30)] + [c[i] for i in range(20)]
    assert sorted(items) == ds  # disjoint and complete
    again = random_split(ds, [50, 30, 20], generator=rb.Generator().manual_seed(1))
    assert list(again[0].indices) == list(a.indices)
    other = random_split(ds, [50, 30, 20], generator=rb.Generator().manual_seed(2))
    assert list(other[0].indices) != list(a.indices)


def test_random_split_fractions_and_errors():
    parts = random_split(list(range(11)), [0.5, 0.3, 0.2], generator=rb.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [6, 3, 2]  # floor(5.5, 3.3, 2.2) + the remainder round-robin
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(list(range(10)), [3, 3])


# --- bundled digits ---------------------------------------------------------------------------

def test_load_digits_all():
    x, y = rb.datasets.load_digits()
    assert tuple(x.shape) == (1797, 1, 8, 8) and x.dtype == rb.float32
    assert tuple(y.shape) == (1797,) and y.dtype == rb.int64
    xa, ya = x.numpy(), y.numpy()
    assert xa.min() == 0.0 and xa.max() == 1.0
    np.testing.assert_allclose(np.unique(xa * 16), np.arange(17))  # pixel / 16
    assert sorted(set(ya.tolist())) == list(range(10))


def test_load_digits_fixed_split():
    x, y = rb.datasets.load_digits()
    xtr, ytr = rb.datasets.load_digits("train")
    xte, yte = rb.datasets.load_digits("test")
    assert xtr.shape[0] == 1797 - 359 and xte.shape[0] == 359  # round(1797 * 0.2)
    xtr2, _ = rb.datasets.load_digits("train")
    np.testing.assert_array_equal(xtr.numpy(), xtr2.numpy())
    # together the two sides are the whole set (compare rows as bytes)
    rows = {r.tobytes() + bytes([int(l)]) for r, l in zip(x.numpy().reshape(1797, 64), y.numpy())}
    split = [r.tobytes() + bytes([int(l)]) for r, l in zip(np.concatenate([xtr.numpy(), xte.numpy()]).reshape(-1, 64),
                                                            np.concatenate([ytr.numpy(), yte.numpy()]))]
    assert set(split) == rows and len(split) == 1797
    _, yte_other = rb.datasets.load_digits("test", seed=1)
    assert yte_other.tolist() != yte.tolist()
    with pytest.raises(ValueError, match="split"):
        rb.datasets.load_digits("validation")


# --- IDX files --------------------------------------------------------------------------------

def _idx(arr, type_byte, fmt):
    header = bytes([0, 0, type_byte, arr.ndim]) + b"".join(struct.pack(">I", d) for d in arr.shape)
    return header + arr.astype(fmt).tobytes()


def test_read_idx_types_raw_and_gzip(tmp_path):
    imgs = np.random.default_rng(0).integers(0, 256, size=(5, 4, 3)).astype(np.uint8)
    raw = tmp_path / "images-idx3-ubyte"
    raw.write_bytes(_idx(imgs, 0x08, ">u1"))
    gz = tmp_path / "images-idx3-ubyte.gz"
    gz.write_bytes(gzip.compress(_idx(imgs, 0x08, ">u1")))
    for p in (raw, gz):
        t = rb.datasets.read_idx(p)
        assert t.dtype == rb.uint8 and tuple(t.shape) == (5, 4, 3)
        np.testing.assert_array_equal(t.numpy(), imgs)
    labels = np.array([3, -1, 7], dtype=np.int8)
    (tmp_path / "l").write_bytes(_idx(labels, 0x09, ">i1"))
    t = rb.datasets.read_idx(tmp_path / "l")
    assert t.dtype == rb.int8 and t.tolist() == [3, -1, 7]
    shorts = np.array([[300, -2]], dtype=np.int16)
    (tmp_path / "s").write_bytes(_idx(shorts, 0x0B, ">i2"))
    t = rb.datasets.read_idx(str(tmp_path / "s"))
    assert t.dtype == rb.int16 and t.tolist() == [[300, -2]]
    ints = np.array([1 << 20, -5], dtype=np.int32)
    (tmp_path / "i").write_bytes(_idx(ints, 0x0C, ">i4"))
    t = rb.datasets.read_idx(tmp_path / "i")
    assert t.dtype == rb.int32 and t.tolist() == [1 << 20, -5]
    floats = np.array([[0.5, -1.25], [3.0, 2.0]], dtype=np.float32)
    (tmp_path / "f").write_bytes(_idx(floats, 0x0D, ">f4"))
    t = rb.datasets.read_idx(tmp_path / "f")
    assert t.dtype == rb.float32 and t.tolist() == floats.tolist()
    doubles = np.array([0.1, 1e300])
    (tmp_path / "d").write_bytes(_idx(doubles, 0x0E, ">f8"))
    t = rb.datasets.read_idx(tmp_path / "d")
    assert t.dtype == rb.float64 and t.tolist() == doubles.tolist()


@pytest.mark.parametrize("content, fragment", [
    (b"\x00\x00", "truncated header"),
    (b"\x01\x00\x08\x01\x00\x00\x00\x02ab", "bad magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x02ab", "unknown data type byte 0x07"),
    (b"\x00\x00\x08\x03\x00\x00\x00\x02", "truncated header"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05abc", "truncated data"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x02abcd", "2 trailing bytes"),
    (b"\x00\x00\x0d\x01\x00\x00\x00\x02\x00\x00\x00\x00\x00", "truncated data"),
    (b"\x1f\x8b\x08\x00garbage", "corrupt gzip"),
])
def test_read_idx_malformed(tmp_path, content, fragment):
    p = tmp_path / "bad.idx"
    p.write_bytes(content)
    with pytest.raises(ValueError, match=fragment) as e:
        rb.datasets.read_idx(p)
    assert "bad.idx" in str(e.value)


def test_read_idx_truncated_gzip(tmp_path):
    imgs = np.arange(60, dtype=np.uint8).reshape(3, 20)
    blob = gzip.compress(_idx(imgs, 0x08, ">u1"))
    p = tmp_path / "cut.gz"
    p.write_bytes(blob[:len(blob) // 2])
    with pytest.raises(ValueError, match="cut.gz"):
        rb.datasets.read_idx(p)


# --- parity with torch.utils.data -------------------------------------------------------------

@pytest.mark.parametrize("lengths, n", [([0.5, 0.3, 0.2], 11), ([0.1, 0.9], 7), ([1 / 3] * 3, 10), ([3, 4], 7)])
def test_random_split_lengths_match_torch(lengths, n):
    torch = pytest.importorskip("torch")
    ours = [len(s) for s in random_split(list(range(n)), lengths, generator=rb.Generator().manual_seed(0))]
    theirs = [len(s) for s in torch.utils.data.random_split(list(range(n)), lengths,
                                                            generator=torch.Generator().manual_seed(0))]
    assert ours == theirs


def test_default_collate_matches_torch():
    torch = pytest.importorskip("torch")
    from torch.utils.data import default_collate as torch_collate

    Pair = collections.namedtuple("Pair", "a b")
    cases = [
        [1, 2, 3], [0.5, 1.5], [True, False], ["a", "b"],
        [np.arange(3, dtype=np.float32), np.ones(3, dtype=np.float32)], [np.int64(1), np.int64(2)],
        [(1, 2.0), (3, 4.0)], [[1, 2], [3, 4]], [{"k": 1, "v": [0.5, 1.0]}, {"k": 2, "v": [1.5, 2.0]}],
        [Pair(1, "x"), Pair(2, "y")],
    ]

    def same(a, b):
        if isinstance(b, torch.Tensor):
            assert isinstance(a, rb.Tensor) and str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
            np.testing.assert_array_equal(a.numpy(), b.numpy())
        elif isinstance(b, dict):
            assert type(a) is type(b) and set(a) == set(b)
            for k in b:
                same(a[k], b[k])
        elif isinstance(b, (list, tuple)):
            assert type(a) is type(b) and len(a) == len(b)
            for x, y in zip(a, b):
                same(x, y)
        else:
            assert a == b

    for batch in cases:
        same(default_collate(batch), torch_collate(batch))


def test_weighted_random_sampler():
    from rosenblatt.utils.data import WeightedRandomSampler

    w = [0.0, 1.0, 3.0]
    draws = list(WeightedRandomSampler(w, 4000, generator=rb.Generator().manual_seed(0)))
    counts = np.bincount(draws, minlength=3)
    assert counts[0] == 0 and 2.6 < counts[2] / counts[1] < 3.4
    again = list(WeightedRandomSampler(rb.tensor(w), 4000, generator=rb.Generator().manual_seed(0)))
    assert again == draws
    once = list(WeightedRandomSampler([1.0, 1.0, 0.0, 5.0], 3, replacement=False,
                                      generator=rb.Generator().manual_seed(1)))
    assert sorted(once) == [0, 1, 3]
    with pytest.raises(RuntimeError, match="without replacement"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)
    with pytest.raises(ValueError, match="non-negative"):
        WeightedRandomSampler([1.0, -1.0], 2)
