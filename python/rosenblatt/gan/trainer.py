# GAN and ConditionalGAN: the generator/discriminator game as a trainer (train_step, fit, sample).
# The losses are the fused, stable BCE on D's logits, or the Wasserstein critic with its gradient
# penalty; D's update sees detached fakes, G's update leaves D frozen.
import math
import sys
from typing import Any

from .. import _C
from .._tensor import tensor as _tensor
from ..train import History, _end_epoch, _mean_over_ranks, _start, _with_tensorboard
from .penalties import gradient_penalty, r1_penalty

__all__ = ["GAN", "ConditionalGAN", "conditioning", "one_hot"]

_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")


def _bce_logits(logits, target_value):
    # mean over the batch of BCE(sigmoid(logits), target_value), computed on logits (stable)
    from ..nn import functional as F
    return F.binary_cross_entropy_with_logits(logits, _C.full_like(logits, float(target_value)))


def _mean_sigmoid(logits):
    return float(logits.detach().sigmoid().mean().item())


def _progress(total, desc, disable):
    if disable:
        return None
    from tqdm import tqdm

    # A short bar and no rate, so the four numbers fit; no ncols, so tqdm does not cut them off.
    return tqdm(total=total, desc=desc, unit="step", leave=True, file=sys.stdout,
                bar_format="{l_bar}{bar:12}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]")


def _first(batch):
    if isinstance(batch, (tuple, list)):
        return batch[0]
    return batch


