"""Regression tests for the defects the differential fuzzer (tests/test_fuzz_ops.py) found: each case once,
with PyTorch's answer or exception type, plus tolist's MemoryError under a memory limit."""
import os
import sys

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, requires_torch, run_python, torch


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


# --- The storage-dtype fuzzing (RB_FUZZ_STORAGE=1): each case run in both libraries, the result's dtype and
# values or the exception's builtin type compared. `L` is rosenblatt or torch; inputs from the same lists.
def _st(L, values, dtype):
    return L.tensor(np.asarray(values, dtype=np.float32)).to(getattr(L, dtype))


def _img(L, dtype, shape=(2, 3, 4, 5)):  # distinct integers 0..119 (exact in every dtype): no ties
    return _st(L, np.random.default_rng(0).permutation(int(np.prod(shape))).reshape(shape), dtype)


def _einsum(eq, *shapes, dtype="int8"):
    return lambda L: L.einsum(eq, *[_st(L, np.arange(int(np.prod(s))).reshape(s) % 5, dtype) for s in shapes])


def _setitem(key, value):
    def fn(L):
        y = L.zeros(4, 5)
        y[key(L)] = value(L)
        return y
    return fn


STORAGE_CASES = {
    # numbers outside the dtype's range raise (they wrapped: threshold's 300 gave 44); floats do not wrap
    "threshold_value_300_uint8": lambda L: L.nn.functional.threshold(_st(L, [1, 2, 3], "uint8"), 1, 300),
    "threshold_value_minus2_float_uint8": lambda L: L.nn.functional.threshold(_st(L, [1, 2, 3], "uint8"), 0.3, -2.0),
    "threshold_value_minus1_int_uint8": lambda L: L.nn.functional.threshold(_st(L, [0, 1, 2, 3], "uint8"), 1, -1),
    "threshold_minus1_int_uint8_inplace": lambda L: L.nn.functional.threshold(_st(L, [0, 1, 2], "uint8"), -1, 7,
                                                                              inplace=True),
    "threshold_float16": lambda L: L.nn.functional.threshold(_st(L, [1, 2, 3], "float16"), 1.5, -7.0),
    "threshold_float16_value_1e6": lambda L: L.nn.functional.threshold(_st(L, [1, 2], "float16"), 1, 1e6),
    "threshold_inplace_bfloat16": lambda L: L.nn.functional.threshold_(_st(L, [1, 2, 3], "bfloat16"), 1.5, 9.0),
    "relu_inplace_float16": lambda L: L.relu_(_st(L, [-1, 2, -3], "float16")),
    "hardsigmoid_inplace_bfloat16": lambda L: L.nn.functional.hardsigmoid(_st(L, [-1, 2], "bfloat16"), True),
    "full_minus2_float_uint8": lambda L: L.full((2,), -2.0, dtype=L.uint8),
    "full_minus2_int_uint8": lambda L: L.full((2,), -2, dtype=L.uint8),
    "addcmul_value_300_uint8": lambda L: L.addcmul(*[_st(L, [1, 2, 3], "uint8")] * 3, value=300),
    "addcmul_value_half_int32": lambda L: L.addcmul(*[_st(L, [1, 2, 3], "int32")] * 3, value=0.5),
    "addcmul_value_minus2_uint8": lambda L: L.addcmul(*[_st(L, [1, 2, 3], "uint8")] * 3, value=-2),
    "addcmul_value_1e6_float16": lambda L: L.addcmul(*[_st(L, [1, 2, 3], "float16")] * 3, value=1e6),
    "addmv_alpha_300_uint8": lambda L: L.addmv(_st(L, [1, 2], "uint8"), _st(L, np.ones((2, 3)), "uint8"),
                                               _st(L, [1, 2, 3], "uint8"), alpha=300),
    "addmv_beta_half_int16": lambda L: L.addmv(_st(L, [1, 2], "int16"), _st(L, np.ones((2, 3)), "int16"),
                                               _st(L, [1, 2, 3], "int16"), beta=0.5),
    "addmv_alpha_1e6_float16": lambda L: L.addmv(_st(L, [1, 2], "float16"), _st(L, np.ones((2, 3)), "float16"),
                                                 _st(L, [1, 2, 3], "float16"), alpha=1e6),
    # index_put converts no dtype, except through masked_fill (one bool mask, a one-element value)
    "setitem_int_into_float": _setitem(lambda L: (L.tensor([0, 1]), L.tensor([1, 2])),
                                       lambda L: L.tensor([1, 2], dtype=L.int32)),
    "setitem_double_into_float": _setitem(lambda L: L.tensor([0, 2]), lambda L: L.ones(5, dtype=L.float64)),
    "setitem_mask_one_long": _setitem(lambda L: L.tensor([True, False, True, False]),
                                      lambda L: L.tensor([7], dtype=L.int64)),
    "setitem_slice_int": _setitem(lambda L: slice(0, 2), lambda L: L.ones(5, dtype=L.int32)),
    "index_put_accumulate_long_into_float": lambda L: L.zeros(4, 5).index_put_(
        (L.tensor([0, 1]),), L.ones(5, dtype=L.int64), accumulate=True),
    # integer matmuls keep the integer dtype (PyTorch's einsum: its own mix of sums and bmm)
    "addmm_alpha_2_int32": lambda L: L.addmm(_st(L, np.ones((2, 2)), "int32"), _st(L, np.ones((2, 3)), "int32"),
                                             _st(L, np.ones((3, 2)), "int32"), alpha=2.0),
    "addbmm_int8": lambda L: L.addbmm(_st(L, np.ones((2, 2)), "int8"), _st(L, np.full((3, 2, 4), 5), "int8"),
                                      _st(L, np.full((3, 4, 2), 3), "int8")),
    "baddbmm_int16_beta_half": lambda L: L.baddbmm(_st(L, np.ones((1, 2, 2)), "int16"),
                                                   _st(L, np.ones((1, 2, 3)), "int16"),
                                                   _st(L, np.ones((1, 3, 2)), "int16"), beta=0.5),
    "einsum_mm_int8": _einsum("ij,jk->ik", (2, 3), (3, 4)),
    "einsum_sum_uint8": _einsum("ij->", (3, 4), dtype="uint8"),
    "einsum_dot_int32": _einsum("i,i->", (5,), (5,), dtype="int32"),
    "einsum_summed_then_bmm_int8": _einsum("ij,j->", (2, 3), (3,)),
    "einsum_outer_of_sums_int8": _einsum("ij,kl->ik", (2, 3), (3, 4)),
    "linear_int32": lambda L: L.nn.functional.linear(_st(L, np.ones((2, 3)), "int32"),
                                                     _st(L, np.arange(12).reshape(4, 3), "int32"),
                                                     _st(L, [1, 2, 3, 4], "int32")),
    "bilinear_int16": lambda L: L.nn.functional.bilinear(_st(L, np.ones((2, 3)), "int16"),
                                                         _st(L, np.ones((2, 4)), "int16"),
                                                         _st(L, np.ones((5, 3, 4)), "int16")),
    # pooling: float16 in float32; integer max pools (PyTorch's integer kernels), the rest refused
    "max_pool2d_int8": lambda L: L.nn.functional.max_pool2d(_img(L, "int8"), 2, return_indices=True),
    "max_pool2d_uint8_ceil": lambda L: L.nn.functional.max_pool2d(_img(L, "uint8"), 3, 2, 1, ceil_mode=True),
    "max_pool2d_bfloat16": lambda L: L.nn.functional.max_pool2d(_img(L, "bfloat16"), 2, return_indices=True),
    "max_pool1d_int16": lambda L: L.nn.functional.max_pool1d(_img(L, "int16")[0], 2),
    "max_pool1d_indices_int32": lambda L: L.nn.functional.max_pool1d(_img(L, "int32")[0], 2, return_indices=True),
    "max_pool3d_int16": lambda L: L.nn.functional.max_pool3d(_img(L, "int16", (1, 2, 4, 4, 3)), 2),
    "avg_pool2d_float16": lambda L: L.nn.functional.avg_pool2d(_img(L, "float16"), 2, padding=1),
    "avg_pool2d_int8": lambda L: L.nn.functional.avg_pool2d(_img(L, "int8"), 2),
    "avg_pool3d_float16": lambda L: L.nn.functional.avg_pool3d(_img(L, "float16", (1, 2, 4, 4, 3)), 2),
    "adaptive_avg_pool2d_bfloat16": lambda L: L.nn.functional.adaptive_avg_pool2d(_img(L, "bfloat16"), (3, 4)),
    "adaptive_avg_pool2d_int8": lambda L: L.nn.functional.adaptive_avg_pool2d(_img(L, "int8"), 2),
    "adaptive_max_pool2d_float16": lambda L: L.nn.functional.adaptive_max_pool2d(_img(L, "float16"), 3, True),
    "adaptive_max_pool3d_bfloat16": lambda L: L.nn.functional.adaptive_max_pool3d(
        _img(L, "bfloat16", (1, 2, 4, 4, 3)), 2),
    "max_unpool2d_float16": lambda L: L.nn.functional.max_unpool2d(
        *L.nn.functional.max_pool2d(_img(L, "float16"), 2, return_indices=True), 2),
    # interpolation: float16 in float32, uint8's nearest (a copy)
    "interpolate_nearest_uint8": lambda L: L.nn.functional.interpolate(_img(L, "uint8"), scale_factor=2),
    "interpolate_bilinear_float16": lambda L: L.nn.functional.interpolate(_img(L, "float16"), size=(5, 7),
                                                                          mode="bilinear"),
    "interpolate_nearest_int8": lambda L: L.nn.functional.interpolate(_img(L, "int8"), scale_factor=2),
    # constant padding (a copy in the compute dtype); negative pads crop first, as PyTorch's narrow
    "pad_float16": lambda L: L.nn.functional.pad(_img(L, "float16"), (1, 2, 0, 1), value=-1.5),
    "pad_int8_negative": lambda L: L.nn.functional.pad(_img(L, "int8"), (-1, 2, 2, -2)),
    "pad_crop_past_the_input": lambda L: L.nn.functional.pad(L.zeros(2, 4, 5), (2, -7)),
    "zero_pad2d_int16": lambda L: L.nn.ZeroPad2d(1)(_img(L, "int16")),
    "block_diag_bfloat16": lambda L: L.block_diag(_st(L, np.ones((2, 2)), "bfloat16"), _st(L, [[3, 4]], "bfloat16")),
    "unfold_float16_padding": lambda L: L.nn.functional.unfold(_img(L, "float16"), 2, padding=1),
    "unfold_int32": lambda L: L.nn.functional.unfold(_img(L, "int32"), 2),
    "fold_int8": lambda L: L.nn.functional.fold(_st(L, np.ones((1, 4, 9)), "int8"), (4, 4), 2),
    # sorting in the compute dtype (exact, order-preserving)
    "sort_uint8_descending": lambda L: L.sort(_img(L, "uint8"), dim=1, descending=True),
    "argsort_float16": lambda L: L.argsort(_img(L, "float16"), dim=-1),
    "topk_int16": lambda L: L.topk(_img(L, "int16"), 2, dim=2, largest=False),
    "kthvalue_bfloat16": lambda L: L.kthvalue(_img(L, "bfloat16"), 3, dim=-1),
    # losses and norms
    "l1_loss_int16_none": lambda L: L.nn.functional.l1_loss(_img(L, "int16"), _img(L, "int16") * 0 + 7,
                                                            reduction="none"),
    "l1_loss_uint8_sum": lambda L: L.nn.functional.l1_loss(_img(L, "uint8"), _img(L, "uint8").flip(0),
                                                           reduction="sum"),
    "l1_loss_int32_mean": lambda L: L.nn.functional.l1_loss(_img(L, "int32"), _img(L, "int32")),
    "l1_loss_float16_mean": lambda L: L.nn.functional.l1_loss(_img(L, "float16"), _img(L, "float16").flip(0)),
    "mse_loss_bfloat16_sum": lambda L: L.nn.functional.mse_loss(_img(L, "bfloat16") / 50, _img(L, "bfloat16") / 60,
                                                                reduction="sum"),
    "group_norm_float16": lambda L: L.nn.functional.group_norm(_img(L, "float16"), 3,
                                                               _st(L, [1, 2, 3], "float16"),
                                                               _st(L, [0, 1, 0], "float16")),
    "group_norm_int8": lambda L: L.nn.functional.group_norm(_img(L, "int8"), 3),
    "rms_norm_bfloat16": lambda L: L.nn.functional.rms_norm(_img(L, "bfloat16"), (5,)),
    # what PyTorch refuses for integers (ours computed them in float32 or int64)
    "softmax_int32": lambda L: L.softmax(_img(L, "int32"), -1),
    "softmax_int32_dim0": lambda L: L.softmax(_img(L, "int32"), 0),
    "softmax_int32_empty": lambda L: L.softmax(L.zeros(0, 2, dtype=L.int32), 0),
    "log_softmax_int8": lambda L: L.log_softmax(_img(L, "int8"), 1),
    "softmin_uint8": lambda L: L.nn.functional.softmin(_img(L, "uint8"), 1),
    "softmax_int_with_dtype": lambda L: L.nn.functional.softmax(_img(L, "int32"), -1, dtype=L.float32),
    "prelu_int32": lambda L: L.nn.functional.prelu(_img(L, "int32"), _st(L, [1, 2, 3], "int32")),
    "lerp_int16_scalar": lambda L: L.lerp(_img(L, "int16"), _img(L, "int16"), 0.5),
    "lerp_int16_tensor": lambda L: L.lerp(_img(L, "int16"), _img(L, "int16"), _img(L, "int16")),
    "vector_norm_int_with_dtype": lambda L: L.linalg.vector_norm(_img(L, "int32"), dtype=L.float32),
    "gaussian_nll_loss_int_var": lambda L: L.nn.functional.gaussian_nll_loss(
        _img(L, "float32"), _img(L, "float32"), _img(L, "int16") + 1),
    "dropout_p1_int32": lambda L: L.nn.functional.dropout(_img(L, "int32"), 1.0),
    "dropout_p1_uint8": lambda L: L.nn.functional.dropout(_img(L, "uint8"), 1.0),
    "dropout_half_p_int32": lambda L: L.nn.functional.dropout(_img(L, "int32"), 0.5),
}


