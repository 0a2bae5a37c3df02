# DCGAN building blocks (Radford et al. 2016): a transposed-convolution generator, a strided-
# convolution discriminator, the N(0, 0.02) initialisation, and a GAN with DCGAN's Adam defaults.
from typing import Any

from .. import nn
from .trainer import GAN

__all__ = ["DCGAN", "dcgan_discriminator", "dcgan_generator", "dcgan_init_"]


class _ToImage(nn.Module):
    # (N, latent_dim) -> (N, latent_dim, 1, 1): the generator takes flat z like every GAN here
    def forward(self, z):
        return z.reshape(z.shape[0], z.shape[1], 1, 1)


def _doublings(image_size):
    if not isinstance(image_size, int) or image_size < 8 or image_size & (image_size - 1):
        raise ValueError(f"image_size must be a power of two >= 8, got {image_size!r}")
    return image_size.bit_length() - 3  # the doublings from 4x4


def _check(name, v):
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        raise ValueError(f"{name} must be a positive integer, got {v!r}")


def dcgan_init_(module: Any) -> Any:
    """DCGAN's initialisation in place: convolution weights ~ N(0, 0.02), batch-norm scales
    ~ N(1, 0.02), biases 0. Returns the module."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return module


def dcgan_generator(latent_dim: Any = 100, channels: Any = 1, image_size: Any = 32, width: Any = 64) -> Any:
    """z (N, latent_dim) -> images (N, channels, image_size, image_size) in [-1, 1].

    A 4x4 ConvTranspose2d projection from the 1x1 latent, then stride-2 ConvTranspose2d(4, 2, 1)
    layers doubling the size and halving the channels (width * 2^(k-1) ... width), each followed by
    BatchNorm2d and ReLU; the last layer maps to `channels` with Tanh (no batch norm).

    Example:
        >>> G = gan.dcgan_generator(latent_dim=16, channels=1, image_size=16, width=8)
        >>> tuple(G(rb.randn(2, 16)).shape)
        (2, 1, 16, 16)
    """
    for k, v in (("latent_dim", latent_dim), ("channels", channels), ("width", width)):
        _check(k, v)
    n = _doublings(image_size)
    c = width * 2 ** (n - 1)
    layers = [_ToImage(), nn.ConvTranspose2d(latent_dim, c, 4, 1, 0, bias=False), nn.BatchNorm2d(c), nn.ReLU()]
    for _ in range(n - 1):
        layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU()]
        c //= 2
    layers += [nn.ConvTranspose2d(c, channels, 4, 2, 1, bias=False), nn.Tanh()]
    return dcgan_init_(nn.Sequential(*layers))


def dcgan_discriminator(channels: Any = 1, image_size: Any = 32, width: Any = 64) -> Any:
    """images (N, channels, image_size, image_size) -> logits (N, 1) (no sigmoid).

    Stride-2 Conv2d(4, 2, 1) layers halving the size and doubling the channels (width, 2 width, ...)
    down to 4x4, with LeakyReLU(0.2) and BatchNorm2d (none on the first layer), then a 4x4 Conv2d
    to one logit.

    Example:
        >>> D = gan.dcgan_discriminator(channels=1, image_size=16, width=8)
        >>> tuple(D(rb.randn(2, 1, 16, 16)).shape)
        (2, 1)
    """
    for k, v in (("channels", channels), ("width", width)):
        _check(k, v)
    n = _doublings(image_size)
    c = width
    layers = [nn.Conv2d(channels, c, 4, 2, 1, bias=False), nn.LeakyReLU(0.2)]
    for _ in range(n - 1):
        layers += [nn.Conv2d(c, c * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c * 2), nn.LeakyReLU(0.2)]
        c *= 2
    layers += [nn.Conv2d(c, 1, 4, 1, 0, bias=False), nn.Flatten()]
    return dcgan_init_(nn.Sequential(*layers))


class DCGAN(GAN):
    """A GAN over dcgan_generator/dcgan_discriminator (built from the sizes unless given), trained
    with Adam(2e-4, betas=(0.5, 0.999)) by default. For a conditional DCGAN, build the networks
    with latent_dim + num_classes inputs / channels + num_classes and use ConditionalGAN.

    Shape:
        z: ``(N, latent_dim)``; samples: ``(N, channels, image_size, image_size)`` in [-1, 1].

    Example:
        >>> model = gan.DCGAN(latent_dim=16, channels=1, image_size=8, width=8)
        >>> _ = model.train_step(rb.rand(4, 1, 8, 8) * 2 - 1)
        >>> tuple(model.sample(2).shape)
        (2, 1, 8, 8)
    """

    def __init__(self, latent_dim: Any = 100, channels: Any = 1, image_size: Any = 32, width: Any = 64,
                 generator: Any = None, discriminator: Any = None, g_optimizer: Any = None, d_optimizer: Any = None,
                 loss: Any = "bce", d_steps: Any = None, real_label: Any = 1.0, gp_weight: Any = 10.0,
                 r1_gamma: Any = 0.0) -> None:
        generator = generator if generator is not None else dcgan_generator(latent_dim, channels, image_size, width)
        discriminator = discriminator if discriminator is not None else dcgan_discriminator(channels, image_size, width)
        super().__init__(generator, discriminator, latent_dim, g_optimizer, d_optimizer, loss, d_steps, real_label,
                         gp_weight, r1_gamma)
