"""Gradient hooks (Tensor.register_hook, register_post_accumulate_grad_hook): PyTorch's semantics,
checked against hand-computed gradients and against PyTorch when it is installed."""
import gc
import weakref

import numpy as np
import pytest

import rosenblatt as rb


def test_register_hook_on_leaf_replaces_grad_before_accumulation():
    x = rb.tensor([1.0, 2.0, 3.0], requires_grad=True)
    seen = []
    h = x.register_hook(lambda g: (seen.append(g.tolist()), g * 2)[1])
    (x * x).sum().backward()
    assert seen == [[2.0, 4.0, 6.0]]
    assert x.grad.tolist() == [4.0, 8.0, 12.0]
    h.remove()
    (x * x).sum().backward()  # removed: the plain gradient is added
    assert x.grad.tolist() == [6.0, 12.0, 18.0]
    assert len(seen) == 1


def test_register_hook_returning_none_keeps_grad_and_hooks_chain():
    x = rb.tensor([1.0, -1.0], requires_grad=True)
    order = []
    x.register_hook(lambda g: order.append("a"))
    x.register_hook(lambda g: (order.append("b"), g + 1)[1])
    x.register_hook(lambda g: (order.append("c"), g * 10)[1])
    (3 * x).sum().backward()
    assert order == ["a", "b", "c"]
    assert x.grad.tolist() == [40.0, 40.0]


def test_register_hook_on_non_leaf_changes_what_flows_upstream():
    x = rb.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    seen = []
    y.register_hook(lambda g: (seen.append(g.tolist()), g * 0.5)[1])
    (y * y).sum().backward()
    assert seen == [[6.0, 12.0]]
    assert y.grad.tolist() == [3.0, 6.0]  # retain_grad sees the hook's result, as in PyTorch
    assert x.grad.tolist() == [9.0, 18.0]


def test_hook_on_one_output_of_a_multi_output_op():
    x = rb.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    a, b = x.unbind(0)
    b.register_hook(lambda g: g * 100)
    (a.sum() + b.sum()).backward()
    assert x.grad.tolist() == [[1.0, 1.0], [100.0, 100.0]]


def test_post_accumulate_grad_hook_sees_accumulated_grad():
    w = rb.nn.Parameter(rb.tensor([1.0, 2.0]))
    seen = []
    h = w.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    assert seen == [[2.0, 2.0], [5.0, 5.0]]
    h.remove()
    (w * 3).sum().backward()
    assert len(seen) == 2


def test_post_accumulate_hook_runs_once_when_leaf_is_used_twice():
    w = rb.tensor([1.0], requires_grad=True)
    calls = []
    w.register_post_accumulate_grad_hook(lambda p: calls.append(p.grad.item()))
    (w * 2 + w * 5).sum().backward()
    assert calls == [7.0]


def test_post_accumulate_hook_rejects_non_leaf_and_no_grad():
    x = rb.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (x * 2).register_post_accumulate_grad_hook(lambda p: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        rb.tensor([1.0]).register_hook(lambda g: g)


def test_exception_in_hook_propagates_out_of_backward():
    x = rb.tensor([1.0], requires_grad=True)

    def bad(g):
        raise ValueError("hook says no")

    x.register_hook(bad)
    with pytest.raises(ValueError, match="hook says no"):
        (x * 2).sum().backward()
    y = rb.tensor([1.0], requires_grad=True)
    y.register_post_accumulate_grad_hook(bad)
    with pytest.raises(ValueError, match="hook says no"):
        (y * 2).sum().backward()


@pytest.mark.parametrize("change, error, match", [
    (lambda g: g.double(), RuntimeError,
     r"hook 'change' has changed the type of value \(was rosenblatt.FloatTensor got rosenblatt.DoubleTensor\)"),
    (lambda g: g.half(), RuntimeError, "has changed the type of value"),
    (lambda g: g[:1], RuntimeError, "hook 'change' has changed the size of value"),
    (lambda g: 3, TypeError, "expected Variable, but hook returned 'int'"),
])
def test_hook_may_change_values_only(change, error, match):
    # PyTorch's rule: the backward reading the gradient (prod's kernel reads it by the forward's
    # geometry) never sees another dtype or size; it was read as float32 garbage, or past its end.
    def change_(g):
        return change(g)

    change_.__name__ = "change"
    x = rb.rand(1000, 3, requires_grad=True)
    y = x.prod(dim=1)
    y.register_hook(change_)
    with pytest.raises(error, match=match):
        y.sum().backward()
    x.register_hook(change_)  # a leaf's, before accumulation
    with pytest.raises(error, match=match):
        x.sum().backward()
    assert x.grad is None


def test_hooks_with_create_graph_keep_history():
    x = rb.tensor([2.0], requires_grad=True)
    x.register_hook(lambda g: g * x)  # the replacement depends on x: differentiable again
    (g,) = rb.autograd.grad((x ** 3).sum(), [x], create_graph=True)
    # d/dx of x^3 is 3x^2 = 12; the hook multiplies by x: 24
    assert g.tolist() == [24.0]
    (gg,) = rb.autograd.grad(g.sum(), [x])
    # d/dx of 3x^3 = 9x^2 = 36 (the hook also runs in this backward: times x again = 72)
    assert gg.tolist() == [72.0]


def test_hook_handle_as_context_manager_and_hooks_die_with_tensor():
    x = rb.tensor([1.0], requires_grad=True)
    with x.register_hook(lambda g: g * 0):
        (x * 2).sum().backward()
    assert x.grad.tolist() == [0.0]
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0]
    for _ in range(200):  # a dead tensor's hooks never fire on a new one at the same address
        t = rb.tensor([1.0], requires_grad=True)
        t.register_hook(lambda g: g * 1000)
        del t
    z = rb.tensor([1.0], requires_grad=True)
    (z * 2).sum().backward()
    assert z.grad.tolist() == [2.0]


class _Hook:
    """A hook whose lifetime a weakref can watch (the gradient passes through unchanged)."""

    def __call__(self, g):
        return g


def test_hooks_are_freed_with_their_tensor_or_grad_fn():
    # Hooks live on the autograd metadata: dropping the leaf (or the non-leaf's graph) frees them at
    # once, and a handle that outlives them removes nothing.
    leaf_hook, post_hook, node_hook = _Hook(), _Hook(), _Hook()
    refs = [weakref.ref(h) for h in (leaf_hook, post_hook, node_hook)]
    x = rb.tensor([1.0, 2.0], requires_grad=True)
    handle = x.register_hook(leaf_hook)
    x.register_post_accumulate_grad_hook(post_hook)
    y = x * 3
    y.register_hook(node_hook)
    del leaf_hook, post_hook, node_hook
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    assert all(r() is not None for r in refs)
    del y
    gc.collect()
    assert refs[2]() is None and refs[0]() is not None
    del x
    gc.collect()
    assert all(r() is None for r in refs)
    handle.remove()  # its tensor is gone: a no-op


def test_matches_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w0, x0 = rng.standard_normal((3, 4)), rng.standard_normal((5, 3))
    grads = []
    for lib in (rb, torch):
        w = lib.tensor(w0, requires_grad=True)
        x = lib.tensor(x0)
        h = x @ w
        h.register_hook(lambda g: g.clamp(-0.1, 0.1))
        w.register_hook(lambda g: g * 2)
        post = []
        w.register_post_accumulate_grad_hook(lambda p, post=post: post.append(p.grad.detach().numpy().copy()))
        (h.tanh() ** 2).sum().backward()
        grads.append((w.grad.detach().numpy(), post[0]))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-10)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-10)
