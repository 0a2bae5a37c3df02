# Tests for rosenblatt.gan: the trainer's losses against the formulas, the separation of G's and D's
# updates, a GAN learning a 1-D Gaussian, the Frechet distance, DCGAN shapes and bad input.
import copy
import math

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import nn, optim


def _mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.Tanh(), nn.Linear(h, o))


def _np(t):
    return t.detach().numpy().astype(np.float64)


def _logsig(x):
    return -np.logaddexp(0.0, -x)


def _setup(loss="bce", lr_d=0.1, lr_g=0.05):
    rb.manual_seed(0)
    G, D = _mlp(3, 8, 2), _mlp(2, 8, 1)
    gan = rb.gan.GAN(G, D, 3, g_optimizer=optim.SGD(G.parameters(), lr=lr_g),
                     d_optimizer=optim.SGD(D.parameters(), lr=lr_d), loss=loss)
    real = rb.randn(16, 2) * 0.5 + 1.0
    return gan, real


def _grads(module, loss):
    params = list(module.parameters())
    for p in params:
        p.grad = None
    loss.backward()
    return [p.grad.clone() for p in params]


@pytest.mark.parametrize("loss", ["bce", "minimax"])
def test_losses_match_formulas_and_updates_are_separate(loss):
    gan, real = _setup(loss)
    G0, D0 = copy.deepcopy(gan.generator), copy.deepcopy(gan.discriminator)
    rb.manual_seed(7)
    out = gan.train_step(real)
    rb.manual_seed(7)
    z = rb.randn(16, 3)  # the z train_step drew

    # D's step: L_D = -mean log D(x) - mean log(1 - D(G(z))), on the networks before the step
    with rb.no_grad():
        fake = G0(z)
        lr_, lf_ = _np(D0(real)), _np(D0(fake))
    d_loss = -_logsig(lr_).mean() - _logsig(-lf_).mean()
    assert out["d_loss"] == pytest.approx(d_loss, rel=1e-5, abs=1e-6)
    assert out["d_real"] == pytest.approx((1 / (1 + np.exp(-lr_))).mean(), rel=1e-5)
    assert out["d_fake"] == pytest.approx((1 / (1 + np.exp(-lf_))).mean(), rel=1e-5)

    # G's step goes through D after D's update; D1 is that D (G's step must not have changed it)
    D1 = gan.discriminator
    with rb.no_grad():
        lg = _np(D1(fake))
    g_loss = -_logsig(lg).mean() if loss == "bce" else _logsig(-lg).mean()
    assert out["g_loss"] == pytest.approx(g_loss, rel=1e-5, abs=1e-6)

    # D's parameters after train_step are exactly one SGD step on L_D: G's step left them alone
    Dc = copy.deepcopy(D0)
    fl = rb.nn.functional.binary_cross_entropy_with_logits
    dl = fl(Dc(real), rb.ones(16, 1)) + fl(Dc(fake), rb.zeros(16, 1))
    for p0, g, p1 in zip(Dc.parameters(), _grads(Dc, dl), D1.parameters()):
        np.testing.assert_allclose(_np(p1), _np(p0) - 0.1 * _np(g), rtol=1e-5, atol=1e-6)
        # and no gradient of G's loss accumulated on D during G's step: D's grads are L_D's alone
        np.testing.assert_allclose(_np(p1.grad), _np(g), rtol=1e-5, atol=1e-7)
    # ... and G's parameters are exactly one SGD step on L_G through the updated D
    Gc, Dfix = copy.deepcopy(G0), copy.deepcopy(D1)
    logits = Dfix(Gc(z))
    gl = fl(logits, rb.ones(16, 1)) if loss == "bce" else -fl(logits, rb.zeros(16, 1))
    for p0, g, p1 in zip(Gc.parameters(), _grads(Gc, gl), gan.generator.parameters()):
        np.testing.assert_allclose(_np(p1), _np(p0) - 0.05 * _np(g), rtol=1e-5, atol=1e-6)
    # D is unfrozen after G's step
    for p in D1.parameters():
        assert p.requires_grad


