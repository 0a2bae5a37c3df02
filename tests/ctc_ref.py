"""A numpy CTC loss written from the definition, independent of the C++ kernels: the forward (alpha)
recursion in log space over the target with blanks interleaved, one sample at a time."""
import numpy as np


def _sequence_nll(lp, labels, blank):
    """-log p(labels | lp) for one sample; lp: (frames, C) log-probabilities."""
    ext = [blank]
    for lab in labels:
        ext += [int(lab), blank]
    S, T = len(ext), lp.shape[0]
    if T == 0:
        return 0.0 if len(labels) == 0 else np.inf
    alpha = np.full(S, -np.inf)
    alpha[0] = lp[0, blank]
    if S > 1:
        alpha[1] = lp[0, ext[1]]
    for t in range(1, T):
        new = np.full(S, -np.inf)
        for s in range(S):
            terms = [alpha[s]]
            if s > 0:
                terms.append(alpha[s - 1])
            if s > 1 and ext[s] != ext[s - 2]:  # skipping the blank between two different labels
                terms.append(alpha[s - 2])
            new[s] = np.logaddexp.reduce(terms) + lp[t, ext[s]]
        alpha = new
    ends = alpha[-2:] if S > 1 else alpha[-1:]
    return -np.logaddexp.reduce(ends)


def np_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
                zero_infinity=False):
    lp = np.asarray(log_probs, dtype=np.float64)
    batched = lp.ndim == 3
    if not batched:
        lp = lp[:, None]
    il = np.asarray(input_lengths).reshape(-1).astype(int)
    tl = np.asarray(target_lengths).reshape(-1).astype(int)
    targets = np.asarray(targets).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(tl)[:-1]])
    losses = []
    for b in range(lp.shape[1]):
        labels = targets[starts[b]:starts[b] + tl[b]] if targets.ndim == 1 else targets[b, :tl[b]]
        losses.append(_sequence_nll(lp[:il[b], b], labels, blank))
    losses = np.array(losses)
    if zero_infinity:
        losses = np.where(np.isinf(losses), 0.0, losses)
    if reduction == "mean":
        return np.mean(losses / np.maximum(tl, 1))
    if reduction == "sum":
        return losses.sum()
    return losses if batched else losses[0]
