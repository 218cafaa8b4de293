"""KLRHopfieldMemory in float32 and with the truncated kernel."""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
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


def test_truncated_kernel_refuses_broad_kernel_and_other_kernels():
    X = make_patterns(100, 30, random_state=7)
    with pytest.raises(ValueError, match="not diagonally dominant"):
        KLRHopfieldMemory(gamma=0.005, kernel_cutoff=1e-16).fit(X)
    with pytest.raises(ValueError, match="rbf and laplacian"):
        KLRHopfieldMemory(kernel="poly", kernel_cutoff=1e-6).fit(X)
