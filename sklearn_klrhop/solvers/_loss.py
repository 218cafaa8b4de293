"""The KLR objective, its residual, gradient and curvature: written once.

For neuron i with targets ``t_i = (xi_i + 1) / 2`` and dual coefficients
``a_i`` (column i of A), the fields at the stored patterns are ``z_i = K a_i``
and the objective is

    L(a_i) = sum_mu logloss(t_mu, z_mu) + lam / 2 * a_i^T K a_i.

Its gradient is ``K r_i`` with the stationarity residual
``r_i = sigma(z_i) - t_i + lam a_i``, and its Hessian ``K D K + lam K`` with
the curvature ``D = diag(sigma (1 - sigma))``. Every solver of the package
evaluates these quantities through :class:`LogisticLoss`: the dual solvers
(gradient descent, the diagonal and truncated Newton methods) at points
``(A, Z = K A)``, the L-BFGS solver and the linear logistic baseline in primal
coordinates ``W`` with fields ``Z = F W``, where the penalty is
``lam / 2 ||W||^2`` (for ``K = F F^T`` and ``W = F^T A`` it is the same
number).
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import cached_property

import numpy as np


class _Logistic:
    """sigma, its curvature and softplus of Z from one ``exp``, in Z's dtype.

    With ``e = exp(-|Z|)`` and ``r = 1 / (1 + e)``: ``sigma(Z) = 1/2 +
    sign(Z) (r - 1/2)``, ``sigma (1 - sigma) = e r^2`` (no cancellation) and
    ``softplus(Z) = max(Z, 0) + log1p(e)``; nothing overflows.
    """

    def __init__(self, Z):
        self.Z = Z
        e = np.abs(Z)
        np.negative(e, out=e)
        np.exp(e, out=e)
        r = np.add(e, 1.0)
        np.divide(1.0, r, out=r)
        self._e, self._r = e, r

    def sigma(self):
        """A new array holding ``sigma(Z)``."""
        s = self._r - 0.5
        np.copysign(s, self.Z, out=s)
        s += 0.5
        return s

    def softplus_sum(self, axis=None):
        """``sum log(1 + exp(Z))`` in float64."""
        softplus = np.log1p(self._e)
        softplus += np.maximum(self.Z, 0.0)
        return np.sum(softplus, axis=axis, dtype=np.float64)

    def curvature(self):
        """``sigma(Z) (1 - sigma(Z))``."""
        return self._e * self._r * self._r


class LogisticLoss:
    """The KLR objective of every neuron at once, with targets T in {0, 1}.

    Parameters
    ----------
    T : ndarray of shape (n_patterns, n_outputs)
        Targets ``(xi + 1) / 2``; their dtype sets the precision of the
        points (float32 for the fast phase of newton-cg).
    lam : float
        Regularisation strength of the penalty ``lam / 2 a^T K a``.
    """

    def __init__(self, T, lam):
        self.T = T
        # A Python float: a NumPy float64 scalar would promote float32 arrays.
        self.lam = float(lam)

    def at(self, A, Z):
        """Evaluate the loss at dual coefficients ``A`` with fields ``Z = K A``.

        Parameters
        ----------
        A : ndarray of shape (n_patterns, n_outputs)
            Dual coefficients.
        Z : ndarray of shape (n_patterns, n_outputs)
            Fields ``K A`` at the stored patterns.

        Returns
        -------
        point : LossPoint
            Residual, objective and curvature at that point.
        """
        return LossPoint(self, A, Z)

    def gradient(self, A, K):
        """Compute ``K (sigma(K A) - T + lam A)``, the gradient in the dual coefficients.

        Parameters
        ----------
        A : ndarray of shape (n_patterns, n_outputs)
            Dual coefficients.
        K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
            Gram matrix.

        Returns
        -------
        gradient : ndarray of shape (n_patterns, n_outputs)
            The gradient of every neuron's objective.
        """
        return K @ self.at(A, K @ A).R

    def primal(self, W, Z):
        """Compute the objective and its gradient in the fields, in primal coordinates.

        For fields ``Z = F W`` (F a factor of K, or the patterns for the
        linear baseline) the objective is ``sum logloss(T, Z) + lam / 2
        ||W||^2``.

        Parameters
        ----------
        W : ndarray
            Primal coordinates.
        Z : ndarray of shape (n_patterns, n_outputs)
            Fields ``F W``.

        Returns
        -------
        f : float
            The objective.
        dZ : ndarray of shape (n_patterns, n_outputs)
            ``sigma(Z) - T``, from which the caller forms the gradient
            ``F^T (sigma(Z) - T) + lam W``.
        """
        logistic = _Logistic(Z)
        data = logistic.softplus_sum() - np.sum(self.T * Z, dtype=np.float64)
        f = float(data) + 0.5 * self.lam * float(np.sum(W * W, dtype=np.float64))
        return f, logistic.sigma() - self.T

    def representer(self, Z):
        """Return the dual coefficients stationary at fields Z: ``(T - sigma(Z)) / lam``.

        Stationarity ``sigma(Z) - T + lam A = 0`` gives A from the fields
        alone, without dividing by a nearly singular factor.

        Parameters
        ----------
        Z : ndarray of shape (n_patterns, n_outputs)
            Fields at the stored patterns.

        Returns
        -------
        A : ndarray of shape (n_patterns, n_outputs)
            The dual coefficients.
        """
        return (self.T - _Logistic(Z).sigma()) / self.lam

    def hessian(self, K, Z, column):
        """Compute the dense Hessian ``K D K + lam K`` of one neuron at fields ``Z``.

        Parameters
        ----------
        K : ndarray of shape (n_patterns, n_patterns)
            Gram matrix.
        Z : ndarray of shape (n_patterns, n_outputs)
            Fields ``K A`` at the stored patterns.
        column : int
            The neuron (output column).

        Returns
        -------
        H : ndarray of shape (n_patterns, n_patterns)
            The Hessian of that neuron's objective.
        """
        d = _Logistic(Z[:, column]).curvature()
        return (K * d[None, :]) @ K + self.lam * K


class LossPoint:
    """The loss at ``(A, Z = K A)``: residual now, objective and curvature on demand.

    Attributes
    ----------
    A, Z : ndarray of shape (n_patterns, n_outputs)
    R : ndarray of shape (n_patterns, n_outputs)
        Stationarity residual ``sigma(Z) - T + lam A`` (the gradient is K R).
    r_max : ndarray of shape (n_outputs,)
        ``max |R|`` per column.
    """

    def __init__(self, loss, A, Z):
        self.A, self.Z, self._loss = A, Z, loss
        self._logistic = _Logistic(Z)
        R = self._logistic.sigma()
        R -= loss.T
        R += loss.lam * A
        self.R = R
        self.r_max = np.maximum(R.max(axis=0, initial=0.0), -R.min(axis=0, initial=0.0))

    @cached_property
    def _objective(self):
        loss = self._logistic.softplus_sum(axis=0)
        linear = np.einsum("ij,ij->j", self._loss.T, self.Z, dtype=np.float64)
        linear -= (0.5 * self._loss.lam) * np.einsum(
            "ij,ij->j", self.A, self.Z, dtype=np.float64
        )
        # rounding error of f: a few ulps of the sums it is the difference of
        noise = 64 * np.finfo(self.Z.dtype).eps * (loss + np.abs(linear))
        return loss - linear, noise

    @property
    def f(self):
        """``sum logloss(T, Z) + lam / 2 A.Z`` per column, in float64."""
        return self._objective[0]

    @property
    def f_noise(self):
        """An upper bound on the rounding error of ``f``."""
        return self._objective[1]

    @cached_property
    def curvature(self):
        """``sigma(Z) (1 - sigma(Z))``."""
        return self._logistic.curvature()