def test_g_step_leaves_d_and_d_step_leaves_g():
    # G's optimizer stepping with lr=0 must leave G unchanged though D trains, and a D with lr=0
    # must stay unchanged though G trains through it
    rb.manual_seed(1)
    G, D = _mlp(3, 8, 2), _mlp(2, 8, 1)
    gan = rb.gan.GAN(G, D, 3, g_optimizer=optim.SGD(G.parameters(), lr=0.0),
                     d_optimizer=optim.SGD(D.parameters(), lr=0.5))
    g_before = [_np(p).copy() for p in G.parameters()]
    d_before = [_np(p).copy() for p in D.parameters()]
    gan.train_step(rb.randn(8, 2))
    assert all(np.array_equal(a, _np(p)) for a, p in zip(g_before, G.parameters()))
    assert not all(np.array_equal(a, _np(p)) for a, p in zip(d_before, D.parameters()))

    rb.manual_seed(1)
    G, D = _mlp(3, 8, 2), _mlp(2, 8, 1)
    gan = rb.gan.GAN(G, D, 3, g_optimizer=optim.SGD(G.parameters(), lr=0.5),
                     d_optimizer=optim.SGD(D.parameters(), lr=0.0))
    g_before = [_np(p).copy() for p in G.parameters()]
    d_before = [_np(p).copy() for p in D.parameters()]
    gan.train_step(rb.randn(8, 2))
    assert all(np.array_equal(a, _np(p)) for a, p in zip(d_before, D.parameters()))
    assert not all(np.array_equal(a, _np(p)) for a, p in zip(g_before, G.parameters()))


def test_gan_learns_1d_gaussian():
    rb.manual_seed(0)
    act = lambda: nn.LeakyReLU(0.2)
    G = nn.Sequential(nn.Linear(4, 32), act(), nn.Linear(32, 32), act(), nn.Linear(32, 1))
    D = nn.Sequential(nn.Linear(1, 32), act(), nn.Linear(32, 32), act(), nn.Linear(32, 1))
    gan = rb.gan.GAN(G, D, 4, g_optimizer=optim.Adam(G.parameters(), lr=5e-4, betas=(0.5, 0.999)),
                     d_optimizer=optim.Adam(D.parameters(), lr=5e-4, betas=(0.5, 0.999)))
    data = rb.randn(3000 * 128, 1) * 1.25 + 4.0
    loader = rb.utils.data.DataLoader(rb.utils.data.TensorDataset(data), batch_size=128, shuffle=True)
    hist = gan.fit(loader, epochs=1, verbose=False)
    assert set(hist.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert hist.epochs == [1] and len(hist.steps["d_loss"]) == 3000
    assert hist["d_loss"][0] == pytest.approx(np.mean(hist.steps["d_loss"]))
    # a second phase at a fifth of the rate settles the oscillation of the game (robust across seeds)
    for opt in (gan.g_optimizer, gan.d_optimizer):
        for group in opt.param_groups:
            group["lr"] = 1e-4
    more = rb.randn(1500 * 128, 1) * 1.25 + 4.0
    gan.fit(rb.utils.data.DataLoader(rb.utils.data.TensorDataset(more), batch_size=128, shuffle=True), epochs=1,
            verbose=False)
    s = gan.sample(5000, generator=rb.Generator().manual_seed(3))
    assert tuple(s.shape) == (5000, 1) and not s.requires_grad
    assert abs(float(s.mean()) - float(data.mean())) < 0.3
    assert abs(float(s.std()) - float(data.std())) < 0.3


def test_sample_eval_mode_restored_and_seeded():
    G = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.Linear(4, 3))
    gan = rb.gan.GAN(G, _mlp(3, 4, 1), 2)
    G.train()
    a = gan.sample(5, generator=rb.Generator().manual_seed(11))
    b = gan.sample(5, generator=rb.Generator().manual_seed(11))
    assert G.training
    assert np.array_equal(_np(a), _np(b))
    G.eval()
    gan.sample(2)
    assert not G.training


