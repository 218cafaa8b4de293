"""Property-based tests (hypothesis) of the public retrieval API.

Every property is checked on small random memories (N <= 24 neurons, P <= 12
patterns) drawn by hypothesis, with ``derandomize=True`` so that CI runs the
same examples every time. Hypothesis shrinks towards all -1 patterns, so
duplicate and all-identical patterns are among the examples.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import config_context

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.metrics import hamming

# One fixed, fast profile for every property (the file runs in a few seconds).
FAST = settings(max_examples=20, deadline=None, derandomize=True)

# Memories whose properties are checked: both losses, both dynamics.
CONFIGS = {
    "klr-sync": {"update": "sync"},
    "klr-async": {"update": "async"},
    "krr-sync": {"loss": "squared", "update": "sync"},
    "krr-async": {"loss": "squared", "update": "async"},
}


def bipolar(n_rows, n_features):
    return hnp.arrays(
        np.float64, (n_rows, n_features), elements=st.sampled_from([-1.0, 1.0])
    )


@st.composite
def memory_problem(draw, max_patterns=12, max_features=24, max_cues=6):
    """Patterns (P, N) and cues (M, N), both bipolar, plus a seed."""
    n_features = draw(st.integers(1, max_features))
    patterns = draw(bipolar(draw(st.integers(1, max_patterns)), n_features))
    cues = draw(bipolar(draw(st.integers(1, max_cues)), n_features))
    seed = draw(st.integers(0, 2**31 - 2))
    return patterns, cues, seed


@st.composite
def low_load_patterns(draw):
    """At most N / 4 patterns (at least one) of N in [4, 24] neurons."""
    n_features = draw(st.integers(4, 24))
    n_patterns = draw(st.integers(1, max(1, n_features // 4)))
    return draw(bipolar(n_patterns, n_features))


def encode(X, encoding):
    if encoding == "bipolar":
        return X
    if encoding == "binary":
        return ((X + 1) // 2).astype(np.int64)
    return X > 0


def assert_valid_states(out, encoding, shape):
    assert out.shape == shape
    if encoding == "bipolar":
        assert out.dtype == np.float64
        assert np.isin(out, (-1.0, 1.0)).all()
    elif encoding == "binary":
        assert out.dtype == np.int64
        assert np.isin(out, (0, 1)).all()
    else:
        assert out.dtype == bool


def assert_energy_close(mem, states, actual, desired):
    """Energies of ``states`` agree up to rounding of ``-sum_i s_i h_i``.

    The energy can cancel to ~0, so the tolerance is relative to the size of
    its terms, ``sum_i |h_i|``, not to the energy itself.
    """
    scale = np.abs(mem.decision_function(states)).sum(axis=1)
    assert (np.abs(actual - desired) <= 1e-12 * scale + 1e-300).all()


@pytest.mark.parametrize("config", CONFIGS, ids=str)
@FAST
@given(
    problem=memory_problem(), encoding=st.sampled_from(["bipolar", "binary", "bool"])
)
def test_outputs_are_valid_states_of_the_fitted_encoding(config, problem, encoding):
    patterns, cues, seed = problem
    mem = KLRHopfieldMemory(random_state=seed, max_steps=8, **CONFIGS[config])
    mem.fit(encode(patterns, encoding))
    if encoding == "binary" and (patterns == 1).all():
        # Integer patterns holding only 1 are ambiguous; they read as -1 / +1.
        encoding = "bipolar"
    assert mem.encoding_ == encoding
    enc_cues = encode(cues, encoding)
    M, N = cues.shape
    assert_valid_states(mem.predict(enc_cues), encoding, (M, N))
    assert_valid_states(mem.transform(enc_cues), encoding, (M, 9 * N))
    res = mem.retrieve(enc_cues, return_trajectory=True)
    assert_valid_states(res.states, encoding, (M, N))
    assert_valid_states(res.trajectory, encoding, (M, 9, N))
    # The trajectory starts at the cue and ends at the returned state.
    np.testing.assert_array_equal(res.trajectory[:, 0], enc_cues)
    np.testing.assert_array_equal(res.trajectory[:, -1], res.states)
    assert np.isfinite(mem.decision_function(enc_cues)).all()
    assert np.isfinite(mem.energy(enc_cues)).all()
    assert 0.0 <= mem.score(encode(patterns, encoding)) <= 1.0


@pytest.mark.parametrize("config", CONFIGS, ids=str)
@FAST
@given(patterns=low_load_patterns())
def test_stored_patterns_at_low_load_are_fixed_points(config, patterns):
    mem = KLRHopfieldMemory(random_state=0, **CONFIGS[config]).fit(patterns)
    res = mem.retrieve(patterns)
    np.testing.assert_array_equal(res.states, patterns)
    assert res.converged.all()
    assert (res.n_events == 0).all() and (res.n_steps == 1).all()
    # Every neuron's field agrees in sign with its bit (sign(0) = +1).
    fields = mem.decision_function(patterns)
    np.testing.assert_array_equal(np.where(fields >= 0, 1.0, -1.0), patterns)


@pytest.mark.parametrize("config", CONFIGS, ids=str)
@FAST
@given(problem=memory_problem())
def test_predict_is_idempotent_on_fixed_points(config, problem):
    patterns, cues, seed = problem
    mem = KLRHopfieldMemory(random_state=seed, **CONFIGS[config]).fit(patterns)
    res = mem.retrieve(cues)
    fixed = res.states[res.converged]
    again = mem.retrieve(fixed)
    np.testing.assert_array_equal(again.states, fixed)
    np.testing.assert_array_equal(mem.predict(fixed), fixed)
    assert (again.n_events == 0).all() and again.converged.all()


@pytest.mark.parametrize("update", ["sync", "async"])
@FAST
@given(problem=memory_problem())
def test_events_bound_the_distance_travelled(update, problem):
    patterns, cues, seed = problem
    mem = KLRHopfieldMemory(update=update, random_state=seed, max_steps=10)
    res = mem.fit(patterns).retrieve(cues, return_trajectory=True)
    distance = hamming(cues, res.states)
    assert (res.n_events >= distance).all()
    # Every event flips one bit, so the parities agree.
    np.testing.assert_array_equal(res.n_events % 2, distance % 2)
    # The events are exactly the bits changed from step to step.
    per_step = np.count_nonzero(np.diff(res.trajectory, axis=1), axis=(1, 2))
    np.testing.assert_array_equal(res.n_events, per_step)
    assert (res.n_steps >= 1).all() and (res.n_steps <= 10).all()


@pytest.mark.parametrize("update", ["sync", "async"])
@FAST
@given(problem=memory_problem(), data=st.data())
def test_a_row_gets_the_same_answer_alone_and_in_any_batch(update, problem, data):
    patterns, cues, seed = problem
    mem = KLRHopfieldMemory(update=update, random_state=seed).fit(patterns)
    order = data.draw(st.permutations(range(len(cues))))
    batch = mem.retrieve(cues)
    shuffled = mem.retrieve(cues[order])
    for name in ("states", "n_events", "n_steps", "converged"):
        np.testing.assert_array_equal(
            getattr(shuffled, name), getattr(batch, name)[order]
        )
    # Floating-point outputs may differ in the last bits with the BLAS blocking.
    assert_energy_close(mem, shuffled.states, shuffled.energy, batch.energy[order])
    for i in range(len(cues)):
        alone = mem.retrieve(cues[i : i + 1])
        np.testing.assert_array_equal(alone.states[0], batch.states[i])
        assert alone.n_events[0] == batch.n_events[i]
        assert alone.n_steps[0] == batch.n_steps[i]
    fields = mem.decision_function(cues)
    np.testing.assert_allclose(
        mem.decision_function(cues[order]), fields[order], rtol=1e-12, atol=1e-300
    )


@pytest.mark.parametrize("update", ["sync", "async"])
@FAST
@given(problem=memory_problem())
def test_same_random_state_same_results_across_runs_and_batching(update, problem):
    patterns, cues, seed = problem
    first = KLRHopfieldMemory(update=update, random_state=seed).fit(patterns)
    second = KLRHopfieldMemory(update=update, random_state=seed).fit(patterns)
    np.testing.assert_array_equal(first.dual_coef_, second.dual_coef_)
    a = first.retrieve(cues)
    # working_memory=1e-6 MiB forces one cue per internal batch.
    with config_context(working_memory=1e-6):
        b = second.retrieve(cues)
        score_small_batches = second.score(patterns)
    for name in ("states", "n_events", "n_steps", "converged"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert_energy_close(first, a.states, a.energy, b.energy)
    assert first.score(patterns) == score_small_batches
