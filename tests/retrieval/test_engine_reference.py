"""The engine's fields, tie bound and scales against their definitions.

``H = g(S E^T) A + S * d`` and the tie bound ``sum_mu |k_mu| max|A| +
max_i |s_i d_i|`` (both up to the positive factor ``exp(log_scale)`` of each
row) are written out here with plain NumPy on true kernel values, for an
exponential activation (whose rows are rescaled), a signed one and a sparse
one, with and without a self-coupling d.
"""

import numpy as np
import pytest
from scipy import sparse

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.retrieval import TIE_RTOL, Engine
from sklearn_klrhop.retrieval._engine import _row_abs_sum

N, P = 9, 7
RNG = np.random.RandomState(0)
E = make_patterns(P, N, random_state=1)
A = RNG.randn(P, N)
A[:, 3] = -np.abs(A[:, 3])  # a column with only negative coefficients
D = RNG.randn(N)
S = make_patterns(5, N, random_state=2)
GAMMA = 0.3


def exponential(q):
    # exp(2 gamma (q - N)) up to exp(log_scale) per row, as every activation
    # of the engine may return it
    z = 2 * GAMMA * (q - N)
    log_scale = z.max(axis=1)
    return np.exp(z - log_scale[:, None]), log_scale


def signed(q):
    return np.tanh(0.1 * q - 0.2), np.zeros(len(q))


def sparse_exp(q):
    k, log_scale = exponential(q)
    k[k < 1e-2] = 0.0
    return sparse.csr_matrix(k), log_scale


def _true_kernel(activation, q):
    k, log_scale = activation(q)
    k = k.toarray() if sparse.issparse(k) else k
    return k * np.exp(log_scale)[:, None], log_scale


CASES = {
    "exp": (exponential, 2 * GAMMA),
    "exp-no-locality": (exponential, None),
    "signed": (signed, None),
    "sparse": (sparse_exp, None),
}


@pytest.mark.parametrize("diagonal", [None, D], ids=["no-d", "d"])
@pytest.mark.parametrize("case", CASES)
def test_fields_bound_and_energy_follow_the_definitions(case, diagonal):
    activation, locality = CASES[case]
    engine = Engine(E, activation, A, diagonal=diagonal, locality=locality)
    q = S @ E.T
    k_true, log_scale = _true_kernel(activation, q)
    h_true = k_true @ A + (0 if diagonal is None else S * diagonal)
    np.testing.assert_allclose(engine.true_fields(S), h_true, rtol=1e-12, atol=1e-14)
    H, scale = engine.fields(S)
    np.testing.assert_allclose(scale, log_scale)
    np.testing.assert_allclose(H * np.exp(scale)[:, None], h_true, rtol=1e-12)
    bound = np.abs(k_true).sum(axis=1) * np.abs(A).max()
    if diagonal is not None:
        bound = bound + np.abs(S * diagonal).max(axis=1)
    _, H_k, _, got = engine.kernel_fields(S, q)
    np.testing.assert_allclose(got * np.exp(log_scale), bound, rtol=1e-12)
    decision = engine.decision_fields(S)
    np.testing.assert_allclose(
        decision * np.exp(log_scale)[:, None],
        h_true + TIE_RTOL * bound[:, None],
        rtol=1e-12,
        atol=1e-14,
    )
    np.testing.assert_allclose(
        engine.energy(S), -np.sum(S * h_true, axis=1), rtol=1e-12
    )


def test_decoder_scales_are_column_and_overall_maxima():
    engine = Engine(E, exponential, A)
    np.testing.assert_array_equal(engine.decoder_col_max, np.abs(A).max(axis=0))
    assert engine.decoder_scale == np.abs(A).max()
    no_decoder = Engine(RNG.randn(N, N), signed)
    np.testing.assert_array_equal(no_decoder.decoder_col_max, np.ones(N))
    assert no_decoder.decoder_scale == 1.0
    empty = Engine(np.empty((0, N)), exponential, np.empty((0, N)))
    np.testing.assert_array_equal(empty.decoder_col_max, np.zeros(N))
    assert empty.decoder_scale == 0.0


