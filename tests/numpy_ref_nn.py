"""NumPy references of the nn ops that tests/op_specs.py lists (activations, pooling, normalization,
resampling, padding, folding, embedding bags, CTC): each computes in float64 what an op should return,
independently of the library (loops and closed forms, no rosenblatt calls)."""
import itertools
import math

import numpy as np

from ctc_ref import np_ctc_loss
from numpy_ref import _np_aa_matrix, _np_interp_matrix, _np_log_softmax, _np_sigmoid, _np_windows, _pair

_erf = np.vectorize(math.erf)


def _np_gelu(a):
    return 0.5 * a * (1 + _erf(a / math.sqrt(2)))


def _np_gelu_tanh(a):
    return 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3)))


def _np_softplus(a, beta=1.0, threshold=20.0):
    return np.where(a * beta > threshold, a, np.logaddexp(0, a * beta) / beta)


def _np_silu(a):
    return a * _np_sigmoid(a)


def _np_hardsigmoid(a):
    return np.clip(a / 6 + 0.5, 0, 1)


def _np_glu(a, dim):
    x, g = np.split(a, 2, axis=dim)
    return x * _np_sigmoid(g)


def _np_prelu(a, w):
    return np.where(a > 0, a, (w.reshape((-1,) + (1,) * (a.ndim - 2)) if w.size > 1 else w) * a)


def _np_celu(a, alpha):
    return np.where(a > 0, a, alpha * np.expm1(a / alpha))


def _np_ctc(x, tg, il, tl, lists=False, unbatched=False, **kw):
    lp = _np_log_softmax(x, -1)
    return np_ctc_loss(lp[:, 0] if unbatched else lp, tg, il, tl, **kw)


def np_max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    win, _, _ = _np_windows(x, kernel_size, stride or kernel_size, padding, dilation, ceil_mode, -np.inf)
    return win.max(axis=(-2, -1)).astype(x.dtype)


def np_avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                  divisor_override=None):
    s = stride or kernel_size
    win, hi, wi = _np_windows(x, kernel_size, s, padding, 1, ceil_mode, 0.0)
    H, W = x.shape[-2:]
    (ph, pw) = _pair(padding)
    inside = ((hi >= 0) & (hi < H))[:, None, :, None] & ((wi >= 0) & (wi < W))[None, :, None, :]
    in_pad = (hi < H + ph)[:, None, :, None] & (wi < W + pw)[None, :, None, :]
    total = win.sum(axis=(-2, -1))
    if divisor_override:
        div = np.full(inside.shape[:2], float(divisor_override))
    else:
        div = (in_pad if count_include_pad else inside).sum(axis=(-2, -1)).astype(np.float64)
    return np.where(inside.any(axis=(-2, -1)), total / np.maximum(div, 1), 0.0).astype(x.dtype)


def np_batch_norm(x, rm, rv, w=None, b=None, training=False, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    m, v = (x.mean(axis=axes), x.var(axis=axes)) if training else (rm, rv)
    y = (x - m.reshape(shape)) / np.sqrt(v.reshape(shape) + eps)
    if w is not None:
        y = y * w.reshape(shape) + b.reshape(shape)
    return y.astype(x.dtype)


def np_interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None, antialias=False):
    H, W = x.shape[-2:]
    sf = _pair(scale_factor) if scale_factor is not None else (None, None)
    oh, ow = _pair(size) if size is not None else (int(np.floor(H * sf[0])), int(np.floor(W * sf[1])))
    matrix = _np_aa_matrix if antialias else _np_interp_matrix
    Mh = matrix(mode, H, oh, align_corners, sf[0])
    Mw = matrix(mode, W, ow, align_corners, sf[1])
    return np.einsum("oh,nchw,pw->ncop", Mh, x.astype(np.float64), Mw).astype(x.dtype)


def np_pad(x, pad, value=0.0):
    n = len(pad) // 2
    sl, widths = [slice(None)] * x.ndim, [(0, 0)] * x.ndim
    for i in range(n):
        d, left, right = x.ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        sl[d] = slice(max(-left, 0), x.shape[d] - max(-right, 0))
        widths[d] = (max(left, 0), max(right, 0))
    return np.pad(x[tuple(sl)], widths, constant_values=value)


