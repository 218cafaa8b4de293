"""L-BFGS on the KLR objective in the coordinates of a factor of K."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import linalg, optimize
from scipy.linalg.blas import get_blas_funcs
from scipy.linalg.lapack import get_lapack_funcs
from sklearn.exceptions import ConvergenceWarning

from .._warnings import warn_user

_JITTERS = {
    np.dtype(np.float64): (0.0, 1e-12, 1e-10, 1e-8),
    np.dtype(np.float32): (0.0, 1e-6, 1e-5, 1e-4),
}


class KernelFactor:
    """A factor ``F`` with ``K ~= F F^T``, and products with it.

    Cholesky is tried first (one O(P^3 / 3) factorisation, then triangular
    products at half the cost of a dense one); a tiny diagonal jitter is added
    when K is numerically singular, as happens for broad kernels (small gamma N)
    and low-rank kernels. Indefinite kernels (sigmoid) fall back to the
    eigenbasis with negative eigenvalues clipped to zero, i.e. the nearest
    positive semi-definite kernel.

    With ``overwrite_k=True`` the factor is computed in the memory of K (which
    must be symmetric), so fitting holds one P x P matrix, not two. The factor
    keeps the dtype of K (float32 halves the memory).

    Parameters
    ----------
    K : ndarray of shape (n_patterns, n_patterns)
        Symmetric Gram matrix.
    overwrite_k : bool, default=False
        Factorise in the memory of K.

    Attributes
    ----------
    F : ndarray of shape (n_patterns, n_patterns)
        The factor (lower triangular when ``triangular``).
    triangular : bool
        Cholesky (True) or the clipped eigenbasis (False).
    jitter : float
        Diagonal jitter added before the Cholesky factorisation succeeded.
    """

    def __init__(self, K, *, overwrite_k=False):
        K = np.asarray(K)
        dtype = K.dtype if K.dtype in _JITTERS else np.dtype(np.float64)
        P = len(K)
        diag = np.array(np.diagonal(K), dtype=dtype)
        scale = max(float(np.mean(diag)) if P else 1.0, np.finfo(float).tiny)
        if (
            overwrite_k
            and K.dtype == dtype
            and (K.flags.c_contiguous or K.flags.f_contiguous)
        ):
            # K is symmetric, so its transpose is the same matrix in Fortran order.
            work = K if K.flags.f_contiguous else K.T
        else:
            work = np.array(K, dtype=dtype, order="F")
        potrf = get_lapack_funcs("potrf", (work,))
        self.jitter = 0.0
        for jitter in _JITTERS[dtype]:
            work.flat[:: P + 1] = diag + jitter * scale
            L, info = potrf(work, lower=1, overwrite_a=1, clean=0)
            if info == 0:
                self.jitter = jitter * scale
                self.F, self.triangular = L, True
                return
            _restore_lower(work, diag)
        w, V = linalg.eigh(work, check_finite=False)
        self.F, self.triangular = (
            (V * np.sqrt(np.clip(w, 0, None))).astype(dtype),
            False,
        )

    @property
    def dtype(self):
        """The dtype of the factor (that of K)."""
        return self.F.dtype

    def dot(self, W):
        """Compute ``F @ W``, the fields at the stored patterns.

        Parameters
        ----------
        W : ndarray of shape (n_patterns, n_outputs)
            Factor coordinates.

        Returns
        -------
        Z : ndarray of shape (n_patterns, n_outputs)
            The product.
        """
        W = np.asarray(W, dtype=self.F.dtype)
        if self.triangular:
            trmm = get_blas_funcs("trmm", (self.F, W))
            return trmm(1.0, self.F, W, lower=True)
        return self.F @ W

    def tdot(self, R):
        """Compute ``F.T @ R``.

        Parameters
        ----------
        R : ndarray of shape (n_patterns, n_outputs)
            Residuals at the stored patterns.

        Returns
        -------
        G : ndarray of shape (n_patterns, n_outputs)
            The product.
        """
        R = np.asarray(R, dtype=self.F.dtype)
        if self.triangular:
            trmm = get_blas_funcs("trmm", (self.F, R))
            return trmm(1.0, self.F, R, lower=True, trans_a=True)
        return self.F.T @ R


def _restore_lower(work, diag, block=512):
    """Undo a failed in-place Cholesky: copy the intact upper triangle down."""
    P = len(work)
    for start in range(0, P, block):
        stop = min(start + block, P)
        work[stop:, start:stop] = work[start:stop, stop:].T
        square = work[start:stop, start:stop]
        square[...] = np.triu(square, 1) + np.triu(square, 1).T
    work.flat[:: P + 1] = diag


def _deflation(factor, lam, rank=1, n_power=8, seed=0):
    """Scale down the few dominant directions of ``F^T F`` (a preconditioner).

    Broad kernels (small gamma N) have one or a few eigenvalues far above the
    rest (the constant direction carries about P exp(-2 gamma N)); they make the
    factor-coordinate Hessian ``F^T D F + lam I`` ill-conditioned. A few steps
    of subspace iteration find them, and the change of variables
    ``W = U + V diag(s - 1) V^T U`` rescales each by
    ``s_j = sqrt((mu_ref / 4 + lam) / (mu_j / 4 + lam))`` (D <= 1/4), which
    leaves the minimiser unchanged: the bound ``F^T F / 4 + lam I`` of the
    Hessian then has ``mu_ref / 4 + lam`` in place of ``mu_j / 4 + lam``.
    ``mu_ref`` is the eigenvalue that follows the ``rank`` searched for; a
    direction stands out when ``mu_j > 2 mu_ref + 4 lam``. Returns ``None``
    when nothing stands out.
    """
    P = factor.F.shape[0]
    rank = min(rank, P - 1)
    if rank < 1:
        return None
    V = np.random.default_rng(seed).standard_normal((P, rank + 1)).astype(factor.dtype)
    for _ in range(n_power):
        V = np.linalg.qr(factor.tdot(factor.dot(V)))[0]
    mu, Q = np.linalg.eigh(V.T @ factor.tdot(factor.dot(V)))
    order = np.argsort(mu)[::-1]
    mu, V = mu[order], (V @ Q[:, order]).astype(np.float64)
    mu_ref = max(mu[-1], 0.0)
    keep = mu[:-1] > 2.0 * mu_ref + 4 * lam
    if not keep.any():
        return None
    s = np.sqrt((mu_ref / 4 + lam) / (mu[:-1][keep] / 4 + lam))
    return V[:, :-1][:, keep], s - 1.0


def solve_lbfgs(K, loss, max_iter, tol, overwrite_k=False):
    """L-BFGS in the coordinates ``W = F^T A`` of ``K = F F^T``.

    There the problem is plain L2-regularised logistic regression on features F,
    ``sum logloss(T, F W) + lam / 2 ||W||^2``, whose Hessian ``F^T D F + lam I``
    is far better conditioned than ``K D K + lam K`` in the dual coefficients;
    its few dominant directions are further rescaled by :func:`_deflation`.
    Every objective evaluation costs one product with F and one with F^T, i.e.
    one P x P by P x N product for all neurons together. The objective is
    divided by P so that ``tol`` does not depend on the number of patterns.
    All P x N arrays are kept in Fortran order, as the triangular products want.
    """
    factor = KernelFactor(K, overwrite_k=overwrite_k)
    P, N = loss.T.shape
    lam = loss.lam
    deflation = _deflation(factor, lam)

    def change(U):
        # W = C U with C = I + V diag(s - 1) V^T (symmetric, so also C^T);
        # _deflation returns None when no direction needs rescaling.
        if deflation is None:
            return U
        V, s1 = deflation
        return U + V @ (s1[:, None] * (V.T @ U))

    def unflat(w):
        return w.reshape(P, N, order="F")

    def fun(u):
        W = change(unflat(u))
        f, dZ = loss.primal(W, factor.dot(W))
        grad = change(factor.tdot(dZ) + lam * W)
        return f / P, np.asarray(grad, dtype=np.float64).ravel(order="F") / P

    u0 = np.zeros(P * N)
    res = optimize.minimize(
        fun, u0, method="L-BFGS-B", jac=True, options=lbfgs_options(max_iter, tol)
    )
    n_iter = check_optimize_result("lbfgs", res, max_iter)
    # Evaluating the representer form at the solution avoids dividing by tiny
    # factor entries when K is nearly singular.
    A = loss.representer(factor.dot(change(unflat(res.x))))
    return np.ascontiguousarray(A, dtype=factor.dtype), n_iter


def lbfgs_options(max_iter, tol):
    """Return L-BFGS-B options as scikit-learn's LogisticRegression sets them.

    Parameters
    ----------
    max_iter : int
        Maximum iterations.
    tol : float
        Tolerance on the largest gradient entry (``gtol``).

    Returns
    -------
    options : dict
        For :func:`scipy.optimize.minimize` with ``method="L-BFGS-B"``.
    """
    return {
        "maxiter": max_iter,
        "maxls": 50,
        "gtol": tol,
        "ftol": 64 * np.finfo(float).eps,
    }


def check_optimize_result(solver, result, max_iter):
    """Warn on non-convergence and return the number of iterations.

    Modelled on scikit-learn's private ``sklearn.utils.optimize._check_optimize_result``.

    Parameters
    ----------
    solver : str
        Name used in the warning.
    result : scipy.optimize.OptimizeResult
        The result of :func:`scipy.optimize.minimize`.
    max_iter : int
        The iteration budget.

    Returns
    -------
    n_iter : int
        Iterations run, at least 1 and at most ``max_iter``.
    """
    if not result.success:
        warn_user(
            f"{solver} failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {result.message}\n"
            "Increase max_iter or tol, or use a larger lam.",
            ConvergenceWarning,
        )
    return max(1, min(int(result.nit), max_iter))
