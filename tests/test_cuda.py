"""The CUDA backend (issue 16). Without a GPU (CI, a CPU-only build, a CUDA build on a machine with
no driver) the tests check what a user sees there: the queries answer, asking for the device raises
PyTorch's RuntimeError and changes nothing. With a GPU, the CUDA kernels are checked against the CPU's."""
import numpy as np
import pytest

import rosenblatt as rb

BUILT = rb.backends.cuda.is_built()
GPU = rb.cuda.is_available()
# What asking for the device says: in a CUDA build without a driver or a GPU, CUDA's answer (which shows that
# rosenblatt._cuda installed its runtime into the core _C uses); in a CPU-only build, that it is not built.
NO_DEVICE = "NVIDIA driver|No CUDA GPUs are available" if BUILT else "not built with CUDA"
needs_gpu = pytest.mark.skipif(not GPU, reason="no GPU here (the CUDA half is verified on a GPU machine)")


def test_the_build_says_what_it_has():
    assert BUILT == (rb.cuda._cuda is not None)
    assert rb.cuda.device_count() >= (1 if GPU else 0)
    assert GPU == (rb.cuda.device_count() > 0)
    assert rb._config.config()["cuda_built"] == BUILT and rb._config.config()["cuda"] == GPU


@pytest.mark.skipif(GPU, reason="a GPU is present")
@pytest.mark.parametrize("make", [
    lambda: rb.zeros(2, device="cuda"),
    lambda: rb.ones(2, 3).cuda(),
    lambda: rb.tensor([1.0], device="cuda:0"),
    lambda: rb.arange(3.0).to("cuda"),
    lambda: rb.arange(3.0).to(device="cuda", dtype=rb.float64),
    lambda: rb.empty(0, device=rb.device("cuda", 0)),
    rb.cuda.init,
    rb.cuda.current_device,
    rb.cuda.synchronize,
])
def test_asking_for_the_gpu_without_one_raises(make):
    with pytest.raises(RuntimeError, match=NO_DEVICE):
        make()


@pytest.mark.skipif(GPU, reason="a GPU is present")
def test_a_module_that_cannot_move_stays_where_it_was():
    m = rb.nn.Sequential(rb.nn.Linear(3, 4), rb.nn.BatchNorm1d(4))
    before = {k: (v, v.device, v.dtype) for k, v in m.state_dict(keep_vars=True).items()}
    for move in (m.cuda, lambda: m.to("cuda"), lambda: m.to("cuda:0", rb.float64)):
        with pytest.raises(RuntimeError, match=NO_DEVICE):
            move()
        after = m.state_dict(keep_vars=True)
        assert all(after[k] is v and after[k].device == d and after[k].dtype == t for k, (v, d, t) in before.items())


def test_memory_queries_answer_without_a_gpu():
    if not GPU:
        assert rb.cuda.memory_allocated() == 0 and rb.cuda.max_memory_allocated() == 0
        assert rb.cuda.memory_reserved() == 0
        rb.cuda.reset_peak_memory_stats()
        rb.cuda.empty_cache()
    rb.cuda.manual_seed(0)
    rb.cuda.manual_seed_all(0)


def test_cpu_moves_keep_the_object():
    x = rb.ones(2, requires_grad=True)
    assert x.cpu() is x and x.to("cpu") is x and x.to(rb.device("cpu")) is x
    m = rb.nn.Linear(2, 2)
    w = m.weight
    assert m.cpu() is m and m.to("cpu") is m and m.weight is w


# ---- with a GPU: the CUDA kernels against the CPU's -------------------------------------------------
def _pair(a):
    return rb.tensor(a), rb.tensor(a, device="cuda")


@needs_gpu
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool",
                                   "float16", "bfloat16"])
def test_round_trip_keeps_every_bit(dtype):
    x = (rb.randn(5, 7) * 10).to(getattr(rb, dtype))
    g = x.cuda()
    assert g.device == rb.device("cuda", 0) and g.is_cuda and g.dtype == x.dtype
    assert rb.equal(g.cpu(), x)
    assert rb.equal(x.t().cuda().cpu(), x.t())  # a strided source moves as its values


@needs_gpu
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "lt", "ge"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_binary_ops_match_the_cpu(op, dtype):
    rng = np.random.default_rng(0)
    a = rng.integers(1, 5, (4, 1, 3)).astype(dtype)
    b = rng.integers(1, 5, (5, 3)).astype(dtype)
    (ca, ga), (cb, gb) = _pair(a), _pair(b)
    want, got = getattr(rb, op)(ca, cb), getattr(rb, op)(ga, gb)
    assert got.device.type == "cuda" and got.dtype == want.dtype
    np.testing.assert_allclose(got.cpu().numpy(), want.numpy(), rtol=1e-6)


@needs_gpu
@pytest.mark.parametrize("op", ["neg", "abs", "sign", "exp", "log", "sqrt"])
def test_unary_ops_match_the_cpu(op):
    a = np.random.default_rng(1).uniform(0.1, 3, (6, 5)).astype(np.float32)
    c, g = _pair(a)
    np.testing.assert_allclose(getattr(rb, op)(g).cpu().numpy(), getattr(rb, op)(c).numpy(), rtol=1e-6)


@needs_gpu
def test_fill_where_clamp_and_conversions_match_the_cpu():
    a = np.random.default_rng(2).standard_normal((3, 4)).astype(np.float32) * 300
    c, g = _pair(a)
    assert rb.equal(rb.full((2, 3), 7.5, device="cuda").cpu(), rb.full((2, 3), 7.5))
    assert rb.equal(rb.where(g > 0, g, -g).cpu(), rb.where(c > 0, c, -c))
    assert rb.equal(rb.clamp(g, -1, 1).cpu(), rb.clamp(c, -1, 1))
    for dt in (rb.float16, rb.bfloat16, rb.int32, rb.uint8, rb.bool, rb.float64):
        assert rb.equal(g.to(dt).cpu(), c.to(dt)), dt


@needs_gpu
def test_gradients_come_back_to_the_cpu_through_to():
    x = rb.randn(3, 4, requires_grad=True)
    y = (x.cuda() * 2 + 1).exp().cpu().sum()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), (2 * (x.detach() * 2 + 1).exp()).numpy(), rtol=1e-5)


@needs_gpu
def test_ops_without_a_cuda_kernel_say_so_and_mixing_devices_names_both():
    g = rb.ones(2, 3, device="cuda")
    with pytest.raises(RuntimeError, match="cuda:0.*cpu|cpu.*cuda:0"):
        g + rb.ones(2, 3)
    assert "device='cuda:0'" in repr(g)
    assert g.tolist() == [[1.0] * 3] * 2 and g[0, 0].item() == 1.0
    with pytest.raises(TypeError, match="Use Tensor.cpu"):
        g.numpy()


@needs_gpu
def test_the_caching_allocator_counts_and_reuses():
    rb.cuda.synchronize()
    base = rb.cuda.memory_allocated()
    x = rb.empty(1 << 20, device="cuda")
    assert rb.cuda.memory_allocated() - base >= 4 << 20
    reserved = rb.cuda.memory_reserved()
    del x
    assert rb.cuda.memory_allocated() == base
    y = rb.empty(1 << 20, device="cuda")  # the freed block comes back: nothing new from CUDA
    assert rb.cuda.memory_reserved() == reserved and rb.cuda.max_memory_allocated() >= base + (4 << 20)
    del y
