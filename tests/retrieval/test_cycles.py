"""Cycle detection of the synchronous dynamics: period and entry step."""

import numpy as np
import pytest

from sklearn_klrhop import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
)
from sklearn_klrhop.datasets import corrupt, make_patterns, sequence_targets
from sklearn_klrhop.retrieval import Engine, retrieve


def _linear(W):
    """An engine whose fields are ``s W^T``: the map s -> sign(W s)."""
    return Engine(np.asarray(W, dtype=float), lambda q: (q.copy(), np.zeros(len(q))))


def _reference_cycle(trajectory):
    """Period and entry from a trajectory, one cue at a time (no hashes)."""
    for t in range(1, len(trajectory)):
        for j in range(t):
            if np.array_equal(trajectory[t], trajectory[j]):
                return t - j, j
    return 0, -1


def test_a_constructed_two_cycle_is_period_two():
    # h = -s: every step flips every bit, s -> -s -> s
    res = retrieve(_linear(-np.eye(5)), np.ones((1, 5)), max_steps=10)
    assert res.period.tolist() == [2] and res.cycle_start.tolist() == [0]
    assert res.period.dtype == res.cycle_start.dtype == np.int64
    assert not res.converged[0] and res.n_steps[0] == 10  # runs to max_steps


def test_states_that_differ_in_one_bit_are_not_a_cycle():
    # States are remembered exactly as 64-bit words: all +1 and all +1 but
    # one bit differ by 1 in a word near 2**64, which a float64 would round
    # to the same value (a false fixed point). h_i = s_i except neuron 7,
    # which flips once and then stays: s0 -> s1 -> s1.
    W = np.eye(64)
    W[7] = 0.0
    W[7, 7], W[7, 0] = -1.0, -2.0  # h_7 = -s_7 - 2 s_0: -1 from all +1
    res = retrieve(_linear(W), np.ones((1, 64)), max_steps=5)
    assert res.states[0, 7] == -1.0
    assert res.period.tolist() == [1] and res.cycle_start.tolist() == [1]
    assert res.n_steps.tolist() == [2]


def test_a_cycle_entered_after_a_transient():
    # s0 <- -s0, s1 <- s0, s2 <- s2: from (1, 1, 1) the states are
    # (-1, 1, 1), (1, -1, 1), (-1, 1, 1), ...: a 2-cycle entered at step 1.
    W = [[-1, 0, 0], [1, 0, 0], [0, 0, 1]]
    cues = np.array([[1, 1, 1], [1, -1, -1]], dtype=float)
    res = retrieve(_linear(W), cues, max_steps=6)
    assert res.period.tolist() == [2, 2]
    assert res.cycle_start.tolist() == [1, 0]
    # a transient into a fixed point: s0 <- s1, s1 <- s1, s2 <- s0
    W = [[0, 1, 0], [0, 1, 0], [1, 0, 0]]
    res = retrieve(_linear(W), np.array([[1.0, -1.0, 1.0]]), max_steps=6)
    assert res.period.tolist() == [1] and res.cycle_start.tolist() == [2]
    assert res.converged[0] and res.n_steps[0] == 3


def test_periods_of_a_bit_rotation_and_a_cycle_longer_than_the_run():
    shift = np.roll(np.eye(8), 1, axis=0)  # s -> s rotated by one position
    cues = -np.ones((4, 8))
    cues[0, 0] = 1  # one bit: period 8
    cues[1, [0, 4]] = 1  # period 4
    cues[2, ::2] = 1  # period 2
    res = retrieve(_linear(shift), cues, max_steps=20)
    assert res.period.tolist() == [8, 4, 2, 1]
    assert res.cycle_start.tolist() == [0, 0, 0, 0]
    short = retrieve(_linear(shift), cues, max_steps=5)
    assert short.period.tolist() == [0, 4, 2, 1]
    assert short.cycle_start.tolist() == [-1, 0, 0, 0]


@pytest.mark.parametrize(
    "memory",
    [
        KLRHopfieldMemory(),
        KLRHopfieldMemory(loss="squared"),
        HebbianHopfieldMemory(),
        PseudoinverseHopfieldMemory(),
        ModernHopfieldMemory(),
    ],
    ids=lambda m: f"{type(m).__name__}-{m.get_params().get('loss', '')}",
)
def test_a_stored_cycle_is_replayed_from_each_pattern_with_its_length(memory):
    X = make_patterns(7, 80, random_state=0)
    memory.set_params(max_steps=20).fit(*sequence_targets(X))
    res = memory.retrieve(X, return_trajectory=True)
    assert res.period.tolist() == [7] * 7 and res.cycle_start.tolist() == [0] * 7
    for mu in range(7):  # the replay visits X[mu], X[mu + 1], ... in order
        order = np.arange(mu, mu + 21) % 7
        np.testing.assert_array_equal(res.trajectory[mu], X[order])


