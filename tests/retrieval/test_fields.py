"""Field keepers: the certified local keeper answers exactly as the exact one."""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import (
    _permutations,
    row_seeds,
    run_async,
    run_sync,
)
from sklearn_klrhop.retrieval._fields import DenseSteps, ExactFields
from sklearn_klrhop.retrieval._local import LocalFields, make_fields, make_sync_fields

MIN_SUPPORTED = LocalFields.MIN_SUPPORTED


@pytest.fixture(autouse=True)
def _always_local(monkeypatch):
    # The equivalence tests exercise the local keeper whatever the share of
    # cues with a support (make_fields hands crowded batches to ExactFields).
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)


def _without_locality(engine):
    return Engine(engine.encoder, engine.activation, engine.decoder, engine.diagonal)


def _assert_same_retrieval(local, exact):
    np.testing.assert_array_equal(local.states, exact.states)
    np.testing.assert_array_equal(local.n_events, exact.n_events)
    np.testing.assert_array_equal(local.n_steps, exact.n_steps)
    np.testing.assert_array_equal(local.converged, exact.converged)
    assert local.counts.keys() == exact.counts.keys()
    for key in local.counts:
        np.testing.assert_array_equal(local.counts[key], exact.counts[key], key)


def _retrievals(mem, cues, **kwargs):
    engine = mem.engine_
    assert isinstance(make_fields(engine, cues, engine.overlaps(cues)), LocalFields)
    seeds = row_seeds(cues, 3)
    local = run_async(engine, cues.copy(), 20, seeds, **kwargs)
    exact = run_async(_without_locality(engine), cues.copy(), 20, seeds, **kwargs)
    return local, exact


# gamma N = 10 (local: supports of one or a few units), 0.4 (broad: no
# support, a refresh per event), and noise levels up to past the basins.
@pytest.mark.parametrize(
    "gamma, noise, kernel",
    [
        (0.1, 0.2, "rbf"),
        (0.1, 0.4, "rbf"),
        (0.004, 0.2, "rbf"),
        (0.05, 0.3, "rbf"),
        (0.2, 0.2, "laplacian"),
    ],
)
@pytest.mark.parametrize("event_driven", [False, True])
def test_local_keeper_retrieves_exactly_like_the_exact_keeper(
    gamma, noise, kernel, event_driven
):
    X = make_patterns(300, 100, random_state=0)
    mem = KLRHopfieldMemory(gamma=gamma, kernel=kernel).fit(X)
    cues = corrupt(X[:60], noise, random_state=1)
    local, exact = _retrievals(mem, cues, event_driven=event_driven)
    _assert_same_retrieval(local, exact)


def test_local_keeper_float32_model_and_trajectories():
    X = make_patterns(200, 80, random_state=2)
    mem = KLRHopfieldMemory(gamma=0.1, dtype=np.float32).fit(X)
    cues = corrupt(X[:40], 0.25, random_state=3)
    local, exact = _retrievals(mem, cues, return_trajectory=True)
    _assert_same_retrieval(local, exact)
    np.testing.assert_array_equal(local.trajectory, exact.trajectory)


def test_local_keeper_matches_one_neuron_at_a_time_reference():
    # The textbook dynamics: every visited neuron's field recomputed from
    # scratch with the true kernel, one neuron at a time.
    rng = np.random.RandomState(4)
    E = np.where(rng.rand(40, 16) < 0.5, -1.0, 1.0)
    A = rng.normal(size=(40, 16))

    def activation(q):
        z = 0.6 * (q - 16)
        log_scale = z.max(axis=1)
        return np.exp(z - log_scale[:, None]), log_scale

    engine = Engine(E, activation, A, locality=0.6)
    S = corrupt(E[:30], 0.25, random_state=5)
    seeds = row_seeds(S, 7)
    res = run_async(engine, S, 10, seeds)
    for m in range(len(S)):
        s, events = S[m].copy(), 0
        for sweep in range(res.n_steps[m]):
            for j in _permutations(seeds[m : m + 1], sweep, 16)[0]:
                k = np.exp(0.6 * (E @ s - 16))
                new = 1.0 if k @ A[:, j] >= 0 else -1.0
                events += new != s[j]
                s[j] = new
        np.testing.assert_array_equal(res.states[m], s)
        assert res.n_events[m] == events


