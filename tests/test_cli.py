"""The command line (`python -m rosenblatt`): `info` prints the build, `demo` trains the digits MLP
and writes its checkpoint and metrics. Run as subprocesses, the way users call them."""
import json

import numpy as np
import pytest

import rosenblatt as rb
from conftest import run_python

HAVE_NN = all(hasattr(rb.nn, n) for n in ("Sequential", "Linear", "ReLU", "CrossEntropyLoss")) and hasattr(
    rb.optim, "Adam")


def run_cli(*args, cwd=None, timeout=300):
    return run_python("-m", "rosenblatt", *args, cwd=cwd, timeout=timeout)


def test_info_prints_version_and_build(tmp_path):
    r = run_cli("info", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert rb.__version__ in r.stdout
    assert "openblas" in r.stdout.lower()


def test_no_command_prints_usage_and_fails():
    r = run_cli()
    assert r.returncode == 2
    assert "demo" in r.stdout and "info" in r.stdout


def test_unknown_command_is_an_error():
    r = run_cli("frobnicate")
    assert r.returncode != 0
    assert "invalid choice" in r.stderr


@pytest.mark.skipif(not HAVE_NN, reason="rosenblatt.nn / rosenblatt.optim are not built yet")
def test_demo_trains_both_models_and_writes_outputs(tmp_path):
    out = tmp_path / "demo-out"
    r = run_cli("demo", "--epochs", "6", "--out", str(out), "--threads", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("epoch ") >= 12  # one line per epoch and model when not on a terminal
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["models"]) == {"mlp", "cnn"}
    # the epochs are watched on a validation split of the training images, never on the test set
    assert "1151 train / 287 validation / 359 test" in r.stdout, r.stdout
    x, y = rb.datasets.load_digits("test")
    for key, floor in (("mlp", 0.90), ("cnn", 0.90)):
        m = metrics["models"][key]
        losses = m["history"]["loss"]
        assert len(losses) == 6 and losses[-1] < losses[0] * 0.5, losses
        assert m["test_accuracy"] > floor, (key, m["test_accuracy"])
        assert m["val_accuracy"] == m["history"]["val_accuracy"][-1] > floor
        # the checkpoint holds the trained weights: loaded into a fresh model they classify as well
        from rosenblatt.__main__ import _models

        model = _models(rb.nn, 128)[key][1]
        model.load_state_dict(rb.load(str(out / f"{key}.safetensors")))
        model.eval()
        with rb.no_grad():
            acc = (model(x).argmax(1) == y).float().mean().item()
        assert abs(acc - m["test_accuracy"]) < 1e-6, (acc, m["test_accuracy"])


@pytest.mark.skipif(not HAVE_NN, reason="rosenblatt.nn / rosenblatt.optim are not built yet")
def test_demo_checkpoint_loads_into_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    st = pytest.importorskip("safetensors.torch")
    out = tmp_path / "o"
    r = run_cli("demo", "--model", "mlp", "--epochs", "2", "--out", str(out), "--threads", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    sd = st.load_file(str(out / "mlp.safetensors"))
    tm = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    tm.load_state_dict(sd)
    x, _ = rb.datasets.load_digits("test")
    from rosenblatt.__main__ import _models

    ours = _models(rb.nn, 128)["mlp"][1]
    ours.load_state_dict(rb.load(str(out / "mlp.safetensors")))
    with rb.no_grad():
        np.testing.assert_allclose(ours(x).numpy(), tm(torch.from_numpy(x.numpy())).detach().numpy(), atol=1e-5)


@pytest.mark.skipif(not HAVE_NN, reason="rosenblatt.nn / rosenblatt.optim are not built yet")
def test_demo_gan_writes_a_sample_grid_one_row_per_digit(tmp_path):
    from PIL import Image

    out = tmp_path / "gan"
    r = run_cli("demo", "gan", "--epochs", "1", "--width", "8", "--out", str(out), "--threads", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "epoch   1  d_loss" in r.stdout
    img = Image.open(out / "gan_samples.png")
    # 10 x 10 tiles of 16x16 with 2-pixel padding: one row per digit
    assert img.size == (10 * 18 + 2, 10 * 18 + 2), img.size
    g = rb.load(str(out / "gan_generator.safetensors"))
    assert any(k.endswith("weight") for k in g)
