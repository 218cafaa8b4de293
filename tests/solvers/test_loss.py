"""LogisticLoss: the one definition of the KLR objective, checked from its formula."""

import numpy as np
import pytest
from scipy.optimize import approx_fprime, check_grad
from scipy.special import expit
from sklearn.metrics.pairwise import rbf_kernel

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import LogisticLoss
from tests._references import klr_objective


@pytest.fixture(scope="module")
def problem():
    X = make_patterns(15, 6, random_state=2)
    K = rbf_kernel(X, gamma=0.05)
    T = (X + 1) / 2
    A = np.random.RandomState(0).normal(size=X.shape)
    return K, T, A


def test_point_matches_the_objective_written_out(problem):
    K, T, A = problem
    point = LogisticLoss(T, 0.1).at(A, K @ A)
    f, grad = klr_objective(A, K, T, 0.1)
    assert point.f.sum() == pytest.approx(f, rel=1e-12)
    np.testing.assert_allclose(K @ point.R, grad, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(point.R, expit(K @ A) - T + 0.1 * A, atol=1e-15)
    p = expit(K @ A)
    np.testing.assert_allclose(point.curvature, p * (1 - p), rtol=1e-12)
    np.testing.assert_allclose(point.r_max, np.abs(point.R).max(axis=0))


def test_gradient_matches_finite_differences(problem):
    K, T, A = problem
    loss = LogisticLoss(T, 0.1)

    def f(a):
        a = a.reshape(A.shape)
        return loss.at(a, K @ a).f.sum()

    def g(a):
        return loss.gradient(a.reshape(A.shape), K).ravel()

    assert check_grad(f, g, A.ravel()) < 1e-5 * np.linalg.norm(g(A.ravel()))


def test_hessian_matches_finite_differences_of_the_gradient(problem):
    K, T, A = problem
    loss = LogisticLoss(T, 0.1)
    column = 2

    def g(a):
        B = A.copy()
        B[:, column] = a
        return loss.gradient(B, K)[:, column]

    numeric = np.stack(
        [approx_fprime(A[:, column], lambda a, i=i: g(a)[i], 1e-7) for i in range(15)]
    )
    H = loss.hessian(K, K @ A, column)
    np.testing.assert_allclose(H, numeric, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(H, H.T, atol=1e-14)


def test_primal_coordinates_give_the_same_objective(problem):
    # For K = F F^T and W = F^T A, lam / 2 ||W||^2 is the RKHS penalty.
    K, T, A = problem
    F = np.linalg.cholesky(K + 1e-12 * np.eye(len(K)))
    W = F.T @ A
    loss = LogisticLoss(T, 0.1)
    f, dZ = loss.primal(W, F @ W)
    assert f == pytest.approx(klr_objective(A, F @ F.T, T, 0.1)[0], rel=1e-10)
    np.testing.assert_allclose(dZ, expit(F @ W) - T, atol=1e-15)
    # the representer form is stationary where the fields are
    A_star = loss.representer(F @ W)
    np.testing.assert_allclose(A_star, (T - expit(F @ W)) / 0.1)


def test_float32_points_stay_float32():
    T = np.array([[0.0, 1.0]], dtype=np.float32)
    Z = np.array([[40.0, -40.0]], dtype=np.float32)
    point = LogisticLoss(T, 0.01).at(np.zeros_like(Z), Z)
    assert point.R.dtype == np.float32 and point.curvature.dtype == np.float32
    # saturated fields: sigma is exact, the curvature tiny but not zero
    np.testing.assert_allclose(point.R, [[1.0, -1.0]])
    assert np.all(point.curvature > 0)
    assert np.all(np.isfinite(point.f))
