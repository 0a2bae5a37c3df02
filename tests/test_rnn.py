"""Recurrent layers against PyTorch: cells and multi-layer RNN/LSTM/GRU over randomized configurations
after moving state_dicts both ways, packed sequences, truncated BPTT, bad input, and learning."""
import time

import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch
from rosenblatt import nn

rnn_utils = nn.utils.rnn


def _t(a, grad=False):
    t = rb.tensor(np.ascontiguousarray(a))
    return t.requires_grad_(True) if grad else t


def _tt(a, grad=False):
    import torch
    t = torch.tensor(np.ascontiguousarray(a))
    return t.requires_grad_(True) if grad else t


def _close(a, b, tol=2e-5):
    a = a.detach().numpy() if hasattr(a, "detach") else a.numpy()
    b = b.detach().numpy()
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, atol=tol, rtol=1e-4)


def _pair(kind, torch_first, **kw):
    """The same layer in both libraries, weights copied from the one made first through state_dict."""
    import torch
    if torch_first:
        theirs = getattr(torch.nn, kind)(**kw)
        ours = getattr(nn, kind)(**kw)
        ours.load_state_dict(theirs.state_dict())
    else:
        ours = getattr(nn, kind)(**kw)
        theirs = getattr(torch.nn, kind)(**kw)
        theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in ours.state_dict().items()})
    assert list(ours.state_dict().keys()) == list(theirs.state_dict().keys())
    for (k, a), b in zip(ours.state_dict().items(), theirs.state_dict().values()):
        assert tuple(a.shape) == tuple(b.shape), k
    return ours, theirs


def _backward_both(outs_r, outs_t, rng):
    import torch
    lr, lt = 0, 0
    for r, t in zip(outs_r, outs_t):
        w = rng.standard_normal(tuple(t.shape)).astype(np.float32)
        lr = lr + (r * _t(w)).sum()
        lt = lt + (t * torch.tensor(w)).sum()
    lr.backward()
    lt.backward()


def _check_grads(ours, theirs, tol=1e-4):
    for (k, p), q in zip(ours.named_parameters(), theirs.parameters()):
        assert p.grad is not None, k
        _close(p.grad, q.grad, tol)


CASES = []
_rng = np.random.default_rng(123)
for _kind in ("RNN", "LSTM", "GRU"):
    for _i in range(6):
        CASES.append((_kind, int(_rng.integers(1, 3)), bool(_rng.integers(0, 2)), bool(_rng.integers(0, 2)),
                      bool(_rng.integers(0, 2)), int(_rng.integers(0, 2)) if _kind == "LSTM" else 0,
                      bool(_rng.integers(0, 2)), _i))


@requires_torch
@pytest.mark.parametrize("kind,layers,bidir,batch_first,with_state,proj,bias,seed", CASES)
def test_layer_matches_torch(kind, layers, bidir, batch_first, with_state, proj, bias, seed):
    import torch
    rng = np.random.default_rng(seed)
    I, H, T, B = 4, 6, 5, 3
    kw = {"input_size": I, "hidden_size": H, "num_layers": layers, "bidirectional": bidir,
          "batch_first": batch_first, "bias": bias}
    if proj:
        kw["proj_size"] = 3
    if kind == "RNN" and seed % 2:
        kw["nonlinearity"] = "relu"
    torch.manual_seed(seed)
    ours, theirs = _pair(kind, seed % 2 == 0, **kw)
    x = rng.standard_normal((B, T, I) if batch_first else (T, B, I)).astype(np.float32)
    D, P = (2 if bidir else 1), (3 if proj else H)
    args_r, args_t = [], []
    if with_state:
        h0 = rng.standard_normal((layers * D, B, P)).astype(np.float32)
        if kind == "LSTM":
            c0 = rng.standard_normal((layers * D, B, H)).astype(np.float32)
            args_r.append((_t(h0, True), _t(c0, True)))
            args_t.append((_tt(h0, True), _tt(c0, True)))
        else:
            args_r.append(_t(h0, True))
            args_t.append(_tt(h0, True))
    xr, xt = _t(x, True), _tt(x, True)
    out_r, hid_r = ours(xr, *args_r)
    out_t, hid_t = theirs(xt, *args_t)
    flat_r = [out_r] + (list(hid_r) if kind == "LSTM" else [hid_r])
    flat_t = [out_t] + (list(hid_t) if kind == "LSTM" else [hid_t])
    for r, t in zip(flat_r, flat_t):
        _close(r, t)
    _backward_both(flat_r, flat_t, rng)
    _close(xr.grad, xt.grad, 1e-4)
    _check_grads(ours, theirs)
    if with_state:
        sr = args_r[0] if kind == "LSTM" else (args_r[0],)
        st = args_t[0] if kind == "LSTM" else (args_t[0],)
        for a, b in zip(sr, st):
            _close(a.grad, b.grad, 1e-4)


