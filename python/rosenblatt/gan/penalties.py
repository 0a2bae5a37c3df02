# Gradient penalties on the discriminator's input gradient, taken with create_graph so the
# discriminator's parameters are trained through them: WGAN-GP's on interpolates, R1's on real data.
from typing import Any

from .. import _C

__all__ = ["gradient_penalty", "r1_penalty"]


def _input_gradient(discriminator, x, d_input):
    """d sum(D(x)) / dx, recorded (create_graph) so it can be differentiated again."""
    from ..autograd import grad

    x = x.detach().requires_grad_(True)
    scores = discriminator(d_input(x))
    (g,) = grad(scores.sum(), x, create_graph=True)
    return scores, g.reshape(g.shape[0], -1)


def gradient_penalty(discriminator: Any, real: Any, fake: Any, weight: Any = 10.0, generator: Any = None,
                     d_input: Any = None) -> Any:
    """WGAN-GP's penalty (Gulrajani et al., 2017): weight * mean_i (||grad_x D(x_i)||_2 - 1)^2 at
    x_i = e_i real_i + (1 - e_i) fake_i, e_i ~ U(0, 1) per sample (drawn from `generator` or the
    global RNG). The gradient is recorded, so backward reaches D's parameters. real and fake:
    (N, ...) batches of the same shape; d_input maps a batch to D's input (the conditional GAN's
    label channels), identity by default.

    Example:
        >>> D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
        >>> gp = gan.gradient_penalty(D, rb.randn(16, 2), rb.randn(16, 2))
        >>> gp.backward()   # reaches D's parameters
        >>> D[0].weight.grad is not None
        True
    """
    if tuple(real.shape) != tuple(fake.shape):
        raise ValueError(f"gradient_penalty: real {tuple(real.shape)} and fake {tuple(fake.shape)} differ in shape")
    if real.dim() < 1 or real.shape[0] == 0:
        raise ValueError(f"gradient_penalty: expected a non-empty batch (N, ...), got {tuple(real.shape)}")
    n = real.shape[0]
    e = _C.rand(n, *([1] * (real.dim() - 1)), generator=generator).to(real.dtype)
    x = e * real.detach() + (1 - e) * fake.detach()
    _, g = _input_gradient(discriminator, x, d_input or (lambda t: t))
    return weight * ((g * g).sum(1).sqrt() - 1).pow(2).mean()


def r1_penalty(discriminator: Any, real: Any, gamma: Any = 10.0, d_input: Any = None) -> Any:
    """R1 (Mescheder et al., 2018): gamma / 2 * mean_i ||grad_x D(real_i)||^2, recorded so that
    backward reaches D's parameters. Returns (penalty, D(real)): the scores come from the same
    forward pass, so a trainer uses them for its loss as well.

    Example:
        >>> D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
        >>> penalty, scores = gan.r1_penalty(D, rb.randn(16, 2), gamma=10.0)
        >>> penalty.shape, tuple(scores.shape)
        (rosenblatt.Size([]), (16, 1))
    """
    scores, g = _input_gradient(discriminator, real, d_input or (lambda t: t))
    return gamma / 2 * (g * g).sum(1).mean(), scores
