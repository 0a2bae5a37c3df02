"""rb.fit and its parts: the MLP-on-digits bar, History (keys, plot), metrics, callbacks
(EarlyStopping, ModelCheckpoint), LR schedulers (per epoch, on plateau) and the progress bar."""
import io
import sys

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import nn, optim
from rosenblatt.train import EarlyStopping, History, LambdaCallback, ModelCheckpoint, accuracy, evaluate
from rosenblatt.utils.data import DataLoader, TensorDataset


def _toy(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    return TensorDataset(rb.from_numpy(x), rb.from_numpy(y))


def _model(seed=0):
    rb.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))


def test_mlp_on_digits_reaches_96_percent():
    """The bar: a 64-128-10 MLP, Adam lr 3e-3, batch 32, 25 epochs, on the fixed 80/20 split."""
    xtr, ytr = rb.datasets.load_digits("train")
    xte, yte = rb.datasets.load_digits("test")
    g = rb.Generator().manual_seed(0)
    train = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True, generator=g)
    test = DataLoader(TensorDataset(xte, yte), batch_size=256)
    rb.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    history = rb.fit(model, train, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=3e-3), epochs=25,
                     val_loader=test, verbose=False)
    assert history.epochs == list(range(1, 26))
    assert history.history["val_accuracy"][-1] >= 0.96
    assert history.history["loss"][-1] < history.history["loss"][0] / 5
    assert evaluate(model, test, metrics=("accuracy",))["accuracy"] == history.history["val_accuracy"][-1]


def test_cnn_on_digits_reaches_97_percent():
    """The Convolutional networks issue's bar: the demo's CNN (conv-pool-conv-pool-MLP), Adam lr 3e-3,
    batch 32, 12 epochs, on the same fixed split, through rb.fit."""
    from rosenblatt.__main__ import _models

    xtr, ytr = rb.datasets.load_digits("train")
    xte, yte = rb.datasets.load_digits("test")
    train = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True, generator=rb.Generator().manual_seed(0))
    test = DataLoader(TensorDataset(xte, yte), batch_size=256)
    rb.manual_seed(0)
    model = _models(nn, 128)["cnn"][1]
    history = rb.fit(model, train, nn.CrossEntropyLoss(), optim.Adam(model.parameters(), lr=3e-3), epochs=12,
                     val_loader=test, verbose=False)
    assert max(history.history["val_accuracy"][-3:]) >= 0.97, history.history["val_accuracy"]
    assert min(history.history["val_accuracy"][-3:]) >= 0.96, history.history["val_accuracy"]


def test_history_keys_and_values():
    ds = _toy()
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)

    def error_rate(output, target):
        return 1.0 - accuracy(output, target)

    h = rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), opt, epochs=3,
               val_loader=DataLoader(ds, batch_size=64), metrics=("accuracy", error_rate), verbose=False)
    assert isinstance(h, History) and h.epochs == [1, 2, 3]
    assert set(h.history) == {"loss", "accuracy", "error_rate", "val_loss", "val_accuracy", "val_error_rate", "lr"}
    assert all(len(v) == 3 for v in h.history.values())
    assert h.history["lr"] == [0.1, 0.1, 0.1]
    for a, e in zip(h.history["accuracy"], h.history["error_rate"]):
        assert a + e == pytest.approx(1.0)
    # val_loss is the evaluation of the final weights: recompute it
    final = evaluate(model, DataLoader(ds, batch_size=64), nn.CrossEntropyLoss())
    assert final["loss"] == pytest.approx(h.history["val_loss"][-1], rel=1e-6)
    assert model.training  # fit leaves the model in training mode after evaluating


def test_loss_is_sample_weighted_mean_over_batches():
    ds = _toy(n=10)
    model = _model()
    seen = []
    cb = LambdaCallback(on_batch_end=lambda i, logs: seen.append(logs["loss"]))
    h = rb.fit(model, DataLoader(ds, batch_size=4), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.0),
               epochs=1, callbacks=[cb], verbose=False)
    assert len(seen) == 3
    assert h.history["loss"][0] == pytest.approx((4 * seen[0] + 4 * seen[1] + 2 * seen[2]) / 10)


class _Scripted:
    """A metric whose per-epoch value follows a script (one batch per epoch)."""

    def __init__(self, values):
        self.values = list(values)
        self.__name__ = "scripted"
        self.calls = 0

    def __call__(self, output, target):
        v = self.values[self.calls]
        self.calls += 1
        return v


def _snapshots():
    snaps = {}
    cb = LambdaCallback(on_epoch_end=lambda epoch, logs: snaps.__setitem__(
        epoch, {k: v.detach().numpy().copy() for k, v in cb.model.state_dict().items()}))
    return snaps, cb


def test_early_stopping_stops_and_restores_best_weights():
    ds = _toy(n=16)
    model = _model()
    metric = _Scripted([5.0, 3.0, 3.5, 4.0, 2.0, 1.0, 1.0])
    snaps, snap_cb = _snapshots()
    stop = EarlyStopping(monitor="scripted", patience=2, restore_best_weights=True)
    h = rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.5),
               epochs=7, metrics=(metric,), callbacks=[snap_cb, stop], verbose=False)
    assert h.epochs == [1, 2, 3, 4] and h.stopped_early
    assert stop.stopped_epoch == 4 and stop.best_epoch == 2 and stop.best == 3.0
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.detach().numpy(), snaps[2][k])
    assert not np.array_equal(snaps[2]["0.weight"], snaps[4]["0.weight"])


