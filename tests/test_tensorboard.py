# rosenblatt.utils.tensorboard.SummaryWriter and fit's tensorboard= option: every add_* method written,
# then read back with TensorBoard's own EventAccumulator (and compared with PyTorch's writer when installed).
import glob
import io
import os

import numpy as np
import pytest

pytest.importorskip("tensorboard")

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

import rosenblatt as rb  # noqa: E402
from conftest import HAVE_TORCH  # noqa: E402
from rosenblatt import nn, optim  # noqa: E402
from rosenblatt.utils.data import DataLoader, TensorDataset  # noqa: E402
from rosenblatt.utils.tensorboard import SummaryWriter  # noqa: E402


def _read(path):
    acc = EventAccumulator(str(path), size_guidance={"scalars": 0, "histograms": 0, "images": 0, "tensors": 0})
    acc.Reload()
    return acc


def _scalars(acc, tag):
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def _png_pixels(encoded):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(encoded)).convert("RGB"))


def test_default_log_dir_is_runs_date_host_comment(tmp_path, monkeypatch):
    import socket

    monkeypatch.chdir(tmp_path)
    w = SummaryWriter(comment="_lr0.1")
    w.close()
    (run,) = os.listdir(tmp_path / "runs")
    assert run.endswith("_" + socket.gethostname() + "_lr0.1") and w.get_logdir() == os.path.join("runs", run)
    assert glob.glob(str(tmp_path / "runs" / run / "events.out.tfevents.*"))


def test_add_scalar_from_tensors_arrays_numbers_with_steps_and_walltime(tmp_path):
    with SummaryWriter(tmp_path, filename_suffix=".rb") as w:
        w.add_scalar("loss", rb.tensor(0.5), 0)
        w.add_scalar("loss", np.float32(0.25), 1, walltime=123.0)
        w.add_scalar("loss", 0.125, np.int64(2))
        w.add_scalar("acc", rb.tensor([0.75]), 3, new_style=True, double_precision=True)
        with pytest.raises(AssertionError, match="one element"):
            w.add_scalar("bad", rb.zeros(2), 0)
    assert glob.glob(str(tmp_path / "events.out.tfevents.*.rb"))
    acc = _read(tmp_path)
    assert _scalars(acc, "loss") == [(0, 0.5), (1, 0.25), (2, 0.125)]
    assert acc.Scalars("loss")[1].wall_time == 123.0
    (t,) = acc.Tensors("acc")  # new_style: a tensor summary of the scalars plugin
    assert t.step == 3 and list(t.tensor_proto.double_val) == [0.75]