def one_hot(labels: Any, num_classes: Any) -> Any:
    """(N,) int64 labels -> (N, num_classes) float32 one-hot rows; ValueError/IndexError on bad labels.

    Shape:
        labels: ``(N,)``; output: ``(N, num_classes)`` float32.

    Example:
        >>> gan.one_hot([2, 0], 3).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    if not isinstance(labels, _C.Tensor):
        labels = _tensor(labels, dtype=_C.dtype.int64)
    if labels.dim() != 1:
        raise ValueError(f"labels must be a 1-D tensor of class indices, got shape {tuple(labels.shape)}")
    if labels.dtype != _C.dtype.int64:
        raise ValueError(f"labels must be int64 class indices, got {labels.dtype}")
    if labels.numel() > 0:
        lo, hi = int(labels.min().item()), int(labels.max().item())
        if lo < 0 or hi >= num_classes:
            raise IndexError(f"label out of range: labels span [{lo}, {hi}] but num_classes={num_classes}")
    return _C.eye(num_classes)[labels]


def conditioning(x: Any, onehot: Any) -> Any:
    """The conditional-GAN input convention: x with the one-hot label appended.

    x (N, F) -> (N, F + K): onehot concatenated as extra features.
    x (N, C, H, W) -> (N, C + K, H, W): onehot broadcast over the image as K extra channels.
    The generator's input is conditioning(z, onehot) = cat(z, onehot) for a (N, latent_dim) z.

    Shape:
        x: ``(N, D)`` or ``(N, C, H, W)``; onehot: ``(N, K)``; output: ``(N, D + K)`` or ``(N, C + K, H, W)``.

    Example:
        >>> tuple(gan.conditioning(rb.randn(2, 1, 8, 8), gan.one_hot([0, 1], 10)).shape)
        (2, 11, 8, 8)
    """
    if x.shape[0] != onehot.shape[0]:
        raise ValueError(f"conditioning: {x.shape[0]} samples but {onehot.shape[0]} labels")
    if x.dim() == 2:
        return _C.cat([x, onehot.to(x.dtype)], 1)
    n, k = onehot.shape[0], onehot.shape[1]
    maps = onehot.to(x.dtype).reshape([n, k] + [1] * (x.dim() - 2)).expand([n, k] + list(x.shape[2:]))
    return _C.cat([x, maps], 1)


_LOSSES = ("bce", "minimax", "wgan-gp")


class GAN:
    """A generator/discriminator pair and their optimizers.

    generator maps z of shape (N, latent_dim) to samples; discriminator maps samples to logits
    (N,) or (N, 1) (no sigmoid: the losses are fused BCE-with-logits). One train_step::

      for each of d_steps: z ~ N(0, I), fake = G(z); update D on
        L_D = -mean log sigmoid(D(x)) - mean log(1 - sigmoid(D(fake.detach())))
      (real labelled real_label, 1 unless one-sided label smoothing is asked; fake labelled 0);
      then update G through D on the last fake with D frozen (its parameters get no gradient
      and are not stepped):
        loss='bce' (non-saturating):  L_G = -mean log sigmoid(D(G(z)))
        loss='minimax' (the original, saturating): L_G = mean log(1 - sigmoid(D(G(z))))

    G's loss uses D after its update (as in the reference DCGAN loop).
    r1_gamma > 0 adds the R1 penalty gamma/2 mean ||grad_x D(x)||^2 on the real batch to L_D
    (Mescheder et al., 2018), for 'bce' and 'minimax'.
    loss='wgan-gp' (Gulrajani et al., 2017) makes D a critic with unbounded scores::

        L_D = mean D(fake) - mean D(x) + gp_weight * mean (||grad D(x_hat)||_2 - 1)^2

    at random interpolates x_hat of real and fake, with d_steps (n_critic) critic updates per
    generator update (5 unless given) and L_G = -mean D(G(z)).
    Optimizers default to Adam(lr=2e-4, betas=(0.5, 0.999)) over each network's parameters, and
    to the paper's Adam(lr=1e-4, betas=(0.0, 0.9)) for 'wgan-gp'.

    Shape:
        z: ``(N, latent_dim)``; G(z): a batch of samples ``(N, *)``; D(x): logits ``(N,)`` or ``(N, 1)``.

    Example:
        >>> G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
        >>> D = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
        >>> model = gan.GAN(G, D, latent_dim=4)
        >>> logs = model.train_step(rb.randn(32, 1) + 3)
        >>> sorted(logs)
        ['d_fake', 'd_loss', 'd_real', 'g_loss', 'penalty']
        >>> tuple(model.sample(5).shape)
        (5, 1)
    """

    def __init__(self, generator: Any, discriminator: Any, latent_dim: Any, g_optimizer: Any = None,
                 d_optimizer: Any = None, loss: Any = "bce", d_steps: Any = None, real_label: Any = 1.0,
                 gp_weight: Any = 10.0, r1_gamma: Any = 0.0) -> None:
        from .. import optim
        if not isinstance(latent_dim, int) or isinstance(latent_dim, bool) or latent_dim <= 0:
            raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")
        if loss not in _LOSSES:
            raise ValueError(f"loss must be 'bce' (non-saturating), 'minimax' or 'wgan-gp', got {loss!r}")
        if d_steps is None:
            d_steps = 5 if loss == "wgan-gp" else 1
        if not isinstance(d_steps, int) or d_steps < 1:
            raise ValueError(f"d_steps must be a positive integer, got {d_steps!r}")
        if not 0.0 < real_label <= 1.0:
            raise ValueError(f"real_label must be in (0, 1], got {real_label!r}")
        if not gp_weight >= 0.0:
            raise ValueError(f"gp_weight must be >= 0, got {gp_weight!r}")
        if not r1_gamma >= 0.0:
            raise ValueError(f"r1_gamma must be >= 0, got {r1_gamma!r}")
        if r1_gamma and loss == "wgan-gp":
            raise ValueError("r1_gamma applies to the 'bce' and 'minimax' losses; 'wgan-gp' has its own penalty")
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim, self.loss, self.d_steps, self.real_label = latent_dim, loss, d_steps, float(real_label)
        self.gp_weight, self.r1_gamma = float(gp_weight), float(r1_gamma)
        lr, betas = (1e-4, (0.0, 0.9)) if loss == "wgan-gp" else (2e-4, (0.5, 0.999))
        self.g_optimizer = g_optimizer or optim.Adam(generator.parameters(), lr=lr, betas=betas)
        self.d_optimizer = d_optimizer or optim.Adam(discriminator.parameters(), lr=lr, betas=betas)

    # --- hooks the conditional subclass overrides -------------------------------------------------
    def _g_input(self, z, cond):
        return z

    def _d_input(self, x, cond):
        return x

    def _noise(self, n, generator=None):
        return _C.randn(n, self.latent_dim, generator=generator)

    def _generate(self, z, cond):
        x = self._g_input(z, cond)
        try:
            return self.generator(x)
        except RuntimeError as e:
            # almost always a latent size the generator does not take: say so, with the shapes
            raise ValueError(f"the generator failed on its input of shape {tuple(x.shape)} ({self._input_desc()}); "
                             f"is latent_dim right? {e}") from e

    def _input_desc(self):
        return f"latent_dim={self.latent_dim}"

    # --- one step ---------------------------------------------------------------------------------
    def _check_fake(self, fake, real):
        if tuple(fake.shape[1:]) != tuple(real.shape[1:]) or fake.shape[0] != real.shape[0]:
            raise ValueError(f"the generator's output shape {tuple(fake.shape)} does not match the real batch's "
                             f"shape {tuple(real.shape)} (latent_dim={self.latent_dim})")

    def _step(self, real, cond):
        if not isinstance(real, _C.Tensor):
            raise TypeError(f"real must be a Tensor, got {type(real).__name__}")
        if real.dim() < 2 or real.shape[0] == 0:
            raise ValueError(f"real must be a non-empty batch of shape (N, ...), got {tuple(real.shape)}")
        G, D = self.generator, self.discriminator
        G.train()
        D.train()
        n = real.shape[0]
        for _ in range(self.d_steps):
            z = self._noise(n)
            fake = self._generate(z, cond)
            self._check_fake(fake, real)
            self.d_optimizer.zero_grad()
            d_loss, d_real_logits, d_fake_logits, penalty = self._d_loss(real, fake.detach(), cond)
            d_loss.backward()
            self.d_optimizer.step()
        # G's step: D frozen (no gradient accumulates on its parameters; gradients still flow through it)
        d_params = [p for p in D.parameters() if p.requires_grad]
        for p in d_params:
            p.requires_grad_(False)
        try:
            self.g_optimizer.zero_grad()
            logits = D(self._d_input(fake, cond))
            if self.loss == "bce":
                g_loss = _bce_logits(logits, 1.0)
            elif self.loss == "minimax":
                g_loss = -_bce_logits(logits, 0.0)
            else:
                g_loss = -logits.mean()
            g_loss.backward()
            self.g_optimizer.step()
        finally:
            for p in d_params:
                p.requires_grad_(True)
        score = _mean_sigmoid if self.loss != "wgan-gp" else (lambda t: float(t.detach().mean().item()))
        return {"d_loss": float(d_loss.item()), "g_loss": float(g_loss.item()),
                "d_real": score(d_real_logits), "d_fake": score(d_fake_logits),
                "penalty": float(penalty.item()) if penalty is not None else 0.0}

    def _d_loss(self, real, fake, cond):
        """D's loss on a real and a (detached) fake batch: (loss, D(real), D(fake), penalty or None)."""
        D = self.discriminator

        def d_input(t):
            return self._d_input(t, cond)

        if self.loss == "wgan-gp":
            d_real, d_fake = D(d_input(real)), D(d_input(fake))
            penalty = gradient_penalty(D, real, fake, self.gp_weight, d_input=d_input)
            return d_fake.mean() - d_real.mean() + penalty, d_real, d_fake, penalty
        penalty = None
        if self.r1_gamma:
            penalty, d_real = r1_penalty(D, real, self.r1_gamma, d_input=d_input)
        else:
            d_real = D(d_input(real))
        d_fake = D(d_input(fake))
        loss = _bce_logits(d_real, self.real_label) + _bce_logits(d_fake, 0.0)
        return (loss + penalty if penalty is not None else loss), d_real, d_fake, penalty

    def train_step(self, real: Any) -> Any:
        """One D update (d_steps of them) and one G update on the batch `real`; returns
        {'d_loss', 'g_loss', 'd_real': mean sigmoid D(x), 'd_fake': mean sigmoid D(G(z)),
        'penalty': the gradient penalty inside d_loss (0 without one)} (D's numbers from the last
        D update, before it was applied; for 'wgan-gp', d_real and d_fake are mean critic scores)."""
        return self._step(real, None)

    def _batch_step(self, batch):
        return self.train_step(_first(batch))

    # --- the loop ---------------------------------------------------------------------------------
    def fit(self, loader: Any, epochs: Any, callbacks: Any = (), verbose: Any = True, tensorboard: Any = None) -> Any:
        """Runs train_step over every batch of `loader` (tensors, or tuples whose first element is the
        real batch; ConditionalGAN takes (x, labels)) for `epochs` epochs. Returns a History whose
        history[k] holds the per-epoch means of d_loss, g_loss, d_real and d_fake (History.plot draws
        them); history.steps[k] holds the per-step values. callbacks: rosenblatt.train.Callback
        instances (cb.model is this GAN); training stops after an epoch in which one sets
        stop_training. verbose: a tqdm bar per epoch with the epoch's running means of the four
        numbers, on a terminal only (quiet when stdout is not a terminal)."""
        if not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
        history = History()
        history.steps = {k: [] for k in _KEYS}
        callbacks = _with_tensorboard(callbacks, tensorboard)
        quiet, n_batches = _start(callbacks, self, self.g_optimizer, history, loader, verbose)
        for cb in callbacks:
            cb.on_train_begin({})
        for epoch in range(1, epochs + 1):
            for cb in callbacks:
                cb.on_epoch_begin(epoch, {})
            sums, count = dict.fromkeys(_KEYS, 0.0), 0
            bar = _progress(n_batches, f"epoch {epoch}/{epochs}", quiet)
            try:
                for i, batch in enumerate(loader):
                    values = self._batch_step(batch)
                    count += 1
                    for k in _KEYS:
                        sums[k] += values[k]
                        history.steps[k].append(values[k])
                    for cb in callbacks:
                        cb.on_batch_end(i, values)
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix({k: f"{sums[k] / count:.3f}" for k in _KEYS}, refresh=False)
            finally:
                if bar is not None:
                    bar.close()
            logs = {k: (sums[k] / count if count else math.nan) for k in _KEYS}
            logs = _mean_over_ranks(logs)
            if _end_epoch(history, callbacks, epoch, logs):
                break
        for cb in callbacks:
            cb.on_train_end({"epochs": len(history.epochs)})
        return history

    # --- sampling ---------------------------------------------------------------------------------
    def _sample(self, n, cond, generator):
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"sample: n must be a non-negative integer, got {n!r}")
        G = self.generator
        was_training = G.training
        G.eval()
        try:
            with _no_grad():
                return self._generate(self._noise(n, generator), cond)
        finally:
            G.train(was_training)

    def sample(self, n: Any, generator: Any = None) -> Any:
        """n samples G(z), z ~ N(0, I) drawn from `generator` (a rosenblatt.Generator) or the global
        RNG, under no_grad with G in eval mode (its mode restored after)."""
        return self._sample(n, None, generator)


