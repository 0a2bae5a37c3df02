"""nn.MultiheadAttention and the Transformer modules against PyTorch (state_dict keys, outputs and
gradients with the same weights, masks, errors), and a character-level GPT written as a PyTorch
script would be, trained by both libraries from the same weights on the same batches."""
import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch


def _load_torch_weights(tm, rm):
    assert list(tm.state_dict().keys()) == list(rm.state_dict().keys())
    rm.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


@requires_torch
@pytest.mark.parametrize("kw", [{}, {"batch_first": True}, {"add_bias_kv": True, "add_zero_attn": True},
                                {"kdim": 5, "vdim": 3}, {"bias": False}])
@pytest.mark.parametrize("need_weights", [True, False])
def test_multihead_attention_matches_pytorch(kw, need_weights):
    import torch
    torch.manual_seed(0)
    tm, rm = torch.nn.MultiheadAttention(8, 2, **kw), rb.nn.MultiheadAttention(8, 2, **kw)
    _load_torch_weights(tm, rm)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3, 8)).astype(np.float32)
    kx = rng.standard_normal((6, 3, kw.get("kdim", 8))).astype(np.float32)
    vx = rng.standard_normal((6, 3, kw.get("vdim", 8))).astype(np.float32)
    if kw.get("batch_first"):
        x, kx, vx = (np.ascontiguousarray(a.transpose(1, 0, 2)) for a in (x, kx, vx))
    kpm = np.zeros((3, 6), bool)
    kpm[1, 2] = True
    am = rng.standard_normal((4, 6)).astype(np.float32)
    outs = []
    for lib, m in ((rb, rm), (torch, tm)):
        o, w = m(lib.tensor(x), lib.tensor(kx), lib.tensor(vx), key_padding_mask=lib.tensor(kpm),
                 attn_mask=lib.tensor(am), need_weights=need_weights)
        o.sum().backward()
        outs.append([o.detach().numpy()] + ([] if w is None else [w.detach().numpy()])
                    + [p.grad.numpy() for _, p in sorted(m.named_parameters())])
    assert len(outs[0]) == len(outs[1])
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@requires_torch
def test_multihead_attention_self_attention_causal_hint_and_unbatched():
    import torch
    tm, rm = torch.nn.MultiheadAttention(12, 3, batch_first=True), rb.nn.MultiheadAttention(12, 3, batch_first=True)
    _load_torch_weights(tm, rm)
    x = np.random.default_rng(1).standard_normal((2, 5, 12)).astype(np.float32)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5).numpy()
    res = []
    for lib, m in ((rb, rm), (torch, tm)):
        t = lib.tensor(x)
        causal = m(t, t, t, attn_mask=lib.tensor(mask), is_causal=True, need_weights=False)[0]
        unbatched, w = m(t[0], t[0], t[0], average_attn_weights=False)
        res.append([causal.detach().numpy(), unbatched.detach().numpy(), w.detach().numpy()])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_multihead_attention_errors():
    with pytest.raises(AssertionError, match="divisible"):
        rb.nn.MultiheadAttention(10, 3)
    m = rb.nn.MultiheadAttention(8, 2)
    x = rb.randn(4, 3, 8)
    with pytest.raises(RuntimeError, match="Need attn_mask"):
        m(x, x, x, is_causal=True)
    with pytest.raises(RuntimeError, match=r"2D attn_mask is .*should be \(4, 4\)"):
        m(x, x, x, attn_mask=rb.zeros(4, 5))
    with pytest.raises(AssertionError, match="embedding dimension of 8, but got 6"):
        m(rb.randn(4, 3, 6), x, x)


def test_square_subsequent_mask():
    m = rb.nn.Transformer.generate_square_subsequent_mask(4).numpy()
    assert m.dtype == np.float32
    np.testing.assert_array_equal(np.isneginf(m), np.triu(np.ones((4, 4), bool), 1))
    assert np.all(m[~np.isneginf(m)] == 0)