def test_row_abs_sum_of_dense_and_sparse_rows():
    k = RNG.randn(4, 6)
    k[k < 0.3] = 0.0
    expected = np.abs(k).sum(axis=1)
    np.testing.assert_allclose(_row_abs_sum(k), expected)
    np.testing.assert_allclose(_row_abs_sum(sparse.csr_matrix(k)), expected)
    assert _row_abs_sum(sparse.csr_matrix(k)).shape == (4,)


def test_underflow_flags_rows_whose_true_fields_are_below_float64():
    # one cue far from every pattern at a huge gamma: its true kernel values
    # are all below the smallest float64
    patterns = np.ones((2, 8))
    engine = Engine(patterns, _huge_gamma, np.ones((2, 8)), locality=400.0)
    cues = np.vstack([np.ones(8), -np.ones(8)])
    H, underflow = engine.true_fields(cues, return_underflow=True)
    np.testing.assert_array_equal(underflow, [False, True])
    np.testing.assert_allclose(H[0], 2.0)
    np.testing.assert_array_equal(H[1], 0.0)


def _huge_gamma(q):
    # exp(2 gamma (q - N)) at N = 8, gamma = 200: exp(-6400) at q = -8
    z = 400.0 * (q - 8)
    log_scale = z.max(axis=1)
    return np.exp(z - log_scale[:, None]), log_scale


@pytest.mark.parametrize("return_trajectory", [False, True])
def test_batches_hold_what_fits_in_working_memory(monkeypatch, return_trajectory):
    # The batch rule of retrieve: a cue holds 3 float64 words per kernel unit
    # and 4 per neuron (overlaps, kernel values, fields and states), plus its
    # visited states packed to bits for cycle detection (N // 64 + 1 words per
    # step) and its trajectory of max_steps + 1 states; a batch is as many
    # cues as fit in scikit-learn's working_memory (MiB), at least one.
    import sklearn

    from sklearn_klrhop.retrieval import _retrieve, retrieve

    sizes = []
    real = _retrieve.run_sync

    def spy(engine, S, *args, **kwargs):
        sizes.append(len(S))
        return real(engine, S, *args, **kwargs)

    monkeypatch.setattr(_retrieve, "run_sync", spy)
    engine = Engine(E, exponential, A)
    cues = make_patterns(300, N, random_state=3)
    max_steps = 4
    per_cue = 8 * (3 * P + 4 * N) + 8 * (N // 64 + 1) * (max_steps + 1)
    per_cue += return_trajectory * 8 * N * (max_steps + 1)
    for memory_mib in (0.01, 0.05, 1e-9):
        sizes.clear()
        with sklearn.config_context(working_memory=memory_mib):
            retrieve(
                engine, cues, max_steps=max_steps, return_trajectory=return_trajectory
            )
        expected = max(1, int(memory_mib * 2**20 // per_cue))
        assert sizes[0] == min(expected, len(cues)), memory_mib
        assert sum(sizes) == len(cues)


def test_overlaps_in_float32_exactly_when_the_encoder_is_bipolar():
    # float32 holds the integer overlaps of a +/-1 encoder exactly and is the
    # fast path; any other encoder must keep its overlaps in float64.
    n = 64  # well past small-N special cases
    encoder = make_patterns(12, n, random_state=3).astype(float)
    states = make_patterns(6, n, random_state=4).astype(float)
    exact = states @ encoder.T  # integers, written out in float64
    bipolar = Engine(encoder, exponential)
    q32 = bipolar.overlaps(states, np.float32)
    assert q32.dtype == np.float32
    np.testing.assert_array_equal(q32, exact)
    q64 = bipolar.overlaps(states)
    assert q64.dtype == np.float64
    np.testing.assert_array_equal(q64, exact)
    for changed in (0.5, 0.0, 2.0):  # a real-valued, a zero and a larger entry
        other = encoder.copy()
        other[0, 0] = changed
        engine = Engine(other, exponential)
        q = engine.overlaps(states + 1e-9, np.float32)  # not representable in float32
        assert q.dtype == np.float64
        np.testing.assert_array_equal(q, (states + 1e-9) @ other.T)
