"""The stopping and divergence rules of gd, and the dense kernel ridge solve.

On ``K = c I`` the gradient descent decouples into one scalar recurrence per
entry, which the test runs itself; the kernel ridge solve is compared with
scikit-learn's ``KernelRidge``.
"""

import re
import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.kernel_ridge import KernelRidge

from sklearn_klrhop.solvers import LogisticLoss, solve_krr
from sklearn_klrhop.solvers._gd import solve_gd

from .._references import gram


def _reference_divergence_epoch(c, t, lam, eta, max_iter):
    """First epoch whose gradient exceeds 1e6 max(first, 1), by a scalar loop."""
    a, first = np.zeros_like(t), None
    for epoch in range(1, max_iter + 1):
        grad = c * (expit(c * a) - t + lam * a)
        size = np.abs(grad).max()
        first = size if first is None else first
        if size > 1e6 * max(first, 1.0):
            return epoch
        a = a - eta * grad
    return None


@pytest.mark.parametrize("c", [0.5, 0.9])  # first gradients below 1 (scale 1)
def test_gd_divergence_is_refused_at_the_epoch_the_rule_names(c):
    # eta c^2 lam = 3.5: the lam term multiplies a by -2.5 every epoch
    T = np.array([[1.0, 0.0], [0.0, 1.0]])
    lam, eta = 1.0, 3.5 / c**2
    epoch = _reference_divergence_epoch(c, T, lam, eta, 100)
    assert epoch is not None
    with pytest.raises(ValueError) as info:
        solve_gd(LogisticLoss(T, lam), c * np.eye(2), 100, 0.0, eta)
    assert str(info.value) == (
        f"solver='gd' diverged after {epoch} epochs: learning_rate={eta:g} is too "
        "large for this problem (gradient descent needs learning_rate * "
        "lambda_max(K D K + lam K) < 2, and lambda_max grows with lam=1 and with "
        "the number of similar patterns). Use a smaller learning_rate or "
        "solver='auto'."
    )


def test_gd_with_a_large_first_gradient_is_not_taken_as_divergent():
    # K = 4000 I: the first gradient is 4000 * 1/2 = 2000; a stable step size
    c, T, lam = 4000.0, np.array([[1.0], [0.0]]), 1e-3
    eta = 0.5 / c**2
    A, n_iter = solve_gd(LogisticLoss(T, lam), c * np.eye(2), 20, 0.0, eta)
    assert n_iter == 20
    assert _reference_divergence_epoch(c, T, lam, eta, 20) is None
    a = np.zeros_like(T)
    for _ in range(20):
        a = a - eta * c * (expit(c * a) - T + lam * a)
    np.testing.assert_allclose(A, a, rtol=1e-10)


def test_gd_stops_when_the_gradient_is_at_most_tol():
    # K = 0: the gradient is exactly zero, "at most tol = 0" after one epoch
    T = np.array([[1.0], [0.0]])
    A, n_iter = solve_gd(LogisticLoss(T, 0.1), np.zeros((2, 2)), 50, 0.0, 0.1)
    assert n_iter == 1
    np.testing.assert_array_equal(A, 0.0)


def test_krr_solves_positive_definite_systems_by_cholesky_only():
    # an indefinite (sigmoid) kernel with lam = 0 is not positive definite:
    # Cholesky refuses it, as in KernelRidge, which falls back to least squares
    X = np.random.RandomState(0).choice([-1.0, 1.0], size=(6, 5))
    K = gram(X, "sigmoid", gamma=0.3, coef0=0.5)
    assert np.linalg.eigvalsh(K).min() < -1e-3  # indefinite
    assert abs(np.linalg.det(K)) > 1e-8  # yet not singular
    Y = X.copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        A, solver = solve_krr(K, Y, 0.0)
    assert solver == "lstsq"
    assert any(re.search("kernel matrix is singular", str(w.message)) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = KernelRidge(alpha=0.0, kernel="precomputed").fit(K, Y).dual_coef_
    np.testing.assert_allclose(A, ref, rtol=1e-8, atol=1e-10)
    # positive definite: Cholesky, the same answer as KernelRidge
    K = gram(X, "rbf", gamma=0.3)
    A, solver = solve_krr(K, Y, 0.5)
    assert solver == "cholesky"
    ref = KernelRidge(alpha=0.5, kernel="precomputed").fit(K, Y).dual_coef_
    np.testing.assert_allclose(A, ref, rtol=1e-10)
