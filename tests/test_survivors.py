"""Tests for bugs a review planted and the rest of the suite let through.

Each expectation is derived independently of the library: from
scikit-learn (``pairwise_kernels``, ``KernelRidge``, ``load_digits``), from a
textbook formula written out here, or from a published number typed in from
its source. None is rebuilt from the library's own tables or output, so a
wrong constant or a dropped term in the library cannot hide in the
expectation.
"""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.datasets import load_digits
from sklearn.kernel_ridge import KernelRidge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, load_digit_patterns, make_patterns
from sklearn_klrhop.model_selection import make_recall_scorer
from sklearn_klrhop.neuromorphic import ENERGY_PROFILES, NeuromorphicCostModel
from sklearn_klrhop.neuromorphic._cost import _priced_engine

from ._references import gram

PJ, NJ = 1e-12, 1e-9


# ------------------------------------------------ kernel parameters reach the fields
@pytest.mark.parametrize(
    "kernel, params",
    [
        ("poly", {"gamma": 0.05, "degree": 2, "coef0": 0.5}),
        ("poly", {"gamma": 0.1, "degree": 4, "coef0": 2.0}),
        ("sigmoid", {"gamma": 0.01, "coef0": 0.5}),
    ],
)
@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_fields_use_the_kernel_parameters(kernel, params, loss):
    # h_i(s) = sum_mu A[mu, i] K(s, xi_mu) with scikit-learn's kernel, given
    # the fitted A: an engine that drops degree or coef0 computes another K.
    X = make_patterns(12, 20, random_state=0)
    cues = corrupt(X, 0.1, random_state=1)
    mem = KLRHopfieldMemory(kernel=kernel, loss=loss, lam=0.1, **params).fit(X)
    expected = gram(cues, kernel, Y=X, **params) @ mem.dual_coef_
    np.testing.assert_allclose(mem.decision_function(cues), expected, rtol=1e-9)
    if loss == "squared":
        # (K + lam I) A = Xi is scikit-learn's KernelRidge with alpha = lam
        ridge = KernelRidge(alpha=0.1, kernel=kernel, **params).fit(X, X)
        np.testing.assert_allclose(mem.dual_coef_, ridge.dual_coef_, rtol=1e-8)


# --------------------------------------------------- the truncated KRR keeps lam
@pytest.mark.parametrize("lam", [0.5, 1.0, 3.0])
def test_sparse_kernel_ridge_solves_k_plus_lam(lam):
    # The truncated kernel drops entries below cutoff * K(x, x) = cutoff;
    # the reference truncates scikit-learn's dense rbf kernel the same way and
    # solves (K + lam I) A = Xi with KernelRidge on it.
    X = make_patterns(40, 30, random_state=2)
    X[1] = X[0]
    X[1, :2] *= -1  # one close pair, so the truncated K is not the identity
    gamma, cutoff = 0.05, 1e-3
    K = gram(X, "rbf", gamma=gamma)
    K[K < cutoff] = 0.0
    assert np.count_nonzero(K) > len(X)  # an off-diagonal pair survives
    ridge = KernelRidge(alpha=lam, kernel="precomputed").fit(K, X)
    mem = KLRHopfieldMemory(
        gamma=gamma, lam=lam, loss="squared", kernel_cutoff=cutoff
    ).fit(X)
    assert mem.solver_ == "sparse-lu"
    np.testing.assert_allclose(mem.dual_coef_, ridge.dual_coef_, rtol=1e-10)


# -------------------------------------------------- the digits' threshold is > 8
def test_digit_patterns_are_pixels_above_eight():
    # Documented: a pixel (0-16) is +1 if it is above 8. Pixels of exactly 8
    # exist, so ">= 8" would differ from "> 8".
    pixels = load_digits().data
    assert np.count_nonzero(pixels == 8) > 1000
    data, target = load_digit_patterns(return_X_y=True)
    np.testing.assert_array_equal(data, np.where(pixels > 8, 1.0, -1.0))
    bunch = load_digit_patterns()
    np.testing.assert_array_equal(bunch.data, data)
    np.testing.assert_array_equal(bunch.images, data.reshape(-1, 8, 8))
    np.testing.assert_array_equal(target, load_digits().target)