def _compare_with_pytorch(ours, theirs):
    ours = list(ours) if isinstance(ours, (tuple, list)) else [ours]
    theirs = list(theirs) if isinstance(theirs, (tuple, list)) else [theirs]
    assert len(ours) == len(theirs)
    for r, t in zip(ours, theirs):
        assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        assert tuple(r.shape) == tuple(t.shape)
        rn, tn = r.detach().to(rb.float64).numpy(), t.detach().to(torch.float64).numpy()
        half = str(t.dtype).endswith("16") and t.dtype.is_floating_point
        np.testing.assert_allclose(rn, tn, rtol=1e-2 if half else 1e-6, atol=1e-2 if half else 1e-6)


@requires_torch
@pytest.mark.parametrize("name", sorted(STORAGE_CASES))
def test_storage_dtype_inputs_match_pytorch(name):
    try:
        theirs = STORAGE_CASES[name](torch)
    except Exception as e:  # noqa: BLE001 (the exception type is what is compared, as tests/test_fuzz_ops.py does)
        base = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
        with pytest.raises(Exception) as ours:
            STORAGE_CASES[name](rb)
        assert isinstance(ours.value, base) or issubclass(base, type(ours.value)), (ours.value, e)
        return
    _compare_with_pytorch(STORAGE_CASES[name](rb), theirs)


