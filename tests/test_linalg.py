"""torch.linalg's factorizations beyond what tests/op_specs.py drives: PyTorch's errors and LinAlgError
messages, the *_ex info codes, named-tuple results, batching and broadcasting, empty inputs, double
backward, the singular determinant's gradient, the older top-level API, and the docstring examples."""
import doctest

import numpy as np
import pytest

import rosenblatt as rb
from conftest import HAVE_TORCH, requires_torch, torch

LA = rb.linalg
SINGULAR = [[1.0, 0, 0], [0, 1.0, 0], [0, 0, 0]]


def _t(a, dtype=rb.float64, grad=False):
    return rb.tensor(np.asarray(a, dtype=np.float64), dtype=dtype).requires_grad_(grad)


def _err(exc, match, f, *a, **kw):
    with pytest.raises(exc) as e:
        f(*a, **kw)
    assert match in str(e.value), str(e.value)
    return e.value


# --- errors ---------------------------------------------------------------------------------------

def test_linalg_error_is_a_runtime_error_named_as_torch():
    assert issubclass(LA.LinAlgError, RuntimeError)
    assert LA.LinAlgError.__name__ == "_LinAlgError"


@pytest.mark.parametrize("name", ["inv", "det", "slogdet", "cholesky", "eigh", "eigvalsh"])
def test_non_square_raises_with_shapes(name):
    _err(RuntimeError, f"linalg.{name.replace('vals', '')}: A must be batches of square matrices, but they are 2 by "
                       "3 matrices", getattr(LA, name), rb.ones(2, 3))


@pytest.mark.parametrize("name", ["inv", "det", "svd", "qr", "cholesky"])
def test_integer_and_1d_inputs_raise(name):
    _err(RuntimeError, "Expected a floating point or complex tensor as input. Got Long", getattr(LA, name),
         rb.ones(2, 2, dtype=rb.int64))
    _err(RuntimeError, "must have at least 2 dimensions", getattr(LA, name), rb.ones(3))


def test_singular_messages_are_torchs():
    e = _err(LA.LinAlgError, "linalg.inv: The diagonal element 3 is zero, the inversion could not be completed "
                             "because the input matrix is singular.", LA.inv, _t(SINGULAR))
    assert "Batch" not in str(e)
    _err(LA.LinAlgError, "linalg.inv: (Batch element 1): The diagonal element 3 is zero", LA.inv,
         rb.stack([rb.eye(3), _t(SINGULAR, rb.float32)]))
    _err(LA.LinAlgError, "torch.linalg.solve: The solver failed because the input matrix is singular.", LA.solve,
         _t(SINGULAR), _t([1.0, 1, 1]))
    _err(LA.LinAlgError, "linalg.cholesky: The factorization could not be completed because the input is not "
                         "positive-definite (the leading minor of order 2 is not positive-definite).", LA.cholesky,
         _t([[1.0, 2], [2, 1]]))
    _err(RuntimeError, "linalg.inv: The diagonal element", rb.inverse, _t(SINGULAR))


def test_solve_shape_and_dtype_errors():
    _err(RuntimeError, "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x1)", LA.solve,
         rb.eye(3), rb.ones(4))
    _err(RuntimeError, "linalg.solve: Expected A and B to have the same dtype, but found A of type Double and B of "
                       "type Float instead", LA.solve, rb.eye(3, dtype=rb.float64), rb.ones(3))
    _err(RuntimeError, "Vector broadcasting of the left hand side is not supported for left=False", LA.solve,
         rb.eye(3), rb.ones(3), left=False)


def test_argument_errors():
    _err(RuntimeError, "Expected UPLO argument to be 'L' or 'U', but got X", LA.eigh, rb.eye(2), UPLO="X")
    _err(RuntimeError, "qr received unrecognized mode 'x'", LA.qr, rb.eye(2), mode="x")
    _err(RuntimeError, "only supported on CUDA inputs", LA.svd, rb.eye(2), driver="gesvd")
    _err(TypeError, "", LA.solve_triangular, rb.eye(2), rb.eye(2))  # upper is keyword-only and required