@requires_torch
@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_unbatched_input_matches_torch(kind):
    rng = np.random.default_rng(1)
    ours, theirs = _pair(kind, True, input_size=3, hidden_size=4, num_layers=2)
    x = rng.standard_normal((6, 3)).astype(np.float32)
    out_r, hid_r = ours(_t(x))
    out_t, hid_t = theirs(_tt(x))
    _close(out_r, out_t)
    assert tuple(out_r.shape) == (6, 4)
    for r, t in zip(hid_r if kind == "LSTM" else [hid_r], hid_t if kind == "LSTM" else [hid_t]):
        assert tuple(r.shape) == (2, 4)
        _close(r, t)


@requires_torch
@pytest.mark.parametrize("kind,bias,batched", [("RNNCell", True, True), ("RNNCell", False, False),
                                               ("LSTMCell", True, True), ("LSTMCell", True, False),
                                               ("GRUCell", True, True), ("GRUCell", False, False)])
def test_cells_match_torch(kind, bias, batched):
    rng = np.random.default_rng(2)
    ours, theirs = _pair(kind, batched, input_size=3, hidden_size=5, bias=bias)
    shape = (4, 3) if batched else (3,)
    hs = (4, 5) if batched else (5,)
    x = rng.standard_normal(shape).astype(np.float32)
    h = rng.standard_normal(hs).astype(np.float32)
    xr, xt, hr, ht = _t(x, True), _tt(x, True), _t(h, True), _tt(h, True)
    if kind == "LSTMCell":
        c = rng.standard_normal(hs).astype(np.float32)
        cr, ct = _t(c, True), _tt(c, True)
        outs_r, outs_t = list(ours(xr, (hr, cr))), list(theirs(xt, (ht, ct)))
    else:
        outs_r, outs_t = [ours(xr, hr)], [theirs(xt, ht)]
    for r, t in zip(outs_r, outs_t):
        _close(r, t)
    _backward_both(outs_r, outs_t, rng)
    _close(xr.grad, xt.grad)
    _close(hr.grad, ht.grad)
    _check_grads(ours, theirs)
    # without a state: zeros, as torch
    _close(ours(xr)[0] if kind == "LSTMCell" else ours(xr), theirs(xt)[0] if kind == "LSTMCell" else theirs(xt))


@pytest.mark.parametrize("kind,gates", [("RNNCell", 1), ("LSTMCell", 4), ("GRUCell", 3)])
@pytest.mark.parametrize("input_size,hidden_size,batch", [(0, 4, 3), (0, 4, 0), (3, 0, 2), (0, 0, 2)])
def test_cells_take_sizes_of_zero(kind, gates, input_size, hidden_size, batch):
    """A cell with input_size 0 has an empty input projection (the state and biases alone drive it), one with
    hidden_size 0 an empty state: torch's cells compute both (only the multi-layer modules refuse them, in
    their constructors). Values, gradients (finite differences in float64) and torch's results."""
    rng = np.random.default_rng(input_size * 10 + hidden_size + batch)
    m = getattr(nn, kind)(input_size, hidden_size, dtype=rb.float64)
    x = rng.standard_normal((batch, input_size))
    h = rng.standard_normal((batch, hidden_size))
    xr, hr = _t(x, True), _t(h, True)
    state = (hr, _t(h * 0.5)) if kind == "LSTMCell" else hr
    out = m(xr, state)
    out = out[0] + out[1] if kind == "LSTMCell" else out
    assert tuple(out.shape) == (batch, hidden_size)
    if input_size == 0 and kind == "GRUCell" and batch:
        # the input gates are the biases b_ih alone: h' = (1 - z) * n + z * h
        w_hh, b_ih, b_hh = (p.detach().numpy() for p in (m.weight_hh, m.bias_ih, m.bias_hh))
        gh = h @ w_hh.T + b_hh
        sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
        r, z = sig(b_ih[:hidden_size] + gh[:, :hidden_size]), sig(b_ih[hidden_size:2 * hidden_size] +
                                                              gh[:, hidden_size:2 * hidden_size])
        n = np.tanh(b_ih[2 * hidden_size:] + r * gh[:, 2 * hidden_size:])
        np.testing.assert_allclose(out.detach().numpy(), (1 - z) * n + z * h, rtol=1e-12)
    out.sum().backward()
    assert tuple(m.weight_ih.grad.shape) == (gates * hidden_size, input_size)
    assert tuple(m.weight_hh.grad.shape) == (gates * hidden_size, hidden_size)
    cell = {"RNNCell": rb._C._nn.rnn_tanh_cell, "GRUCell": rb._C._nn.gru_cell}.get(kind)
    if cell is not None and batch:
        args = (xr, hr, m.weight_ih, m.weight_hh, m.bias_ih, m.bias_hh)
        assert rb.autograd.gradcheck(cell, args) and rb.autograd.gradgradcheck(cell, args)
    if HAVE_TORCH:
        t = getattr(torch.nn, kind)(input_size, hidden_size, dtype=torch.float64)
        t.load_state_dict({k: torch.tensor(v.detach().numpy()) for k, v in m.state_dict().items()})
        ht = torch.tensor(h)
        ref = t(torch.tensor(x), (ht, ht * 0.5) if kind == "LSTMCell" else ht)
        ref = ref[0] + ref[1] if kind == "LSTMCell" else ref
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_cell_ops_refuse_a_1d_input_with_torchs_index_error():
    """torch.gru_cell and the others read input.size(1) first (the modules unsqueeze an unbatched input)."""
    for name, g in (("rnn_tanh_cell", 1), ("rnn_relu_cell", 1), ("gru_cell", 3)):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\]"):
            getattr(rb._C._nn, name)(rb.ones(4), rb.ones(5), rb.ones(g * 5, 4), rb.ones(g * 5, 5))
        if HAVE_TORCH:
            with pytest.raises(IndexError):
                getattr(torch, name)(torch.ones(4), torch.ones(5), torch.ones(g * 5, 4), torch.ones(g * 5, 5))


