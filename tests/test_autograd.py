"""Autograd semantics as PyTorch defines them: requires_grad propagation, .grad accumulation,
backward with gradient/retain_graph, in-place checks, grad modes, detach, retain_grad,
autograd.grad, graph shapes (diamonds) and gradcheck."""
import re

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch


def leaf(values, dtype=None):
    return rb.tensor(values, dtype=dtype, requires_grad=True)


def test_requires_grad_propagates_and_leaves():
    x = leaf([1.0, 2.0])
    c = rb.tensor([3.0, 4.0])
    assert x.requires_grad and x.is_leaf and x.grad_fn is None
    assert not c.requires_grad and c.is_leaf
    y = x * c
    assert y.requires_grad and not y.is_leaf and y.grad_fn is not None
    z = c * 2
    assert not z.requires_grad and z.is_leaf and z.grad_fn is None
    with pytest.raises(RuntimeError, match="floating point"):
        rb.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad_(False)
    y.requires_grad_(True)  # asking a non-leaf to keep requiring grad is fine
    assert c.requires_grad_() is c and c.requires_grad
    c.requires_grad = False
    assert not c.requires_grad


def test_grad_accumulates_over_backward_calls():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 4, 6])
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [5, 7, 9])
    x.grad = None
    x.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1, 1, 1])
    x.grad.zero_()
    (x * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 2, 2])


def test_backward_with_gradient_for_non_scalar():
    x = leaf([1.0, 2.0, 3.0])
    y = x * x
    y.backward(gradient=rb.tensor([1.0, 0.5, -1.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0, -6.0])


def test_backward_non_scalar_without_gradient_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(rb.ones(3))
    with pytest.raises(RuntimeError, match="does not require grad"):
        rb.ones(2).sum().backward()


def test_retain_graph_allows_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()


def test_second_backward_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])  # the failed call changed nothing


def test_modifying_saved_tensor_in_place_raises():
    x = leaf([1.0, 2.0])
    a = x * 1
    b = a * a  # saves a
    a.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        b.sum().backward()
    # a leaf saved by an op, then changed under no_grad
    w = leaf([3.0])
    y = w * w
    with rb.no_grad():
        w.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_inplace_on_leaf_requiring_grad_raises():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place"):
        x.add_(1)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x.mul_(2.0)
    assert x.tolist() == [1.0, 2.0]
    with rb.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 3.0] and x.requires_grad


def test_inplace_on_non_leaf_keeps_gradient_right():
    x = leaf([1.0, 2.0])
    a = x * 2
    a.add_(1)
    a.mul_(3)
    a.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])


def test_no_grad_and_enable_grad_context_managers():
    x = leaf([1.0])
    with rb.no_grad():
        assert not rb.is_grad_enabled()
        y = x * 2
        with rb.enable_grad():
            z = x * 2
    assert rb.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad


def test_grad_mode_decorators():
    x = leaf([1.0])

    @rb.no_grad()
    def f(t):
        return t * 2

    @rb.enable_grad()
    def g(t):
        return t * 2

    assert not f(x).requires_grad
    assert rb.is_grad_enabled()
    with rb.no_grad():
        assert g(x).requires_grad
        assert not rb.is_grad_enabled()

    @rb.set_grad_enabled(False)
    def h(t):
        return t * 2

    assert rb.is_grad_enabled()  # decorating does not change the mode
    assert not h(x).requires_grad


def test_no_grad_restores_mode_on_exception():
    with pytest.raises(ValueError):
        with rb.no_grad():
            raise ValueError("boom")
    assert rb.is_grad_enabled()


def test_set_grad_enabled_function_and_context():
    x = leaf([1.0])
    rb.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        rb.set_grad_enabled(True)
    assert (x * 2).requires_grad
    with rb.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert rb.is_grad_enabled()
    with rb.set_grad_enabled(True):
        assert (x * 2).requires_grad


def test_detach_shares_memory_without_history():
    x = leaf([1.0, 2.0])
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    assert d.data_ptr() == y.data_ptr()
    d.add_(10)
    assert y.tolist() == [12.0, 14.0]  # same memory
    xd = x.detach()
    assert xd.data_ptr() == x.data_ptr() and xd.grad is None


