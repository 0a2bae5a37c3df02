# SRGAN: a small super-resolution GAN (residual generator with PixelShuffle upsampling, strided-conv critic).
# Trained on a content loss (L1 or MSE to the high-res target) plus adv_weight times the non-saturating BCE.
import math
import sys
from typing import Any

from .. import _C
from ..train import History, _with_tensorboard
from .trainer import _bce_logits, _mean_sigmoid, _no_grad, _progress

__all__ = ["SRGAN", "srgan_generator", "srgan_discriminator"]

_KEYS = ("content", "g_loss", "d_loss", "d_real", "d_fake")


def _residual_block(nn, ch):
    return nn.Sequential(nn.Conv2d(ch, ch, 3, padding=1), nn.BatchNorm2d(ch), nn.ReLU(),
                         nn.Conv2d(ch, ch, 3, padding=1), nn.BatchNorm2d(ch))


def _make_generator(channels, features, n_blocks, scale):
    from .. import nn

    class Generator(nn.Module):
        # conv in -> residual blocks (+ skip each) -> global skip -> PixelShuffle(2) per doubling -> conv out
        def __init__(self) -> None:
            super().__init__()
            self.head = nn.Sequential(nn.Conv2d(channels, features, 3, padding=1), nn.ReLU())
            self.blocks = nn.ModuleList([_residual_block(nn, features) for _ in range(n_blocks)])
            self.mid = nn.Sequential(nn.Conv2d(features, features, 3, padding=1), nn.BatchNorm2d(features))
            ups = []
            for _ in range(int(round(math.log2(scale)))):
                ups += [nn.Conv2d(features, features * 4, 3, padding=1), nn.PixelShuffle(2), nn.ReLU()]
            self.up = nn.Sequential(*ups)
            self.tail = nn.Conv2d(features, channels, 3, padding=1)

        def forward(self, x):
            h = self.head(x)
            r = h
            for b in self.blocks:
                r = r + b(r)
            return self.tail(self.up(h + self.mid(r)))

    return Generator()


def srgan_generator(channels: Any = 1, features: Any = 32, n_blocks: Any = 4, scale: Any = 2) -> Any:
    """The SRGAN generator: (N, channels, h, w) -> (N, channels, h*scale, w*scale), scale 2 or 4.

    Example:
        >>> G = gan.srgan_generator(channels=1, features=8, n_blocks=1, scale=2)
        >>> tuple(G(rb.randn(2, 1, 4, 4)).shape)
        (2, 1, 8, 8)
    """
    if scale not in (2, 4):
        raise ValueError(f"scale must be 2 or 4, got {scale!r}")
    return _make_generator(channels, features, n_blocks, scale)


