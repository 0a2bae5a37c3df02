"""rosenblatt.nn against torch.nn: module API, state_dict keys and loading (both ways, via numpy),
reprs, strict-loading errors that change nothing, train/eval, containers, losses, clip_grad."""
import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn as nn
import rosenblatt.nn.functional as F
from conftest import torch


def arr(t):
    return t.detach().numpy()


def make_pair(rb_lib, torch_lib):
    """The same architecture in both libraries."""
    def build(L):
        return L.Sequential(
            L.Linear(4, 8), L.ReLU(), L.Dropout(0.25), L.Linear(8, 8, bias=False), L.Tanh(),
            L.Sequential(OrderedDict(fc=L.Linear(8, 3), act=L.LeakyReLU(0.2))), L.Flatten(), L.Identity())
    return build(rb_lib), build(torch_lib)


@pytest.fixture
def pair():
    return make_pair(nn, torch.nn)


def load_torch_into_rb(ours, theirs):
    return ours.load_state_dict({k: v for k, v in theirs.state_dict().items()})


# ---- Parameter ----------------------------------------------------------------------------------

def test_parameter_is_tensor_sharing_memory():
    data = rb.zeros(2, 3)
    p = nn.Parameter(data)
    assert isinstance(p, rb.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and not data.requires_grad
    assert tuple(p.shape) == (2, 3)
    with rb.no_grad():
        p.fill_(2.0)
    assert arr(data).tolist() == [[2.0] * 3] * 2  # same storage
    q = nn.Parameter(rb.ones(2), requires_grad=False)
    assert not q.requires_grad
    assert tuple(nn.Parameter().shape) == (0,)
    with pytest.raises(TypeError, match="must be a Tensor"):
        nn.Parameter([1.0, 2.0])


@pytest.mark.skipif(not repr(rb.zeros(1)).startswith("tensor("), reason="Tensor printing comes with core-misc")
def test_parameter_repr_matches_torch():
    p = nn.Parameter(rb.tensor([[1.0, 2.5], [3.0, -1.0]]))
    tp = torch.nn.Parameter(torch.tensor([[1.0, 2.5], [3.0, -1.0]]))
    assert repr(p) == repr(tp).replace("torch", "rosenblatt")
    q = nn.Parameter(rb.tensor([1.0]), requires_grad=False)
    assert repr(q) == repr(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False))


def test_parameter_repr_deepcopy_pickle():
    p = nn.Parameter(rb.tensor([1.0, 2.0]))
    r = repr(p)
    assert r.startswith("Parameter containing:\n")
    assert r == "Parameter containing:\n" + rb.Tensor.__repr__(p)
    c = copy.deepcopy(p)
    assert isinstance(c, nn.Parameter) and c.requires_grad and c is not p
    with rb.no_grad():
        c.fill_(5.0)
    assert arr(p).tolist() == [1.0, 2.0]
    u = pickle.loads(pickle.dumps(p))
    assert isinstance(u, nn.Parameter) and u.requires_grad and arr(u).tolist() == [1.0, 2.0]


# ---- registration and traversal ------------------------------------------------------------------

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.fc2 = nn.Linear(3, 1)
        self.register_buffer("running", rb.zeros(3))
        self.register_buffer("scratch", rb.zeros(1), persistent=False)
        self.scale = nn.Parameter(rb.ones(1))
        self.plain = 3

    def forward(self, x):
        return self.fc2(F.tanh(self.fc1(x))) * self.scale


class TorchNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(2, 3)
        self.fc2 = torch.nn.Linear(3, 1)
        self.register_buffer("running", torch.zeros(3))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.scale = torch.nn.Parameter(torch.ones(1))


def test_registration_and_names_match_torch():
    ours, theirs = Net(), TorchNet()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_parameters(prefix="net", recurse=False)] == ["net.scale"]
    assert len(list(ours.parameters())) == 5 and len(list(ours.buffers())) == 2
    assert len(list(ours.children())) == 2 and len(list(ours.modules())) == 3
    assert ours.plain == 3 and "plain" not in ours._parameters
    assert ours.get_parameter("fc1.bias") is ours.fc1.bias
    assert ours.get_submodule("fc2") is ours.fc2
    assert "fc1" in dir(ours) and "scale" in dir(ours) and "running" in dir(ours)