# --- Found by random (not fixed-seed) runs of tests/test_fuzz_ops.py: expected values written out, so these run
# without PyTorch; each is PyTorch 2.13's answer or exception type.
def test_integer_pow_with_negative_tensor_exponents_computes_and_a_number_raises():
    assert rb.pow(rb.tensor([2, 1, -1, 0, -1]), rb.tensor([-1, -2, -3, -1, -2])).tolist() == [0, 1, -1, 0, 1]
    with pytest.raises(RuntimeError, match="negative integer powers"):
        rb.tensor([2]) ** -1
    with pytest.raises(RuntimeError, match="negative integer powers"):
        rb.tensor([2]).pow_(-2)
    assert (rb.tensor([2]) ** -1.0).tolist() == [0.5]


def test_integer_inputs_pytorch_refuses_raise():
    with pytest.raises(NotImplementedError, match="logaddexp_cpu"):
        rb.logaddexp(rb.tensor([1]), rb.tensor([2]))
    with pytest.raises(NotImplementedError, match="logaddexp2_cpu"):
        rb.logaddexp2(rb.tensor([True]), rb.tensor([False]))
    assert rb.logaddexp(rb.tensor([1]), rb.tensor([1.0])).dtype == rb.float32  # a float operand: float math
    with pytest.raises(RuntimeError, match="kl_div: Integral inputs not supported"):
        F.kl_div(rb.tensor([1, 2], dtype=rb.int16), rb.tensor([1, 2], dtype=rb.int16), reduction="sum")


