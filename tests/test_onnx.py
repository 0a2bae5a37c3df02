"""rosenblatt.onnx.export: models exported and run in onnxruntime against our own forward (MLP, CNN, LSTM,
GRU, RNN, DCGAN generator, Transformer encoder, activations), dynamic axes, file targets and errors."""
import io
import sys

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch
from rosenblatt import nn

try:
    import onnx  # noqa: F401
    import onnxruntime  # noqa: F401

    HAVE_ONNX = True
except ImportError:
    HAVE_ONNX = False
needs_onnx = pytest.mark.skipif(not HAVE_ONNX, reason="onnx and onnxruntime are not installed")


def _export(model, args, **kw):
    import onnx

    buf = io.BytesIO()
    proto = rb.onnx.export(model, args, buf, **kw)
    loaded = onnx.load_from_string(buf.getvalue())
    onnx.checker.check_model(loaded, full_check=True)
    assert loaded.SerializeToString() == proto.SerializeToString()  # what was written is what was returned
    return loaded


def _run(proto, args):
    import onnxruntime as ort

    sess = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    args = args if isinstance(args, tuple) else (args,)
    feeds = {i.name: a.numpy() for i, a in zip(sess.get_inputs(), [a for a in args if isinstance(a, rb.Tensor)])}
    return sess.run(None, feeds)


def _ours(model, args):
    args = args if isinstance(args, tuple) else (args,)
    with rb.no_grad():
        out = model(*args)
    flat = []
    todo = [out]
    while todo:
        o = todo.pop(0)
        if isinstance(o, (tuple, list)):
            todo[:0] = list(o)
        elif o is not None:
            flat.append(o.numpy())
    return flat


def _check(model, args, others=(), atol=1e-5, rtol=1e-5, **kw):
    """Exports on args, then compares onnxruntime with our forward on args and on each of others."""
    model.eval()
    proto = _export(model, args, **kw)
    for a in (args, *others):
        got, want = _run(proto, a), _ours(model, a)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            np.testing.assert_allclose(g, w, atol=atol, rtol=rtol)
    return proto


def _ops(proto):
    return [n.op_type for n in proto.graph.node]


@pytest.fixture(autouse=True)
def _seed():
    rb.manual_seed(0)


# ---- models --------------------------------------------------------------------------------------------
@needs_onnx
def test_mlp_matches_and_names_initializers_by_state_dict_keys():
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 4))
    proto = _check(model, rb.randn(5, 8), others=[rb.randn(2, 8)], input_names=["x"], output_names=["y"],
                   dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    assert _ops(proto) == ["Gemm", "Relu", "Gemm", "Tanh", "Gemm"]
    assert sorted(i.name for i in proto.graph.initializer) == sorted(model.state_dict().keys())
    assert [i.name for i in proto.graph.input] == ["x"] and [o.name for o in proto.graph.output] == ["y"]
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"
    assert proto.graph.output[0].type.tensor_type.shape.dim[0].dim_param == "batch"


@needs_onnx
def test_linear_on_3d_input_is_matmul_plus_bias():
    model = nn.Sequential(nn.Linear(6, 3))
    proto = _check(model, rb.randn(2, 4, 6))
    assert _ops(proto) == ["MatMul", "Add"]


def _lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 3, stride=1, padding="same"), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.AvgPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))


@needs_onnx
def test_lenet_cnn_with_batchnorm_in_eval_and_dynamic_batch():
    model = _lenet()
    model.train()
    with rb.no_grad():  # running statistics that are not the initial 0/1
        for _ in range(3):
            model(rb.randn(8, 1, 28, 28))
    proto = _check(model, rb.randn(4, 1, 28, 28), others=[rb.randn(7, 1, 28, 28)], input_names=["img"],
                   dynamic_axes={"img": [0]})
    ops = _ops(proto)
    assert ops.count("Conv") == 2 and ops.count("BatchNormalization") == 2
    assert {"MaxPool", "AveragePool", "Flatten", "Gemm"} <= set(ops) and "Dropout" not in ops
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "img_dynamic_axes_1"