def test_add_scalars_writes_one_sub_run_per_tag(tmp_path):
    w = SummaryWriter(tmp_path)
    for step in range(3):
        w.add_scalars("run/loss", {"train": 1.0 / (step + 1), "val": 2.0 * step}, step)
    w.close()
    assert sorted(os.listdir(tmp_path))[-2:] == ["run_loss_train", "run_loss_val"]
    assert _scalars(_read(tmp_path / "run_loss_train"), "run/loss") == [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    assert _scalars(_read(tmp_path / "run_loss_val"), "run/loss") == [(0, 0.0), (1, 2.0), (2, 4.0)]


def test_add_histogram_counts_min_max_sum(tmp_path, rng):
    x = rng.standard_normal(1000).astype(np.float32)
    with SummaryWriter(tmp_path) as w:
        w.add_histogram("w", rb.from_numpy(x), 7)
        w.add_histogram("auto", x, 8, bins="auto")
        w.add_histogram("coarse", x, 9, max_bins=10)
        w.add_histogram_raw("raw", 0.0, 2.0, 3, 3.0, 5.0, [1.0, 2.0], [1, 2], global_step=1)
        with pytest.raises(ValueError, match="no element"):
            w.add_histogram("empty", np.zeros(0), 0)
    acc = _read(tmp_path)
    for tag in ("w", "auto", "coarse"):
        (ev,) = acc.Histograms(tag)
        h = ev.histogram_value
        assert sum(h.bucket) == 1000 and h.num == 1000, tag
        assert h.min == pytest.approx(x.min()) and h.max == pytest.approx(x.max())
        assert h.sum == pytest.approx(x.astype(np.float64).sum(), abs=1e-6)
        assert h.sum_squares == pytest.approx((x.astype(np.float64) ** 2).sum())
        assert h.bucket_limit[-1] >= x.max() and len(h.bucket) == len(h.bucket_limit)
    assert len(acc.Histograms("coarse")[0].histogram_value.bucket) <= 11
    raw = acc.Histograms("raw")[0]
    assert raw.step == 1 and list(raw.histogram_value.bucket) == [1, 2]


def test_add_image_formats_decode_to_the_right_size_and_pixels(tmp_path):
    pytest.importorskip("PIL")
    chw = np.linspace(0, 1, 3 * 4 * 5, dtype=np.float32).reshape(3, 4, 5)
    with SummaryWriter(tmp_path) as w:
        w.add_image("chw", rb.from_numpy(chw), 0)
        w.add_image("hwc", chw.transpose(1, 2, 0), 0, dataformats="HWC")
        w.add_image("hw", (chw[0] * 255).astype(np.uint8), 0, dataformats="HW")
        w.add_images("batch", rb.rand(10, 1, 4, 5), 1)  # a grid of 8 columns, 2 rows
        with pytest.raises(ValueError, match="dataformats"):
            w.add_image("bad", chw, 0, dataformats="HW")
    acc = _read(tmp_path)
    expect = (chw.transpose(1, 2, 0) * 255).astype(np.uint8)  # floats in [0, 1] scaled by 255, truncated
    for tag in ("chw", "hwc"):
        (img,) = acc.Images(tag)
        assert (img.height, img.width) == (4, 5)
        px = _png_pixels(img.encoded_image_string)
        assert px.shape == (4, 5, 3) and (px == expect).all()
    px = _png_pixels(acc.Images("hw")[0].encoded_image_string)
    assert (px[..., 0] == (chw[0] * 255).astype(np.uint8)).all() and (px[..., 0] == px[..., 2]).all()
    grid = acc.Images("batch")[0]
    assert (grid.height, grid.width, grid.step) == (8, 40, 1)
    assert _png_pixels(grid.encoded_image_string).shape == (8, 40, 3)


def test_png_encoder_without_pillow_decodes(monkeypatch):
    pytest.importorskip("PIL")
    import sys

    from rosenblatt.utils.tensorboard import _summary

    img = np.random.default_rng(1).integers(0, 256, (6, 7, 3), dtype=np.uint8)
    with_pil = _summary.encode_png(img)
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL now fails: the zlib encoder runs
    plain = _summary.encode_png(img)
    monkeypatch.undo()
    assert plain != with_pil
    assert (_png_pixels(plain) == img).all() and (_png_pixels(with_pil) == img).all()


def test_add_figure_renders_with_agg(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("PIL")
    from matplotlib.figure import Figure

    figs = []
    for _ in range(2):
        fig = Figure(figsize=(2, 1.5), dpi=50)
        fig.add_subplot(1, 1, 1).plot([0, 1], [1, 0])
        figs.append(fig)
    with SummaryWriter(tmp_path) as w:
        w.add_figure("one", figs[0], 0)
        w.add_figure("two", figs, 0)
    acc = _read(tmp_path)
    one, two = acc.Images("one")[0], acc.Images("two")[0]
    assert (one.height, one.width) == (75, 100) and (two.height, two.width) == (75, 200)
    px = _png_pixels(one.encoded_image_string)
    assert px.shape == (75, 100, 3) and px.min() < 100 and px.max() == 255  # a dark line on white


def test_add_text_and_hparams(tmp_path):
    with SummaryWriter(tmp_path) as w:
        w.add_text("note", "hello *tensorboard*", 4)
        w.add_hparams({"lr": 0.1, "bs": 16, "opt": "adam", "nesterov": True, "none": None},
                      {"hparam/accuracy": 0.9}, hparam_domain_discrete={"opt": ["adam", "sgd"]}, run_name="trial")
        with pytest.raises(TypeError, match="dictionary"):
            w.add_hparams([("lr", 0.1)], {})
    acc = _read(tmp_path)
    (t,) = acc.Tensors("note/text_summary")
    assert t.step == 4 and t.tensor_proto.string_val == [b"hello *tensorboard*"]
    assert acc.SummaryMetadata("note/text_summary").plugin_data.plugin_name == "text"

    from tensorboard.plugins.hparams import plugin_data_pb2

    sub = _read(tmp_path / "trial")
    assert [v for _, v in _scalars(sub, "hparam/accuracy")] == [pytest.approx(0.9)]
    content = sub.PluginTagToContent("hparams")
    assert set(content) == {"_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"}
    exp = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/experiment"]).experiment
    assert {h.name for h in exp.hparam_infos} == {"lr", "bs", "opt", "nesterov"}
    assert [m.name.tag for m in exp.metric_infos] == ["hparam/accuracy"]
    start = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"]).session_start_info
    assert start.hparams["lr"].number_value == 0.1 and start.hparams["opt"].string_value == "adam"
    assert start.hparams["nesterov"].bool_value is True and start.hparams["bs"].number_value == 16
    opt_info = next(h for h in exp.hparam_infos if h.name == "opt")
    assert [v.string_value for v in opt_info.domain_discrete.values] == ["adam", "sgd"]


def test_add_graph_one_node_per_leaf_module_with_shapes(tmp_path):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
            self.head = nn.Linear(8, 3)

        def forward(self, x):
            return self.head(self.body(x) * 2)

    with SummaryWriter(tmp_path) as w:
        w.add_graph(Net(), rb.randn(5, 4))
        with pytest.raises(ValueError, match="input_to_model"):
            w.add_graph(Net())
    g = _read(tmp_path).Graph()
    nodes = {n.name: n for n in g.node}
    assert list(nodes) == ["input/input.0", "Net/body/0", "Net/body/1", "Net/head", "output/output.0"]
    assert [nodes[n].op for n in nodes] == ["IO Node", "Linear", "ReLU", "Linear", "IO Node"]
    assert list(nodes["Net/body/0"].input) == ["input/input.0"] and list(nodes["Net/body/1"].input) == ["Net/body/0"]
    assert list(nodes["Net/head"].input) == ["Net/body/1"]  # through `* 2`, made outside any module
    assert list(nodes["output/output.0"].input) == ["Net/head"]
    shape = [d.size for d in nodes["Net/head"].attr["_output_shapes"].list.shape[0].dim]
    assert shape == [5, 3]
    assert nodes["Net/body/0"].attr["parameters"].s == b"weight: (8, 4), bias: (8,)"


def test_purge_step_and_reopen_after_close(tmp_path):
    w = SummaryWriter(tmp_path, purge_step=5)
    w.add_scalar("x", 1.0, 5)
    w.close()
    w.add_scalar("x", 2.0, 6)  # a closed writer opens a new event file, as PyTorch's
    w.close()
    assert len(glob.glob(str(tmp_path / "events.out.tfevents.*"))) >= 1
    assert _scalars(_read(tmp_path), "x")[-1] == (6, 2.0)


def _data():
    g = np.random.default_rng(0)
    x = g.standard_normal((64, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    return TensorDataset(rb.from_numpy(x), rb.from_numpy(y))


@pytest.mark.parametrize("as_writer", [False, True])
def test_fit_logs_one_scalar_per_epoch_per_history_key(tmp_path, as_writer):
    rb.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    opt = optim.SGD(model.parameters(), lr=0.1)
    writer = SummaryWriter(tmp_path) if as_writer else None
    h = rb.fit(model, DataLoader(_data(), batch_size=16), nn.CrossEntropyLoss(), opt, epochs=3,
               val_loader=DataLoader(_data(), batch_size=64), verbose=False,
               tensorboard=writer if as_writer else str(tmp_path))
    if writer is not None:
        writer.close()
    acc = _read(tmp_path)
    assert set(acc.Tags()["scalars"]) == set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    for k, values in h.history.items():
        got = _scalars(acc, k)
        assert [s for s, _ in got] == h.epochs == [1, 2, 3]
        assert [v for _, v in got] == pytest.approx(values, rel=1e-6), k


def test_tensorboard_callback_logs_batches(tmp_path):
    rb.manual_seed(0)
    model = nn.Linear(4, 2)
    cb = rb.train.TensorBoard(str(tmp_path), log_batches=True)
    rb.fit(model, DataLoader(_data(), batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
           epochs=2, callbacks=[cb], verbose=False)
    acc = _read(tmp_path)
    assert [s for s, _ in _scalars(acc, "batch/loss")] == list(range(8))
    assert [s for s, _ in _scalars(acc, "loss")] == [1, 2]


def test_gan_fit_logs_d_and_g_losses_per_epoch(tmp_path):
    rb.manual_seed(1)
    G = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))
    D = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    gan = rb.gan.GAN(G, D, 2)
    hist = gan.fit([rb.randn(8, 2) for _ in range(3)], epochs=2, verbose=False, tensorboard=str(tmp_path))
    acc = _read(tmp_path)
    for k in ("d_loss", "g_loss", "d_real", "d_fake"):
        got = _scalars(acc, k)
        assert [s for s, _ in got] == [1, 2] and [v for _, v in got] == pytest.approx(hist.history[k], rel=1e-6)


@pytest.mark.skipif(not HAVE_TORCH, reason="PyTorch is not installed")
def test_same_records_as_pytorchs_writer(tmp_path, rng):
    pytest.importorskip("PIL")
    from torch.utils.tensorboard import SummaryWriter as TorchWriter

    x = rng.standard_normal(500).astype(np.float32)
    img = rng.random((3, 6, 5)).astype(np.float32)
    for cls, d in ((SummaryWriter, tmp_path / "rb"), (TorchWriter, tmp_path / "torch")):
        w = cls(str(d))
        w.add_scalar("s", 0.5, 1)
        w.add_histogram("h", x, 2)
        w.add_image("i", img, 3)
        w.add_images("n", img[None].repeat(3, 0), 3)
        w.add_text("t", "text", 4)
        w.add_scalars("m", {"a": 1.0, "b": 2.0}, 5)
        w.close()
    ours, theirs = _read(tmp_path / "rb"), _read(tmp_path / "torch")
    assert ours.Tags()["scalars"] == theirs.Tags()["scalars"] and ours.Tags()["images"] == theirs.Tags()["images"]
    assert sorted(os.listdir(tmp_path / "rb"))[-2:] == sorted(os.listdir(tmp_path / "torch"))[-2:]
    h0, h1 = ours.Histograms("h")[0].histogram_value, theirs.Histograms("h")[0].histogram_value
    assert list(h0.bucket) == list(h1.bucket) and h0.bucket_limit == pytest.approx(h1.bucket_limit)
    assert (h0.min, h0.max, h0.num) == pytest.approx((h1.min, h1.max, h1.num))
    for tag in ("i", "n"):
        a, b = ours.Images(tag)[0], theirs.Images(tag)[0]
        assert (a.height, a.width) == (b.height, b.width)
        assert (_png_pixels(a.encoded_image_string) == _png_pixels(b.encoded_image_string)).all()
    assert ours.Tensors("t/text_summary")[0].tensor_proto == theirs.Tensors("t/text_summary")[0].tensor_proto


def test_bad_tensorboard_argument_and_missing_package(tmp_path, monkeypatch):
    import importlib
    import sys

    model = nn.Linear(4, 2)
    with pytest.raises(TypeError, match="log directory or a SummaryWriter"):
        rb.fit(model, DataLoader(_data(), batch_size=16), nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),
               epochs=1, verbose=False, tensorboard=3)
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # as if it were not installed
    for name in [k for k in sys.modules if k.startswith("rosenblatt.utils.tensorboard")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match=r"pip install rosenblatt\[tensorboard\]"):
        importlib.import_module("rosenblatt.utils.tensorboard")


def test_srgan_fit_logs_its_losses_per_epoch(tmp_path):
    rb.manual_seed(3)
    sr = rb.gan.SRGAN(channels=1, scale=2, features=8, n_blocks=1)
    high = rb.rand(4, 1, 8, 8)
    batches = [(rb.nn.functional.avg_pool2d(high, 2), high)] * 2
    hist = sr.fit(batches, 2, verbose=False, tensorboard=str(tmp_path))
    acc = _read(tmp_path)
    assert set(acc.Tags()["scalars"]) == set(hist.history) and "content" in hist.history
    for k, values in hist.history.items():
        assert [s for s, _ in _scalars(acc, k)] == [1, 2]
        assert [v for _, v in _scalars(acc, k)] == pytest.approx(values, rel=1e-6), k
