"""Iteration counts of the isolated patterns' closed form and the dominance ratio.

The expectations come from a plain scalar Newton loop and a row-by-row sum
written in the test.
"""

import numpy as np
import pytest
from scipy import sparse
from scipy.special import expit

from sklearn_klrhop.solvers import off_diagonal_ratio
from sklearn_klrhop.solvers._diagonal import solve_diagonal_newton, solve_sparse_local


def _scalar_newton(d, t, lam, tol):
    """Root of sigma(d a) - t + lam a by Newton from a = 0, and its evaluations."""
    a, evaluations = 0.0, 0
    while evaluations < 101:
        evaluations += 1
        p = expit(d * a)
        r = p - t + lam * a
        if abs(r) <= min(tol, 1e-14):
            break
        a -= r / (d * p * (1 - p) + lam)
    return a, evaluations


@pytest.mark.parametrize("d, lam, tol", [(1.0, 0.1, 1e-4), (2.5, 0.01, 1e-6)])
def test_isolated_patterns_take_the_newton_steps_of_a_scalar_root(d, lam, tol):
    # a diagonal (sparse) K: every pattern is isolated; the solve starts from
    # the first Newton step from 0 and stops at |r| <= min(tol, 1e-14)
    P = 4
    K = sparse.csr_matrix(d * np.eye(P))
    T = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    A, n_iter = solve_sparse_local(K, T, lam, 100, tol)
    roots = {t: _scalar_newton(d, t, lam, tol) for t in (0.0, 1.0)}
    expected = np.vectorize(lambda t: roots[t][0])(T)
    np.testing.assert_allclose(A, expected, rtol=1e-12, atol=1e-14)
    # the closed form's first step is the reference's second evaluation
    assert n_iter == max(e for _, e in roots.values()) - 1
    assert n_iter > 1


def test_a_dense_float32_gram_keeps_float32_coefficients():
    T = np.array([[1.0, 0.0], [0.0, 1.0]])
    A, _ = solve_diagonal_newton(np.eye(2, dtype=np.float32), T, 0.1, 50, 1e-4)
    assert A.dtype == np.float32
    A, _ = solve_diagonal_newton(
        sparse.csr_matrix(np.eye(2, dtype=np.float32)), T, 0.1, 50, 1e-4
    )
    assert A.dtype == np.float64  # sparse K: the work arrays are float64


@pytest.mark.parametrize("row", [0, 150, 399])
def test_off_diagonal_ratio_of_a_signed_matrix_sees_every_row(row):
    # P = 400: the signed matrix is scanned in row blocks of 65536 // P = 163
    P = 400
    K = np.full((P, P), -1e-3)
    np.fill_diagonal(K, 2.0)
    K[row, :row] = K[row, row + 1 :] = 0.01  # the largest row, in some block
    off = np.abs(K).sum(axis=1) - np.abs(np.diagonal(K))
    expected = (off / np.abs(np.diagonal(K))).max()
    assert expected == pytest.approx(399 * 0.01 / 2)
    assert off_diagonal_ratio(K) == pytest.approx(expected, rel=1e-12)
