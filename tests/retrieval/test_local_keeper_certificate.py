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
import pytest

from sklearn_klrhop.datasets import corrupt
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
    n = E.shape[1]

    def activation(q):
        z = c * (q - n)
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


def _check_support_and_bounds(keeper, E, A, c, S, rows, exact):
    """What the certificate rests on, for ``rows`` of ``keeper`` at states S.

    The kept units are the largest kernel values (at least SUPPORT_CUTOFF of
    the largest, at most MAX_SUPPORT), with their current values; the tail
    bounds the rest from above, and not by much; the fields of an exact
    refresh are exact. Kernel values relative to each row's largest, as the
    keeper holds them, written out here.
    """
    N = S.shape[1]
    q = S @ E.T
    np.testing.assert_allclose(keeper.log_scale[rows], c * (q[rows].max(1) - N))
    for m in rows:
        k = np.exp(c * (q[m] - q[m].max()))
        kept = keeper.k_ref[m] > 0
        units = keeper.idx[m][kept]
        wanted = min(LocalFields.MAX_SUPPORT, np.sum(k >= LocalFields.SUPPORT_CUTOFF))
        assert len(units) == wanted and len(set(units)) == wanted
        others = np.delete(k, units)
        assert k[units].min() >= others.max(initial=0.0)
        np.testing.assert_allclose(keeper.k_ref[m][kept], k[units], rtol=1e-12)
        np.testing.assert_array_equal(keeper.k_now[m], keeper.k_ref[m])
        np.testing.assert_array_equal(keeper.q_sup[m][kept], q[m, units])
        rest, total = others.sum(), k.sum()
        rounding = keeper.rounding * total
        assert rest <= keeper.tail[m] * (1 + 1e-12)
        bound = keeper.bound[m] / keeper.scale
        assert total * (1 - 1e-12) <= bound
        if exact:
            assert keeper.known[m] == 1.0
            assert keeper.tail[m] == pytest.approx(rest + rounding, rel=1e-9)
            assert bound == pytest.approx(total, rel=1e-12)
            np.testing.assert_allclose(keeper.H[m], k @ A, atol=1e-12 * total)
        else:  # the units left unevaluated add at most TAIL_FAR
            assert keeper.known[m] == 0.0
            assert keeper.tail[m] <= rest + LocalFields.TAIL_FAR + rounding
            assert bound <= (total + LocalFields.TAIL_FAR) * (1 + 1e-12)


@pytest.mark.parametrize("c", [0.6, 2.0])  # every unit evaluated / a few
def test_refreshes_keep_the_largest_units_and_bound_the_rest(c):
    rng = np.random.RandomState(0)
    P, N = 60, 24
    E = np.where(rng.rand(P, N) < 0.5, -1.0, 1.0)
    A = rng.normal(size=(P, N))
    engine = _engine(E, A, c)
    S = corrupt(E[rng.randint(P, size=10)], 0.2, random_state=rng)
    keeper = LocalFields(engine, S, engine.overlaps(S, np.float32))
    rows = np.arange(len(S))
    _check_support_and_bounds(keeper, E, A, c, S, rows, exact=False)
    keeper._refresh(rows[::2], S)
    _check_support_and_bounds(keeper, E, A, c, S, rows[::2], exact=True)
    _check_support_and_bounds(keeper, E, A, c, S, rows[1::2], exact=False)


def test_a_wider_support_leaves_the_other_rows_as_they_were():
    # Cues at stored patterns far from the others keep one unit; a refresh
    # at a pattern with three neighbours one bit away keeps four, and the
    # keeper's arrays grow for it.
    rng = np.random.RandomState(1)
    P, N, c = 30, 40, 1.0
    E = np.where(rng.rand(P, N) < 0.5, -1.0, 1.0)
    for i in (1, 2, 3):
        E[i] = E[0]
        E[i, i] *= -1
    A = rng.normal(size=(P, N))
    engine = _engine(E, A, c)
    S = E[[10, 11, 12]].copy()
    keeper = LocalFields(engine, S, engine.overlaps(S, np.float32))
    assert keeper.idx.shape[1] == 1
    before = {n: getattr(keeper, n).copy() for n in ("idx", "k_ref", "q_sup", "H")}
    S[1] = E[0]
    keeper._refresh(np.array([1]), S)
    assert keeper.idx.shape == keeper.k_ref.shape == (3, 4)
    assert keeper.k_now.shape == keeper.q_sup.shape == (3, 4)
    _check_support_and_bounds(keeper, E, A, c, S, np.array([1]), exact=True)
    _check_support_and_bounds(keeper, E, A, c, S, np.array([0, 2]), exact=False)
    for name, old in before.items():
        new = getattr(keeper, name)
        np.testing.assert_array_equal(new[[0, 2], : old.shape[1]], old[[0, 2]])
