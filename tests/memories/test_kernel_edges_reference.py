"""Edges of the kernel helpers: defaults, empty pattern sets, exact cutoffs, meminfo.

Each expectation comes from scikit-learn's kernels or from the formula
``K = exp(c gamma (q - N))`` evaluated in the test, not from the library.
"""

import io

import numpy as np
import pytest
from sklearn.metrics.pairwise import pairwise_kernels

import sklearn_klrhop.memories._kernels as kernels_module
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.memories._kernels import (
    available_memory,
    check_dense_gram_fits,
    dense_gram,
    hamming_radius,
    overlap_kernel,
    truncated_gram,
    truncated_overlap_kernel,
)


def test_dense_gram_defaults_are_scikit_learns():
    # rbf by default, and poly's degree 3 and coef0 1 as in pairwise_kernels
    X = make_patterns(12, 9, random_state=0)
    np.testing.assert_allclose(
        dense_gram(X, gamma=0.05), pairwise_kernels(X, metric="rbf", gamma=0.05)
    )
    np.testing.assert_allclose(
        dense_gram(X, "poly", gamma=0.1),
        pairwise_kernels(X, metric="poly", gamma=0.1, degree=3, coef0=1),
    )


@pytest.mark.parametrize("function", [overlap_kernel, truncated_overlap_kernel])
def test_no_stored_pattern_gives_empty_rows_and_zero_scales(function):
    q = np.zeros((3, 0))
    params = {"cutoff": 1e-3} if function is truncated_overlap_kernel else {}
    k, log_scale = function(q, 5, "rbf", gamma=0.1, **params)
    assert k.shape == (3, 0)
    np.testing.assert_array_equal(log_scale, np.zeros(3))


def test_an_unknown_kernel_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"Unknown kernel 'chi2'; expected one of"):
        overlap_kernel(np.zeros((1, 1)), 4, "chi2")


@pytest.mark.parametrize("kernel, c", [("rbf", 2.0), ("laplacian", 1.0)])
def test_truncated_overlap_kernel_against_the_formula(kernel, c):
    # gamma = 1 / c: the exponent is q - N, an even integer, so the cutoff
    # exp(-4) is met exactly by the entries at Hamming distance 2 from the
    # nearest pattern (kept: ">= cutoff"), and the last pattern is far from
    # every state (an all-zero last column that the shape must keep).
    N, gamma = 8, 1 / c
    states = np.ones((2, N))
    patterns = np.ones((4, N))
    patterns[1, :2] = -1  # distance 2 from the states: z = -4
    patterns[2, :3] = -1  # distance 3: z = -6, dropped
    patterns[3, :] = -1  # distance N
    q = states @ patterns.T
    cutoff = np.exp(-4.0)
    assert np.log(cutoff) == -4.0  # the boundary case is exact in floating point
    k, log_scale = truncated_overlap_kernel(q, N, kernel, gamma=gamma, cutoff=cutoff)
    true = np.exp(c * gamma * (q - N))  # the row maxima are the states themselves
    np.testing.assert_array_equal(log_scale, np.zeros(2))
    assert k.shape == (2, 4)
    expected = np.where(true >= cutoff, true, 0.0)
    np.testing.assert_allclose(k.toarray(), expected, rtol=1e-14, atol=0)
    # a shifted row: the scale is the row's largest exponent
    k, log_scale = truncated_overlap_kernel(
        q[:, 1:], N, kernel, gamma=gamma, cutoff=cutoff
    )
    np.testing.assert_allclose(log_scale, [-4.0, -4.0])
    np.testing.assert_allclose(k.toarray(), [[1.0, np.exp(-2.0), 0.0]] * 2)


def test_truncated_gram_at_an_integer_radius_keeps_the_pairs_on_it():
    # laplacian with gamma 1/2: K = exp(-d), cutoff exp(-2): radius 2, and the
    # pairs exactly 2 apart (inside the prefix, 6 coordinates) are kept
    gamma, cutoff, N = 0.5, np.exp(-2.0), 20
    X = make_patterns(6, N, random_state=3)
    X[3:] = X[:3]
    X[3:, :2] *= -1  # distance 2
    X[5, 2] *= -1  # distance 3: dropped
    dense = pairwise_kernels(X, metric="laplacian", gamma=gamma)
    expected = np.where(dense >= cutoff, dense, 0.0)
    assert np.count_nonzero(expected) == 6 + 2 * 2
    K = truncated_gram(X, "laplacian", gamma=gamma, cutoff=cutoff)
    np.testing.assert_allclose(K.toarray(), expected, rtol=1e-14, atol=0)


@pytest.mark.parametrize("gamma, cutoff", [(0.1, 0.1), (1.0, 0.5), (2.0, 1.0)])
def test_truncated_gram_candidates_are_the_prefix_neighbours(gamma, cutoff):
    # a radius with a fractional part above 1/2 (5.76: a looser prefix test
    # would let distance 6 through), and radii below 1/3 (a prefix of 1)
    X = make_patterns(60, 30, random_state=4)
    X[30:] = X[:30]
    X[30:][np.random.RandomState(5).rand(30, 30) < 0.1] *= -1
    radius = np.log(1 / cutoff) / (4 * gamma)  # rbf: exp(-4 gamma d) >= cutoff
    n0 = min(30, max(1, int(np.ceil(3 * radius))))
    d0 = (n0 - X[:, :n0] @ X[:, :n0].T) / 2  # Hamming distances on the prefix
    expected = int(np.count_nonzero(np.triu(d0 <= radius, k=1)))
    _, stats = truncated_gram(X, gamma=gamma, cutoff=cutoff, return_stats=True)
    assert stats["radius"] == pytest.approx(hamming_radius("rbf", gamma, cutoff))
    assert stats["prefix"] == n0
    assert stats["candidates"] == expected


def test_available_memory_reads_memavailable_in_kib(monkeypatch):
    # a fake /proc/meminfo: exact, unlike the real one that moves between reads
    meminfo = "MemTotal:  999999 kB\nMemFree:  11 kB\nMemAvailable:  123457 kB\n"

    def fake_open(path, *args, **kwargs):
        if path == "/proc/meminfo":
            return io.StringIO(meminfo)
        raise FileNotFoundError(path)

    monkeypatch.setattr(kernels_module, "open", fake_open, raising=False)
    assert available_memory() == 123457 * 1024


def test_the_memory_guard_states_sizes_in_gib():
    # large enough for the figures to show the unit: 2**30 bytes a GiB
    P, N = 200_000, 100
    needed = P * P * 8 + 30 * P * N * 8
    with pytest.raises(MemoryError) as info:
        check_dense_gram_fits(P, N, available=3 * 10**9)
    assert f"{needed / 2**30:.1f} GiB in float64" in str(info.value)
    assert "302.5 GiB" in str(info.value)  # 3.248e11 bytes / 2**30
    assert "only 2.8 GiB of memory is available" in str(info.value)
