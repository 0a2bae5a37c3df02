"""rb.Perceptron: Rosenblatt's learning rule in the C++ core: the seed's worked update, convergence
on separable data, non-convergence on XOR, agreement with a plain-Python statement of the rule,
and input checks."""
import numpy as np
import pytest

import rosenblatt as rb


def _rule_in_python(X, y, lr, max_epochs, lo):
    """The rule as written in the seed material: the reference the C++ loop must match."""
    w, b = np.zeros(X.shape[1]), 0.0
    errors = []
    for _ in range(max_epochs):
        mistakes = 0
        for xi, yi in zip(X, y):
            pred = 1 if xi @ w + b >= 0 else lo
            if pred != yi:
                mistakes += 1
                w = w + lr * (yi - pred) * xi
                b = b + lr * (yi - pred)
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, b, errors


def _separable(n=80, seed=0, labels=(0, 1)):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    margin = X @ np.array([1.5, -1.0]) + 0.2
    X = X[np.abs(margin) > 0.1]
    y = np.where(X @ np.array([1.5, -1.0]) + 0.2 > 0, labels[1], labels[0])
    return X, y


def test_worked_update_from_the_seed():
    p = rb.Perceptron(2, lr=0.1, dtype=rb.float64)
    p.weight = rb.from_numpy(np.array([0.5, -0.3]))  # float64, exactly the stated values
    p.bias = rb.from_numpy(np.array(0.1))
    # The seed states the prediction -1 (the forward pass would say +1): apply the rule as stated.
    assert p.update(rb.tensor([2.0, 3.0]), target=1, prediction=-1) is p
    np.testing.assert_allclose(p.weight.numpy(), [0.9, 0.3], rtol=0, atol=1e-12)
    assert p.bias.item() == pytest.approx(0.3, abs=1e-12)
    # no mistake, no change
    p.update([2.0, 3.0], target=1, prediction=1)
    np.testing.assert_allclose(p.weight.numpy(), [0.9, 0.3], rtol=0, atol=1e-12)


def test_converges_on_linearly_separable_data():
    X, y = _separable()
    p = rb.Perceptron(2, lr=1.0, max_epochs=1000).fit(rb.tensor(X, dtype=rb.float32), rb.tensor(y))
    assert p.converged_ is True
    assert p.n_epochs_ == len(p.errors_) and p.errors_[-1] == 0 and p.errors_[0] > 0
    pred = p.predict(rb.tensor(X, dtype=rb.float32))
    assert pred.dtype == rb.int64
    np.testing.assert_array_equal(pred.numpy(), y)
    assert p.score(X, y) == 1.0
    assert p.labels_ == (0, 1)


def test_minus_one_one_labels_and_python_reference():
    X, y = _separable(seed=3, labels=(-1, 1))
    p = rb.Perceptron(2, lr=0.5, max_epochs=500, dtype=rb.float64).fit(X, y)
    w, b, errors = _rule_in_python(X, y, 0.5, 500, lo=-1)
    assert p.labels_ == (-1, 1) and p.converged_
    assert p.errors_ == errors
    np.testing.assert_allclose(p.weight.numpy(), w, rtol=0, atol=1e-12)
    assert p.bias.item() == pytest.approx(b, abs=1e-12)
    np.testing.assert_array_equal(p.predict(X).numpy(), y)
    assert set(p.predict(X).tolist()) == {-1, 1}


def test_does_not_converge_on_xor():
    X = rb.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = rb.tensor([0, 1, 1, 0])
    p = rb.Perceptron(2, max_epochs=50).fit(X, y)
    assert p.converged_ is False
    assert p.n_epochs_ == 50 and len(p.errors_) == 50 and min(p.errors_) > 0
    assert p.score(X, y) < 1.0


def test_single_sample_predict():
    p = rb.Perceptron(2)
    p.weight = rb.tensor([1.0, -1.0])
    assert p.predict([2.0, 1.0]).item() == 1 and p.predict([0.0, 1.0]).item() == 0
    assert p.predict(rb.tensor([2.0, 1.0])).dim() == 0


def test_bad_inputs_raise_with_shapes():
    p = rb.Perceptron(2)
    with pytest.raises(ValueError, match=r"X has shape \[4, 3\].*2 features"):
        p.fit(rb.zeros(4, 3), rb.zeros(4))
    with pytest.raises(ValueError, match=r"\[4, 2\].*y has shape \[3\]"):
        p.fit(rb.zeros(4, 2), rb.zeros(3))
    with pytest.raises(ValueError, match=r"2-D.*\[8\]"):
        p.fit(rb.zeros(8), rb.zeros(8))
    with pytest.raises(ValueError, match=r"labels must be in \{0, 1\} or \{-1, 1\}, found 2"):
        p.fit(rb.zeros(3, 2), rb.tensor([0, 2, 1]))
    with pytest.raises(ValueError, match="both 0 and -1"):
        p.fit(rb.zeros(3, 2), rb.tensor([0, -1, 1]))
    with pytest.raises(ValueError, match=r"x must have shape \[2\].*\[3\]"):
        p.update(rb.zeros(3), 1, 0)
    with pytest.raises(ValueError, match=r"shape \[5, 3\]"):
        p.predict(rb.zeros(5, 3))
    with pytest.raises(ValueError, match="n_features"):
        rb.Perceptron(0)
    # a failed call changes no state
    assert p.weight.tolist() == [0.0, 0.0] and p.bias.item() == 0.0


def test_integer_inputs_and_net_input():
    X = rb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]])  # int64 features: AND is separable
    y = rb.tensor([0, 0, 0, 1])
    p = rb.Perceptron(2, lr=1.0, max_epochs=20).fit(X, y)
    assert p.converged_ and p.predict(X).tolist() == [0, 0, 0, 1]
    net = p.net_input(X).numpy()
    expected = X.numpy().astype(np.float32) @ p.weight.numpy() + p.bias.item()
    np.testing.assert_allclose(net, expected, rtol=1e-6)
    assert ((net >= 0).astype(np.int64) == p.predict(X).numpy()).all()
