"""rosenblatt.gan: generative adversarial networks as library API.

GAN and ConditionalGAN trainers (train_step, fit with a tqdm bar, sample), DCGAN building blocks,
and quality measures (frechet_distance, label_agreement)."""
from .trainer import GAN, ConditionalGAN, conditioning, one_hot  # noqa: F401
from .dcgan import DCGAN, dcgan_generator, dcgan_discriminator, dcgan_init_  # noqa: F401
from .metrics import frechet_distance, label_agreement  # noqa: F401

__all__ = ["GAN", "ConditionalGAN", "conditioning", "one_hot", "DCGAN", "dcgan_generator",
           "dcgan_discriminator", "dcgan_init_", "frechet_distance", "label_agreement"]
