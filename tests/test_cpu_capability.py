"""Run-time CPU dispatch (rb.backends.cpu): the capability in use, RB_CPU_CAPABILITY, and the same
results, to float32 rounding, from every capability's copy of the hot kernels this machine can run
(the packed GEMM of the recurrent layers, the recurrent gate passes, the activation and
elementwise loops, convolution, pooling, batch norm, losses and the optimizer steps)."""
import os

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.nn.functional as F
from conftest import run_python
from rosenblatt.backends.cpu import _capability, _supported_capabilities

CAPS = _supported_capabilities()
NAMES = ["DEFAULT", "AVX2", "AVX512"]


def _python(code, **env):
    return run_python("-c", code, timeout=120, **env)


def test_capability_is_one_of_the_names_and_the_best_by_default():
    assert rb.backends.cpu.get_cpu_capability() in NAMES
    if "RB_CPU_CAPABILITY" not in os.environ:
        assert rb.backends.cpu.get_cpu_capability() == CAPS[-1]
    assert "CPU kernels:" in _python("import rosenblatt as rb; rb.show_config()").stdout


@pytest.mark.parametrize("cap", CAPS)
def test_environment_variable_forces_a_capability(cap):
    r = _python("import rosenblatt as rb; print(rb.backends.cpu.get_cpu_capability())", RB_CPU_CAPABILITY=cap.lower())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == cap


def test_environment_variable_errors_at_import():
    r = _python("import rosenblatt", RB_CPU_CAPABILITY="avx1024")
    assert r.returncode != 0 and "ImportError" in r.stderr, r.stderr
    assert "RB_CPU_CAPABILITY=avx1024" in r.stderr and "expected default, avx2 or avx512" in r.stderr
    unsupported = [n for n in NAMES if n not in CAPS and NAMES.index(n) > NAMES.index(CAPS[-1])]
    for name in unsupported:  # a capability above this CPU's: a clear error naming both
        r = _python("import rosenblatt", RB_CPU_CAPABILITY=name.lower())
        assert r.returncode != 0 and f"{name} is not available" in r.stderr and CAPS[-1] in r.stderr, r.stderr


def test_switching_to_an_unknown_or_unsupported_capability_raises_and_keeps_the_current_one():
    before = rb.backends.cpu.get_cpu_capability()
    with pytest.raises(ValueError, match="unknown CPU capability"):
        rb._C._set_cpu_capability("sse9")
    assert rb.backends.cpu.get_cpu_capability() == before


@pytest.mark.parametrize("cap", CAPS)
def test_switching_capability_switches_the_code(cap):
    """The copy that runs was compiled for the capability asked for (its compiler's own macros): the
    tables really differ, and the -march of each copy took effect."""
    with _capability(cap):
        assert rb._C._kernels_compiled_for() == cap