def test_an_open_sequence_ends_where_its_last_pattern_leads():
    X = make_patterns(6, 80, random_state=1)
    mem = KLRHopfieldMemory(max_steps=40).fit(*sequence_targets(X, cyclic=False))
    res = mem.retrieve(X[:1], return_trajectory=True)
    np.testing.assert_array_equal(res.trajectory[0, :6], X)  # the whole sequence
    # after its end the state goes wherever the fields of the last pattern send it
    assert res.cycle_start[0] >= 0 or res.period[0] == 0


@pytest.mark.parametrize("update", ["sync", "async"])
def test_autoassociative_memories_report_period_one(update):
    X = make_patterns(60, 40, random_state=2)
    mem = KLRHopfieldMemory(update=update, random_state=0).fit(X)
    res = mem.retrieve(corrupt(X, 0.1, random_state=0))
    assert res.converged.all()
    np.testing.assert_array_equal(res.period, 1)
    np.testing.assert_array_equal(res.cycle_start, res.n_steps - 1)


def test_async_reports_no_period_without_a_fixed_point():
    X = make_patterns(30, 20, random_state=3)
    mem = KLRHopfieldMemory(gamma=0.005, max_steps=1, random_state=0).fit(X)
    res = mem.retrieve(corrupt(X, 0.4, random_state=1), update="async")
    assert (~res.converged).any()
    np.testing.assert_array_equal(res.period, res.converged.astype(int))
    assert res.period.dtype == res.cycle_start.dtype == np.int64
    np.testing.assert_array_equal(res.cycle_start[~res.converged], -1)


def test_periods_match_a_reference_computed_from_the_trajectory():
    # An overloaded sequence memory with a broad kernel: noisy cues fall into
    # fixed points, short cycles, the stored cycle or nothing within the run.
    X = make_patterns(40, 16, random_state=4)
    mem = KLRHopfieldMemory(gamma=0.01, max_steps=25).fit(*sequence_targets(X))
    cues = corrupt(np.tile(X, (3, 1)), 0.3, random_state=5)
    res = mem.retrieve(cues, return_trajectory=True)
    reference = np.array([_reference_cycle(t) for t in res.trajectory])
    np.testing.assert_array_equal(res.period, reference[:, 0])
    np.testing.assert_array_equal(res.cycle_start, reference[:, 1])
    assert len(set(res.period.tolist())) >= 3  # the test sees several kinds
    # each row's answer depends on that row alone
    alone = [mem.retrieve(c[None]) for c in cues[:10]]
    assert [int(r.period[0]) for r in alone] == res.period[:10].tolist()


def test_autoassociative_retrieval_is_unchanged_by_cycle_detection():
    # Before detection a cue on a 2-cycle ran to max_steps and kept its last
    # state; it still does, with the cycle reported. Symmetric Hebbian weights
    # give synchronous periods of 1 or 2 only (Goles' theorem).
    X = make_patterns(10, 20, random_state=6)
    mem = HebbianHopfieldMemory(max_steps=30).fit(X)
    cues = corrupt(X, 0.3, random_state=7)
    res = mem.retrieve(cues, return_trajectory=True)
    cycling = res.period == 2
    assert cycling.any() and set(res.period.tolist()) == {1, 2}
    assert (res.n_steps[cycling] == 30).all() and not res.converged[cycling].any()
    np.testing.assert_array_equal(res.states, res.trajectory[:, -1])
    np.testing.assert_array_equal(
        res.trajectory[cycling, -1], res.trajectory[cycling, -3]
    )


def test_a_map_to_another_width_has_no_energy():
    X = make_patterns(8, 12, random_state=0)
    engine = KLRHopfieldMemory().fit(X, X[:, :5]).engine_
    with pytest.raises(ValueError) as info:
        engine.energy(X)
    assert str(info.value) == (
        "The pseudo-energy pairs the state of each neuron with its field; this "
        "engine maps 12 neurons to 5 outputs of another width, so it has none."
    )


def test_a_map_to_another_width_runs_once_and_says_what_it_cannot_do():
    X = make_patterns(8, 12, random_state=0)
    engine = KLRHopfieldMemory().fit(X, X[:, :5]).engine_
    assert retrieve(engine, X, max_steps=1).states.shape == (8, 5)
    with pytest.raises(ValueError) as info:
        retrieve(
            engine,
            X,
            update="async",
            max_steps=3,
            return_trajectory=True,
            return_energy=True,
        )
    assert str(info.value) == (
        "This memory maps 12 neurons to 5 target bits, a width other than its "
        "states: the map can be applied once but not iterated (asked for "
        "update='async', max_steps=3, return_trajectory=True, an energy). Its "
        "one-step answers are predict(X); dynamics (sync replay, cycles, async "
        "updates) need targets as wide as the states."
    )
    with pytest.raises(ValueError, match=r"\(asked for max_steps=2\)"):
        retrieve(engine, X, max_steps=2)
