"""Regression tests for the defects the differential fuzzer (tests/test_fuzz_ops.py) found: each case once,
with PyTorch's answer or exception type, plus tolist's MemoryError under a memory limit."""
import os
import sys

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import run_python


def test_batch_norm_updates_strided_running_statistics():
    # PyTorch writes through a running buffer's stride; rosenblatt refused a non-contiguous one.
    rm_base, rv_base = rb.zeros(6), rb.ones(6)
    rm, rv = rm_base[::2], rv_base[::2]
    F.batch_norm(rb.tensor([[1.0, 2, 3], [3, 4, 8]]), rm, rv, training=True, momentum=0.5)
    assert rm.tolist() == [1.0, 1.5, 2.75]
    assert rv.tolist() == [1.5, 1.5, 6.75]
    assert rm_base.tolist()[1::2] == [0.0, 0.0, 0.0]  # the elements between are untouched
    assert rv_base.tolist()[1::2] == [1.0, 1.0, 1.0]


def test_training_norms_of_empty_inputs_return_empty_and_keep_running_stats():
    rm, rv = rb.zeros(3), rb.ones(3)
    assert F.batch_norm(rb.zeros(0, 3), rm, rv, training=True).shape == (0, 3)
    assert rm.tolist() == [0.0] * 3 and rv.tolist() == [1.0] * 3
    assert F.instance_norm(rb.zeros(1, 6, 4, 0)).shape == (1, 6, 4, 0)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(rb.zeros(1, 3), rm, rv, training=True)


def test_bce_target_outside_0_1_raises():
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(rb.full((2,), 0.5), rb.tensor([0.5, 1.5]))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(rb.full((2,), 0.5), rb.tensor([float("nan"), 0.0]))
    assert F.binary_cross_entropy(rb.full((2,), 0.5), rb.tensor([0.0, 1.0])).item() == pytest.approx(np.log(2))


@pytest.mark.parametrize("call", [lambda: F.conv2d(rb.zeros(2, 2, 3, 0), rb.zeros(3, 2, 1, 1)),
                                  lambda: F.conv1d(rb.zeros(2, 2, 0), rb.zeros(3, 2, 1)),
                                  lambda: F.conv_transpose2d(rb.zeros(2, 3, 4, 0), rb.zeros(3, 2, 2, 2)),
                                  lambda: F.conv2d(rb.zeros(2, 2, 3, 3), rb.zeros(3, 2, 0, 1))])
def test_conv_of_empty_planes_or_kernels_raises(call):
    with pytest.raises(RuntimeError, match="zero batch or zero channel|kernel size should be greater than zero"):
        call()


def test_conv_of_empty_batch_or_channels_still_works():
    assert F.conv2d(rb.zeros(0, 2, 3, 3), rb.zeros(3, 2, 1, 1)).shape == (0, 3, 3, 3)


def test_pool_emptiness_rules_follow_pytorch():
    with pytest.raises(RuntimeError, match="optional 0 dim batch size"):
        F.avg_pool2d(rb.zeros(2, 0, 4, 4), 2)
    assert F.adaptive_avg_pool2d(rb.zeros(2, 0, 4, 4), 2).shape == (2, 0, 2, 2)
    with pytest.raises(RuntimeError, match="non-zero size"):
        F.adaptive_max_pool2d(rb.zeros(2, 0, 4, 4), 2)


def test_index_add_errors_have_pytorchs_types():
    # PyTorch's type depends on the path: IndexError for a vector or alpha != 1, RuntimeError otherwise.
    for idx in ([0, 10 ** 6], [0, -9]):
        with pytest.raises(IndexError, match="index out of range"):
            rb.zeros(4).index_add(0, rb.tensor(idx), rb.zeros(2))
        with pytest.raises(IndexError, match="index out of range"):
            rb.zeros(3, 4).index_add(1, rb.tensor(idx), rb.zeros(3, 2), alpha=2.5)
        with pytest.raises(RuntimeError, match="out of bounds") as e:
            rb.zeros(3, 4).index_add(1, rb.tensor(idx), rb.zeros(3, 2))
        assert not isinstance(e.value, IndexError)
    with pytest.raises(RuntimeError, match="Number of indices") as e:
        rb.zeros(3, 4).index_add(1, rb.tensor([0, 1, 2]), rb.zeros(3, 2))
    assert not isinstance(e.value, IndexError)
    with pytest.raises(IndexError, match="Number of indices"):  # index_copy_'s stays IndexError, as PyTorch's
        rb.zeros(3, 4).index_copy(1, rb.tensor([0, 1, 2]), rb.zeros(3, 2))


def test_tolist_past_memory_raises_memory_error():
    code = ("import resource, rosenblatt as rb\n"
            "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
            "try:\n    rb.zeros(2 ** 30, 0).tolist()\nexcept MemoryError:\n    print('MemoryError')\n")
    if not sys.platform.startswith("linux") or "asan" in os.environ.get("LD_PRELOAD", ""):
        pytest.skip("RLIMIT_AS limits memory on Linux, and AddressSanitizer's shadow memory is past any such limit")
    r = run_python("-c", code)
    assert r.returncode == 0 and r.stdout.strip() == "MemoryError", (r.returncode, r.stdout, r.stderr[-2000:])


@pytest.mark.parametrize("shape,dim", [((5, 0), 0), ((0, 3, 4), 1), ((2, 0, 3), 2)])
def test_softmax_of_empty_tensors_is_empty(shape, dim):
    # Dividing by an empty row count in the kernel killed the process with SIGFPE.
    for fn in (rb.softmax, rb.log_softmax):
        x = rb.zeros(*shape, requires_grad=True)
        y = fn(x, dim)
        assert y.shape == shape
        y.sum().backward()
        assert x.grad.shape == shape


