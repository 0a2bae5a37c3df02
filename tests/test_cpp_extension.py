"""Another pybind11 extension (tests/cpp_extension) built against the installed C++ package takes and
returns rosenblatt tensors through rosenblatt/pybind11.h: no copies, and autograd flows through it.
Needs cmake, a C++ compiler, pybind11 and an installed package (a wheel, or a `cmake --install`
prefix named by RB_CMAKE_PREFIX_PATH); skips otherwise."""
import importlib.util
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import rosenblatt as rb


def _prefix():
    path = os.environ.get("RB_CMAKE_PREFIX_PATH") or rb.utils.cmake_prefix_path
    return path if os.path.isdir(path) else None


@pytest.fixture(scope="module")
def ext(tmp_path_factory):
    pybind11 = pytest.importorskip("pybind11")
    if shutil.which("cmake") is None or shutil.which("c++") is None:
        pytest.skip("needs cmake and a C++ compiler")
    if _prefix() is None:
        pytest.skip("no installed C++ package (install the wheel, or set RB_CMAKE_PREFIX_PATH to a "
                    "cmake --install prefix)")
    build = tmp_path_factory.mktemp("rb_ext_build")
    src = os.path.join(os.path.dirname(__file__), "cpp_extension")
    for cmd in (["cmake", "-S", src, "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                 f"-DCMAKE_PREFIX_PATH={_prefix()}", f"-DPython_EXECUTABLE={sys.executable}",
                 f"-Dpybind11_DIR={pybind11.get_cmake_dir()}"],
                ["cmake", "--build", str(build)]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    [so] = [f for f in os.listdir(build) if f.startswith("rb_ext_demo") and f.endswith(".so")]
    spec = importlib.util.spec_from_file_location("rb_ext_demo", os.path.join(build, so))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_autograd_flows_through_the_extensions_ops(ext):
    x = rb.randn(3, 4, requires_grad=True)
    y = ext.scaled_tanh(x, 2.0)
    assert isinstance(y, rb.Tensor) and y.requires_grad and y.grad_fn is not None
    np.testing.assert_allclose(y.detach().numpy(), np.tanh(2 * x.detach().numpy()), rtol=1e-6)
    (y * y).sum().backward()
    # one core for Python and the extension: its backward ran with Python's grad mode (off)
    assert not x.grad.requires_grad
    t = np.tanh(2 * x.detach().numpy())
    np.testing.assert_allclose(x.grad.numpy(), 2 * t * (1 - t * t) * 2, rtol=1e-5, atol=1e-6)


def test_tensors_cross_without_copies(ext):
    x = rb.zeros(3, 4)
    assert ext.data_address(x) == x.numpy().ctypes.data
    row = ext.first_row(x)
    row.fill_(5.0)
    assert x[0].tolist() == [5.0] * 4 and x[1].tolist() == [0.0] * 4
    assert ext.data_address(row) == x.numpy().ctypes.data
    same = ext.identity(x)
    same[2, 3] = 7.0
    assert x[2, 3].item() == 7.0


def test_a_cpp_module_inside_the_extension_is_differentiable_from_python(ext):
    x = rb.ones(5, 3, requires_grad=True)
    out = ext.linear_layer_out(x)
    assert out.shape == (5, 2)
    out.sum().backward()
    g = x.grad.numpy()  # each row: the column sums of the layer's weight
    assert g.shape == (5, 3) and np.abs(g).sum() > 0
    np.testing.assert_array_equal(g, np.broadcast_to(g[0], g.shape))


def test_grad_mode_is_shared_with_python(ext):
    x = rb.ones(2, requires_grad=True)
    with rb.no_grad():
        y = ext.scaled_tanh(x, 1.0)
    assert not y.requires_grad and y.grad_fn is None


def test_non_tensors_are_refused_with_a_type_error(ext):
    with pytest.raises(TypeError):
        ext.scaled_tanh(np.zeros((2, 2), dtype=np.float32), 1.0)


@pytest.mark.parametrize("which", ["lstm", "gru", "cnn"])
def test_cpp_modules_have_pythons_state_dict_keys_and_shapes(ext, which):
    from rosenblatt import nn

    py = {"lstm": lambda: nn.LSTM(3, 5, 2, bidirectional=True),
          "gru": lambda: nn.GRU(3, 5, 1, bias=False),
          "cnn": lambda: nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.ConvTranspose2d(4, 2, 2),
                                       nn.Flatten(), nn.LayerNorm(8), nn.Embedding(5, 8))}[which]()
    want = [(k, list(v.shape)) for k, v in py.state_dict().items()]
    assert [(k, list(s)) for k, s in ext.state_dict_keys(which)] == want


# (C++ optimizer, the same in rosenblatt.optim): both call the same fused step, so the results are equal.
_OPTIMIZERS = {
    "sgd_nesterov": lambda p: rb.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
    "adam": lambda p: rb.optim.Adam([p], lr=0.01),
    "adamw": lambda p: rb.optim.AdamW([p], lr=0.01),
    "rmsprop": lambda p: rb.optim.RMSprop([p], lr=0.01, alpha=0.99, momentum=0.5, centered=True),
}


def _start_and_grad():
    rng = np.random.default_rng(0)
    return rng.standard_normal(7).astype(np.float32), rng.standard_normal(7).astype(np.float32)


def _cpp_result(ext, which, steps=5):
    start, grad = _start_and_grad()
    p = rb.tensor(start.copy(), requires_grad=True)
    ext.optimize(p, rb.tensor(grad), which, steps)
    return p.detach().numpy()


@pytest.mark.parametrize("which", sorted(_OPTIMIZERS))
def test_cpp_optimizers_match_python(ext, which):
    start, grad = _start_and_grad()
    p = rb.tensor(start.copy(), requires_grad=True)
    opt = _OPTIMIZERS[which](p)
    for _ in range(5):
        p.grad = rb.tensor(grad)
        opt.step()
    got = _cpp_result(ext, which)
    np.testing.assert_array_equal(got, p.detach().numpy())
    assert not np.array_equal(got, start)


@pytest.mark.parametrize("which", sorted(_OPTIMIZERS))
def test_cpp_optimizers_match_torch(ext, which):
    torch = pytest.importorskip("torch")
    start, grad = _start_and_grad()
    p = torch.tensor(start.copy(), requires_grad=True)
    opt = {"sgd_nesterov": lambda: torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
           "adam": lambda: torch.optim.Adam([p], lr=0.01),
           "adamw": lambda: torch.optim.AdamW([p], lr=0.01),
           "rmsprop": lambda: torch.optim.RMSprop([p], lr=0.01, alpha=0.99, momentum=0.5, centered=True)}[which]()
    for _ in range(5):
        p.grad = torch.tensor(grad)
        opt.step()
    np.testing.assert_allclose(_cpp_result(ext, which), p.detach().numpy(), rtol=1e-6, atol=1e-7)


def test_dlpack_shares_memory_with_numpy():
    x = rb.arange(6.0)
    a = np.from_dlpack(x)
    a[0] = 42.0
    assert x[0].item() == 42.0
    y = rb.from_dlpack(a)
    y[1] = -1.0
    assert a[1] == -1.0
