"""The diagonal Newton, L-BFGS and sparse solvers reach the same stationary point."""

import numpy as np
import pytest
from sklearn.metrics.pairwise import rbf_kernel

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.memories._kernels import truncated_gram
from sklearn_klrhop.solvers import KernelFactor, off_diagonal_ratio, solve_klr
from tests._references import gram, klr_objective
from tests.memories.test_kernels import _clustered


def test_diagonal_newton_reaches_the_stationary_point_of_the_factor_solver():
    X = make_patterns(120, 40, random_state=8)
    K = rbf_kernel(X, gamma=0.2)
    assert off_diagonal_ratio(K) < 0.1
    T = (X + 1) / 2
    A, _, ran = solve_klr(K, T, 0.01, tol=1e-12)
    assert ran == "newton-diagonal"
    A_ref, _ = solve_klr(K.copy(), T, 0.01, solver="lbfgs", max_iter=2000, tol=1e-12)[
        :2
    ]
    np.testing.assert_allclose(A, A_ref, rtol=1e-6, atol=1e-6)
    _, grad = klr_objective(A, K, T, 0.01)
    assert np.abs(grad).max() < 1e-10


def test_in_place_factor_of_singular_kernel_is_a_factor():
    X = make_patterns(10, 8, random_state=9)
    X = np.vstack([X, X])
    K = rbf_kernel(X, gamma=1e-3)
    expected = K.copy()
    factor = KernelFactor(K, overwrite_k=True)
    assert factor.jitter > 0
    L = np.tril(factor.F) if factor.triangular else factor.F
    np.testing.assert_allclose(L @ L.T, expected, atol=1e-6)


@pytest.mark.parametrize("kernel", ["rbf", "sigmoid"])
def test_off_diagonal_ratio_for_positive_and_signed_kernels(kernel):
    # rbf takes the matrix-vector path, sigmoid (negative entries) the |K| one
    X = make_patterns(70, 12, random_state=21)
    K = gram(X, kernel, gamma=0.05, coef0=-0.5)
    assert (K.min() >= 0) == (kernel == "rbf")
    off = np.abs(K).sum(axis=1) - np.abs(np.diagonal(K))
    expected = np.max(off / np.abs(np.diagonal(K)))
    assert off_diagonal_ratio(K) == pytest.approx(expected, rel=1e-12)


def test_sparse_local_solver_closed_form_and_coupled_rows():
    # Isolated patterns get the scalar solution; patterns with neighbours are
    # solved together; both must be the stationary point.
    X = _clustered(random_state=26)
    T = (X + 1) / 2
    K = truncated_gram(X, gamma=0.1, cutoff=1e-16)
    isolated = np.diff(K.indptr) == 1
    assert 0 < isolated.sum() < len(X)
    A, _, ran = solve_klr(K, T.astype(np.float32), 0.01, tol=1e-12)
    assert ran == "newton-diagonal"
    R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
    assert np.abs(R).max() <= 1e-10
    A_ref, _ = solve_klr(
        K.toarray(), T, 0.01, solver="lbfgs", max_iter=2000, tol=1e-12
    )[:2]
    np.testing.assert_allclose(A, A_ref, rtol=1e-6, atol=1e-6)