# ---------------------------------------------- published prices, typed from source
# Every number below is typed in from the publication named beside it, in the
# unit it is published in; none is read from the package's profile table.
PUBLISHED_PRICES = {
    # M. Horowitz, "Computing's energy problem (and what we can do about it)",
    # ISSCC 2014, doi:10.1109/ISSCC.2014.6757323, energy per operation at 45 nm,
    # 0.9 V: 32-bit FP add 0.9 pJ, 32-bit FP mult 3.7 pJ, 8 kB cache 64-bit
    # access 10 pJ (per bit: 10 / 64). A MAC is one mult plus one add.
    "horowitz_45nm": {
        "accumulates": 0.9 * PJ,
        "macs": (3.7 + 0.9) * PJ,
        "kernel_evaluations": 3.7 * PJ,
        "kernel_updates": 3.7 * PJ,
        "memory_reads": 10 * PJ / 64,
    },
    # Davies et al., "Loihi: a neuromorphic manycore processor with on-chip
    # learning", IEEE Micro 38(1), 2018, Table 2: 23.6 pJ per synaptic spike
    # op, 81 pJ per active neuron update, 1.7 pJ within-tile spike energy.
    "loihi1_presilicon": {
        "accumulates": 23.6 * PJ,
        "macs": 23.6 * PJ,
        "neuron_updates": 81 * PJ,
        "kernel_evaluations": 81 * PJ,
        "kernel_updates": 81 * PJ,
        "events": 1.7 * PJ,
    },
    # SANA-FE's fitted Loihi profile (arch/loihi.yaml; Boyle et al., IEEE TCAD
    # 44(8), 2025): synapse spike 35.5 pJ, soma active update 72.8 pJ,
    # axon-out 76.8 pJ per spike.
    "loihi1_sanafe": {
        "accumulates": 35.5 * PJ,
        "macs": 35.5 * PJ,
        "neuron_updates": 72.8 * PJ,
        "kernel_evaluations": 72.8 * PJ,
        "kernel_updates": 72.8 * PJ,
        "events": 76.8 * PJ,
    },
    # Merolla et al., Science 345(6197):668, 2014: "26 pJ per synaptic event
    # (considering total energy)", all-in.
    "truenorth": {"accumulates": 26 * PJ, "macs": 26 * PJ},
    # KerasSpiking's device table after Hoeppner et al. 2019 (arXiv:1903.08941):
    # SpiNNaker 1 13.3 nJ per synop, 26 nJ per neuron update; the SpiNNaker 2
    # prototype 450 pJ per synop, 2.19 nJ per neuron update.
    "spinnaker1": {
        "accumulates": 13.3 * NJ,
        "macs": 13.3 * NJ,
        "neuron_updates": 26 * NJ,
        "kernel_evaluations": 26 * NJ,
        "kernel_updates": 26 * NJ,
    },
    "spinnaker2_prototype": {
        "accumulates": 450 * PJ,
        "macs": 450 * PJ,
        "neuron_updates": 2.19 * NJ,
        "kernel_evaluations": 2.19 * NJ,
        "kernel_updates": 2.19 * NJ,
    },
}
# Horowitz 2014 at 8 bits: 32-bit int add 0.1 pJ (the accumulator), 8-bit
# int mult 0.2 pJ.
PUBLISHED_INT8 = {"accumulates": 0.1 * PJ, "macs": (0.2 + 0.1) * PJ}


