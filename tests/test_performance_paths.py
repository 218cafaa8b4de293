"""Correctness of the fast paths: float32, truncated kernel, diagonal Newton, memory guard."""

import time

import numpy as np
import pytest
from scipy import sparse
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop._klr as klr_module
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._kernels import truncated_gram
from sklearn_klrhop._klr import check_dense_gram_fits
from sklearn_klrhop._solvers import (
    KernelFactor,
    _solve_factor,
    klr_objective,
    off_diagonal_ratio,
    solve_klr,
)
from sklearn_klrhop.datasets import corrupt, make_patterns


def test_float32_fit_matches_float64():
    X = make_patterns(300, 60, random_state=0)
    cues = corrupt(X, 0.2, random_state=1)
    m64 = KLRHopfieldMemory(gamma=0.05, tol=1e-8).fit(X)
    m32 = KLRHopfieldMemory(gamma=0.05, tol=1e-8, dtype=np.float32).fit(X)
    assert m32.dual_coef_.dtype == np.float32
    np.testing.assert_allclose(m32.dual_coef_, m64.dual_coef_, rtol=1e-3, atol=1e-3)
    np.testing.assert_array_equal(m32.predict(cues), m64.predict(cues))


def test_float32_keeps_fields_finite_at_large_gamma_n():
    # exp(-2 gamma N) underflows float32 here; the log-domain shift keeps the
    # fields nonzero and recall exact.
    X = make_patterns(200, 100, random_state=2)
    mem = KLRHopfieldMemory(gamma=1.0, dtype=np.float32).fit(X)
    cues = corrupt(X, 0.2, random_state=3)
    H = mem.decision_function(cues)
    assert np.all(H != 0)
    np.testing.assert_array_equal(mem.predict(cues), X)


def test_truncated_kernel_matches_exact_at_machine_precision_cutoff():
    X = make_patterns(400, 100, random_state=4)
    cues = corrupt(X, 0.2, random_state=5)
    exact = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    trunc = KLRHopfieldMemory(gamma=0.1, kernel_cutoff=1e-16, random_state=0).fit(X)
    np.testing.assert_allclose(
        trunc.dual_coef_, exact.dual_coef_, rtol=1e-9, atol=1e-12
    )
    for update in ("sync", "async"):
        np.testing.assert_array_equal(
            trunc.retrieve(cues, update=update).states,
            exact.retrieve(cues, update=update).states,
        )


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


def test_truncated_kernel_refuses_broad_kernel_and_other_kernels():
    X = make_patterns(100, 30, random_state=7)
    with pytest.raises(ValueError, match="not diagonally dominant"):
        KLRHopfieldMemory(gamma=0.005, kernel_cutoff=1e-16).fit(X)
    with pytest.raises(ValueError, match="rbf and laplacian"):
        KLRHopfieldMemory(kernel="poly", kernel_cutoff=1e-6).fit(X)


def test_diagonal_newton_reaches_the_stationary_point_of_the_factor_solver():
    X = make_patterns(120, 40, random_state=8)
    K = rbf_kernel(X, gamma=0.2)
    assert off_diagonal_ratio(K) < 0.1
    T = (X + 1) / 2
    A, _ = solve_klr(K, T, 0.01, tol=1e-12)
    A_ref, _ = _solve_factor(K.copy(), T, 0.01, "lbfgs", 2000, 1e-12)
    np.testing.assert_allclose(A, A_ref, rtol=1e-6, atol=1e-6)
    _, grad = klr_objective(A, K, T, 0.01)
    assert np.abs(grad).max() < 1e-10


def test_in_place_factor_of_singular_kernel_is_a_factor():
    X = make_patterns(10, 8, random_state=9)
    X = np.vstack([X, X])
    K = rbf_kernel(X, gamma=1e-3)
    expected = K.copy()
    factor = KernelFactor(K, overwrite_k=True)
    assert factor.jitter > 0
    L = np.tril(factor.F) if factor.triangular else factor.F
    np.testing.assert_allclose(L @ L.T, expected, atol=1e-6)


def test_memory_guard_refuses_200000_patterns_before_allocating(monkeypatch):
    X = make_patterns(200_000, 8, random_state=10)

    def no_gram(*args, **kwargs):
        raise AssertionError("the dense Gram matrix must not be built")

    monkeypatch.setattr(klr_module, "dense_gram", no_gram)
    monkeypatch.setattr(klr_module, "available_memory", lambda: 8 * 2**30)
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
