"""Partial cues in the dynamics: the start of hidden bits, and clamped bits."""

import numpy as np
import pytest
from sklearn.metrics.pairwise import rbf_kernel

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.retrieval import Engine, retrieve
from sklearn_klrhop.retrieval._dynamics import (
    _permutations,
    row_seeds,
    run_async,
    run_sync,
)
from sklearn_klrhop.retrieval._local import LocalFields


def _hidden(shape, fraction, seed):
    rng = np.random.RandomState(seed)
    n_hidden = int(round(fraction * shape[1]))
    order = np.argsort(rng.rand(*shape), axis=1)
    hidden = np.zeros(shape, dtype=bool)
    np.put_along_axis(hidden, order[:, :n_hidden], True, axis=1)
    return hidden


def _without_locality(engine):
    return Engine(engine.encoder, engine.activation, engine.decoder, engine.diagonal)


# Hebbian past its capacity and KLR with 90 % hidden: many flips, some cues lost
CASES = [
    (HebbianHopfieldMemory(), make_patterns(30, 100, random_state=0), 0.5),
    (KLRHopfieldMemory(), make_patterns(300, 100, random_state=0), 0.9),
]


@pytest.mark.parametrize("update", ["sync", "async"])
@pytest.mark.parametrize("memory, X, fraction", CASES)
def test_clamped_bits_never_change_and_count_no_event(memory, X, fraction, update):
    memory.fit(X)
    hidden = _hidden(X.shape, fraction, 1)
    S = np.where(hidden, 1.0, X)
    free = retrieve(memory.engine_, S, update=update, hidden=hidden, random_state=0)
    res = retrieve(
        memory.engine_,
        S,
        update=update,
        hidden=hidden,
        clamp=True,
        random_state=0,
        return_trajectory=True,
    )
    assert free.n_events.sum() > 0 and (free.states != X)[~hidden].any()
    known = np.broadcast_to(~hidden[:, None, :], res.trajectory.shape)
    cues = np.broadcast_to(X[:, None, :], res.trajectory.shape)
    np.testing.assert_array_equal(res.trajectory[known], cues[known])
    # every event is a flip of a hidden bit: the changes along the trajectory
    changes = np.count_nonzero(np.diff(res.trajectory, axis=1), axis=(1, 2))
    if update == "sync":
        np.testing.assert_array_equal(res.n_events, changes)
    else:  # a bit may flip back within a sweep: at least the net changes
        assert (res.n_events >= changes).all() and res.n_events.sum() > 0
    np.testing.assert_array_equal(res.counts["events"], res.n_events)


def test_the_start_is_the_sign_of_the_fields_of_the_known_bits():
    X = make_patterns(40, 30, random_state=2)
    mem = HebbianHopfieldMemory().fit(X)
    hidden = _hidden(X.shape, 0.4, 3)
    res = retrieve(
        mem.engine_, np.where(hidden, -1.0, X), hidden=hidden, return_trajectory=True
    )
    # the hidden bits count as 0; N W is an integer matrix, so N h is exact
    # once rounded and its ties (0) go to +1
    fields = np.round(np.where(hidden, 0.0, X) @ (30 * mem.weights_).T)
    start = np.where(hidden, np.where(fields >= 0, 1.0, -1.0), X)
    np.testing.assert_array_equal(res.trajectory[:, 0], start)


