"""The work promises of the certified local keeper, on engines built by hand.

The states of the local keeper are those of the exact keeper whatever it
settles per round or how often it refreshes (the other tests check that). Here
the engines are chosen so that every decision has a margin far above the
certificate's bounds, and the keeper's documented promises are checked
against a plain one-neuron-at-a-time reference:

* ``events`` settles, after a cue's first event, the later ones whose
  decisions hold for any ``AHEAD`` further flips, up to ``AHEAD`` of them,
  each row on its own (the other rows of the batch do not matter), a clamped
  neuron being a certain stay and never an event;
* a cue is refreshed exactly only when a decision is undecided or its tail
  could have grown past ``MAX_GROWTH`` (``exp(2 c f)``, f flips since the
  refresh); clamped neurons need not be decided.
"""

import numpy as np

from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import (
    _permutations,
    row_seeds,
    run_async,
    run_sync,
)
from sklearn_klrhop.retrieval._local import LocalFields, make_fields

N, P = 100, 20


def _patterns(seed=0):
    rng = np.random.RandomState(seed)
    return np.where(rng.rand(P, N) < 0.5, -1.0, 1.0)


def _engine(E, A, c):
    def activation(q):
        z = c * (q - N)
        log_scale = z.max(axis=1)
        return np.exp(z - log_scale[:, None]), log_scale

    return Engine(E, activation, A, locality=c)


def _field(E, A, c, s, j):
    """The exact field of neuron j at state s, from scratch."""
    return np.exp(c * (E @ s - N)) @ A[:, j]


def _reference_flips(E, A, c, s, order, fixed=None):
    """Positions in ``order`` where one-neuron-at-a-time updates flip."""
    s = s.copy()
    flips = []
    for pos, j in enumerate(order):
        if fixed is not None and fixed[j]:
            continue
        new = 1.0 if _field(E, A, c, s, j) >= 0 else -1.0
        if new != s[j]:
            s[j] = new
            flips.append(pos)
    return flips


def _round_batch(with_clamp):
    """A batch of three cues of pattern 0, 14 bits wrong among the first 40
    positions of each order (interleaved with right bits of both signs).

    Column 0 of the decoder is weak for pattern 0 (|A| = 0.01): its decision
    is certain now but not after AHEAD more flips. Row 0 visits it last,
    row 1 right after its first event (with the right state), row 2 first
    (with the wrong state).
    """
    c = 0.3
    E = _patterns()
    A = E.copy()
    A[0, 0] = 0.01 * E[0, 0]
    rng = np.random.RandomState(1)
    order = np.empty((3, N), dtype=np.int64)
    S = np.tile(E[0], (3, 1))
    fixed = np.zeros((3, N), dtype=bool) if with_clamp else None
    for m in range(3):
        rest = 1 + rng.permutation(N - 1)
        if m == 0:
            order[m] = np.r_[rest, 0]
        elif m == 1:
            order[m] = np.r_[rest[:1], 0, rest[1:]]
        else:
            order[m] = np.r_[0, rest]
        later = 2 if m == 1 else 1  # the first position after the first event
        wrong = np.r_[0, later + rng.choice(40 - later, 13, replace=False)]
        S[m, order[m, wrong]] *= -1
        if with_clamp:
            # right bits clamped between the wrong ones, and one wrong bit
            right = np.setdiff1d(np.arange(later, 40), wrong)
            fixed[m, order[m, right[::3]]] = True
            fixed[m, order[m, wrong[5]]] = True
    return E, A, c, S, order, fixed


def _check_first_round(with_clamp):
    E, A, c, S, order, fixed = _round_batch(with_clamp)
    engine = _engine(E, A, c)
    keeper = make_fields(engine, S.copy())
    assert isinstance(keeper, LocalFields)
    keeper.fixed = fixed
    # a tail far below MAX_TAIL: the full look-ahead
    assert keeper.ahead == LocalFields.AHEAD
    count, at = keeper.events(np.arange(3), order, np.zeros(3, np.int64), S)
    for m in range(3):
        ref = _reference_flips(
            E, A, c, S[m], order[m], None if fixed is None else fixed[m]
        )
        assert len(ref) >= LocalFields.AHEAD + 1
        got = list(at[m, : count[m]])
        assert got == ref[: count[m]], m
        if m != 1:
            # every later decision holds AHEAD flips on: AHEAD more events
            assert count[m] == LocalFields.AHEAD + 1, m
    # row 1 stops at neuron 0, which could still change
    assert count[1] == 1


