"""field_snr: the textbook Hebbian result, the split of kernel fields, bad input."""

import numpy as np
import pytest
from scipy.special import erfc
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.inspection import field_snr

# Over 20 pattern sets at N = 400, P = 100 the measured SNR has a standard
# deviation of 0.019 and the one-step error of 0.0012; the tolerances are
# four of those.
SNR_TOL, ERROR_TOL = 0.075, 0.005


def test_hebbian_snr_and_one_step_error_match_the_textbook():
    N, P = 400, 100
    X = make_patterns(P, N, random_state=0)
    snr = field_snr(HebbianHopfieldMemory().fit(X), X)
    assert snr.load == P / N and snr.aligned.shape == (P, N)
    assert abs(snr.snr - np.sqrt(N / P)) <= SNR_TOL
    textbook = 0.5 * erfc(np.sqrt(N / (2 * P)))  # 0.0228
    assert abs(snr.measured_error - textbook) <= ERROR_TOL
    assert abs(snr.predicted_error - textbook) <= ERROR_TOL
    # the signal is the own-pattern term (N - 1) / N: the crosstalk has mean 0
    assert snr.signal == pytest.approx((N - 1) / N, abs=0.01)
    assert abs(snr.crosstalk.mean()) < 1e-12
    # the fields are the memory's, aligned with the target
    np.testing.assert_allclose(
        snr.aligned, X * HebbianHopfieldMemory().fit(X).decision_function(X)
    )
    assert snr.target_term is None  # the weights are not one unit per pattern


def test_cue_noise_lowers_the_hebbian_signal():
    N, P = 400, 40
    X = make_patterns(P, N, random_state=1)
    mem = HebbianHopfieldMemory().fit(X)
    clean = field_snr(mem, X)
    noisy = field_snr(mem, X, noise=0.1, random_state=0)
    # 10 % flipped bits scale the signal by 1 - 2 * 0.1; the crosstalk stays
    assert noisy.signal == pytest.approx(0.8 * clean.signal, rel=0.02)
    assert noisy.snr == pytest.approx(0.8 * clean.snr, rel=0.05)
    assert noisy.measured_error > clean.measured_error
    assert noisy.noise == 0.1


def test_kernel_fields_split_into_target_term_and_crosstalk():
    X = make_patterns(100, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.05).fit(X)
    snr = field_snr(mem, X[:30], noise=0.2, random_state=0)
    # the target's own unit always pushes towards the target (sign of A)
    assert (snr.target_term > 0).all()
    cues = corrupt(X[:30], 0.2, random_state=0)  # the cues field_snr drew
    fields = mem.decision_function(cues)
    scale = np.exp(snr.log_scale)
    np.testing.assert_allclose(snr.aligned * scale, X[:30] * fields, rtol=1e-10)
    Kc = np.exp(-0.05 * ((cues[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    own = X[:30] * mem.dual_coef_[:30] * Kc[np.arange(30), np.arange(30)][:, None]
    np.testing.assert_allclose(snr.target_term * scale, own, rtol=1e-10)
    # one synchronous step: the measured error counts bits set wrong
    step = mem.set_params(max_steps=1).retrieve(cues).states
    assert snr.measured_error == pytest.approx(np.mean(step != X[:30]))


def test_snr_falls_with_load():
    values = []
    for P in (50, 150, 300):
        X = make_patterns(P, 50, random_state=0)
        mem = KLRHopfieldMemory(gamma=0.05).fit(X)
        values.append(field_snr(mem, X, noise=0.2, random_state=0).snr)
    assert values[0] > values[1] > values[2]


def test_fields_that_would_underflow_share_one_factor():
    # gamma = 5: K = exp(-20 d) is 1e-348 at the 40 flipped bits of every cue
    X = make_patterns(5, 100, random_state=0)
    mem = KLRHopfieldMemory(gamma=5.0).fit(X)
    snr = field_snr(mem, X, noise=0.4, random_state=0)
    with pytest.warns(UserWarning, match="below the smallest float64"):
        assert (mem.decision_function(corrupt(X, 0.4, random_state=0)) == 0).all()
    assert snr.log_scale == pytest.approx(-800) and np.isfinite(snr.aligned).all()
    assert (snr.aligned > 0).all() and snr.snr > 1 and snr.measured_error == 0.0


def test_bad_input():
    X = make_patterns(20, 30, random_state=0)
    with pytest.raises(NotFittedError):
        field_snr(KLRHopfieldMemory(), X)
    mem = KLRHopfieldMemory().fit(X)
    with pytest.raises(InvalidParameterError, match="'noise' parameter"):
        field_snr(mem, X, noise=1.5)
    with pytest.raises(InvalidParameterError, match="'noise' parameter"):
        field_snr(mem, X, noise=-0.1)
    with pytest.raises(ValueError, match="3 of the 20 rows of X are not stored"):
        field_snr(mem, np.vstack([X[:17], -X[:3]]))
    with pytest.raises(ValueError, match="X has 10 features"):
        field_snr(mem, X[:, :10])
