"""Dual solvers for kernel logistic and kernel ridge regression, all neurons at once."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings

import numpy as np
from scipy import linalg, optimize, sparse
from scipy.linalg.blas import get_blas_funcs
from scipy.linalg.lapack import get_lapack_funcs
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning

from ._newton import solve_newton_dual

# Default iteration budgets: L-BFGS as in LogisticRegression, plain gradient
# descent as in the papers (300 epochs at learning rate 0.1, from zero).
DEFAULT_MAX_ITER = {"lbfgs": 500, "newton-cg": 100, "gd": 300}

# A kernel matrix whose off-diagonal row sums are at most this fraction of its
# diagonal (Gershgorin) is solved by the diagonal Newton iteration, which
# converges at least this fast per step and needs no factorisation. At the
# papers' gamma = 0.1, N = 200 the fraction is about 1e-12.
DIAGONAL_DOMINANCE = 0.1

_JITTERS = {
    np.dtype(np.float64): (0.0, 1e-12, 1e-10, 1e-8),
    np.dtype(np.float32): (0.0, 1e-6, 1e-5, 1e-4),
}


def off_diagonal_ratio(K):
    """Largest off-diagonal absolute row sum of K relative to its diagonal.

    Works for dense and scipy sparse K without copying it; dense matrices are
    scanned in row blocks.
    """
    P = K.shape[0]
    if P == 0:
        return 0.0
    if sparse.issparse(K):
        diag = K.diagonal()
        rows = np.asarray(abs(K).sum(axis=1)).ravel() - np.abs(diag)
        return float(np.max(rows / diag))
    diag = np.abs(np.diagonal(K)).astype(np.float64)
    if K.min() >= 0:
        # the exponential kernels: the row sums are one matrix-vector product
        rows = np.asarray(K @ np.ones(P, dtype=K.dtype), dtype=np.float64)
    else:
        rows = np.empty(P)
        step = max(1, (1 << 16) // max(P, 1))  # blocks that stay in cache
        for start in range(0, P, step):
            block = np.abs(K[start : start + step])
            rows[start : start + step] = block.sum(axis=1, dtype=np.float64)
    return float(np.max((rows - diag) / diag))


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
        return self.F.dtype

    def dot(self, W):
        """``F @ W`` (the fields at the stored patterns in factor coordinates)."""
        W = np.asarray(W, dtype=self.F.dtype)
        if self.triangular:
            trmm = get_blas_funcs("trmm", (self.F, W))
            return trmm(1.0, self.F, W, lower=True)
        return self.F @ W

    def tdot(self, R):
        """``F.T @ R``."""
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


def _logistic_loss(T, Z):
    # sum over patterns and neurons of -[t log sigma(z) + (1 - t) log(1 - sigma(z))]
    return float(np.sum(np.logaddexp(0.0, Z), dtype=np.float64)) - float(
        np.sum(T * Z, dtype=np.float64)
    )


def klr_objective(A, K, T, lam):
    """KLR objective and its gradient in the dual coefficients, all neurons.

    ``L(A) = sum logloss(T, K A) + lam / 2 * trace(A^T K A)``, gradient
    ``K (sigma(K A) - T + lam A)``. Used by the papers' gradient descent and by
    tests; the quasi-Newton solvers work in factor coordinates instead.
    """
    Z = K @ A
    loss = _logistic_loss(T, Z) + 0.5 * lam * np.sum(A * Z)
    return loss, K @ (expit(Z) - T + lam * A)


def solve_krr(K, Y, lam, *, overwrite_k=False):
    """Kernel ridge regression ``(K + lam I) A = Y``, as in ``KernelRidge``."""
    if sparse.issparse(K):
        from scipy.sparse.linalg import spsolve

        M = (K + lam * sparse.identity(K.shape[0], format="csr")).tocsc()
        return np.asarray(spsolve(M, Y)).reshape(Y.shape)
    K = K if overwrite_k else K.copy()
    K.flat[:: len(K) + 1] += lam
    try:
        return linalg.solve(K, Y.astype(K.dtype), assume_a="pos", overwrite_a=True)
    except linalg.LinAlgError:
        warnings.warn(
            "The kernel matrix is singular; solving the kernel ridge system by least "
            "squares. Use lam > 0 for a unique solution.",
            UserWarning,
            stacklevel=3,
        )
        return linalg.lstsq(K, Y)[0]


def solve_klr(
    K,
    T,
    lam,
    *,
    solver="lbfgs",
    max_iter=None,
    tol=1e-6,
    learning_rate=0.1,
    overwrite_k=False,
):
    """Fit the dual coefficients of KLR for every neuron at once.

    Parameters
    ----------
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
        Gram matrix of the stored patterns (float64 or float32). A sparse K
        (the truncated kernel) must be diagonally dominant unless
        ``solver="gd"``.
    T : ndarray of shape (n_patterns, n_features)
        Targets in {0, 1} (any numeric or bool dtype).
    lam : float
        RKHS regularisation strength (> 0).
    overwrite_k : bool, default=False
        Allow the Cholesky factor to be computed in the memory of K.

    Returns
    -------
    A : ndarray of shape (n_patterns, n_features)
        Dual coefficients.
    n_iter : int
        Iterations (epochs for ``"gd"``) performed.

    Notes
    -----
    When the off-diagonal row sums of K are at most ``DIAGONAL_DOMINANCE``
    times its diagonal (large gamma N: K is numerically the identity beyond a
    few neighbours), ``"lbfgs"`` and ``"newton-cg"`` use the diagonal Newton
    iteration of :func:`_solve_diagonal_newton`, which minimises the same
    objective with one product with K per step and no factorisation.
    """
    max_iter = DEFAULT_MAX_ITER[solver] if max_iter is None else max_iter
    if solver == "gd":
        return _solve_gd(K, T, lam, max_iter, tol, learning_rate)
    if off_diagonal_ratio(K) <= DIAGONAL_DOMINANCE:
        if sparse.issparse(K):
            return _solve_sparse_local(K, T, lam, max_iter, tol)
        return _solve_diagonal_newton(K, T, lam, max_iter, tol)
    if sparse.issparse(K):
        raise ValueError(
            "The truncated kernel matrix is not diagonally dominant (largest "
            f"off-diagonal row sum {off_diagonal_ratio(K):.3g} times the diagonal, "
            f"accepted up to {DIAGONAL_DOMINANCE}): the sparse solver needs a local "
            "kernel. Use a larger gamma, or the exact kernel (kernel_cutoff=None)."
        )
    if solver == "newton-cg":
        return solve_newton_dual(K, T, lam, max_iter, tol)
    return _solve_factor(K, T, lam, solver, max_iter, tol, overwrite_k)


def _solve_gd(K, T, lam, max_iter, tol, learning_rate):
    """Full-batch gradient descent on the dual coefficients from A = 0 (the papers)."""
    A = np.zeros(T.shape, dtype=K.dtype)
    n_iter = 0
    first = None
    while n_iter < max_iter:
        n_iter += 1
        grad = K @ (expit(K @ A) - T + lam * A)
        size = np.max(np.abs(grad), initial=0.0)
        first = size if first is None else first
        # Gradient descent is stable only while learning_rate * lambda_max of the
        # Hessian K D K + lam K stays below 2; past that the gradient grows
        # geometrically. Stop long before it overflows.
        if not np.isfinite(size) or size > 1e6 * max(first, 1.0):
            raise ValueError(
                f"solver='gd' diverged after {n_iter} epochs: learning_rate="
                f"{learning_rate:g} is too large for this problem (gradient descent "
                "needs learning_rate * lambda_max(K D K + lam K) < 2, and lambda_max "
                f"grows with lam={lam:g} and with the number of similar patterns). "
                "Use a smaller learning_rate or solver='lbfgs'."
            )
        A -= learning_rate * grad
        if size <= tol:
            break
    return A, n_iter


def _solve_diagonal_newton(K, T, lam, max_iter, tol, block_bytes=1 << 26):
    """Newton iteration with the diagonal part of the Hessian, for local kernels.

    The stationarity condition of the KLR objective is
    ``r(A) = sigma(K A) - T + lam A = 0`` (the gradient is ``K r``). Its
    Jacobian ``D K + lam I`` (``D = p (1 - p)``) is replaced by
    ``D diag(K) + lam``, so each step is elementwise after one product ``K A``.
    For a diagonal K this is the exact Newton method on independent scalar
    problems (quadratic convergence); off-diagonal row sums ``delta`` times the
    diagonal slow it to a linear rate of at most ``delta`` per step. Stops when
    ``max |r| <= tol``.

    Neurons are independent, so they are solved in blocks of columns whose
    float64 work arrays take about ``block_bytes`` each: with hundreds of
    thousands of patterns (the truncated kernel) memory stays at the size of
    the answer.
    """
    dtype = np.float64 if sparse.issparse(K) else K.dtype
    diag = np.asarray(K.diagonal(), dtype=np.float64)[:, None]
    tol = max(tol, 10 * np.finfo(dtype).eps)
    P, N = T.shape
    A_all = np.empty((P, N), dtype=dtype)
    width = max(1, block_bytes // (8 * max(P, 1)))
    n_iter_max, converged_all = 0, True
    for start in range(0, N, width):
        T_block = np.asarray(T[:, start : start + width], dtype=np.float64)
        A = np.zeros(T_block.shape)
        n_iter, converged = 0, False
        while n_iter < max_iter:
            n_iter += 1
            Z = np.asarray(K @ A.astype(dtype, copy=False), dtype=np.float64)
            p = expit(Z)
            R = p - T_block + lam * A
            if np.max(np.abs(R), initial=0.0) <= tol:
                converged = True
                break
            A -= R / (p * (1 - p) * diag + lam)
        A_all[:, start : start + width] = A
        n_iter_max, converged_all = max(n_iter_max, n_iter), converged_all and converged
    if not converged_all:
        warnings.warn(
            f"The diagonal Newton solver did not reach tol={tol:g} in {max_iter} "
            "iterations. Increase max_iter or tol, or use a larger lam.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return A_all, n_iter_max


def _solve_sparse_local(K, T, lam, max_iter, tol):
    """The truncated kernel: isolated patterns in closed form, the rest coupled.

    A pattern with no neighbour within the cutoff (a row of K holding only
    its diagonal d) is coupled to no other: its coefficients solve the scalar
    equations ``sigma(d a) - t + lam a = 0``, one per target value t in
    {0, 1}. Only the patterns that have neighbours (none for random patterns
    at N = 1000, gamma = 0.1) go to :func:`_solve_diagonal_newton`, on their
    own block of K.
    """
    K = sparse.csr_matrix(K)
    d = K.diagonal().astype(np.float64)
    isolated = (np.diff(K.indptr) == 1) & (d != 0)
    A = np.empty(T.shape, dtype=K.dtype)
    n_iter = 1
    if isolated.any():
        values, which = np.unique(d[isolated], return_inverse=True)
        a, n_iter = _scalar_klr(values, lam, tol)
        A[isolated] = _pick(a, which.ravel(), T[isolated] > 0)
    coupled = np.flatnonzero(~isolated)
    if coupled.size:
        sub = K[coupled][:, coupled]
        A[coupled], more = _solve_diagonal_newton(sub, T[coupled], lam, max_iter, tol)
        n_iter = max(n_iter, more)
    return A, n_iter


def _pick(a, which, positive):
    """``a[which[m], positive[m, i]]``: the scalar solution of each entry."""
    return np.where(positive, a[which, 1][:, None], a[which, 0][:, None])


def _scalar_klr(d, lam, tol, max_iter=100):
    """Roots of ``sigma(d a) - t + lam a`` for each d and t = 0, 1 (Newton).

    Returns ``a`` of shape (len(d), 2) and the iterations taken. The function
    is increasing in a (slope ``d p (1 - p) + lam > 0``) and concave on the
    side of its root, so Newton converges from any start, monotonically after
    at most one step past the root.
    """
    t = np.array([0.0, 1.0])[None, :]
    d = np.asarray(d, dtype=np.float64)[:, None]
    a = (t - 0.5) / (d / 4 + lam)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        p = expit(d * a)
        r = p - t + lam * a
        if np.max(np.abs(r)) <= min(tol, 1e-14):
            break
        a -= r / (d * p * (1 - p) + lam)
    return a, n_iter


def _deflation(factor, lam, rank=1, n_power=8, seed=0):
    """Scale down the few dominant directions of ``F^T F`` (a preconditioner).

    Broad kernels (small gamma N) have one or a few eigenvalues far above the
    rest (the constant direction carries about P exp(-2 gamma N)); they make the
    factor-coordinate Hessian ``F^T D F + lam I`` ill-conditioned. A few steps
    of subspace iteration find them, and the change of variables
    ``W = U + V diag(s - 1) V^T U`` rescales each by
    ``s_j = sqrt((mu_ref / 4 + lam) / (mu_j / 4 + lam))`` (D <= 1/4), which
    leaves the minimiser unchanged. Returns ``None`` when nothing stands out.
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


