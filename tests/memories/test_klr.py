"""KLRHopfieldMemory: the fitted coefficients solve the stated problem."""

import numpy as np
import pytest
from scipy.optimize import check_grad
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import rbf_kernel

from sklearn_klrhop import KLRHopfieldMemory, default_gamma
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.memories import OVERLAP_KERNELS
from sklearn_klrhop.memories._kernels import overlap_kernel
from sklearn_klrhop.solvers import KernelFactor
from tests._references import gram, klr_objective


def _fields_at_patterns(mem):
    return gram(mem.patterns_, gamma=mem.gamma_) @ mem.dual_coef_


@pytest.mark.parametrize("gamma", [0.02, 0.1])
def test_dual_coef_matches_logistic_regression_on_cholesky_factor(gamma):
    # K = L L^T and w = L^T a turn the RKHS-regularised problem into plain L2
    # logistic regression on features L: an independent solver of the same
    # objective (scikit-learn's lbfgs with C = 1 / lam, no intercept).
    X = make_patterns(40, 12, random_state=1)
    lam = 0.05
    mem = KLRHopfieldMemory(gamma=gamma, lam=lam, tol=1e-10).fit(X)
    K = rbf_kernel(X, gamma=gamma)
    L = np.linalg.cholesky(K)
    T = (X + 1) / 2
    for i in range(X.shape[1]):
        lr = LogisticRegression(
            C=1 / lam, fit_intercept=False, tol=1e-12, max_iter=10_000
        )
        lr.fit(L, T[:, i])
        h_ref = L @ lr.coef_.ravel()
        a_ref = (T[:, i] - expit(h_ref)) / lam
        np.testing.assert_allclose(
            K @ mem.dual_coef_[:, i], h_ref, rtol=1e-5, atol=1e-6
        )
        np.testing.assert_allclose(mem.dual_coef_[:, i], a_ref, rtol=1e-4, atol=1e-5)


def test_objective_gradient_matches_finite_differences():
    X = make_patterns(15, 6, random_state=2)
    K = rbf_kernel(X, gamma=0.05)
    T = (X + 1) / 2
    a0 = np.random.RandomState(0).normal(size=X.shape).ravel()

    def f(a):
        return klr_objective(a.reshape(X.shape), K, T, 0.1)[0]

    def g(a):
        return klr_objective(a.reshape(X.shape), K, T, 0.1)[1].ravel()

    assert check_grad(f, g, a0) < 1e-5 * np.linalg.norm(g(a0))


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg", "gd"])
def test_fitted_coefficients_are_stationary(solver):
    X = make_patterns(30, 10, random_state=3)
    max_iter = 5000 if solver == "gd" else None
    mem = KLRHopfieldMemory(
        gamma=0.05, lam=0.1, solver=solver, max_iter=max_iter, tol=1e-9
    ).fit(X)
    K = rbf_kernel(X, gamma=0.05)
    _, grad = klr_objective(mem.dual_coef_, K, (X + 1) / 2, 0.1)
    _, grad0 = klr_objective(np.zeros_like(X), K, (X + 1) / 2, 0.1)
    assert np.abs(grad).max() < 1e-5 * np.abs(grad0).max()


def test_solvers_agree():
    X = make_patterns(40, 10, random_state=4)
    fields = [
        _fields_at_patterns(
            KLRHopfieldMemory(
                gamma=0.05,
                lam=0.1,
                solver=s,
                tol=1e-10,
                learning_rate=0.02,
                max_iter=20_000 if s == "gd" else None,
            ).fit(X)
        )
        for s in ["lbfgs", "newton-cg", "gd"]
    ]
    np.testing.assert_allclose(fields[1], fields[0], rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(fields[2], fields[0], rtol=1e-3, atol=1e-3)


def test_gd_follows_the_papers_update():
    # Two epochs of A <- A - eta K (sigma(K A) - T + lam A) from A = 0.
    X = make_patterns(20, 8, random_state=5)
    K = rbf_kernel(X, gamma=0.1)
    T = (X + 1) / 2
    A = np.zeros_like(X)
    for _ in range(2):
        A = A - 0.1 * K @ (expit(K @ A) - T + 0.01 * A)
    mem = KLRHopfieldMemory(gamma=0.1, solver="gd", max_iter=2, tol=0).fit(X)
    np.testing.assert_allclose(mem.dual_coef_, A)
    assert mem.n_iter_ == 2


def test_squared_loss_equals_kernel_ridge():
    X = make_patterns(50, 20, random_state=6)
    mem = KLRHopfieldMemory(gamma=0.05, lam=0.3, loss="squared").fit(X)
    ref = KernelRidge(alpha=0.3, kernel="rbf", gamma=0.05).fit(X, X)
    np.testing.assert_allclose(mem.dual_coef_, ref.dual_coef_, rtol=1e-10)
    assert mem.n_iter_ == 1


def test_lbfgs_warns_when_out_of_iterations():
    X = make_patterns(60, 10, random_state=7)
    with pytest.warns(ConvergenceWarning, match="Increase max_iter"):
        KLRHopfieldMemory(gamma=0.01, max_iter=1, tol=1e-12).fit(X)


def test_singular_kernel_is_factorised_with_jitter():
    # A broad kernel with duplicate patterns is singular; the fit still works.
    X = make_patterns(10, 8, random_state=8)
    X = np.vstack([X, X])
    factor = KernelFactor(rbf_kernel(X, gamma=1e-6))
    assert factor.triangular and factor.jitter > 0
    mem = KLRHopfieldMemory(gamma=1e-3).fit(X)
    assert np.isfinite(mem.dual_coef_).all()


@pytest.mark.parametrize("kernel", OVERLAP_KERNELS)
def test_overlap_kernel_matches_sklearn_pairwise(kernel):
    X = make_patterns(7, 9, random_state=9)
    S = make_patterns(5, 9, random_state=10)
    gamma = default_gamma(9, kernel)
    k, log_scale = overlap_kernel(S @ X.T, 9, kernel, gamma=gamma, degree=2, coef0=0.5)
    ref = gram(S, kernel, gamma=gamma, degree=2, coef0=0.5, Y=X)
    np.testing.assert_allclose(
        k * np.exp(log_scale)[:, None], ref, rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("kernel", ["laplacian", "poly", "linear", "cosine", "sigmoid"])
def test_every_kernel_fits_and_keeps_patterns_at_low_load(kernel):
    X = make_patterns(5, 60, random_state=11)
    mem = KLRHopfieldMemory(kernel=kernel).fit(X)
    assert mem.predict(X).shape == X.shape
    if kernel != "sigmoid":  # indefinite; fitted on its nearest PSD kernel
        np.testing.assert_array_equal(mem.predict(X), X)


def test_default_gamma_scales_with_n_features():
    assert default_gamma(1000) * 1000 > default_gamma(100) * 100 >= 10
    assert default_gamma(20) * 20 == pytest.approx(10)


@pytest.mark.parametrize("n_features", [50, 200])
def test_defaults_recall_at_load_ten(n_features):
    X = make_patterns(10 * n_features, n_features, random_state=0)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    cues = corrupt(X[:300], 0.2, random_state=1)
    assert np.mean(np.all(mem.predict(cues) == X[:300], axis=1)) >= 0.99