@pytest.mark.parametrize(
    "setting", [{"MAX_SUPPORT": 1}, {"MAX_GROWTH": 2.0}, {"WINDOW": 1, "AHEAD": 0}]
)
def test_local_keeper_edge_paths(setting, monkeypatch):
    # crowded supports (a refresh per flip), refreshes forced by the growth
    # guard, and one position per round without look-ahead
    for name, value in setting.items():
        monkeypatch.setattr(LocalFields, name, value)
    X = make_patterns(250, 60, random_state=6)
    mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    cues = corrupt(X[:50], 0.3, random_state=7)
    local, exact = _retrievals(mem, cues, return_trajectory=True)
    _assert_same_retrieval(local, exact)


def test_local_keeper_rarely_refreshes_near_stored_patterns(monkeypatch):
    # The point of the keeper: at gamma N = 20 a cue at 20 % noise flips 40
    # bits from its first, light pass (kernel values, no P x N product)
    # without a single exact refresh, synchronously or asynchronously.
    refreshed = []
    refresh = LocalFields._refresh

    def counting(self, rows, S, q=None, light=False):
        refreshed.append((len(rows), light))
        return refresh(self, rows, S, q, light=light)

    monkeypatch.setattr(LocalFields, "_refresh", counting)
    X = make_patterns(1000, 200, random_state=8)
    mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    cues = corrupt(X[:50], 0.2, random_state=9)
    for update in ("async", "sync"):
        refreshed.clear()
        res = mem.retrieve(cues, update=update)
        np.testing.assert_array_equal(res.states, X[:50])
        assert res.n_events.sum() == 50 * 40
        assert refreshed == [(50, True)]  # the initial light pass only


def test_keeper_choice():
    X = make_patterns(60, 100, random_state=10)
    S = corrupt(X, 0.2, random_state=11)
    for kwargs, keeper in [
        ({"gamma": 0.1}, LocalFields),
        ({"gamma": 0.1, "kernel_cutoff": 1e-12}, ExactFields),
        ({"gamma": 0.05, "kernel": "poly"}, ExactFields),
    ]:
        engine = KLRHopfieldMemory(**kwargs).fit(X).engine_
        chosen = make_fields(engine, S.copy(), engine.overlaps(S))
        assert type(chosen) is keeper


def _exp_engine(E, A, c, locality=True):
    n_features = E.shape[1]

    def activation(q):
        z = c * (q - n_features)
        log_scale = z.max(axis=1)
        return np.exp(z - log_scale[:, None]), log_scale

    return Engine(E, activation, A, locality=c if locality else None)


def _same_as_exact(E, A, c, S, seed, max_steps=5):
    seeds = row_seeds(S, seed)
    local = run_async(_exp_engine(E, A, c), S.copy(), max_steps, seeds)
    exact = run_async(_exp_engine(E, A, c, False), S.copy(), max_steps, seeds)
    _assert_same_retrieval(local, exact)


def test_local_keeper_bounds_a_tail_below_the_rounding_of_the_sum():
    # Review finding: the second unit is exp(-48) of the first at the cue, so
    # sum - support rounds to 0; a zero tail would then be allowed to grow
    # without bound while the flips walk the state to that unit.
    rng = np.random.RandomState(0)
    N, D, c = 60, 40, 0.6
    X = np.where(rng.rand(N) < 0.5, -1.0, 1.0)
    Y = X.copy()
    Y[:D] *= -1
    _same_as_exact(np.stack([X, Y]), np.stack([Y, -Y]), c, X[None].copy(), 0)


def test_local_keeper_rounding_allowance_with_small_coefficients():
    # Review finding: with max |A| ~ 1e-3 a slack scaled by |A| twice fell
    # below the real rounding; a field ulps from the tie was certified wrong.
    N, c = 6, 0.3
    E = np.array([[1, 1, 1, 1, 1, 1], [1, -1, 1, -1, 1, -1]], dtype=float)
    s0 = np.array([[1, 1, 1, 1, 1, -1.0]])
    A = np.zeros((2, N))
    A[:, 0] = -0.2e-3
    A[:, 2:] = s0[0, 2:] * 1e-4
    A[:, 1] = 1e-3, -0.001822118800904732
    _same_as_exact(E, A, c, s0, 12)