def test_early_stopping_min_delta_and_max_mode():
    ds = _toy(n=16)
    model = _model()
    stop = EarlyStopping(monitor="scripted", mode="max", min_delta=0.1, patience=2)
    h = rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
               epochs=6, metrics=(_Scripted([0.5, 0.55, 0.58, 0.9, 0.95, 0.96]),), callbacks=[stop], verbose=False)
    assert h.epochs == [1, 2, 3] and stop.best_epoch == 1  # +0.05 and +0.08 are below min_delta


def test_monitoring_a_missing_key_says_what_is_logged():
    ds = _toy(n=16)
    model = _model()
    with pytest.raises(ValueError, match="'val_loss'.*pass val_loader.*loss, accuracy"):
        rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
               epochs=2, callbacks=[EarlyStopping()], verbose=False)


def test_model_checkpoint_writes_the_best(tmp_path):
    ds = _toy(n=16)
    model = _model()
    snaps, snap_cb = _snapshots()
    path = tmp_path / "best.safetensors"
    ck = ModelCheckpoint(path, monitor="scripted", mode="min")
    rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.5),
           epochs=5, metrics=(_Scripted([4.0, 2.0, 3.0, 2.5, 2.2]),), callbacks=[snap_cb, ck], verbose=False)
    assert ck.best_epoch == 2 and ck.saved == [str(path), str(path)]
    saved = rb.load(path)
    assert list(saved) == list(snaps[2])
    for k, v in saved.items():
        np.testing.assert_array_equal(v.numpy(), snaps[2][k])
    every = ModelCheckpoint(str(tmp_path / "ep{epoch}.st"), monitor="loss", save_best_only=False)
    rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.5),
           epochs=2, callbacks=[every], verbose=False)
    assert (tmp_path / "ep1.st").exists() and (tmp_path / "ep2.st").exists()


def test_reduce_lr_on_plateau_scheduler():
    ds = _toy(n=16)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=1e-4)  # a tiny lr: the loss does not improve by 50%
    sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.5)
    h = rb.fit(model, DataLoader(ds, batch_size=16), nn.CrossEntropyLoss(), opt, epochs=6, scheduler=sched,
               val_loader=DataLoader(ds, batch_size=16), verbose=False)
    lrs = h.history["lr"]
    assert lrs[0] == 1e-4 and lrs[-1] < lrs[0]  # the monitored val_loss plateaued: lr was cut
    assert all(b <= a for a, b in zip(lrs, lrs[1:]))


def test_epoch_scheduler_is_stepped_once_per_epoch():
    ds = _toy(n=32)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    h = rb.fit(model, DataLoader(ds, batch_size=8), nn.CrossEntropyLoss(), opt, epochs=3, scheduler=sched,
               verbose=False)
    assert h.history["lr"] == [1.0, 0.5, 0.25]


def test_progress_bar_only_on_a_terminal(capsys, monkeypatch):
    ds = _toy(n=32)
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    rb.fit(model, DataLoader(ds, batch_size=8), nn.CrossEntropyLoss(), opt, epochs=2, verbose=True)
    assert capsys.readouterr().out == ""  # captured stdout is not a terminal

    class Tty(io.StringIO):
        def isatty(self):
            return True

    fake = Tty()
    monkeypatch.setattr(sys, "stdout", fake)
    rb.fit(model, DataLoader(ds, batch_size=8), nn.CrossEntropyLoss(), opt, epochs=2, verbose=True)
    rb.fit(model, DataLoader(ds, batch_size=8), nn.CrossEntropyLoss(), opt, epochs=1, verbose=False)
    text = fake.getvalue()
    assert "epoch 1/2" in text and "epoch 2/2" in text and "loss=" in text and "accuracy=" in text
    assert "epoch 1/1" not in text  # verbose=False is quiet on a terminal too


def test_history_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    ds = _toy(n=32)
    model = _model()
    h = rb.fit(model, DataLoader(ds, batch_size=8), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
               epochs=3, val_loader=DataLoader(ds, batch_size=32), verbose=False)
    out = h.plot(tmp_path / "curves.png")
    data = (tmp_path / "curves.png").read_bytes()
    assert out == tmp_path / "curves.png" and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_history_plot_without_matplotlib_says_how_to_install(monkeypatch, tmp_path):
    h = History()
    h._log(1, {"loss": 1.0})
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install rosenblatt\[viz\]"):
        h.plot(tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_accuracy_metric_forms():
    assert accuracy(rb.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]]), rb.tensor([1, 0, 0])) == pytest.approx(2 / 3)
    assert accuracy(rb.tensor([0.7, 0.2, 0.6, 0.4]), rb.tensor([1.0, 0.0, 0.0, 0.0])) == 0.75
    assert accuracy(rb.tensor([[2.0], [-1.0]]), rb.tensor([[1.0], [1.0]]), threshold=0.0) == 0.5
    with pytest.raises(ValueError, match="3 samples.*2"):
        accuracy(rb.zeros(3, 2), rb.zeros(2))


def test_bad_batches_and_arguments():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="inputs..., target"):
        rb.fit(model, [rb.zeros(2, 4)], nn.CrossEntropyLoss(), opt, epochs=1, verbose=False)
    with pytest.raises(ValueError, match="epochs"):
        rb.fit(model, [], nn.CrossEntropyLoss(), opt, epochs=-1)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        rb.fit(model, [], nn.CrossEntropyLoss(), opt, epochs=1, metrics=("f1",))
