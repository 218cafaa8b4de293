"""The largest eigenvalue and the trace of every neuron's KLR Hessian, at once.

Neuron i's Hessian in the dual coefficients is ``H_i = K D_i K + lam K`` with
``D_i = diag(sigma (1 - sigma))`` of its fields (``solvers.LogisticLoss``).
All N Hessians share K, so one product ``K V`` serves every neuron: a Lanczos
iteration runs on all N of them in lockstep (two P x P by P x N products a
step), and only neurons whose largest eigenvalue it has not pinned down within
``max_lanczos`` steps (a clustered top of the spectrum, as for local kernels)
are decomposed densely.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn import get_config
from sklearn.utils import gen_batches

# Lanczos steps before the dense fallback, and how often convergence is checked.
MAX_LANCZOS = 40
CHECK_EVERY = 8


def hessian_trace(K, D, lam):
    """``Tr(K D_i K + lam K)`` for every neuron i: ``sum_nu D[nu, i] (K^2)[nu, nu]``."""
    return (K * K).sum(axis=0) @ D + lam * np.trace(K)


def hessian_matvec(K, D, lam, V):
    """``H_i V[:, i]`` for every column i."""
    W = K @ V
    return K @ (D * W) + lam * W


def hessian_lambda_max(K, D, lam, *, v0=None, rtol=1e-10, max_lanczos=MAX_LANCZOS):
    """Largest eigenvalue of ``K diag(D[:, i]) K + lam K`` for every column i.

    Parameters
    ----------
    K : ndarray of shape (n_patterns, n_patterns)
        Gram matrix (symmetric positive semi-definite).
    D : ndarray of shape (n_patterns, n_neurons)
        Curvatures ``sigma (1 - sigma)`` of every neuron's fields.
    lam : float
        Regularisation strength.
    v0 : ndarray of shape (n_patterns, n_neurons), default=None
        Start vectors (e.g. the eigenvectors of the previous epoch); ``None``
        draws fixed pseudo-random ones, so the result is deterministic.
    rtol : float, default=1e-10
        A Lanczos estimate is accepted when its residual ``||H y - theta y||``
        (a bound on its distance to an eigenvalue) is at most ``rtol * theta``.
    max_lanczos : int, default=MAX_LANCZOS
        Lanczos steps before the remaining neurons are decomposed densely.

    Returns
    -------
    lambda_max : ndarray of shape (n_neurons,)
    vectors : ndarray of shape (n_patterns, n_neurons)
        Approximate leading unit eigenvectors (the Lanczos Ritz vectors), to
        warm-start the next call.
    """
    n_patterns, n_neurons = D.shape
    if v0 is None:
        v0 = np.random.RandomState(0).standard_normal((n_patterns, n_neurons))
    theta, vectors, done = _lanczos(K, D, lam, v0, rtol, min(n_patterns, max_lanczos))
    todo = np.flatnonzero(~done)
    if todo.size:
        # the Ritz vectors stay: good enough to warm-start the next call
        theta[todo] = _dense_top(K, D[:, todo], lam)
    return theta, vectors


def _lanczos(K, D, lam, v0, rtol, n_steps):
    """Lanczos with full reorthogonalisation on every column at once.

    Returns the top Ritz values and vectors and which columns converged; with
    ``n_steps == n_patterns`` the Krylov space is everything and all do.
    """
    n_patterns, n_neurons = D.shape
    V = np.zeros((n_steps + 1, n_patterns, n_neurons))
    norm = np.linalg.norm(v0, axis=0)
    V[0] = v0 / np.where(norm > 0, norm, 1.0)
    alpha = np.zeros((n_steps, n_neurons))
    beta = np.zeros((n_steps, n_neurons))
    for j in range(n_steps):
        W = hessian_matvec(K, D, lam, V[j])
        alpha[j] = np.einsum("pn,pn->n", W, V[j])
        for _ in range(2):  # twice is enough (Kahan's "twice is enough")
            W -= np.einsum(
                "jpn,jn->pn", V[: j + 1], np.einsum("jpn,pn->jn", V[: j + 1], W)
            )
        beta[j] = np.linalg.norm(W, axis=0)
        # A beta at rounding level means the Krylov space is invariant: its
        # Ritz values are exact. Normalising the rounding noise left in W would
        # give a vector that is not orthogonal to the others; stop the column.
        scale = np.maximum(
            np.abs(alpha[: j + 1]).max(axis=0), beta[: j + 1].max(axis=0)
        )
        beta[j][beta[j] <= 1e-12 * scale] = 0.0
        V[j + 1] = W / np.where(beta[j] > 0, beta[j], 1.0)
        V[j + 1][:, beta[j] == 0] = 0.0
        m = j + 1
        if m % CHECK_EVERY == 0 or m == n_steps:
            theta, s = _top_ritz(alpha[:m], beta[: m - 1])
            residual = np.abs(beta[j] * s[:, -1])
            done = (residual <= rtol * np.abs(theta)) | (m == n_patterns)
            if done.all() or m == n_steps:
                vectors = np.einsum("jpn,nj->pn", V[:m], s)
                return theta, vectors, done
    raise AssertionError("unreachable")  # pragma: no cover


def _top_ritz(alpha, beta):
    """Largest eigenvalue and its eigenvector of each column's tridiagonal T."""
    m, n_neurons = alpha.shape
    T = np.zeros((n_neurons, m, m))
    idx = np.arange(m)
    T[:, idx, idx] = alpha.T
    T[:, idx[:-1], idx[1:]] = beta.T
    T[:, idx[1:], idx[:-1]] = beta.T
    w, s = np.linalg.eigh(T)
    return w[:, -1], s[:, :, -1]


def _dense_top(K, D, lam):
    """Largest eigenvalue of each column's Hessian from a dense decomposition."""
    n_patterns, n_neurons = D.shape
    theta = np.empty(n_neurons)
    # one (batch, P, P) stack within scikit-learn's working_memory
    batch = max(1, int(get_config()["working_memory"] * 2**20 // (16 * n_patterns**2)))
    for cols in gen_batches(n_neurons, batch):
        H = (K[None] * D[:, cols].T[:, None, :]) @ K + lam * K
        theta[cols] = np.linalg.eigvalsh(H)[:, -1]
    return theta
