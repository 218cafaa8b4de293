"""Kernels as functions of the pattern overlap, evaluated without underflow."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.metrics.pairwise import pairwise_kernels

# Kernels of sklearn.metrics.pairwise that, on {-1, +1} vectors of length N, are a
# function of the overlap q = x . y alone (||x||^2 = N is constant):
#   rbf        exp(-gamma ||x - y||^2) = exp(2 gamma (q - N))
#   laplacian  exp(-gamma ||x - y||_1) = exp(gamma (q - N))
#   poly       (gamma q + coef0) ** degree
#   linear     q
#   sigmoid    tanh(gamma q + coef0)
#   cosine     q / N
OVERLAP_KERNELS = ("rbf", "laplacian", "poly", "linear", "sigmoid", "cosine")

# Kernels whose value is exp(c (q - N)); evaluated in the log domain.
_EXP_SLOPE = {"rbf": 2.0, "laplacian": 1.0}


def _kernel_params(kernel, gamma, degree, coef0):
    params = {"gamma": gamma, "degree": degree, "coef0": coef0}
    return {
        "rbf": {"gamma": gamma},
        "laplacian": {"gamma": gamma},
        "poly": params,
        "linear": {},
        "sigmoid": {"gamma": gamma, "coef0": coef0},
        "cosine": {},
    }[kernel]


def gram_matrix(X, kernel="rbf", *, gamma=None, degree=3, coef0=1.0, Y=None):
    """Kernel matrix between rows of ``X`` and ``Y`` with scikit-learn's kernels.

    A thin wrapper around :func:`sklearn.metrics.pairwise.pairwise_kernels` that
    passes each kernel only the parameters it takes.
    """
    params = _kernel_params(kernel, gamma, degree, coef0)
    return pairwise_kernels(X, Y, metric=kernel, **params)


def overlap_kernel(q, n_features, kernel="rbf", *, gamma=None, degree=3, coef0=1.0):
    """Kernel values from overlaps, up to a positive factor per row.

    Parameters
    ----------
    q : ndarray of shape (n_states, n_patterns)
        Overlaps ``s . xi`` between bipolar states and stored patterns.
    n_features : int
        Length N of the bipolar vectors.

    Returns
    -------
    k : ndarray of shape (n_states, n_patterns)
        Kernel values divided by ``exp(log_scale)`` row-wise.
    log_scale : ndarray of shape (n_states,)
        The true kernel is ``k * exp(log_scale)[:, None]``.

    Notes
    -----
    For the exponential kernels the row maximum of the exponent is subtracted
    before ``exp`` (log-domain shift), so the largest entry of every row is 1 and
    nothing underflows however large ``gamma * n_features`` is. The sign of the
    local fields, which is all the dynamics use, is invariant to that factor.
    """
    if kernel in _EXP_SLOPE:
        z = (_EXP_SLOPE[kernel] * gamma) * (q - n_features)
        log_scale = z.max(axis=1) if z.shape[1] else np.zeros(z.shape[0])
        z -= log_scale[:, None]
        return np.exp(z, out=z), log_scale
    log_scale = np.zeros(q.shape[0])
    if kernel == "linear":
        return q.copy(), log_scale
    if kernel == "cosine":
        return q / n_features, log_scale
    if kernel == "poly":
        return (gamma * q + coef0) ** degree, log_scale
    if kernel == "sigmoid":
        return np.tanh(gamma * q + coef0), log_scale
    raise ValueError(f"Unknown kernel {kernel!r}; expected one of {OVERLAP_KERNELS}.")
