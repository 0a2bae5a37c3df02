"""The command line (`python -m rosenblatt`): `info` prints the build, `demo` trains the digits MLP
and writes its checkpoint and metrics. Run as subprocesses, the way users call them."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import rosenblatt as rb

HAVE_NN = all(hasattr(rb.nn, n) for n in ("Sequential", "Linear", "ReLU", "CrossEntropyLoss")) and hasattr(
    rb.optim, "Adam")


def run_cli(*args, cwd=None, timeout=300):
    # The child imports the same rosenblatt as this process (installed, or the source tree).
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(rb.__file__)), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "rosenblatt", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env)


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


def test_bundled_digits_load():
    from rosenblatt.__main__ import load_digits

    x, y = load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert sorted(set(y.tolist())) == list(range(10))


@pytest.mark.skipif(not HAVE_NN, reason="rosenblatt.nn / rosenblatt.optim are not built yet")
def test_demo_trains_and_writes_outputs(tmp_path):
    out = tmp_path / "demo-out"
    r = run_cli("demo", "--epochs", "8", "--out", str(out), "--threads", "1", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("test accuracy") == 8
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics["history"]) == 8
    losses = [h["train_loss"] for h in metrics["history"]]
    assert losses[-1] < losses[0] * 0.5, losses
    # a 64-128-10 MLP reaches about 97% on the held-out fifth of the digits; 90% is a safe floor
    assert metrics["final_test_accuracy"] > 0.90, metrics["final_test_accuracy"]
    ckpt = np.load(out / "model.npz")
    assert sorted(ckpt.files) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert ckpt["0.weight"].shape == (128, 64) and ckpt["2.weight"].shape == (10, 128)
    # the checkpoint holds the trained weights: they classify the digits as well as the demo said
    from rosenblatt.__main__ import load_digits

    x, y = load_digits()
    h = np.maximum(x @ ckpt["0.weight"].T + ckpt["0.bias"], 0)
    acc = ((h @ ckpt["2.weight"].T + ckpt["2.bias"]).argmax(1) == y).mean()
    assert acc > 0.90, acc
    assert os.path.isdir(out)
