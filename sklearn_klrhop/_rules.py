"""Learning rules of the classical baselines and the modern Hopfield activation.

Each rule maps bipolar patterns Xi (P x N) to a weight matrix W (N x N) whose
fields are ``h = s W^T``, i.e. ``h_i = sum_j W[i, j] s_j``. The estimators in
:mod:`sklearn_klrhop.baselines` wrap them.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import linalg, optimize
from scipy.special import expit

from ._solvers import _check_optimize_result, lbfgs_options


def identity_activation(q):
    """Identity activation of the classical rules: the fields are the overlaps."""
    return q.copy(), np.zeros(q.shape[0])


def softmax_activation(q, beta):
    """Row-wise ``softmax(beta q)``, shifted by the row maximum before ``exp``.

    The largest entry of each row is ``exp(0) / sum >= 1 / P``, so nothing
    underflows to an all-zero row however large ``beta`` is.
    """
    z = beta * q
    z -= z.max(axis=1, keepdims=True)
    k = np.exp(z, out=z)
    k /= k.sum(axis=1, keepdims=True)
    return k, np.zeros(q.shape[0])


def hebbian_weights(S):
    """``W = Xi^T Xi / N`` with a zero diagonal."""
    W = S.T @ S
    W /= S.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def storkey_weights(S):
    """Storkey's incremental rule from ``W = 0``, zero diagonal.

    ``dW[i, j] = (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N`` per pattern, with
    ``h_ij = sum_{k != i, j} W[i, k] xi_k``.
    """
    n_features = S.shape[1]
    W = np.zeros((n_features, n_features))
    # Incremental rule: one pattern at a time, each step vectorised over all
    # N x N weights. With W symmetric and zero-diagonal, h_ij = h_i - W[i, j] xi_j
    # where h = W xi, and h_ij xi_j is the transpose of xi_i h_ji.
    for xi in S:
        h = W @ xi
        H = h[:, None] - W * xi[None, :]  # H[i, j] = h_ij
        C = xi[:, None] * H.T  # C[i, j] = xi_i h_ji
        W += (np.outer(xi, xi) - (C + C.T)) / n_features  # exactly symmetric
        np.fill_diagonal(W, 0.0)
    return W


def pseudoinverse_weights(S, zero_diagonal):
    """Projection ``W = Xi^+ Xi`` onto the span of the patterns."""
    Q = linalg.orth(S.T)  # orthonormal basis of the pattern span, (N, rank)
    W = Q @ Q.T
    W = (W + W.T) / 2  # exactly symmetric despite rounding
    if zero_diagonal:
        np.fill_diagonal(W, 0.0)
    return W


def linear_logistic_weights(S, lam, max_iter, tol):
    """Per-neuron L2 logistic regression without bias or self-coupling.

    Minimises ``sum logloss((Xi + 1) / 2, Xi W^T) + lam / 2 ||W||_F^2`` over W
    with ``W[i, i] = 0``, all N neurons in one L-BFGS run; the objective is
    divided by P so that ``tol`` does not depend on the number of patterns.

    Returns
    -------
    W : ndarray of shape (n_features, n_features)
    n_iter : int
    """
    n_patterns, n_features = S.shape
    T = (S + 1.0) / 2.0
    mask = 1.0 - np.eye(n_features)

    def fun(w):
        W = w.reshape(n_features, n_features)
        Z = S @ W.T
        loss = np.sum(np.logaddexp(0.0, Z)) - np.sum(T * Z) + 0.5 * lam * np.sum(W * W)
        grad = ((expit(Z) - T).T @ S + lam * W) * mask
        return loss / n_patterns, grad.ravel() / n_patterns

    # The gradient is zero on the diagonal, so W[i, i] stays at its start, 0.
    res = optimize.minimize(
        fun,
        np.zeros(n_features * n_features),
        method="L-BFGS-B",
        jac=True,
        options=lbfgs_options(max_iter, tol),
    )
    n_iter = _check_optimize_result("lbfgs", res, max_iter)
    return res.x.reshape(n_features, n_features) * mask, n_iter
