"""The sequence-model layers one by one, forward + backward (LayerNorm, Embedding, GELU, causal
scaled_dot_product_attention), rosenblatt against PyTorch with the same thread count in one run:
median ms per case and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/seq_layers.py [threads]

The shapes are a small GPT's (batch 16, context 64, width 128, 4 heads; vocabulary 65) and a wider one.
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
rng = np.random.default_rng(0)


def layer_norm(lib, shape):
    m = lib.nn.LayerNorm(shape[-1])
    x = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    return lambda: m(x), x


def embedding(lib, shape):
    vocab, dim = shape[2], shape[3]
    m = lib.nn.Embedding(vocab, dim)
    idx = lib.tensor(rng.integers(0, vocab, size=shape[:2]))
    return lambda: m(idx), None


def gelu(lib, shape):
    x = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    return lambda: lib.nn.functional.gelu(x), x


def sdpa(lib, shape):
    q = lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
    k, v = (lib.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True) for _ in range(2))
    return lambda: lib.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True), q


CASES = [("LayerNorm(128), 16x64x128", layer_norm, (16, 64, 128)),
         ("LayerNorm(1024), 16x64x1024", layer_norm, (16, 64, 1024)),
         ("Embedding(65, 128), 16x64", embedding, (16, 64, 65, 128)),
         ("Embedding(50257, 768), 8x128", embedding, (8, 128, 50257, 768)),
         ("GELU, 16x64x512", gelu, (16, 64, 512)),
         ("SDPA causal, 16x4x64x32", sdpa, (16, 4, 64, 32)),
         ("SDPA causal, 4x8x256x64", sdpa, (4, 8, 256, 64))]

for title, make, shape in CASES:
    res = {}
    for name, lib in (("rb", rb), ("torch", torch)):
        fwd, x = make(lib, shape)
        y0 = fwd()
        g = lib.ones(*y0.shape)

        def step(fwd=fwd, g=g, x=x):
            y = fwd()
            y.backward(g)
            if x is not None:
                x.grad = None
        for _ in range(5):
            step()
        ts = []
        for _ in range(30):
            t0 = time.perf_counter()
            step()
            ts.append(time.perf_counter() - t0)
        res[name] = statistics.median(ts) * 1e3
    ratio = res["torch"] / res["rb"]
    print(f"{title:<32} rb {res['rb']:8.3f} ms   torch {res['torch']:8.3f} ms   torch/rb {ratio:.2f}x")
