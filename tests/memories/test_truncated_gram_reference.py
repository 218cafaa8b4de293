"""The truncated Gram matrix: scikit-learn's kernel with entries below the cutoff dropped."""

import numpy as np
import pytest

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.memories._kernels import hamming_radius, truncated_gram

from .._references import gram


# radii with fractional parts on both sides of 1/2, and prefixes shorter than N
@pytest.mark.parametrize("gamma, cutoff", [(0.1, 1e-3), (0.12, 1e-4), (0.2, 0.05)])
@pytest.mark.parametrize("kernel", ["rbf", "laplacian"])
def test_truncated_gram_keeps_exactly_the_entries_above_the_cutoff(
    kernel, gamma, cutoff
):
    X = make_patterns(300, 40, random_state=0)
    # near pairs, so that entries on both sides of the cutoff exist
    X[150:] = X[:150]
    flip = np.random.RandomState(1).rand(150, 40) < 0.15
    X[150:][flip] *= -1
    dense = gram(X, kernel, gamma=gamma)
    expected = np.where(dense >= cutoff, dense, 0.0)
    K, stats = truncated_gram(X, kernel, gamma=gamma, cutoff=cutoff, return_stats=True)
    np.testing.assert_allclose(K.toarray(), expected, rtol=1e-12, atol=0)
    n_off = (np.count_nonzero(expected) - len(X)) // 2
    assert stats["neighbours"] == n_off > 0
    assert stats["candidates"] >= n_off
    assert stats["radius"] == pytest.approx(hamming_radius(kernel, gamma, cutoff))
    assert stats["prefix"] == min(40, int(np.ceil(3 * stats["radius"])))
    if kernel == "rbf":
        # entries just below the cutoff exist and were dropped
        below = dense[(dense < cutoff) & (dense > cutoff * np.exp(-8 * gamma))]
        assert below.size > 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_truncated_gram_has_the_dtype_asked_for(dtype):
    # a float32 fit keeps its Gram matrix in float32: half the memory
    X = make_patterns(60, 20, random_state=0)
    K = truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, dtype=dtype)
    assert K.dtype == dtype
    expected = gram(X, "rbf", gamma=0.1)
    np.testing.assert_allclose(
        K.toarray(), np.where(expected >= 1e-3, expected, 0.0), rtol=1e-6
    )


def test_truncated_gram_runs_its_blocks_in_n_jobs_threads(monkeypatch):
    # n_jobs reaches joblib, and each thread gets its share of the BLAS threads
    from sklearn_klrhop.memories import _kernels

    seen = {}
    real_parallel, real_limits = _kernels.Parallel, _kernels.threadpool_limits

    def parallel(*args, **kwargs):
        seen["n_jobs"], seen["prefer"] = kwargs.get("n_jobs"), kwargs.get("prefer")
        return real_parallel(*args, **kwargs)

    def limits(*args, **kwargs):
        seen["limits"] = kwargs.get("limits", args[0] if args else None)
        return real_limits(*args, **kwargs)

    monkeypatch.setattr(_kernels, "Parallel", parallel)
    monkeypatch.setattr(_kernels, "threadpool_limits", limits)
    monkeypatch.setattr(_kernels.os, "cpu_count", lambda: 8)
    X = make_patterns(40, 20, random_state=0)
    one = truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, block_rows=10)
    assert seen == {"n_jobs": 1, "prefer": "threads", "limits": 8}
    two = truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, block_rows=10, n_jobs=2)
    assert seen == {"n_jobs": 2, "prefer": "threads", "limits": 4}
    # never more threads than blocks
    truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, block_rows=40, n_jobs=2)
    assert seen["n_jobs"] == 1
    # at least one BLAS thread each
    monkeypatch.setattr(_kernels.os, "cpu_count", lambda: 3)
    truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, block_rows=10, n_jobs=2)
    assert seen["limits"] == 1
    monkeypatch.setattr(_kernels.os, "cpu_count", lambda: None)  # unknown: one
    truncated_gram(X, "rbf", gamma=0.1, cutoff=1e-3, block_rows=10)
    assert seen["limits"] == 1
    np.testing.assert_array_equal(one.toarray(), two.toarray())
