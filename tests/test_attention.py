"""F.scaled_dot_product_attention beyond its op_specs entries: float32 parity with PyTorch on shapes
that span several of the kernel's 64-row blocks, strided inputs, rows with no visible key, dropout
(statistics, the same mask in forward and backward), errors with PyTorch's types and messages."""
import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, requires_torch, torch
from numpy_ref import _np_sdpa


def _qkv(rng, q_shape, k_shape, v_shape, dtype=np.float32):
    return [rng.standard_normal(s).astype(dtype) for s in (q_shape, k_shape, v_shape)]


@requires_torch
@pytest.mark.parametrize("L,S,E,Ev,causal", [(64, 64, 32, 32, True), (130, 70, 16, 24, True), (70, 200, 64, 8, True),
                                             (129, 129, 40, 40, False), (1, 300, 8, 8, True)])
def test_float32_matches_pytorch_across_blocks(L, S, E, Ev, causal):
    import torch
    rng = np.random.default_rng(L + S)
    q, k, v = _qkv(rng, (2, 3, L, E), (2, 3, S, E), (2, 3, S, Ev))
    g = rng.standard_normal((2, 3, L, Ev)).astype(np.float32)
    res = []
    for lib, f in ((rb, F.scaled_dot_product_attention), (torch, torch.nn.functional.scaled_dot_product_attention)):
        ts = [lib.tensor(a, requires_grad=True) for a in (q, k, v)]
        out = f(*ts, is_causal=causal)
        out.backward(lib.tensor(g))
        res.append([out.detach().numpy()] + [t.grad.numpy() for t in ts])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=2e-5)


def test_strided_inputs_give_the_contiguous_result():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 9, 3, 3, 8)).astype(np.float32)  # (N, L, 3 projections, heads, E) as in MHA
    t = rb.tensor(x, requires_grad=True)
    q, k, v = (t[:, :, i].transpose(1, 2) for i in range(3))  # (N, heads, L, E), not contiguous
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    qn, kn, vn = (np.ascontiguousarray(x[:, :, i].transpose(0, 2, 1, 3)) for i in range(3))
    np.testing.assert_allclose(out.detach().numpy(), _np_sdpa(qn, kn, vn, causal=True), rtol=1e-5, atol=1e-6)
    out.sum().backward()
    assert t.grad.shape == x.shape and np.isfinite(t.grad.numpy()).all()


def test_row_without_visible_keys_is_zero_with_zero_gradient():
    rng = np.random.default_rng(1)
    q, k, v = (rb.tensor(a, requires_grad=True) for a in _qkv(rng, (4, 3), (5, 3), (5, 2)))
    mask = np.ones((4, 5), bool)
    mask[1] = False
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=rb.tensor(mask))
    assert np.all(out.detach().numpy()[1] == 0)
    out.sum().backward()
    assert np.all(q.grad.numpy()[1] == 0) and np.isfinite(k.grad.numpy()).all()
    fmask = np.zeros((4, 5), np.float32)
    fmask[2] = -np.inf
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=rb.tensor(fmask))
    assert np.all(out.detach().numpy()[2] == 0)


def test_dropout_keeps_the_expectation_and_uses_one_mask_for_forward_and_backward():
    rng = np.random.default_rng(2)
    q, k = rng.standard_normal((2, 64, 64, 8)).astype(np.float32) * 0, rng.standard_normal((2, 64, 64, 8))
    v = np.ones((2, 64, 64, 1), np.float32)  # out = the row sum of the kept weights / (1 - p); uniform weights
    rb.manual_seed(0)
    out = F.scaled_dot_product_attention(rb.tensor(q), rb.tensor(k.astype(np.float32)), rb.tensor(v), dropout_p=0.25)
    o = out.numpy()
    assert abs(o.mean() - 1.0) < 0.01  # E[kept / (1 - p)] = 1
    assert 0.05 < o.std() < 0.2  # each row averages 64 draws: std sqrt(p / (1 - p) / 64) = 0.072
    # Same seed, same mask: the gradient is the derivative of exactly the function evaluated.
    qd, kd, vd = _qkv(rng, (2, 6, 3), (2, 7, 3), (2, 7, 2), np.float64)

    def f(*t):
        rb.manual_seed(5)
        return F.scaled_dot_product_attention(*t, dropout_p=0.4)

    assert rb.autograd.gradcheck(f, tuple(rb.tensor(a, requires_grad=True) for a in (qd, kd, vd)))
    rb.manual_seed(5)
    a = F.scaled_dot_product_attention(*(rb.tensor(x) for x in (qd, kd, vd)), dropout_p=0.4).numpy()
    b = F.scaled_dot_product_attention(*(rb.tensor(x) for x in (qd, kd, vd)), dropout_p=0.4).numpy()
    assert not np.allclose(a, b)  # a new draw per call
    p1 = F.scaled_dot_product_attention(*(rb.tensor(x) for x in (qd, kd, vd)), dropout_p=1.0).numpy()
    assert np.all(p1 == 0)