@requires_torch
@pytest.mark.parametrize("kw", [{}, {"norm_first": True, "activation": "gelu", "batch_first": True}])
def test_transformer_encoder_matches_pytorch(kw):
    import torch
    torch.manual_seed(1)
    tl, rl = (lib.nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, **kw) for lib in (torch, rb))
    te, re = torch.nn.TransformerEncoder(tl, 2, enable_nested_tensor=False), rb.nn.TransformerEncoder(rl, 2)
    _load_torch_weights(te, re)
    x = np.random.default_rng(2).standard_normal((5, 3, 16)).astype(np.float32)
    if kw.get("batch_first"):
        x = np.ascontiguousarray(x.transpose(1, 0, 2))
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5).numpy()
    res = []
    for lib, m in ((rb, re), (torch, te)):
        out = m(lib.tensor(x), mask=lib.tensor(mask))  # the causal mask detected, as PyTorch does
        out.square().sum().backward()
        res.append([out.detach().numpy()] + [p.grad.numpy() for _, p in sorted(m.named_parameters())])
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


@requires_torch
def test_transformer_matches_pytorch():
    import torch
    torch.manual_seed(2)
    tt = torch.nn.Transformer(16, 4, 2, 2, 32, dropout=0.0)
    rt = rb.nn.Transformer(16, 4, 2, 2, 32, dropout=0.0)
    _load_torch_weights(tt, rt)
    rng = np.random.default_rng(3)
    src, tgt = rng.standard_normal((7, 2, 16)).astype(np.float32), rng.standard_normal((5, 2, 16)).astype(np.float32)
    kpm = np.zeros((2, 7), bool)
    kpm[0, -2:] = True
    outs = [m(lib.tensor(src), lib.tensor(tgt), tgt_mask=m.generate_square_subsequent_mask(5),
              src_key_padding_mask=lib.tensor(kpm), memory_key_padding_mask=lib.tensor(kpm)).detach().numpy()
            for lib, m in ((rb, rt), (torch, tt))]
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-4, atol=1e-5)


# ---- a character-level GPT, as PyTorch scripts write one -------------------------------------------------


def _text(n_chars, seed=0):
    rng = np.random.default_rng(seed)
    words = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "to", "red", "big", "ball"]
    out = []
    while sum(len(w) + 1 for w in out) < n_chars:
        out += [words[rng.integers(0, 2) * 4 + rng.integers(0, 4)], words[4 + rng.integers(0, 8)]]
    return " ".join(out)[:n_chars]


def _gpt(lib, vocab, ctx, d=32, heads=4, layers=2):
    nn = lib.nn

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(vocab, d)
            self.pos = nn.Embedding(ctx, d)
            layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, activation="gelu", batch_first=True,
                                               norm_first=True)
            self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
            self.ln = nn.LayerNorm(d)
            self.head = nn.Linear(d, vocab)

        def forward(self, idx):
            t = idx.shape[1]
            x = self.tok(idx) + self.pos(lib.arange(t))
            mask = nn.Transformer.generate_square_subsequent_mask(t)
            return self.head(self.ln(self.blocks(x, mask=mask, is_causal=True)))

    return GPT()


@requires_torch
def test_char_gpt_trains_like_pytorch():
    import torch
    text = _text(4000)
    chars = sorted(set(text))
    data = np.array([chars.index(c) for c in text], np.int64)
    V, T, B, steps = len(chars), 32, 16, 120
    torch.manual_seed(0)
    tm, rm = _gpt(torch, V, T), _gpt(rb, V, T)
    _load_torch_weights(tm, rm)
    rng = np.random.default_rng(0)
    starts = rng.integers(0, len(data) - T - 1, size=(steps, B))
    losses = {}
    for lib, m in ((rb, rm), (torch, tm)):
        opt = lib.optim.AdamW(m.parameters(), lr=3e-3)
        hist = []
        for s in range(steps):
            x = lib.tensor(np.stack([data[i:i + T] for i in starts[s]]))
            y = lib.tensor(np.stack([data[i + 1:i + T + 1] for i in starts[s]]))
            loss = lib.nn.functional.cross_entropy(m(x).reshape(B * T, V), y.reshape(B * T))
            opt.zero_grad()
            loss.backward()
            opt.step()
            hist.append(loss.item())
        losses[lib.__name__] = np.mean(hist[-10:])
    start = np.log(V)
    assert losses["rosenblatt"] < 0.5 * start  # it learned the text's structure
    assert abs(losses["rosenblatt"] - losses["torch"]) <= 0.05 * losses["torch"], losses
