"""Storages (rosenblatt.UntypedStorage, TypedStorage), Tensor.untyped_storage/storage/set_/is_set_to and the
legacy constructors on a storage (Tensor.new(storage), rosenblatt.Tensor(storage)): sharing, geometry, errors
that change nothing, and PyTorch parity."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, torch


def test_untyped_storage_is_the_tensors_bytes_shared():
    x = rb.arange(6.0)
    s = x.untyped_storage()
    assert isinstance(s, rb.UntypedStorage)
    assert s.nbytes() == s.size() == len(s) == 24 and s.element_size() == 1 and s.device == rb.device("cpu")
    assert s.data_ptr() == x.data_ptr()
    assert s.tolist()[4:8] == list(np.float32(1.0).tobytes())
    assert x[2:].untyped_storage() == s and x[2:].storage_offset() == 2  # a view shares the block
    assert rb.arange(6.0).untyped_storage() != s
    s[4:8] = 0  # writes through the storage change the tensor
    s.fill_(0)
    np.testing.assert_array_equal(x.numpy(), np.zeros(6, np.float32))


def test_storage_slices_share_the_block():
    x = rb.arange(4.0)
    s = x.untyped_storage()
    part = s[4:12]
    assert part.nbytes() == 8 and part.data_ptr() == s.data_ptr() + 4
    np.testing.assert_array_equal(rb.Tensor(part).numpy(), [1.0, 2.0])
    del x, s  # the slice keeps the block alive
    np.testing.assert_array_equal(rb.Tensor(part).numpy(), [1.0, 2.0])
    assert rb.arange(4.0).untyped_storage()[-4] == list(np.float32(3.0).tobytes())[0]


def test_typed_storage_reads_elements_and_warns_as_deprecated():
    x = rb.arange(6.0)
    with pytest.warns(UserWarning, match="TypedStorage is deprecated"):
        ts = x.storage()
    assert ts.size() == len(ts) == 6 and ts.dtype == rb.float32 and ts.element_size() == 4 and ts.nbytes() == 24
    assert ts[1] == 1.0 and ts[-1] == 5.0 and ts.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert ts.data_ptr() == x.data_ptr() and ts.untyped() == x.untyped_storage()
    ts[0] = 3.5
    assert x[0].item() == 3.5
    assert ts.type() == "rosenblatt.FloatStorage"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rb.TypedStorage(3, dtype=rb.float64, _internal=True).size() == 3
    with pytest.warns(UserWarning):
        assert rb.TypedStorage([1, 2], dtype=rb.int64).tolist() == [1, 2]


def test_clone_and_copy():
    x = rb.arange(3.0)
    c = x.untyped_storage().clone()
    assert c.data_ptr() != x.data_ptr() and c.nbytes() == 12
    c.fill_(0)
    assert x.tolist() == [0.0, 1.0, 2.0]
    x.untyped_storage().copy_(c)
    assert x.tolist() == [0.0, 0.0, 0.0]
    assert rb.UntypedStorage([1, 2, 3]).tolist() == [1, 2, 3]
    assert rb.UntypedStorage(5).nbytes() == 5 and rb.UntypedStorage().nbytes() == 0


def test_set_onto_a_storage_a_tensor_or_nothing():
    x = rb.arange(6.0)
    z = rb.empty(0)
    assert z.set_(x.untyped_storage(), 1, (2, 2), (2, 1)) is z
    np.testing.assert_array_equal(z.numpy(), [[1.0, 2.0], [3.0, 4.0]])
    assert z.storage_offset() == 1 and z.stride() == (2, 1)
    z.set_(x.untyped_storage())  # all of it, contiguous
    assert z.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and z.storage_offset() == 0
    z.set_(x.untyped_storage(), 0, (2, 3))
    assert z.stride() == (3, 1) and z.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    y = rb.empty(0).set_(x[1:].view(5))
    assert y.is_set_to(x[1:]) and not y.is_set_to(x) and y.storage_offset() == 1
    y[0] = 7.0  # shares x's memory
    assert x[1].item() == 7.0
    y.set_()
    assert y.shape == (0,) and y.untyped_storage().nbytes() == 0 and x[1].item() == 7.0
    with rb.no_grad():  # allowed on a leaf that requires grad when autograd is off, as PyTorch's
        a = rb.ones(2, requires_grad=True)
        a.set_(x.untyped_storage())
    assert a.requires_grad and a.shape == (6,)


def test_set_leaves_what_autograd_saved():
    # The version counter lives on the storage, so set_ (which writes no memory) leaves a saved tensor valid:
    # backward reads the values w had when it was saved, where PyTorch's per-tensor counter raises instead.
    x = rb.ones(3, requires_grad=True)
    w = rb.arange(3.0)
    y = (x * w).sum()
    w.set_(rb.zeros(3).untyped_storage())
    y.backward()
    assert x.grad.tolist() == [0.0, 1.0, 2.0] and w.tolist() == [0.0, 0.0, 0.0]


def test_legacy_constructors_on_a_storage():
    x = rb.arange(6.0)
    s = x.untyped_storage()
    assert rb.tensor([]).new(s).tolist() == x.tolist()
    assert rb.Tensor(s).data_ptr() == x.data_ptr()
    with pytest.warns(UserWarning):
        ts = x.storage()
    assert x.new(ts).tolist() == x.tolist()
    ints = rb.LongTensor(s)
    assert ints.dtype == rb.int64 and ints.shape == (3,)
    np.testing.assert_array_equal(ints.numpy(), np.arange(6, dtype=np.float32).view(np.int64))


def test_storage_of_numpy_memory_keeps_the_array_alive():
    a = np.arange(4, dtype=np.float32)
    t = rb.from_numpy(a)
    s = t.untyped_storage()
    del a, t
    np.testing.assert_array_equal(rb.Tensor(s).numpy(), np.arange(4, dtype=np.float32))


@pytest.mark.parametrize("call, exc, msg", [
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 0, (100,), (1,)), RuntimeError,
     r"setStorage: sizes \[100\], strides \[1\], storage offset 0 and itemsize 4 .* out of bounds for storage of "
     "size 24"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 0, (2 ** 62, 4), (4, 2 ** 62)), RuntimeError, "overflows int64"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 0, (2 ** 40, 2), (2 ** 40, 1)), RuntimeError, "out of bounds"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 1), TypeError, "storage_offset needs size"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), -1, (2,), (1,)), RuntimeError, "invalid storage offset -1"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 0, (2,), (-1,)), RuntimeError, "Negative strides"),
    (lambda x: rb.empty(0).set_(x.untyped_storage(), 0, (2, 2), (1,)), RuntimeError, "mismatch in length"),
    (lambda x: rb.empty(0, dtype=rb.float64).set_(x), RuntimeError,
     "Could not set tensor of type float to a tensor of type double"),
    (lambda x: rb.empty(0, dtype=rb.float64).set_(rb.TypedStorage(wrap_storage=x.untyped_storage(),
                                                                   dtype=rb.float32, _internal=True)),
     RuntimeError, "Expected a Storage of type double or an UntypedStorage, but got type Float"),
    (lambda x: rb.empty(0).set_([1, 2]), TypeError, "expected a Tensor or a storage"),
    (lambda x: rb.ones(2, requires_grad=True).set_(x.untyped_storage()), RuntimeError,
     "a leaf Variable that requires grad is being used in an in-place operation"),
    (lambda x: (rb.ones(2, requires_grad=True) * 2).set_(x.untyped_storage()), RuntimeError,
     "autograd records"),
    (lambda x: x.untyped_storage()[100], IndexError, "index 100 out of range for storage of size 24"),
    (lambda x: x.untyped_storage()[0:4:2], RuntimeError, "only a step of 1 is supported"),
    (lambda x: x.untyped_storage()["a"], TypeError, "can't index a storage with str"),
    (lambda x: rb.TypedStorage(wrap_storage=x.untyped_storage(), dtype=rb.float32, _internal=True)[6], IndexError,
     "index 6 out of range for storage of size 6"),
    (lambda x: rb.TypedStorage(wrap_storage=x.untyped_storage(), dtype=rb.float32, _internal=True)[0:2],
     RuntimeError, "slices are only supported in UntypedStorage"),
    (lambda x: rb.UntypedStorage(4).copy_(x.untyped_storage()), RuntimeError,
     "size does not match, self was 4 bytes but src was 24 bytes"),
    (lambda x: rb.UntypedStorage(-1), RuntimeError, "non-negative"),
    (lambda x: x.untyped_storage().resize_(48), RuntimeError, "keep their size"),
])
def test_errors_name_the_problem_and_change_nothing(call, exc, msg):
    x = rb.arange(6.0)
    before = (x.tolist(), x.shape, x.stride(), x.storage_offset(), x.data_ptr())
    with pytest.raises(exc, match=msg):
        call(x)
    assert (x.tolist(), x.shape, x.stride(), x.storage_offset(), x.data_ptr()) == before


def test_a_failed_set_leaves_the_target_as_it_was():
    z = rb.arange(3.0)
    with pytest.raises(RuntimeError):
        z.set_(rb.arange(6.0).untyped_storage(), 0, (100,), (1,))
    assert z.tolist() == [0.0, 1.0, 2.0] and z.shape == (3,)


@requires_torch
def test_matches_pytorch():
    vals = np.arange(6, dtype=np.float32)
    x, tx = rb.tensor(vals), torch.tensor(vals)
    s, ts = x.untyped_storage(), tx.untyped_storage()
    assert (s.nbytes(), s.size(), len(s), s.element_size()) == (ts.nbytes(), ts.size(), len(ts), ts.element_size())
    assert s.tolist() == ts.tolist() and s[5] == ts[5] and s[-3] == ts[-3]
    assert s[4:12].tolist() == ts[4:12].tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert x.storage().tolist() == tx.storage().tolist() and x.storage().size() == tx.storage().size()
        assert x.storage()[2] == tx.storage()[2]
    for offset, size, stride in [(1, (2, 2), (2, 1)), (0, (3,), (2,)), (5, (1,), (1,)), (0, (2, 0), (1, 1)),
                                 (0, None, None), (0, (2, 3), None)]:
        a = rb.empty(0).set_(s, offset, size, stride) if size is not None else rb.empty(0).set_(s)
        b = torch.empty(0).set_(ts, offset, size, stride) if size is not None else torch.empty(0).set_(ts)
        assert a.tolist() == b.tolist() and a.stride() == b.stride() and a.storage_offset() == b.storage_offset()
    assert rb.Tensor(s).tolist() == torch.Tensor(ts).tolist()
    assert rb.LongTensor(s).tolist() == torch.LongTensor(ts).tolist()
    assert rb.tensor([1, 2]).new(s).tolist() == torch.tensor([1, 2]).new(ts).tolist()
    assert rb.UntypedStorage([1, 2, 250]).tolist() == torch.UntypedStorage([1, 2, 250]).tolist()
    assert rb.empty(0, dtype=rb.float64).set_(s).tolist() == torch.empty(0, dtype=torch.float64).set_(ts).tolist()
    for call in [lambda m, st: m.empty(0, dtype=m.float64).set_(m.arange(3.0)),
                 lambda m, st: m.ones(2, requires_grad=True).set_(st)]:
        with pytest.raises(RuntimeError) as ours:
            call(rb, s)
        with pytest.raises(RuntimeError) as theirs:
            call(torch, ts)
        assert str(ours.value) == str(theirs.value)