def test_retain_grad_on_non_leaf():
    x = leaf([1.0, 2.0])
    h = x * 3
    k = x * 4
    h.retain_grad()
    assert h.retains_grad and not k.retains_grad
    (h * h + k).sum().backward()
    np.testing.assert_allclose(h.grad.numpy(), [6.0, 12.0])
    assert k.grad is None  # non-leaf without retain_grad keeps no .grad
    np.testing.assert_allclose(x.grad.numpy(), [18 + 4, 36 + 4])
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        rb.ones(2).retain_grad()


@requires_torch
def test_grad_fn_names_match_pytorch():
    import torch

    def names(L):
        x = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        outs = [x + x, x * 2, x.sum(), x @ x, x.view(4), x - 1, x / 2]
        return [o.grad_fn.name() for o in outs]

    def norm(n):
        return re.sub(r"\d+$", "", n.split("::")[-1]).lower()

    assert [norm(n) for n in names(rb)] == [norm(n) for n in names(torch)]
    x = leaf([1.0])
    nf = (x * 2).grad_fn.next_functions
    assert nf[0][0].name() == "AccumulateGrad" and nf[0][1] == 0


def test_autograd_grad_does_not_touch_dot_grad():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    (gx,) = rb.autograd.grad((x * x).sum(), x)
    np.testing.assert_allclose(gx.numpy(), [2.0, 4.0])
    assert x.grad is None
    gx, gw = rb.autograd.grad((x * w).sum(), [x, w])
    np.testing.assert_allclose(gx.numpy(), [3.0, 4.0])
    np.testing.assert_allclose(gw.numpy(), [1.0, 2.0])
    assert x.grad is None and w.grad is None
    g = rb.autograd.grad(x * x, x, grad_outputs=rb.tensor([1.0, -1.0]))[0]
    np.testing.assert_allclose(g.numpy(), [2.0, -4.0])


def test_autograd_grad_allow_unused():
    x = leaf([1.0, 2.0])
    u = leaf([5.0])
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        rb.autograd.grad((x * 2).sum(), [x, u])
    gx, gu = rb.autograd.grad((x * 2).sum(), [x, u], allow_unused=True)
    np.testing.assert_allclose(gx.numpy(), [2.0, 2.0])
    assert gu is None
    gx, gu = rb.autograd.grad((x * 2).sum(), [x, u], materialize_grads=True)
    assert gu.tolist() == [0.0]


def test_autograd_grad_of_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 3
    (gh,) = rb.autograd.grad((h * h).sum(), h)
    np.testing.assert_allclose(gh.numpy(), [6.0, 12.0])


def test_backward_inputs_restricts_accumulation():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    (x * w).sum().backward(inputs=[x])
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 4.0])
    assert w.grad is None


def test_diamond_graph_sums_gradients():
    x = leaf([1.0, 2.0])
    a = x * 2
    b = x * x
    y = (a * b).sum()  # 2 x^3
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 24.0])
    z = leaf([3.0])
    (z + z + z * z).backward()  # the same input reached three times
    np.testing.assert_allclose(z.grad.numpy(), [8.0])


