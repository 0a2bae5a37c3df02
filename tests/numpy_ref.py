"""NumPy references of the ops that tests/op_specs.py lists: each computes in float64 what an op
should return, independently of the library (loops and closed forms, no rosenblatt calls)."""
import numpy as np


def _np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _np_log_softmax(x, axis):
    m = x.max(axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis, keepdims=True))


def _reduce(l, reduction):
    return l if reduction == "none" else (l.mean() if reduction == "mean" else l.sum())


def _np_smooth_l1(x, y, beta):
    d = np.abs(x - y)
    return np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta)


def _np_huber(x, y, delta):
    d = np.abs(x - y)
    return np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))


def _np_bce(x, y, w=None, reduction="mean"):
    l = -(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log1p(-x), -100))
    return _reduce(l if w is None else l * w, reduction)


def _np_bce_logits(x, y, w=None, pw=None, reduction="mean"):
    sp = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)  # softplus(-x)
    lw = 1.0 if pw is None else 1.0 + (pw - 1.0) * y
    l = (1 - y) * x + lw * sp
    return _reduce(l if w is None else l * w, reduction)


def _np_class_loss(lp, t, w, ignore_index, reduction, label_smoothing):
    """Cross-entropy on log-probabilities lp (N, C, ...) or (C,), as PyTorch defines it."""
    if lp.ndim == 1:
        lp, t = lp[None], np.asarray(t)[None]
        out = _np_class_loss(lp, t, w, ignore_index, reduction, label_smoothing)
        return out[0] if reduction == "none" else out
    C = lp.shape[1]
    wb = (np.ones(C) if w is None else w).reshape((1, C) + (1,) * (lp.ndim - 2))
    if t.dtype.kind == "f":  # class probabilities
        q = t * (1 - label_smoothing) + label_smoothing / C
        l = -(lp * q * wb).sum(1)
        return l if reduction == "none" else (l.sum() / (lp.size / C) if reduction == "mean" else l.sum())
    valid = t != ignore_index
    tt = np.where(valid, t, 0)
    wt = (np.ones(C) if w is None else w)[tt] * valid
    nll = -np.take_along_axis(lp, tt[:, None], 1)[:, 0] * wt
    smooth = -(lp * wb).sum(1) * valid
    l = (1 - label_smoothing) * nll + label_smoothing / C * smooth
    return l if reduction == "none" else (l.sum() / wt.sum() if reduction == "mean" else l.sum())