def test_detected_capability_agrees_with_the_cpu_flags():
    if len(rb._C._build_info["cpu_dispatch"]) == 1:
        pytest.skip("one copy of the kernels (RB_NATIVE or not x86-64)")
    from rosenblatt._load import cpu_flags

    flags = cpu_flags()
    if not flags:
        pytest.skip("no /proc/cpuinfo")
    v3 = {"avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"} <= flags
    v4 = v3 and {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"} <= flags
    assert rb._C._max_cpu_capability() == ("AVX512" if v4 else "AVX2" if v3 else "DEFAULT")


def _run_workloads(seed=0):
    """Forward and backward of the dispatched kernel families on fixed inputs; returns arrays."""
    rb.manual_seed(seed)
    rng = np.random.default_rng(seed)
    out = {}
    threads_before = rb.get_num_threads()
    # recurrent layers on the packed-GEMM path (T >= 2, batch <= 128): batches and hidden sizes off
    # the register tile (6 or 8 rows) and the panel (2 vectors), at 1 and 2 threads
    for threads in (1, 2):
        rb.set_num_threads(threads)
        for cls, B, H in ((rb.nn.LSTM, 13, 40), (rb.nn.GRU, 9, 33), (rb.nn.RNN, 16, 24), (rb.nn.LSTM, 1, 70)):
            layer = cls(7, H)
            x = rb.tensor(rng.standard_normal((5, B, 7), dtype=np.float32), requires_grad=True)
            y, _ = layer(x)
            (y * rb.tensor(rng.standard_normal(y.shape, dtype=np.float32))).sum().backward()
            key = f"{cls.__name__}{B}x{H}t{threads}"
            out[key] = y.detach().numpy().copy()
            out[key + "dx"] = x.grad.numpy().copy()
            out[key + "dw"] = layer.weight_hh_l0.grad.numpy().copy()
    rb.set_num_threads(threads_before)
    # activation and elementwise loops, contiguous and strided, lengths off every vector width
    a = rb.tensor(rng.standard_normal((37, 29), dtype=np.float32) * 6, requires_grad=True)
    for name, fn in (("sigmoid", rb.sigmoid), ("tanh", rb.tanh), ("relu", F.relu), ("elu", F.elu),
                     ("leaky", lambda t: F.leaky_relu(t, 0.1)), ("exp", rb.exp), ("softmax", lambda t: F.softmax(t, 1)),
                     ("log_softmax", lambda t: F.log_softmax(t, 0)), ("log", lambda t: (t * t + 1).log()),
                     ("sqrt", lambda t: (t * t).sqrt()),
                     ("strided", lambda t: rb.tanh(t.t()) * t.t() + 1)):
        a.grad = None
        y = fn(a)
        y.sum().backward()
        out[name] = y.detach().numpy().copy()
        out[name + "_grad"] = a.grad.numpy().copy()
    # convolution, pooling, batch norm, a loss and an optimizer step
    conv = rb.nn.Conv2d(3, 5, 3, padding=1)
    bn = rb.nn.BatchNorm2d(5)
    img = rb.tensor(rng.standard_normal((4, 3, 11, 9), dtype=np.float32), requires_grad=True)
    z = F.max_pool2d(F.relu(bn(conv(img))), 2)
    loss = F.cross_entropy(z.flatten(1)[:, :6], rb.tensor([0, 5, 2, 3]))
    opt = rb.optim.Adam(list(conv.parameters()) + list(bn.parameters()), lr=0.01)
    loss.backward()
    opt.step()
    out["conv_loss"] = np.array(loss.item())
    out["conv_dimg"] = img.grad.numpy().copy()
    out["conv_w_after_adam"] = conv.weight.detach().numpy().copy()
    return out


@pytest.mark.skipif(len(CAPS) < 2, reason="this CPU or build has one capability")
def test_every_capability_gives_the_same_results():
    results = {}
    for cap in CAPS:
        with _capability(cap):
            assert rb.backends.cpu.get_cpu_capability() == cap
            results[cap] = _run_workloads()
    base = results[CAPS[0]]
    for cap in CAPS[1:]:
        for key, ref in base.items():
            # float32 rounding: FMA contraction and vector widths reorder sums across capabilities
            np.testing.assert_allclose(results[cap][key], ref, rtol=2e-5, atol=2e-5,
                                       err_msg=f"{cap} vs {CAPS[0]}: {key}")


@pytest.mark.parametrize("cap", CAPS)
def test_each_capability_lstm_matches_float64(cap):
    """Each copy is accurate on its own, not only equal to the others: float32 LSTM vs the float64 one."""
    rng = np.random.default_rng(1)
    layer = rb.nn.LSTM(6, 45)
    layer64 = rb.nn.LSTM(6, 45).double()
    layer64.load_state_dict({k: v.double() for k, v in layer.state_dict().items()})
    x = rng.standard_normal((8, 19, 6))
    with _capability(cap):
        y32, _ = layer(rb.tensor(x.astype(np.float32)))
        y64, _ = layer64(rb.tensor(x))
    np.testing.assert_allclose(y32.detach().numpy(), y64.detach().numpy(), rtol=1e-4, atol=1e-5)


def test_a_cpu_below_the_x86_64_v2_baseline_is_refused_by_name(tmp_path):
    import platform

    from rosenblatt._load import _missing_baseline_features

    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("x86-64 only")
    assert _missing_baseline_features() == []  # this machine runs the tests, so it has them
    old = tmp_path / "cpuinfo"
    old.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 cx16 lahf_lm pni\n")
    assert _missing_baseline_features(str(old)) == ["popcnt", "sse4_1", "sse4_2"]
