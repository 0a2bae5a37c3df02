"""The compiler entry points (compile, jit.script/trace/ignore/unused) hand back what they get with one
warning per process; inference_mode; the torch.backends flags scripts set, stored and read back; add/sub's
alpha= and Tensor.type, which ported scripts call."""
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from conftest import requires_torch, run_python
from rosenblatt import _eager, nn


@pytest.fixture
def fresh_warning(monkeypatch):
    """Each test sees the process as if nothing had warned yet."""
    monkeypatch.setattr(_eager, "_warned", False)


def _double(x):
    return x * 2


def _calls(recorded):
    return [w for w in recorded if "rosenblatt has no compiler" in str(w.message)]


def test_the_warning_comes_once_per_process_over_every_entry_point():
    code = ("import warnings; warnings.simplefilter('always'); import rosenblatt as rb\n"
            "m = rb.nn.Linear(2, 2)\n"
            "assert rb.compile(m) is m and rb.jit.script(m) is m and rb.jit.trace(m, rb.ones(1, 2)) is m\n"
            "rb.compile(lambda x: x)\n"
            "m.compile()\n")
    r = run_python("-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("rosenblatt has no compiler") == 1, r.stderr
    assert "UserWarning" in r.stderr and "rosenblatt.compile" in r.stderr


def test_compile_returns_its_argument(fresh_warning):
    m = nn.Linear(3, 2)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert rb.compile(m) is m
        assert rb.compile(_double, fullgraph=True, dynamic=False, backend="eager", mode="max-autotune") is _double
        assert rb.compile(m, options={"trace.enabled": True}) is m
    assert len(_calls(rec)) == 1 and rec[0].category is UserWarning
    assert rec[0].filename == __file__  # points at the caller, not the library
    assert m.compile() is None  # Module.compile works in place, as torch's


def test_compile_as_decorator_with_and_without_arguments(fresh_warning):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")

        @rb.compile
        def f(x):
            return x + 1

        @rb.compile(mode="reduce-overhead", dynamic=True)
        def g(x):
            return x - 1

    assert f.__name__ == "f" and g.__name__ == "g"
    assert f(rb.ones(2)).tolist() == [2.0, 2.0] and g(rb.ones(2)).tolist() == [0.0, 0.0]
    assert len(_calls(rec)) == 1


def test_compile_disable_and_bad_arguments(fresh_warning):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert rb.compile(_double, disable=True) is _double
    assert _calls(rec) == [] and _eager._warned is False
    with pytest.raises(RuntimeError, match="mode or options"):
        rb.compile(_double, mode="default", options={})
    with pytest.raises(RuntimeError, match="None"):
        rb.compile()(None)
    with pytest.raises(TypeError, match="callable"):
        rb.compile(3)


def test_jit_script_trace_ignore_unused_are_identity(fresh_warning):
    m = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        assert rb.jit.script(m) is m
        assert rb.jit.trace(_double, (rb.ones(2),)) is _double
        assert rb.jit.trace(m, example_inputs=rb.ones(1, 2), check_trace=False) is m
        assert rb.jit.ignore(_double) is _double
        assert rb.jit.ignore(drop=True)(_double) is _double
        assert rb.jit.unused(_double) is _double
    assert len(_calls(rec)) == 1 and "rosenblatt.jit.script" in str(rec[0].message)
    assert not rb.jit.is_scripting() and not rb.jit.is_tracing() and not rb.compiler.is_compiling()
    assert rb.compiler.disable(_double) is _double and rb.compiler.disable()(_double) is _double


def test_ignore_and_unused_never_warn(fresh_warning):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        rb.jit.ignore(_double)
        rb.jit.unused(_double)
    assert rec == [] and _eager._warned is False


def test_inference_mode_turns_grad_off_and_restores_it():
    x = rb.ones(3, requires_grad=True)
    with rb.inference_mode():
        assert not rb.is_grad_enabled() and rb.is_inference_mode_enabled()
        assert not (x * 2).requires_grad
        with rb.inference_mode(False):  # mode=False turns grad on, even inside no_grad, as in torch
            assert rb.is_grad_enabled() and not rb.is_inference_mode_enabled()
            assert (x * 2).requires_grad
        assert not rb.is_grad_enabled() and rb.is_inference_mode_enabled()
    assert rb.is_grad_enabled() and not rb.is_inference_mode_enabled()
    with rb.no_grad(), rb.inference_mode(mode=False):
        assert rb.is_grad_enabled()
    assert (x * 2).requires_grad


def test_inference_mode_as_decorator_in_every_form():
    x = rb.ones(3, requires_grad=True)

    @rb.inference_mode
    def bare(t):
        return t * 2, rb.is_grad_enabled()

    @rb.inference_mode()
    def called(t):
        return t * 2

    @rb.inference_mode(False)
    def off(t):
        return t * 2

    out, enabled = bare(x)
    assert bare.__name__ == "bare" and not enabled and not out.requires_grad
    assert not called(x).requires_grad
    with rb.no_grad():
        assert off(x).requires_grad
    assert rb.is_grad_enabled()


def test_inference_mode_restores_on_exception():
    with pytest.raises(ValueError), rb.inference_mode():
        raise ValueError
    assert rb.is_grad_enabled() and not rb.is_inference_mode_enabled()


@pytest.fixture
def restore_backends():
    saved = dict(cudnn={k: getattr(rb.backends.cudnn, k) for k in ("benchmark", "deterministic", "enabled",
                                                                     "allow_tf32")},
                 precision=rb.get_float32_matmul_precision(),
                 det=(rb.are_deterministic_algorithms_enabled(), rb.is_deterministic_algorithms_warn_only_enabled()))
    yield
    for k, v in saved["cudnn"].items():
        setattr(rb.backends.cudnn, k, v)
    rb.set_float32_matmul_precision(saved["precision"])
    rb.use_deterministic_algorithms(saved["det"][0], warn_only=saved["det"][1])


def test_backend_flags_round_trip(restore_backends):
    cudnn = rb.backends.cudnn
    assert (cudnn.benchmark, cudnn.deterministic, cudnn.enabled, cudnn.allow_tf32) == (False, False, True, True)
    cudnn.benchmark, cudnn.deterministic, cudnn.enabled, cudnn.allow_tf32 = True, True, False, False
    assert (cudnn.benchmark, cudnn.deterministic, cudnn.enabled, cudnn.allow_tf32) == (True, True, False, False)
    with cudnn.flags(enabled=True, benchmark=False, deterministic=False, allow_tf32=True):
        assert (cudnn.benchmark, cudnn.enabled) == (False, True)
    assert (cudnn.benchmark, cudnn.enabled) == (True, False)
    assert not cudnn.is_available() and not rb.backends.mps.is_available() and not rb.backends.mps.is_built()


def test_matmul_precision_and_tf32_flag_mirror_each_other(restore_backends):
    matmul = rb.backends.cuda.matmul
    assert rb.get_float32_matmul_precision() == "highest" and matmul.allow_tf32 is False
    matmul.allow_tf32 = True
    assert rb.get_float32_matmul_precision() == "high"
    rb.set_float32_matmul_precision("medium")
    assert matmul.allow_tf32 is True
    rb.set_float32_matmul_precision("highest")
    assert matmul.allow_tf32 is False
    with pytest.warns(UserWarning, match="bogus"):
        rb.set_float32_matmul_precision("bogus")
    assert rb.get_float32_matmul_precision() == "highest"
    matmul.allow_fp16_reduced_precision_reduction = False
    assert matmul.allow_fp16_reduced_precision_reduction is False
    matmul.allow_fp16_reduced_precision_reduction = True
    with pytest.raises(AttributeError, match="Unknown attribute"):
        matmul.allow_tf16 = True
    rb.use_deterministic_algorithms(True, warn_only=True)
    assert rb.are_deterministic_algorithms_enabled() and rb.is_deterministic_algorithms_warn_only_enabled()


@requires_torch
def test_defaults_match_pytorch():
    import torch
    tb, rbb = torch.backends, rb.backends
    for name in ("benchmark", "deterministic", "enabled", "allow_tf32"):
        assert getattr(rbb.cudnn, name) == getattr(tb.cudnn, name), name
    assert rb.get_float32_matmul_precision() == torch.get_float32_matmul_precision()
    assert rbb.cuda.matmul.allow_tf32 == tb.cuda.matmul.allow_tf32
    assert rb.are_deterministic_algorithms_enabled() == torch.are_deterministic_algorithms_enabled()


@requires_torch
def test_add_and_sub_take_alpha_as_in_pytorch(rng):
    import torch
    a, b = rng.standard_normal(5).astype(np.float32), rng.standard_normal(5).astype(np.float32)
    for name in ("add", "sub"):
        want = getattr(torch, name)(torch.tensor(a), torch.tensor(b), alpha=-0.5).numpy()
        np.testing.assert_allclose(getattr(rb, name)(rb.tensor(a), rb.tensor(b), alpha=-0.5).numpy(), want, rtol=1e-6)
        np.testing.assert_allclose(getattr(rb.tensor(a), name)(rb.tensor(b), alpha=-0.5).numpy(), want, rtol=1e-6)
        x = rb.tensor(a)
        assert getattr(x, name + "_")(rb.tensor(b), alpha=-0.5) is x
        np.testing.assert_allclose(x.numpy(), want, rtol=1e-6)
    assert rb.add(2, rb.ones(2), alpha=3).tolist() == [5.0, 5.0]
    w = nn.Parameter(rb.ones(3))
    (w * 2).sum().backward()
    w.data.add_(w.grad, alpha=-0.25)  # word_language_model's update
    assert w.tolist() == [0.5, 0.5, 0.5]
    x = rb.ones(2, requires_grad=True)
    rb.add(x, x * x, alpha=2).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]


def test_tensor_type_converts_and_names():
    x = rb.tensor([1, 2])
    assert x.type() == "rosenblatt.LongTensor" and rb.ones(1).type() == "rosenblatt.FloatTensor"
    assert x.type(rb.float64).dtype == rb.float64 and x.type("torch.DoubleTensor").dtype == rb.float64
    assert x.type(rb.int64).tolist() == [1, 2]
    assert x.type("torch.HalfTensor").dtype == rb.float16 and x.type("rosenblatt.ByteTensor").tolist() == [1, 2]
    with pytest.raises(ValueError, match="invalid type"):
        x.type("torch.ComplexFloatTensor")
