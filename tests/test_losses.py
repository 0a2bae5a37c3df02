"""Losses beyond the op_specs battery: bad input raises as PyTorch does, numerical stability at
extreme logits, and the large (multi-threaded) paths against PyTorch."""
import math

import numpy as np
import pytest

import rosenblatt as rb
from conftest import assert_low_precision_parity, requires_torch
from op_specs import F

nnF = F(rb)


def t(a, **kw):
    return rb.tensor(np.asarray(a), **kw)


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
def test_target_out_of_range_raises_index_error(fn):
    x = t(np.zeros((3, 5), np.float32))
    with pytest.raises(IndexError, match="Target 7 is out of bounds."):
        getattr(nnF, fn)(x, t([1, 7, 2]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds."):
        getattr(nnF, fn)(x, t([1, -1, 2]))


def test_ignore_index_may_lie_outside_the_classes():
    x = t(np.random.default_rng(0).normal(size=(3, 5)).astype(np.float32))
    full = nnF.cross_entropy(x, t([1, 2, 3]), reduction="none").numpy()
    got = nnF.cross_entropy(x, t([1, 99, 3]), ignore_index=99, reduction="none").numpy()
    np.testing.assert_allclose(got, [full[0], 0.0, full[2]], rtol=1e-6)
    assert nnF.cross_entropy(x, t([1, 99, 3]), ignore_index=99).item() == pytest.approx((full[0] + full[2]) / 2,
                                                                                         rel=1e-5)


def test_all_targets_ignored_gives_nan_mean_as_pytorch():
    x = t(np.ones((2, 3), np.float32))
    assert math.isnan(nnF.cross_entropy(x, t([-100, -100])).item())
    assert nnF.cross_entropy(x, t([-100, -100]), reduction="sum").item() == 0.0


def test_batch_size_mismatch_raises_value_error():
    with pytest.raises(ValueError, match=r"Expected input batch_size \(4\) to match target batch_size \(3\)"):
        nnF.cross_entropy(t(np.zeros((4, 5), np.float32)), t([0, 1, 2]))
    with pytest.raises(ValueError, match="batch_size"):
        nnF.nll_loss(t(np.zeros((4, 5), np.float32)), t([0, 1, 2]))


def test_spatial_target_shape_mismatch_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 5\], got \[2, 4\]"):
        nnF.cross_entropy(t(np.zeros((2, 3, 5), np.float32)), t(np.zeros((2, 4), np.int64)))


def test_multi_target_and_float_class_target_raise():
    with pytest.raises(RuntimeError, match="1D target tensor expected"):
        nnF.cross_entropy(t(np.zeros((2, 3), np.float32)), t(np.zeros((2, 1), np.int64)))
    with pytest.raises(RuntimeError, match="expected scalar type Long"):
        nnF.cross_entropy(t(np.zeros((2, 3), np.float32)), t(np.zeros(2, np.float32)))
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities"):
        nnF.cross_entropy(t(np.zeros((2, 3), np.float32)), t(np.zeros((2, 3), np.int64)))


def test_class_weight_of_wrong_size_raises():
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 3 classes"):
        nnF.cross_entropy(t(np.zeros((2, 3), np.float32)), t([0, 1]), weight=t(np.ones(2, np.float32)))


@pytest.mark.parametrize("fn,args", [
    ("mse_loss", ()), ("l1_loss", ()), ("smooth_l1_loss", ()), ("huber_loss", ()),
    ("binary_cross_entropy", ()), ("binary_cross_entropy_with_logits", ()), ("cross_entropy", ()), ("nll_loss", ()),
])
def test_bad_reduction_raises_value_error(fn, args):
    x = t(np.full((2, 3), 0.5, np.float32))
    y = t([0, 1]) if fn in ("cross_entropy", "nll_loss") else t(np.full((2, 3), 0.5, np.float32))
    with pytest.raises(ValueError, match="elementwise_mean is not a valid value for reduction"):
        getattr(nnF, fn)(x, y, reduction="elementwise_mean")


def test_bce_input_outside_unit_interval_raises():
    y = t(np.zeros(3, np.float32))
    for bad in ([0.5, 1.5, 0.2], [-0.1, 0.5, 0.5], [0.5, float("nan"), 0.5]):
        with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
            nnF.binary_cross_entropy(t(np.array(bad, np.float32)), y)


def test_bce_shape_mismatch_raises_value_error_with_shapes():
    with pytest.raises(ValueError,
                       match=r"target size \(.*\[3\]\)?\) that is different to the input size \(.*\[3, 1\]\)?\)"):
        nnF.binary_cross_entropy(t(np.full((3, 1), 0.5, np.float32)), t(np.zeros(3, np.float32)))
    with pytest.raises(ValueError,
                       match=r"Target size \(.*\[3\]\)?\) must be the same as input size \(.*\[3, 1\]\)?\)"):
        nnF.binary_cross_entropy_with_logits(t(np.zeros((3, 1), np.float32)), t(np.zeros(3, np.float32)))


def test_regression_loss_shapes_that_do_not_broadcast_raise():
    with pytest.raises(RuntimeError, match=r"\[2, 3\].*\[4\]|\[4\].*\[2, 3\]"):
        nnF.mse_loss(t(np.zeros((2, 3), np.float32)), t(np.zeros(4, np.float32)))


def test_bad_loss_parameters_raise():
    x = t(np.zeros(3, np.float32))
    with pytest.raises(RuntimeError, match="negative values for beta"):
        nnF.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(RuntimeError, match="non-positive values for delta"):
        nnF.huber_loss(x, x, delta=0.0)
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0"):
        nnF.cross_entropy(t(np.zeros((2, 3), np.float32)), t([0, 1]), label_smoothing=1.5)


def test_failed_loss_leaves_no_graph_behind():
    x = t(np.zeros((2, 3), np.float32)).requires_grad_(True)
    with pytest.raises(IndexError):
        nnF.cross_entropy(x, t([0, 5]))
    assert x.grad is None
    nnF.cross_entropy(x, t([0, 2])).backward()
    assert x.grad is not None and np.isfinite(x.grad.numpy()).all()


# --- numerical stability -----------------------------------------------------------------------

@requires_torch
def test_cross_entropy_with_huge_logits_is_finite_and_matches_torch():
    import torch

    x = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4 - 1.0], [-1e4, -1e4, -1e4]], np.float32)
    y = np.array([1, 2, 0])
    ours = t(x).requires_grad_(True)
    loss = nnF.cross_entropy(ours, t(y))
    loss.backward()
    theirs = torch.tensor(x, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(theirs, torch.tensor(y))
    ref.backward()
    assert math.isfinite(loss.item())
    assert loss.item() == pytest.approx(ref.item(), rel=1e-5)
    assert np.isfinite(ours.grad.numpy()).all()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-6)