def test_fit_history_plot_and_callbacks(tmp_path):
    pytest.importorskip("matplotlib")
    rb.manual_seed(2)
    gan = rb.gan.GAN(_mlp(2, 8, 2), _mlp(2, 8, 1), 2)
    batches = [rb.randn(8, 2) for _ in range(3)]
    seen = []
    cb = rb.train.LambdaCallback(on_epoch_end=lambda e, logs: seen.append((e, sorted(logs))))
    hist = gan.fit(batches, epochs=2, callbacks=[cb], verbose=False)
    assert hist.epochs == [1, 2] and len(hist.steps["g_loss"]) == 6
    assert seen == [(1, ["d_fake", "d_loss", "d_real", "g_loss"]), (2, ["d_fake", "d_loss", "d_real", "g_loss"])]
    path = hist.plot(str(tmp_path / "gan.png"))
    assert (tmp_path / "gan.png").stat().st_size > 0 and path.endswith("gan.png")


def test_bad_input_raises():
    G, D = _mlp(3, 4, 2), _mlp(2, 4, 1)
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        rb.gan.GAN(G, D, 0)
    with pytest.raises(ValueError, match="loss must be"):
        rb.gan.GAN(G, D, 3, loss="wasserstein")
    gan = rb.gan.GAN(G, D, 3)
    with pytest.raises(ValueError, match=r"output shape \(4, 2\) does not match the real batch's shape \(4, 5\)"):
        gan.train_step(rb.randn(4, 5))
    # a latent size G does not accept
    bad = rb.gan.GAN(G, D, 5)
    with pytest.raises(ValueError, match=r"input of shape \(4, 5\) \(latent_dim=5\)"):
        bad.train_step(rb.randn(4, 2))
    with pytest.raises(ValueError, match="latent_dim=5"):
        bad.sample(3)
    cbad = rb.gan.ConditionalGAN(G, _mlp(4, 4, 1), 3, 2)
    with pytest.raises(ValueError, match=r"input of shape \(2, 5\) \(latent_dim=3 \+ num_classes=2\)"):
        cbad.sample(2, [0, 1])
    with pytest.raises(ValueError, match="real must be a non-empty batch"):
        gan.train_step(rb.randn(0, 2))
    with pytest.raises(ValueError, match="epochs must be"):
        gan.fit([], epochs=-1)
    with pytest.raises(TypeError, match="real must be a Tensor"):
        gan.train_step([[1.0, 2.0]])


def test_conditional_gan_step_sample_and_labels():
    rb.manual_seed(4)
    k = 3
    G, D = _mlp(2 + k, 8, 4), _mlp(4 + k, 8, 1)
    cgan = rb.gan.ConditionalGAN(G, D, 2, k)
    out = cgan.train_step(rb.randn(6, 4), rb.tensor([0, 1, 2, 0, 1, 2]))
    assert set(out) == {"d_loss", "g_loss", "d_real", "d_fake", "penalty"}
    assert all(math.isfinite(v) for v in out.values())
    s = cgan.sample(5, labels=2)
    assert tuple(s.shape) == (5, 4)
    # the label reaches G: same z, different labels -> different samples
    a = cgan.sample(4, [0, 0, 0, 0], generator=rb.Generator().manual_seed(0))
    b = cgan.sample(4, [1, 1, 1, 1], generator=rb.Generator().manual_seed(0))
    assert not np.allclose(_np(a), _np(b))
    with pytest.raises(IndexError, match="label out of range"):
        cgan.train_step(rb.randn(2, 4), rb.tensor([0, 3]))
    with pytest.raises(IndexError, match="label out of range"):
        cgan.sample(2, [-1, 0])
    with pytest.raises(ValueError, match="2 real samples but 3 labels"):
        cgan.train_step(rb.randn(2, 4), rb.tensor([0, 1, 2]))
    hist = cgan.fit([(rb.randn(6, 4), rb.tensor([0, 1, 2, 2, 1, 0]))] * 2, epochs=1, verbose=False)
    assert len(hist.steps["d_loss"]) == 2