def srgan_discriminator(channels: Any = 1, features: Any = 32) -> Any:
    """A small strided-conv discriminator with LeakyReLU(0.2): (N, channels, H, W) -> (N, 1) logits.

    Example:
        >>> D = gan.srgan_discriminator(channels=1, features=8)
        >>> tuple(D(rb.randn(2, 1, 8, 8)).shape)
        (2, 1)
    """
    from .. import nn
    return nn.Sequential(
        nn.Conv2d(channels, features, 3, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(features, features, 3, stride=2, padding=1), nn.BatchNorm2d(features), nn.LeakyReLU(0.2),
        nn.Conv2d(features, features * 2, 3, stride=2, padding=1), nn.BatchNorm2d(features * 2), nn.LeakyReLU(0.2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(features * 2, 1))


class SRGAN:
    """Super-resolution GAN: generator G maps low-res (N, C, h, w) to (N, C, h*scale, w*scale).

    One train_step(low, high): D is updated on BCE(D(high), 1) + BCE(D(G(low).detach()), 0), then G on::

      content(G(low), high) + adv_weight * BCE(D(G(low)), 1)

    with content = L1 or MSE (content_loss='l1'|'mse') and D frozen. adv_weight=0 trains G on the
    content loss alone (pretraining; D is then not updated). Optimizers default to Adam(lr=1e-3) for G
    and Adam(lr=2e-4, betas=(0.5, 0.999)) for D.

    Shape:
        low: ``(N, C, h, w)``; high and ``upscale(low)``: ``(N, C, h * scale, w * scale)``.

    Example:
        >>> sr = gan.SRGAN(channels=1, scale=2, features=8, n_blocks=1)
        >>> high = rb.rand(4, 1, 8, 8)
        >>> logs = sr.train_step(F.avg_pool2d(high, 2), high)
        >>> tuple(sr.upscale(rb.rand(2, 1, 4, 4)).shape)
        (2, 1, 8, 8)
    """

    def __init__(self, channels: Any = 1, scale: Any = 2, features: Any = 32, n_blocks: Any = 4, generator: Any = None,
                 discriminator: Any = None, content_loss: Any = "l1", adv_weight: Any = 1e-3, g_optimizer: Any = None,
                 d_optimizer: Any = None) -> None:
        from .. import optim
        if scale not in (2, 4):
            raise ValueError(f"scale must be 2 or 4, got {scale!r}")
        if content_loss not in ("l1", "mse"):
            raise ValueError(f"content_loss must be 'l1' or 'mse', got {content_loss!r}")
        if adv_weight < 0:
            raise ValueError(f"adv_weight must be non-negative, got {adv_weight!r}")
        self.scale, self.channels, self.content_loss, self.adv_weight = scale, channels, content_loss, float(adv_weight)
        self.generator = generator or srgan_generator(channels, features, n_blocks, scale)
        self.discriminator = discriminator or srgan_discriminator(channels, features)
        self.g_optimizer = g_optimizer or optim.Adam(self.generator.parameters(), lr=1e-3)
        self.d_optimizer = d_optimizer or optim.Adam(self.discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def _check(self, low, high=None):
        if not isinstance(low, _C.Tensor):
            raise TypeError(f"low must be a Tensor, got {type(low).__name__}")
        if low.dim() != 4 or low.shape[1] != self.channels or low.shape[0] == 0:
            raise ValueError(f"low must be a non-empty batch of shape (N, {self.channels}, h, w), "
                             f"got {tuple(low.shape)}")
        if high is None:
            return
        if not isinstance(high, _C.Tensor):
            raise TypeError(f"high must be a Tensor, got {type(high).__name__}")
        n, c, h, w = low.shape
        want = (n, c, h * self.scale, w * self.scale)
        if tuple(high.shape) != want:
            raise ValueError(f"high must be {self.scale}x low's size: low {tuple(low.shape)} needs high {want}, "
                             f"got {tuple(high.shape)}")

    def _content(self, sr, high):
        from ..nn import functional as F
        return F.l1_loss(sr, high) if self.content_loss == "l1" else F.mse_loss(sr, high)

    def train_step(self, low: Any, high: Any) -> Any:
        """One D update and one G update; returns {'content', 'g_loss', 'd_loss', 'd_real', 'd_fake'}
        (d_* from D before its update; 0/nan-free placeholders d_loss=0, d_real=d_fake=0.5 when adv_weight=0)."""
        self._check(low, high)
        G, D = self.generator, self.discriminator
        G.train()
        D.train()
        sr = G(low)
        out = {"d_loss": 0.0, "d_real": 0.5, "d_fake": 0.5}
        if self.adv_weight > 0:
            self.d_optimizer.zero_grad()
            d_real_logits = D(high)
            d_fake_logits = D(sr.detach())
            d_loss = _bce_logits(d_real_logits, 1.0) + _bce_logits(d_fake_logits, 0.0)
            d_loss.backward()
            self.d_optimizer.step()
            out = {"d_loss": float(d_loss.item()), "d_real": _mean_sigmoid(d_real_logits),
                   "d_fake": _mean_sigmoid(d_fake_logits)}
        d_params = [p for p in D.parameters() if p.requires_grad]
        for p in d_params:
            p.requires_grad_(False)
        try:
            self.g_optimizer.zero_grad()
            content = self._content(sr, high)
            g_loss = content
            if self.adv_weight > 0:
                g_loss = content + self.adv_weight * _bce_logits(D(sr), 1.0)
            g_loss.backward()
            self.g_optimizer.step()
        finally:
            for p in d_params:
                p.requires_grad_(True)
        out["content"] = float(content.item())
        out["g_loss"] = float(g_loss.item())
        return out

    def fit(self, loader: Any, epochs: Any, verbose: Any = True, tensorboard: Any = None) -> Any:
        """train_step over every (low, high) batch of `loader` for `epochs` epochs. Returns a History
        whose history[k] holds per-epoch means of content, g_loss, d_loss, d_real, d_fake and
        history.steps[k] the per-step values. verbose: a tqdm bar per epoch, on a terminal only."""
        if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 0:
            raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
        history = History()
        history.steps = {k: [] for k in _KEYS}
        (tb,) = _with_tensorboard((), tensorboard) or (None,)
        quiet = not verbose or not (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
        try:
            n_batches = len(loader)
        except TypeError:
            n_batches = None
        for epoch in range(1, epochs + 1):
            sums, count = dict.fromkeys(_KEYS, 0.0), 0
            bar = _progress(n_batches, f"epoch {epoch}/{epochs}", quiet)
            try:
                for batch in loader:
                    if not isinstance(batch, (tuple, list)) or len(batch) < 2:
                        raise ValueError("SRGAN.fit: the loader must yield (low, high) batches")
                    values = self.train_step(batch[0], batch[1])
                    count += 1
                    for k in _KEYS:
                        sums[k] += values[k]
                        history.steps[k].append(values[k])
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix({k: f"{sums[k] / count:.3f}" for k in _KEYS}, refresh=False)
            finally:
                if bar is not None:
                    bar.close()
            logs = {k: (sums[k] / count if count else math.nan) for k in _KEYS}
            history._log(epoch, logs)
            if tb is not None:
                tb.on_epoch_end(epoch, logs)
        if tb is not None:
            tb.on_train_end()
        return history

    def upscale(self, low: Any) -> Any:
        """G(low) under no_grad with G in eval mode (its mode restored after)."""
        self._check(low)
        G = self.generator
        was_training = G.training
        G.eval()
        try:
            with _no_grad():
                return G(low)
        finally:
            G.train(was_training)