@requires_torch
def test_chain_matches_pytorch():
    import torch

    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((4, 2)).astype(np.float32)

    def run(L):
        x = L.tensor(a, requires_grad=True)
        w = L.tensor(b, requires_grad=True)
        h = (x @ w).exp()
        loss = (h * h + h / 3).mean()
        loss.backward()
        return x.grad.numpy(), w.grad.numpy()

    for ours, theirs in zip(run(rb), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_gradcheck_passes_on_correct_and_catches_wrong_gradient():
    x = rb.tensor([0.5, -1.5, 2.0], dtype=rb.float64, requires_grad=True)
    assert rb.autograd.gradcheck(lambda t: (t * t * t).sum(), (x,))
    # x * x.detach(): autograd sees x.detach() as a constant, so its gradient is x instead of 2x.
    wrong = lambda t: t * t.detach()  # noqa: E731
    assert rb.autograd.gradcheck(wrong, (x,), raise_exception=False) is False
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        rb.autograd.gradcheck(wrong, (x,))
    with pytest.raises(ValueError, match="float64"):
        rb.autograd.gradcheck(lambda t: t * 2, (leaf([1.0]),))


def test_inplace_on_a_view_of_a_tensor_with_history_raises_instead_of_a_wrong_gradient():
    x = rb.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    v = y.view(3)
    with pytest.raises(RuntimeError, match="in-place operation on a view"):
        v.mul_(3)
    with pytest.raises(RuntimeError, match="in-place operation on a view"):
        y[1:].add_(1.0)
    with pytest.raises(RuntimeError, match="in-place operation on a view"):
        x.view(3).add_(1.0)  # a view of a leaf that requires grad
    # The failed calls changed nothing, and the gradient is still right.
    np.testing.assert_array_equal(y.detach().numpy(), [2.0, 4.0, 6.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 2.0])
    # Without grad mode (an optimizer's update, say) writing through views is fine.
    with rb.no_grad():
        x.view(3).add_(1.0)
    np.testing.assert_array_equal(x.detach().numpy(), [2.0, 3.0, 4.0])


def test_detect_anomaly_names_the_backward_that_made_nan():
    x = rb.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        mode = rb.autograd.detect_anomaly()
    with mode:
        assert rb.is_anomaly_enabled()
        with pytest.raises(RuntimeError, match=r"Function 'SqrtBackward0' returned nan values in its 0th output"):
            (rb.sqrt(x) * 2).sum().backward()
    assert not rb.is_anomaly_enabled()
    (rb.sqrt(x) * 2).sum().backward()  # off: the NaN reaches .grad silently, as in PyTorch
    assert np.isnan(x.grad.numpy()[0])
    with rb.autograd.set_detect_anomaly(True, check_nan=False):  # on, but without the NaN check
        x.grad = None
        rb.sqrt(x).sum().backward()
    rb.autograd.set_detect_anomaly(True)
    try:
        with pytest.raises(RuntimeError, match="SqrtBackward0"):
            rb.autograd.grad(rb.sqrt(x).sum(), x)
    finally:
        rb.autograd.set_detect_anomaly(False)
    assert not rb.is_anomaly_enabled()
    # a backward without NaN runs unchanged under the mode, first and second order
    y = rb.tensor([1.0, 4.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with rb.autograd.detect_anomaly():
            (g,) = rb.autograd.grad((y ** 3).sum(), y, create_graph=True)
            g.sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [6.0, 24.0])


@requires_torch
@pytest.mark.parametrize("create_graph", [False, True])
def test_gradients_meeting_at_a_node_are_summed_without_touching_anyone_elses(create_graph):
    # The engine adds a second gradient into the first in place when only its buffer holds it; a
    # gradient a hook kept, a view shared by two edges or a tensor used twice must stay as it was.
    import torch
    x0 = np.random.default_rng(3).standard_normal((3, 4))

    def run(lib):
        x = lib.tensor(x0, requires_grad=True)
        seen = []
        a = x * 2
        a.register_hook(lambda g: seen.append((g, g.clone())))
        b = a.view(12)
        d = (b * 3).sum() + a.sum(0).sum() + (a * a).sum() + (a + a).mean()
        d.backward(create_graph=create_graph)
        (g, snapshot), = seen
        return x.grad.detach().numpy(), g.detach().numpy(), snapshot.detach().numpy()

    ours, theirs = run(rb), run(torch)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12)
    np.testing.assert_array_equal(ours[1], ours[2])


def _make_nan_in_backward(x):
    return rb.sqrt(x)  # the forward line the anomaly warning must point at


def test_detect_anomaly_warns_with_the_forward_traceback_of_the_failing_node():
    x = rb.tensor([-1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning):
        mode = rb.autograd.detect_anomaly()
    with mode:
        y = _make_nan_in_backward(x).sum()
        with pytest.warns(UserWarning, match="Error detected in SqrtBackward0. Traceback of forward call that "
                                             "caused the error") as rec:
            with pytest.raises(RuntimeError, match="SqrtBackward0"):
                y.backward()
    msg = next(str(w.message) for w in rec if "Error detected" in str(w.message))
    assert "_make_nan_in_backward" in msg and "return rb.sqrt(x)" in msg
    # a node made outside anomaly mode has no traceback: PyTorch's hint instead
    y = rb.sqrt(x).sum()
    with rb.autograd.set_detect_anomaly(True):
        with pytest.warns(UserWarning, match="No forward pass information available"):
            with pytest.raises(RuntimeError, match="SqrtBackward0"):
                y.backward()


def test_nodes_record_no_traceback_outside_anomaly_mode():
    import traceback

    calls = []
    real = traceback.format_stack
    traceback.format_stack = lambda *a, **k: calls.append(1) or real(*a, **k)
    try:
        x = rb.ones(3, requires_grad=True)
        (x * 2).exp().sum().backward()
        assert not calls  # no stack captured: the mode costs nothing while off
        with rb.autograd.set_detect_anomaly(True):
            (x * 2).sum()
        assert calls
    finally:
        traceback.format_stack = real
