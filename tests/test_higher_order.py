"""Higher-order gradients: backward(create_graph=True) and autograd.grad(create_graph=True) as
PyTorch defines them, gradgradcheck, and the pruning that lets autograd.grad leave the rest of a
graph alone. Per-op second-order checks are in test_ops.py (driven by op_specs.py)."""
import numpy as np

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch

F = rb.nn.functional


def f64(values, grad=True):
    return rb.tensor(np.asarray(values, dtype=np.float64), requires_grad=grad)


def test_grad_of_grad_of_a_polynomial():
    x = f64([1.0, 2.0, -3.0])
    (g,) = rb.autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad and g.grad_fn is not None
    np.testing.assert_allclose(g.detach().numpy(), 3 * np.array([1.0, 2.0, -3.0]) ** 2)
    (h,) = rb.autograd.grad(g.sum(), x, retain_graph=True)
    np.testing.assert_allclose(h.numpy(), 6 * np.array([1.0, 2.0, -3.0]))
    (h3,) = rb.autograd.grad(rb.autograd.grad(g.sum(), x, create_graph=True)[0].sum(), x)
    np.testing.assert_allclose(h3.numpy(), [6.0, 6.0, 6.0])


def test_without_create_graph_the_gradient_has_no_history():
    x = f64([0.5, -1.0])
    (g,) = rb.autograd.grad(rb.tanh(x).sum(), x)
    assert not g.requires_grad and g.grad_fn is None


def test_backward_create_graph_leaves_a_differentiable_grad():
    x = f64([0.3, -0.7, 1.1])
    y = rb.sigmoid(x).sum()
    y.backward(create_graph=True)  # retain_graph defaults to True with create_graph
    assert x.grad.requires_grad
    s = rb.sigmoid(x).detach().numpy()
    np.testing.assert_allclose(x.grad.detach().numpy(), s * (1 - s))
    (again,) = rb.autograd.grad(y, x, retain_graph=True)  # the graph was retained
    np.testing.assert_allclose(again.numpy(), s * (1 - s))
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), s * (1 - s) * (1 - 2 * s), rtol=1e-12)


def test_hessian_vector_product_of_an_mlp_matches_finite_differences():
    rng = np.random.default_rng(0)
    w1 = f64(rng.standard_normal((5, 3)))
    w2 = f64(rng.standard_normal((1, 5)))
    x = f64(rng.standard_normal((4, 3)), grad=False)
    v = rng.standard_normal((5, 3))

    def loss(w):
        return F.linear(rb.tanh(F.linear(x, w)), w2).pow(2).mean()

    (g,) = rb.autograd.grad(loss(w1), w1, create_graph=True)
    (hv,) = rb.autograd.grad((g * rb.tensor(v)).sum(), w1)
    eps = 1e-6

    def grad_at(wn):
        w = f64(wn)
        return rb.autograd.grad(loss(w), w)[0].numpy()

    fd = (grad_at(w1.detach().numpy() + eps * v) - grad_at(w1.detach().numpy() - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv.numpy(), fd, rtol=1e-5, atol=1e-8)


def test_gradgradcheck_passes_and_catches_a_wrong_second_derivative():
    x = f64([0.4, -1.2, 0.9])
    assert rb.autograd.gradgradcheck(lambda t: rb.tanh(t) * t, (x,))
    # The gradient of t * t.detach() is the constant t.detach(): no history back to t, so a zero
    # analytical second derivative, while the numerical one is not zero.
    assert rb.autograd.gradgradcheck(lambda t: t * t.detach(), (x,), raise_exception=False) is False


def test_autograd_grad_runs_only_the_part_of_the_graph_it_needs():
    x = f64([1.0, 2.0])
    a = x * x          # MulBackward saves x: running it without retain_graph would free it
    b = rb.exp(a)
    (ga,) = rb.autograd.grad(b.sum(), a)  # stops at a: x's branch is neither run nor freed
    np.testing.assert_allclose(ga.numpy(), np.exp([1.0, 4.0]))
    a.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])


def test_prod_double_backward_with_zeros_matches_pytorch():
    """prod's gradient under create_graph is built from cumprods, exact where x has zeros."""
    a = np.array([[1.5, 0.0, -0.5, 2.0], [0.0, 0.0, 1.0, 3.0], [0.3, 2.0, -1.0, 0.5]])
    for reduce in (lambda t: t.prod(1), lambda t: t.prod(0, keepdim=True), lambda t: t.prod()):
        x = f64(a)
        (g,) = rb.autograd.grad(reduce(x).sum(), x, create_graph=True)
        (h,) = rb.autograd.grad((g * g).sum(), x)
        # reference: d/dx sum_r (prod_{s != r} x_s)^2 by central differences of the exact first gradient
        def first(v, reduce=reduce):
            t = f64(v)
            return rb.autograd.grad(reduce(t).sum(), t)[0].numpy()

        eps, num = 1e-6, np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            up, dn = a.copy(), a.copy()
            up[idx] += eps
            dn[idx] -= eps
            num[idx] = ((first(up) ** 2).sum() - (first(dn) ** 2).sum()) / (2 * eps)
        np.testing.assert_allclose(h.numpy(), num, atol=1e-6)
        if HAVE_TORCH:
            tx = torch.tensor(a, requires_grad=True)
            (tg,) = torch.autograd.grad(reduce(tx).sum(), tx, create_graph=True)
            (th,) = torch.autograd.grad((tg * tg).sum(), tx)
            np.testing.assert_allclose(h.numpy(), th.numpy(), atol=1e-12)


def test_gradient_penalty_through_a_conv_critic():
    """The WGAN-GP building block: d/dparams of ||d critic / d input||."""
    rng = np.random.default_rng(1)
    w = f64(rng.standard_normal((4, 2, 3, 3)) * 0.3)
    b = f64(rng.standard_normal(4) * 0.1)
    v = f64(rng.standard_normal((1, 4 * 3 * 3)) * 0.3)
    x = f64(rng.standard_normal((3, 2, 5, 5)))

    def penalty(w_, b_, v_):
        h = F.leaky_relu(F.conv2d(x, w_, b_, stride=1), 0.2)
        d = F.linear(F.avg_pool2d(h, 1).flatten(1)[:, :36], v_)
        (gx,) = rb.autograd.grad(d.sum(), x, create_graph=True)
        return ((gx.pow(2).sum((1, 2, 3)) + 1e-12).sqrt() - 1).pow(2).mean()

    assert rb.autograd.gradcheck(penalty, (w, b, v))


@requires_torch
def test_backward_create_graph_matches_pytorch_on_a_small_network():
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((6, 3)), rng.standard_normal((6,)), rng.standard_normal((2, 6)),
              rng.standard_normal((5, 3))]

    def run(L):
        w1, b1, w2, x = [L.tensor(a, requires_grad=(i < 3)) for i, a in enumerate(arrays)]
        x.requires_grad_(True)
        out = L.nn.functional.linear(L.nn.functional.elu(L.nn.functional.linear(x, w1, b1)), w2)
        out = L.log_softmax(out, 1)[:, 0].sum()
        (gx,) = L.autograd.grad(out, x, create_graph=True)
        gx.pow(2).sum().backward()
        return [t.grad.detach().numpy() for t in (w1, b1, w2)]

    for ours, theirs in zip(run(rb), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
