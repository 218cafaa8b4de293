"""The diagonal Newton solver and the locality measure against references.

The reference iteration is the formula of the solver's docstring written out:
``A <- A - R / (D diag(K) + lam)`` with ``R = sigma(K A) - T + lam A`` and
``D = sigma (1 - sigma)``, counting every evaluation of R, until
``max |R| <= tol``.
"""

import re
import warnings

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import brentq
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import isolated_coefficients, off_diagonal_ratio
from sklearn_klrhop.solvers._diagonal import (
    _scalar_klr,
    solve_diagonal_newton,
    solve_sparse_local,
)

from .._references import gram, stationarity_residual


def _ratio(K):
    K = np.abs(K.toarray() if sparse.issparse(K) else K)
    d = np.diagonal(K)
    return max((K[i].sum() - d[i]) / d[i] for i in range(len(K)))


def test_off_diagonal_ratio_is_the_largest_row_ratio():
    X = make_patterns(40, 30, random_state=0)
    local = 3.0 * gram(X, "rbf", gamma=0.05)  # a diagonal of 3, not 1
    # entries of both signs (the blocked sum of |K|), over several blocks
    signed = gram(
        make_patterns(400, 20, random_state=1), "sigmoid", gamma=0.05, coef0=0
    )
    signed = signed + 2 * np.diag(np.arange(400) % 7 + 1.0)
    assert signed.min() < 0 < signed.max()
    for K in (local, signed, sparse.csr_matrix(local)):
        assert off_diagonal_ratio(K) == pytest.approx(_ratio(K), rel=1e-12)
    assert off_diagonal_ratio(np.ones((1, 1))) == 0.0
    assert off_diagonal_ratio(np.empty((0, 0))) == 0.0


def _reference_newton(K, T, lam, tol, max_iter):
    A, n = np.zeros(T.shape), 0
    d = np.diagonal(K)[:, None]
    while n < max_iter:
        n += 1
        p = expit(K @ A)
        R = p - T + lam * A
        if np.abs(R).max() <= tol:
            return A, n, True
        A = A - R / (p * (1 - p) * d + lam)
    return A, n, False


