"""A small GPT's training step (nanoGPT's model: pre-norm blocks of causal self-attention through
F.scaled_dot_product_attention and a GELU MLP; 4 layers, 4 heads, width 128, context 64, batch 16,
vocabulary 65; AdamW) and an nn.TransformerEncoder stack of the same size, rosenblatt against
PyTorch from the same weights, on compare.py's harness (same run, same thread count, alternating).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/gpt_compare.py [--threads 2] [CASE ...]
"""
import numpy as np

from compare import main as _main  # the timing harness (and the import of rosenblatt and torch)
from compare import rb, torch

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


_INIT = {}  # each model's PyTorch initial state_dict, which the rosenblatt copy loads


def _case(build):
    def make(lib):
        if lib is torch:
            torch.manual_seed(0)
        m = build(lib)
        if lib is torch:
            _INIT[build] = {k: v.detach().numpy().copy() for k, v in m.state_dict().items()}
        else:
            m.load_state_dict({k: rb.tensor(v) for k, v in _INIT[build].items()})
        data = np.random.default_rng(0).integers(0, V, size=(B, T + 1))
        x, y = lib.tensor(data[:, :-1]), lib.tensor(data[:, 1:].reshape(-1))
        opt = lib.optim.AdamW(m.parameters(), lr=1e-3)

        def step():
            loss = lib.nn.functional.cross_entropy(m(x).reshape(B * T, V), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss
        return step
    return make


CASES = {
    "gpt": (f"GPT step ({LAYERS} layers, {H} heads, width {D}, context {T}, batch {B}), AdamW", _case(gpt), 3, 5),
    "encoder": (f"nn.TransformerEncoder step ({LAYERS} layers, {H} heads, width {D}), AdamW", _case(encoder), 3, 5),
}

if __name__ == "__main__":
    _main(cases=CASES, doc=__doc__)