def test_failed_call_changes_nothing():
    a = _t(SINGULAR)
    before = a.numpy().copy()
    with pytest.raises(LA.LinAlgError):
        LA.inv(a)
    np.testing.assert_array_equal(a.numpy(), before)


# --- *_ex, named tuples -------------------------------------------------------------------------

def test_ex_variants_return_info_instead_of_raising():
    r = LA.inv_ex(rb.stack([rb.eye(3), _t(SINGULAR, rb.float32)]))
    assert r.info.dtype == rb.int32 and r.info.tolist() == [0, 3]
    assert type(r).__name__ == "linalg_inv_ex" and r._fields == ("inverse", "info")
    c = LA.cholesky_ex(_t([[1.0, 0, 0], [0, 1, 0], [0, 0, -1]]))
    assert c.info.item() == 3 and c._fields == ("L", "info")
    s = LA.solve_ex(_t(SINGULAR), _t([1.0, 1, 1]))
    assert s.info.item() > 0 and s._fields == ("result", "info")
    with pytest.raises(LA.LinAlgError):
        LA.inv_ex(_t(SINGULAR), check_errors=True)


def test_named_tuple_fields_match_torch():
    a = _t([[2.0, 1], [1, 3]])
    assert LA.slogdet(a)._fields == ("sign", "logabsdet") and type(LA.slogdet(a)).__name__ == "linalg_slogdet"
    assert LA.qr(a)._fields == ("Q", "R")
    assert LA.svd(a)._fields == ("U", "S", "Vh")
    assert LA.eigh(a)._fields == ("eigenvalues", "eigenvectors")
    assert rb.svd(a)._fields == ("U", "S", "V") and rb.slogdet(a)._fields == ("sign", "logabsdet")
    assert rb.qr(a)._fields == ("Q", "R")


# --- shapes: batches, broadcasting, empty ------------------------------------------------------

def test_solve_broadcasts_batches_and_vectors(rng):
    a = rng.standard_normal((2, 1, 3, 3)) + 3 * np.eye(3)
    b = rng.standard_normal((4, 3, 2))
    x = LA.solve(_t(a), _t(b))
    assert tuple(x.shape) == (2, 4, 3, 2)
    np.testing.assert_allclose(x.numpy(), np.linalg.solve(a, b), atol=1e-10)
    # B of A's shape without its last dim is a batch of vectors; 1-D B is one vector for every matrix
    assert tuple(LA.solve(_t(a[:, 0]), _t(rng.standard_normal((2, 3)))).shape) == (2, 3)
    assert tuple(LA.solve(_t(a), _t(rng.standard_normal(3))).shape) == (2, 1, 3)


@pytest.mark.parametrize("shape", [(0, 3, 3), (2, 0, 0)])
def test_empty_inputs(shape):
    a = rb.zeros(*shape)
    assert tuple(LA.inv(a).shape) == shape
    assert tuple(LA.det(a).shape) == shape[:-2]
    assert LA.det(a).tolist() == [1.0] * shape[0] if shape[-1] == 0 else True
    assert tuple(LA.cholesky(a).shape) == shape
    assert tuple(LA.eigh(a).eigenvalues.shape) == shape[:-1]
    assert tuple(LA.svd(a).S.shape) == shape[:-1]


SOLVE_EMPTY = [((0, 0), (0,), (0,)), ((0, 0), (0, 3), (0, 3)), ((2, 0, 0), (2, 0), (2, 0)),
               ((2, 0, 0), (2, 0, 4), (2, 0, 4)), ((0, 3, 3), (0, 3), (0, 3)), ((0, 3, 3), (3,), (0, 3)),
               ((3, 3), (3, 0), (3, 0)), ((3, 3), (0, 3, 2), (0, 3, 2)), ((1, 0, 0), (2, 0, 1), (2, 0, 1))]