@pytest.mark.parametrize("block_columns", [None, 3])
def test_diagonal_newton_follows_the_reference_iteration(block_columns):
    X = make_patterns(30, 20, random_state=2)
    K = 2.0 * gram(X, "rbf", gamma=0.3)  # local, with a diagonal of 2
    assert off_diagonal_ratio(K) < 0.1
    T = (X > 0).astype(float)
    kwargs = {} if block_columns is None else {"block_bytes": 8 * 30 * block_columns}
    A, n_iter = solve_diagonal_newton(K, T, 0.1, 100, 1e-10, **kwargs)
    if block_columns is None:
        expected, n, ok = _reference_newton(K, T, 0.1, 1e-10, 100)
    else:
        # blocks of columns are solved on their own; n_iter is the slowest's
        parts = [
            _reference_newton(K, T[:, s : s + 3], 0.1, 1e-10, 100)
            for s in range(0, 20, 3)
        ]
        expected = np.hstack([p[0] for p in parts])
        n, ok = max(p[1] for p in parts), all(p[2] for p in parts)
    assert ok and n_iter == n
    np.testing.assert_allclose(A, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_diagonal_newton_warm_start_is_the_reference_from_that_start(dtype):
    # A0 replaces the zero start, block by block; a start at the optimum
    # converges at the first check. A float32 A0 is iterated in float64.
    X = make_patterns(30, 20, random_state=2)
    K = 2.0 * gram(X, "rbf", gamma=0.3)
    T = (X > 0).astype(float)
    rng = np.random.RandomState(0)
    A0 = rng.normal(scale=0.5, size=T.shape).astype(dtype)
    A, n_iter = solve_diagonal_newton(K, T, 0.1, 100, 1e-10, 8 * 30 * 3, A0=A0)
    assert A.dtype == np.float64
    assert stationarity_residual(A, K, T, 0.1) <= 1e-10
    # the reference iteration from A0, one block of 3 columns at a time
    n_ref = 0
    for s in range(0, 20, 3):
        B, n = A0[:, s : s + 3].astype(float), 0
        while True:
            n += 1
            p = expit(K @ B)
            R = p - T[:, s : s + 3] + 0.1 * B
            if np.abs(R).max() <= 1e-10:
                break
            B = B - R / (p * (1 - p) * 2.0 + 0.1)
        np.testing.assert_allclose(A[:, s : s + 3], B, rtol=1e-12, atol=1e-14)
        n_ref = max(n_ref, n)
    assert n_iter == n_ref > 2
    assert solve_diagonal_newton(K, T, 0.1, 100, 1e-10, A0=A)[1] == 1


def test_diagonal_newton_floors_tol_at_ten_machine_epsilons():
    # tol=0 cannot be reached in floating point: it is raised to 10 eps of
    # the Gram matrix's dtype, and the warning says so
    X = make_patterns(30, 10, random_state=2)
    K = gram(X, "rbf", gamma=0.2)
    T = (X > 0).astype(float)
    for dtype in (np.float64, np.float32):
        eps = np.finfo(dtype).eps
        with pytest.warns(ConvergenceWarning) as log:
            solve_diagonal_newton(K.astype(dtype), T, 0.1, 2, 0.0)
        assert f"did not reach tol={10 * eps:g} in 2 iterations" in str(log[0].message)


def test_diagonal_newton_warns_when_it_runs_out_of_iterations():
    X = make_patterns(30, 10, random_state=2)
    K = gram(X, "rbf", gamma=0.2)
    T = (X > 0).astype(float)
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        A, n_iter = solve_diagonal_newton(K, T, 0.1, 2, 1e-12)
    assert n_iter == 2
    np.testing.assert_allclose(A, _reference_newton(K, T, 0.1, 1e-12, 2)[0])
    assert [w.category for w in log] == [ConvergenceWarning]
    assert re.fullmatch(
        r"The diagonal Newton solver did not reach tol=1e-12 in 2 iterations\. "
        r"Increase max_iter or tol, or use a larger lam\.",
        str(log[0].message),
    )
    # converged: no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solve_diagonal_newton(K, T, 0.1, 100, 1e-8)


@pytest.mark.parametrize("d", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("lam", [0.01, 1.0])
def test_scalar_klr_roots(d, lam):
    # sigma(d a) - t + lam a = 0, for t = 0 and 1, by bisection
    a, n_iter = _scalar_klr([d], lam, 1e-12)
    for t in (0, 1):
        root = brentq(lambda x, t=t: expit(d * x) - t + lam * x, -1e3, 1e3, xtol=1e-14)
        assert a[0, t] == pytest.approx(root, abs=1e-10)
    assert 1 <= n_iter < 100


def test_isolated_coefficients_are_the_roots_of_each_entry():
    # K = diag(d): each entry solves sigma(d_m a) - t + lam a = 0 alone, by
    # bisection here. Repeated diagonal values and both targets in a column,
    # and T given as 0/1 integers (only T > 0 counts as a 1).
    d = np.array([1.0, 0.5, 1.0, 2.0, 0.5])
    T = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]])
    lam = 0.05
    A = isolated_coefficients(d, T, lam, 1e-12)
    assert A.shape == T.shape and A.dtype == np.float64
    for m, i in np.ndindex(*T.shape):
        root = brentq(
            lambda x, d=d[m], t=T[m, i]: expit(d * x) - t + lam * x,
            -1e3,
            1e3,
            xtol=1e-14,
        )
        assert A[m, i] == pytest.approx(root, abs=1e-10), (m, i)
    # the optimum of a diagonal Gram matrix itself
    R = expit(np.diag(d) @ A) - T + lam * A
    assert np.abs(R).max() <= 1e-10


def test_sparse_local_solver_isolated_and_coupled_patterns():
    # two isolated patterns (diagonal only) and a coupled pair, d != 1
    K = np.diag([2.0, 0.5, 1.0, 1.0])
    K[2, 3] = K[3, 2] = 0.05
    T = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=float)
    A, n_iter = solve_sparse_local(sparse.csr_matrix(K), T, 0.1, 100, 1e-12)
    R = expit(K @ A) - T + 0.1 * A
    assert np.abs(R).max() <= 1e-10
    assert n_iter >= 1