def _solve_factor(K, T, lam, solver, max_iter, tol, overwrite_k=False):
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
    P, N = T.shape
    T = np.asfortranarray(T, dtype=np.float64)
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
        Z = factor.dot(W)
        loss = _logistic_loss(T, Z) + 0.5 * lam * np.sum(W * W)
        grad = change(factor.tdot(expit(Z) - T) + lam * W)
        return loss / P, np.asarray(grad, dtype=np.float64).ravel(order="F") / P

    u0 = np.zeros(P * N)
    res = optimize.minimize(
        fun, u0, method="L-BFGS-B", jac=True, options=lbfgs_options(max_iter, tol)
    )
    n_iter = _check_optimize_result(solver, res, max_iter)
    # Stationarity gives A = (T - sigma(K A)) / lam exactly (the representer
    # form); evaluating it at the solution avoids dividing by tiny factor
    # entries when K is nearly singular.
    Z = factor.dot(change(unflat(res.x)))
    A = np.ascontiguousarray((T - expit(Z)) / lam, dtype=factor.dtype)
    return A, n_iter


def lbfgs_options(max_iter, tol):
    """L-BFGS-B options as scikit-learn's LogisticRegression sets them."""
    return {
        "maxiter": max_iter,
        "maxls": 50,
        "gtol": tol,
        "ftol": 64 * np.finfo(float).eps,
    }


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