@pytest.mark.parametrize("name", sorted(PUBLISHED_PRICES))
def test_profile_prices_are_the_published_ones(name):
    prices = ENERGY_PROFILES[name].prices_for("float32")
    assert set(prices) == set(PUBLISHED_PRICES[name])
    for metric, published in PUBLISHED_PRICES[name].items():
        assert prices[metric] == pytest.approx(published, rel=1e-12), metric
    expected_int8 = dict(PUBLISHED_PRICES[name])
    if name == "horowitz_45nm":
        expected_int8.update(PUBLISHED_INT8)
    int8 = ENERGY_PROFILES[name].prices_for("int8")
    assert int8 == pytest.approx(expected_int8, rel=1e-12)


def test_report_energy_is_counts_times_published_prices():
    X = make_patterns(30, 20, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.2, random_state=0).fit(X)
    cues = corrupt(X, 0.1, random_state=1)
    for precision in ("float32", "int8"):
        report = NeuromorphicCostModel(precision=precision).estimate(mem, cues, X)
        for model, counts in report.counts.items():
            for name, table in PUBLISHED_PRICES.items():
                if precision == "int8" and name == "horowitz_45nm":
                    table = {**table, **PUBLISHED_INT8}
                expected = sum(counts[m] * price for m, price in table.items())
                got = report.energy_by_profile[model][name]
                assert got == pytest.approx(expected, rel=1e-12), (model, name)