@requires_torch
@pytest.mark.parametrize("pos_weight", [None, 3.0])
def test_bce_with_logits_at_100_is_finite_and_matches_torch(pos_weight):
    import torch

    x = np.array([100.0, -100.0, 100.0, -100.0, 0.0], np.float32)
    y = np.array([0.0, 1.0, 1.0, 0.0, 0.5], np.float32)
    pw = None if pos_weight is None else np.full(5, pos_weight, np.float32)
    ours = t(x).requires_grad_(True)
    loss = nnF.binary_cross_entropy_with_logits(ours, t(y), pos_weight=None if pw is None else t(pw),
                                                reduction="none")
    loss.sum().backward()
    theirs = torch.tensor(x, requires_grad=True)
    ref = torch.nn.functional.binary_cross_entropy_with_logits(
        theirs, torch.tensor(y), pos_weight=None if pw is None else torch.tensor(pw), reduction="none")
    ref.sum().backward()
    assert np.isfinite(loss.detach().numpy()).all()
    np.testing.assert_allclose(loss.detach().numpy(), ref.detach().numpy(), rtol=1e-6, atol=1e-30)
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), atol=1e-7)


def test_bce_clamps_log_at_minus_100():
    loss = nnF.binary_cross_entropy(t(np.array([0.0, 1.0], np.float32)), t(np.array([1.0, 0.0], np.float32)),
                                    reduction="none")
    np.testing.assert_allclose(loss.numpy(), [100.0, 100.0])


# --- large inputs (the multi-threaded kernels) ---------------------------------------------------

@requires_torch
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_large_cross_entropy_matches_torch(reduction):
    import torch

    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 10, 12, 12)).astype(np.float32) * 3
    y = rng.integers(0, 10, size=(64, 12, 12))
    y[0, 0, :5] = -100
    w = rng.uniform(0.5, 2.0, size=10).astype(np.float32)
    ours = t(x).requires_grad_(True)
    out = nnF.cross_entropy(ours, t(y), weight=t(w), reduction=reduction, label_smoothing=0.05)
    theirs = torch.tensor(x, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(theirs, torch.tensor(y), weight=torch.tensor(w), reduction=reduction,
                                            label_smoothing=0.05)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-4, atol=1e-5)
    g = rng.normal(size=tuple(ref.shape)).astype(np.float32)
    (out * t(g)).sum().backward()
    (ref * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-6)