def test_conditioning_convention():
    oh = rb.gan.one_hot(rb.tensor([1, 0]), 3)
    np.testing.assert_array_equal(_np(oh), [[0, 1, 0], [1, 0, 0]])
    x = rb.randn(2, 2, 4, 4)
    c = rb.gan.conditioning(x, oh)
    assert tuple(c.shape) == (2, 5, 4, 4)
    np.testing.assert_array_equal(_np(c[:, :2]), _np(x))
    np.testing.assert_array_equal(_np(c[0, 2:, 1, 3]), [0, 1, 0])
    z = rb.randn(2, 4)
    assert tuple(rb.gan.conditioning(z, oh).shape) == (2, 7)


def test_dcgan_shapes_init_and_step():
    rb.manual_seed(0)
    G = rb.gan.dcgan_generator(latent_dim=8, channels=1, image_size=16, width=8)
    D = rb.gan.dcgan_discriminator(channels=1, image_size=16, width=8)
    kinds = [type(m).__name__ for m in G]
    assert "ConvTranspose2d" in kinds and "BatchNorm2d" in kinds and "ReLU" in kinds and kinds[-1] == "Tanh"
    dk = [type(m).__name__ for m in D]
    assert "LeakyReLU" in dk and "BatchNorm2d" in dk and "ConvTranspose2d" not in dk
    assert all(m.negative_slope == 0.2 for m in D if isinstance(m, nn.LeakyReLU))
    w = np.concatenate([_np(m.weight).ravel() for m in G if isinstance(m, nn.ConvTranspose2d)])
    assert abs(w.std() - 0.02) < 0.003 and abs(w.mean()) < 0.003
    gan = rb.gan.DCGAN(latent_dim=8, channels=1, image_size=16, width=8)
    assert gan.g_optimizer.defaults["lr"] == 2e-4 and tuple(gan.g_optimizer.defaults["betas"]) == (0.5, 0.999)
    assert tuple(gan.d_optimizer.defaults["betas"]) == (0.5, 0.999)
    out = gan.train_step(rb.rand(4, 1, 16, 16) * 2 - 1)
    assert all(math.isfinite(v) for v in out.values())
    s = gan.sample(3)
    assert tuple(s.shape) == (3, 1, 16, 16) and float(s.abs().max()) <= 1.0
    assert tuple(gan.discriminator(s).shape) == (3, 1)
    with pytest.raises(ValueError, match="image_size must be a power of two"):
        rb.gan.dcgan_generator(8, 1, 12, 8)


def _gauss_features(mean, cov, n, seed):
    # n samples whose sample mean and (unbiased) covariance are exactly `mean` and `cov`
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, len(mean)))
    x -= x.mean(0)
    x = x @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False))).T
    return x @ np.linalg.cholesky(cov).T + mean


