"""Random numbers: seeding and Generator state, distributions of rand/randn/randint/randperm,
in-place fills (uniform_, normal_, bernoulli_, random_), and their errors."""
import numpy as np
import pytest

import rosenblatt as rb


def test_manual_seed_returns_default_generator_and_fixes_the_stream():
    g = rb.manual_seed(123)
    assert g is rb.default_generator
    assert rb.initial_seed() == 123
    a = rb.rand(5).tolist()
    rb.manual_seed(123)
    assert rb.rand(5).tolist() == a
    rb.manual_seed(124)
    assert rb.rand(5).tolist() != a


def test_generator_objects_are_independent_streams():
    g1 = rb.Generator().manual_seed(7)
    g2 = rb.Generator()
    assert g2.manual_seed(7) is g2
    rb.manual_seed(0)
    x = rb.randn(10, generator=g1)
    rb.rand(3)  # the default stream moving does not affect g2
    y = rb.randn(10, generator=g2)
    assert x.tolist() == y.tolist()
    assert g1.initial_seed() == 7
    assert g1.device == rb.device("cpu")


def test_get_set_state_round_trip():
    g = rb.Generator().manual_seed(5)
    rb.rand(3, generator=g)
    state = g.get_state()
    a = rb.randn(4, generator=g).tolist()
    g.set_state(state)
    assert rb.randn(4, generator=g).tolist() == a
    # the default generator through rosenblatt.random
    s = rb.random.get_rng_state()
    b = rb.rand(6).tolist()
    rb.set_rng_state(s)
    assert rb.rand(6).tolist() == b


def test_set_state_rejects_garbage_and_keeps_state():
    g = rb.Generator().manual_seed(9)
    before = g.get_state()
    with pytest.raises(RuntimeError, match="invalid RNG state"):
        g.set_state(rb.tensor([1, 2, 3]))
    with pytest.raises(TypeError, match="int64"):
        g.set_state(rb.rand(3))
    assert g.get_state().tolist() == before.tolist()


def test_fork_rng_restores_the_stream():
    rb.manual_seed(11)
    with rb.random.fork_rng():
        rb.rand(100)
    a = rb.rand(3).tolist()
    rb.manual_seed(11)
    assert rb.rand(3).tolist() == a


def test_seed_is_nondeterministic_and_recorded():
    s1 = rb.seed()
    assert rb.initial_seed() == s1
    s2 = rb.seed()
    assert s1 != s2
    g = rb.Generator()
    s = g.seed()
    assert g.initial_seed() == s


def test_negative_and_big_seeds_wrap_like_pytorch():
    rb.manual_seed(-1)
    assert rb.initial_seed() == 2**64 - 1
    with pytest.raises(RuntimeError, match="Overflow"):
        rb.manual_seed(2**64)


def test_rand_distribution_and_range():
    rb.manual_seed(0)
    x = rb.rand(100_000).numpy()
    assert x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() < 1.0
    assert abs(x.mean() - 0.5) < 0.01
    assert abs(x.var() - 1 / 12) < 0.005
    d = rb.rand(2, 3, dtype=rb.float64)
    assert d.dtype == rb.float64 and tuple(d.shape) == (2, 3)


def test_randn_moments():
    rb.manual_seed(1)
    x = rb.randn(200_001).numpy().astype(np.float64)  # odd count: the last draw comes unpaired
    assert abs(x.mean()) < 0.01
    assert abs(x.std() - 1.0) < 0.01
    # fourth moment of a normal is 3: catches a uniform or a badly paired Box-Muller
    assert abs(((x - x.mean()) ** 4).mean() / x.var() ** 2 - 3.0) < 0.1


def test_randint_forms_and_range():
    rb.manual_seed(2)
    a = rb.randint(10, (1000,))
    assert a.dtype == rb.int64 and tuple(a.shape) == (1000,)
    assert set(a.tolist()) == set(range(10))
    b = rb.randint(-3, 3, (2, 500)).numpy()
    assert b.min() == -3 and b.max() == 2
    c = rb.randint(0, 5, size=(4,), dtype=rb.float32)
    assert c.dtype == rb.float32 and all(v == int(v) for v in c.tolist())
    d = rb.randint_like(rb.zeros(3, 3), 4)
    assert d.dtype == rb.float32 and d.numpy().max() < 4
    e = rb.randint_like(rb.zeros(50, dtype=rb.int64), 5, 7)
    assert set(e.tolist()) <= {5, 6}


def test_randperm_is_a_permutation():
    rb.manual_seed(3)
    p = rb.randperm(50)
    assert p.dtype == rb.int64
    assert sorted(p.tolist()) == list(range(50))
    assert p.tolist() != list(range(50))
    assert rb.randperm(0).tolist() == []
    g = rb.Generator().manual_seed(1)
    q1 = rb.randperm(20, generator=g).tolist()
    g.manual_seed(1)
    assert rb.randperm(20, generator=g).tolist() == q1


def test_like_forms_keep_shape_and_dtype():
    x = rb.zeros(3, 4, dtype=rb.float64)
    for f in (rb.rand_like, rb.randn_like):
        y = f(x)
        assert tuple(y.shape) == (3, 4) and y.dtype == rb.float64
    assert rb.rand_like(x, dtype=rb.float32).dtype == rb.float32


def test_requires_grad_flag_on_random_creation():
    x = rb.randn(3, requires_grad=True)
    assert x.requires_grad and x.is_leaf


