"""Kernels as functions of the pattern overlap, their Gram matrices, the memory guard.

On {-1, +1} vectors every kernel of :mod:`sklearn.metrics.pairwise` listed
in ``OVERLAP_KERNELS`` is a function g of the overlap ``q = x . y``; the
tests check each g against ``pairwise_kernels``.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import os

import numpy as np
from joblib import effective_n_jobs
from scipy import sparse
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

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
    Y=None,
):
    """Gram matrix of bipolar patterns as a function of their overlaps.

    ``Y``: other patterns, for the kernel values ``K(S[m], Y[n])`` of shape
    (len(S), len(Y)) (default ``Y = S``), e.g. the new rows of a growing
    Gram matrix.

    The overlaps ``S S^T`` are computed in float32 (exact for +/-1 entries up
    to N = 2**24, and twice as fast as float64), in row blocks that stay in
    cache (``block_entries`` overlaps each), and the kernel is applied block
    by block in ``dtype``: the only P x P array allocated is the result, so
    float32 halves the memory.
    """
    S = np.asarray(S)
    P, n_features = S.shape
    S = S.astype(np.float32 if n_features < 2**24 else dtype)
    Y = S if Y is None else np.asarray(Y).astype(S.dtype)
    K = np.empty((P, len(Y)), dtype=dtype)
    block = max(1, block_entries // max(len(Y), 1))
    for start in range(0, P, block):
        rows = K[start : start + block]
        q = S[start : start + block] @ Y.T
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
    n_jobs=None,
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

    The cost is ``P^2 n0 / 2`` multiply-adds instead of ``P^2 N``. The
    blocks run in ``n_jobs`` threads (joblib), with the same result for any
    ``n_jobs``.

    Returns
    -------
    K : scipy.sparse.csr_matrix of shape (n_patterns, n_patterns)
    stats : dict, only with ``return_stats=True``
        ``radius``, ``prefix`` (n0), ``candidates`` (pairs checked on all N)
        and ``neighbours`` (off-diagonal pairs kept, each counted once).
    """
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
    # Blocks of rows are independent: threads share the prefix without copies
    # (the products release the GIL), each with its share of BLAS threads.
    starts = range(0, P, block_rows)
    n_workers = max(1, min(effective_n_jobs(n_jobs), len(starts)))
    with threadpool_limits(limits=max(1, (os.cpu_count() or 1) // n_workers)):
        found = Parallel(n_jobs=n_workers, prefer="threads")(
            delayed(_block_neighbours)(
                S, prefix, start, block_rows, q0_min, q_min, n_features
            )
            for start in starts
        )
    rows, cols, overlaps = ([f[i] for f in found] for i in range(3))
    n_candidates = sum(f[3] for f in found)
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


def _block_neighbours(S, prefix, start, block_rows, q0_min, q_min, n_features):
    """Pairs ``i < j`` of one block of rows with overlaps above the cutoff.

    Returns rows, columns and overlaps of the kept pairs and the number of
    candidates the prefix let through.
    """
    P, n0 = prefix.shape
    q0 = prefix[start : start + block_rows] @ prefix[start:].T  # j >= i
    # flatnonzero is several times faster than a 2-D nonzero
    flat = np.flatnonzero(q0 >= q0_min)
    r, c = np.divmod(flat, P - start)
    keep = r < c  # the diagonal is added by the caller, each pair once
    r, c, flat = r[keep] + start, c[keep] + start, flat[keep]
    n_candidates = len(r)
    if n0 < n_features:
        q = _pair_overlaps(S, r, c)  # the survivors, on all N coordinates
        r, c, q = r[q >= q_min], c[q >= q_min], q[q >= q_min]
    else:
        q = q0.ravel()[flat].astype(np.float64)  # the prefix is everything
    return r, c, q, n_candidates


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
    slope = _EXP_SLOPE[kernel] * gamma
    z = slope * (q - n_features)
    log_scale = z.max(axis=1) if z.shape[1] else np.zeros(z.shape[0])
    z -= log_scale[:, None]
    r, c = np.nonzero(z >= np.log(cutoff))
    k = sparse.csr_matrix((np.exp(z[r, c]), (r, c)), shape=z.shape)
    return k, log_scale


def available_memory():
    """Bytes of memory available to a new allocation (``MemAvailable``), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_dense_gram_fits(
    n_patterns, n_features, dtype=np.float64, available=None, *, solver="lbfgs"
):
    """Refuse, before any allocation, a dense Gram matrix that would not fit.

    The exact fit holds one P x P matrix (the Gram matrix, factorised in place
    by lbfgs; newton-cg, which ``solver="auto"`` may choose, adds a float32
    copy for its products when the matrix is float64) plus up to 30 P x N
    work arrays (the L-BFGS history). Raises
    ``MemoryError`` naming the size needed and the alternatives when that
    exceeds the available memory.

    Parameters
    ----------
    n_patterns, n_features : int
        P and N.
    dtype : {np.float64, np.float32}, default=np.float64
        Precision of the Gram matrix.
    available : int, default=None
        Bytes available; ``None`` reads ``MemAvailable`` from ``/proc/meminfo``.
    solver : str, default="lbfgs"
        The solver asked for.

    Returns
    -------
    needed : int
        Bytes the exact fit needs.

    Examples
    --------
    >>> from sklearn_klrhop.memories._kernels import check_dense_gram_fits
    >>> check_dense_gram_fits(1000, 100, available=10**9)
    32000000
    >>> check_dense_gram_fits(200_000, 100, available=10**9)
    Traceback (most recent call last):
    ...
    MemoryError: Fitting 200000 patterns needs a dense 200000 x 200000 Gram ...
    """
    itemsize = np.dtype(dtype).itemsize
    # L-BFGS keeps 2 x 10 P x N history vectors; the other solvers fewer work arrays.
    if solver in ("auto", "newton-cg") and itemsize > 4:
        itemsize += 4
    needed = n_patterns * n_patterns * itemsize + 30 * n_patterns * n_features * 8
    available = available_memory() if available is None else available
    if available is not None and needed > available:
        gib = 2.0**30
        # float32 is an alternative only to a float64 fit
        half = (
            "dtype=np.float32 (half the memory), "
            if np.dtype(dtype).itemsize > 4
            else ""
        )
        raise MemoryError(
            f"Fitting {n_patterns} patterns needs a dense {n_patterns} x {n_patterns} "
            f"Gram matrix: {needed / gib:.1f} GiB in {np.dtype(dtype).name}, but only "
            f"{available / gib:.1f} GiB of memory is available. Alternatives: "
            f"{half}kernel_cutoff=1e-16 (a sparse "
            "truncated kernel without any P x P array; rbf and laplacian kernels "
            "with a local kernel, large gamma * N), or fewer patterns."
        )
    return needed
