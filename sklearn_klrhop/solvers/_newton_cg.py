"""Truncated Newton on the KLR dual coefficients, every neuron in lockstep."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._warnings import warn_user
from ._loss import LogisticLoss

# The float32 phase stops at this stationarity residual (or at tol / 2 when
# that is larger), or earlier when a step no longer reduces the residual by
# STALL (float32 rounding); the float64 phase then certifies or goes on.
FLOAT32_PHASE_TOL = 1e-6
STALL, STALL_BELOW = 0.9, 1e-3

# Relative size (of B^T B) below which a direction of the coarse space's
# basis counts as dependent (see _orthonormal_columns).
DEPENDENT = 1e-8

# Smallest curvature p (1 - p) used in a Newton system (see _direction).
MIN_CURVATURE = 1e-10

# A full step whose slope has fallen by less than this factor is extended along
# the secant of the slope, capped at MAX_EXTRAPOLATION.
EXTRAPOLATE_BELOW = 0.1
MAX_EXTRAPOLATION = 4.0


def _coarse_space(K, T, max_rank):
    """Leading eigenpairs of K on the span of the constant and the targets.

    Every kernel of the overlap q = x . y is g(q) = g0 + g1 q + ...: its
    dominant eigenvectors lie close to the span of the constant vector (the
    g0 term) and of the patterns' columns (the g1 term), which for a Hopfield
    memory are the centred targets ``2 T - 1``. A Rayleigh-Ritz step on that
    span (one product of K with ``max_rank`` columns) returns orthonormal
    ``U`` (P x k), its Ritz values ``sigma`` and ``beta``, the mean remaining
    eigenvalue of K. Only the preconditioner uses them: a poor span slows the
    conjugate gradients down but does not change the answer.
    """
    P, N = T.shape
    B = 2.0 * T - 1.0
    if N + 1 > max_rank:
        # a fixed random sketch of the target columns keeps the rank bounded
        omega = np.random.default_rng(0).standard_normal((N, max_rank - 1))
        B = B @ omega
    B = _orthonormal_columns(np.column_stack([np.ones(P), B]))
    KB = np.asarray(K @ B.astype(K.dtype, copy=False), dtype=np.float64)
    sigma, E = np.linalg.eigh(B.T @ KB)
    U = B @ E
    sigma = np.clip(sigma, 0.0, None)
    trace = float(np.trace(K, dtype=np.float64))
    beta = (trace - sigma.sum()) / max(P - len(sigma), 1)
    return U, sigma, max(beta, 1e-3 * trace / P)


def _orthonormal_columns(B):
    """An orthonormal basis of the span of the columns of B (P x k, k << P).

    From the eigenpairs of ``B^T B`` (k x k): directions whose eigenvalue is
    below ``DEPENDENT`` times the largest are left out (dependent columns,
    e.g. two neurons with the same targets). The basis squares the condition
    number of what it keeps, so it is orthonormal to about ``DEPENDENT``; a
    coarse space without the left-out directions is only slightly poorer.
    """
    # NumPy's LAPACK only: calls alternating between NumPy's and SciPy's
    # OpenBLAS make both slow (their threads spin).
    g, V = np.linalg.eigh(B.T @ B)
    keep = g > DEPENDENT * g[-1]
    return B @ (V[:, keep] / np.sqrt(g[keep]))


def _two_level(r, U, UT, diag, coarse_diag):
    """Apply the preconditioner of :func:`solve_newton_dual` to the columns of r."""
    if U is None:
        return diag * r
    t1 = UT @ r
    wv = diag * (r - U @ t1)
    return wv + U @ (coarse_diag * t1 - UT @ wv)


class _LockstepNewton:
    """Newton's method with per-column CG, step and stopping test.

    The points (A, Z = K A, residuals, objective) of ``loss`` have the dtype
    of its targets and their fields come from ``K_exact``; the Newton
    directions are always computed in float32 with ``K32`` (an inexact Newton
    direction needs no more, and float32 halves the cost of every CG
    iteration).
    """

    def __init__(self, K32, K_exact, loss, space, max_cg):
        self.K32, self.K_exact, self.loss = K32, K_exact, loss
        self.lam, self.max_cg = loss.lam, max_cg
        self.dtype = loss.T.dtype
        if space is None:
            self.U = self.UT = None
            self.beta = float(np.mean(np.diagonal(K32)))
        else:
            U, sigma, beta = space
            self.beta = float(beta)
            self.U = U.astype(np.float32)
            self.UT = np.ascontiguousarray(self.U.T)
            self.sigma = sigma.astype(np.float32)[:, None]

    def exact_point(self, A):
        Z = self.K_exact @ A.astype(self.K_exact.dtype, copy=False)
        return self.loss.at(A, np.asarray(Z, dtype=self.dtype))

    def run(self, point, tol, max_iter, stall=None, certify=True):
        """Newton steps from ``point`` until ``max |R| <= tol``.

        With ``certify``, the test is passed on exact fields (recomputed once
        when the carried ones pass); without, the carried fields decide. With
        ``stall``, also stops (unconverged) after a step that reduces the
        largest residual by less than that factor. Returns
        ``(point, n_steps, converged)``.
        """
        n_iter, exact = 0, True
        while True:
            r_max = point.r_max.max(initial=0.0)
            if r_max <= tol:
                if exact or not certify:
                    return point, n_iter, True
                # accept only on exact fields: recompute them once
                point, exact = self.exact_point(point.A), True
                continue
            if n_iter >= max_iter or not np.all(np.isfinite(point.f)):
                return point, n_iter, False
            n_iter += 1
            d, Kd = self._direction(point)
            point = self._line_search(point, d, Kd)
            exact = False
            if (
                stall is not None
                and r_max < STALL_BELOW
                and point.r_max.max(initial=0.0) > stall * r_max
            ):
                return point, n_iter, False

    def _preconditioner(self, Lam):
        """The two-level preconditioner of ``K + Lam``, column by column.

        On the coarse space ``U`` it inverts ``diag(sigma) + c``, ``c`` the
        harmonic mean of the column's ``Lam`` (a scalar in place of
        ``U^T Lam U``); on the complement, the diagonal ``beta + Lam``.
        Without a coarse space, only the diagonal.
        """
        diag = 1.0 / (self.beta + Lam)
        coarse_diag = None
        if self.U is not None:
            coarse_diag = 1.0 / (self.sigma + 1.0 / np.mean(1.0 / Lam, axis=0))
        return partial(
            _two_level, U=self.U, UT=self.UT, diag=diag, coarse_diag=coarse_diag
        )

    def _direction(self, point):
        """Preconditioned CG per column on ``(K + Lam) d = -R / D``, in float32."""
        lam = self.lam
        R = point.R.astype(np.float32, copy=False)  # read only below
        # The floor keeps float32 finite (|b| <= |R| / MIN_CURVATURE); it only
        # makes saturated entries look more curved, i.e. shortens their step.
        D = np.maximum(point.curvature.astype(np.float32, copy=False), MIN_CURVATURE)
        Lam = lam / D
        b = -R / D
        precondition = self._preconditioner(Lam)
        # Stopped when the Newton model residual D (K + Lam) d + R = -D res is
        # below eta times |R| (Eisenstat-Walker's sqrt rule), column by column.
        # Measured on res itself, entries with a tiny D (huge R / D) would
        # dominate and leave the others unsolved.
        eta = np.minimum(0.5, np.sqrt(point.r_max)).astype(np.float32)
        target = eta * np.sqrt(np.einsum("ij,ij->j", R, R))
        d = np.zeros_like(b)
        Kd = np.zeros_like(b)
        res = b
        z = precondition(res)
        direction = z
        rz = np.einsum("ij,ij->j", res, z)
        active = rz > 0
        for _ in range(self.max_cg):
            Kp = self.K32 @ direction
            Mp = Kp + Lam * direction
            curvature = np.einsum("ij,ij->j", direction, Mp)
            # M is SPD; a non-positive or non-finite curvature is float32
            # breakdown, and that column keeps the direction it has.
            active &= np.isfinite(curvature) & (curvature > 0)
            alpha = np.where(active, rz / np.where(active, curvature, 1.0), 0.0)
            d += alpha * direction
            Kd += alpha * Kp
            res -= alpha * Mp
            model = D * res
            active &= np.sqrt(np.einsum("ij,ij->j", model, model)) > target
            if not active.any():
                break
            z = precondition(res)
            rz_new = np.einsum("ij,ij->j", res, z)
            direction = z + (rz_new / np.where(active, rz, 1.0)) * direction
            rz = rz_new
        # The inexact Newton direction descends on the CG model; on the
        # objective itself (gradient K R) check it, else use -R (K is PSD).
        bad = ~(np.einsum("ij,ij->j", R, Kd) < 0)  # NaN included
        if bad.any():
            d[:, bad] = -R[:, bad]
            Kd[:, bad] = self.K32 @ d[:, bad]
        return d, Kd

    def _trial(self, point, t, d, Kd):
        t = t.astype(self.dtype)
        return self.loss.at(point.A + t * d, point.Z + t * Kd)

    def _line_search(self, point, d, Kd):
        """Per-column Armijo backtracking on ``Z + t K d`` (no products).

        Newton's model overestimates the curvature while the fields grow
        (from A = 0, ``D = 1/4`` is the largest possible), so full steps fall
        short: a full step that still descends at more than
        ``EXTRAPOLATE_BELOW`` of its initial slope is extended once along the
        secant of the slope (the next step starts from t = 1 again, which keeps
        Newton's quadratic convergence). That saves one or two of the six to
        eight steps from zero.
        """
        slope = np.einsum("ij,ij->j", point.R, Kd, dtype=np.float64)
        slack = point.f_noise
        # Where even the full step's predicted decrease is within the rounding
        # of f, f cannot judge it; a step that lowers the residual is taken.
        noise = -slope <= slack
        t = np.ones(len(slope))
        for _ in range(40):
            trial = self._trial(point, t, d, Kd)
            fail = np.where(
                noise,
                trial.r_max >= point.r_max,
                trial.f > point.f + 1e-4 * t * slope + slack,
            )
            if not fail.any():
                break
            t = np.where(fail, 0.5 * t, t)
        else:
            # columns that found no decrease do not move
            t = np.where(fail, 0.0, t)
            trial = self._trial(point, t, d, Kd)
        ratio = np.einsum("ij,ij->j", trial.R, Kd, dtype=np.float64) / np.where(
            slope < 0, slope, -1.0
        )
        extend = (t == 1.0) & (ratio > EXTRAPOLATE_BELOW)
        if not extend.any():
            return trial
        secant = t / np.maximum(1.0 - ratio, 1e-12)
        t_ext = np.where(extend, np.minimum(secant, MAX_EXTRAPOLATION), t)
        longer = self._trial(point, t_ext, d, Kd)
        better = longer.f <= trial.f
        if better.all():
            return longer
        return self._trial(point, np.where(better, t_ext, t), d, Kd)


def solve_newton_cg(K, T, lam, max_iter, tol, max_cg=50, coarse=True, A0=None):
    """Truncated Newton on the dual coefficients, every neuron in lockstep.

    Stationarity of the KLR objective is ``R(A) = sigma(K A) - T + lam A = 0``
    (the gradient is ``K R``); Newton's step solves ``(D K + lam I) d = -R``
    with ``D = p (1 - p)``, i.e. the symmetric positive definite system
    ``(K + Lam) d = -R / D`` with ``Lam = lam / D``. Each neuron (column) has
    its own conjugate-gradient solve, step length and stopping test, vectorised
    with numpy over columns, so one CG iteration for all neurons is one
    P x P by P x N product with K. The fields ``Z = K A`` and ``K d`` are
    carried along the iterations (no product for the gradient or the line
    search) and recomputed exactly before convergence is accepted.

    The CG preconditioner is a two-level one: on the coarse space ``U`` of
    :func:`_coarse_space` it inverts ``diag(sigma) + c`` (``c`` the harmonic
    mean of ``Lam`` of the column), on its complement the diagonal
    ``beta + Lam``. For the broad RBF kernel (gamma = 0.01, N = 100, P = 1000)
    it brings the condition number of the Newton system from about 300 down to
    about 2, so Newton steps need one to three CG iterations.

    Mixed precision: the steps run in float32 (elementwise work and CG
    products at twice the speed) until the residual is below
    ``max(tol / 2, FLOAT32_PHASE_TOL)``, then in the dtype of K, whose exact
    fields certify the result; the CG products stay in float32 (an inexact
    Newton direction needs no more). A float32 phase that ends with
    non-finite coefficients is discarded and the solve restarts from zero in
    full precision.

    ``A0``: the coefficients to start from (default zero).

    Stops when ``max |R| <= tol``; the field error is then a few times ``tol``
    relative to the largest field. Returns ``(A, n_newton_steps)``.
    """
    P, N = T.shape
    dtype = K.dtype
    tol = max(tol, 50 * np.finfo(dtype).eps)
    K32 = K if dtype == np.float32 else K.astype(np.float32)
    space = None
    max_rank = max(P // 4, 0)
    if coarse and max_rank >= 2:
        space = _coarse_space(K32, T, min(N + 1, max_rank))
    loss32 = LogisticLoss(np.asarray(T, np.float32), lam)
    fast = _LockstepNewton(K32, K32, loss32, space, max_cg)
    start = np.zeros((P, N), np.float32) if A0 is None else A0.astype(np.float32)
    point, n_iter, _ = fast.run(
        loss32.at(start, np.asarray(K32 @ start) if A0 is not None else start.copy()),
        max(0.5 * tol, FLOAT32_PHASE_TOL),
        max_iter,
        stall=STALL,
        certify=False,  # the full-precision phase recomputes the fields
    )
    A = point.A.astype(np.float64)
    if not np.all(np.isfinite(A)):
        A, n_iter = np.zeros((P, N)), 0
    loss64 = LogisticLoss(np.asarray(T, np.float64), lam)
    full = _LockstepNewton(K32, K, loss64, space, max_cg)
    point, more, converged = full.run(full.exact_point(A), tol, max_iter - n_iter)
    n_iter += more
    if not converged:
        warn_user(
            f"newton-cg failed to converge after {n_iter} iteration(s): the "
            f"largest stationarity residual is {point.r_max.max():.3g} > "
            f"tol={tol:g}.\nIncrease max_iter or tol, or use a larger lam.",
            ConvergenceWarning,
        )
    return point.A.astype(dtype, copy=False), max(n_iter, 1)