@requires_torch
@pytest.mark.parametrize("args,kw", [
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"is_causal": True, "attn_mask": "bool"}),
    (((8,), (5, 8), (5, 6)), {}),
    (((2, 3, 4, 8), (2, 3, 5, 7), (2, 3, 5, 6)), {}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 6, 6)), {}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"attn_mask": (3, 5)}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"attn_mask": "int64"}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"dropout_p": 1.5}),
    (((2, 3, 4, 8), (2, 2, 5, 8), (2, 2, 5, 6)), {}),
    (((2, 3, 4, 8), (2, 2, 5, 8), (2, 2, 5, 6)), {"enable_gqa": True}),
    (((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 6)), {"dtypes": ("float32", "float64", "float32")}),
])
def test_errors_match_pytorch(args, kw):
    import torch
    kw = dict(kw)
    dtypes = kw.pop("dtypes", ("float32",) * 3)
    mask = kw.pop("attn_mask", None)
    errors = []
    for lib, f in ((rb, F.scaled_dot_product_attention), (torch, torch.nn.functional.scaled_dot_product_attention)):
        ts = [lib.zeros(*s, dtype=getattr(lib, d)) for s, d in zip(args, dtypes)]
        m = None
        if mask == "bool":
            m = lib.ones(4, 5, dtype=lib.bool)
        elif mask == "int64":
            m = lib.zeros(4, 5, dtype=lib.int64)
        elif mask is not None:
            m = lib.zeros(*mask)
        with pytest.raises(Exception) as e:
            f(*ts, attn_mask=m, **kw)
        errors.append(e)
    assert errors[0].type is errors[1].type
    # PyTorch's own words where they name the problem; where its message comes from inside matmul or
    # broadcasting ("batch2 tensor", "size of tensor a") ours names the inputs and shapes instead.
    theirs = str(errors[1].value)
    if "batch2" not in theirs and "size of tensor" not in theirs:
        assert theirs.split(",")[0].split(":")[0][:40] in str(errors[0].value)


def test_gqa_with_a_key_of_no_heads_raises():
    # PyTorch 2.13 dies of SIGFPE here (a division by the key's head count); ours names the shapes.
    q, k, v = rb.zeros(2, 4, 5, 4), rb.zeros(2, 0, 6, 4), rb.zeros(2, 2, 6, 3)
    with pytest.raises(RuntimeError, match=r"key \[2, 0, 6, 4\]"):
        F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("L", [0, 3])
def test_backward_with_no_keys(threads, L):
    """S = 0 keys: the backward makes no key-block tasks (with one thread it divided by the 0 blocks per task and
    died of SIGFPE, found by the fuzz round); q's gradient is zeros and k's and v's are empty, as torch's."""
    before = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        libs = (rb, torch) if HAVE_TORCH else (rb,)
        for lib in libs:
            q = lib.ones(L, 4, dtype=lib.float64, requires_grad=True)
            k = lib.ones(0, 4, dtype=lib.float64, requires_grad=True)
            v = lib.ones(0, 3, dtype=lib.float64, requires_grad=True)
            out = lib.nn.functional.scaled_dot_product_attention(q, k, v)
            assert tuple(out.shape) == (L, 3)
            out.backward(lib.ones(L, 3, dtype=lib.float64))
            assert q.grad.tolist() == [[0.0] * 4] * L
            assert tuple(k.grad.shape) == (0, 4) and tuple(v.grad.shape) == (0, 3)
    finally:
        rb.set_num_threads(before)


@requires_torch
@pytest.mark.parametrize("dtype,tol", [("float16", 2e-3), ("bfloat16", 1.6e-2)])
@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"attn_mask": "bool"}, {"attn_mask": "float32"},
                                {"attn_mask": "same"}, {"scale": 0.3}])
def test_half_inputs_run_in_float32_as_pytorch(dtype, tol, kw):
    # ATen's CPU kernels take float16/bfloat16 attention in float32 and round the output and each gradient once;
    # a float32 mask is accepted with a half query (validate_sdpa_input), one of q's dtype too.
    import torch
    rng = np.random.default_rng(7)
    q, k, v = _qkv(rng, (2, 2, 70, 16), (2, 2, 90, 16), (2, 2, 90, 8))
    g = rng.standard_normal((2, 2, 70, 8)).astype(np.float32)
    mask_np = {"bool": rng.random((70, 90)) < 0.8, "float32": rng.standard_normal((70, 90)).astype(np.float32),
               "same": rng.standard_normal((70, 90)).astype(np.float32)}.get(kw.get("attn_mask"))
    res = []
    for lib in (rb, torch):
        dt = getattr(lib, dtype)
        ts = [lib.tensor(a).to(dt).requires_grad_() for a in (q, k, v)]
        kws = dict(kw)
        if mask_np is not None:
            m = lib.tensor(mask_np)
            kws["attn_mask"] = m.to(dt) if kw["attn_mask"] == "same" else m
        out = lib.nn.functional.scaled_dot_product_attention(*ts, **kws)
        assert out.dtype == dt
        out.backward(lib.tensor(g).to(dt))
        assert all(t.grad.dtype == dt for t in ts)
        res.append([x.float().numpy() for x in [out.detach()] + [t.grad for t in ts]])
    for name, a, b in zip(("out", "dq", "dk", "dv"), *res):
        scale = max(np.abs(b).max(), 1.0)
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol * scale, err_msg=name)


