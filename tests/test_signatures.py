"""The Python-level APIs that issue 13 lists (layers, functional forms, losses, optimizers, schedulers,
compile) have PyTorch's signatures: the same parameter names, kinds and defaults as inspect.signature reads
them from torch. Bound C++ functions are covered by their own tests (torch's builtins have no signature)."""
import inspect

import pytest

import rosenblatt as rb
from conftest import requires_torch, torch

NN = """Embedding EmbeddingBag LayerNorm GroupNorm RMSNorm InstanceNorm1d InstanceNorm2d GELU SiLU Mish Softplus
Softsign PReLU Hardtanh Hardsigmoid Hardswish ReLU6 SELU CELU GLU LogSigmoid Softmin Threshold MultiheadAttention
TransformerEncoder TransformerDecoder MaxPool1d AvgPool1d AdaptiveAvgPool1d Conv3d Unflatten ParameterList
ParameterDict Bilinear CosineSimilarity PairwiseDistance KLDivLoss PoissonNLLLoss GaussianNLLLoss
CosineEmbeddingLoss MarginRankingLoss TripletMarginLoss MultiLabelSoftMarginLoss MultiMarginLoss CTCLoss Linear
Conv1d Conv2d ConvTranspose2d LSTM GRU RNN LSTMCell GRUCell RNNCell Dropout Dropout1d Dropout2d Sequential ModuleList
ModuleDict CrossEntropyLoss MSELoss NLLLoss BCELoss BCEWithLogitsLoss L1Loss SmoothL1Loss HuberLoss Tanh ReLU
Sigmoid Softmax LogSoftmax Flatten Identity BatchNorm1d BatchNorm2d LeakyReLU ELU MaxPool2d AvgPool2d
AdaptiveAvgPool2d Upsample ZeroPad2d ConstantPad1d ReflectionPad2d LocalResponseNorm""".split()
# TransformerEncoderLayer/DecoderLayer/Transformer differ only in activation's default, each library's relu.
F = """embedding embedding_bag one_hot layer_norm group_norm rms_norm instance_norm gelu silu mish softplus
softsign prelu hardtanh hardsigmoid hardswish relu6 selu celu glu logsigmoid softmin threshold avg_pool1d
adaptive_avg_pool1d conv3d bilinear normalize cosine_similarity pairwise_distance kl_div poisson_nll_loss
gaussian_nll_loss cosine_embedding_loss margin_ranking_loss triplet_margin_loss multilabel_soft_margin_loss
multi_margin_loss ctc_loss cross_entropy mse_loss nll_loss linear softmax log_softmax relu pad interpolate
binary_cross_entropy binary_cross_entropy_with_logits l1_loss smooth_l1_loss huber_loss leaky_relu elu tanh
sigmoid conv1d conv2d avg_pool2d adaptive_avg_pool2d batch_norm unfold fold dropout1d local_response_norm
affine_grid grid_sample""".split()
OPTIM = "LBFGS Adamax RAdam Rprop SGD Adam AdamW RMSprop Adagrad Adadelta NAdam ASGD".split()
SCHED = """OneCycleLR CyclicLR CosineAnnealingWarmRestarts LinearLR SequentialLR ChainedScheduler PolynomialLR StepLR
MultiStepLR ExponentialLR CosineAnnealingLR ReduceLROnPlateau LambdaLR MultiplicativeLR ConstantLR""".split()


def _params(f):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return None
    out = []
    for p in sig.parameters.values():
        d = p.default
        if d is inspect.Parameter.empty or isinstance(d, (bool, int, float, str, tuple, type(None))):
            out.append((p.name, p.kind, d))
        else:  # a dtype, a function: compared by kind of object only
            out.append((p.name, p.kind, type(d).__name__ if not callable(d) else "callable"))
    return out


def _doc_params(f):
    """A pybind11 function's parameters from its docstring, ``name(a: T, b: T = d, *, c: T = e) -> R``, as
    (name, default text) with ``*`` for the keyword-only marker; None when it has several overloads."""
    lines = [ln for ln in (f.__doc__ or "").splitlines() if ln.startswith(f.__name__ + "(")]
    if len(lines) != 1:
        return None
    inner, depth, cur, parts = lines[0][len(f.__name__) + 1:lines[0].rindex(") ->")], 0, "", []
    for ch in inner:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [("*", None) if p == "*" else (p.split(":")[0].strip(), p.split(" = ")[1] if " = " in p else None)
            for p in parts if p]


def _as_doc(params):
    out = []
    for name, kind, d in params:
        if kind == inspect.Parameter.KEYWORD_ONLY and ("*", None) not in out:
            out.append(("*", None))
        out.append((name, None if d is inspect.Parameter.empty else repr(d)))
    return out


def _pairs(tmod, rmod, names, cls):
    return [pytest.param(getattr(tmod, n, None), getattr(rmod, n, None), cls, id=n) for n in names]


@requires_torch
@pytest.mark.parametrize("t, r, cls", _pairs(torch.nn, rb.nn, NN, True) + _pairs(torch.nn.functional, rb.nn.functional,
                                                                                  F, False)
                         + _pairs(torch.optim, rb.optim, OPTIM, True)
                         + _pairs(torch.optim.lr_scheduler, rb.optim.lr_scheduler, SCHED, True))
def test_signature_matches_pytorch(t, r, cls):
    assert r is not None, "missing in rosenblatt"
    want = _params(t.__init__ if cls else t)
    if want is None:
        pytest.skip("torch exposes no signature")
    got = _params(r.__init__ if cls else r)
    if got is None:  # bound in C++: the signature pybind11 writes
        got, want = _doc_params(r), _as_doc(want)
    assert got == want


@requires_torch
def test_compile_signature_is_pytorchs():
    want = _params(torch.compile)
    assert [p[:2] for p in _params(rb.compile)] == [p[:2] for p in want]
