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


def exp_slope(kernel, gamma):
    """``c`` with ``K = exp(c (q - N))`` for the exponential kernels, else None."""
    return _EXP_SLOPE[kernel] * gamma if kernel in _EXP_SLOPE else None


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


def dense_gram(
    S,
    kernel="rbf",
    *,
    gamma=None,
    degree=3,
    coef0=1.0,
    dtype=np.float64,
    block_entries=1 << 18,
):
    """Gram matrix of bipolar patterns as a function of their overlaps.

    The overlaps ``S S^T`` are computed in float32 (exact for +/-1 entries up
    to N = 2**24, and twice as fast as float64), in row blocks that stay in
    cache (``block_entries`` overlaps each), and the kernel is applied block
    by block in ``dtype``: the only P x P array allocated is the result, so
    float32 halves the memory.
    """
    S = np.asarray(S)
    P, n_features = S.shape
    S = S.astype(np.float32 if n_features < 2**24 else dtype)
    K = np.empty((P, P), dtype=dtype)
    block = max(1, block_entries // max(P, 1))
    for start in range(0, P, block):
        rows = K[start : start + block]
        q = S[start : start + block] @ S.T
        if kernel in _EXP_SLOPE:
            q -= n_features  # exact: integers
            np.multiply(q, _EXP_SLOPE[kernel] * gamma, out=rows, dtype=dtype)
            np.exp(rows, out=rows)
        else:
            rows[...] = overlap_kernel(
                q.astype(np.float64), n_features, kernel, gamma=gamma,
                degree=degree, coef0=coef0,
            )[0]  # fmt: skip
    return K


def truncated_gram(
    S, kernel="rbf", *, gamma, cutoff, dtype=np.float64, block_rows=None
):
    """Sparse Gram matrix of bipolar patterns with entries below ``cutoff`` dropped.

    For the exponential kernels (rbf, laplacian) ``K(x, x) = 1``, and an entry is
    kept when ``K(x, y) >= cutoff``, i.e. when the Hamming distance is at most
    ``log(1 / cutoff) / (2 c gamma)`` (c = 2 for rbf, 1 for laplacian). The
    overlaps are computed in row blocks, so no P x P array is ever allocated.

    Returns
    -------
    K : scipy.sparse.csr_matrix of shape (n_patterns, n_patterns)
    """
    from scipy import sparse

    S = np.asarray(S, dtype=np.float32 if S.shape[1] < 2**24 else np.float64)
    P, n_features = S.shape
    slope = _EXP_SLOPE[kernel] * gamma
    # keep z = slope (q - N) >= log(cutoff)  <=>  q >= N + log(cutoff) / slope
    q_min = n_features + np.log(cutoff) / slope
    if block_rows is None:
        block_rows = max(1, (1 << 25) // max(P, 1))
    rows, cols, vals = [], [], []
    for start in range(0, P, block_rows):
        q = S[start : start + block_rows] @ S.T
        r, c = np.nonzero(q >= q_min - 1e-6)
        rows.append(r + start)
        cols.append(c)
        vals.append(np.exp(slope * (q[r, c].astype(np.float64) - n_features)))
    K = sparse.csr_matrix(
        (
            np.concatenate(vals).astype(dtype),
            (np.concatenate(rows), np.concatenate(cols)),
        ),
        shape=(P, P),
    )
    return K


def truncated_overlap_kernel(q, n_features, kernel="rbf", *, gamma, cutoff):
    """Like :func:`overlap_kernel` for rbf / laplacian, dropping small entries.

    After the log-domain shift the largest entry of every row is 1; entries
    below ``cutoff`` are set to zero and the result is returned as a
    ``scipy.sparse.csr_matrix``, so the decoder product ``k @ A`` costs one
    row of A per kept pattern.
    """
    from scipy import sparse

    slope = _EXP_SLOPE[kernel] * gamma
    z = slope * (q - n_features)
    log_scale = z.max(axis=1) if z.shape[1] else np.zeros(z.shape[0])
    z -= log_scale[:, None]
    r, c = np.nonzero(z >= np.log(cutoff))
    k = sparse.csr_matrix((np.exp(z[r, c]), (r, c)), shape=z.shape)
    return k, log_scale