def _no_grad():
    from ..autograd import no_grad
    return no_grad()


class ConditionalGAN(GAN):
    """A GAN whose networks both see the label y as a one-hot row (see `conditioning`):
    the generator is called as G(cat(z, onehot)), so its input has latent_dim + num_classes
    features; the discriminator as D(conditioning(x, onehot)), so it sees num_classes extra
    features (flat x) or channels (image x). train_step(real, labels); sample(n, labels).

    Shape:
        z: ``(N, latent_dim)``; labels: ``(N,)`` int64; G's input: ``(N, latent_dim + num_classes)``.

    Example:
        >>> G = nn.Sequential(nn.Linear(4 + 3, 16), nn.ReLU(), nn.Linear(16, 2))
        >>> D = nn.Sequential(nn.Linear(2 + 3, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
        >>> cgan = gan.ConditionalGAN(G, D, latent_dim=4, num_classes=3)
        >>> _ = cgan.train_step(rb.randn(8, 2), rb.tensor([0, 1, 2, 0, 1, 2, 0, 1]))
        >>> tuple(cgan.sample(6, 2).shape)
        (6, 2)
    """

    def __init__(self, generator: Any, discriminator: Any, latent_dim: Any, num_classes: Any, g_optimizer: Any = None,
                 d_optimizer: Any = None, loss: Any = "bce", d_steps: Any = None, real_label: Any = 1.0,
                 gp_weight: Any = 10.0, r1_gamma: Any = 0.0) -> None:
        if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 1:
            raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
        super().__init__(generator, discriminator, latent_dim, g_optimizer, d_optimizer, loss, d_steps, real_label,
                         gp_weight, r1_gamma)
        self.num_classes = num_classes

    def _g_input(self, z, cond):
        return conditioning(z, cond)

    def _input_desc(self):
        return f"latent_dim={self.latent_dim} + num_classes={self.num_classes}"

    def _d_input(self, x, cond):
        return conditioning(x, cond)

    def train_step(self, real: Any, labels: Any) -> Any:
        """As GAN.train_step, with labels (N,) int64 in [0, num_classes) for the real batch; the
        fakes are generated for the same labels."""
        onehot = one_hot(labels, self.num_classes)
        if isinstance(real, _C.Tensor) and real.dim() >= 1 and onehot.shape[0] != real.shape[0]:
            raise ValueError(f"train_step: {real.shape[0]} real samples but {onehot.shape[0]} labels")
        return self._step(real, onehot)

    def _batch_step(self, batch):
        if not isinstance(batch, (tuple, list)) or len(batch) < 2:
            raise ValueError("ConditionalGAN.fit: the loader must yield (x, labels) batches")
        return self.train_step(batch[0], batch[1])

    def sample(self, n: Any, labels: Any, generator: Any = None) -> Any:
        """n samples of the given labels (an int for all n, or a sequence/tensor of n labels)."""
        if isinstance(labels, int) and not isinstance(labels, bool):
            labels = [labels] * n
        onehot = one_hot(labels, self.num_classes)
        if onehot.shape[0] != n:
            raise ValueError(f"sample: n={n} but {onehot.shape[0]} labels")
        return self._sample(n, onehot, generator)
