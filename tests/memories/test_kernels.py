"""Kernels of the overlap, the dense and truncated Gram matrices, the memory guard."""

import time

import numpy as np
import pytest
from scipy import sparse
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop.memories._kernels as kernels_module
import sklearn_klrhop.memories._klr as klr_module
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.memories import OVERLAP_KERNELS
from sklearn_klrhop.memories._kernels import (
    check_dense_gram_fits,
    dense_gram,
    truncated_gram,
)
from tests._references import gram


def test_truncated_gram_drops_only_entries_below_cutoff():
    X = make_patterns(150, 20, random_state=6)
    gamma, cutoff = 0.1, 1e-3
    K = truncated_gram(X, gamma=gamma, cutoff=cutoff)
    assert sparse.issparse(K)
    dense = rbf_kernel(X, gamma=gamma)
    kept = dense >= cutoff
    np.testing.assert_array_equal(K.toarray() != 0, kept)
    np.testing.assert_allclose(K.toarray()[kept], dense[kept], rtol=1e-12)
    assert 0 < K.nnz < dense.size


@pytest.mark.parametrize("kernel", OVERLAP_KERNELS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_gram_matches_scikit_learn_kernels(kernel, dtype):
    # Overlaps in float32 row blocks (3 rows each here, so blocks and their
    # edges are exercised), the kernel in `dtype`.
    X = make_patterns(50, 40, random_state=20)
    params = {"gamma": 0.03, "degree": 2, "coef0": 0.5}
    ref = gram(X, kernel, **params)
    K = dense_gram(X, kernel, dtype=dtype, block_entries=150, **params)
    assert K.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(K, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


def _clustered(P=150, N=400, near=0.03, random_state=25):
    # pairs of patterns a few bits apart: true neighbours within the cutoff
    X = make_patterns(P, N, random_state=random_state)
    Y = corrupt(X[: P // 3], near, random_state=random_state + 1)
    return np.vstack([X, Y])


@pytest.mark.parametrize("gamma, cutoff", [(0.1, 1e-16), (0.05, 1e-6), (0.5, 1e-3)])
def test_truncated_gram_prefix_search_is_exact(gamma, cutoff):
    # The prefix filter may only drop pairs that are too far apart: on data
    # with real neighbours the kept entries are exactly those >= cutoff.
    X = _clustered()
    K, stats = truncated_gram(
        X, gamma=gamma, cutoff=cutoff, block_rows=7, return_stats=True
    )
    dense = rbf_kernel(X, gamma=gamma)
    kept = dense >= cutoff * (1 - 1e-12)
    np.testing.assert_array_equal(K.toarray() != 0, kept)
    np.testing.assert_allclose(K.toarray()[kept], dense[kept], rtol=1e-12)
    assert stats["prefix"] < X.shape[1]  # the filter was used
    assert stats["candidates"] >= stats["neighbours"] == (kept.sum() - len(X)) // 2


def test_memory_guard_refuses_200000_patterns_before_allocating(monkeypatch):
    X = make_patterns(200_000, 8, random_state=10)

    def no_gram(*args, **kwargs):
        raise AssertionError("the dense Gram matrix must not be built")

    monkeypatch.setattr(klr_module, "dense_gram", no_gram)
    monkeypatch.setattr(kernels_module, "available_memory", lambda: 8 * 2**30)
    start = time.perf_counter()
    with pytest.raises(MemoryError, match=r"200000 x 200000.*float32.*kernel_cutoff"):
        KLRHopfieldMemory(gamma=1.0).fit(X)
    assert time.perf_counter() - start < 60  # generous: refusal is not a timing test


def test_memory_guard_counts_dtype():
    needed64 = check_dense_gram_fits(1000, 10, np.float64, available=10**12)
    needed32 = check_dense_gram_fits(1000, 10, np.float32, available=10**12)
    assert needed32 < needed64
    with pytest.raises(MemoryError, match="GiB"):
        check_dense_gram_fits(1000, 10, available=10**6)


def test_memory_guard_counts_the_float32_copy_of_newton_cg():
    lbfgs = check_dense_gram_fits(1000, 10, np.float64, available=10**12)
    newton = check_dense_gram_fits(
        1000, 10, np.float64, available=10**12, solver="newton-cg"
    )
    assert newton - lbfgs == 1000 * 1000 * 4
    # a float32 Gram matrix is its own float32 copy
    assert check_dense_gram_fits(
        1000, 10, np.float32, available=10**12, solver="newton-cg"
    ) == check_dense_gram_fits(1000, 10, np.float32, available=10**12)


@pytest.mark.parametrize("kernel", ["rbf", "poly"])
def test_dense_gram_between_two_sets_matches_scikit_learn(kernel):
    # K(S[m], Y[n]): the new rows of a growing Gram matrix
    S = make_patterns(7, 30, random_state=0)
    Y = make_patterns(5, 30, random_state=1)
    params = {"gamma": 0.05, "degree": 2, "coef0": 0.5}
    K = dense_gram(S, kernel, Y=Y, **params)
    assert K.shape == (7, 5)
    np.testing.assert_allclose(K, gram(S, kernel, Y=Y, **params), rtol=1e-12)
