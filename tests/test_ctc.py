"""CTC loss beyond the op_specs battery: PyTorch's errors (and an IndexError where PyTorch would read out
of bounds), the edge cases (empty targets and inputs, infeasible targets, repeated labels), its gradient
on raw log-probabilities, double backward, and a small recognizer that learns to transcribe with it."""
import time

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import HAVE_TORCH, requires_torch, torch
from ctc_ref import np_ctc_loss


def _log_probs(T=6, N=2, C=4, seed=0, dtype=np.float64):
    x = np.random.default_rng(seed).standard_normal((T, N, C))
    lp = x - np.log(np.exp(x).sum(-1, keepdims=True))
    return lp.astype(dtype)


LP = _log_probs()
TG = np.array([[1, 2, 3], [3, 1, 1]])
IL, TL = [6, 5], [3, 2]


def _call(lp=LP, tg=TG, il=IL, tl=TL, **kw):
    return F.ctc_loss(rb.tensor(lp), rb.tensor(tg), rb.tensor(il), rb.tensor(tl), **kw)


@pytest.mark.parametrize("kw, match", [
    (dict(blank=4), "blank must be in label range"),
    (dict(blank=-1), "blank must be in label range"),
    (dict(il=[7, 5]), "input_lengths to have value at most 6, but got value 7"),
    (dict(il=[-1, 5]), "input_lengths to have value at least 0, but got value -1"),
    (dict(tl=[-1, 2]), "target_lengths to have value at least 0, but got value -1"),
    (dict(il=[6, 5, 4]), "input_lengths must be of size batch_size"),
    (dict(tl=[3]), "target_lengths must be of size batch_size"),
    (dict(tl=[4, 2]), "size at least 4 at dimension 1, but got size 3"),
    (dict(tg=TG[:1]), "size 2 at dimension 0, but got size 1"),
    (dict(tg=np.array([1, 2, 3])), "size 5 at dimension 0, but got size 3"),
    (dict(tg=TG[None]), "Expected 1 to 2 dimensions, but got 3-dimensional"),
    (dict(lp=LP[None]), "Expected 3-dimensional tensor, but got 5-dimensional"),
    (dict(lp=LP[:, 0, 0]), "Expected 3-dimensional tensor, but got 2-dimensional"),
    (dict(lp=LP[:, :0], tg=TG[:0], il=np.zeros(0, np.int64), tl=np.zeros(0, np.int64)),
     "log_probs tensor must not be empty"),
    (dict(il=[6.0, 5.0]), "input_lengths must be integral"),
    (dict(tl=[True, False]), "target_lengths must be integral"),
])
def test_bad_arguments_raise_runtime_error_as_pytorch(kw, match):
    with pytest.raises(RuntimeError, match=match):
        _call(**kw)
    if HAVE_TORCH:
        args = {**dict(lp=LP, tg=TG, il=IL, tl=TL), **kw}
        extra = {k: v for k, v in args.items() if k not in ("lp", "tg", "il", "tl")}
        with pytest.raises(RuntimeError, match=match.split(" (")[0]):
            torch.nn.functional.ctc_loss(torch.tensor(args["lp"]), torch.tensor(args["tg"]), torch.tensor(args["il"]),
                                         torch.tensor(args["tl"]), **extra)


@pytest.mark.parametrize("tg", [np.array([[1, 4, 2], [3, 1, 1]]), np.array([[1, -1, 2], [3, 1, 1]]),
                                np.array([1, 2, 3, 3, 9])])
def test_labels_out_of_range_raise_index_error_before_any_read(tg):
    # PyTorch's CPU kernel reads out of bounds here; we refuse, naming the label.
    with pytest.raises(IndexError, match="out of bounds for log_probs with 4 classes"):
        _call(tg=tg)


def test_target_lengths_whose_sum_overflows_int64_raise():
    huge = 2 ** 62
    with pytest.raises(RuntimeError, match="at dimension 0"):
        F.ctc_loss(rb.tensor(_log_probs(N=4)), rb.tensor([1, 2, 3]), [6] * 4, [huge, huge, huge, huge + 3])


def test_padding_past_the_target_length_is_never_read():
    tg = np.array([[1, 2, 3], [3, 1, -100]])
    np.testing.assert_allclose(_call(tg=tg, reduction="none").numpy(), _call(reduction="none").numpy())


