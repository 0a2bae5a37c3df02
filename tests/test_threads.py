"""Python threads training separate models at once give bit-identical results to training them one after
another: nothing in the core (the autograd engine, grad mode, the caching allocator, kernel scratch buffers)
is shared between threads in a way that changes a result."""
import threading

import numpy as np

import rosenblatt as rb

nn = rb.nn


def _build(k):
    """Model k and its data: seeded by k, all drawn before any thread starts."""
    rb.manual_seed(k)
    if k % 2:
        model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(4 * 4 * 4, 5))
        x = rb.randn(6, 1, 8, 8)
    else:
        model = nn.Sequential(nn.Linear(12, 32), nn.Tanh(), nn.LayerNorm(32), nn.Linear(32, 5))
        x = rb.randn(6, 12)
    y = rb.randint(0, 5, (6,))
    return model, x, y


def _train(model, x, y, out):
    opt = rb.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    out.append((losses, [p.detach().numpy().copy() for p in model.parameters()]))


def _results(threaded, n=4):
    jobs = [_build(k) for k in range(n)]
    outs = [[] for _ in range(n)]
    if threaded:
        ts = [threading.Thread(target=_train, args=(*job, out)) for job, out in zip(jobs, outs)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    else:
        for job, out in zip(jobs, outs):
            _train(*job, out)
    return [o[0] for o in outs]


def test_threads_training_separate_models_match_running_them_in_turn():
    serial, threaded = _results(False), _results(True)
    for k, ((ls, ps), (lt, pt)) in enumerate(zip(serial, threaded)):
        assert ls == lt, f"model {k}: losses differ"
        assert all(a.tobytes() == b.tobytes() for a, b in zip(ps, pt)), f"model {k}: parameters differ"
        assert ls[-1] < ls[0]  # each model trained


def test_threads_with_their_own_generators_draw_what_they_would_in_turn():
    def draw(seed, out):
        g = rb.Generator().manual_seed(seed)
        out.append([rb.randn(50, generator=g).numpy() for _ in range(20)])

    serial = []
    for s in range(4):
        draw(s, serial)
    outs = [[] for _ in range(4)]
    ts = [threading.Thread(target=draw, args=(s, outs[s])) for s in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for s in range(4):
        assert all(np.array_equal(a, b) for a, b in zip(serial[s], outs[s][0]))