def test_uint64_values_past_int64_raise_instead_of_wrapping():
    big = np.array([2 ** 63 + 5, 7], dtype=np.uint64)
    for make in (rb.tensor, rb.as_tensor):
        with pytest.raises(RuntimeError, match="does not fit int64"):
            make(big)
    with pytest.raises(RuntimeError, match="does not fit int64"):
        rb.tensor([2 ** 63 + 5])
    assert rb.tensor(np.array([2 ** 63 - 1, 7], dtype=np.uint64)).tolist() == [2 ** 63 - 1, 7]
    assert rb.tensor(np.array([2 ** 32 - 1], dtype=np.uint32)).tolist() == [2 ** 32 - 1]


def test_argmax_of_an_empty_tensor_raises_index_error():
    for fn in (rb.argmax, rb.argmin):
        with pytest.raises(IndexError, match="Expected reduction dim to be specified"):
            fn(rb.zeros(0))


def test_recurrent_layer_sizes_and_empty_sequences_raise_as_pytorch():
    for args in ((0, 4), (4, 0)):
        with pytest.raises(ValueError, match="must be greater than zero"):
            rb.nn.LSTM(*args)
    w = [rb.randn(12, 3), rb.randn(12, 4), rb.randn(12), rb.randn(12)]
    h = rb.zeros(2, 4)
    with pytest.raises(ValueError, match="input_size must be greater than zero"):
        rb._C._nn.rnn_layer("GRU", rb.zeros(5, 2, 0), h, None, rb.zeros(12, 0), *w[1:], None, None, False)
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        rb._C._nn.rnn_layer("GRU", rb.zeros(5, 2, 3), rb.zeros(2, 0), None, rb.zeros(0, 3), rb.zeros(0, 0),
                            rb.zeros(0), rb.zeros(0), None, None, False)
    for cls in (rb.nn.RNN, rb.nn.GRU, rb.nn.LSTM):
        with pytest.raises(RuntimeError, match="Expected sequence length to be larger than 0 in RNN"):
            cls(3, 4)(rb.zeros(0, 2, 3))


def test_einsum_of_zero_size_operands_is_empty_or_zero():
    a = rb.zeros(2, 0, requires_grad=True)
    y = rb.einsum("ij,jk->ik", a, rb.ones(0, 3))
    assert y.tolist() == [[0.0] * 3] * 2
    y.sum().backward()
    assert a.grad.shape == (2, 0)
    assert rb.einsum("ij,jk->ik", rb.ones(0, 4), rb.ones(4, 3)).shape == (0, 3)
    assert rb.einsum("ii->i", rb.ones(0, 0)).shape == (0,)
    assert rb.einsum("ij->", rb.ones(0, 3)).item() == 0.0


def test_scatter_and_gather_with_an_empty_index_check_no_shapes():
    a, b = rb.ones(3, 5, requires_grad=True), rb.ones(3, 2, requires_grad=True)
    for index in (rb.zeros(0, 2, dtype=rb.int64), rb.zeros(0, dtype=rb.int64), rb.zeros(0, 9, dtype=rb.int64)):
        for y in (a.scatter(1, index, b), rb.scatter_add(a, 1, index, b), a.scatter(0, index, 2.5)):
            assert y.tolist() == [[1.0] * 5] * 3
        assert rb.gather(a, 1, index).shape == index.shape
    y = a.scatter(1, rb.zeros(0, dtype=rb.int64), b) + rb.scatter_add(a, 1, rb.zeros(3, 0, dtype=rb.int64), b)
    y.sum().backward()
    assert a.grad.tolist() == [[2.0] * 5] * 3 and b.grad.tolist() == [[0.0] * 2] * 3
    with pytest.raises(RuntimeError, match="smaller size than src"):  # a non-empty index still needs src
        a.scatter(1, rb.zeros(3, 2, dtype=rb.int64), b[:0])


def test_conv_weight_without_output_channels_is_refused():
    with pytest.raises(RuntimeError, match="expected weight to be at least 1 at dimension 0"):
        F.conv2d(rb.zeros(1, 3, 5, 5), rb.zeros(0, 3, 3, 3))
    with pytest.raises(RuntimeError, match="expected weight to be at least 2 at dimension 0"):
        F.conv1d(rb.zeros(1, 2, 5), rb.zeros(0, 1, 3), groups=2)
    with pytest.raises(RuntimeError, match="non-empty 4D weight tensor expected"):
        F.conv_transpose2d(rb.zeros(1, 3, 5, 5), rb.zeros(3, 0, 3, 3))


def test_diag_of_empty_inputs_records_the_gradient_function():
    for fn, shape in ((rb.diag, (0,)), (rb.diag, (0, 3)), (rb.diag_embed, (0,)), (rb.diag_embed, (2, 0))):
        x = rb.zeros(*shape, requires_grad=True)
        y = fn(x)
        assert y.grad_fn is not None and y.numel() == 0
        y.sum().backward()
        assert x.grad.shape == shape


def test_chunk_of_an_empty_dim_gives_chunks_empty_pieces():
    assert [c.shape for c in rb.chunk(rb.zeros(2, 0), 3, 1)] == [(2, 0)] * 3
    assert [c.shape for c in rb.zeros(0, 4).chunk(2)] == [(0, 4)] * 2
    assert [c.shape for c in rb.chunk(rb.zeros(2, 0), 3, 0)] == [(1, 0), (1, 0)]