@requires_torch
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                                  "binary_cross_entropy_with_logits"])
def test_large_elementwise_losses_match_torch(name):
    import torch

    rng = np.random.default_rng(4)
    x = rng.normal(size=(300, 400)).astype(np.float32)
    y = rng.uniform(0, 1, size=(300, 400)).astype(np.float32)
    ours = t(x).requires_grad_(True)
    theirs = torch.tensor(x, requires_grad=True)
    out = getattr(nnF, name)(ours, t(y))
    ref = getattr(torch.nn.functional, name)(theirs, torch.tensor(y))
    assert out.item() == pytest.approx(ref.item(), rel=1e-5)
    out.backward()
    ref.backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-9)


def test_bce_weight_that_does_not_broadcast_raises_with_shapes():
    x = t(np.full((3, 4), 0.5, np.float32))
    with pytest.raises(RuntimeError, match=r"\[5\]"):
        nnF.binary_cross_entropy(x, x, weight=t(np.ones(5, np.float32)))
    with pytest.raises(RuntimeError, match=r"\[3\]"):
        nnF.binary_cross_entropy_with_logits(x, x, pos_weight=t(np.ones(3, np.float32)))


# --- float16 / bfloat16 (issue 14) ----------------------------------------------------------------------------

@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", ["nll", "nll_weight", "ce", "ce_weight_smooth", "ce_prob", "ce_prob_weight_smooth"])
def test_class_losses_in_float16_and_bfloat16_match_torch(case, reduction, dtype):
    """ATen's cross_entropy is log_softmax rounded to the dtype, then nll_loss accumulating in float32: the values
    and input gradients (the probability targets' too) agree within a few roundings, in the input's dtype."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(6, 5, 3)).astype(np.float32) * 2
    y = rng.integers(0, 5, size=(6, 3))
    y[0, 0] = y[2, 1] = 4 if "weight" in case else -100  # ignored positions (ignore_index below)
    w = rng.uniform(0.5, 2.0, size=5).astype(np.float32)
    p = rng.dirichlet(np.ones(5), size=(6, 3)).transpose(0, 2, 1).astype(np.float32)
    kw = dict(reduction=reduction, ignore_index=4 if "weight" in case else -100)

    def fn(L, x, y, w, p):
        f = L.nn.functional
        weight = w if "weight" in case else None
        if case.startswith("nll"):
            return f.nll_loss(x, y, weight=weight, **kw)
        smooth = 0.2 if "smooth" in case else 0.0
        if "prob" in case:
            return f.cross_entropy(x, p, weight=weight, reduction=reduction, label_smoothing=smooth)
        return f.cross_entropy(x, y, weight=weight, label_smoothing=smooth, **kw)

    assert_low_precision_parity(fn, [x, y, w, p], dtype, grad=(0, 3) if "prob" in case else (0,))


@requires_torch
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", ["bce", "bce_weight", "logits", "logits_weight_pos_weight"])
def test_binary_cross_entropy_in_float16_and_bfloat16_matches_torch(case, reduction, dtype):
    """Computed in float32 from the rounded operands and rounded once, where ATen rounds each step: within a few
    roundings of the dtype, for the values and both inputs' gradients."""
    rng = np.random.default_rng(6)
    x = rng.uniform(0.05, 0.95, size=(8, 7)).astype(np.float32)
    y = rng.uniform(0, 1, size=(8, 7)).astype(np.float32)
    w = rng.uniform(0.5, 2.0, size=7).astype(np.float32)
    pw = rng.uniform(0.5, 3.0, size=7).astype(np.float32)

    def fn(L, x, y, w, pw):
        f = L.nn.functional
        weight = w if "weight" in case else None
        if case.startswith("logits"):
            return f.binary_cross_entropy_with_logits(x * 4 - 2, y, weight=weight, reduction=reduction,
                                                      pos_weight=pw if "pos" in case else None)
        return f.binary_cross_entropy(x, y, weight=weight, reduction=reduction)

    assert_low_precision_parity(fn, [x, y, w, pw], dtype, grad=(0, 1))


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_probability_targets_without_classes_give_nan_mean_as_pytorch(dtype):
    """ATen's mean with probability targets divides by numel / C: 0 / 0 without classes, not the position count."""
    x = rb.zeros((4, 0), dtype=getattr(rb, dtype))
    assert math.isnan(nnF.cross_entropy(x, x).item())
    assert nnF.cross_entropy(x, x, reduction="sum").item() == 0.0
