"""numpy references of the 3-D convolution and pooling ops (tests/op_specs.py's 3-D entries): direct
definitions over every output position and kernel tap, for the tiny shapes the specs use."""
import itertools

import numpy as np

from numpy_ref import _np_pool_out


def _triple(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v, v)


def np_conv3d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Sum over the kernel taps of a strided slice of the padded input contracted with that tap's weights."""
    unbatched = x.ndim == 4
    if unbatched:
        x = x[None]
    s, d, k = _triple(stride), _triple(dilation), w.shape[2:]
    if padding == "valid":
        pads = [(0, 0)] * 3
    elif padding == "same":  # the odd padding goes back/bottom/right, as PyTorch
        pads = [(t // 2, t - t // 2) for t in (d[i] * (k[i] - 1) for i in range(3))]
    else:
        pads = [(p, p) for p in _triple(padding)]
    xp = np.pad(x, [(0, 0), (0, 0)] + pads)
    N, C = xp.shape[:2]
    OC, Cg, OCg = w.shape[0], C // groups, w.shape[0] // groups
    out = [(xp.shape[2 + i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(3)]
    y = np.zeros((N, OC, *out), dtype=np.float64)
    for g in range(groups):
        for t in itertools.product(*(range(n) for n in k)):
            sl = tuple(slice(t[i] * d[i], t[i] * d[i] + s[i] * (out[i] - 1) + 1, s[i]) for i in range(3))
            xs = xp[(slice(None), slice(g * Cg, (g + 1) * Cg)) + sl]
            wt = w[(slice(g * OCg, (g + 1) * OCg), slice(None)) + t]
            y[:, g * OCg:(g + 1) * OCg] += np.einsum("ncdhw,oc->nodhw", xs, wt)
    if b is not None:
        y += b[None, :, None, None, None]
    y = y.astype(x.dtype)
    return y[0] if unbatched else y


def np_conv_transpose3d(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Scatter form: each input voxel adds weight-scaled copies of the kernel into the output."""
    unbatched = x.ndim == 4
    if unbatched:
        x = x[None]
    s, p, op, d = _triple(stride), _triple(padding), _triple(output_padding), _triple(dilation)
    N, C = x.shape[:2]
    sp, (OCg, *k) = x.shape[2:], w.shape[1:]
    Cg, OC = C // groups, OCg * groups
    full_shape = [(sp[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 + op[i] for i in range(3)]
    full = np.zeros((N, OC, *full_shape), dtype=np.float64)
    for g in range(groups):
        for t in itertools.product(*(range(n) for n in k)):
            c = np.einsum("ncdhw,co->nodhw", x[:, g * Cg:(g + 1) * Cg], w[g * Cg:(g + 1) * Cg, :, t[0], t[1], t[2]])
            sl = tuple(slice(t[i] * d[i], t[i] * d[i] + s[i] * (sp[i] - 1) + 1, s[i]) for i in range(3))
            full[(slice(None), slice(g * OCg, (g + 1) * OCg)) + sl] += c
    y = full[(slice(None), slice(None)) + tuple(slice(p[i], full_shape[i] - p[i]) for i in range(3))]
    if b is not None:
        y = y + b[None, :, None, None, None]
    y = y.astype(x.dtype)
    return y[0] if unbatched else y


def _pool3d(x, kernel_size, stride, padding, dilation, ceil_mode, reduce):
    """reduce(values, flat_positions, box) over each window; box = (clipped taps, taps with padding)."""
    k, s, p, d = _triple(kernel_size), _triple(stride or kernel_size), _triple(padding), _triple(dilation)
    sp = x.shape[-3:]
    out = [_np_pool_out(sp[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(3)]
    flat = x.reshape(x.shape[:-3] + (-1,))
    y = None
    for o in itertools.product(*(range(n) for n in out)):
        idx = [[o[i] * s[i] - p[i] + j * d[i] for j in range(k[i])] for i in range(3)]
        inside = [[v for v in idx[i] if 0 <= v < sp[i]] for i in range(3)]
        with_pad = [[v for v in idx[i] if v < sp[i] + p[i]] for i in range(3)]
        pos = [(a * sp[1] + b_) * sp[2] + c for a in inside[0] for b_ in inside[1] for c in inside[2]]
        r = reduce(flat[..., pos], np.array(pos), int(np.prod([len(v) for v in with_pad])))
        if y is None:
            y = np.zeros(x.shape[:-3] + tuple(out), dtype=r.dtype)
        y[(Ellipsis,) + o] = r
    return y


def np_max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    vals = _pool3d(x, kernel_size, stride, padding, dilation, ceil_mode, lambda v, pos, n: v.max(axis=-1))
    if not return_indices:
        return vals.astype(x.dtype)
    idx = _pool3d(x, kernel_size, stride, padding, dilation, ceil_mode, lambda v, pos, n: pos[v.argmax(axis=-1)])
    return vals.astype(x.dtype), idx.astype(np.int64)


def np_avg_pool3d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                  divisor_override=None):
    def mean(v, pos, n):
        div = divisor_override or (n if count_include_pad else v.shape[-1])
        return v.sum(axis=-1) / div
    return _pool3d(x, kernel_size, stride, padding, 1, ceil_mode, mean).astype(x.dtype)


def np_adaptive3d(x, out, reduce):
    sp, out = x.shape[-3:], _triple(out)
    y = np.empty(x.shape[:-3] + out, x.dtype)
    for o in itertools.product(*(range(n) for n in out)):
        sl = tuple(slice(o[i] * sp[i] // out[i], -(-(o[i] + 1) * sp[i] // out[i])) for i in range(3))
        y[(Ellipsis,) + o] = reduce(x[(Ellipsis,) + sl], axis=(-3, -2, -1))
    return y


def np_max_unpool3d(x):
    """max_pool3d(x, 2) then max_unpool3d(.., 2): each 2x2x2 block keeps its maximum only."""
    _, idx = np_max_pool3d(x, 2, return_indices=True)
    vals = np_max_pool3d(x, 2)
    y = np.zeros(x.shape[:-3] + (int(np.prod(x.shape[-3:])),), x.dtype)
    np.put_along_axis(y, idx.reshape(idx.shape[:-3] + (-1,)), vals.reshape(vals.shape[:-3] + (-1,)), axis=-1)
    return y.reshape(x.shape)