@pytest.mark.parametrize("event_driven", [False, True])
def test_local_keeper_clamps_exactly_like_the_exact_keeper(event_driven, monkeypatch):
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)
    X = make_patterns(300, 100, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    hidden = _hidden(X[:80].shape, 0.85, 4)
    S = np.where(hidden, 1.0, X[:80])
    seeds = row_seeds(S, 3)
    kwargs = {"hidden": hidden, "clamp": True, "event_driven": event_driven}
    local = run_async(mem.engine_, S, 20, seeds, **kwargs)
    exact = run_async(_without_locality(mem.engine_), S, 20, seeds, **kwargs)
    assert local.n_events.sum() > 0
    np.testing.assert_array_equal(local.states, exact.states)
    for key in local.counts:
        np.testing.assert_array_equal(local.counts[key], exact.counts[key], key)
    sync = [
        retrieve(engine, S, hidden=hidden, clamp=True)
        for engine in (mem.engine_, _without_locality(mem.engine_))
    ]
    np.testing.assert_array_equal(sync[0].states, sync[1].states)
    np.testing.assert_array_equal(sync[0].n_events, sync[1].n_events)


def test_clamped_async_matches_one_neuron_at_a_time_reference():
    rng = np.random.RandomState(4)
    E = np.where(rng.rand(40, 16) < 0.5, -1.0, 1.0)
    A = rng.normal(size=(40, 16))

    def activation(q):
        z = 0.6 * (q - 16)
        log_scale = z.max(axis=1)
        return np.exp(z - log_scale[:, None]), log_scale

    engine = Engine(E, activation, A, locality=0.6)
    hidden = _hidden((30, 16), 0.5, 5)
    S = np.where(hidden, 1.0, E[:30])
    seeds = row_seeds(S, 7)
    res = run_async(engine, S, 10, seeds, hidden=hidden, clamp=True)
    for m in range(len(S)):
        s = S[m].copy()
        k = np.exp(0.6 * (E @ np.where(hidden[m], 0.0, s) - 16))
        s[hidden[m]] = np.where(k @ A >= 0, 1.0, -1.0)[hidden[m]]
        events = 0
        for sweep in range(res.n_steps[m]):
            for j in _permutations(seeds[m : m + 1], sweep, 16)[0]:
                if not hidden[m, j]:
                    continue  # clamped: never updated
                new = 1.0 if np.exp(0.6 * (E @ s - 16)) @ A[:, j] >= 0 else -1.0
                events += new != s[j]
                s[j] = new
        np.testing.assert_array_equal(res.states[m], s)
        assert res.n_events[m] == events


def test_retrieve_refuses_bad_masks():
    X = make_patterns(10, 20, random_state=0)
    engine = HebbianHopfieldMemory().fit(X).engine_
    with pytest.raises(ValueError, match="no bit is hidden"):
        retrieve(engine, X, clamp=True)
    with pytest.raises(ValueError, match="bool array of the shape of the cues"):
        retrieve(engine, X, hidden=np.zeros((10, 3), bool))
    with pytest.raises(ValueError, match="bool array of the shape of the cues"):
        retrieve(engine, X, hidden=np.zeros(X.shape, int))


@pytest.mark.parametrize("update", ["sync", "async"])
def test_the_start_of_hidden_bits_is_priced_and_then_plain_dynamics(update):
    # The hidden bits start from the sign of their fields with the hidden
    # coordinates at 0 (for the RBF kernel a positive factor per cue away
    # from scikit-learn's kernel of the zero-filled cue). From that start the
    # dynamics are those of a full cue; the start costs one dense pass and
    # one field (P multiply-adds) per hidden bit, and no event.
    X = make_patterns(40, 30, random_state=1)
    mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    hidden = _hidden((12, 30), 0.4, seed=2)
    S = np.where(hidden, 0.0, X[:12])
    fields = rbf_kernel(S, X, gamma=0.1) @ mem.dual_coef_
    start = np.where(hidden, np.where(fields >= 0, 1.0, -1.0), X[:12])
    opts = {"update": update, "random_state": 3}
    res = retrieve(mem.engine_, np.where(hidden, 1.0, X[:12]), hidden=hidden, **opts)
    plain = retrieve(mem.engine_, start, **opts)
    np.testing.assert_array_equal(res.states, plain.states)
    n_hidden = hidden.sum(axis=1)
    P, N = 40, 30
    cost = {
        "accumulates": P * N,
        "encoder_reads": P * N,
        "kernel_evaluations": P,
        "field_evaluations": n_hidden,
        "macs": P * n_hidden,
        "coef_reads": P * n_hidden,
    }
    for metric, counts in res.counts.items():
        expected = plain.counts[metric] + cost.get(metric, 0)
        np.testing.assert_array_equal(counts, expected, err_msg=metric)
    np.testing.assert_array_equal(res.n_events, plain.n_events)


def test_partial_cues_are_refused_with_what_is_accepted():
    X = make_patterns(10, 12, random_state=0)
    engine = KLRHopfieldMemory().fit(X).engine_
    S = X[:3]
    with pytest.raises(ValueError) as info:
        retrieve(engine, S, clamp=True)
    assert str(info.value) == (
        "clamp=True keeps the known bits of partial cues fixed, but no bit is "
        "hidden: pass hidden (the mask of unknown bits) with it."
    )
    for bad in (np.zeros((3, 12), dtype=int), np.zeros((3, 11), dtype=bool)):
        with pytest.raises(ValueError) as info:
            retrieve(engine, S, hidden=bad)
        assert str(info.value) == (
            "hidden must be a bool array of the shape of the cues (3, 12); got "
            f"dtype {bad.dtype} and shape {bad.shape}."
        )
    hetero = KLRHopfieldMemory().fit(X, X[:, :5]).engine_
    with pytest.raises(ValueError) as info:
        retrieve(hetero, S, max_steps=1, hidden=np.zeros((3, 12), dtype=bool))
    assert str(info.value) == (
        "Partial cues are completed by the dynamics of the states; this map "
        "sends 12 neurons to 5 target bits and has none."
    )


@pytest.mark.parametrize("update", ["sync", "async"])
def test_no_cue_gives_an_empty_result_of_the_right_shapes(update):
    X = make_patterns(10, 12, random_state=0)
    engine = KLRHopfieldMemory().fit(X).engine_
    res = retrieve(
        engine, np.empty((0, 12)), update=update, max_steps=4, return_trajectory=True
    )
    assert res.states.shape == (0, 12) and res.trajectory.shape == (0, 5, 12)
    for name in ("n_steps", "n_events", "converged", "period", "cycle_start"):
        assert getattr(res, name).shape == (0,), name
    for metric, counts in res.counts.items():
        assert counts.shape == (0,), metric


@pytest.mark.parametrize("update", ["sync", "async"])
def test_the_dynamics_refuse_clamping_without_hidden_bits(update):
    # retrieve refuses this first; the dynamics, called on their own, say so too
    X = make_patterns(10, 12, random_state=0)
    engine = KLRHopfieldMemory().fit(X).engine_
    with pytest.raises(ValueError) as info:
        if update == "sync":
            run_sync(engine, X, 5, clamp=True)
        else:
            run_async(engine, X, 5, row_seeds(X, 0), clamp=True)
    assert str(info.value) == (
        "clamp=True keeps the known bits of partial cues fixed, but no bit is "
        "hidden: pass the mask of unknown bits (or NaN at them) with it."
    )