def test_init_and_names():
    m = nn.LSTM(10, 20, num_layers=2, bidirectional=True, proj_size=5)
    names = [n for n, _ in m.named_parameters()]
    assert names[:5] == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]
    assert names[5] == "weight_ih_l0_reverse"
    shapes = {n: tuple(p.shape) for n, p in m.named_parameters()}
    assert shapes["weight_ih_l0"] == (80, 10) and shapes["weight_hh_l0"] == (80, 5)
    assert shapes["weight_ih_l1"] == (80, 10) and shapes["weight_hr_l1_reverse"] == (5, 20)
    bound = 1 / np.sqrt(20)
    for p in m.parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.8 * bound
    g = nn.GRUCell(3, 7)
    assert tuple(g.weight_ih.shape) == (21, 3) and tuple(g.bias_hh.shape) == (21,)


@requires_torch
@pytest.mark.parametrize("kind,bidir,layers,enforce_sorted,batch_first", [
    ("LSTM", False, 1, True, False), ("LSTM", True, 2, False, True), ("GRU", True, 1, False, False),
    ("RNN", False, 2, True, True), ("LSTM", True, 1, False, False)])
def test_packed_sequences_match_torch(kind, bidir, layers, enforce_sorted, batch_first):
    import torch
    import torch.nn.utils.rnn as tr
    rng = np.random.default_rng(3)
    kw = {"input_size": 3, "hidden_size": 4, "num_layers": layers, "bidirectional": bidir,
          "batch_first": batch_first}
    if kind == "LSTM" and bidir:
        kw["proj_size"] = 2
    ours, theirs = _pair(kind, True, **kw)
    T, B = 6, 4
    lengths = [6, 4, 3, 1] if enforce_sorted else [3, 6, 1, 4]
    x = rng.standard_normal((B, T, 3) if batch_first else (T, B, 3)).astype(np.float32)
    xr, xt = _t(x, True), _tt(x, True)
    pr = rnn_utils.pack_padded_sequence(xr, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    pt = tr.pack_padded_sequence(xt, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
    _close(pr.data, pt.data)
    np.testing.assert_array_equal(pr.batch_sizes.numpy(), pt.batch_sizes.numpy())
    D = 2 if bidir else 1
    P = kw.get("proj_size", 4)
    h0 = rng.standard_normal((layers * D, B, P)).astype(np.float32)
    if kind == "LSTM":
        c0 = rng.standard_normal((layers * D, B, 4)).astype(np.float32)
        hr, ht = (_t(h0, True), _t(c0, True)), (_tt(h0, True), _tt(c0, True))
    else:
        hr, ht = _t(h0, True), _tt(h0, True)
    out_r, hid_r = ours(pr, hr)
    out_t, hid_t = theirs(pt, ht)
    pad_r, len_r = rnn_utils.pad_packed_sequence(out_r, batch_first=batch_first)
    pad_t, len_t = tr.pad_packed_sequence(out_t, batch_first=batch_first)
    np.testing.assert_array_equal(len_r.numpy(), len_t.numpy())
    _close(pad_r, pad_t)
    # outputs past each length are zero
    for b, n in enumerate(lengths):
        tail = pad_r.detach().numpy()[b, n:] if batch_first else pad_r.detach().numpy()[n:, b]
        assert np.all(tail == 0)
    flat_r = [pad_r] + (list(hid_r) if kind == "LSTM" else [hid_r])
    flat_t = [pad_t] + (list(hid_t) if kind == "LSTM" else [hid_t])
    for r, t in zip(flat_r[1:], flat_t[1:]):
        _close(r, t)
    _backward_both(flat_r, flat_t, rng)
    _close(xr.grad, xt.grad, 1e-4)
    _check_grads(ours, theirs)


@requires_torch
def test_pad_sequence_and_pack_sequence_match_torch():
    import torch.nn.utils.rnn as tr
    rng = np.random.default_rng(4)
    seqs = [rng.standard_normal((n, 2)).astype(np.float32) for n in (2, 5, 3)]
    for bf in (False, True):
        _close(rnn_utils.pad_sequence([_t(s) for s in seqs], batch_first=bf, padding_value=-1.0),
               tr.pad_sequence([_tt(s) for s in seqs], batch_first=bf, padding_value=-1.0))
    pr = rnn_utils.pack_sequence([_t(s) for s in seqs], enforce_sorted=False)
    pt = tr.pack_sequence([_tt(s) for s in seqs], enforce_sorted=False)
    _close(pr.data, pt.data)
    np.testing.assert_array_equal(pr.sorted_indices.numpy(), pt.sorted_indices.numpy())
    np.testing.assert_array_equal(pr.unsorted_indices.numpy(), pt.unsorted_indices.numpy())
    back = rnn_utils.unpack_sequence(pr)
    for a, s in zip(back, seqs):
        np.testing.assert_array_equal(a.numpy(), s)
    padded, lengths = rnn_utils.pad_packed_sequence(pr, total_length=7, padding_value=2.0)
    assert tuple(padded.shape) == (7, 3, 2)
    assert padded.numpy()[6, 0, 0] == 2.0
    np.testing.assert_array_equal(lengths.numpy(), [2, 5, 3])


def test_lengths_argument_in_core_op():
    # the core op with lengths equals running each row alone up to its length
    rng = np.random.default_rng(5)
    m = nn.GRU(3, 4)
    x = rng.standard_normal((5, 2, 3)).astype(np.float32)
    out, h, c = rb._C._nn.rnn_layer("GRU", _t(x), None, None, m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0,
                                 m.bias_hh_l0, None, _t(np.array([5, 2])), False)
    o2, h2 = m(_t(x[:2, 1:2]))
    np.testing.assert_allclose(out.detach().numpy()[:2, 1], o2.detach().numpy()[:, 0], atol=1e-6)
    np.testing.assert_allclose(h.detach().numpy()[1], h2.detach().numpy()[0, 0], atol=1e-6)
    assert np.all(out.detach().numpy()[2:, 1] == 0) and c is None
    with pytest.raises(ValueError, match="out of range"):
        rb._C._nn.rnn_layer("GRU", _t(x), None, None, m.weight_ih_l0, m.weight_hh_l0, m.bias_ih_l0,
                            m.bias_hh_l0, None, _t(np.array([6, 2])), False)


def test_bad_input_raises():
    m = nn.LSTM(4, 6, num_layers=2)
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 4, got 5"):
        m(rb.zeros(3, 2, 5))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[0\] size \(2, 2, 6\), got \[1, 2, 6\]"):
        m(rb.zeros(3, 2, 4), (rb.zeros(1, 2, 6), rb.zeros(2, 2, 6)))
    with pytest.raises(RuntimeError, match=r"Expected hidden\[1\] size \(2, 2, 6\), got \[2, 3, 6\]"):
        m(rb.zeros(3, 2, 4), (rb.zeros(2, 2, 6), rb.zeros(2, 3, 6)))
    with pytest.raises(ValueError, match="Expected input to be 2D or 3D, got 4D"):
        m(rb.zeros(1, 3, 2, 4))
    g = nn.GRU(4, 6)
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 2, 6\), got \[1, 3, 6\]"):
        g(rb.zeros(3, 2, 4), rb.zeros(1, 3, 6))
    with pytest.raises(RuntimeError, match="should also be 2-D"):
        g(rb.zeros(3, 4), rb.zeros(1, 1, 6))
    c = nn.LSTMCell(4, 6)
    with pytest.raises(RuntimeError, match="input has inconsistent input_size: got 3 expected 4"):
        c(rb.zeros(2, 3))
    with pytest.raises(RuntimeError, match="Input batch size 2 doesn't match hidden0 batch size 3"):
        c(rb.zeros(2, 4), (rb.zeros(3, 6), rb.zeros(3, 6)))
    with pytest.raises(RuntimeError, match="hidden0 has inconsistent hidden_size: got 5, expected 6"):
        nn.GRUCell(4, 6)(rb.zeros(2, 4), rb.zeros(2, 5))
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(4, 6, proj_size=6)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.GRU(4, 6, proj_size=2)
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        rnn_utils.pack_padded_sequence(rb.zeros(5, 3, 2), [2, 5, 1])
    with pytest.raises(RuntimeError, match="greater than 0"):
        rnn_utils.pack_padded_sequence(rb.zeros(5, 3, 2), [5, 2, 0])
    with pytest.raises(RuntimeError, match="at most the sequence length 5"):
        rnn_utils.pack_padded_sequence(rb.zeros(5, 3, 2), [7, 2, 1])
    with pytest.raises(RuntimeError, match="batch_size"):
        rnn_utils.pack_padded_sequence(rb.zeros(5, 3, 2), [5, 2])
    with pytest.raises(ValueError, match=r"RNN input dtype \(rosenblatt.float32\) does not match weight dtype"):
        nn.GRU(4, 6, dtype=rb.float64)(rb.zeros(3, 2, 4))
    with pytest.raises(RuntimeError, match="Expected cell state cx of shape"):
        rb._C._nn.lstm_cell(rb.zeros(2, 3), rb.zeros(2, 4), rb.zeros(2, 5), rb.zeros(16, 3), rb.zeros(16, 4))
    # a failed call leaves the module usable and unchanged
    out, _ = m(rb.zeros(3, 2, 4))
    assert tuple(out.shape) == (3, 2, 6)


def test_dropout_between_layers_only_in_training():
    rb.manual_seed(0)
    m = nn.LSTM(3, 8, num_layers=2, dropout=0.5)
    x = rb.randn(4, 2, 3)
    a, _ = m(x)
    b, _ = m(x)
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    m.eval()
    a, _ = m(x)
    b, _ = m(x)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_truncated_bptt_stops_at_detach():
    rb.manual_seed(0)
    m = nn.LSTM(2, 5)
    x1 = rb.randn(4, 3, 2).requires_grad_(True)
    x2 = rb.randn(4, 3, 2).requires_grad_(True)
    _, (h, c) = m(x1)
    # carried state detached: the second chunk's loss reaches its own input and the weights, not chunk one
    out2, _ = m(x2, (h.detach(), c.detach()))
    out2.sum().backward()
    assert x1.grad is None
    assert x2.grad is not None and np.abs(x2.grad.numpy()).sum() > 0
    assert np.abs(m.weight_hh_l0.grad.numpy()).sum() > 0
    # without the detach the gradient flows back into the first chunk
    _, (h, c) = m(x1)
    out2, _ = m(x2, (h, c))
    out2.sum().backward()
    assert x1.grad is not None and np.abs(x1.grad.numpy()).sum() > 0


def test_lstm_learns_to_remember_the_first_token():
    # length-20 sequences: the first step carries one of 4 tokens, the 19 after it random distractor
    # tokens on other channels; the target is the first token, read from the last output.
    rb.manual_seed(0)
    rng = np.random.default_rng(0)
    K, T, B, H = 4, 20, 64, 32
    lstm, head = nn.LSTM(2 * K, H), nn.Linear(H, K)
    with rb.no_grad():
        lstm.bias_ih_l0[H:2 * H] = 2.0  # forget-gate bias: start out remembering
    opt = rb.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.003)
    loss_fn = nn.CrossEntropyLoss()
    eye = np.eye(K, dtype=np.float32)

    def batch(n):
        tok = rng.integers(0, K, size=(T, n))
        x = np.zeros((T, n, 2 * K), np.float32)
        x[0, :, :K] = eye[tok[0]]
        x[1:, :, K:] = eye[tok[1:]]
        return _t(x), _t(tok[0].astype(np.int64))

    x, y = batch(1000)
    with rb.no_grad():
        acc0 = (head(lstm(x)[0][-1]).argmax(1).numpy() == y.numpy()).mean()
    assert acc0 < 0.5  # chance before training
    start = time.time()
    for _ in range(250):
        xb, yb = batch(B)
        out, _ = lstm(xb)
        loss = loss_fn(head(out[-1]), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with rb.no_grad():
        out, _ = lstm(x)
        acc = (head(out[-1]).argmax(1).numpy() == y.numpy()).mean()
    assert acc >= 0.95, f"accuracy {acc:.3f} after {time.time() - start:.1f}s"


def _adding_problem_mse(kind, steps=1000, seed=0):
    """The adding problem: length-50 sequences of (value in [0, 1), marker) pairs, one marker in each
    half; the target is the sum of the two marked values. Always answering 1.0 scores an MSE of
    1/6 = 0.167 (the variance of the sum). Trains a 32-unit layer + Linear with Adam for a fixed
    budget and returns the MSE on 1000 held-out sequences."""
    rb.manual_seed(seed)
    rng = np.random.default_rng(seed)
    T, B, H = 50, 64, 32

    def batch(n):
        v = rng.random((T, n)).astype(np.float32)
        m = np.zeros((T, n), np.float32)
        m[rng.integers(0, T // 2, n), np.arange(n)] = 1
        m[rng.integers(T // 2, T, n), np.arange(n)] = 1
        return _t(np.stack([v, m], -1)), _t((v * m).sum(0)[:, None])

    net, head = getattr(nn, kind)(2, H), nn.Linear(H, 1)
    if kind == "LSTM":
        with rb.no_grad():
            net.bias_ih_l0[H:2 * H] = 1.0  # forget-gate bias 1: the usual start for long dependencies
    opt = rb.optim.Adam(list(net.parameters()) + list(head.parameters()), lr=0.01)
    mse = nn.MSELoss()
    for _ in range(steps):
        x, y = batch(B)
        loss = mse(head(net(x)[0][-1]), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x, y = batch(1000)
    with rb.no_grad():
        return float(mse(head(net(x)[0][-1]), y))


def test_adding_problem_lstm_learns_where_a_vanilla_rnn_does_not():
    # the vanishing-gradient lesson: the gradient that reaches the first marked value through 25+
    # tanh steps of a vanilla RNN is too small to learn from; the LSTM's cell carries it.
    lstm, rnn_ = _adding_problem_mse("LSTM"), _adding_problem_mse("RNN")
    assert lstm < 0.05, f"LSTM MSE {lstm:.4f}"
    assert rnn_ > 0.1, f"vanilla RNN MSE {rnn_:.4f} (expected to stay near 0.167)"


def test_char_lstm_language_model_beats_unigram_entropy():
    text = ("the quick brown fox jumps over the lazy dog while the small cat sleeps in the warm sun. " * 8)
    chars = sorted(set(text))
    V = len(chars)
    ids = np.array([chars.index(ch) for ch in text], dtype=np.int64)
    freq = np.bincount(ids, minlength=V) / ids.size
    unigram = float(-(freq[freq > 0] * np.log(freq[freq > 0])).sum())  # nats per char
    rb.manual_seed(0)
    rng = np.random.default_rng(0)
    T, B, H = 32, 16, 64
    lstm, head = nn.LSTM(V, H, batch_first=True), nn.Linear(H, V)
    opt = rb.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    eye = np.eye(V, dtype=np.float32)

    def loss_of(starts):
        seq = np.stack([ids[s:s + T + 1] for s in starts])
        out, _ = lstm(_t(eye[seq[:, :-1]]))
        return loss_fn(head(out).reshape(-1, V), _t(seq[:, 1:].reshape(-1)))

    for _ in range(150):
        loss = loss_of(rng.integers(0, ids.size - T - 1, B))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with rb.no_grad():
        final = float(loss_of(rng.integers(0, ids.size - T - 1, 64)))
    assert final < 0.25 * unigram, f"loss {final:.3f} vs unigram entropy {unigram:.3f}"


def _match_torch_with_threads(kind, threads, seq, batch, rng, **kw):
    """A layer run forward and backward in both libraries with `threads` threads; outputs, input and
    weight gradients compared."""
    ours, theirs = _pair(kind, True, **kw)
    prev = rb.get_num_threads()
    rb.set_num_threads(threads)
    try:
        x = rng.standard_normal((seq, batch, kw["input_size"])).astype(np.float32)
        xr, xt = _t(x, True), _tt(x, True)
        out_r, _ = ours(xr)
        out_t, _ = theirs(xt)
        _close(out_r, out_t)
        _backward_both([out_r], [out_t], rng)
        _close(xr.grad, xt.grad, 1e-4)
        _check_grads(ours, theirs, 2e-4)
    finally:
        rb.set_num_threads(prev)


@requires_torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_wide_batch_split_across_threads_matches_torch(kind):
    # hidden 256 and batch 96: the batch is split over rows between threads
    _match_torch_with_threads(kind, 2, 3, 96, np.random.default_rng(7), input_size=8, hidden_size=256,
                              bidirectional=True)


@requires_torch
@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
@pytest.mark.parametrize("batch,hidden,threads", [(1, 37, 2), (13, 40, 2), (33, 70, 2), (9, 33, 1)])
def test_packed_recurrence_shapes_match_torch(kind, batch, hidden, threads):
    # the packed per-step product: batches off the 8-row tile (leftover rows), hidden sizes off the
    # 32-column panel (zero-padded last panel), the batch split across threads, and one thread
    _match_torch_with_threads(kind, threads, 5, batch, np.random.default_rng(batch * hidden), input_size=6,
                              hidden_size=hidden)


_RECURRENT_MODULES = {
    "RNN": lambda L: L.nn.RNN(4, 5), "LSTM": lambda L: L.nn.LSTM(4, 5, proj_size=3),
    "GRU": lambda L: L.nn.GRU(4, 5, num_layers=2, bidirectional=True, batch_first=True),
    "RNNCell": lambda L: L.nn.RNNCell(4, 5, nonlinearity="relu"), "LSTMCell": lambda L: L.nn.LSTMCell(4, 5),
    "GRUCell": lambda L: L.nn.GRUCell(4, 5),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float64"])
@pytest.mark.parametrize("name", list(_RECURRENT_MODULES))
def test_recurrent_modules_refuse_inputs_of_another_dtype_as_pytorch(name, dtype):
    """PyTorch 2.13's layers check the input's dtype against the weights' first (ValueError, naming both and the two
    conversions); its cells reach the matmul with weight_ih and raise its RuntimeError ('mat1 and mat2 must have the
    same dtype, but got Long and Float'), as does a hidden state of another dtype. Never an answer computed in some
    other dtype, and the module is untouched."""
    cell = name.endswith("Cell")
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        L.manual_seed(0)
        m = _RECURRENT_MODULES[name](L)
        before = [p.detach().clone() for p in m.parameters()]
        dt = getattr(L, dtype)
        kind = {"int64": "Long", "int32": "Int", "uint8": "Byte", "bool": "Bool", "float64": "Double"}[dtype]
        for shape in ([(3, 4), (4,), (0, 4)] if cell else [(2, 3, 4), (2, 4), (0, 4)]):
            if cell:
                with pytest.raises(RuntimeError, match=f"mat1 and mat2 must have the same dtype, but got {kind} and "
                                                       f"Float"):
                    m(L.ones(*shape, dtype=dt))
            else:
                with pytest.raises(ValueError, match=rf"RNN input dtype \({L.__name__}.{dtype}\) does not match "
                                                     rf"weight dtype \({L.__name__}.float32\)\. Convert input: "
                                                     rf"input.to\({L.__name__}.float32\), or convert model: "
                                                     rf"model.to\({L.__name__}.{dtype}\)"):
                    m(L.ones(*shape, dtype=dt))
        if cell or name != "LSTM":  # (PyTorch's LSTM fails in its oneDNN path instead, a RuntimeError too)
            h = L.zeros(*{"GRU": (4, 3, 5), "RNN": (1, 2, 5)}.get(name, (2, 5)), dtype=dt)
            with pytest.raises(RuntimeError, match=f"mat1 and mat2 must have the same dtype, but got {kind} and "
                                                   f"Float"):
                m(L.ones(2, 4) if cell else L.ones(3, 2, 4), (h, h) if name == "LSTMCell" else h)
        assert all(L.equal(p, q) for p, q in zip(m.parameters(), before))


def _described(ts):
    return [(str(t.dtype).split(".")[-1], tuple(t.shape), t.double().numpy()) for t in ts]


def _assert_same_result(ours, theirs):
    """Both raised the same error (type: message), or both computed tensors of the same dtypes, shapes and values."""
    if isinstance(theirs, str):
        assert ours == theirs
        return
    assert not isinstance(ours, str), ours
    for a, b in zip(ours, theirs):
        assert a[:2] == b[:2]
        np.testing.assert_allclose(a[2], b[2], rtol=1e-6, atol=1e-6)


def _cell_call(L, name, x, h, c, w):
    if L is torch:
        return L.lstm_cell(x, (h, c), *w) if name == "lstm_cell" else getattr(L, name)(x, h, *w)
    return L._C._nn.lstm_cell(x, h, c, *w) if name == "lstm_cell" else getattr(L._C._nn, name)(x, h, *w)


@requires_torch
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "bool"])
@pytest.mark.parametrize("name,gates", [("rnn_tanh_cell", 1), ("rnn_relu_cell", 1), ("lstm_cell", 4), ("gru_cell", 3)])
def test_functional_cells_on_integer_tensors_as_pytorch(dtype, name, gates):
    """PyTorch 2.13's cells project integer tensors with integer matmuls (wrapping in the type: values up to 120 wrap
    int8 and int16): rnn_tanh_cell's tanh gives float32, rnn_relu_cell's relu keeps the type; lstm_cell and gru_cell
    fail writing their float gates into the integer tensor; bool has no matmul (an empty result runs none)."""
    rng = np.random.default_rng(gates)
    for (B, I, H), hi, bias in [((3, 4, 5), 4, True), ((3, 4, 5), 120, True), ((3, 4, 5), 4, False),
                                ((0, 4, 5), 4, True), ((3, 4, 0), 4, True)]:
        hi = 2 if dtype == "bool" else hi
        lo = 0 if dtype in ("uint8", "bool") else -hi
        arrays = [rng.integers(lo, hi, s) for s in [(B, I), (B, H), (B, H), (gates * H, I), (gates * H, H),
                                                    (gates * H,), (gates * H,)]]
        got = []
        for lib in (rb, torch):
            t = [lib.tensor(a).to(getattr(lib, dtype)) for a in arrays]
            w = t[3:] if bias else t[3:5] + [None, None]
            try:
                got.append(_described([_cell_call(lib, name, t[0], t[1], t[2], w)]))
            except RuntimeError as e:
                got.append(f"{type(e).__name__}: {e}")
        _assert_same_result(*got)
        if B * H and dtype != "bool" and name in ("rnn_tanh_cell", "rnn_relu_cell"):
            assert got[0][0][0] == ("float32" if name == "rnn_tanh_cell" else dtype)  # it computes


@requires_torch
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int64", "bool"])
@pytest.mark.parametrize("mode,gates", [("RNN_TANH", 1), ("RNN_RELU", 1), ("LSTM", 4), ("GRU", 3)])
def test_functional_layers_on_integer_tensors_as_pytorch(dtype, mode, gates):
    """PyTorch's _VF layers on integer tensors: rnn_relu runs every step in the type (wrapping); rnn_tanh's float32
    first step meets the integer weight_hh at the second (its matmul's dtype error), so only one step computes;
    lstm and gru fail as their cells do; bool has no matmul. Reversed layers step from the end."""
    from torch import _VF
    rng = np.random.default_rng(gates)
    B, I, H = 3, 4, 5
    for T, reverse, hi in [(3, False, 3), (3, True, 3), (1, False, 3), (4, False, 120)]:
        hi = 2 if dtype == "bool" else hi
        lo = 0 if dtype in ("uint8", "bool") else -hi
        arrays = [rng.integers(lo, hi, s) for s in [(T, B, I), (B, H), (B, H), (gates * H, I), (gates * H, H),
                                                    (gates * H,), (gates * H,)]]
        got = []
        for lib in (rb, torch):
            x, h, c, *w = [lib.tensor(a).to(getattr(lib, dtype)) for a in arrays]
            try:
                if lib is rb:
                    out, hn = rb._C._nn.rnn_layer(mode, x, h, c if mode == "LSTM" else None, *w, None, None,
                                                  reverse)[:2]
                else:
                    hx = (h[None], c[None]) if mode == "LSTM" else h[None]
                    xs = x.flip(0) if reverse else x
                    out, hn = getattr(_VF, mode.lower())(xs, hx, w, True, 1, 0.0, False, False, False)[:2]
                    out, hn = (out.flip(0) if reverse else out), (hn[0] if mode != "LSTM" else hn)
                got.append(_described([out, hn]))
            except RuntimeError as e:
                got.append(f"{type(e).__name__}: {e}")
        _assert_same_result(*got)
        computes = dtype != "bool" and (mode == "RNN_RELU" or (mode == "RNN_TANH" and T == 1))
        assert isinstance(got[0], list) == computes, (T, got[0] if isinstance(got[0], str) else "computed")
