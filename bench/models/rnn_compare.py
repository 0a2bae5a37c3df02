"""Recurrent training steps timed side by side with PyTorch in one process, with the same thread
count for both: ms per step (median of repeats, after warmup) and the ratio torch/ours.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/models/rnn_compare.py [--threads 2]
"""
import numpy as np

from compare import main as _main  # the timing harness (and the import of rosenblatt and torch)

T, B, I, H = 50, 32, 32, 256


def _data(lib):
    rng = np.random.default_rng(0)
    x = lib.from_numpy(rng.standard_normal((T, B, I), dtype=np.float32))
    y = lib.from_numpy(rng.standard_normal((B, 1), dtype=np.float32))
    return x, y


def _layer_case(lib, cls):
    """A recurrent layer over the sequence, the last output into Linear(H, 1), MSE, Adam lr 1e-3."""
    lib.manual_seed(0)
    x, y = _data(lib)
    rnn, head = cls(I, H), lib.nn.Linear(H, 1)
    loss_fn = lib.nn.MSELoss()
    opt = lib.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)

    def step():
        opt.zero_grad()
        out, _ = rnn(x)
        loss = loss_fn(head(out[-1]), y)
        loss.backward()
        opt.step()
        return loss

    return step


def lstm_case(lib):
    return _layer_case(lib, lib.nn.LSTM)


def gru_case(lib):
    return _layer_case(lib, lib.nn.GRU)


def lstmcell_case(lib):
    """An LSTMCell stepped from Python over the sequence (per-call overhead shows), then as above."""
    lib.manual_seed(0)
    x, y = _data(lib)
    xs = [x[t] for t in range(T)]
    cell, head = lib.nn.LSTMCell(I, H), lib.nn.Linear(H, 1)
    loss_fn = lib.nn.MSELoss()
    opt = lib.optim.Adam(list(cell.parameters()) + list(head.parameters()), lr=1e-3)

    def step():
        opt.zero_grad()
        h = c = lib.zeros(B, H)
        for xt in xs:
            h, c = cell(xt, (h, c))
        loss = loss_fn(head(h), y)
        loss.backward()
        opt.step()
        return loss

    return step


CASES = {
    "lstm": (f"nn.LSTM({I}, {H}), batch {B}, {T} steps, last output -> Linear({H}, 1), MSE, Adam", lstm_case, 5, 10),
    "gru": (f"nn.GRU({I}, {H}), batch {B}, {T} steps, last output -> Linear({H}, 1), MSE, Adam", gru_case, 5, 10),
    "lstmcell": (f"nn.LSTMCell({I}, {H}) stepped from Python, batch {B}, {T} steps, Linear, MSE, Adam",
                 lstmcell_case, 5, 10),
}


def main(argv=None):
    _main(argv, CASES, __doc__)


if __name__ == "__main__":
    main()
