"""newton-cg's preconditioner and mixed precision, against their formulas.

The coarse space, its Ritz values and beta, the two-level operator of each
column and the float32 / float64 phases, each checked against what the
docstrings state, written out densely in the test.
"""

import numpy as np
import pytest
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop.solvers._newton_cg as newton_module
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers._loss import LogisticLoss
from sklearn_klrhop.solvers._newton_cg import (
    FLOAT32_PHASE_TOL,
    STALL,
    _coarse_space,
    _LockstepNewton,
    _orthonormal_columns,
    solve_newton_cg,
)


def _problem(P=60, N=5, gamma=0.3, random_state=0):
    X = make_patterns(P, N, random_state=random_state)
    return rbf_kernel(X, gamma=gamma), (X + 1) / 2


def _ritz(K, T):
    # Rayleigh-Ritz on span{1, 2 T - 1}, with NumPy's QR for the basis
    Q, _ = np.linalg.qr(np.column_stack([np.ones(len(T)), 2 * T - 1]))
    return np.linalg.eigvalsh(Q.T @ K @ Q), Q


@pytest.mark.parametrize("gamma", [2.0, 0.01])
def test_coarse_space_returns_the_ritz_pairs_and_the_mean_remaining_eigenvalue(gamma):
    # a local kernel, halved so that some Ritz values lie below 1, and a broad one
    K, T = _problem(gamma=gamma)
    K *= 0.5 if gamma == 2.0 else 1.0
    U, sigma, beta = _coarse_space(K, T, 6)
    ritz, Q = _ritz(K, T)
    np.testing.assert_allclose(np.sort(sigma), ritz, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U.T @ U, np.eye(6), atol=1e-12)
    np.testing.assert_allclose(U @ U.T, Q @ Q.T, atol=1e-10)  # the same span
    np.testing.assert_allclose(U.T @ K @ U, np.diag(sigma), atol=1e-10)
    assert beta == pytest.approx((np.trace(K) - ritz.sum()) / (len(K) - 6), rel=1e-10)
    if gamma == 2.0:
        assert ritz.min() < 1  # so that a floor at 1 would show


def test_coarse_space_floors_beta_at_a_thousandth_of_the_mean_diagonal():
    # The linear kernel of the patterns lies in the span of their columns:
    # nothing remains outside the coarse space, beta falls to its floor.
    X = make_patterns(40, 5, random_state=1).astype(float)
    K, T = X @ X.T / 5, (X + 1) / 2
    _, _, beta = _coarse_space(K, T, 6)
    assert beta == pytest.approx(1e-3 * np.trace(K) / 40, rel=1e-12)


@pytest.mark.parametrize("perturbation", [0.0, 1e-12, 1e-5, 1e-2])
def test_orthonormal_columns_of_dependent_columns(perturbation):
    # Two neurons with the same targets make columns dependent: exactly, up to
    # rounding, or nearly. Directions whose eigenvalue of B^T B is below 1e-8
    # of the largest are left out (a perturbation of 1e-5 gives about 2e-12
    # of it, 1e-2 about 2e-6); the rest must be orthonormal and span B.
    rng = np.random.default_rng(0)
    B = rng.standard_normal((30, 3))
    extra = np.column_stack([B[:, 1], 2 * B[:, 0] - B[:, 2]])
    B = np.column_stack([B, extra + perturbation * rng.standard_normal((30, 2))])
    Q = _orthonormal_columns(B)
    assert Q.shape == (30, 5 if perturbation > 1e-4 else 3)
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-8)
    np.testing.assert_allclose(Q @ (Q.T @ B), B, atol=1e-8 + 10 * perturbation)


def test_orthonormal_columns_of_integer_targets_with_a_repeated_neuron():
    # the coarse space's own case: 2 T - 1 with two equal columns
    X = make_patterns(60, 5, random_state=0)
    X[:, 3] = X[:, 1]
    B = np.column_stack([np.ones(60), X])
    Q = _orthonormal_columns(B)
    assert Q.shape == (60, 5)
    np.testing.assert_allclose(Q.T @ Q, np.eye(5), atol=1e-12)
    np.testing.assert_allclose(Q @ (Q.T @ B), B, atol=1e-10)


@pytest.mark.parametrize("coarse", [True, False])
def test_two_level_operator_of_each_column(coarse):
    # Written out: U (sigma + c_j)^-1 U^T + Q (beta + Lam_j)^-1 Q, Q = I - U U^T,
    # c_j the harmonic mean of column j's Lam; without coarse space the diagonal.
    K, T = _problem(P=40, N=3)
    space = _coarse_space(K, T, 4) if coarse else None
    newton = _LockstepNewton(
        K.astype(np.float32), K, LogisticLoss(T, 0.01), space, max_cg=50
    )
    rng = np.random.default_rng(1)
    Lam = rng.uniform(0.05, 50, size=T.shape).astype(np.float32)  # differs by column
    precondition = newton._preconditioner(Lam)
    P, N = T.shape
    for j in range(N):
        applied = np.column_stack(
            [precondition(np.outer(e, np.ones(N, np.float32)))[:, j] for e in np.eye(P)]
        )
        if coarse:
            U, sigma, beta = space
            c = 1 / np.mean(1 / Lam[:, j].astype(float))
            Q = np.eye(P) - U @ U.T
            expected = (U / (sigma + c)) @ U.T + Q @ np.diag(1 / (beta + Lam[:, j])) @ Q
        else:
            expected = np.diag(1 / (np.mean(np.diagonal(K)) + Lam[:, j]))
        np.testing.assert_allclose(applied, expected, rtol=1e-4, atol=1e-6)


def test_mixed_precision_phases(monkeypatch):
    # float32 points until max(tol / 2, FLOAT32_PHASE_TOL) with the stall
    # test, then float64 points certified on exact fields; the directions use
    # float32 K and the same coarse space in both phases.
    calls = []
    run = _LockstepNewton.run

    def spy(self, point, tol, max_iter, stall=None, certify=True):
        calls.append((self, point.A.dtype, tol, stall, certify))
        return run(self, point, tol, max_iter, stall=stall, certify=certify)

    monkeypatch.setattr(_LockstepNewton, "run", spy)
    K, T = _problem(P=100, N=8, gamma=0.02)
    for tol in (1e-4, 1e-9):
        calls.clear()
        solve_newton_cg(K, T, 0.01, 100, tol)
        (
            (fast, dtype32, tol32, stall32, certify32),
            (full, dtype64, tol64, _, certify64),
        ) = calls
        assert (dtype32, dtype64) == (np.float32, np.float64)
        assert tol32 == max(tol / 2, FLOAT32_PHASE_TOL) and tol64 == tol
        assert (stall32, certify32, certify64) == (STALL, False, True)
        assert fast.K32.dtype == full.K32.dtype == np.float32
        assert full.K_exact is K
        assert fast.U is not None and full.U is not None
        np.testing.assert_array_equal(fast.U, full.U)


def test_coarse_space_needs_four_patterns_per_direction(monkeypatch):
    # rank at most P // 4 (and at least 2), at most N + 1
    ranks = []
    coarse_space = newton_module._coarse_space

    def spy(K, T, max_rank):
        ranks.append(max_rank)
        return coarse_space(K, T, max_rank)

    monkeypatch.setattr(newton_module, "_coarse_space", spy)
    for P, N, expected in [(100, 8, [9]), (24, 8, [6]), (8, 3, [2]), (7, 3, [])]:
        ranks.clear()
        K, T = _problem(P=P, N=N)
        solve_newton_cg(K, T, 0.01, 100, 1e-8)
        assert ranks == expected, (P, N)