def test_hinge_embedding_loss_of_integers_is_integer_math():
    # ATen's margin - input is a tensor of input's dtype filled with the margin: uint8 wraps
    x, t = rb.tensor([[1, 2], [3, 0]], dtype=rb.uint8), rb.tensor([[1, 255], [255, 1]], dtype=rb.uint8)
    out = F.hinge_embedding_loss(x, t, reduction="none")
    assert out.dtype == rb.uint8 and out.tolist() == [[1, 255], [254, 0]]
    total = F.hinge_embedding_loss(x, t, reduction="sum")
    assert total.dtype == rb.int64 and total.item() == 510
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        F.hinge_embedding_loss(x, t)
    assert F.hinge_embedding_loss(rb.tensor([0.5]), rb.tensor([-1.0]), margin=1.0).item() == 0.5


def test_masked_fill_checks_the_value_against_the_dtype():
    mask = rb.tensor([True, False])
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without overflow"):
        rb.masked_fill(rb.zeros(2, dtype=rb.uint8), mask, -1.0)
    assert rb.masked_fill(rb.zeros(2, dtype=rb.uint8), mask, -1).tolist() == [255, 0]  # integers wrap


def test_embedding_of_an_empty_table():
    with pytest.raises(RuntimeError, match="self indexing axis dim should be positive"):
        F.embedding(rb.tensor([1]), rb.zeros(0, 3))
    assert F.embedding(rb.zeros(0, dtype=rb.int64), rb.zeros(0, 3)).shape == (0, 3)


def test_scatter_reduce_with_an_empty_index_checks_no_shapes():
    out = rb.scatter_reduce(rb.zeros(0, 4), 1, rb.zeros(2, 0, dtype=rb.int64), rb.ones(2, 5), "amax")
    assert out.shape == (0, 4)
    x = rb.ones(2, 4)
    assert rb.scatter_reduce(x, 1, rb.zeros(2, 0, dtype=rb.int64), rb.ones(0, 4), "sum").tolist() == x.tolist()


def test_bincount_of_an_empty_input_ignores_the_weights():
    out = rb.bincount(rb.zeros(0, dtype=rb.int64), rb.ones(40), minlength=3)
    assert out.dtype == rb.int64 and out.tolist() == [0, 0, 0]


def test_indexing_with_an_empty_result_checks_no_index():
    assert rb.zeros(3, 0)[rb.tensor([10])].shape == (1, 0)
    assert rb.zeros(3, 4)[rb.zeros(0, dtype=rb.int64), rb.tensor([100])].shape == (0,)
    with pytest.raises(IndexError, match="out of bounds"):
        rb.zeros(3, 4)[rb.tensor([0]), rb.tensor([100])]


def test_cummax_of_an_empty_tensor_has_a_gradient_function():
    x = rb.zeros(3, 0, 2, dtype=rb.float64, requires_grad=True)
    values = rb.cummax(x, 1).values
    assert values.grad_fn is not None
    values.sum().backward()
    assert x.grad.shape == (3, 0, 2)


def test_vector_norm_below_one_has_zero_gradient_at_zero():
    x = rb.tensor([[1.0, -0.0, 2.0]], dtype=rb.float64, requires_grad=True)
    rb.linalg.vector_norm(x, 0.5).backward()
    g = x.grad.tolist()[0]
    assert g[1] == 0.0 and np.isfinite(g).all()