def test_frechet_distance():
    rng = np.random.default_rng(0)
    f = rng.standard_normal((200, 5))
    assert rb.gan.frechet_distance(f, f) == pytest.approx(0.0, abs=1e-8)
    assert rb.gan.frechet_distance(rb.tensor(f.astype(np.float32)), rb.tensor(f.astype(np.float32))) < 1e-4
    # commuting covariances (both diagonal in one rotated basis): closed form
    q, _ = np.linalg.qr(rng.standard_normal((3, 3)))
    d1, d2 = np.array([1.0, 2.0, 0.5]), np.array([3.0, 0.25, 0.5])
    m1, m2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, -1.0, 2.5])
    a = _gauss_features(m1, q @ np.diag(d1) @ q.T, 500, 1)
    b = _gauss_features(m2, q @ np.diag(d2) @ q.T, 400, 2)
    expected = ((m1 - m2) ** 2).sum() + ((np.sqrt(d1) - np.sqrt(d2)) ** 2).sum()
    assert rb.gan.frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)
    # general covariances: tr sqrt(S1 S2) from the eigenvalues of S1 S2 (real, non-negative)
    s1 = np.array([[2.0, 0.7], [0.7, 1.0]])
    s2 = np.array([[0.5, -0.2], [-0.2, 1.5]])
    a, b = _gauss_features(np.zeros(2), s1, 300, 3), _gauss_features(np.ones(2), s2, 300, 4)
    tr = np.sqrt(np.linalg.eigvals(s1 @ s2).real).sum()
    assert rb.gan.frechet_distance(a, b) == pytest.approx(2.0 + np.trace(s1) + np.trace(s2) - 2 * tr, rel=1e-9)
    with pytest.raises(ValueError, match="feature sizes differ"):
        rb.gan.frechet_distance(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        rb.gan.frechet_distance(np.zeros((1, 2)), np.zeros((4, 2)))


def test_label_agreement():
    # a fixed "classifier": the argmax of the input itself
    clf = nn.Identity()
    x = rb.tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    assert rb.gan.label_agreement(clf, x, [0, 1, 1, 1]) == pytest.approx(0.75)
    assert rb.gan.label_agreement(clf, x, rb.tensor([0, 1, 0, 1]), batch_size=3) == 1.0
    with pytest.raises(ValueError, match="labels of shape"):
        rb.gan.label_agreement(clf, x, [0, 1])


def test_save_image_grid(tmp_path):
    PIL = pytest.importorskip("PIL.Image")
    from rosenblatt.utils.image import save_image_grid
    x = rb.zeros(5, 1, 4, 3)
    x[1] = 1.0  # the second image white, the rest black (range (0, 1))
    path = save_image_grid(x, str(tmp_path / "grid.png"), nrow=2, padding=1)
    img = np.asarray(PIL.open(path))
    assert img.shape == (3 * 5 + 1, 2 * 4 + 1)  # 3 rows of 2, 1-pixel padding
    assert (img[1:5, 5:8] == 255).all() and (img[1:5, 1:4] == 0).all()
    rgb = save_image_grid(np.full((2, 3, 2, 2), -1.0), str(tmp_path / "rgb.png"), nrow=2, padding=0,
                          value_range=(-1, 1))
    assert np.asarray(PIL.open(rgb)).shape == (2, 4, 3) and np.asarray(PIL.open(rgb)).max() == 0
    with pytest.raises(ValueError, match="images must be"):
        save_image_grid(np.zeros((2, 2, 4, 4)), str(tmp_path / "bad.png"))


def test_conditional_gan_learns_digits():
    # a digits classifier (trained here) labels >= 70% of 500 conditional samples as the requested digit
    rb.manual_seed(0)
    x, y = rb.datasets.load_digits()
    x = x.reshape(-1, 64) * 2 - 1
    loader = rb.utils.data.DataLoader(rb.utils.data.TensorDataset(x, y), batch_size=64, shuffle=True)
    clf = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    rb.fit(clf, loader, nn.CrossEntropyLoss(), optim.Adam(clf.parameters(), lr=1e-2), epochs=10, verbose=False)
    assert rb.gan.label_agreement(clf, x, y) > 0.95
    k, latent = 10, 16
    G = nn.Sequential(nn.Linear(latent + k, 128), nn.LeakyReLU(0.2), nn.Linear(128, 64), nn.Tanh())
    D = nn.Sequential(nn.Linear(64 + k, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))
    cgan = rb.gan.ConditionalGAN(G, D, latent, k, g_optimizer=optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999)),
                                 d_optimizer=optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999)))
    labels = rb.arange(500) % 10
    before = rb.gan.label_agreement(clf, cgan.sample(500, labels), labels)
    cgan.fit(loader, epochs=100, verbose=False)
    after = rb.gan.label_agreement(clf, cgan.sample(500, labels), labels)
    assert before < 0.5 and after >= 0.7, (before, after)