def test_setattr_rules():
    m = Net()
    with pytest.raises(TypeError, match="cannot assign"):
        m.scale = rb.ones(1)  # a plain tensor cannot replace a parameter
    with pytest.raises(TypeError, match="cannot assign"):
        m.fc1 = 3
    m.scale = None
    assert "scale" not in dict(m.named_parameters())
    m.running = rb.ones(3)  # buffers take plain tensors
    assert arr(m.state_dict()["running"]).tolist() == [1.0] * 3
    del m.fc2
    assert "fc2" not in dict(m.named_children())
    with pytest.raises(AttributeError):
        _ = m.fc2
    with pytest.raises(KeyError, match="contain"):
        m.register_buffer("a.b", rb.zeros(1))
    with pytest.raises(AttributeError, match="before Module.__init__"):
        class Bad(nn.Module):
            def __init__(self):
                self.w = nn.Parameter(rb.zeros(1))
        Bad()


def test_shared_parameters_are_deduplicated():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    tlin = torch.nn.Linear(2, 2)
    tseq = torch.nn.Sequential(tlin, tlin)
    assert len(list(seq.parameters())) == 2
    assert [n for n, _ in seq.named_parameters()] == [n for n, _ in tseq.named_parameters()]
    assert list(seq.state_dict()) == list(tseq.state_dict())
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 4


# ---- state_dict and loading ---------------------------------------------------------------------

def test_state_dict_keys_and_values_match_torch(pair):
    ours, theirs = pair
    sd = ours.state_dict()
    assert isinstance(sd, OrderedDict)
    assert list(sd) == list(theirs.state_dict())
    assert list(sd) == ["0.weight", "0.bias", "3.weight", "5.fc.weight", "5.fc.bias"]
    assert all(not v.requires_grad for v in sd.values())
    assert all(v.requires_grad for v in ours.state_dict(keep_vars=True).values())
    # the values share memory with the parameters, as torch's do
    with rb.no_grad():
        ours[0].bias.fill_(0.5)
    assert arr(sd["0.bias"]).tolist() == [0.5] * 8