def test_wrong_dtypes_and_reduction_raise():
    with pytest.raises(NotImplementedError, match="\"ctc_loss_cpu\" not implemented for 'Long'"):
        _call(lp=LP.astype(np.int64))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        _call(reduction="foo")
    with pytest.raises(TypeError):  # lengths must be two tensors or two sequences of ints
        F.ctc_loss(rb.tensor(LP), rb.tensor(TG), rb.tensor(IL), TL)
    with pytest.raises(TypeError):
        F.ctc_loss(rb.tensor(LP), rb.tensor(TG), (6, 5.0), TL)


def test_edge_cases_match_the_reference():
    # Empty target over frames (all blanks), empty input with empty target (0), empty input with a target (inf),
    # and a target too long for its input (inf): none is an error.
    lp = _log_probs(T=4, N=4, C=3)
    tg = np.array([[1, 1], [0, 0], [2, 0], [1, 1]])
    il, tl = [4, 0, 0, 2], [0, 0, 1, 2]
    got = _call(lp=lp, tg=tg, il=il, tl=tl, reduction="none").numpy()
    want = np_ctc_loss(lp, tg, il, tl, reduction="none")
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert got[1] == 0 and np.isinf(got[2]) and np.isinf(got[3])
    np.testing.assert_allclose(got[0], -lp[:, 0, 0].sum(), rtol=1e-12)
    assert np.isinf(_call(lp=lp, tg=tg, il=il, tl=tl).item())
    zi = _call(lp=lp, tg=tg, il=il, tl=tl, reduction="none", zero_infinity=True).numpy()
    np.testing.assert_allclose(zi, np.where(np.isinf(want), 0, want), rtol=1e-12)


def test_repeated_labels_need_a_blank_between():
    # "1 1" fits in 3 frames (1, blank, 1) but not in 2; "1 2" fits in 2.
    lp = _log_probs(T=3, N=1, C=3)
    for il, tg, finite in [(3, [1, 1], True), (2, [1, 1], False), (2, [1, 2], True)]:
        loss = _call(lp=lp[:il], tg=np.array([tg]), il=[il], tl=[2], reduction="sum").item()
        assert np.isfinite(loss) == finite
    # With one-hot frames 1, 0, 1 the only path is the one alignment: loss 0.
    onehot = np.log(np.eye(3)[[1, 0, 1]] * (1 - 3e-12) + 1e-12)[:, None]
    assert _call(lp=onehot, tg=np.array([[1, 1]]), il=[3], tl=[2], reduction="sum").item() < 1e-9


def test_strided_concatenated_targets_read_their_values():
    # PyTorch 2.13's CPU kernel reads a strided 1-D target as if contiguous (inf for a feasible alignment);
    # ours reads the values through the stride, so a sliced target gives the contiguous target's losses.
    lp = _log_probs(T=6, N=3, C=4)
    flat = np.array([1, 1, 2, 3, 2, 3, 3])
    spaced = np.zeros(14, np.int64)
    spaced[::2] = flat
    args = (rb.tensor(lp), rb.tensor([6, 5, 4]), rb.tensor([3, 4, 0]))
    want = F.ctc_loss(args[0], rb.tensor(flat), *args[1:], reduction="none")
    got = F.ctc_loss(args[0], rb.tensor(spaced)[::2], *args[1:], reduction="none")
    assert np.isfinite(want.numpy()).all()
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_unbatched_and_lengths_of_any_integral_kind():
    lp = rb.tensor(LP[:, 0])
    want = np_ctc_loss(LP[:, 0], TG[0], [6], [3], reduction="none")
    for il, tl in [([6], [3]), ((6,), (3,)), (rb.tensor(6), rb.tensor(3)), (rb.tensor([6], dtype=rb.int32),
                                                                            rb.tensor([[3]]))]:
        out = F.ctc_loss(lp, rb.tensor(TG[0]), il, tl, reduction="none")
        assert out.shape == ()
        np.testing.assert_allclose(out.item(), want, rtol=1e-12)
    # Float targets are truncated to int64 labels, as PyTorch.
    np.testing.assert_allclose(_call(tg=TG.astype(np.float64) + 0.5, reduction="sum").item(),
                               _call(reduction="sum").item())


def test_module_and_float32():
    m = rb.nn.CTCLoss(blank=0, reduction="sum", zero_infinity=True)
    assert (m.blank, m.reduction, m.zero_infinity) == (0, "sum", True)
    assert "CTCLoss" in rb.nn.__all__ and "ctc_loss" in F.__all__
    out = m(rb.tensor(LP.astype(np.float32)), rb.tensor(TG), rb.tensor(IL), rb.tensor(TL))
    assert out.dtype == rb.float32
    np.testing.assert_allclose(out.item(), np_ctc_loss(LP, TG, IL, TL, reduction="sum"), rtol=1e-5)