@needs_onnx
def test_export_leaves_the_training_flags_as_they_were():
    model = _lenet()
    model.train()
    model[3].eval()  # a mix: each module's flag comes back, not one flag for all
    before = [m.training for m in model.modules()]
    _export(model, rb.randn(2, 1, 28, 28))
    assert [m.training for m in model.modules()] == before


@needs_onnx
def test_conv_variants_adaptive_pool_and_ceil_mode():
    model = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, dilation=1, groups=1), nn.LeakyReLU(0.2),
                          nn.Conv2d(8, 8, 3, groups=4, dilation=2, bias=False), nn.ELU(),
                          nn.MaxPool2d(3, stride=2, ceil_mode=True), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, 2))
    _check(model, rb.randn(2, 3, 21, 19), others=[rb.randn(3, 3, 21, 19)], input_names=["x"],
           dynamic_axes={"x": [0]})


@needs_onnx
def test_conv1d_and_pool1d():
    model = nn.Sequential(nn.Conv1d(4, 6, 3, padding=1), nn.ReLU(), nn.MaxPool1d(2), nn.AvgPool1d(2))
    _check(model, rb.randn(2, 4, 16))


class Generator(nn.Module):
    """DCGAN's generator at 16x16: a latent (N, nz, 1, 1) up to an image (N, 1, 16, 16)."""

    def __init__(self, nz=8, ngf=8):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False), nn.Tanh())

    def forward(self, z):
        return self.main(z)


@needs_onnx
def test_dcgan_generator():
    model = Generator()
    model.train()
    with rb.no_grad():
        model(rb.randn(16, 8, 1, 1))
    proto = _check(model, rb.randn(4, 8, 1, 1), others=[rb.randn(1, 8, 1, 1)], input_names=["z"],
                   dynamic_axes={"z": {0: "n"}})
    assert _ops(proto).count("ConvTranspose") == 3


@needs_onnx
def test_conv_transpose_with_output_padding_and_bias():
    model = nn.Sequential(nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())
    _check(model, rb.randn(2, 3, 5, 6))


# ---- recurrent -----------------------------------------------------------------------------------------
@needs_onnx
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_lstm(num_layers, batch_first, with_state):
    model = nn.LSTM(5, 7, num_layers=num_layers, batch_first=batch_first)
    x = rb.randn(3, 6, 5) if batch_first else rb.randn(6, 3, 5)
    args = (x, (rb.randn(num_layers, 3, 7), rb.randn(num_layers, 3, 7))) if with_state else (x,)
    model.eval()
    proto = _export(model, args)
    assert _ops(proto).count("LSTM") == num_layers
    assert len(proto.graph.input) == (3 if with_state else 1)  # the (h0, c0) tuple's tensors are inputs too
    import onnxruntime as ort

    sess = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    flat = [x] + (list(args[1]) if with_state else [])
    got = sess.run(None, {i.name: a.numpy() for i, a in zip(sess.get_inputs(), flat)})
    want = _ours(model, args)
    assert len(got) == 3
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, atol=1e-5, rtol=1e-5)


