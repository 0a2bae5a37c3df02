# Quality measures for generative models: the Frechet distance between feature sets (FID-style)
# and the agreement of a classifier with the labels conditional samples were asked for.
from typing import Any

import numpy as np

from .. import _C
from .._tensor import tensor as _tensor

__all__ = ["frechet_distance", "label_agreement"]


def _features(f, name):
    if isinstance(f, _C.Tensor):
        f = f.detach().numpy()
    a = np.asarray(f, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError(f"frechet_distance: {name} must be (N, D) features, got shape {a.shape}")
    if a.shape[0] < 2:
        raise ValueError(f"frechet_distance: {name} needs at least 2 samples for a covariance, got {a.shape[0]}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"frechet_distance: {name} holds non-finite values")
    return a


def _psd_sqrt(s):
    w, v = np.linalg.eigh((s + s.T) / 2)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(features_real: Any, features_fake: Any) -> Any:
    """The Frechet distance between Gaussians fitted to two feature sets (FID when the features are
    Inception's; any model's features work)::

        d = |mu_r - mu_f|^2 + tr(S_r) + tr(S_f) - 2 tr((S_r S_f)^(1/2))

    with sample means and unbiased covariances, computed in float64. features: (N, D) tensors or
    arrays (1-D is read as D=1). The trace of the matrix square root is taken without scipy, from
    numpy eigendecompositions of symmetric matrices: tr((S_r S_f)^(1/2)) = tr((A S_f A)^(1/2)) with
    A = S_r^(1/2), since S_r S_f is similar to A S_f A, which is symmetric positive semidefinite;
    its eigenvalues are clipped at 0 (round-off) before the square root. This is exact for PSD
    covariances and avoids the complex round-off of a general sqrtm. Returns a Python float >= 0.

    Example:
        >>> a = rb.randn(500, 2)
        >>> round(gan.frechet_distance(a, a), 6)
        0.0
        >>> round(gan.frechet_distance(a, a + 3), 1)   # the means 3 apart in each of 2 dimensions
        18.0
    """
    r, f = _features(features_real, "features_real"), _features(features_fake, "features_fake")
    if r.shape[1] != f.shape[1]:
        raise ValueError(f"frechet_distance: feature sizes differ: {r.shape} vs {f.shape}")
    mu_r, mu_f = r.mean(0), f.mean(0)
    s_r, s_f = np.atleast_2d(np.cov(r, rowvar=False)), np.atleast_2d(np.cov(f, rowvar=False))
    a = _psd_sqrt(s_r)
    m = a @ s_f @ a
    w = np.linalg.eigvalsh((m + m.T) / 2)
    tr_sqrt = float(np.sqrt(np.clip(w, 0.0, None)).sum())
    d = float(((mu_r - mu_f) ** 2).sum() + np.trace(s_r) + np.trace(s_f) - 2.0 * tr_sqrt)
    return max(d, 0.0)


def label_agreement(classifier: Any, samples: Any, labels: Any, batch_size: Any = 256) -> Any:
    """The fraction of `samples` that `classifier` (logits over classes, argmax taken) assigns to
    the requested `labels`: a score for conditional generators. Runs under no_grad with the
    classifier in eval mode (its mode restored after)."""
    from ..autograd import no_grad
    if not isinstance(labels, _C.Tensor):
        labels = _tensor(labels, dtype=_C.dtype.int64)
    if labels.dim() != 1 or labels.shape[0] != samples.shape[0]:
        raise ValueError(f"label_agreement: {tuple(samples.shape)} samples but labels of shape {tuple(labels.shape)}")
    n = samples.shape[0]
    if n == 0:
        raise ValueError("label_agreement: no samples")
    was_training = getattr(classifier, "training", False)
    if hasattr(classifier, "eval"):
        classifier.eval()
    hits = 0
    try:
        with no_grad():
            for i in range(0, n, batch_size):
                pred = classifier(samples[i:i + batch_size]).argmax(1)
                hits += int((pred == labels[i:i + batch_size]).sum().item())
    finally:
        if hasattr(classifier, "train"):
            classifier.train(was_training)
    return hits / n