def test_uniform_normal_inplace():
    rb.manual_seed(4)
    x = rb.empty(50_000)
    assert x.uniform_(-2, 3) is x
    a = x.numpy()
    assert a.min() >= -2 and a.max() < 3 and abs(a.mean() - 0.5) < 0.05
    v = x._version
    x.normal_(5.0, 0.5)
    assert x._version > v  # an in-place write bumps the version counter
    a = x.numpy()
    assert abs(a.mean() - 5.0) < 0.01 and abs(a.std() - 0.5) < 0.01


def test_inplace_fill_of_a_strided_view_touches_only_the_view():
    x = rb.zeros(4, 6)
    v = x.t()  # non-contiguous view
    v.uniform_(1.0, 2.0)
    a = x.numpy()
    assert a.min() >= 1.0 and a.max() < 2.0
    y = rb.zeros(10)
    even = rb.from_numpy(y.numpy()[::2])  # a strided tensor over the even positions of y
    even.fill_(0.0).normal_()
    assert np.all(y.numpy()[1::2] == 0)
    assert np.all(y.numpy()[::2] != 0)


def test_bernoulli_inplace_and_functional():
    rb.manual_seed(5)
    x = rb.empty(20_000).bernoulli_(0.3)
    a = x.numpy()
    assert set(np.unique(a).tolist()) == {0.0, 1.0}
    assert abs(a.mean() - 0.3) < 0.02
    p = rb.tensor([0.0, 1.0, 0.0, 1.0])
    assert rb.bernoulli(p).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert p.bernoulli().tolist() == [0.0, 1.0, 0.0, 1.0]
    with pytest.raises(RuntimeError, match="p_in"):
        rb.bernoulli(rb.tensor([1.5]))
    with pytest.raises(RuntimeError, match=r"\[0, 1\]"):
        rb.empty(3).bernoulli_(2.0)


def test_random_inplace_forms():
    rb.manual_seed(6)
    x = rb.empty(1000, dtype=rb.int64).random_(3, 7)
    assert set(x.tolist()) == {3, 4, 5, 6}
    y = rb.empty(500).random_(4)
    assert set(y.tolist()) == {0.0, 1.0, 2.0, 3.0}
    z = rb.empty(100, dtype=rb.bool).random_()
    assert set(z.tolist()) == {False, True}


def test_exponential_mean():
    rb.manual_seed(8)
    x = rb.empty(100_000, dtype=rb.float64).exponential_(2.0).numpy()
    assert x.min() >= 0 and abs(x.mean() - 0.5) < 0.01


def test_normal_function():
    g = rb.Generator().manual_seed(3)
    x = rb.normal(2.0, 3.0, (100_000,), generator=g).numpy()
    assert abs(x.mean() - 2.0) < 0.05 and abs(x.std() - 3.0) < 0.05


def test_inplace_random_on_leaf_requiring_grad():
    w = rb.empty(3, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.uniform_()
    with rb.no_grad():  # what nn.init does
        w.normal_(0.0, 0.02)
    assert w.requires_grad and w.is_leaf
    assert np.all(np.abs(w.detach().numpy()) < 1.0)


def test_random_errors():
    with pytest.raises(RuntimeError, match="from=2 > to=1"):
        rb.empty(3).uniform_(2, 1)
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        rb.empty(3).normal_(0, -1)
    with pytest.raises(RuntimeError, match="floating point"):
        rb.rand(3, dtype=rb.int64)
    with pytest.raises(RuntimeError, match="floating point"):
        rb.empty(3, dtype=rb.int64).normal_()
    with pytest.raises(RuntimeError, match="from=5 >= to=5"):
        rb.randint(5, 5, (3,))
    with pytest.raises(RuntimeError, match="non-negative"):
        rb.randperm(-1)
    with pytest.raises(RuntimeError, match="negative dimension -2"):
        rb.rand(3, -2)
    with pytest.raises(TypeError):
        rb.randint(3)


def test_draws_are_independent_of_thread_count():
    old = rb.get_num_threads()
    try:
        rb.set_num_threads(1)
        rb.manual_seed(42)
        a = rb.randn(70_000).numpy().copy()
        rb.set_num_threads(2)
        rb.manual_seed(42)
        b = rb.randn(70_000).numpy()
    finally:
        rb.set_num_threads(old)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_multinomial_of_float16_and_bfloat16_probabilities(dtype):
    """The distribution runs in float32 (ATen's opmath): the same draws as float32 probabilities of the same
    (rounded) values under the same seed, zero-probability classes never drawn, and PyTorch's errors."""
    p = rb.tensor([[0.1, 0.2, 0.7, 0.0], [0.5, 0.0, 0.25, 0.25]]).to(getattr(rb, dtype))
    draws = []
    for probs in (p, p.float()):
        rb.manual_seed(3)
        draws.append((rb.multinomial(probs, 50, True), rb.multinomial(probs, 3), probs[0].multinomial(2)))
    for a, b in zip(*draws):
        assert a.dtype == rb.int64 and a.tolist() == b.tolist()
    assert 3 not in draws[0][0][0].tolist() and 1 not in draws[0][0][1].tolist()
    with pytest.raises(RuntimeError, match="inf.*nan.*< 0"):
        rb.multinomial(rb.tensor([-1.0, 1.0]).to(p.dtype), 1)
    with pytest.raises(RuntimeError, match="sum of probabilities <= 0"):
        rb.multinomial(rb.zeros(3, dtype=p.dtype), 1)