def test_load_torch_state_dict_gives_identical_outputs(pair, rng):
    ours, theirs = pair
    ours.eval(), theirs.eval()
    res = load_torch_into_rb(ours, theirs)
    assert res.missing_keys == [] and res.unexpected_keys == []
    x = rng.standard_normal((6, 4)).astype(np.float32)
    out = arr(ours(rb.from_numpy(x)))
    ref = theirs(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


def test_load_numpy_state_dict_and_back_into_torch(pair, rng):
    ours, theirs = pair
    ours.eval(), theirs.eval()
    with rb.no_grad():
        for p in ours.parameters():
            p.copy_(rb.from_numpy(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    as_numpy = {k: v.numpy().copy() for k, v in ours.state_dict().items()}
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in as_numpy.items()})
    fresh = make_pair(nn, torch.nn)[0].eval()
    fresh.load_state_dict(as_numpy)  # numpy arrays load directly
    x = rng.standard_normal((3, 4)).astype(np.float32)
    ref = theirs(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(arr(ours(rb.from_numpy(x))), ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(arr(fresh(rb.from_numpy(x))), ref, rtol=1e-5, atol=1e-6)


def test_load_keeps_parameter_identity_and_dtype():
    m = nn.Linear(3, 2)
    w = m.weight
    m.load_state_dict({"weight": np.ones((2, 3)), "bias": np.zeros(2)})  # float64 arrays into float32
    assert m.weight is w and w.dtype == rb.float32 and w.requires_grad
    assert arr(w).tolist() == [[1.0] * 3] * 2


def _snapshot(m):
    return {k: v.numpy().copy() for k, v in m.state_dict().items()}


def test_strict_errors_match_torch_and_change_nothing(pair):
    ours, theirs = pair
    before = _snapshot(ours)
    sd = {k: v.clone() for k, v in theirs.state_dict().items()}
    sd["0.weight"] = torch.zeros(8, 5)
    del sd["3.weight"]
    sd["extra.bias"] = torch.zeros(1)
    with pytest.raises(RuntimeError) as ours_err:
        ours.load_state_dict(sd)
    with pytest.raises(RuntimeError) as theirs_err:
        theirs.load_state_dict(sd)
    msg = str(ours_err.value)
    assert msg.startswith("Error(s) in loading state_dict for Sequential:\n"
                          "\tMissing key(s) in state_dict: \"3.weight\"")
    assert "size mismatch for 0.weight: copying a param with shape rosenblatt.Size([8, 5]) from checkpoint, " \
           "the shape in current model is rosenblatt.Size([8, 4])." in msg
    assert msg == str(theirs_err.value).replace("torch.Size", "rosenblatt.Size")
    after = _snapshot(ours)
    assert all(np.array_equal(before[k], after[k]) for k in before)  # 0.bias etc. were not copied


def test_non_strict_returns_keys():
    m = nn.Sequential(nn.Linear(2, 2))
    res = m.load_state_dict({"0.weight": np.eye(2, dtype=np.float32), "junk": np.zeros(1)}, strict=False)
    assert res.missing_keys == ["0.bias"] and res.unexpected_keys == ["junk"]
    assert arr(m[0].weight).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    with pytest.raises(RuntimeError, match="size mismatch for 0.weight"):
        m.load_state_dict({"0.weight": np.zeros((3, 2), np.float32)}, strict=False)
    with pytest.raises(RuntimeError, match='While copying the parameter named "0.bias"'):
        m.load_state_dict({"0.weight": np.zeros((2, 2), np.float32), "0.bias": "nope"})
    with pytest.raises(TypeError, match="dict-like"):
        m.load_state_dict([1, 2])


def test_buffers_in_state_dict_and_loading():
    m = Net()
    assert "scratch" not in m.state_dict() and "running" in m.state_dict()
    sd = {k: v.numpy() + 1.0 for k, v in m.state_dict().items()}
    m.load_state_dict(sd)
    assert arr(m.running).tolist() == [1.0] * 3


# ---- repr ---------------------------------------------------------------------------------------

def test_repr_identical_to_torch(pair):
    ours, theirs = pair
    assert repr(ours) == repr(theirs)
    for ctor in [lambda L: L.ReLU(inplace=True), lambda L: L.LeakyReLU(),
                 lambda L: L.ELU(alpha=0.5, inplace=True),
                 lambda L: L.Softmax(dim=-1), lambda L: L.LogSoftmax(), lambda L: L.Sigmoid(),
                 lambda L: L.Dropout(0.3, inplace=True), lambda L: L.Flatten(0, 2),
                 lambda L: L.MSELoss(), lambda L: L.CrossEntropyLoss(label_smoothing=0.1),
                 lambda L: L.ModuleList([L.Linear(2, 2), L.Linear(2, 2), L.Tanh()]),
                 lambda L: L.ModuleDict({"a": L.Linear(1, 2), "b": L.ReLU()}), lambda L: L.ModuleList(),
                 lambda L: L.Linear(3, 1, bias=False)]:
        assert repr(ctor(nn)) == repr(ctor(torch.nn))
    assert repr(Net()) == repr(TorchNet()).replace("TorchNet", "Net")
    assert repr(nn.Step()) == "Step()"


# ---- modes, grads, conversion --------------------------------------------------------------------

def test_train_eval_propagate(pair):
    ours, _ = pair
    assert all(m.training for m in ours.modules())
    assert ours.eval() is ours
    assert not any(m.training for m in ours.modules())
    ours[5].train()
    assert ours[5].act.training and not ours.training
    ours.train()
    assert all(m.training for m in ours.modules())
    with pytest.raises(ValueError, match="boolean"):
        ours.train("yes")


def test_dropout_respects_mode():
    d = nn.Dropout(0.5)
    x = rb.ones(1000)
    y = arr(d(x))
    assert set(np.unique(y).tolist()) <= {0.0, 2.0} and 300 < (y == 0).sum() < 700
    d.eval()
    assert np.array_equal(arr(d(x)), np.ones(1000, np.float32))
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


def test_zero_grad_and_requires_grad_():
    m = nn.Linear(3, 2)
    m(rb.ones(4, 3)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad(set_to_none=False)
    assert arr(m.weight.grad).tolist() == [[0.0] * 3] * 2
    m.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())


def test_to_double_float_keep_parameters(rng):
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    w = m[0].weight
    assert m.double() is m
    assert m[0].weight is w and w.dtype == rb.float64 and w.requires_grad
    x = rb.from_numpy(rng.standard_normal((2, 3)))
    assert m(x).dtype == rb.float64
    m.to(rb.float32)
    assert all(p.dtype == rb.float32 for p in m.parameters())
    assert m.to("cpu") is m and m.to(device="cpu", dtype=rb.float64) is m and w.dtype == rb.float64
    m.float()
    with pytest.raises(TypeError, match="floating point"):
        m.to(rb.int64)
    if not rb.cuda.is_available():
        with pytest.raises(RuntimeError, match="not available|NVIDIA driver|No CUDA GPUs"):
            m.to("cuda")
        with pytest.raises(RuntimeError, match="not available|NVIDIA driver|No CUDA GPUs"):
            nn.Linear(2, 2, device="cuda")
    assert nn.Linear(2, 2, device="cpu").weight.device == rb.device("cpu")


def test_apply_visits_children_first():
    seen = []
    m = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]

    def init_zero(mod):
        if isinstance(mod, nn.Linear):
            nn.init.zeros_(mod.weight)
    m.apply(init_zero)
    assert arr(m[0].weight).tolist() == [[0.0]]


def test_forward_hooks_and_missing_forward():
    m = nn.Linear(2, 2)
    calls = []
    h = m.register_forward_hook(lambda mod, inp, out: calls.append(tuple(out.shape)))
    m(rb.ones(3, 2))
    h.remove()
    m(rb.ones(3, 2))
    assert calls == [(3, 2)]
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(rb.ones(1))
    pre = m.register_forward_pre_hook(lambda mod, inp: (inp[0] * 0.0,))
    assert arr(m(rb.ones(1, 2))).tolist() == arr(m.bias).reshape(1, 2).tolist()
    pre.remove()


def test_call_passes_any_arguments():
    class Args(nn.Module):
        def forward(self, a=None, b=1, *rest, c=2):
            return (a, b, rest, c)

    m = Args()
    assert m() == (None, 1, (), 2)
    assert m(5) == (5, 1, (), 2)
    assert m(a=5, c=3) == (5, 1, (), 3)
    assert m(5, 6, 7, c=8) == (5, 6, (7,), 8)

    class Named(nn.Module):
        def forward(self, x, input=None):
            return (x, input)

    assert Named()(1, input=2) == (1, 2)  # 'input' is free for forward's own keywords
    assert Named()(x=3) == (3, None)


def test_deepcopy_and_pickle_module(rng):
    m = Net()
    m.running = rb.from_numpy(rng.standard_normal(3).astype(np.float32))
    for c in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert c.fc1.weight is not m.fc1.weight and isinstance(c.fc1.weight, nn.Parameter)
        assert c.fc1.weight.requires_grad
        for k, v in m.state_dict().items():
            np.testing.assert_array_equal(c.state_dict()[k].numpy(), v.numpy())
        with rb.no_grad():
            c.fc1.weight.fill_(9.0)
        assert not np.any(arr(m.fc1.weight) == 9.0)
        assert c.plain == 3


# ---- containers ---------------------------------------------------------------------------------

def test_sequential_indexing_and_mutation():
    s = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 3))
    assert len(s) == 3 and isinstance(s[0], nn.Linear) and s[-1] is s[2]
    sub = s[1:]
    assert isinstance(sub, nn.Sequential) and list(sub._modules) == ["1", "2"] and sub[1] is s[2]
    assert [type(m).__name__ for m in s] == ["Linear", "ReLU", "Linear"]
    s.append(nn.Sigmoid())
    assert list(s._modules) == ["0", "1", "2", "3"]
    del s[1]
    assert list(s._modules) == ["0", "1", "2"] and isinstance(s[1], nn.Linear)
    s[2] = nn.Tanh()
    assert isinstance(s[2], nn.Tanh)
    with pytest.raises(IndexError):
        s[5]
    named = nn.Sequential(OrderedDict([("inp", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert list(named.state_dict()) == ["inp.weight", "inp.bias"] and named.act is named[1]
    out = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))(rb.ones(5, 2))
    assert tuple(out.shape) == (5, 1)


def test_modulelist_and_moduledict():
    ml = nn.ModuleList([nn.Linear(1, 1) for _ in range(3)])
    ml.append(nn.Tanh())
    ml.extend([nn.ReLU()])
    ml.insert(0, nn.Sigmoid())
    assert len(ml) == 6 and isinstance(ml[0], nn.Sigmoid) and isinstance(ml[-1], nn.ReLU)
    assert list(ml.state_dict()) == ["1.weight", "1.bias", "2.weight", "2.bias", "3.weight", "3.bias"]
    assert isinstance(ml[1:3], nn.ModuleList) and len(ml[1:3]) == 2
    del ml[0]
    assert list(ml._modules) == [str(i) for i in range(5)]
    md = nn.ModuleDict({"enc": nn.Linear(2, 2)})
    md["dec"] = nn.Linear(2, 1)
    assert list(md.keys()) == ["enc", "dec"] and "dec" in md and len(md) == 2
    assert list(md.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert md.pop("enc") is not None and list(md) == ["dec"]


# ---- Linear init --------------------------------------------------------------------------------

def test_linear_default_init_bounds():
    m = nn.Linear(50, 40)
    bound = 1 / np.sqrt(50)
    w, b = arr(m.weight), arr(m.bias)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.9 * bound  # drawn over the whole range
    assert abs(w.std() - bound / np.sqrt(3)) < 0.01
    m64 = nn.Linear(3, 2, dtype=rb.float64)
    assert m64.weight.dtype == rb.float64 and m64.bias.dtype == rb.float64
    assert nn.Linear(3, 2, bias=False).bias is None


# ---- functional and losses against torch ---------------------------------------------------------

def test_activation_modules_match_torch(rng):
    x = rng.standard_normal((4, 5)).astype(np.float32)
    for name, kw in [("Sigmoid", {}), ("Tanh", {}), ("ReLU", {}), ("LeakyReLU", {"negative_slope": 0.1}),
                     ("ELU", {"alpha": 0.7}), ("Softmax", {"dim": 1}), ("LogSoftmax", {"dim": 0})]:
        ours = getattr(nn, name)(**kw)(rb.from_numpy(x.copy()))
        ref = getattr(torch.nn, name)(**kw)(torch.from_numpy(x.copy())).numpy()
        np.testing.assert_allclose(arr(ours), ref, rtol=1e-5, atol=1e-6, err_msg=name)
    y = rb.from_numpy(x.copy())
    assert nn.ReLU(inplace=True)(y) is not None
    assert arr(y).min() >= 0  # changed in place
    step = arr(nn.Step()(rb.tensor([-1.0, 0.0, 2.0])))
    assert step.tolist() == [0.0, 1.0, 1.0]


def test_softmax_implicit_dim_warns_and_uses_legacy_rule(rng):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = F.softmax(rb.from_numpy(x))
    np.testing.assert_allclose(arr(out).sum(axis=0), np.ones((3, 4)), rtol=1e-5)  # 3-d: dim 0
    with pytest.warns(UserWarning):
        out2 = F.log_softmax(rb.from_numpy(x[0]))
    np.testing.assert_allclose(np.exp(arr(out2)).sum(axis=1), np.ones(3), rtol=1e-5)  # 2-d: dim 1
    out3 = F.softmax(rb.from_numpy(x[0]), dim=0, dtype=rb.float64)
    assert out3.dtype == rb.float64


def _loss_cases(rng):
    x = rng.standard_normal((5, 4)).astype(np.float32)
    y = rng.standard_normal((5, 4)).astype(np.float32)
    p = rng.uniform(0.05, 0.95, (5, 4)).astype(np.float32)
    t01 = (rng.random((5, 4)) < 0.5).astype(np.float32)
    cls = rng.integers(0, 4, 5).astype(np.int64)
    cls[1] = -100
    w = rng.uniform(0.5, 2.0, 4).astype(np.float32)
    return [
        ("MSELoss", {}, x, y), ("L1Loss", {}, x, y), ("SmoothL1Loss", {"beta": 0.5}, x, y),
        ("HuberLoss", {"delta": 0.7}, x, y), ("BCELoss", {}, p, t01),
        ("BCELoss", {"weight": w}, p, t01), ("BCEWithLogitsLoss", {"pos_weight": w}, x, t01),
        ("BCEWithLogitsLoss", {"weight": w}, x, t01),
        ("CrossEntropyLoss", {"weight": w, "label_smoothing": 0.1}, x, cls),
        ("CrossEntropyLoss", {}, x, cls), ("NLLLoss", {"weight": w}, x, cls),
    ]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_loss_modules_match_torch(rng, reduction):
    for name, kw, inp, tgt in _loss_cases(rng):
        rkw = {k: rb.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        tkw = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        a = rb.from_numpy(inp.copy()).requires_grad_(True)
        ta = torch.from_numpy(inp.copy()).requires_grad_(True)
        ours = getattr(nn, name)(reduction=reduction, **rkw)(a, rb.from_numpy(tgt))
        ref = getattr(torch.nn, name)(reduction=reduction, **tkw)(ta, torch.from_numpy(tgt))
        np.testing.assert_allclose(arr(ours), ref.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
        ours.sum().backward()
        ref.sum().backward()
        np.testing.assert_allclose(arr(a.grad), ta.grad.numpy(), rtol=1e-4, atol=1e-6, err_msg=name)


def test_loss_buffers_and_functional_signatures(rng):
    w = rb.ones(3)
    assert list(nn.CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=w).state_dict()) == ["pos_weight"]
    assert list(nn.MSELoss().state_dict()) == [] and nn.MSELoss().reduction == "mean"
    x, y = rb.tensor([1.0, 2.0]), rb.tensor([0.0, 0.0])
    assert F.mse_loss(x, y).item() == pytest.approx(2.5)
    assert F.mse_loss(x, y, weight=rb.tensor([1.0, 0.0])).item() == pytest.approx(1.0)
    with pytest.warns(UserWarning, match="deprecated"):
        assert F.mse_loss(x, y, reduce=False).shape == (2,)
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(rb.ones(2, 1), rb.ones(2))
    with pytest.raises(ValueError, match="different to the input size"):
        F.binary_cross_entropy(rb.full((2, 1), 0.5), rb.ones(2))
    with pytest.raises(ValueError, match="must be the same as input size"):
        F.binary_cross_entropy_with_logits(rb.ones(2, 1), rb.ones(2))


def test_functional_matches_torch(rng):
    x = rng.standard_normal((3, 4)).astype(np.float32)
    w = rng.standard_normal((2, 4)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    R, T = rb.from_numpy, torch.from_numpy
    ref = torch.nn.functional.linear(T(x), T(w), T(b)).numpy()
    np.testing.assert_allclose(arr(F.linear(R(x), R(w), R(b))), ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(arr(F.linear(R(x), R(w))), (x @ w.T), rtol=1e-5, atol=1e-6)
    for fn in ["relu", "sigmoid", "tanh", "elu", "leaky_relu"]:
        np.testing.assert_allclose(arr(getattr(F, fn)(R(x))), getattr(torch.nn.functional, fn)(T(x)).numpy(),
                                   rtol=1e-5, atol=1e-6, err_msg=fn)
    x4 = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    assert tuple(F.flatten(R(x4), 1).shape) == (2, 60)
    assert tuple(nn.Flatten()(R(x4)).shape) == (2, 60)
    assert tuple(nn.Flatten(1, 2)(R(x4)).shape) == (2, 12, 5)
    assert arr(F.dropout(R(x), p=0.5, training=False)).tolist() == x.tolist()
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(R(x), p=-0.1)


# ---- clip_grad ----------------------------------------------------------------------------------

@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
def test_clip_grad_norm_matches_torch(rng, norm_type):
    ours, theirs = make_pair(nn, torch.nn)
    ours.eval(), theirs.eval()
    load_torch_into_rb(ours, theirs)
    x = rng.standard_normal((6, 4)).astype(np.float32)
    (ours(rb.from_numpy(x)) ** 2).sum().backward()
    (theirs(torch.from_numpy(x)) ** 2).sum().backward()
    total = nn.utils.clip_grad_norm_(ours.parameters(), max_norm=0.5, norm_type=norm_type)
    ref = torch.nn.utils.clip_grad_norm_(theirs.parameters(), max_norm=0.5, norm_type=norm_type)
    assert isinstance(total, rb.Tensor) and total.dim() == 0
    assert total.item() == pytest.approx(ref.item(), rel=1e-5)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(arr(p.grad), tp.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_clip_grad_value_and_nonfinite():
    p = nn.Parameter(rb.zeros(3))
    p.grad = rb.tensor([-3.0, 0.5, 2.0])
    nn.utils.clip_grad_value_([p], 1.0)
    assert arr(p.grad).tolist() == [-1.0, 0.5, 1.0]
    p.grad = rb.tensor([float("inf"), 0.0, 0.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
    assert nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
    q = nn.Parameter(rb.zeros(2))
    q.grad = rb.tensor([0.3, 0.4])
    assert nn.utils.clip_grad_norm_(q, 10.0).item() == pytest.approx(0.5)
    assert arr(q.grad).tolist() == pytest.approx([0.3, 0.4])  # below max_norm: unchanged


def test_parameters_to_vector_roundtrip():
    m = nn.Linear(3, 2)
    v = nn.utils.parameters_to_vector(m.parameters())
    assert tuple(v.shape) == (8,)
    np.testing.assert_array_equal(arr(v)[:6], arr(m.weight).reshape(-1))
    nn.utils.vector_to_parameters(rb.zeros(8), m.parameters())
    assert arr(m.weight).tolist() == [[0.0] * 3] * 2 and arr(m.bias).tolist() == [0.0, 0.0]


def test_bad_inputs_raise_like_torch(rng):
    logits = rb.from_numpy(rng.standard_normal((3, 4)).astype(np.float32))
    with pytest.raises(IndexError, match="out of bounds"):
        nn.CrossEntropyLoss()(logits, rb.tensor([0, 1, 9]))
    with pytest.raises(RuntimeError, match=r"4x5 and 3x2"):
        nn.Linear(3, 2)(rb.ones(4, 5))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        F.mse_loss(rb.ones(2), rb.ones(2), reduction="avg")
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.L1Loss(reduction="avg")(rb.ones(2), rb.ones(2))


def test_inplace_dropout_and_relu_return_their_input():
    x = rb.ones(200)
    assert nn.Dropout(0.5, inplace=True)(x) is x
    assert set(np.unique(arr(x)).tolist()) == {0.0, 2.0}
    y = rb.tensor([-1.0, 2.0])
    F.relu(y, inplace=True)
    assert arr(y).tolist() == [0.0, 2.0]