def test_special_entr_gradient_is_pytorchs_formula_everywhere():
    # -(1 + log x): inf at 0 (sign of the upstream gradient), nan below 0
    x = rb.tensor([0.0, 0.0, -1.0, 1.0], dtype=rb.float64, requires_grad=True)
    rb.special.entr(x).backward(rb.tensor([1.0, -1.0, 1.0, 1.0], dtype=rb.float64))
    g = x.grad.tolist()
    assert g[0] == np.inf and g[1] == -np.inf and np.isnan(g[2]) and g[3] == -1.0
    assert rb.autograd.gradcheck(rb.special.entr, (rb.tensor([0.5, 2.0], dtype=rb.float64, requires_grad=True),))


def test_as_strided_backward_of_non_contiguous_inputs():
    base = rb.tensor(np.arange(12.0).reshape(4, 3), requires_grad=True)
    v = base.t().as_strided((2, 2), (1, 2), 1)  # storage offsets 1, 3, 2, 4 of the transposed view
    (v * rb.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert base.grad.tolist() == [[0, 1, 3], [2, 4, 0], [0, 0, 0], [0, 0, 0]]
    e = rb.zeros(1, 3, requires_grad=True)  # an expanded input: the gradient is shared among its copies
    e.expand(2, 3).as_strided((2,), (1,), 0).sum().backward()
    assert e.grad.tolist() == [[1.0, 1.0, 0.0]]
    x = rb.randn(3, 4, dtype=rb.float64, requires_grad=True)
    assert rb.autograd.gradcheck(lambda t: t.t().as_strided((2, 3), (2, 1), 1), (x,))


def test_cumsum_and_cumprod_of_half_types_accumulate_in_float32():
    for dt in (rb.float16, rb.bfloat16):
        x = rb.tensor([1.0, 2.0, 3.0, 0.5]).to(dt).requires_grad_()
        s, p = rb.cumsum(x, 0), rb.cumprod(x, 0)
        assert s.dtype == dt and s.tolist() == [1.0, 3.0, 6.0, 6.5]
        assert p.dtype == dt and p.tolist() == [1.0, 2.0, 6.0, 3.0]
        s.sum().backward()
        assert x.grad.dtype == dt and x.grad.tolist() == [4.0, 3.0, 2.0, 1.0]
    # 2049 + 1 is not a float16: each output is the float32 running sum rounded once
    big = rb.cumsum(rb.tensor([2048.0, 1.0, 1.0]).to(rb.float16), 0)
    assert big.tolist() == [2048.0, 2048.0, 2050.0]


def test_recurrent_layers_run_in_half_types():
    rb.manual_seed(0)
    lstm = rb.nn.LSTM(4, 5)
    x = rb.randn(3, 2, 4)
    ref, (h_ref, _) = lstm(x)
    lstm16 = rb.nn.LSTM(4, 5)
    lstm16.load_state_dict(lstm.state_dict())
    lstm16.half()
    out, (h, c) = lstm16(x.half())
    assert out.dtype == h.dtype == c.dtype == rb.float16
    np.testing.assert_allclose(out.float().detach().numpy(), ref.detach().numpy(), atol=1e-2)
    cell = rb.nn.GRUCell(4, 5).to(rb.bfloat16)
    assert cell(x[0].to(rb.bfloat16)).dtype == rb.bfloat16


def test_recurrent_cells_check_their_weight_rows():
    x, h = rb.zeros(3, 4), rb.zeros(3, 5)
    with pytest.raises(RuntimeError, match=r"weight_ih first dim must be 1 \* hidden_size = 5, but got 0"):
        rb._C._nn.rnn_tanh_cell(x, h, rb.zeros(0, 4), rb.zeros(5, 5), None, None)
    with pytest.raises(RuntimeError, match=r"weight_hh first dim must be 4 \* hidden_size = 20, but got 16"):
        rb._C._nn.lstm_cell(x, h, h, rb.zeros(20, 4), rb.zeros(16, 5), None, None)


def test_matrix_norm_of_empty_matrices():
    # positive orders: 0; negative ones reduce as usual (amin over no rows raises)
    for ord in (1, 2, float("inf"), "fro", "nuc"):
        assert rb.linalg.matrix_norm(rb.zeros(2, 0, 4), ord).tolist() == [0.0, 0.0]
    assert rb.linalg.matrix_norm(rb.zeros(2, 0, 4), -1).tolist() == [0.0, 0.0]
    with pytest.raises(IndexError):
        rb.linalg.matrix_norm(rb.zeros(2, 0, 4), float("-inf"))


def test_circular_padding_takes_empty_batch_and_channel_dims():
    assert F.pad(rb.zeros(2, 0, 5), (1, 2), mode="circular").shape == (2, 0, 8)
    assert F.pad(rb.zeros(2, 0, 5, 5), (1, 2, 1, 1), mode="circular").shape == (2, 0, 7, 8)
    with pytest.raises(RuntimeError, match="wrapping around more than once"):
        F.pad(rb.zeros(2, 3, 0), (1, 2), mode="circular")
    with pytest.raises(RuntimeError, match="non-zero dimensions"):
        F.pad(rb.zeros(2, 0, 5), (1, 2), mode="reflect")


def test_integer_division_of_an_empty_result_checks_no_divisor():
    a, b = rb.zeros(0, 4, dtype=rb.int32), rb.tensor([0, 1, 2, 3], dtype=rb.int32)
    for f in (rb.fmod, rb.floor_divide, rb.remainder, lambda x, y: rb.div(x, y, rounding_mode="trunc")):
        assert f(a, b).shape == (0, 4)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        rb.floor_divide(rb.ones(1, 4, dtype=rb.int32), b)


def test_vector_norm_without_identity_refuses_empty_dims_with_pytorchs_message():
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on the dimension 0because"):
        rb.linalg.vector_norm(rb.zeros(0, 3), float("inf"), dim=0)
    with pytest.raises(RuntimeError, match="cannot compute the -1 norm"):
        rb.linalg.vector_norm(rb.zeros(0, 3), -1)
    assert rb.linalg.vector_norm(rb.zeros(0, 3), 0.5, dim=0).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(RuntimeError, match="Low precision dtypes not supported"):
        rb.linalg.matrix_norm(rb.zeros(2, 3, 0, dtype=rb.bfloat16), 2)


def test_pow_gradient_is_zero_where_the_exponent_is_zero():
    x = rb.tensor([0.0, 2.0], dtype=rb.float64, requires_grad=True)
    rb.pow(x, rb.tensor([0.0, 0.0], dtype=rb.float64)).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_two_gradients_of_an_empty_leaf_accumulate():
    x = rb.zeros(3, 0, 2, dtype=rb.float64, requires_grad=True)
    v, m = rb.var_mean(x, dim=(0, 1), correction=0, keepdim=True)
    (v.sum() + m.sum()).backward()
    assert x.grad.shape == (3, 0, 2)


def test_embedding_of_zero_width_rows_checks_indices_as_pytorch():
    with pytest.raises(RuntimeError, match="INDICES element is out of DATA bounds, id=-5 axis_dim=3"):
        F.embedding(rb.tensor([1, -5]), rb.zeros(3, 0))
    assert F.embedding(rb.tensor([1, 2]), rb.zeros(3, 0)).shape == (2, 0)


def test_repeat_interleave_of_an_empty_dim_checks_no_count():
    assert rb.zeros(2, 0).repeat_interleave(rb.tensor([-3]), dim=-1).shape == (2, 0)
    with pytest.raises(RuntimeError, match="repeats can not be negative"):
        rb.zeros(2, 1).repeat_interleave(rb.tensor([-3]), dim=-1)


def test_global_adaptive_average_pools_are_a_mean_as_aten():
    # output size 1: ATen takes the mean over the pooled dims, so empty channels and half types pass and an
    # integer input gets mean's error
    assert F.adaptive_avg_pool3d(rb.zeros(2, 0, 3, 4, 2), 1).shape == (2, 0, 1, 1, 1)
    assert F.adaptive_avg_pool1d(rb.zeros(2, 0, 7), 1).shape == (2, 0, 1)
    with pytest.raises(RuntimeError, match="could not infer output dtype"):
        F.adaptive_avg_pool2d(rb.zeros(2, 3, 4, 2, dtype=rb.int32), 1)
    x = rb.tensor(np.arange(24.0).reshape(1, 2, 3, 4))
    assert F.adaptive_avg_pool2d(x, 1).flatten().tolist() == [5.5, 17.5]


def test_int64_max_pools_are_exact_past_2_to_the_53():
    # float64 would round 2**60 + 1 to 2**60 (and pick the wrong index); the int64 kernel compares exactly
    x = rb.tensor([[[[2**60 + 1, 2**60, 3], [5, -2**62, 7], [1, 2, 3]]]])
    values, indices = F.max_pool2d(x, 2, 1, return_indices=True)
    assert values.dtype == rb.int64 and values.tolist() == [[[[2**60 + 1, 2**60], [5, 7]]]]
    assert indices.tolist() == [[[[0, 1], [3, 5]]]]
    assert F.max_pool3d(x, (1, 2, 2)).tolist() == [[[[2**60 + 1]]]]
    assert F.max_pool1d(x[0, 0], 2, return_indices=True)[0].tolist() == [[2**60 + 1], [5], [2]]
    with pytest.raises(NotImplementedError, match="max_pool1d_impl"):  # as PyTorch: only the indices form
        F.max_pool1d(x[0, 0], 2)
    with pytest.raises(NotImplementedError, match="adaptive_max_pool2d"):
        F.adaptive_max_pool2d(x, 1)


def test_int64_average_pools_sum_exactly_and_divide_truncating():
    # ATen's int64 kernels: an int64 sum divided by the window count in C++ integer division (toward zero)
    x = rb.tensor([[[[-7, 2, 3], [4, 5, 6], [7, 8, 10**17 + 1]]]])
    assert F.avg_pool2d(x, 2, 1).tolist() == [[[[1, 4], [6, 25000000000000005]]]]
    assert F.avg_pool2d(x, 2, 1, divisor_override=3).tolist() == [[[[1, 5], [8, 33333333333333340]]]]
    assert F.avg_pool2d(x, 2, 1, padding=1).tolist()[0][0][0] == [-1, -1, 1, 0]  # -7 / 4 is -1
    assert F.avg_pool1d(x[0, 0], 2, 1).tolist() == [[-2, 2], [4, 5], [7, 50000000000000004]]
    assert F.avg_pool3d(x[None], (1, 2, 2), 1).dtype == rb.int64
    assert F.avg_pool3d(x[None], (1, 2, 2), 1).tolist() == [[[[[1, 4], [6, 25000000000000005]]]]]
    with pytest.raises(NotImplementedError, match="'Int'"):  # the smaller integers have no kernel, as PyTorch
        F.avg_pool2d(x.to(rb.int32), 2)
    with pytest.raises(NotImplementedError, match="adaptive_avg_pool2d"):
        F.adaptive_avg_pool2d(x, 2)
    with pytest.raises(RuntimeError, match="Got: Long"):  # a global one is a mean, which refuses integers
        F.adaptive_avg_pool2d(x, 1)


def test_a_number_divisor_of_a_half_tensor_stays_float32():
    # ATen's opmath: 3.5 / 0.7 in float32 is 5.0000001 (floor 5, trunc 5); 0.7 rounded to float16 is 0.7002
    x = rb.tensor([3.5, -3.5, 7.0]).half()
    assert rb.div(x, 0.7, rounding_mode="floor").tolist() == [5.0, -6.0, 10.0]
    assert rb.floor_divide(x, 0.7).tolist() == [5.0, -6.0, 10.0]
    assert rb.div(x, 0.7, rounding_mode="trunc").tolist() == [5.0, -5.0, 10.0]
    # a float16 tensor divisor: the quotient rounds to float16 before trunc (ATen's div, then trunc_)
    assert rb.div(x, rb.tensor([0.7] * 3).half(), rounding_mode="trunc").tolist() == [5.0, -5.0, 10.0]
    assert rb.remainder(x, 0.7).dtype == rb.float16


def test_histogram_of_float16_and_bfloat16_counts_in_float32():
    # PyTorch 2.13 counts bfloat16 where it counts float16 (with range= or edges), so ours takes both (issue 14)
    x = rb.tensor([0.1, 0.4, 0.45, 0.9, 1.0])
    for dt in (rb.float16, rb.bfloat16):
        h = rb.histogram(x.to(dt), 2, range=(0.0, 1.0))
        assert h.hist.dtype == h.bin_edges.dtype == dt and h.hist.tolist() == [3.0, 2.0]


def test_histc_of_float16_places_elements_in_float16_arithmetic():
    # ATen computes (x - min) * bins / (max - min) in c10::Half, rounding after each step: 0.16663 * 6 is
    # 0.99976 in float32 (bin 0) but rounds to 1.0 in float16 (bin 1)
    x = rb.tensor([0.1666259765625]).half()
    assert rb.histc(x, 6, 0, 1).tolist() == [0, 1, 0, 0, 0, 0]
    assert rb.histc(x.float(), 6, 0, 1).tolist() == [1, 0, 0, 0, 0, 0]


def test_half_linspace_steps_in_the_half_types_arithmetic():
    # ATen's linspace rounds every operation to c10::Half / BFloat16: the second value is 0.6997, where
    # float32 steps rounded once give 0.7002; a float16 histogram's edges are such a linspace
    assert rb.linspace(0.3, 2.7, 7, dtype=rb.float16).tolist() == [
        0.300048828125, 0.69970703125, 1.099609375, 1.5, 1.900390625, 2.298828125, 2.69921875]
    assert rb.linspace(2.5, -1.5, 4, dtype=rb.bfloat16).tolist() == [2.5, 1.1640625, -0.1640625, -1.5]
    assert rb.histogram(rb.tensor([0.5]).half(), 6, range=(0.3, 2.7)).bin_edges.tolist()[1] == 0.69970703125


def test_block_diag_gradient_past_an_empty_vector():
    # an empty 1-D input takes one row of no columns; the gradient of what follows is read below it
    # (PyTorch 2.13's backward reads it one row early: 13, 14, 18, 19)
    c = rb.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = rb.block_diag(rb.ones(2, 3), rb.zeros(0), c)
    assert out.shape == (5, 5)
    (out * rb.arange(25.0).reshape(5, 5)).sum().backward()
    assert c.grad.tolist() == [[18.0, 19.0], [23.0, 24.0]]


def test_an_empty_tensor_keeps_its_strides_through_to_and_contiguous():
    # torch counts every empty tensor as contiguous, so .to(dtype), .contiguous() and empty_like keep its strides;
    # view(dtype) then reads them: an expanded empty float16 tensor of strides 0 refuses a view as float64.
    b = rb.tensor(np.zeros((1, 0, 4), np.float32)).expand(3, 0, 4)
    assert b.stride() == (0, 0, 0)
    h = b.to(rb.float16)
    assert h.stride() == (0, 0, 0) and h.is_contiguous()
    assert b.contiguous().stride() == (0, 0, 0)
    assert h.view(rb.int16).shape == (3, 0, 4)
    with pytest.raises(RuntimeError, match="must be 1 to view"):
        h.view(rb.float64)
    # a non-empty tensor still comes out of .to contiguous
    assert rb.zeros(3, 4).t().to(rb.float64).is_contiguous()


@requires_torch
def test_an_empty_tensor_keeps_its_strides_as_torch():
    for shape, full in (((1, 0, 4), (3, 0, 4)), ((3, 0, 1), (3, 0, 4)), ((1, 4), (0, 4))):
        a = np.zeros(shape, np.float32)
        ours, theirs = rb.tensor(a).expand(*full), torch.tensor(a).expand(*full)
        for f in (lambda t: t.to(t.new_zeros(()).half().dtype), lambda t: t.contiguous(), lambda t: t.clone()):
            assert f(ours).stride() == f(theirs).stride()


def test_index_put_checks_the_value_shape_before_the_indices():
    # PyTorch's index_put_ checks that the value broadcasts first and each index only as its kernel writes it.
    x = rb.zeros(3, 4)
    bad = rb.tensor([0, 5])
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[3\] cannot be broadcast"):
        rb.index_put(x, (bad, bad), rb.ones(3))
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[2, 5\] cannot be broadcast"):
        x[bad] = rb.ones(2, 5)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[bad] = rb.ones(2, 4)
    assert x.tolist() == [[0.0] * 4] * 3  # no failed put wrote anything
    # a non-empty index into a dim of size 0 is refused first, as ATen's AdvancedIndex refuses it
    with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
        rb.index_put(rb.zeros(4, 0), (rb.tensor([0, 1, 2]), rb.tensor([0, 1, 2])), rb.ones(2))
    with pytest.raises(IndexError, match="index is out of bounds for dimension with size 0"):
        rb.zeros(0, 0)[:, rb.tensor([0])]  # even with an empty result
    assert rb.zeros(0, 3)[:, rb.tensor([5])].shape == (0, 1)  # an empty result reads no index of a sized dim


@pytest.mark.parametrize("fn", ["median", "nanmedian"])
def test_median_of_an_empty_input_as_pytorch(fn):
    # PyTorch fills nan (int32 and int64 take it as their minimum, the smaller integers as 0) and keeps the graph:
    # backward runs and gives an empty gradient (ours returned a tensor without history, so backward raised)
    x = rb.zeros(5, requires_grad=True)
    m = getattr(rb, fn)(x[:0])
    assert np.isnan(m.item()) and m.requires_grad
    m.backward()
    assert x.grad.tolist() == [0.0] * 5
    if fn == "median":
        assert [rb.median(rb.zeros(0, dtype=getattr(rb, d))).item() for d in ("int8", "int32", "int64", "uint8")] == [
            0, -2 ** 31, -2 ** 63, 0]


@pytest.mark.parametrize("call", [
    lambda L: L.nn.functional.nll_loss(L.zeros(3, 4, dtype=L.int32), L.zeros(2, dtype=L.int64)),
    lambda L: L.nn.functional.cross_entropy(L.zeros(0, 4, dtype=L.uint8), L.zeros(2, dtype=L.int64)),
    lambda L: L.nn.functional.cross_entropy(L.zeros(3, 4), L.zeros(2, 4)),  # not probabilities: another shape
    lambda L: L.nn.functional.nll_loss(L.zeros(3, 4, 5), L.zeros(2, 6, dtype=L.int64)),
    lambda L: L.nn.functional.cross_entropy(L.zeros(3, 4), L.zeros(2, dtype=L.int64), weight=L.ones(5)),
])
def test_class_losses_check_the_batch_sizes_first(call):
    # ATen's nll_loss_nd raises the batch sizes' ValueError before any dtype, weight or target-shape check (ours
    # raised those first); cross_entropy reaches it after log_softmax, which refuses a non-empty integer input
    libs = (rb, torch) if HAVE_TORCH else (rb,)
    for L in libs:
        with pytest.raises(ValueError, match=r"Expected input batch_size \((3|0)\) to match target batch_size \(2\)"):
            call(L)
    for L in libs:
        with pytest.raises(NotImplementedError, match="\"log_softmax_lastdim_kernel_impl\" not implemented for 'Int'"):
            L.nn.functional.cross_entropy(L.zeros(3, 4, dtype=L.int32), L.zeros(2, dtype=L.int64))


def test_addmm_of_an_empty_product_scales_an_integer_result_as_pytorch():
    # ATen multiplies nothing and scales the result by beta in place: a float beta cannot be written into uint8
    u = lambda *s: rb.ones(*s, dtype=rb.uint8)  # noqa: E731
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Byte"):
        rb.addmm(u(4), u(3, 0), u(0, 4), beta=0.5, alpha=2.0)
    assert rb.addmm(u(4), u(3, 0), u(0, 4), beta=0.0).sum().item() == 0
    assert tuple(rb.addmm(u(4), u(0, 2), u(2, 4), beta=0.5).shape) == (0, 4)  # an empty result scales nothing
    assert rb.addmm(u(4), u(3, 2), u(2, 4), beta=0.5, alpha=2.0).sum().item() == 48  # a product converts beta


def test_index_fill_checks_the_value_first_and_fills_a_repeated_position_once():
    x = rb.ones(3, 4, dtype=rb.uint8)
    for value in (-1.5, 300):
        with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without overflow"):
            x.index_fill_(1, rb.tensor([0, 7]), value)  # before the index's IndexError, as PyTorch's kernel
    assert x.tolist() == [[1] * 4] * 3
    # the value's gradient counts each filled position once (PyTorch's unique(index)), not once per repeat
    v = rb.tensor(2.0, requires_grad=True)
    (rb.zeros(4, 4).index_fill(0, rb.tensor([1, 3, 1]), v) * rb.arange(16.0).reshape(4, 4)).sum().backward()
    assert v.grad.item() == 76.0
