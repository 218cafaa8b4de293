"""Diagonal Newton for local kernels, and the truncated kernel's sparse solve."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from .._warnings import warn_user
from ._loss import LogisticLoss

# A kernel matrix whose off-diagonal row sums are at most this fraction of its
# diagonal (Gershgorin) is local: the diagonal Newton iteration converges at
# least this fast per step and needs no factorisation. At the papers'
# gamma = 0.1, N = 200 the fraction is about 1e-12.
DIAGONAL_DOMINANCE = 0.1


def off_diagonal_ratio(K):
    """Return the largest off-diagonal absolute row sum of K relative to its diagonal.

    Works for dense and scipy sparse K without copying it; dense matrices are
    scanned in row blocks.

    Parameters
    ----------
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
        Gram matrix.

    Returns
    -------
    ratio : float
        0 for a diagonal K; at most ``DIAGONAL_DOMINANCE`` for a local kernel.
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


def solve_diagonal_newton(K, T, lam, max_iter, tol, block_bytes=1 << 26, A0=None):
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

    ``A0``: the coefficients to start from (default zero).

    Returns ``(A, n_iter)``, the iterations of the slowest block.
    """
    dtype = np.float64 if sparse.issparse(K) else K.dtype
    diag = np.asarray(K.diagonal(), dtype=np.float64)[:, None]
    tol = max(tol, 10 * np.finfo(dtype).eps)
    P, N = T.shape
    A_all = np.empty((P, N), dtype=dtype)
    width = max(1, block_bytes // (8 * max(P, 1)))
    n_iter_max, converged_all = 0, True
    for start in range(0, N, width):
        loss = LogisticLoss(np.asarray(T[:, start : start + width], np.float64), lam)
        if A0 is None:
            A = np.zeros(loss.T.shape)
        else:
            A = np.array(A0[:, start : start + width], dtype=np.float64)
        n_iter, converged = 0, False
        while n_iter < max_iter:
            n_iter += 1
            Z = np.asarray(K @ A.astype(dtype, copy=False), dtype=np.float64)
            point = loss.at(A, Z)
            if point.r_max.max(initial=0.0) <= tol:
                converged = True
                break
            A -= point.R / (point.curvature * diag + loss.lam)
        A_all[:, start : start + width] = A
        n_iter_max, converged_all = max(n_iter_max, n_iter), converged_all and converged
    if not converged_all:
        warn_user(
            f"The diagonal Newton solver did not reach tol={tol:g} in {max_iter} "
            "iterations. Increase max_iter or tol, or use a larger lam.",
            ConvergenceWarning,
        )
    return A_all, n_iter_max


def solve_sparse_local(K, T, lam, max_iter, tol, A0=None):
    """The truncated kernel: isolated patterns in closed form, the rest coupled.

    A pattern with no neighbour within the cutoff (a row of K holding only
    its diagonal d) is coupled to no other: its coefficients solve the scalar
    equations ``sigma(d a) - t + lam a = 0``, one per target value t in
    {0, 1}. Only the patterns that have neighbours (none for random patterns
    at N = 1000, gamma = 0.1) go to :func:`solve_diagonal_newton`, on their
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
        start = None if A0 is None else A0[coupled]
        A[coupled], more = solve_diagonal_newton(
            sub, T[coupled], lam, max_iter, tol, A0=start
        )
        n_iter = max(n_iter, more)
    return A, n_iter


def isolated_coefficients(d, T, lam, tol):
    """KLR coefficients of patterns as if each were alone: ``K = [d]``.

    The exact solution for a diagonal Gram matrix, and the start of new
    patterns added to a fitted memory: with a local kernel the coupling to
    the others moves them by a fraction of the off-diagonal row sums only.

    Parameters
    ----------
    d : ndarray of shape (n_patterns,)
        Diagonal entries of the Gram matrix at the patterns.
    T : ndarray of shape (n_patterns, n_outputs)
        Their targets in {0, 1}.
    lam : float
        RKHS regularisation strength (> 0).
    tol : float
        Tolerance of the scalar Newton iterations.

    Returns
    -------
    A : ndarray of shape (n_patterns, n_outputs)
        The coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_klrhop.solvers import isolated_coefficients
    >>> a = isolated_coefficients(np.ones(2), np.array([[1], [0]]), 0.01, 1e-12)
    >>> bool(a[0, 0] > 0 > a[1, 0])
    True
    """
    values, which = np.unique(np.asarray(d, dtype=np.float64), return_inverse=True)
    a, _ = _scalar_klr(values, lam, tol)
    return _pick(a, which.ravel(), np.asarray(T) > 0)


def _pick(a, which, positive):
    """``a[which[m], positive[m, i]]``: the scalar solution of each entry."""
    return np.where(positive, a[which, 1][:, None], a[which, 0][:, None])


def _scalar_klr(d, lam, tol, max_iter=100):
    """Roots of ``sigma(d a) - t + lam a`` for each d and t = 0, 1 (Newton).

    The KLR residual of a one-pattern kernel ``K = [d]``, for both targets.
    Returns ``a`` of shape (len(d), 2) and the iterations taken. The residual
    is increasing in a (slope ``d p (1 - p) + lam > 0``) and concave on the
    side of its root, so Newton converges from any start, monotonically after
    at most one step past the root.
    """
    d = np.asarray(d, dtype=np.float64)[:, None]
    loss = LogisticLoss(np.broadcast_to([[0.0, 1.0]], (len(d), 2)), lam)
    a = (loss.T - 0.5) / (d / 4 + lam)
    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        point = loss.at(a, d * a)
        if point.r_max.max() <= min(tol, 1e-14):
            break
        a = a - point.R / (d * point.curvature + loss.lam)
    return a, n_iter