def np_max_pool2d_indices(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Flat h * W + w positions of each window's (first) maximum, as PyTorch's indices."""
    s = stride or kernel_size
    win, _, _ = _np_windows(x, kernel_size, s, padding, dilation, ceil_mode, -np.inf)
    plane = np.arange(x.shape[-2] * x.shape[-1], dtype=np.int64).reshape(x.shape[-2:]).astype(np.float64)
    pos, _, _ = _np_windows(plane, kernel_size, s, padding, dilation, ceil_mode, -1)
    flat = win.reshape(win.shape[:-2] + (-1,))
    best = flat.argmax(axis=-1)
    pos = np.broadcast_to(pos.reshape(pos.shape[:-2] + (-1,)), flat.shape)
    return np.take_along_axis(pos, best[..., None], axis=-1)[..., 0].astype(np.int64)


def np_layer_norm(x, nd, w=None, b=None, eps=1e-5):
    axes = tuple(range(x.ndim - nd, x.ndim))
    y = (x - x.mean(axis=axes, keepdims=True)) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)
    if w is not None:
        y = y * w
    if b is not None:
        y = y + b
    return y.astype(x.dtype)


def np_group_norm(x, G, w=None, b=None, eps=1e-5):
    g = x.reshape(x.shape[0], G, -1)
    y = ((g - g.mean(-1, keepdims=True)) / np.sqrt(g.var(-1, keepdims=True) + eps)).reshape(x.shape)
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if w is not None:
        y = y * w.reshape(shape)
    if b is not None:
        y = y + b.reshape(shape)
    return y.astype(x.dtype)


def np_rms_norm(x, nd, w=None, eps=None):
    eps = np.finfo(x.dtype).eps if eps is None else eps
    axes = tuple(range(x.ndim - nd, x.ndim))
    y = x / np.sqrt((x.astype(np.float64) ** 2).mean(axis=axes, keepdims=True) + eps)
    return (y if w is None else y * w).astype(x.dtype)


def np_instance_norm(x, w=None, b=None, eps=1e-5):
    return np_group_norm(x, x.shape[1], w, b, eps)


def np_embedding_bag(w, idx, offsets=None, mode="mean", psw=None, include_last_offset=False, padding_idx=None):
    if idx.ndim == 2:
        bags = list(idx)
        psw = None if psw is None else list(psw)
    else:
        ends = list(offsets[1:]) + ([] if include_last_offset else [len(idx)])
        bags = [idx[s:e] for s, e in zip(offsets, ends)]
        psw = None if psw is None else [psw[s:e] for s, e in zip(offsets, ends)]
    out = np.zeros((len(bags), w.shape[1]), w.dtype)
    for b, bag in enumerate(bags):
        keep = bag != padding_idx if padding_idx is not None else np.ones(len(bag), bool)
        rows = w[bag[keep]]
        if psw is not None:
            rows = rows * psw[b][keep][:, None]
        if len(rows):
            out[b] = {"sum": rows.sum(0), "mean": rows.mean(0), "max": rows.max(0)}[mode]
    return out


def _np_affine_grid(theta, size, align_corners=False):
    """size (N, C, H, W) or (N, C, D, H, W): theta applied to each output pixel's (x, y[, z], 1)."""
    def axis(n):
        r = np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(1)
        return r if align_corners or n <= 1 else r * (n - 1) / n

    spatial = list(size[2:])
    axes = np.meshgrid(*[axis(n) for n in spatial], indexing="ij")  # outermost dim first
    base = np.stack(list(axes[::-1]) + [np.ones(spatial)], -1)  # x runs along the last dim
    return np.einsum("...k,njk->n...j", base, theta).astype(theta.dtype)


def _np_cubic_weights(t, A=-0.75):
    """Keys' cubic convolution weights of the taps at -1, 0, 1, 2 for a point t in [0, 1) past tap 0."""
    def w(d):
        d = np.abs(d)
        return np.where(d <= 1, ((A + 2) * d - (A + 3)) * d * d + 1, ((A * d - 5 * A) * d + 8 * A) * d - 4 * A)

    return [w(t + 1), w(t), w(1 - t), w(2 - t)]


def _np_grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    """torch's grid_sample for 4-d (x, y) and 5-d (x, y, z) grids, in float64: unnormalize, pad (clip, or a
    triangle wave then clip), read 0 outside; bicubic pads each of its 16 taps."""
    N, C = x.shape[:2]
    sizes = x.shape[2:]
    S = len(sizes)
    g = grid.reshape(N, -1, S).astype(np.float64)

    def unnormalize(c, n):
        return (c + 1) / 2 * (n - 1) if align_corners else ((c + 1) * n - 1) / 2

    def pad(c, n):
        if padding_mode == "zeros":
            return c
        if padding_mode == "reflection":
            lo, span = (0.0, n - 1.0) if align_corners else (-0.5, float(n))
            m = np.mod(c - lo, 2 * span) if span else np.zeros_like(c)
            c = lo + np.where(m > span, 2 * span - m, m)
        return np.clip(c, 0, n - 1)

    def read(pos):  # integral positions, outermost dim first, each (N, L) -> (N, C, L); 0 outside
        ok = np.all([(p >= 0) & (p <= n - 1) for p, n in zip(pos, sizes)], 0)
        idx = tuple(np.where(ok, p, 0).astype(np.int64) for p in pos)
        vals = x.astype(np.float64)[(np.arange(N)[:, None], slice(None)) + idx]  # (N, L, C)
        return np.moveaxis(vals, -1, 1) * ok[:, None, :]

    coords = [unnormalize(g[..., S - 1 - k], sizes[k]) for k in range(S)]
    if mode == "bicubic":
        (y, xx), (H, W) = coords, sizes
        x0, y0 = np.floor(xx), np.floor(y)
        wx, wy = _np_cubic_weights(xx - x0), _np_cubic_weights(y - y0)
        out = sum(wy[j][:, None] * wx[i][:, None] * read([pad(y0 + j - 1, H), pad(x0 + i - 1, W)])
                  for j in range(4) for i in range(4))
    else:
        coords = [pad(c, n) for c, n in zip(coords, sizes)]
        if mode == "nearest":
            out = read([np.rint(c) for c in coords])
        else:
            out = 0
            for corner in itertools.product((0, 1), repeat=S):
                pos = [np.floor(c) + b for c, b in zip(coords, corner)]
                weight = np.prod([1 - np.abs(c - p) for c, p in zip(coords, pos)], 0)
                out = out + weight[:, None] * read(pos)
    return out.reshape((N, C) + grid.shape[1:-1]).astype(x.dtype)


def _np_pad(a, pad, mode):
    k = len(pad) // 2
    width = [(0, 0)] * (a.ndim - k) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(k))]
    return np.pad(a, width, mode={"reflect": "reflect", "replicate": "edge", "circular": "wrap"}[mode])


def _np_unfold(x, k, d=1, p=0, s=1):
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _pair(k), _pair(d), _pair(p), _pair(s)
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, h, w = x.shape
    oh, ow = (h - dh * (kh - 1) - 1) // sh + 1, (w - dw * (kw - 1) - 1) // sw + 1
    cols = np.zeros((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
    return cols.reshape(n, c * kh * kw, oh * ow)


def _np_fold(cols, size, k, d=1, p=0, s=1):
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = _pair(size), _pair(k), _pair(d), _pair(p), _pair(s)
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    oh, ow = (h + 2 * ph - dh * (kw - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = cols.reshape(n, c, kh, kw, oh, ow)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw] += cols[:, :, i, j]
    return out[:, :, ph:ph + h, pw:pw + w]


def _np_lp_pool2d(x, p, k):
    n, c, h, w = x.shape
    win = x[:, :, :h // k * k, :w // k * k].reshape(n, c, h // k, k, w // k, k)
    return (win ** p).sum(axis=(3, 5)) ** (1.0 / p)
