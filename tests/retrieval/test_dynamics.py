"""Retrieval: the papers' event-driven results and the engine's guarantees."""

import warnings

import numpy as np
import pytest
from sklearn.metrics.pairwise import rbf_kernel

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.metrics import hamming
from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import run_async, run_sync


@pytest.fixture(scope="module")
def paper_memory():
    # Tamamori (arXiv:2605.05978): N = 50, P = 150, gamma = 0.1, lam = 0.01.
    X = make_patterns(150, 50, random_state=0)
    return KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=0).fit(X), X


@pytest.mark.parametrize("update", ["sync", "async"])
def test_papers_recall_at_20_percent_noise(paper_memory, update):
    mem, X = paper_memory
    cues = corrupt(X, 0.2, random_state=1)
    res = mem.retrieve(cues, update=update)
    assert np.mean(np.all(res.states == X, axis=1)) >= 0.95
    assert res.converged.all()


def test_papers_async_events_track_initial_hamming_distance(paper_memory):
    mem, X = paper_memory
    cues = corrupt(X, 0.2, random_state=1)
    res = mem.retrieve(cues, update="async")
    initial = hamming(X, cues)
    assert abs(res.n_events.mean() - initial.mean()) <= 0.05 * initial.mean()
    # Every bit that ended up changed was flipped at least once.
    assert np.all(res.n_events >= hamming(cues, res.states))


@pytest.mark.parametrize("update", ["sync", "async"])
def test_papers_recall_collapses_at_40_percent_noise(paper_memory, update):
    mem, X = paper_memory
    cues = corrupt(X, 0.4, random_state=2)
    res = mem.retrieve(cues, update=update)
    assert np.mean(np.all(res.states == X, axis=1)) < 0.2


