"""A small GPT's training step (nanoGPT's model: pre-norm blocks of causal self-attention through
F.scaled_dot_product_attention and a GELU MLP; 4 layers, 4 heads, width 128, context 64, batch 16,
vocabulary 65; AdamW), rosenblatt against PyTorch from the same weights, in one run with the same
thread count: median ms per step and the ratio torch/ours. Also nn.TransformerEncoderLayer stacks.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/gpt_compare.py [threads]
"""
import glob
import os
import statistics
import sys
import time

import numpy as np
import torch

_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python")
if glob.glob(os.path.join(_SRC, "rosenblatt", "_C*.so")):
    sys.path.insert(0, _SRC)
import rosenblatt as rb  # noqa: E402

nt = int(sys.argv[1]) if len(sys.argv) > 1 else 2
rb.set_num_threads(nt)
torch.set_num_threads(nt)
V, T, B, D, H, LAYERS = 65, 64, 16, 128, 4, 4


def gpt(lib):
    nn, F = lib.nn, lib.nn.functional

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1, self.ln_2 = nn.LayerNorm(D), nn.LayerNorm(D)
            self.c_attn, self.c_proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
            self.fc, self.proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.c_attn(self.ln_1(x)).split(D, dim=2)
            q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))
            return x + self.proj(F.gelu(self.fc(self.ln_2(x))))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
            self.h = nn.ModuleList([Block() for _ in range(LAYERS)])
            self.ln_f, self.head = nn.LayerNorm(D), nn.Linear(D, V, bias=False)

        def forward(self, idx):
            x = self.wte(idx) + self.wpe(lib.arange(idx.shape[1]))
            for blk in self.h:
                x = blk(x)
            return self.head(self.ln_f(x))

    return GPT()


def encoder(lib):
    nn = lib.nn

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Embedding(V, D)
            layer = nn.TransformerEncoderLayer(D, H, 4 * D, dropout=0.0, activation="gelu", batch_first=True,
                                               norm_first=True)
            self.enc = nn.TransformerEncoder(layer, LAYERS, enable_nested_tensor=False)
            self.head = nn.Linear(D, V)

        def forward(self, idx):
            mask = nn.Transformer.generate_square_subsequent_mask(idx.shape[1])
            return self.head(self.enc(self.wte(idx), mask=mask, is_causal=True))

    return Enc()


def measure(make, title):
    rng = np.random.default_rng(0)
    data = rng.integers(0, V, size=(B, T + 1))
    torch.manual_seed(0)
    tm, rm = make(torch), make(rb)
    rm.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    res = {}
    for name, lib, m in (("rb", rb, rm), ("torch", torch, tm)):
        opt = lib.optim.AdamW(m.parameters(), lr=1e-3)
        x, y = lib.tensor(data[:, :-1]), lib.tensor(data[:, 1:].reshape(-1))

        def step(m=m, opt=opt, x=x, y=y, lib=lib):
            loss = lib.nn.functional.cross_entropy(m(x).reshape(B * T, V), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        for _ in range(3):
            step()
        ts = []
        for _ in range(15):
            t0 = time.perf_counter()
            step()
            ts.append(time.perf_counter() - t0)
        res[name] = statistics.median(ts) * 1e3
    ratio = res["torch"] / res["rb"]
    print(f"{title:<46} rb {res['rb']:8.2f} ms   torch {res['torch']:8.2f} ms   torch/rb {ratio:.2f}x")


print(f"threads {nt}, rosenblatt capability {rb.backends.cpu.get_cpu_capability()}, torch {torch.__version__}")
measure(gpt, f"GPT step ({LAYERS}L {H}H {D}w, ctx {T}, batch {B}), AdamW")
measure(encoder, f"TransformerEncoder step ({LAYERS}L {H}H {D}w), AdamW")
