"""NumPy references of the tensor toolbox and linear-algebra entries of tests/op_specs.py (indexing,
search, order statistics, distances, block and matrix helpers): each computes in float64 what an op
should return, independently of the library."""
import math

import numpy as np


def _np_diag_embed(a, offset=0, dim1=-2, dim2=-1):
    n = a.shape[-1] + abs(offset)
    out = np.zeros(a.shape[:-1] + (n, n), a.dtype)
    k = np.arange(a.shape[-1])
    out[..., k + max(-offset, 0), k + max(offset, 0)] = a
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


def _np_index_copy(a, dim, i, b):
    out = np.moveaxis(a.copy(), dim, 0)
    out[i] = np.moveaxis(b, dim, 0)
    return np.moveaxis(out, 0, dim)


def _np_index_fill(a, dim, i, v):
    out = np.moveaxis(a.copy(), dim, 0)
    out[i] = v
    return np.moveaxis(out, 0, dim)


def _np_searchsorted(seq, v, side="left"):
    if seq.ndim == 1:
        return np.searchsorted(seq, v, side=side).astype(np.int64)
    return np.stack([np.searchsorted(s, w, side=side) for s, w in zip(seq, v)]).astype(np.int64)


def _np_unique_dim(x, dim):
    vals, inv, cnt = np.unique(x, axis=dim, return_inverse=True, return_counts=True)
    return vals, inv.reshape(-1), cnt


def _np_unique_consecutive(x):
    starts = np.concatenate([[True], x[1:] != x[:-1]])
    inv = np.cumsum(starts) - 1
    return x[starts], inv, np.bincount(inv)


def _np_scatter_reduce(x, index, src, reduce, include_self=True, dim=1):
    out = x.copy()
    groups = {}
    for p in np.ndindex(index.shape):
        q = list(p)
        q[dim] = index[p]
        groups.setdefault(tuple(q), []).append(src[p])
    fns = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "amax": np.max, "amin": np.min}
    for q, vals in groups.items():
        vals = ([x[q]] if include_self else []) + vals
        out[q] = fns[reduce](vals)
    return out


def _np_lower_median(a, axis):
    n = a.shape[axis]
    idx = np.take(np.argsort(a, axis, kind="stable"), [(n - 1) // 2], axis)
    return np.take_along_axis(a, idx, axis).squeeze(axis), idx.squeeze(axis)


def _np_cum_extreme(a, axis, is_min):
    a = np.moveaxis(a, axis, -1)
    vals, idx = np.empty_like(a), np.zeros(a.shape, np.int64)
    for p in np.ndindex(a.shape[:-1]):
        best, at = a[p][0], 0
        for r, v in enumerate(a[p]):
            if (v <= best) if is_min else (v >= best):
                best, at = v, r
            vals[p + (r,)], idx[p + (r,)] = best, at
    return np.moveaxis(vals, -1, axis), np.moveaxis(idx, -1, axis)


def _np_mode_values(a):
    out = []
    for row in a:
        vals, cnt = np.unique(row, return_counts=True)
        out.append(vals[np.argmax(cnt)])
    return np.array(out)


def _np_vnorm(a, p=2.0, axis=None, keepdims=False):
    if p == math.inf:
        return np.abs(a).max(axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return np.abs(a).min(axis=axis, keepdims=keepdims)
    if p == 0:
        return (a != 0).sum(axis=axis, keepdims=keepdims).astype(a.dtype)
    return (np.abs(a) ** p).sum(axis=axis, keepdims=keepdims) ** (1.0 / p)


def _np_cdist(a, b, p=2.0):
    return _np_vnorm(a[..., :, None, :] - b[..., None, :, :], p, axis=-1)


def _np_xlogy(a, b):
    return np.where(a == 0, 0.0, a * np.log(np.where(a == 0, 1.0, b)))


def _np_block_diag(*ms):
    ms = [np.atleast_2d(m) for m in ms]
    out = np.zeros((sum(m.shape[0] for m in ms), sum(m.shape[1] for m in ms)), dtype=np.result_type(*ms))
    r = c = 0
    for m in ms:
        out[r:r + m.shape[0], c:c + m.shape[1]] = m
        r, c = r + m.shape[0], c + m.shape[1]
    return out


def _np_mT(x):
    return np.swapaxes(x, -1, -2)


def _np_spd(a):
    return a @ _np_mT(a) + 3 * np.eye(a.shape[-1])


def _np_solve_right(a, b):
    return _np_mT(np.linalg.solve(_np_mT(a), _np_mT(b)))


def _np_svd_inv(a, full):
    U, S, Vh = np.linalg.svd(a, full_matrices=False)
    return S, U @ Vh, np.abs(U), np.abs(Vh)


def _np_eigh_inv(a, uplo):
    s = (a + _np_mT(a)) / 2
    w, v = np.linalg.eigh(s)
    return w, np.abs(v), s
