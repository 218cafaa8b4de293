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


def hamming_radius(kernel, gamma, cutoff):
    """Largest Hamming distance at which an exponential kernel is >= ``cutoff``.

    ``K(x, y) = exp(-2 c gamma d)`` for +/-1 vectors at Hamming distance d
    (c = 2 for rbf, 1 for laplacian), so ``d <= log(1 / cutoff) / (2 c gamma)``.
    """
    return np.log(1.0 / cutoff) / (2 * _EXP_SLOPE[kernel] * gamma)


def truncated_gram(
    S,
    kernel="rbf",
    *,
    gamma,
    cutoff,
    dtype=np.float64,
    block_entries=1 << 26,
    block_rows=None,
    prefix_factor=3.0,
    return_stats=False,
):
    """Sparse Gram matrix of bipolar patterns with entries below ``cutoff`` dropped.

    For the exponential kernels (rbf, laplacian) ``K(x, x) = 1``, and an entry
    is kept when ``K(x, y) >= cutoff``, i.e. when the Hamming distance is at
    most r = :func:`hamming_radius`. Finding those pairs is an exact
    neighbour search, done without any P x P array:

    * Two patterns within distance r overall are within r on any subset of the
      coordinates. The search computes the overlaps of the first
      ``n0 = prefix_factor * r`` coordinates only (float32 GEMMs, exact for
      +/-1), for the upper triangle of pairs in blocks of ``block_rows`` rows
      (default: ``block_entries`` overlaps, at least 512 rows),
      and keeps the pairs within distance r there: a superset of the answer.
      Random patterns are ``n0 / 2`` apart on average there, about
      ``(n0 / 2 - r) / (sqrt(n0) / 2)`` standard deviations beyond r (5.5 at
      N = 1000, gamma = 0.1, cutoff = 1e-16: r = 92, n0 = 277), so almost no
      pair survives that is not a true neighbour.
    * The survivors are checked on all N coordinates.

    The cost is ``P^2 n0 / 2`` multiply-adds instead of ``P^2 N``.

    Returns
    -------
    K : scipy.sparse.csr_matrix of shape (n_patterns, n_patterns)
    stats : dict, only with ``return_stats=True``
        ``radius``, ``prefix`` (n0), ``candidates`` (pairs checked on all N)
        and ``neighbours`` (off-diagonal pairs kept, each counted once).
    """
    from scipy import sparse

    S = np.asarray(S)
    P, n_features = S.shape
    slope = _EXP_SLOPE[kernel] * gamma
    radius = min(hamming_radius(kernel, gamma, cutoff), n_features)
    n0 = int(min(n_features, max(np.ceil(prefix_factor * radius), 1)))
    # float32 products are exact for +/-1 sums below 2**24 and twice as fast
    prefix = np.ascontiguousarray(S[:, :n0], dtype=np.float32 if n0 < 2**24 else None)
    # keep q >= N - 2 r, i.e. z = slope (q - N) >= log(cutoff); the same on
    # the prefix is q0 >= n0 - 2 r (a 1e-6 margin absorbs the rounding of r)
    q_min = n_features - 2 * radius - 1e-6
    q0_min = n0 - 2 * radius - 1e-6
    if block_rows is None:
        # at least 512 rows: narrower GEMMs run at two thirds of the speed
        block_rows = max(512, block_entries // max(P, 1))
    rows, cols, overlaps, n_candidates = [], [], [], 0
    for start in range(0, P, block_rows):
        q0 = prefix[start : start + block_rows] @ prefix[start:].T  # j >= i
        # flatnonzero is several times faster than a 2-D nonzero
        flat = np.flatnonzero(q0 >= q0_min)
        r, c = np.divmod(flat, P - start)
        keep = r < c  # the diagonal is added below, each pair once
        r, c, flat = r[keep] + start, c[keep] + start, flat[keep]
        n_candidates += len(r)
        if n0 < n_features:
            q = _pair_overlaps(S, r, c)  # the survivors, on all N coordinates
            r, c, q = r[q >= q_min], c[q >= q_min], q[q >= q_min]
        else:
            q = q0.ravel()[flat].astype(np.float64)  # the prefix is everything
        del q0
        rows.append(r)
        cols.append(c)
        overlaps.append(q)
    r, c = np.concatenate(rows), np.concatenate(cols)
    off = np.exp(slope * (np.concatenate(overlaps) - n_features)).astype(dtype)
    diagonal = np.arange(P)
    K = sparse.csr_matrix(
        (
            np.concatenate([np.ones(P, dtype=dtype), off, off]),
            (np.concatenate([diagonal, r, c]), np.concatenate([diagonal, c, r])),
        ),
        shape=(P, P),
    )
    if return_stats:
        stats = {
            "radius": float(radius),
            "prefix": n0,
            "candidates": int(n_candidates),
            "neighbours": int(len(r)),
        }
        return K, stats
    return K


def _pair_overlaps(S, r, c, chunk=1 << 13):
    """``S[r] . S[c]`` for index pairs, in chunks (no P x P array)."""
    out = np.empty(len(r), dtype=np.float64)
    for start in range(0, len(r), chunk):
        sl = slice(start, start + chunk)
        out[sl] = np.einsum("ij,ij->i", S[r[sl]], S[c[sl]], dtype=np.float64)
    return out


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