def test_half_output_is_the_float32_result_rounded_once():
    # The float32 computation, then one rounding: not a float16 accumulation (which drifts over 300 keys).
    rng = np.random.default_rng(3)
    q, k, v = _qkv(rng, (1, 40, 32), (1, 300, 32), (1, 300, 16))
    half = [rb.tensor(a).half() for a in (q, k, v)]
    ref = F.scaled_dot_product_attention(*[t.float() for t in half]).half()
    out = F.scaled_dot_product_attention(*half)
    assert out.dtype == rb.float16
    np.testing.assert_array_equal(out.numpy(), ref.numpy())


def test_float64_query_takes_a_float32_mask():
    rng = np.random.default_rng(5)
    q, k, v = _qkv(rng, (2, 4, 8), (2, 6, 8), (2, 6, 3), np.float64)
    m = rng.standard_normal((4, 6)).astype(np.float32)
    out = F.scaled_dot_product_attention(rb.tensor(q), rb.tensor(k), rb.tensor(v), attn_mask=rb.tensor(m))
    np.testing.assert_allclose(out.numpy(), _np_sdpa(q, k, v, mask=m.astype(np.float64)), rtol=1e-12)
    with pytest.raises(RuntimeError, match="attn_mask.dtype: double and  query.dtype: c10::Half"):
        F.scaled_dot_product_attention(*[rb.tensor(a).half() for a in (q, k, v)], attn_mask=rb.tensor(m).double())


_INT_SHAPES = [((2, 3, 4), (2, 5, 4), (2, 5, 4)), ((3, 4), (5, 4), (5, 4)), ((2, 3, 4), (2, 0, 4), (2, 0, 4)),
               ((2, 0, 4), (2, 5, 4), (2, 5, 4)), ((2, 3, 0), (2, 5, 0), (2, 5, 4)), ((2, 3, 4), (2, 5, 4), (2, 5, 0)),
               ((2, 3, 4), (2, 5, 4), (5, 4)), ((1, 4, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4))]


@requires_torch
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"attn_mask": "bool"}, {"attn_mask": "same"},
                                {"attn_mask": "float32"}, {"attn_mask": "int16"}, {"enable_gqa": True}])
def test_integer_inputs_follow_pytorch(dtype, kw):
    # PyTorch 2.13 has no integer attention: it raises in its final matmul (float weights times an integer
    # value), or converting a boolean mask's -inf, except where the result is empty or there are no keys (zeros).
    import torch
    rng = np.random.default_rng(11)
    for shapes in _INT_SHAPES if kw.get("enable_gqa") else _INT_SHAPES[:-1]:
        arrays = [rng.integers(0, 3, s) for s in shapes]
        L, S = shapes[0][-2], shapes[1][-2]
        got = []
        for lib in (rb, torch):
            ts = [lib.tensor(a).to(getattr(lib, dtype)) for a in arrays]
            kws = dict(kw)
            m = kws.pop("attn_mask", None)
            if m is not None:
                mdt = {"bool": lib.bool, "same": getattr(lib, dtype), "float32": lib.float32, "int16": lib.int16}[m]
                kws["attn_mask"] = lib.ones(L, S, dtype=mdt)
            try:
                out = lib.nn.functional.scaled_dot_product_attention(*ts, **kws)
                got.append((str(out.dtype).split(".")[-1], tuple(out.shape), out.to(lib.int64).numpy().tolist()))
            except (RuntimeError, IndexError) as e:
                got.append(f"{type(e).__name__}: {e}")
        # ours may add the shapes after PyTorch's words
        assert got[0] == got[1] or (isinstance(got[1], str) and str(got[0]).startswith(got[1])), (shapes, got)
        if shapes == _INT_SHAPES[0]:
            assert isinstance(got[0], str)  # a result with keys to sum raises
        if shapes == _INT_SHAPES[2] and kw.get("attn_mask") != "int16":
            assert got[0][2] == np.zeros((2, 3, 4), np.int64).tolist()  # no keys: zeros
