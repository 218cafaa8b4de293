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