class _Wrap(nn.Module):
    """Makes an RNN's (h0, c0) separate positional inputs, so each gets a name and dynamic axes."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x, *state):
        if not state:
            return self.rnn(x)
        return self.rnn(x, state if len(state) > 1 else state[0])


@needs_onnx
def test_lstm_dynamic_batch_and_sequence():
    model = _Wrap(nn.LSTM(4, 6, num_layers=2, batch_first=True))
    args = (rb.randn(2, 5, 4), rb.randn(2, 2, 6), rb.randn(2, 2, 6))
    others = [(rb.randn(3, 9, 4), rb.randn(2, 3, 6), rb.randn(2, 3, 6))]
    _check(model, args, others=others, input_names=["x", "h0", "c0"], output_names=["y", "hn", "cn"],
           dynamic_axes={"x": {0: "batch", 1: "seq"}, "h0": {1: "batch"}, "c0": {1: "batch"}})


@needs_onnx
def test_bidirectional_lstm():
    model = _Wrap(nn.LSTM(4, 5, num_layers=2, bidirectional=True))
    proto = _check(model, (rb.randn(7, 3, 4),), others=[(rb.randn(7, 2, 4),)], input_names=["x"],
                   dynamic_axes={"x": [1]})
    assert _ops(proto).count("LSTM") == 4


@needs_onnx
@pytest.mark.parametrize("bias", [True, False])
def test_gru(bias):
    model = _Wrap(nn.GRU(5, 6, num_layers=2, batch_first=True, bias=bias))
    proto = _check(model, (rb.randn(3, 4, 5), rb.randn(2, 3, 6)), others=[(rb.randn(1, 4, 5), rb.randn(2, 1, 6))],
                   input_names=["x", "h0"], dynamic_axes={"x": {0: "batch"}, "h0": {1: "batch"}})
    assert _ops(proto).count("GRU") == 2
    assert all(a.i == 1 for n in proto.graph.node if n.op_type == "GRU" for a in n.attribute
               if a.name == "linear_before_reset")


@needs_onnx
@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn(nonlinearity):
    model = _Wrap(nn.RNN(3, 4, nonlinearity=nonlinearity, bidirectional=True))
    _check(model, (rb.randn(5, 2, 3),))


# ---- transformer ---------------------------------------------------------------------------------------
class Encoder(nn.Module):
    def __init__(self, causal=False, batch_first=True, activation="relu", norm_first=False):
        super().__init__()
        layer = nn.TransformerEncoderLayer(32, 2, dim_feedforward=64, dropout=0.1, batch_first=batch_first,
                                           activation=activation, norm_first=norm_first)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(32), enable_nested_tensor=False)
        self.head = nn.Linear(32, 5)
        self.causal = causal

    def forward(self, x):
        seq = x.shape[1] if self.encoder.layers[0].self_attn.batch_first else x.shape[0]
        mask = nn.Transformer.generate_square_subsequent_mask(seq) if self.causal else None
        return self.head(self.encoder(x, mask=mask))


@needs_onnx
@pytest.mark.parametrize("kw", [{}, {"causal": True}, {"batch_first": False}, {"activation": "gelu"},
                                {"norm_first": True}])
def test_transformer_encoder(kw):
    model = Encoder(**kw)
    bf = kw.get("batch_first", True)
    shape, others = ((3, 6, 32), [(5, 9, 32), (1, 2, 32)]) if bf else ((6, 3, 32), [(9, 5, 32), (2, 1, 32)])
    proto = _check(model, rb.randn(*shape), others=[rb.randn(*o) for o in others], input_names=["x"],
                   dynamic_axes={"x": {int(not bf): "batch", int(bf): "seq"}})
    ops = _ops(proto)
    assert ops.count("LayerNormalization") == 5 and ops.count("Softmax") == 2


class TinyLM(nn.Module):
    """Token ids -> embedding + learned positions -> a causal Transformer encoder -> logits."""

    def __init__(self, vocab=11, d=32, ctx=8):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(rb.randn(ctx, d) * 0.1)
        layer = nn.TransformerEncoderLayer(d, 2, 64, dropout=0.0, batch_first=True, activation="gelu")
        self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.shape[1]
        x = self.tok(ids) + self.pos[:T]
        return self.out(self.blocks(x, is_causal=True, mask=nn.Transformer.generate_square_subsequent_mask(T)))


@needs_onnx
def test_token_model_with_embedding_and_int64_input():
    ids = rb.randint(0, 11, (3, 8))
    proto = _check(TinyLM(), ids, others=[rb.randint(0, 11, (5, 8))], input_names=["ids"],
                   dynamic_axes={"ids": {0: "batch"}})
    assert "Gather" in _ops(proto)
    assert proto.graph.input[0].type.tensor_type.elem_type == 7  # INT64


@needs_onnx
def test_constant_that_follows_a_dynamic_axis_raises():
    with pytest.raises(rb.onnx.OnnxExporterError, match="dynamic axis"):
        rb.onnx.export(TinyLM(), rb.randint(0, 11, (2, 5)), None, input_names=["ids"],
                       dynamic_axes={"ids": {1: "seq"}})


@needs_onnx
def test_multihead_attention_with_weights_and_key_padding_mask():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.MultiheadAttention(16, 4, batch_first=True)

        def forward(self, x, pad):
            return self.attn(x, x, x, key_padding_mask=pad)

    pad = rb.zeros(2, 5, dtype=rb.bool)
    pad[1, 3:] = True
    _check(M(), (rb.randn(2, 5, 16), pad))


# ---- activations and other ops ---------------------------------------------------------------------------
ACTIVATIONS = [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(0.7), nn.GELU(), nn.GELU("tanh"),
               nn.Softmax(dim=1), nn.LogSoftmax(dim=-1), nn.SiLU(), nn.Softplus(), nn.Softplus(beta=2.0),
               nn.Hardtanh(-0.5, 0.5), nn.ReLU6(), nn.Hardsigmoid(), nn.Hardswish(), nn.SELU(), nn.CELU(0.5),
               nn.Softsign(), nn.LogSigmoid(), nn.Mish(), nn.PReLU(4), nn.Threshold(0.1, -2.0), nn.GLU(1),
               nn.Softmin(1)]


@needs_onnx
@pytest.mark.parametrize("act", ACTIVATIONS, ids=lambda m: repr(m))
@pytest.mark.parametrize("opset", [17, 20])
def test_activation(act, opset):
    model = nn.Sequential(nn.Linear(6, 4), act)
    _check(model, rb.randn(3, 6) * 3, opset_version=opset)


class Arith(nn.Module):
    """Tensor methods and operators: arithmetic with scalars, reshape/permute/index/cat/stack, reductions."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(rb.randn(4))
        self.register_buffer("shift", rb.randn(1, 4))
        self.m = nn.Parameter(rb.randn(4, 2))

    def forward(self, x):
        y = (x * self.scale + self.shift - 1.5) / 2.0
        y = 1.0 - y.exp().sqrt() ** 2 + (-y).abs()
        z = y.reshape(-1, 2, 2).permute(0, 2, 1).flatten(1)
        z = rb.cat([z, y[:, 1:3], y[..., :1]], dim=1)
        s = rb.stack([z.sum(1), z.mean(dim=1), z[:, 0]], dim=1)
        w = z.unsqueeze(1).transpose(1, 2).squeeze(2)
        a, b = w.chunk(2, dim=1)
        return s, rb.matmul(a @ self.m, b[:, :2].t()).softmax(-1), y.mean((0, 1), keepdim=True).expand(x.shape[0], 3)


