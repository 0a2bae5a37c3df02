"""CTC loss forward + backward timed side by side with PyTorch in one process, with the same thread
count for both: ms per step (median of repeats, after warmup) and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/ctc_compare.py [--threads 2]

The issue's shape (T=50, N=16, C=20, S=10) with padded and with concatenated targets, and a speech-sized
one; lengths vary per sample as in real batches.
"""
import numpy as np

from compare import main as _main  # the timing harness (and the import of rosenblatt and torch)


def _case(T, N, C, S, concat):
    def make(lib):
        rng = np.random.default_rng(0)
        x = rng.standard_normal((T, N, C)).astype(np.float32)
        lp = lib.tensor(x - np.log(np.exp(x).sum(-1, keepdims=True)), requires_grad=True)
        tl = rng.integers(S // 2, S + 1, N)
        il = rng.integers(max(T * 3 // 4, 2 * S + 1), T + 1, N)
        tg = rng.integers(1, C, (N, S))
        tg = lib.tensor(np.concatenate([tg[b, :n] for b, n in enumerate(tl)]) if concat else tg)
        il, tl = lib.tensor(il), lib.tensor(tl)

        def step():
            lp.grad = None
            loss = lib.nn.functional.ctc_loss(lp, tg, il, tl)
            loss.backward()
            return loss

        return step

    return make


CASES = {
    "ctc": ("ctc_loss fwd+bwd, T=50 N=16 C=20 S=10, padded targets", _case(50, 16, 20, 10, False), 20, 200),
    "ctc_concat": ("ctc_loss fwd+bwd, T=50 N=16 C=20 S=10, concatenated targets", _case(50, 16, 20, 10, True),
                   20, 200),
    "ctc_large": ("ctc_loss fwd+bwd, T=200 N=32 C=30 S=40, padded targets", _case(200, 32, 30, 40, False), 5, 30),
}

if __name__ == "__main__":
    _main(cases=CASES, doc=__doc__)