def _np_cross_entropy(x, t, w=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    return _np_class_loss(_np_log_softmax(x, 0 if x.ndim == 1 else 1), t, w, ignore_index, reduction, label_smoothing)


def _np_nll(x, t, w=None, ignore_index=-100, reduction="mean"):
    return _np_class_loss(x, t, w, ignore_index, reduction, 0.0)


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def _np_conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Direct definition: one strided slice of the padded input per kernel tap, contracted with
    that tap of the weight (the sum over taps is the convolution)."""
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    KH, KW = w.shape[2:]
    if padding == "valid":
        pads = (0, 0, 0, 0)
    elif padding == "same":  # the odd padding goes bottom/right, as PyTorch
        th, tw = dh * (KH - 1), dw * (KW - 1)
        pads = (th // 2, th - th // 2, tw // 2, tw - tw // 2)
    else:
        ph, pw = _pair(padding)
        pads = (ph, ph, pw, pw)
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[1]), (pads[2], pads[3])))
    N, C, H, W = xp.shape
    OC, Cg, OCg = w.shape[0], C // groups, w.shape[0] // groups
    OH, OW = (H - dh * (KH - 1) - 1) // sh + 1, (W - dw * (KW - 1) - 1) // sw + 1
    y = np.zeros((N, OC, OH, OW), dtype=x.dtype)
    for g in range(groups):
        for kh in range(KH):
            for kw in range(KW):
                patch = xp[:, g * Cg:(g + 1) * Cg, kh * dh:kh * dh + sh * (OH - 1) + 1:sh,
                           kw * dw:kw * dw + sw * (OW - 1) + 1:sw]
                y[:, g * OCg:(g + 1) * OCg] += np.einsum("nchw,oc->nohw", patch, w[g * OCg:(g + 1) * OCg, :, kh, kw])
    if b is not None:
        y += b[None, :, None, None]
    return y[0] if unbatched else y


def _np_conv1d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    one = lambda v: v if isinstance(v, str) else (1, v[0] if isinstance(v, (tuple, list)) else v)
    y = _np_conv2d(x[..., None, :], w[:, :, None, :], b, (1, _pair(stride)[0]),
                   padding if isinstance(padding, str) else (0, _pair(padding)[0]), one(dilation), groups)
    return y[..., 0, :]


def _np_conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Scatter form: each input pixel adds weight-scaled copies of the kernel into the output."""
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = _pair(stride), _pair(padding), _pair(output_padding), _pair(dilation)
    N, C, H, W = x.shape
    _, OCg, KH, KW = w.shape
    Cg, OC = C // groups, OCg * groups
    FH, FW = (H - 1) * sh + dh * (KH - 1) + 1 + oph, (W - 1) * sw + dw * (KW - 1) + 1 + opw
    full = np.zeros((N, OC, FH, FW), dtype=x.dtype)
    for g in range(groups):
        for kh in range(KH):
            for kw in range(KW):
                c = np.einsum("nchw,co->nohw", x[:, g * Cg:(g + 1) * Cg], w[g * Cg:(g + 1) * Cg, :, kh, kw])
                full[:, g * OCg:(g + 1) * OCg, kh * dh:kh * dh + sh * (H - 1) + 1:sh,
                     kw * dw:kw * dw + sw * (W - 1) + 1:sw] += c
    y = full[:, :, ph:FH - ph, pw:FW - pw]
    if b is not None:
        y = y + b[None, :, None, None]
    return y[0] if unbatched else y


def _np_conv_transpose1d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    one = lambda v, fill: (fill, v[0] if isinstance(v, (tuple, list)) else v)
    y = _np_conv_transpose2d(x[..., None, :], w[:, :, None, :], b, one(stride, 1), one(padding, 0),
                             one(output_padding, 0), groups, one(dilation, 1))
    return y[..., 0, :]


def _np_scatter_add(a, i, b):
    out = a.copy()
    for r in range(i.shape[0]):
        for c in range(i.shape[1]):
            out[r, i[r, c]] += b[r, c]
    return out


def _np_index_add(a, i, b):
    out = a.copy()
    np.add.at(out, i, b)
    return out


def _np_put_pair(a, i, b):
    out = a.copy()
    out[i, i] = b
    return out


def _np_scatter(a, i, b):
    out = a.copy()
    for r in range(i.shape[0]):
        for c in range(i.shape[1]):
            out[r, i[r, c]] = b[r, c]
    return out


def _np_pool_out(n, k, s, p, d, ceil):
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def _np_windows(x, k, s, p, d, ceil, fill):
    """(..., OH, OW, KH, KW) windows of x padded with `fill`, PyTorch's output size."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = _pair(k), _pair(s), _pair(p), _pair(d)
    H, W = x.shape[-2:]
    OH, OW = _np_pool_out(H, kh, sh, ph, dh, ceil), _np_pool_out(W, kw, sw, pw, dw, ceil)
    extra_h, extra_w = kh * dh + sh, kw * dw + sw
    pad = [(0, 0)] * (x.ndim - 2) + [(ph, ph + extra_h), (pw, pw + extra_w)]
    xp = np.pad(x, pad, constant_values=fill)
    hi = (np.arange(OH) * sh)[:, None] + np.arange(kh)[None, :] * dh  # (OH, KH)
    wi = (np.arange(OW) * sw)[:, None] + np.arange(kw)[None, :] * dw
    return xp[..., hi[:, None, :, None], wi[None, :, None, :]], hi - ph, wi - pw


def _np_adaptive(x, out, reduce):
    H, W = x.shape[-2:]
    oh, ow = _pair(out)
    y = np.empty(x.shape[:-2] + (oh, ow), x.dtype)
    for i in range(oh):
        h0, h1 = i * H // oh, -(-(i + 1) * H // oh)
        for j in range(ow):
            w0, w1 = j * W // ow, -(-(j + 1) * W // ow)
            y[..., i, j] = reduce(x[..., h0:h1, w0:w1], axis=(-2, -1))
    return y


def _cubic1(z, a=-0.75):
    return ((a + 2) * z - (a + 3)) * z * z + 1


def _cubic2(z, a=-0.75):
    return ((a * z - 5 * a) * z + 8 * a) * z - 4 * a


def _np_interp_matrix(mode, n_in, n_out, align, scale):
    """(n_out, n_in) matrix of one axis' interpolation weights, PyTorch's index rules."""
    M = np.zeros((n_out, n_in))
    if mode == "nearest":
        s = np.float32(1.0 / scale) if scale else np.float32(n_in) / np.float32(n_out)
        for o in range(n_out):
            idx = (o if n_out == n_in else o >> 1 if n_out == 2 * n_in
                   else min(int(np.floor(np.float32(o) * s)), n_in - 1))
            M[o, idx] = 1.0
        return M
    if align:
        s = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        s = 1.0 / scale if scale else n_in / n_out
    for o in range(n_out):
        r = s * o if align else s * (o + 0.5) - 0.5
        if mode == "bilinear":
            r = max(r, 0.0)
            i0 = int(r)
            i1 = i0 + (1 if i0 < n_in - 1 else 0)
            lam = min(max(r - i0, 0.0), 1.0)
            M[o, i0] += 1 - lam
            M[o, i1] += lam
        else:  # bicubic, A = -0.75, taps clamped to the edge
            i = min(int(np.floor(r)), n_in - 1)
            t = min(max(r - i, 0.0), 1.0)
            for j, c in enumerate((_cubic2(t + 1), _cubic1(t), _cubic1(1 - t), _cubic2(2 - t))):
                M[o, min(max(i - 1 + j, 0), n_in - 1)] += c
    return M


def _np_aa_filter(mode, x):
    """PIL's filters of the antialiased modes: the triangle, Keys' cubic with a = -0.5, Lanczos-3."""
    x = abs(x)
    if mode == "bilinear":
        return max(0.0, 1.0 - x)
    if mode == "bicubic":
        return _cubic1(x, -0.5) if x < 1 else _cubic2(x, -0.5) if x < 2 else 0.0
    return float(np.sinc(x) * np.sinc(x / 3)) if x < 3 else 0.0


def _np_aa_matrix(mode, n_in, n_out, align, scale):
    """(n_out, n_in) weights of one antialiased axis: output o centred at s * (o + 0.5) reads the inputs whose centres
    lie within the filter's support, widened (and the filter stretched) by s when downscaling, normalised to sum 1;
    an axis that keeps its size is the identity (PyTorch does not resample it)."""
    if n_in == n_out:
        return np.eye(n_out)
    if align:
        s = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        s = 1.0 / scale if scale else n_in / n_out
    half = {"bilinear": 1.0, "bicubic": 2.0, "lanczos": 3.0}[mode]
    support, stretch = (half * s, 1.0 / s) if s >= 1 else (half, 1.0)
    M = np.zeros((n_out, n_in))
    for o in range(n_out):
        c = s * (o + 0.5)
        lo, hi = max(int(c - support + 0.5), 0), min(int(c + support + 0.5), n_in)
        w = np.array([_np_aa_filter(mode, (j - c + 0.5) * stretch) for j in range(lo, hi)])
        M[o, lo:hi] = w / w.sum() if w.sum() != 0 else w
    return M


def _np_unpool(x):
    N, C, H, W = x.shape
    y = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(0, H - 1, 2):
                for j in range(0, W - 1, 2):
                    w = x[n, c, i:i + 2, j:j + 2]
                    a, b = np.unravel_index(np.argmax(w), (2, 2))
                    y[n, c, i + a, j + b] = w[a, b]
    return y


def _np_tanh_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    return np.tanh(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh)


def _np_relu_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    return np.maximum(x @ w_ih.T + b_ih + h @ w_hh.T + b_hh, 0.0)


def _np_lstm_cell(x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    a = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = np.split(a, 4, axis=-1)  # PyTorch's gate order
    i, f, g, o = _np_sigmoid(i), _np_sigmoid(f), np.tanh(g), _np_sigmoid(o)
    c2 = f * c + i * g
    h2 = o * np.tanh(c2)
    return (h2 if w_hr is None else h2 @ w_hr.T), c2


def _np_gru_cell(x, h, w_ih, w_hh, b_ih, b_hh):
    xr, xz, xn = np.split(x @ w_ih.T + b_ih, 3, axis=-1)
    hr, hz, hn = np.split(h @ w_hh.T + b_hh, 3, axis=-1)
    r, z = _np_sigmoid(xr + hr), _np_sigmoid(xz + hz)
    n = np.tanh(xn + r * hn)
    return (1 - z) * n + z * h


def _np_layer(mode, x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr=None, reverse=False):
    outs = [None] * x.shape[0]
    for t in (range(x.shape[0] - 1, -1, -1) if reverse else range(x.shape[0])):
        if mode == "LSTM":
            h, c = _np_lstm_cell(x[t], h, c, w_ih, w_hh, b_ih, b_hh, w_hr)
        else:
            h = {"RNN_TANH": _np_tanh_cell, "RNN_RELU": _np_relu_cell, "GRU": _np_gru_cell}[mode](
                x[t], h, w_ih, w_hh, b_ih, b_hh)
        outs[t] = h
    return (np.stack(outs), h, c) if mode == "LSTM" else (np.stack(outs), h)


def _np_layer_ref(mode, reverse=False, proj=False):
    def ref(x, h, *rest):
        c = rest[0] if mode == "LSTM" else None
        w = list(rest[1:] if mode == "LSTM" else rest)
        return _np_layer(mode, x, h, c, *w[:4], w_hr=w[4] if proj else None, reverse=reverse)
    return ref


def _np_sdpa(q, k, v, mask=None, causal=False, scale=None, gqa=False):
    """softmax(scale q k^T + mask) v; a row whose keys are all masked gives 0 (PyTorch's rule)."""
    if gqa and q.ndim >= 3 and q.shape[-3] != k.shape[-3]:
        rep = q.shape[-3] // k.shape[-3]
        k, v = np.repeat(k, rep, axis=-3), np.repeat(v, rep, axis=-3)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    s = (q.astype(np.float64) @ np.swapaxes(k, -1, -2).astype(np.float64)) * scale
    if causal:
        mask = np.tril(np.ones(s.shape[-2:], bool))
    if mask is not None:
        s = np.where(mask, s, -np.inf) if mask.dtype == bool else s + mask
    dead = np.all(np.isneginf(s), axis=-1, keepdims=True)
    a = np.where(dead, 0.0, _np_softmax(np.where(dead, 0.0, s), -1))
    return (a @ v.astype(np.float64)).astype(q.dtype)

# ---- distances and the composite losses (tests/op_specs.py, section "distances and more losses") ----

def _np_norm(d, p, axis, keepdims=False):
    a = np.abs(d)
    if p == np.inf:
        return a.max(axis, keepdims=keepdims)
    if p == -np.inf:
        return a.min(axis, keepdims=keepdims)
    if p == 0:
        return (a != 0).sum(axis, keepdims=keepdims).astype(d.dtype)
    return (a ** p).sum(axis, keepdims=keepdims) ** (1.0 / p)


def _np_cosine_similarity(x1, x2, dim=1, eps=1e-8):
    x1, x2 = np.broadcast_arrays(x1, x2)
    n1 = np.maximum(_np_norm(x1, 2, dim, True), eps)
    n2 = np.maximum(_np_norm(x2, 2, dim, True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def _np_pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    d = x1 - x2 + eps
    return _np_norm(d, p, -1 if d.ndim else None, keepdim)


def _np_normalize(x, p=2.0, dim=1, eps=1e-12):
    return x / np.maximum(_np_norm(x, p, dim, True), eps)


def _np_bilinear(x1, x2, w, b=None):
    y = np.einsum("...i,oij,...j->...o", x1, w, x2)
    return y if b is None else y + b


def _np_kl_div(x, t, reduction="mean", log_target=False):
    if log_target:
        l = np.exp(t) * (t - x)
    else:
        l = np.where(t > 0, t * np.log(np.where(t > 0, t, 1.0)), 0.0) - t * x
    if reduction == "batchmean":
        return l.sum() / x.shape[0]
    return _reduce(l, reduction)


def _np_poisson_nll(x, t, log_input=True, full=False, eps=1e-8, reduction="mean"):
    l = np.exp(x) - t * x if log_input else x - t * np.log(x + eps)
    if full:
        safe = np.where(t > 1, t, 2.0)
        l = l + np.where(t > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe), 0.0)
    return _reduce(l, reduction)


def _np_gaussian_nll(x, t, v, full=False, eps=1e-6, reduction="mean"):
    if v.shape != x.shape and v.shape == x.shape[:-1]:
        v = v[..., None]
    v = np.maximum(v, eps)
    l = 0.5 * (np.log(v) + (x - t) ** 2 / v) + (0.5 * np.log(2 * np.pi) if full else 0.0)
    return _reduce(l, reduction)


def _np_cosine_embedding(x1, x2, y, margin=0.0, reduction="mean"):
    ax = y.ndim
    cos = (x1 * x2).sum(ax) / np.sqrt(((x1 * x1).sum(ax) + 1e-12) * ((x2 * x2).sum(ax) + 1e-12))
    l = np.where(y == 1, 1 - cos, 0.0) + np.where(y == -1, np.maximum(cos - margin, 0.0), 0.0)
    return _reduce(l, reduction)


def _np_hinge_embedding(x, y, margin=1.0, reduction="mean"):
    l = np.where(y != 1, np.maximum(margin - x, 0.0), 0.0) + np.where(y != -1, x, 0.0)
    return _reduce(l, reduction)


def _np_margin_ranking(x1, x2, y, margin=0.0, reduction="mean"):
    return _reduce(np.maximum(-y * (x1 - x2) + margin, 0.0), reduction)


def _np_triplet(a, p, n, margin=1.0, norm=2.0, eps=1e-6, swap=False, reduction="mean"):
    d_pos, d_neg = _np_pairwise_distance(a, p, norm, eps), _np_pairwise_distance(a, n, norm, eps)
    if swap:
        d_neg = np.minimum(d_neg, _np_pairwise_distance(p, n, norm, eps))
    return _reduce(np.maximum(margin + d_pos - d_neg, 0.0), reduction)


def _np_soft_margin(x, y, reduction="mean"):
    return _reduce(np.log1p(np.exp(-y * x)), reduction)


def _np_multilabel_soft_margin(x, y, w=None, reduction="mean"):
    logsig = lambda z: -np.log1p(np.exp(-z))  # noqa: E731
    l = -(y * logsig(x) + (1 - y) * logsig(-x))
    if w is not None:
        l = l * w
    return _reduce(l.mean(-1), reduction)


def _np_multi_margin(x, t, p=1, margin=1.0, w=None, reduction="mean"):
    x2 = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    tt = t.reshape(-1)
    l = np.zeros(x2.shape[0])
    for i in range(x2.shape[0]):
        y = tt[i]
        for j in range(x2.shape[1]):
            if j != y:
                z = max(0.0, margin - x2[i, y] + x2[i, j]) ** p
                l[i] += z * (w[y] if w is not None else 1.0)
    l = l / x2.shape[1]
    return _reduce(l.reshape(t.shape) if x.ndim <= 1 else l, reduction)


def _np_erf(x):
    import math
    return np.vectorize(math.erf)(x.astype(np.float64)).astype(x.dtype)


def _np_erfinv(y):
    """By Newton's method on math.erf from 0 (monotone, converges on (-1, 1))."""
    import math
    erf = np.vectorize(math.erf)
    z, x = y.astype(np.float64), np.zeros(y.shape)
    for _ in range(60):
        x = x - (erf(x) - z) / (2.0 / math.sqrt(math.pi) * np.exp(-x * x))
    return x.astype(y.dtype)