# ------------------------------------------------------------- int8 is 8 bits
def test_int8_precision_quantises_each_column_to_255_levels():
    # Symmetric 8-bit quantisation: per column, scale = max |A| / 127 and the
    # codes round(A / scale) are integers in [-127, 127]. The test quantises
    # dual_coef_ itself and compares.
    X = make_patterns(60, 24, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    A = mem.dual_coef_
    scale = np.abs(A).max(axis=0) / 127
    expected = np.round(A / scale) * scale
    quantised = _priced_engine(mem.engine_, "int8").decoder
    np.testing.assert_allclose(quantised, expected, rtol=0, atol=1e-12 * scale.max())
    codes = quantised / scale
    np.testing.assert_allclose(codes, np.round(codes), atol=1e-9)
    assert np.abs(np.round(codes)).max() == 127
    # far more than the 15 levels of 4 bits in every column
    levels = [np.unique(np.round(c)).size for c in codes.T]
    assert min(levels) > 30
    assert np.abs(quantised - A).max() <= 0.5 * scale.max() * (1 + 1e-9)
    # the float32 model leaves the coefficients alone
    assert _priced_engine(mem.engine_, "float32").decoder is A


def test_int8_precision_quantises_the_weights_of_memories_without_decoder():
    from sklearn_klrhop import HebbianHopfieldMemory

    X = make_patterns(5, 30, random_state=0)
    mem = HebbianHopfieldMemory().fit(X)
    W = mem.engine_.encoder
    scale = np.abs(W).max(axis=1, keepdims=True) / 127
    engine = _priced_engine(mem.engine_, "int8")
    np.testing.assert_allclose(engine.encoder, np.round(W / scale) * scale, atol=1e-15)
    assert engine.decoder is None


# ------------------------------------- the noise scorer cues a pipeline in its encoding
def test_noise_scorer_corrupts_what_a_binary_pipeline_memory_reads():
    # The pipeline maps -1 / +1 user data to 0 / 1 and the memory is fitted on
    # 0 / 1. The expectation is built through the pipeline's public predict:
    # corrupting X and then mapping it flips the same bits as mapping first
    # (corrupt draws its bits from the seed and the shape alone).
    X = make_patterns(40, 20, random_state=0)
    to_binary = FunctionTransformer(lambda Z: (np.asarray(Z) > 0).astype(int))
    pipe = make_pipeline(to_binary, KLRHopfieldMemory(gamma=0.5, random_state=0))
    pipe.fit(X)
    assert pipe[-1].encoding_ == "binary"
    for noise in (0.1, 0.3, 0.45):
        scorer = make_recall_scorer(noise=noise, random_state=3)
        cues = corrupt(X, noise, random_state=3)
        expected = np.mean(np.all(pipe.predict(cues) == (X > 0), axis=1))
        assert scorer(pipe, X) == pytest.approx(expected)
    # and the scores are not trivially 0 or 1 throughout
    scores = [make_recall_scorer(noise=z, random_state=3)(pipe, X) for z in (0.1, 0.3)]
    assert scores[0] == 1.0 and 0 < scores[1] < 1.0


def test_noise_scorer_cues_a_binary_pipeline_in_binary():
    # 0 / 1 data through a pass-through step: cues sent to the pipeline must
    # be 0 / 1 (the memory refuses -1); the expectation corrupts the 0 / 1
    # data with the public corrupt, which keeps the encoding.
    X = (make_patterns(40, 20, random_state=1) > 0).astype(int)
    pipe = make_pipeline(FunctionTransformer(), KLRHopfieldMemory(gamma=0.5))
    pipe.fit(X)
    for noise in (0.1, 0.3):
        cues = corrupt(X, noise, random_state=5)
        assert set(np.unique(cues)) == {0, 1}
        expected = np.mean(np.all(pipe.predict(cues) == X, axis=1))
        got = make_recall_scorer(noise=noise, random_state=5)(pipe, X)
        assert got == pytest.approx(expected)


# ------------------------------------------- gd: the papers' 300 epochs, lam included
def _reference_gd(K, T, lam, eta, epochs):
    # A <- A - eta K (sigma(K A) - T + lam A) from A = 0 (Tamamori,
    # arXiv:2504.07633, gradient descent on the dual coefficients).
    A = np.zeros(T.shape)
    for _ in range(epochs):
        A = A - eta * K @ (expit(K @ A) - T + lam * A)
    return A


def test_gd_runs_the_papers_300_epochs_by_default():
    X = make_patterns(15, 20, random_state=0)
    gamma, lam = 0.05, 0.3
    mem = KLRHopfieldMemory(gamma=gamma, lam=lam, solver="gd", tol=0.0).fit(X)
    assert mem.n_iter_ == 300
    K = gram(X, "rbf", gamma=gamma)
    expected = _reference_gd(K, (X + 1) / 2, lam, 0.1, 300)
    np.testing.assert_allclose(mem.dual_coef_, expected, rtol=1e-9, atol=1e-12)
    # a shorter run is a different answer: the epochs matter
    assert not np.allclose(expected, _reference_gd(K, (X + 1) / 2, lam, 0.1, 30))
    short = KLRHopfieldMemory(
        gamma=gamma, lam=lam, solver="gd", tol=0.0, max_iter=7, learning_rate=0.05
    ).fit(X)
    assert short.n_iter_ == 7
    np.testing.assert_allclose(
        short.dual_coef_, _reference_gd(K, (X + 1) / 2, lam, 0.05, 7), rtol=1e-9
    )


def test_gd_stops_at_the_first_epoch_whose_gradient_is_within_tol():
    # the papers' stopping rule: epochs until max |K (sigma(K A) - T + lam A)|
    # <= tol, counted by a reference loop
    X = make_patterns(10, 20, random_state=1)
    gamma, lam, tol = 0.3, 0.1, 1e-3
    K = gram(X, "rbf", gamma=gamma)
    T, A, epochs = (X + 1) / 2, np.zeros(X.shape), 0
    while True:
        epochs += 1
        grad = K @ (expit(K @ A) - T + lam * A)
        A = A - 0.1 * grad
        if np.abs(grad).max() <= tol:
            break
    assert 1 < epochs < 300
    mem = KLRHopfieldMemory(gamma=gamma, lam=lam, solver="gd", tol=tol).fit(X)
    assert mem.n_iter_ == epochs
    np.testing.assert_allclose(mem.dual_coef_, A, rtol=1e-9)
