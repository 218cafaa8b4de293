"""Iteration counts, warnings and memory of newton-cg, L-BFGS and the kernel factor.

The counts are compared with counters the test keeps itself (one per Newton
direction computed), the options with scikit-learn's ``LogisticRegression``,
the residuals with the stationarity condition evaluated in the test.
"""

import inspect
import warnings

import numpy as np
import pytest
import sklearn.linear_model._logistic as sklearn_logistic
from scipy import optimize
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop.solvers._newton_cg as newton_module
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import KernelFactor, LogisticLoss, lbfgs_options
from sklearn_klrhop.solvers._lbfgs import _restore_lower, solve_lbfgs
from sklearn_klrhop.solvers._newton_cg import _orthonormal_columns, solve_newton_cg
from tests._references import gram, stationarity_residual


def _problem(P=120, N=20, gamma=0.02, random_state=3):
    X = make_patterns(P, N, random_state=random_state)
    return rbf_kernel(X, gamma=gamma), (X + 1) / 2


def _count_directions(monkeypatch):
    calls = []
    original = newton_module._LockstepNewton._direction

    def counted(self, point):
        calls.append(1)
        return original(self, point)

    monkeypatch.setattr(newton_module._LockstepNewton, "_direction", counted)
    return calls


@pytest.mark.parametrize("tol", [1e-4, 1e-10])
def test_newton_cg_counts_every_newton_step_and_certifies_its_residual(
    monkeypatch, tol
):
    # both phases (float32, then float64 below 5e-7) take steps here
    K, T = _problem()
    calls = _count_directions(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        A, n_iter = solve_newton_cg(K, T, 0.01, 100, tol)
    assert n_iter == len(calls) >= 2
    # the test of convergence is passed on exact fields, not carried ones
    assert stationarity_residual(A, K, T, 0.01) <= tol


def test_newton_cg_out_of_iterations_counts_the_steps_it_took(monkeypatch):
    K, T = _problem(random_state=4)
    calls = _count_directions(monkeypatch)
    with pytest.warns(ConvergenceWarning, match="after 3 iteration"):
        _, n_iter = solve_newton_cg(K, T, 0.001, 3, 1e-13)
    assert n_iter == len(calls) == 3


def test_orthonormal_columns_of_dependent_columns_span_them():
    rng = np.random.RandomState(0)
    x, y, z = rng.choice([-1.0, 1.0], size=(3, 40))
    B = np.column_stack([x, x, y, z])  # rank 3: Cholesky QR fails
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(B.T @ B)
    Q = _orthonormal_columns(B)
    assert Q.shape == (40, 3)
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-12)
    # the projection onto the span leaves every column of B unchanged
    np.testing.assert_allclose(Q @ (Q.T @ B), B, atol=1e-12)


def test_lbfgs_options_are_those_of_logistic_regression():
    # scikit-learn's LogisticRegression passes maxls=50 and ftol=64 eps to
    # L-BFGS-B; its source says so
    source = inspect.getsource(sklearn_logistic)
    assert '"maxls": 50' in source
    assert '"ftol": 64 * np.finfo(float).eps' in source
    options = lbfgs_options(7, 1e-5)
    assert options == {
        "maxiter": 7,
        "maxls": 50,
        "gtol": 1e-5,
        "ftol": 64 * np.finfo(float).eps,
    }
    # every key is one L-BFGS-B knows (an unknown one warns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimize.minimize(
            lambda u: (u @ u, 2 * u), np.ones(2), jac=True, method="L-BFGS-B",
            options=options,
        )  # fmt: skip


def test_lbfgs_out_of_iterations_warns_with_its_name_and_budget():
    K, T = _problem(random_state=5)
    with pytest.warns(ConvergenceWarning) as log:
        _, n_iter = solve_lbfgs(K, LogisticLoss(T, 1e-3), 3, 1e-12)
    message = str(log[0].message)
    assert message.startswith("lbfgs failed to converge after 3 iteration(s)")
    assert message.endswith("\nIncrease max_iter or tol, or use a larger lam.")
    assert n_iter == 3


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_an_in_place_factor_lives_in_the_memory_of_k(order, dtype):
    K = np.array(
        gram(make_patterns(20, 16, random_state=1), gamma=0.05), dtype, order=order
    )
    f = KernelFactor(K, overwrite_k=True)
    assert f.triangular and np.shares_memory(f.F, K)
    W = np.random.RandomState(2).randn(20, 3)
    L = np.tril(f.F)
    # the triangular products keep the factor's precision
    assert f.dot(W).dtype == f.tdot(W).dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(f.dot(W), L @ W.astype(dtype), rtol=rtol)
    np.testing.assert_allclose(f.tdot(W), L.T @ W.astype(dtype), rtol=rtol)


def test_the_jitter_is_added_relative_to_the_mean_diagonal_and_reset_by_eigh():
    # a singular linear kernel with diagonal 16: the jitter that made Cholesky
    # succeed is jitter * 16 on the diagonal of L L^T
    X = make_patterns(30, 16, random_state=2)
    K = X @ X.T
    f = KernelFactor(K)
    assert f.triangular and f.jitter > 0
    L = np.tril(f.F)
    added = np.diagonal(L @ L.T - K)
    np.testing.assert_allclose(added, f.jitter, rtol=1e-3)
    # an indefinite kernel ends in the eigenbasis: no jitter was kept
    K = gram(make_patterns(12, 16, random_state=0), "sigmoid", gamma=0.05, coef0=-0.5)
    f = KernelFactor(K)
    assert not f.triangular and f.jitter == 0.0


def test_restore_lower_copies_the_upper_triangle_down_across_blocks():
    rng = np.random.RandomState(0)
    S = rng.randn(10, 10)
    S = S + S.T
    work = np.triu(S) + np.tril(rng.randn(10, 10), -1)  # a spoiled lower triangle
    work[np.diag_indices(10)] = -7.0  # and diagonal
    _restore_lower(work, np.diagonal(S).copy(), block=3)
    np.testing.assert_array_equal(work, S)