def test_double_backward_raises_but_create_graph_does_not():
    lp = rb.tensor(LP, requires_grad=True)
    loss = F.ctc_loss(lp, rb.tensor(TG), IL, TL)
    (g,) = rb.autograd.grad(loss, lp, create_graph=True)
    with pytest.raises(RuntimeError, match="double backward"):  # PyTorch: RuntimeError, not implemented
        g.sum().backward()


def test_in_place_change_of_the_loss_makes_backward_raise():
    lp = rb.tensor(LP, requires_grad=True)
    loss = F.ctc_loss(lp, rb.tensor(TG), IL, TL, reduction="none")
    loss.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.sum().backward()


@requires_torch
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_gradient_on_raw_log_probs_matches_pytorch(dtype, zero_infinity):
    # Not the true gradient (PyTorch adds exp(log_probs)); a sample too short for its target and one
    # shorter than T (zero gradient past its end) included. Without zero_infinity the infeasible sample's
    # gradient is NaN in both.
    lp = _log_probs(T=7, N=3, C=5, seed=3, dtype=dtype)
    tg = np.array([[1, 2, 2, 3], [4, 4, 4, 4], [2, 3, 0, 0]])
    il, tl = [7, 3, 5], [4, 3, 2]
    w = np.random.default_rng(4).standard_normal(3).astype(dtype)
    ours = rb.tensor(lp, requires_grad=True)
    theirs = torch.tensor(lp, requires_grad=True)
    lr = F.ctc_loss(ours, rb.tensor(tg), il, tl, reduction="none", zero_infinity=zero_infinity)
    lt = torch.nn.functional.ctc_loss(theirs, torch.tensor(tg), il, tl, reduction="none", zero_infinity=zero_infinity)
    np.testing.assert_allclose(lr.detach().numpy(), lt.detach().numpy(), rtol=1e-5)
    (lr * rb.tensor(w)).sum().backward()
    (lt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4, atol=1e-5)


# ---- a recognizer that learns with it ----------------------------------------------------------------

DIGITS = 10


def _utterances(rng, n, max_len=4):
    """Digit strings rendered frame by frame: each digit a one-hot run of 2-4 noisy frames, runs separated
    by 1-2 noise-only frames (so "3 3" is two runs). Labels are digit + 1 (0 is the blank)."""
    seqs = [rng.integers(0, DIGITS, rng.integers(1, max_len + 1)) for _ in range(n)]
    frames = []
    for s in seqs:
        f = []
        for i, d in enumerate(s):
            if i:
                f += [np.zeros(DIGITS)] * int(rng.integers(1, 3))
            f += [np.eye(DIGITS)[d]] * int(rng.integers(2, 5))
        frames.append(np.array(f))
    T = max(len(f) for f in frames)
    x = np.zeros((T, n, DIGITS), np.float32)
    for b, f in enumerate(frames):
        x[:len(f), b] = f
    x += rng.normal(0, 0.2, x.shape).astype(np.float32)
    lengths = [len(f) for f in frames]
    targets = np.concatenate(seqs) + 1
    return x, targets, lengths, [len(s) for s in seqs], seqs


class _Recognizer(rb.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = rb.nn.GRU(DIGITS, 24, bidirectional=True)
        self.out = rb.nn.Linear(48, DIGITS + 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0]).log_softmax(2)


def _greedy(lp, lengths):
    best = lp.argmax(2).numpy()
    out = []
    for b, n in enumerate(lengths):
        path = best[:n, b]
        out.append([int(c) - 1 for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])])
    return out


def test_bidirectional_gru_learns_to_transcribe_digit_strings_with_ctc():
    rb.manual_seed(0)
    rng = np.random.default_rng(0)
    model = _Recognizer()
    opt = rb.optim.Adam(model.parameters(), lr=0.01)
    ctc = rb.nn.CTCLoss()
    start = time.monotonic()
    for _ in range(250):
        x, tg, il, tl, _ = _utterances(rng, 32)
        loss = ctc(model(rb.tensor(x)), rb.tensor(tg), il, tl)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x, _, il, _, seqs = _utterances(np.random.default_rng(1), 200)
    with rb.no_grad():
        decoded = _greedy(model(rb.tensor(x)), il)
    exact = np.mean([d == list(s) for d, s in zip(decoded, seqs)])
    assert exact >= 0.9, f"{exact:.0%} of 200 held-out digit strings transcribed exactly (loss {loss.item():.3f})"
    assert time.monotonic() - start < 120  # about 10 s on a busy 2-core machine
