"""newton-cg: the lockstep truncated Newton solver reaches the exact optimum."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop.solvers._newton_cg as newton_module
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import off_diagonal_ratio, solve_klr
from sklearn_klrhop.solvers._newton_cg import _coarse_space, solve_newton_cg
from tests._references import klr_objective


def _broad_problem(P=200, N=30, gamma=0.01, random_state=11):
    X = make_patterns(P, N, random_state=random_state)
    return rbf_kernel(X, gamma=gamma), (X + 1) / 2


def _exact_newton(K, T, lam, n_iter=10):
    # Reference: dense Newton per neuron in Cholesky coordinates W = L^T A
    # (plain L2 logistic regression on features L), solved to machine precision.
    L = np.linalg.cholesky(K)
    W = np.zeros(T.shape)
    for _ in range(n_iter):
        p = 1 / (1 + np.exp(-(L @ W)))
        G = L.T @ (p - T) + lam * W
        for i in range(T.shape[1]):
            H = L.T @ ((p[:, i] * (1 - p[:, i]))[:, None] * L) + lam * np.eye(len(K))
            W[:, i] -= np.linalg.solve(H, G[:, i])
    return (T - 1 / (1 + np.exp(-(L @ W)))) / lam


@pytest.fixture(scope="module")
def broad_optimum():
    K, T = _broad_problem()
    return K, T, _exact_newton(K, T, 0.01)


@pytest.mark.parametrize("coarse", [True, False])
def test_newton_dual_reaches_the_exact_optimum(coarse, broad_optimum):
    # The ill-conditioned regime (broad kernel, small lam): the lockstep
    # truncated Newton solver, with or without its coarse preconditioner,
    # lands on the optimum of a dense per-neuron Newton solve.
    K, T, A_ref = broad_optimum
    lam = 0.01
    assert off_diagonal_ratio(K) > 0.1
    A, n_iter = solve_newton_cg(K, T, lam, 100, 1e-10, coarse=coarse)
    H, H_ref = K @ A, K @ A_ref
    assert np.abs(H - H_ref).max() <= 1e-8 * np.abs(H_ref).max()
    np.testing.assert_allclose(A, A_ref, rtol=1e-5, atol=1e-5)
    assert 1 <= n_iter < 30
    _, grad = klr_objective(A, K, T, lam)
    assert np.abs(grad).max() < 1e-8


def test_newton_dual_tol_bounds_the_stationarity_residual():
    K, T = _broad_problem(random_state=12)
    for tol in (1e-3, 1e-6):
        A, _, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=tol)
        R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
        assert np.abs(R).max() <= tol


def test_newton_dual_warns_when_out_of_iterations():
    K, T = _broad_problem(random_state=13)
    with pytest.warns(ConvergenceWarning, match="newton-cg failed") as log:
        A, n_iter, _ = solve_klr(K, T, 0.01, solver="newton-cg", max_iter=2, tol=1e-12)
    assert "Increase max_iter" in str(log[0].message)
    assert n_iter == 2
    assert np.isfinite(A).all()


def test_newton_dual_float32_matches_float64():
    K, T = _broad_problem(random_state=14)
    A64, _, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=1e-8)
    A32, _, _ = solve_klr(K.astype(np.float32), T, 0.01, solver="newton-cg", tol=1e-8)
    assert A32.dtype == np.float32
    np.testing.assert_allclose(K @ A32, K @ A64, rtol=0, atol=1e-3)


def test_coarse_space_is_orthonormal_and_captures_the_top_of_the_spectrum():
    K, T = _broad_problem(P=120, N=10, random_state=15)
    U, sigma, beta = _coarse_space(K, T, 11)
    np.testing.assert_allclose(U.T @ U, np.eye(U.shape[1]), atol=1e-10)
    w = np.linalg.eigvalsh(K)
    # the constant direction carries the largest eigenvalue of a broad kernel
    assert sigma.max() == pytest.approx(w[-1], rel=1e-3)
    assert 0 < beta < sigma.max()
    # a sketch when there are more targets than the rank allows
    U, sigma, _ = _coarse_space(K, T, 4)
    assert U.shape == (120, 4)


def test_newton_dual_with_a_sketched_coarse_space():
    # P < 4 (N + 1): the coarse space is a random sketch of the targets, a
    # poorer preconditioner; the solver must still reach the optimum.
    K, T = _broad_problem(P=80, N=30, random_state=22)
    A_ref = _exact_newton(K, T, 0.01)
    A, _ = solve_newton_cg(K, T, 0.01, 100, 1e-10)
    np.testing.assert_allclose(K @ A, K @ A_ref, rtol=0, atol=1e-8)


def test_newton_dual_small_lam_saturated_fields():
    # lam = 1e-7: the fields grow past 15, curvatures p (1 - p) fall to 1e-7
    # and the float32 Newton systems are badly scaled; the answer must still
    # be the stationary point, certified in float64.
    K, T = _broad_problem(P=150, N=20, gamma=0.05, random_state=23)
    lam = 1e-7
    A, _ = solve_newton_cg(K, T, lam, 200, 1e-9)
    R = 1 / (1 + np.exp(-(K @ A))) - T + lam * A
    assert np.abs(R).max() <= 1e-9
    assert np.abs(K @ A).max() > 15


def test_newton_dual_mixed_precision_is_certified_in_float64():
    # The float32 phase cannot resolve 1e-9; the result must reach it anyway.
    K, T = _broad_problem(random_state=24)
    for tol in (1e-4, 1e-9):
        A, _, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=tol)
        assert A.dtype == np.float64
        R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
        assert np.abs(R).max() <= tol


def test_newton_dual_step_extension_saves_steps(monkeypatch):
    # Full steps fall short while the fields grow; extending them along the
    # secant of the slope must reach the same optimum in fewer Newton steps.
    K, T = _broad_problem(random_state=27)
    A, extended = solve_newton_cg(K, T, 0.01, 100, 1e-8)
    monkeypatch.setattr(newton_module, "EXTRAPOLATE_BELOW", np.inf)
    A_plain, plain = solve_newton_cg(K, T, 0.01, 100, 1e-8)
    assert extended < plain
    np.testing.assert_allclose(K @ A, K @ A_plain, rtol=0, atol=1e-6)


def test_newton_accepts_convergence_only_on_exact_fields():
    # The directions use K32 and the carried fields move by K32 d: here K32 is
    # 0.1 % off, so the carried fields drift from K A after every step.
    # Converged must still mean converged on fields recomputed with the exact K.
    from scipy.special import expit

    from sklearn_klrhop.solvers._loss import LogisticLoss

    K, T = _broad_problem(P=60, N=8, gamma=0.05)
    lam, tol = 0.05, 1e-6
    loss = LogisticLoss(T, lam)
    newton = newton_module._LockstepNewton(
        (1.001 * K).astype(np.float32), K, loss, None, max_cg=50
    )
    start = newton.exact_point(np.zeros(T.shape))
    point, n_steps, converged = newton.run(start, tol, max_iter=200)
    assert converged and n_steps > 1
    residual = expit(K @ point.A) - T + lam * point.A  # written out
    assert np.abs(residual).max() <= tol


def test_two_level_preconditioner_keeps_newton_steps_to_a_few_cg_iterations(
    monkeypatch,
):
    # The documented effect of the coarse space: on a broad RBF kernel each
    # Newton step needs one to three CG iterations (the preconditioner is
    # applied once per iteration, plus once per step to start). Without the
    # coarse space the same problem needs several times as many.
    applied, steps = [], []
    two_level, direction = (
        newton_module._two_level,
        newton_module._LockstepNewton._direction,
    )

    def counted_two_level(r, *args, **kwargs):
        applied.append(1)
        return two_level(r, *args, **kwargs)

    def counted_direction(self, point):
        steps.append(1)
        return direction(self, point)

    monkeypatch.setattr(newton_module, "_two_level", counted_two_level)
    monkeypatch.setattr(newton_module._LockstepNewton, "_direction", counted_direction)
    K, T = _broad_problem(P=400, N=40, gamma=0.025, random_state=0)
    per_step = {}
    for coarse in (True, False):
        applied.clear(), steps.clear()
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            solve_newton_cg(K, T, 0.01, 100, 1e-6, coarse=coarse)
        per_step[coarse] = len(applied) / len(steps)
        assert len(steps) <= 8
    assert per_step[True] <= 3
    assert per_step[False] >= 2 * per_step[True]


def test_a_non_finite_float32_phase_restarts_from_zero_in_float64(monkeypatch):
    # If the float32 phase ends on non-finite coefficients (overflow), the
    # float64 phase starts from zero and counts only its own iterations: the
    # same answer and count as a float32 phase that did nothing.
    K, T = _broad_problem(P=80, N=6, random_state=15)
    run = newton_module._LockstepNewton.run

    def fast_phase(result):
        def patched(self, point, tol, max_iter, **kwargs):
            if self.dtype != np.float32:
                return run(self, point, tol, max_iter, **kwargs)
            A = np.full(point.A.shape, result, np.float32)
            return self.loss.at(A, A.copy()), 5, False

        return patched

    answers = []
    for value in (np.nan, 0.0):
        monkeypatch.setattr(newton_module._LockstepNewton, "run", fast_phase(value))
        answers.append(solve_newton_cg(K, T, 0.01, 100, 1e-10))
    (A_nan, n_nan), (A_zero, n_zero) = answers
    assert np.isfinite(A_nan).all()
    np.testing.assert_array_equal(A_nan, A_zero)
    # the zero start's 5 iterations count, the discarded ones do not
    assert n_nan == n_zero - 5 and n_nan > 1
    _, grad = klr_objective(A_nan, K, T, 0.01)
    assert np.abs(grad).max() < 1e-8


def test_newton_cg_floors_tol_at_fifty_machine_epsilons():
    K, T = _broad_problem(P=60, N=4, random_state=16)
    for dtype in (np.float64, np.float32):
        eps = np.finfo(dtype).eps
        with pytest.warns(ConvergenceWarning) as log:
            solve_newton_cg(K.astype(dtype), T, 0.01, 2, 0.0)
        assert f"> tol={50 * eps:g}." in str(log[0].message)


def test_a_start_within_tol_counts_one_iteration():
    # a warm start that already meets tol runs no Newton step; the solver
    # still reports one iteration (the check)
    K, T = _broad_problem(P=60, N=4, random_state=17)
    A, _ = solve_newton_cg(K, T, 0.01, 100, 1e-10)
    A_again, n_iter = solve_newton_cg(K, T, 0.01, 100, 1e-3, A0=A)
    assert n_iter == 1
    np.testing.assert_allclose(A_again, A, atol=1e-3)