@pytest.mark.parametrize("a_shape,b_shape,x_shape", SOLVE_EMPTY)
def test_solve_of_empty_operands(a_shape, b_shape, x_shape):
    """n = 0 systems, empty batches and no right-hand sides: empty solutions of torch's shapes (its vector rule
    included), and gradients of each operand's shape, zero where there is anything to hold one."""
    results = []
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        eye = np.broadcast_to(3 * np.eye(a_shape[-1]), a_shape).copy()
        a, b = L.tensor(eye, requires_grad=True), L.tensor(np.ones(b_shape), requires_grad=True)
        x = L.linalg.solve(a, b)
        x.backward(L.ones_like(x))
        results.append([tuple(x.shape), tuple(a.grad.shape), tuple(b.grad.shape), a.grad.numpy(), b.grad.numpy()])
        assert tuple(L.linalg.solve_ex(a, b).result.shape) == x_shape
    for got in results:
        assert got[:3] == [x_shape, a_shape, b_shape] and not got[3].any() and not got[4].any()
    with pytest.raises(RuntimeError):  # the systems' sizes still have to agree
        LA.solve(rb.zeros(0, 0), rb.zeros(3, 1))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_solve_of_low_precision_solves_only_empty_systems(dtype):
    """ATen's linalg.solve takes float16/bfloat16 and its LU kernel refuses them (NotImplementedError), which an
    empty A never reaches: the empty solution in that dtype."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        x = L.linalg.solve(L.zeros(0, 3, 3, dtype=dt), L.zeros(0, 3, 2, dtype=dt))
        assert tuple(x.shape) == (0, 3, 2) and x.dtype == dt
        assert tuple(L.linalg.solve_ex(L.zeros(0, 0, dtype=dt), L.zeros(0, dtype=dt))[0].shape) == (0,)
        with pytest.raises(NotImplementedError, match="lu_cpu.* not implemented for"):
            L.linalg.solve(L.eye(3, dtype=dt), L.zeros(3, 0, dtype=dt))


def _as_tuple(out):
    return tuple(out) if isinstance(out, tuple) else (out,)


# (name, call, empty input shape, result shapes, the kernel named for a non-empty input)
LOW_PRECISION_DECOMPOSITIONS = [
    ("det", lambda L, a: L.linalg.det(a), (2, 0, 0), [(2,)], "lu_cpu"),
    ("cholesky", lambda L, a: L.linalg.cholesky(a, upper=True), (0, 0), [(0, 0)], "cholesky_cpu"),
    ("cholesky_ex", lambda L, a: L.linalg.cholesky_ex(a), (2, 0, 0), [(2, 0, 0), (2,)], "cholesky_cpu"),
    ("eigh", lambda L, a: L.linalg.eigh(a), (0, 3, 3), [(0, 3), (0, 3, 3)], "linalg_eigh_cpu"),
    ("eigvalsh", lambda L, a: L.linalg.eigvalsh(a), (2, 0, 0), [(2, 0)], "linalg_eigh_cpu"),
    ("svd", lambda L, a: L.linalg.svd(a), (2, 0, 3), [(2, 0, 0), (2, 0), (2, 3, 3)], "linalg_svd_cpu"),
    ("svd_reduced", lambda L, a: L.linalg.svd(a, full_matrices=False), (3, 0), [(3, 0), (0,), (0, 0)],
     "linalg_svd_cpu"),
    ("svdvals", lambda L, a: L.linalg.svdvals(a), (0, 3), [(0,)], "linalg_svd_cpu"),
]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("case", LOW_PRECISION_DECOMPOSITIONS, ids=[c[0] for c in LOW_PRECISION_DECOMPOSITIONS])
def test_low_precision_decompositions_take_only_empty_inputs(case, dtype):
    """ATen's det, cholesky(_ex), eigh/eigvalsh and svd/svdvals take float16/bfloat16 and their kernels refuse
    them (NotImplementedError naming the kernel), which an empty input never reaches: the empty results in that
    dtype (det 1, cholesky_ex's info int32 zeros, svd's square factor the identity)."""
    name, call, shape, shapes, kernel = case
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        out = _as_tuple(call(L, L.zeros(shape, dtype=dt)))
        assert [tuple(t.shape) for t in out] == shapes
        assert [t.dtype for t in out] == [L.int32 if name == "cholesky_ex" and i else dt for i in range(len(out))]
        kind = "Half" if dtype == "float16" else "BFloat16"
        with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'{kind}\''):
            call(L, L.eye(3, dtype=dt))
    if HAVE_TORCH:
        out = _as_tuple(call(rb, rb.zeros(shape, dtype=getattr(rb, dtype))))
        ref = _as_tuple(call(torch, torch.zeros(shape, dtype=getattr(torch, dtype))))
        assert [x.tolist() for x in out] == [y.tolist() for y in ref]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_low_precision_qr_and_slogdet_raise_even_when_empty(dtype):
    """ATen's QR refuses float16/bfloat16 in its geqrf kernel even for an empty A; slogdet's own check refuses
    them (RuntimeError) before any kernel, as do the nuclear norm's and matrix_rank's default rtol."""
    name = "Half" if dtype == "float16" else "BFloat16"
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        for shape in [(0, 0), (2, 0, 3), (3, 3)]:
            with pytest.raises(NotImplementedError, match=f'"geqrf_cpu" not implemented for \'{name}\''):
                L.linalg.qr(L.zeros(shape, dtype=dt))
        for shape in [(0, 0), (3, 3)]:
            with pytest.raises(RuntimeError, match=f"linalg.slogdet: Low precision dtypes not supported. Got {name}"):
                L.linalg.slogdet(L.zeros(shape, dtype=dt))
            with pytest.raises(RuntimeError, match="doesn't handle types other than float and double"):
                L.linalg.matrix_rank(L.zeros(shape, dtype=dt))  # the default rtol's epsilon
            with pytest.raises(RuntimeError, match="linalg.matrix_norm: Low precision dtypes not supported"):
                L.linalg.matrix_norm(L.zeros(shape, dtype=dt), ord="nuc")
        # with rtol given, matrix_rank reaches the SVD: rank 0 for an empty A, the kernel's refusal otherwise
        assert L.linalg.matrix_rank(L.zeros(2, 0, 3, dtype=dt), rtol=0.1).tolist() == [0, 0]
        with pytest.raises(NotImplementedError, match="linalg_svd_cpu"):
            L.linalg.matrix_rank(L.eye(3, dtype=dt), rtol=0.1)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool"])
def test_integer_matrix_rank_with_a_tolerance_and_integer_eigh(dtype):
    """matrix_rank with rtol (or the older tol, an absolute tolerance with rtol 0) skips the default rtol's epsilon,
    which has no integer type: an empty integer A has rank 0 before any factorization looks at it (non-square with
    hermitian=True too); a non-empty one reaches the SVD's dtype check (RuntimeError) or, hermitian, eigh's kernel,
    which refuses integers (NotImplementedError; ATen's eigh has no dtype check, so an empty integer A gives empty
    results in its dtype)."""
    for L in (rb, torch) if HAVE_TORCH else (rb,):
        dt = getattr(L, dtype)
        kind = {"int64": "Long", "int32": "Int", "uint8": "Byte", "bool": "Bool"}[dtype]
        for kw in (dict(rtol=0.1), dict(rtol=0.1, hermitian=True), dict(atol=0.5, rtol=0.0), dict(tol=0.5),
                   dict(tol=L.tensor(0.5), hermitian=True)):
            assert L.linalg.matrix_rank(L.zeros(2, 0, 3, dtype=dt), **kw).tolist() == [0, 0]
            assert L.linalg.matrix_rank(L.zeros(3, 0, dtype=dt), **kw).dtype == L.int64
        with pytest.raises(RuntimeError, match=f"linalg.svd: Expected a floating point or complex tensor as input. "
                                               f"Got {kind}"):
            L.linalg.matrix_rank(L.ones(3, 3, dtype=dt), rtol=0.1)
        assert L.linalg.matrix_rank(L.ones(3, 3), 0.5).item() == 1  # tol positional, float input
        for call in (lambda a, L=L: L.linalg.matrix_rank(a, rtol=0.1, hermitian=True), L.linalg.eigh,
                     L.linalg.eigvalsh):
            with pytest.raises(NotImplementedError, match=f"\"linalg_eigh_cpu\" not implemented for '{kind}'"):
                call(L.ones(3, 3, dtype=dt))
        with pytest.raises(RuntimeError, match="doesn't handle types other than float and double"):
            L.linalg.matrix_rank(L.zeros(0, 3, dtype=dt), atol=0.5)  # no rtol: the default's epsilon
        w, v = L.linalg.eigh(L.zeros(2, 0, 0, dtype=dt))
        assert (tuple(w.shape), tuple(v.shape), w.dtype, v.dtype) == ((2, 0), (2, 0, 0), dt, dt)
        with pytest.raises(RuntimeError, match="must be batches of square matrices"):
            L.linalg.eigh(L.zeros(2, 3, dtype=dt))


@requires_torch
def test_svd_and_qr_shapes_match_torch_for_empty_and_wide():
    for shape in [(0, 3), (3, 0), (2, 3, 5), (5, 3)]:
        for full in (True, False):
            ours = LA.svd(rb.zeros(*shape), full_matrices=full)
            theirs = torch.linalg.svd(torch.zeros(*shape), full_matrices=full)
            assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs], (shape, full)
        for mode in ("reduced", "complete", "r"):
            ours, theirs = LA.qr(rb.zeros(*shape), mode=mode), torch.linalg.qr(torch.zeros(*shape), mode=mode)
            assert [tuple(t.shape) for t in ours] == [tuple(t.shape) for t in theirs], (shape, mode)


def test_batched_results_match_per_matrix(rng):
    a = rng.standard_normal((5, 4, 4))
    spd = a @ np.swapaxes(a, -1, -2) + 4 * np.eye(4)
    L = LA.cholesky(_t(spd)).numpy()
    for i in range(5):
        np.testing.assert_allclose(L[i], np.linalg.cholesky(spd[i]), atol=1e-12)
    np.testing.assert_allclose(LA.det(_t(a)).numpy(), np.linalg.det(a), rtol=1e-10)


# --- gradients ------------------------------------------------------------------------------------

@pytest.mark.parametrize("f", [
    lambda a: LA.inv(a),
    lambda a: LA.solve(a, a[..., :1] * 2 + 1),
    lambda a: LA.det(a),
    lambda a: LA.cholesky(a @ a.transpose(-2, -1) + 3 * rb.eye(3, dtype=a.dtype)),
    lambda a: LA.slogdet(a).logabsdet,
], ids=["inv", "solve", "det", "cholesky", "slogdet"])
def test_double_backward(f, rng):
    a = _t(rng.standard_normal((2, 3, 3)) + 3 * np.eye(3), grad=True)
    assert rb.autograd.gradgradcheck(f, (a,), eps=1e-6, atol=1e-5, rtol=1e-3)


def _torch_det_grad(m):
    # PyTorch's differentiable path (create_graph): its plain backward returns zeros at singular matrices,
    # which is not the derivative (d det / dA is the cofactor matrix, non-zero at rank n - 1)
    ta = torch.tensor(m, dtype=torch.float64, requires_grad=True)
    return torch.autograd.grad(torch.linalg.det(ta).sum(), ta, create_graph=True)[0].detach().numpy()


@requires_torch
def test_det_gradient_at_singular_matrices_is_the_cofactor_matrix():
    for m in ([[1.0, 2, 3], [2, 4, 6], [1, 0, 1]], [[1.0, 0, 0], [0, 0, 0], [0, 0, 0]], SINGULAR):
        a = _t(m, grad=True)
        LA.det(a).backward()
        np.testing.assert_allclose(a.grad.numpy(), _torch_det_grad(m), atol=1e-12)
    cofactor = [[4.0, 4, -4], [-2, -2, 2], [0, 0, 0]]  # of the first matrix, by hand
    a = _t([[1.0, 2, 3], [2, 4, 6], [1, 0, 1]], grad=True)
    LA.det(a).backward()
    np.testing.assert_allclose(a.grad.numpy(), cofactor, atol=1e-12)
    # a batch mixing singular and invertible matrices
    m = np.stack([np.array(SINGULAR), np.eye(3) * 2])
    a = _t(m, grad=True)
    LA.det(a).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), _torch_det_grad(m), atol=1e-12)


@requires_torch
def test_svdvals_and_eigvalsh_gradients_with_repeated_values_match_torch():
    # only the values are used: no division by the (zero) gaps, so the gradient stays finite
    for f, tf in ((LA.svdvals, torch.linalg.svdvals), (LA.eigvalsh, torch.linalg.eigvalsh)):
        a = _t(np.eye(3), grad=True)
        f(a).sum().backward()
        ta = torch.eye(3, dtype=torch.float64, requires_grad=True)
        tf(ta).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-12)


@requires_torch
def test_matrix_norm_svd_orders_match_torch(rng):
    m = rng.standard_normal((2, 3, 4))
    for ord_ in (2, -2, "nuc"):
        for dim, keepdim in (((-2, -1), False), ((0, 2), True)):
            a = _t(m, grad=True)
            r = LA.matrix_norm(a, ord_, dim=dim, keepdim=keepdim)
            ta = torch.tensor(m, requires_grad=True)
            t = torch.linalg.matrix_norm(ta, ord_, dim=dim, keepdim=keepdim)
            np.testing.assert_allclose(r.detach().numpy(), t.detach().numpy(), rtol=1e-10)
            r.sum().backward()
            t.sum().backward()
            np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), atol=1e-10)
    assert np.isclose(LA.norm(_t(m[0]), "nuc").item(), np.linalg.norm(m[0], "nuc"))
    assert np.isclose(rb.norm(_t(m[0]), "nuc").item(), np.linalg.norm(m[0], "nuc"))


def test_qr_mode_r_and_complete_wide_refuse_backward():
    a = _t(np.arange(12.0).reshape(4, 3) + np.eye(4, 3), grad=True)
    _err(RuntimeError, "not computed when mode='r'", lambda: LA.qr(a, mode="r").R.sum().backward())
    _err(RuntimeError, "not differentiable when mode='complete' and nrows > ncols",
         lambda: LA.qr(a, mode="complete").Q.sum().backward())


# --- the older API and the methods ---------------------------------------------------------------

def test_old_api_functions_and_methods(rng):
    a = rng.standard_normal((4, 3))
    U, S, V = rb.svd(_t(a))
    np.testing.assert_allclose((U.numpy() * S.numpy()) @ V.numpy().T, a, atol=1e-12)
    assert tuple(U.shape) == (4, 3) and tuple(V.shape) == (3, 3)
    U, S, V = _t(a).svd(some=False)
    assert tuple(U.shape) == (4, 4) and tuple(V.shape) == (3, 3)
    U, S, V = rb.svd(_t(a), compute_uv=False)
    assert not U.numpy().any() and tuple(U.shape) == (4, 4) and tuple(V.shape) == (3, 3)
    np.testing.assert_allclose(S.numpy(), np.linalg.svd(a, compute_uv=False), atol=1e-12)
    with pytest.warns(UserWarning, match="torch.qr is deprecated"):
        Q, R = _t(a).qr(some=False)
    assert tuple(Q.shape) == (4, 4) and tuple(R.shape) == (4, 3)
    sq = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    np.testing.assert_allclose(_t(sq).inverse().numpy(), np.linalg.inv(sq), atol=1e-12)
    np.testing.assert_allclose(_t(sq).det().item(), np.linalg.det(sq))
    np.testing.assert_allclose(_t(sq).logdet().item(), np.log(np.linalg.det(sq)))
    assert _t(sq).slogdet()._fields == ("sign", "logabsdet")
    np.testing.assert_allclose(_t(a).pinverse().numpy(), np.linalg.pinv(a), atol=1e-12)
    spd = sq @ sq.T
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated"):
        np.testing.assert_allclose(_t(spd).cholesky(upper=True).numpy(), np.linalg.cholesky(spd).T, atol=1e-12)
    assert np.isnan(rb.logdet(_t([[0.0, 1], [1, 0]])).item())
    assert rb.logdet(_t([[0.0, 0], [0, 1]])).item() == -np.inf


def test_pinv_and_matrix_rank_tolerances():
    a = _t(np.diag([1.0, 1e-3, 0.0]))
    assert LA.matrix_rank(a).item() == 2
    assert LA.matrix_rank(a, atol=1e-2).item() == 1
    assert LA.matrix_rank(a, rtol=1e-2).item() == 1
    assert LA.matrix_rank(a, hermitian=True).item() == 2
    np.testing.assert_allclose(LA.pinv(a, atol=1e-2).numpy(), np.diag([1.0, 0, 0]))
    # a tolerance tensor broadcasts against the batch, as in PyTorch: (1,) makes a batch of one
    np.testing.assert_allclose(LA.pinv(a, rtol=_t([1e-2])).numpy(), np.diag([1.0, 0, 0])[None])


@requires_torch
@pytest.mark.parametrize("driver", [None, "gelsy", "gelsd", "gelss", "gels"])
@pytest.mark.parametrize("shapes", [((2, 5, 3), (2, 5, 2)), ((5, 3), (5,)), ((2, 5, 3), (2, 5)), ((3, 5), (3, 2)),
                                    ((1, 4, 2), (3, 4, 1))])
def test_lstsq_fields_match_torch(driver, shapes, rng):
    if driver == "gels" and shapes[0][-2] < shapes[0][-1]:
        pytest.skip("PyTorch's gels on a wide matrix is a different (QR of A^T) problem")
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    ours = LA.lstsq(_t(a), _t(b), driver=driver)
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver=driver)
    assert type(ours).__name__ == "linalg_lstsq"
    assert ours._fields == ("solution", "residuals", "rank", "singular_values")
    for r, t in zip(ours, (getattr(theirs, f) for f in ours._fields)):
        assert tuple(r.shape) == tuple(t.shape) and str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        np.testing.assert_allclose(r.numpy(), t.numpy(), atol=1e-10)


@pytest.mark.parametrize("driver", ["gelsy", "gelsd", "gelss"])
def test_lstsq_empty_operands(driver):
    r = LA.lstsq(rb.ones(3, 5, dtype=rb.float64), rb.ones(3, 0, dtype=rb.float64), driver=driver)
    assert tuple(r.solution.shape) == (5, 0) and r.rank.item() == 1
    r = LA.lstsq(rb.ones(0, 5, dtype=rb.float64), rb.ones(0, 2, dtype=rb.float64), driver=driver)
    assert tuple(r.solution.shape) == (5, 2) and not r.solution.numpy().any() and r.rank.item() == 0


def test_lstsq_errors_and_rank_deficiency():
    a = _t(np.outer(np.arange(4.0), [1.0, 2, 3]))
    ones = rb.ones(4, 1, dtype=rb.float64)
    _err(LA.LinAlgError, "torch.linalg.lstsq: The least squares solution could not be computed because the input "
                         "matrix does not have full rank (error code: 2).", LA.lstsq, a, ones, driver="gels")
    r = LA.lstsq(a, rb.ones(4, 1, dtype=rb.float64))  # gelsy: the minimum-norm solution, rank 1
    assert r.rank.item() == 1
    np.testing.assert_allclose(r.solution.numpy(), np.linalg.pinv(a.numpy()) @ np.ones((4, 1)), atol=1e-12)
    _err(RuntimeError, "parameter `driver` should be one of (gels, gelsy, gelsd, gelss)", LA.lstsq, a, a, driver="x")
    _err(RuntimeError, "input.dim() must be greater or equal to other.dim()", LA.lstsq, a,
         rb.ones(2, 4, 1, dtype=rb.float64))


def test_float32_results_are_float32():
    a = rb.eye(3) * 2
    for r in (LA.inv(a), LA.det(a), LA.svdvals(a), LA.eigvalsh(a), LA.pinv(a), LA.cholesky(a)):
        assert r.dtype == rb.float32


def test_docstring_examples_run():
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    names = [n for n in LA.__all__ if n not in ("LinAlgError",)]
    documented = 0
    for n in names:
        for t in doctest.DocTestFinder(recurse=False).find(getattr(LA, n), n, globs={"rb": rb}):
            documented += len(t.examples) > 0
            runner.run(t, out=lambda s: None)
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and documented >= 16, result