def test_dcgan_frechet_distance_falls_on_digits():
    # DCGAN on the digits upsampled to 16x16: the Frechet distance of 500 samples to real digits, in
    # the hidden features of a digits classifier trained here, falls by at least half from the
    # untrained generator
    import rosenblatt.nn.functional as F
    rb.manual_seed(0)
    x, y = rb.datasets.load_digits()
    x16 = F.interpolate(x, size=(16, 16), mode="bilinear", align_corners=False) * 2 - 1
    feat = nn.Sequential(nn.Flatten(), nn.Linear(256, 64), nn.ReLU())
    clf = nn.Sequential(feat, nn.Linear(64, 10))
    rb.fit(clf, rb.utils.data.DataLoader(rb.utils.data.TensorDataset(x16, y), batch_size=64, shuffle=True),
           nn.CrossEntropyLoss(), optim.Adam(clf.parameters(), lr=1e-2), epochs=10, verbose=False)
    G, D = rb.gan.dcgan_generator(16, 1, 16, 8), rb.gan.dcgan_discriminator(1, 16, 8)
    gan = rb.gan.DCGAN(latent_dim=16, channels=1, image_size=16, generator=G, discriminator=D,
                       g_optimizer=optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999)),
                       d_optimizer=optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999)))
    with rb.no_grad():
        real = feat(x16[:500])
        before = rb.gan.frechet_distance(real, feat(gan.sample(500)))
    gan.fit(rb.utils.data.DataLoader(rb.utils.data.TensorDataset(x16), batch_size=64, shuffle=True), epochs=5,
            verbose=False)
    with rb.no_grad():
        after = rb.gan.frechet_distance(real, feat(gan.sample(500)))
    assert after <= 0.5 * before, (before, after)


def test_fit_progress_bar_shows_the_four_numbers(monkeypatch, capsys):
    pytest.importorskip("tqdm")
    import sys
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    gan = rb.gan.GAN(_mlp(2, 4, 2), _mlp(2, 4, 1), 2)
    gan.fit([rb.randn(4, 2)] * 2, epochs=1, verbose=True)
    out = capsys.readouterr().out
    assert "epoch 1/1" in out and all(k + "=" in out for k in ("d_loss", "g_loss", "d_real", "d_fake"))
    gan.fit([rb.randn(4, 2)], epochs=1, verbose=False)
    assert capsys.readouterr().out == ""


def test_label_smoothing_and_d_steps():
    # one-sided label smoothing: real labelled 0.9 in D's loss
    rb.manual_seed(0)
    G, D = _mlp(3, 8, 2), _mlp(2, 8, 1)
    D0, G0 = copy.deepcopy(D), copy.deepcopy(G)
    gan = rb.gan.GAN(G, D, 3, g_optimizer=optim.SGD(G.parameters(), lr=0.1),
                     d_optimizer=optim.SGD(D.parameters(), lr=0.1), real_label=0.9)
    real = rb.randn(8, 2)
    rb.manual_seed(3)
    out = gan.train_step(real)
    rb.manual_seed(3)
    with rb.no_grad():
        lr_, lf_ = _np(D0(real)), _np(D0(G0(rb.randn(8, 3))))
    expected = -(0.9 * _logsig(lr_) + 0.1 * _logsig(-lr_)).mean() - _logsig(-lf_).mean()
    assert out["d_loss"] == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="real_label"):
        rb.gan.GAN(G, D, 3, real_label=1.5)

    # d_steps=3: D's optimizer steps three times per train_step, G's once
    calls = {"d": 0, "g": 0}
    gan = rb.gan.GAN(G, D, 3, d_steps=3)

    def counting(key, step):
        def wrapped(*args, **kwargs):
            calls[key] += 1
            return step(*args, **kwargs)
        return wrapped

    gan.d_optimizer.step = counting("d", gan.d_optimizer.step)
    gan.g_optimizer.step = counting("g", gan.g_optimizer.step)
    gan.train_step(real)
    assert calls == {"d": 3, "g": 1}
    with pytest.raises(ValueError, match="d_steps"):
        rb.gan.GAN(G, D, 3, d_steps=0)