@pytest.mark.parametrize("gamma", [0.1, 1.0])
def test_no_underflow_at_large_gamma_n(gamma):
    # gamma N = 200 and 2000. At 2000 the pairwise rbf values between a cue and
    # every pattern underflow to exactly 0 in float64, yet the log-domain
    # fields used by the dynamics keep their sign and recall is perfect.
    X = make_patterns(40, 2000, random_state=3)
    cues = corrupt(X, 0.2, random_state=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mem = KLRHopfieldMemory(gamma=gamma).fit(X)
        for update in ("sync", "async"):
            np.testing.assert_array_equal(mem.retrieve(cues, update=update).states, X)
        if gamma < 1.0:
            fields = mem.decision_function(cues)
    if gamma == 1.0:
        assert np.all(rbf_kernel(cues, X, gamma=gamma) == 0)
    else:
        assert np.all(fields != 0) and np.all(np.isfinite(fields))
        assert np.all(mem.energy(cues) < 0)


@pytest.mark.parametrize("update", ["sync", "async"])
def test_row_alone_equals_row_in_any_batch(update):
    X = make_patterns(60, 30, random_state=5)
    mem = KLRHopfieldMemory(update=update, random_state=3).fit(X)
    cues = corrupt(X, 0.35, random_state=6)
    batch = mem.retrieve(cues)
    order = np.random.RandomState(0).permutation(len(cues))
    shuffled = mem.retrieve(cues[order])
    np.testing.assert_array_equal(shuffled.states, batch.states[order])
    np.testing.assert_array_equal(shuffled.n_events, batch.n_events[order])
    for i in [0, 17, 59]:
        alone = mem.retrieve(cues[i : i + 1])
        np.testing.assert_array_equal(alone.states[0], batch.states[i])
        assert alone.n_events[0] == batch.n_events[i]


def test_async_order_depends_on_seed_row_and_sweep():
    from sklearn_klrhop.retrieval._dynamics import _permutations, row_seeds

    S = make_patterns(50, 30, random_state=5)
    perms = [
        _permutations(row_seeds(S, seed), sweep, 30)
        for seed, sweep in [(0, 0), (0, 0), (1, 0), (0, 1)]
    ]
    np.testing.assert_array_equal(perms[0], perms[1])
    for other in perms[2:]:
        assert np.mean(np.all(perms[0] == other, axis=1)) == 0
    # Different rows get different orders; every order is a permutation.
    assert len({tuple(p) for p in perms[0]}) == 50
    np.testing.assert_array_equal(
        np.sort(perms[0], axis=1), np.tile(np.arange(30), (50, 1))
    )


def _dense_memory(n_units=20, n_features=12, seed=0):
    rng = np.random.RandomState(seed)
    E = np.where(rng.rand(n_units, n_features) < 0.5, -1.0, 1.0)
    A = rng.normal(size=(n_units, n_features))

    def activation(q):
        return np.exp(0.2 * (q - n_features)), np.zeros(len(q))

    return Engine(E, activation, A)


def _reference_async(engine, s, order_of_sweep, max_steps):
    """Textbook asynchronous dynamics: one neuron at a time, full recomputation."""
    s = s.copy()
    events = 0
    for sweep in range(max_steps):
        flipped = False
        for j in order_of_sweep(sweep):
            new = 1.0 if engine.true_fields(s[None])[0, j] >= 0 else -1.0
            if new != s[j]:
                s[j], events, flipped = new, events + 1, True
        if not flipped:
            return s, events, sweep + 1
    return s, events, max_steps


def test_async_engine_matches_one_neuron_at_a_time_reference():
    from sklearn_klrhop.retrieval._dynamics import _permutations, row_seeds

    engine = _dense_memory()
    S = np.where(np.random.RandomState(1).rand(25, 12) < 0.5, -1.0, 1.0)
    seeds = row_seeds(S, 7)
    res = run_async(engine, S, 10, seeds)
    for m in range(len(S)):
        ref_s, ref_events, ref_steps = _reference_async(
            engine,
            S[m],
            lambda sweep, m=m: _permutations(seeds[m : m + 1], sweep, 12)[0],
            10,
        )
        np.testing.assert_array_equal(res.states[m], ref_s)
        assert res.n_events[m] == ref_events
        assert res.n_steps[m] == ref_steps


def test_sync_engine_matches_reference_and_tie_rule():
    engine = _dense_memory()
    S = np.where(np.random.RandomState(2).rand(10, 12) < 0.5, -1.0, 1.0)
    res = run_sync(engine, S, 1)
    expected = np.where(engine.true_fields(S) >= 0, 1.0, -1.0)
    np.testing.assert_array_equal(res.states, expected)
    # sign(0) = +1: a memory whose fields are all exactly zero moves to all +1.
    zero = Engine(
        np.ones((3, 4)), lambda q: (np.zeros_like(q), np.zeros(len(q))), np.ones((3, 4))
    )
    np.testing.assert_array_equal(run_sync(zero, -np.ones((2, 4)), 5).states, 1.0)


def test_async_visits_every_neuron():
    # Only the last neuron of the cue is wrong; every sweep order must reach it.
    X = make_patterns(20, 40, random_state=8)
    mem = KLRHopfieldMemory(update="async", random_state=0).fit(X)
    for j in [0, 39]:
        cues = X.copy()
        cues[:, j] *= -1
        res = mem.retrieve(cues)
        np.testing.assert_array_equal(res.states, X)
        np.testing.assert_array_equal(res.n_events, 1)


@pytest.mark.parametrize("update", ["sync", "async"])
def test_trajectory_and_transform(update):
    X = make_patterns(90, 30, random_state=9)
    mem = KLRHopfieldMemory(update=update, max_steps=6, random_state=0).fit(X)
    cues = corrupt(X[:10], 0.2, random_state=10)
    res = mem.retrieve(cues, return_trajectory=True)
    assert res.trajectory.shape == (10, 7, 30)
    np.testing.assert_array_equal(res.trajectory[:, 0], cues)
    np.testing.assert_array_equal(res.trajectory[:, -1], res.states)
    # Padded with the fixed point after convergence.
    for m in range(10):
        np.testing.assert_array_equal(
            res.trajectory[m, res.n_steps[m] :],
            res.states[m][None].repeat(7 - res.n_steps[m], 0),
        )
    flat = mem.transform(cues)
    np.testing.assert_array_equal(flat.reshape(10, 7, 30), res.trajectory)
    np.testing.assert_allclose(res.energy, mem.energy(res.states))


def test_energy_and_fields_definition():
    X = make_patterns(30, 20, random_state=11)
    mem = KLRHopfieldMemory(gamma=0.05).fit(X)
    S = corrupt(X, 0.3, random_state=12)
    h = rbf_kernel(S, X, gamma=0.05) @ mem.dual_coef_
    np.testing.assert_allclose(mem.decision_function(S), h, rtol=1e-10)
    np.testing.assert_allclose(mem.energy(S), -np.sum(S * h, axis=1), rtol=1e-10)


def test_counts_follow_the_dynamics():
    X = make_patterns(60, 30, random_state=13)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    cues = corrupt(X, 0.2, random_state=14)
    sync = mem.retrieve(cues, update="sync")
    np.testing.assert_array_equal(sync.counts["field_evaluations"], sync.n_steps * 30)
    asyn = mem.retrieve(cues, update="async")
    np.testing.assert_array_equal(asyn.counts["kernel_updates"], asyn.n_events * 60)
    np.testing.assert_array_equal(asyn.counts["field_evaluations"], asyn.n_steps * 30)


def test_max_steps_reports_non_convergence():
    # One step corrects a 20 %-noise cue, a second one confirms the fixed point.
    X = make_patterns(60, 30, random_state=15)
    for update in ("sync", "async"):
        mem = KLRHopfieldMemory(max_steps=1, update=update, random_state=0).fit(X)
        cues = np.vstack([X[:1], corrupt(X[1:], 0.2, random_state=0)])
        res = mem.retrieve(cues)
        assert np.all(res.n_steps == 1)
        # Converged exactly when the single step changed nothing.
        np.testing.assert_array_equal(res.converged, np.all(res.states == cues, axis=1))
        assert res.converged[0] and res.converged.sum() < 5


def test_batches_give_the_same_result_as_one_call():
    import sklearn

    from sklearn_klrhop.retrieval._retrieve import _batch_size

    X = make_patterns(100, 30, random_state=16)
    cues = corrupt(X, 0.3, random_state=17)
    mem = KLRHopfieldMemory(update="async", random_state=0).fit(X)
    whole = mem.retrieve(cues, return_trajectory=True)
    with sklearn.config_context(working_memory=0.05):
        assert _batch_size(mem.engine_, mem.max_steps, True) < len(cues)
        batched = mem.retrieve(cues, return_trajectory=True)
    np.testing.assert_array_equal(batched.states, whole.states)
    np.testing.assert_array_equal(batched.trajectory, whole.trajectory)
    np.testing.assert_array_equal(
        batched.counts["kernel_updates"], whole.counts["kernel_updates"]
    )


@pytest.mark.parametrize("update", ["sync", "async"])
def test_exact_ties_do_not_depend_on_the_batch(update):
    # Patterns stored with both signs make some fields of states orthogonal to
    # them exactly zero. Rounding differs between one-row and many-row matrix
    # products, so without the tie margin (TIE_RTOL) the sign of such a field,
    # hence the answer, depended on the batch (this test fails with TIE_RTOL = 0).
    xi = make_patterns(3, 20, random_state=166)
    mem = KLRHopfieldMemory(gamma=0.05, update=update, random_state=0)
    mem.fit(np.vstack([xi, -xi]))
    rng = np.random.RandomState(0)
    flips = np.argsort(rng.rand(64, 20), axis=1)[:, :10]
    cues = np.tile(xi[0], (64, 1))
    np.put_along_axis(cues, flips, -np.take_along_axis(cues, flips, 1), 1)
    assert np.all(cues @ xi[0] == 0)
    batch = mem.predict(cues)
    alone = np.vstack([mem.predict(c[None]) for c in cues])
    np.testing.assert_array_equal(batch, alone)


def test_integer_bipolar_patterns_come_back_in_their_dtype():
    X = make_patterns(20, 30, random_state=3).astype(np.int8)
    mem = KLRHopfieldMemory().fit(X)
    out = mem.predict(X)
    assert out.dtype == np.int8
    np.testing.assert_array_equal(out, X)


def test_energy_is_filled_by_retrieve_only():
    from sklearn_klrhop.retrieval._dynamics import run_sync as bare

    X = make_patterns(30, 20, random_state=4)
    mem = KLRHopfieldMemory().fit(X)
    assert bare(mem.engine_, X, 5).energy is None
    np.testing.assert_allclose(mem.retrieve(X).energy, mem.energy(X))


def test_fields_that_underflow_warn_but_retrieval_is_exact():
    X = make_patterns(10, 2000, random_state=5)
    cues = corrupt(X, 0.2, random_state=6)
    mem = KLRHopfieldMemory(gamma=1.0).fit(X)
    np.testing.assert_array_equal(mem.predict(cues), X)
    with pytest.warns(UserWarning, match="10 of 10 states are below the smallest"):
        assert np.all(mem.decision_function(cues) == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.all(mem.decision_function(X) != 0)


def test_sparse_kernel_with_sigma_delta_and_singular_krr():
    from sklearn_klrhop.neuromorphic import NeuromorphicCostModel

    X = make_patterns(60, 100, random_state=7)
    mem = KLRHopfieldMemory(kernel_cutoff=1e-16, dtype=np.float32).fit(X)
    assert mem.dual_coef_.dtype == np.float32
    report = NeuromorphicCostModel(delta_threshold=0.1).estimate(
        mem, corrupt(X, 0.1, random_state=8), targets=X
    )
    assert report.recall["event_driven"] == 1.0
    duplicated = np.vstack([X, X[:2]])
    with pytest.raises(ValueError, match="not finite.*lam > 0"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            KLRHopfieldMemory(loss="squared", lam=0, kernel_cutoff=1e-16).fit(
                duplicated
            )