@needs_onnx
@pytest.mark.parametrize("opset", [17, 18, 21])
def test_tensor_ops_and_dynamic_batch(opset):
    _check(Arith(), rb.randn(3, 4), others=[rb.randn(6, 4)], input_names=["x"], dynamic_axes={"x": [0]},
           opset_version=opset)


class MoreOps(nn.Module):
    """In-place operators, clamp/maximum/square, masks and where, tensor and scalar indexing, .T/.mT, split,
    argmax, tril, comparisons and casts, a full reduction to a 0-d output."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(rb.randn(4, 4))

    def forward(self, x):
        y = x @ self.w.T
        y += 1
        y.mul_(2)
        y = y.clamp(-1.0, 3.0) + y.clamp(min=0.5) + rb.maximum(y, x) + y.square()
        z = y.masked_fill(y > 1, 0.0) + rb.where(y < 0, y, x)
        z = z[:, rb.tensor([0, 2])] + z.select(1, 3).unsqueeze(1) + x.mT[:2].T
        a, b = z.split(1, dim=1)
        return a * b, z.argmax(1), y.tril(), (x != 0).float(), x.sum()


@needs_onnx
def test_more_tensor_ops_and_dynamic_batch():
    _check(MoreOps(), rb.randn(3, 4), others=[rb.randn(5, 4)], dynamic_axes={"input_0": [0]})


# ---- the export call itself ---------------------------------------------------------------------------------
@needs_onnx
def test_writes_to_a_path_and_returns_the_model(tmp_path):
    import onnx

    model = nn.Sequential(nn.Linear(3, 2)).eval()
    path = tmp_path / "m.onnx"
    proto = rb.onnx.export(model, (rb.randn(1, 3),), str(path))
    loaded = onnx.load(str(path))
    assert loaded.SerializeToString() == proto.SerializeToString()
    assert loaded.opset_import[0].version == 20
    rb.onnx.export(model, rb.randn(1, 3), path)  # a PathLike and a bare tensor as args
    onnx.checker.check_model(onnx.load(str(path)))


@needs_onnx
def test_export_params_false_and_keep_initializers_as_inputs():
    model = nn.Sequential(nn.Linear(3, 2)).eval()
    proto = rb.onnx.export(model, rb.randn(1, 3), None, export_params=False)
    assert len(proto.graph.initializer) == 0
    assert [i.name for i in proto.graph.input] == ["input_0", "0.weight", "0.bias"]
    proto = rb.onnx.export(model, rb.randn(1, 3), None, keep_initializers_as_inputs=True)
    assert {i.name for i in proto.graph.input} == {"input_0", "0.weight", "0.bias"}
    assert {i.name for i in proto.graph.initializer} == {"0.weight", "0.bias"}


@needs_onnx
def test_unmapped_op_raises_naming_it():
    class M(nn.Module):
        def forward(self, x):
            return x.cumsum(1) + 1

    with pytest.raises(rb.onnx.errors.UnsupportedOperatorError, match="'Tensor.cumsum' to ONNX opset version 20"):
        rb.onnx.export(M(), rb.randn(2, 3), None)

    class F(nn.Module):
        def forward(self, x):
            return rb.flip(x, [0])

    with pytest.raises(rb.onnx.UnsupportedOperatorError, match="rosenblatt.flip"):
        rb.onnx.export(F(), rb.randn(2, 3), None)


@needs_onnx
def test_op_called_through_a_reference_the_exporter_cannot_wrap_raises_naming_its_gradient_node():
    hidden = [rb._C._nn.gelu]  # captured before export: the wrappers never see this call

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, x):
            return self.fc(hidden[0](x))

    with pytest.raises(rb.onnx.errors.UnsupportedOperatorError, match="Gelu"):
        rb.onnx.export(M(), rb.randn(2, 3), None)


@needs_onnx
def test_lstm_with_projections_raises_naming_it():
    with pytest.raises(rb.onnx.errors.UnsupportedOperatorError, match="LSTM with proj_size"):
        rb.onnx.export(_Wrap(nn.LSTM(3, 4, proj_size=2)), (rb.randn(5, 2, 3),), None)


@needs_onnx
def test_unknown_keyword_raises_type_error_and_torch_options_are_accepted():
    with pytest.raises(TypeError, match="not_an_option"):
        rb.onnx.export(nn.Linear(2, 2), rb.randn(1, 2), None, not_an_option=1)
    proto = rb.onnx.export(nn.Linear(2, 2), rb.randn(1, 2), None, do_constant_folding=False, dynamo=True,
                           optimize=True, verbose=False)
    assert _ops(proto) == ["Gemm"]


@needs_onnx
def test_unmapped_op_on_constants_only_is_folded():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(rb.randn(3))

        def forward(self, x):
            return x * self.w.cumsum(0)  # cumsum has no mapping, but reads no input: a constant

    _check(M(), rb.randn(2, 3))


@needs_onnx
def test_unmapped_op_whose_result_is_unused_does_not_raise():
    class M(nn.Module):
        def forward(self, x):
            assert bool(x.isfinite().all())  # a check on the input, not part of the output
            return x.relu()

    _check(M(), rb.randn(2, 3))


@needs_onnx
def test_training_mode_dropout_raises_and_wrappers_are_restored_after_an_error():
    from rosenblatt.nn import functional as F

    originals = (rb.cat, F.gelu, rb.Tensor.__add__, rb.Tensor.reshape, rb._C._nn.linear, rb.Tensor.T)

    class Boom(nn.Module):
        def forward(self, x):
            x = x + 1
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        rb.onnx.export(Boom(), rb.randn(2, 3), None)
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    with pytest.raises(rb.onnx.errors.UnsupportedOperatorError, match="dropout in training mode"):
        rb.onnx.export(model, rb.randn(2, 3), None, training=rb.onnx.TrainingMode.TRAINING)
    assert (rb.cat, F.gelu, rb.Tensor.__add__, rb.Tensor.reshape, rb._C._nn.linear, rb.Tensor.T) == originals
    assert model.training  # TRAINING mode left it as it was


@needs_onnx
def test_dims_that_must_match_but_are_named_apart_raise_a_clear_error():
    model = _Wrap(nn.GRU(3, 4))
    with pytest.raises(rb.onnx.OnnxExporterError, match="same name in dynamic_axes"):
        rb.onnx.export(model, (rb.randn(5, 2, 3), rb.randn(1, 2, 4)), None, input_names=["x", "h0"],
                       dynamic_axes={"x": [1], "h0": [1]})


@needs_onnx
def test_export_restores_every_wrapped_function():
    def snapshot():
        mods = [m for n, m in sys.modules.items() if n == "rosenblatt" or n.startswith("rosenblatt.")]
        return ({(m.__name__, k): id(v) for m in mods for k, v in list(vars(m).items())},
                {k: id(v) for k, v in vars(rb.Tensor).items()})

    _export(nn.Linear(2, 2).eval(), rb.randn(1, 2))  # the exporter's own modules are imported by now
    before = snapshot()
    _export(Encoder(), rb.randn(2, 3, 32), dynamic_axes={"input_0": [0]})
    assert snapshot() == before


@needs_onnx
def test_bad_opset_raises():
    with pytest.raises(ValueError, match="opset_version 9"):
        rb.onnx.export(nn.Linear(2, 2), rb.randn(1, 2), None, opset_version=9)


def test_missing_onnx_raises_import_error_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with pytest.raises(ImportError, match=r"pip install rosenblatt\[onnx\]"):
        rb.onnx.export(nn.Linear(2, 2), rb.randn(1, 2), io.BytesIO())


@needs_onnx
@requires_torch
def test_mlp_op_types_match_torch_onnx_export(tmp_path):
    import onnx
    import torch

    tm = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4)).eval()
    rm = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).eval()
    rm.load_state_dict({k: rb.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    path = tmp_path / "t.onnx"
    torch.onnx.export(tm, (torch.randn(3, 8),), str(path), dynamo=False, opset_version=17)
    theirs = onnx.load(str(path))
    ours = rb.onnx.export(rm, (rb.randn(3, 8),), None, opset_version=17)
    assert _ops(ours) == _ops(theirs)
    assert sorted(i.name for i in ours.graph.initializer) == sorted(i.name for i in theirs.graph.initializer)
    x = np.random.default_rng(0).standard_normal((3, 8)).astype(np.float32)
    np.testing.assert_allclose(_run(ours, rb.tensor(x))[0], tm(torch.tensor(x)).detach().numpy(), atol=1e-5)