@pytest.mark.parametrize(
    "gamma, keeper",
    [(0.05, ExactFields), (0.1, LocalFields), (0.3, LocalFields)],
    ids=["broad", "crowded", "local"],
)
def test_batches_whose_tails_are_too_large_go_to_the_exact_keeper(
    gamma, keeper, monkeypatch
):
    # At gamma N = 10 and load 30 a 20 %-noise cue has hundreds of kernel
    # values above 1e-6 of the largest: it keeps its 16 largest, and the rest
    # adds up to about 0.1 of the largest, small enough to certify decisions.
    # At gamma N = 5 the rest is about 10 times the largest: nothing could be
    # certified, and the exact keeper takes over from the first pass.
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", MIN_SUPPORTED)
    X = make_patterns(3000, 100, random_state=12)
    engine = KLRHopfieldMemory(gamma=gamma).fit(X).engine_
    cues = corrupt(X[:40], 0.2, random_state=13)
    assert type(make_fields(engine, cues.copy(), engine.overlaps(cues))) is keeper
    if keeper is LocalFields:
        seeds = row_seeds(cues, 3)
        chosen = run_async(engine, cues.copy(), 20, seeds)
        exact = run_async(_without_locality(engine), cues.copy(), 20, seeds)
        _assert_same_retrieval(chosen, exact)


@pytest.mark.parametrize(
    "gamma, noise, kernel",
    [
        (0.1, 0.2, "rbf"),
        (0.1, 0.4, "rbf"),
        (0.004, 0.2, "rbf"),  # broad: every step falls back to exact rows
        (0.05, 0.3, "rbf"),
        (0.2, 0.2, "laplacian"),
    ],
)
def test_certified_synchronous_steps_equal_the_dense_steps(
    gamma, noise, kernel, monkeypatch
):
    # the local keeper even where its first pass is dense (the broad kernel)
    monkeypatch.setattr(LocalFields, "DENSE_SHARE", 1.0)
    X = make_patterns(300, 100, random_state=0)
    engine = KLRHopfieldMemory(gamma=gamma, kernel=kernel).fit(X).engine_
    cues = corrupt(X[:60], noise, random_state=1)
    assert isinstance(make_sync_fields(engine, cues), LocalFields)
    local = run_sync(engine, cues.copy(), 20, return_trajectory=True)
    dense = run_sync(_without_locality(engine), cues.copy(), 20, return_trajectory=True)
    assert isinstance(make_sync_fields(_without_locality(engine), cues), DenseSteps)
    _assert_same_retrieval(local, dense)
    np.testing.assert_array_equal(local.trajectory, dense.trajectory)


def test_certified_synchronous_steps_at_ties_and_crowded_cues(monkeypatch):
    # Exact ties (patterns stored with both signs) and crowded supports: the
    # certificate must refuse to decide rather than decide wrongly.
    monkeypatch.setattr(LocalFields, "MAX_SUPPORT", 2)
    monkeypatch.setattr(LocalFields, "DENSE_SHARE", 1.0)
    xi = make_patterns(3, 20, random_state=166)
    engine = KLRHopfieldMemory(gamma=0.05).fit(np.vstack([xi, -xi])).engine_
    rng = np.random.RandomState(0)
    flips = np.argsort(rng.rand(64, 20), axis=1)[:, :10]
    cues = np.tile(xi[0], (64, 1))
    np.put_along_axis(cues, flips, -np.take_along_axis(cues, flips, 1), 1)
    local = run_sync(engine, cues.copy(), 10)
    dense = run_sync(_without_locality(engine), cues.copy(), 10)
    _assert_same_retrieval(local, dense)


def test_synchronous_steps_stay_dense_where_the_first_pass_would_be():
    X = make_patterns(300, 100, random_state=0)
    cues = corrupt(X[:20], 0.2, random_state=1)
    broad = KLRHopfieldMemory(gamma=0.004).fit(X).engine_
    local = KLRHopfieldMemory(gamma=0.2).fit(X).engine_
    assert isinstance(make_sync_fields(broad, cues), DenseSteps)
    assert isinstance(make_sync_fields(local, cues), LocalFields)