def test_a_round_settles_every_later_event_certain_for_ahead_flips():
    _check_first_round(with_clamp=False)


def test_a_round_settles_later_events_around_clamped_neurons():
    _check_first_round(with_clamp=True)


def test_clamped_wrong_bits_stay_and_the_rest_follows_the_reference():
    # clamped bits that disagree with their fields never flip, also when they
    # lie among settled later events of a round
    E, A, c, S, order, fixed = _round_batch(with_clamp=True)
    hidden = ~fixed
    engine = _engine(E, A, c)
    seeds = row_seeds(S, 5)
    res = run_async(engine, S.copy(), 6, seeds, hidden=hidden, clamp=True)
    for m in range(3):
        s = S[m].copy()
        # the start of hidden bits: the sign of the fields of the known bits
        k = np.exp(c * (E @ np.where(hidden[m], 0.0, s) - N))
        s[hidden[m]] = np.where(k @ A >= 0, 1.0, -1.0)[hidden[m]]
        events = 0
        for sweep in range(res.n_steps[m]):
            for j in _permutations(seeds[m : m + 1], sweep, N)[0]:
                if fixed[m, j]:
                    continue
                new = 1.0 if _field(E, A, c, s, j) >= 0 else -1.0
                events += new != s[j]
                s[j] = new
        np.testing.assert_array_equal(res.states[m], s)
        assert res.n_events[m] == events


def _counting_refreshes(monkeypatch):
    refreshed = []
    refresh = LocalFields._refresh

    def counting(self, rows, S, q=None, light=False):
        refreshed.append((len(rows), light))
        return refresh(self, rows, S, q, light=light)

    monkeypatch.setattr(LocalFields, "_refresh", counting)
    return refreshed


def test_no_refresh_until_the_growth_guard_is_passed(monkeypatch):
    # c = 0.25 and MAX_GROWTH = 6: the guard allows 2 c f <= 6, 12 flips; a
    # cue 12 bits from a pattern makes exactly 12, each decision certain (the
    # tail bound times exp(6) stays far below the fields), so the light first
    # pass is the only refresh, and the states are the reference's.
    monkeypatch.setattr(LocalFields, "MAX_GROWTH", 6.0)
    refreshed = _counting_refreshes(monkeypatch)
    c = 0.25
    E = _patterns(2)
    rng = np.random.RandomState(3)
    S = np.tile(E[0], (4, 1))
    for m in range(4):
        S[m, rng.choice(N, 12, replace=False)] *= -1
    engine = _engine(E, E, c)
    seeds = row_seeds(S, 9)
    res = run_async(engine, S.copy(), 5, seeds)
    np.testing.assert_array_equal(res.states, np.tile(E[0], (4, 1)))
    np.testing.assert_array_equal(res.n_events, 12)
    for m in range(4):
        ref = _reference_flips(E, E, c, S[m], _permutations(seeds[m : m + 1], 0, N)[0])
        assert len(ref) == 12
    assert refreshed == [(4, True)]


def test_synchronous_steps_need_not_decide_clamped_neurons(monkeypatch):
    # Every free neuron is decided from the support (large margins), so no
    # step refreshes a cue, clamped neurons (some disagreeing with their
    # fields) included; the states are those of the plain synchronous rule.
    monkeypatch.setattr(LocalFields, "DENSE_SHARE", 1.0)
    refreshed = _counting_refreshes(monkeypatch)
    c = 0.3
    E = _patterns(4)
    rng = np.random.RandomState(5)
    S = np.tile(E[0], (5, 1))
    hidden = np.zeros(S.shape, dtype=bool)
    for m in range(5):
        pick = rng.choice(N, 30, replace=False)
        S[m, pick[:6]] *= -1  # wrong known bits: clamped
        hidden[m, pick[6:]] = True
    res = run_sync(_engine(E, E, c), S.copy(), 10, hidden=hidden, clamp=True)
    for m in range(5):
        s = S[m].copy()
        k = np.exp(c * (E @ np.where(hidden[m], 0.0, s) - N))
        s[hidden[m]] = np.where(k @ E >= 0, 1.0, -1.0)[hidden[m]]
        for _ in range(res.n_steps[m]):
            new = np.where(np.exp(c * (E @ s - N)) @ E >= 0, 1.0, -1.0)
            s = np.where(hidden[m], new, s)
        np.testing.assert_array_equal(res.states[m], s)
    assert res.converged.all()
    assert refreshed == [(5, True)]
