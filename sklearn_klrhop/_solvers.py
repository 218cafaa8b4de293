"""Dual solvers for kernel logistic and kernel ridge regression, all neurons at once."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
from scipy import linalg, optimize
from scipy.linalg.blas import get_blas_funcs
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning

# Default iteration budgets: L-BFGS as in LogisticRegression, plain gradient
# descent as in the papers (300 epochs at learning rate 0.1, from zero).
DEFAULT_MAX_ITER = {"lbfgs": 500, "newton-cg": 100, "gd": 300}


class KernelFactor:
    """A factor ``F`` with ``K ~= F F^T``, and products with it.

    Cholesky is tried first (one O(P^3 / 3) factorisation, then triangular
    products at half the cost of a dense one); a tiny diagonal jitter is added
    when K is numerically singular, as happens for broad kernels (small gamma N)
    and low-rank kernels. Indefinite kernels (sigmoid) fall back to the
    eigenbasis with negative eigenvalues clipped to zero, i.e. the nearest
    positive semi-definite kernel.
    """

    def __init__(self, K):
        scale = max(float(np.mean(np.diag(K))), np.finfo(float).tiny)
        self.jitter = 0.0
        for jitter in (0.0, 1e-12, 1e-10, 1e-8):
            try:
                L = linalg.cholesky(
                    K + (jitter * scale) * np.eye(len(K)),
                    lower=True,
                    check_finite=False,
                )
            except linalg.LinAlgError:
                continue
            self.jitter = jitter * scale
            self.F, self.triangular = L, True
            return
        w, V = linalg.eigh(K, check_finite=False)
        self.F, self.triangular = V * np.sqrt(np.clip(w, 0, None)), False

    def dot(self, W):
        """``F @ W`` (the fields at the stored patterns in factor coordinates)."""
        if self.triangular:
            trmm = get_blas_funcs("trmm", (self.F, W))
            return trmm(1.0, self.F, W, lower=True)
        return self.F @ W

    def tdot(self, R):
        """``F.T @ R``."""
        if self.triangular:
            trmm = get_blas_funcs("trmm", (self.F, R))
            return trmm(1.0, self.F, R, lower=True, trans_a=True)
        return self.F.T @ R


def _logistic_loss(T, Z):
    # sum over patterns and neurons of -[t log sigma(z) + (1 - t) log(1 - sigma(z))]
    return np.sum(np.logaddexp(0.0, Z)) - np.sum(T * Z)


def klr_objective(A, K, T, lam):
    """KLR objective and its gradient in the dual coefficients, all neurons.

    ``L(A) = sum logloss(T, K A) + lam / 2 * trace(A^T K A)``, gradient
    ``K (sigma(K A) - T + lam A)``. Used by the papers' gradient descent and by
    tests; the quasi-Newton solvers work in factor coordinates instead.
    """
    Z = K @ A
    loss = _logistic_loss(T, Z) + 0.5 * lam * np.sum(A * Z)
    return loss, K @ (expit(Z) - T + lam * A)


def solve_krr(K, Y, lam):
    """Kernel ridge regression ``(K + lam I) A = Y``, as in ``KernelRidge``."""
    K = K.copy()
    K.flat[:: len(K) + 1] += lam
    try:
        return linalg.solve(K, Y, assume_a="pos", overwrite_a=True)
    except linalg.LinAlgError:
        warnings.warn(
            "The kernel matrix is singular; solving the kernel ridge system by least "
            "squares. Use lam > 0 for a unique solution.",
            UserWarning,
            stacklevel=3,
        )
        return linalg.lstsq(K, Y)[0]


def solve_klr(K, T, lam, *, solver="lbfgs", max_iter=None, tol=1e-6, learning_rate=0.1):
    """Fit the dual coefficients of KLR for every neuron at once.

    Parameters
    ----------
    K : ndarray of shape (n_patterns, n_patterns)
        Gram matrix of the stored patterns.
    T : ndarray of shape (n_patterns, n_features)
        Targets in {0, 1}.
    lam : float
        RKHS regularisation strength (> 0).

    Returns
    -------
    A : ndarray of shape (n_patterns, n_features)
        Dual coefficients.
    n_iter : int
        Iterations (epochs for ``"gd"``) performed.
    """
    max_iter = DEFAULT_MAX_ITER[solver] if max_iter is None else max_iter
    if solver == "gd":
        return _solve_gd(K, T, lam, max_iter, tol, learning_rate)
    return _solve_factor(K, T, lam, solver, max_iter, tol)


def _solve_gd(K, T, lam, max_iter, tol, learning_rate):
    """Full-batch gradient descent on the dual coefficients from A = 0 (the papers)."""
    A = np.zeros_like(T, dtype=float)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        grad = K @ (expit(K @ A) - T + lam * A)
        A -= learning_rate * grad
        if np.max(np.abs(grad), initial=0.0) <= tol:
            break
    return A, n_iter


def _solve_factor(K, T, lam, solver, max_iter, tol):
    """Quasi-Newton / Newton-CG in the coordinates ``W = F^T A`` of ``K = F F^T``.

    There the problem is plain L2-regularised logistic regression on features F,
    ``sum logloss(T, F W) + lam / 2 ||W||^2``, whose Hessian ``F^T D F + lam I``
    is far better conditioned than ``K D K + lam K`` in the dual coefficients.
    Every objective evaluation costs one product with F and one with F^T, i.e.
    one P x P by P x N product for all neurons together. The objective is
    divided by P so that ``tol`` does not depend on the number of patterns.
    """
    factor = KernelFactor(K)
    P, N = T.shape

    def fun(w):
        W = w.reshape(P, N)
        Z = factor.dot(W)
        loss = _logistic_loss(T, Z) + 0.5 * lam * np.sum(W * W)
        grad = factor.tdot(expit(Z) - T) + lam * W
        return loss / P, grad.ravel() / P

    cache = {}

    def hessp(w, v):
        if cache.get("w") is not w:
            p = expit(factor.dot(w.reshape(P, N)))
            cache.update(w=w, D=p * (1 - p))
        V = v.reshape(P, N)
        return (factor.tdot(cache["D"] * factor.dot(V)) + lam * V).ravel() / P

    w0 = np.zeros(P * N)
    if solver == "lbfgs":
        options = {
            "maxiter": max_iter,
            "maxls": 50,
            "gtol": tol,
            "ftol": 64 * np.finfo(float).eps,
        }
        res = optimize.minimize(fun, w0, method="L-BFGS-B", jac=True, options=options)
    else:
        res = optimize.minimize(
            fun,
            w0,
            method="Newton-CG",
            jac=True,
            hessp=hessp,
            options={"maxiter": max_iter, "xtol": tol},
        )
    n_iter = _check_optimize_result(solver, res, max_iter)
    # Stationarity gives A = (T - sigma(K A)) / lam exactly (the representer
    # form); evaluating it at the solution avoids dividing by tiny factor
    # entries when K is nearly singular.
    A = (T - expit(factor.dot(res.x.reshape(P, N)))) / lam
    return A, n_iter


def _check_optimize_result(solver, result, max_iter):
    """Warn on non-convergence and return the number of iterations.

    Modelled on scikit-learn's private ``sklearn.utils.optimize._check_optimize_result``.
    """
    if not result.success:
        warnings.warn(
            f"{solver} failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {result.message}\n"
            "Increase max_iter or tol, or use a larger lam.",
            ConvergenceWarning,
            stacklevel=4,
        )
    return max(1, min(int(result.nit), max_iter))
