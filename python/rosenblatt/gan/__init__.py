"""rosenblatt.gan: generative adversarial networks as library API.

GAN and ConditionalGAN trainers (train_step, fit with a tqdm bar, sample; BCE, minimax and WGAN-GP
objectives, an R1 option), the gradient penalties, DCGAN building blocks, and quality measures
(frechet_distance, label_agreement)."""
from .dcgan import DCGAN, dcgan_discriminator, dcgan_generator, dcgan_init_
from .metrics import frechet_distance, label_agreement
from .penalties import gradient_penalty, r1_penalty
from .trainer import GAN, ConditionalGAN, conditioning, one_hot

__all__ = ["DCGAN", "GAN", "ConditionalGAN", "conditioning", "dcgan_discriminator", "dcgan_generator",
           "dcgan_init_", "frechet_distance", "gradient_penalty", "label_agreement", "one_hot", "r1_penalty"]
from .srgan import SRGAN, srgan_discriminator, srgan_generator  # noqa: E402

__all__ += ["SRGAN", "srgan_discriminator", "srgan_generator"]
