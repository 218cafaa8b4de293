"""Synchronous and asynchronous dynamics on the encoder / kernel / decoder engine."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ._engine import _sign
from ._ledger import Ledger
from ._local import make_fields, make_sync_fields
from ._result import RetrievalResult

_U64 = np.uint64


def _dense_pass(engine, ledger, rows):
    """Overlaps of ``rows`` computed from scratch and every kernel unit evaluated."""
    n_features, n_units = engine.encoder.shape[1], engine.n_units
    ledger.add("accumulates", rows, n_features * n_units)
    ledger.add("encoder_reads", rows, n_features * n_units)
    ledger.add("kernel_evaluations", rows, n_units)


def _evaluate_fields(engine, ledger, rows):
    """Every field of ``rows`` evaluated from all kernel units (one step or sweep)."""
    n_features, n_units = engine.n_outputs, engine.n_units
    ledger.add("field_evaluations", rows, n_features)
    ledger.add("neuron_updates", rows, n_features)
    if engine.decoder is not None:
        ledger.add("macs", rows, n_features * n_units)
        ledger.add("coef_reads", rows, n_features * n_units)
    if engine.diagonal is not None:
        ledger.add("accumulates", rows, n_features)
    ledger.add("steps", rows, 1)
    ledger.add("barriers", rows, 1)


def _flip_work(engine, ledger, rows, count=1):
    """``count`` flips per row: each moves the overlaps by +/-2 E[:, j] and
    updates every unit."""
    n_units = engine.n_units
    ledger.add("events", rows, count)
    ledger.add("accumulates", rows, n_units * count)
    ledger.add("encoder_reads", rows, n_units * count)
    ledger.add("kernel_updates", rows, n_units * count)


def _propagation_work(engine, ledger, rows, sent):
    """Kernel-unit changes sent to kept fields: ``sent`` units per row."""
    n_features = engine.encoder.shape[1]
    ledger.add("propagated", rows, sent)
    if engine.decoder is None:
        ledger.add("neuron_updates", rows, sent)
    else:
        ledger.add("neuron_updates", rows, n_features * (sent > 0))
        ledger.add("macs", rows, n_features * sent)
        ledger.add("coef_reads", rows, n_features * sent)


def start_unknown(engine, ledger, S, hidden):
    """Give the hidden bits of ``S`` their start: the sign of their fields
    computed from the known bits alone.

    The hidden bits count as 0 in the overlaps (they pull towards no stored
    pattern), so each starts on the side the known bits favour; for a kernel
    memory that is the kernel regression of the bit on the known coordinates.
    Priced as one dense pass and one field per hidden bit; filling a bit that
    had no value is no flip, so no event is counted.
    """
    rows = np.arange(len(S))
    n_hidden = np.count_nonzero(hidden, axis=1)
    _dense_pass(engine, ledger, rows)
    ledger.add("field_evaluations", rows, n_hidden)
    if engine.decoder is not None:
        ledger.add("macs", rows, n_hidden * engine.n_units)
        ledger.add("coef_reads", rows, n_hidden * engine.n_units)
    start = _sign(engine.decision_fields(np.where(hidden, 0.0, S)))
    return np.where(hidden, start, S)


def check_dynamics(engine, update, max_steps, return_trajectory, return_energy):
    """Refuse what a one-step map to another width cannot do, saying why.

    An engine whose fields are as wide as its states (``n_outputs ==
    n_features``) runs any dynamics. One whose targets have another width
    (a heteroassociative memory mapping states to, say, labels) can only be
    applied once: synchronously, for one step, without trajectory or energy.
    """
    if engine.n_outputs == engine.n_features:
        return
    asked = [
        what
        for what, bad in (
            ("update='async'", update != "sync"),
            (f"max_steps={max_steps}", max_steps != 1),
            ("return_trajectory=True", return_trajectory),
            ("an energy", return_energy),
        )
        if bad
    ]
    if asked:
        raise ValueError(
            f"This memory maps {engine.n_features} neurons to {engine.n_outputs} "
            "target bits, a width other than its states: the map can be applied "
            f"once but not iterated (asked for {', '.join(asked)}). Its one-step "
            "answers are predict(X); dynamics (sync replay, cycles, async "
            "updates) need targets as wide as the states."
        )


def run_sync(engine, S, max_steps, return_trajectory=False, hidden=None, clamp=False):
    """Synchronous dynamics ``s <- sign(h(s))`` for every cue at once.

    Priced as a dense execution: every step computes the overlaps from scratch,
    evaluates every kernel unit and every field, and ends with a barrier; the
    counts of this work are in ``RetrievalResult.counts``. The computation
    itself may be cheaper: for the exponential kernels a keeper of
    ``_fields`` decides every neuron from the few dominant kernel units with
    a certified bound on the rest, and moves the overlaps by the flipped
    bits alone, with the same states as the dense steps.

    The dynamics is a map of the state alone, so the first state that repeats
    an earlier one closes a cycle: ``period`` is its length (1 for a fixed
    point, where the cue stops) and ``cycle_start`` the step at which it was
    first visited (see :class:`_CycleDetector`). Cues on a longer cycle keep
    running to ``max_steps``, so that their final state and trajectory are
    those of the full run. An engine with fields of another width than its
    states (a one-step map) is applied once (:func:`check_dynamics`).

    ``hidden`` (bool, the shape of S) marks the unknown bits of partial
    cues: they start from :func:`start_unknown`. With ``clamp`` the known
    bits are never updated: they keep their values, their fields need not be
    decided (see :func:`clamped`).
    """
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    if engine.n_outputs != n_features:
        return _map_once(engine, S)
    ledger = Ledger(n_cues)
    if hidden is not None:
        S = start_unknown(engine, ledger, S, hidden)
    fixed = clamped(hidden, clamp)
    converged = np.zeros(n_cues, dtype=bool)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    fields = make_sync_fields(engine, S, fixed)
    cycles = _CycleDetector(S, max_steps)
    active = np.arange(n_cues)
    for step in range(1, max_steps + 1):
        if active.size == 0:
            break
        S_active = S[active]
        new = fields.next_states(active, S)
        if fixed is not None:
            new = np.where(fixed[active], S_active, new)
        _dense_pass(engine, ledger, active)
        _evaluate_fields(engine, ledger, active)
        changed = new != S_active
        n_changed = np.count_nonzero(changed, axis=1)
        S[active] = new
        fields.flip(active, *_flipped(changed, n_changed), S)
        ledger.add("events", active, n_changed)
        cycles.visit(active, new, step)
        stable = n_changed == 0
        converged[active[stable]] = True
        active = active[~stable]
        if trajectory is not None:
            trajectory[:, step] = S
    return _finish(S, ledger, converged, trajectory, cycles.period, cycles.start)


def clamped(hidden, clamp):
    """The neurons that are never updated: the known bits when ``clamp``, else none."""
    if not clamp:
        return None
    if hidden is None:
        raise ValueError(
            "clamp=True keeps the known bits of partial cues fixed, but no bit is "
            "hidden: pass the mask of unknown bits (or NaN at them) with it."
        )
    return ~hidden


class _CycleDetector:
    """Period and entry step of the cycle each synchronous run falls into.

    Every visited state is remembered exactly, packed to bits
    (``ceil(N / 64)`` words of 8 bytes per cue and step, 1/64 of a
    trajectory); a new state is compared with all earlier states of its cue
    at once. Deterministic dynamics never leave a cycle, so the first match
    is the cycle: its period is the distance to the matching step, its entry
    that step.
    """

    def __init__(self, S, max_steps):
        n_cues = len(S)
        packed = _pack(S)
        self._history = np.zeros((n_cues, max_steps + 1, packed.shape[1]), _U64)
        self._history[:, 0] = packed
        self.period = np.zeros(n_cues, dtype=np.int64)
        self.start = np.full(n_cues, -1, dtype=np.int64)

    def visit(self, rows, new, step):
        """Record the states ``new`` that ``rows`` reached at ``step``."""
        packed = _pack(new)
        self._history[rows, step] = packed
        open_ = self.period[rows] == 0
        rows, packed = rows[open_], packed[open_]
        if not rows.size:
            return
        seen = (self._history[rows, :step] == packed[:, None, :]).all(axis=2)
        found = seen.any(axis=1)
        first = seen.argmax(axis=1)
        self.period[rows[found]] = step - first[found]
        self.start[rows[found]] = first[found]


def _pack(S):
    """The signs of the rows of S as bits, in 64-bit words (zero padded)."""
    bits = np.packbits(S > 0, axis=1)
    pad = -bits.shape[1] % 8
    if pad:
        bits = np.pad(bits, ((0, 0), (0, pad)))
    return np.ascontiguousarray(bits).view(_U64)


def _map_once(engine, S):
    """One application of a map whose targets are not states: no dynamics."""
    n_cues = len(S)
    ledger = Ledger(n_cues)
    rows = np.arange(n_cues)
    _dense_pass(engine, ledger, rows)
    _evaluate_fields(engine, ledger, rows)
    states = _sign(engine.decision_fields(S))
    none = np.zeros(n_cues, dtype=np.int64)
    return _finish(states, ledger, none.astype(bool), None, none, none - 1)


def run_async(
    engine,
    S,
    max_steps,
    row_seeds,
    return_trajectory=False,
    *,
    event_driven=False,
    delta_threshold=None,
    hidden=None,
    clamp=False,
):
    """Asynchronous dynamics: sweeps of N single-neuron updates in random order.

    Each sweep visits the neurons of every cue in a fresh permutation drawn from
    that cue's seed; each update uses the current state. A flip of neuron j
    changes the overlaps by ``-2 s_j E[:, j]``, an O(n_units) update.

    The fields of a cue are only invalidated by a flip, so every update up to
    the next flip in permutation order is read off the fields the cue has; a
    round handles the next event of every cue at once, and the number of
    Python-level rounds is bounded by the number of events, not of neurons.
    The fields are kept by a keeper of ``_fields``: exact
    (one row product per event), sigma-delta (``delta_threshold``) or, for
    exponential kernels, local: decisions certified from the few dominant
    kernel units, several events per round and an exact row product only when
    a decision is close, with the same results as the exact keeper.

    Parameters
    ----------
    engine : Engine
    S : ndarray of shape (n_cues, n_features)
        Bipolar cues.
    max_steps : int
        Maximum number of sweeps.
    row_seeds : ndarray of shape (n_cues,) of uint64
        Seeds of the update orders (see :func:`row_seeds`).
    return_trajectory : bool, default=False
        Also return the state after every sweep.
    event_driven : bool, default=False
        How the work is priced in ``counts``. ``False``: every visit
        evaluates the visited neuron's field from all kernel units (lazy
        fields). ``True``: every field is kept current and changed only when
        a kernel unit propagates a change after a flip; a neuron decides only
        when its kept field crosses zero. Both follow the same update order,
        so with ``delta_threshold=None`` they retrieve the same states.
    delta_threshold : float >= 0 or None, default=None
        Event-driven only (checked by :func:`retrieve`). ``None``: every changed kernel unit is propagated and
        the fields are exact. A float ``eps``: sigma-delta propagation; a unit
        sends the difference between its value and the value it last sent only
        when that difference exceeds ``eps`` times the largest kernel value of
        the cue's current state. The neurons then act on the fields they hold,
        which differ from the exact ones by the residues not yet sent, so the
        retrieved states can change.
    hidden, clamp
        Partial cues, as in :func:`run_sync`: clamped neurons are skipped in
        the update order (never an event, never a refresh).
    """
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    ledger = Ledger(n_cues)
    if hidden is not None:
        S = start_unknown(engine, ledger, S, hidden)
    converged = np.zeros(n_cues, dtype=bool)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    everyone = np.arange(n_cues)
    _dense_pass(engine, ledger, everyone)
    fields = make_fields(engine, S, delta_threshold=delta_threshold)
    fields.fixed = clamped(hidden, clamp)
    if event_driven:
        _propagation_work(engine, ledger, everyone, fields.initially_sent)
        if engine.diagonal is not None:
            ledger.add("accumulates", everyone, n_features)
    active = np.arange(n_cues)
    for sweep in range(max_steps):
        if active.size == 0:
            break
        perm = _permutations(row_seeds[active], sweep, n_features)
        flipped = np.zeros(active.size, dtype=bool)
        pointer = np.zeros(active.size, dtype=np.int64)
        scanning = np.arange(active.size)  # indices into `active`
        while scanning.size:
            count, at = fields.events(
                active[scanning], perm[scanning], pointer[scanning], S
            )
            keep = count > 0
            scanning, count, at = scanning[keep], count[keep], at[keep]
            if scanning.size == 0:
                break
            # the events of a round, in visiting order within each cue
            rows = active[scanning]
            J = np.take_along_axis(perm[scanning], at, axis=1)
            for m in range(count.max()):
                now = count > m
                S[rows[now], J[now, m]] *= -1
            fields.flip(rows, J, count, S)
            _flip_work(engine, ledger, rows, count)
            for m in range(count.max() if event_driven else 0):
                now = count > m
                ledger.add("field_evaluations", rows[now], 1)
                sent = fields.sent(rows[now], J[now, m])
                _propagation_work(engine, ledger, rows[now], sent)
                if engine.diagonal is not None:
                    ledger.add("accumulates", rows[now], 1)
            flipped[scanning] = True
            pointer[scanning] = at[np.arange(len(count)), count - 1] + 1
        if event_driven:
            ledger.add("steps", active, 1)
        else:
            _evaluate_fields(engine, ledger, active)
        converged[active[~flipped]] = True
        active = active[flipped]
        if trajectory is not None:
            trajectory[:, sweep + 1] = S
    if event_driven:
        # One check that no neuron's kept field disagrees with its state.
        ledger.add("barriers", everyone, 1)
    # The update order changes every sweep, so the dynamics is no map of the
    # state: a fixed point is the only cycle it can report.
    period = converged.astype(np.int64)
    start = np.where(converged, ledger.counts["steps"] - 1, -1)
    return _finish(S, ledger, converged, trajectory, period, start)


def _flipped(changed, n_changed):
    """``(J, count)``: the flipped neurons of each row, left-aligned, and their number."""
    width = int(n_changed.max(initial=0))
    # a stable sort puts the flipped positions first, in neuron order
    J = np.argsort(~changed, axis=1, kind="stable")[:, :width]
    return J, n_changed


def _new_trajectory(S, max_steps, return_trajectory):
    if not return_trajectory:
        return None
    return np.repeat(S[:, None, :], max_steps + 1, axis=1)


def _finish(S, ledger, converged, trajectory, period, cycle_start):
    counts = ledger.counts
    n_steps, n_events = counts["steps"].copy(), counts["events"].copy()
    if trajectory is not None:
        # Steps after convergence stay at the fixed point.
        last = n_steps[:, None, None]
        steps = np.arange(trajectory.shape[1])[None, :, None]
        trajectory = np.where(steps > last, S[:, None, :], trajectory)
    return RetrievalResult(
        states=S,
        n_steps=n_steps,
        n_events=n_events,
        converged=converged,
        period=period,
        cycle_start=cycle_start,
        trajectory=trajectory,
        counts=counts,
    )


def _splitmix64(x):
    """SplitMix64 finaliser on a uint64 array (wraps modulo 2**64)."""
    x = x + _U64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def row_seeds(S, seed):
    """One 64-bit seed per row from ``seed`` and the row's content.

    Hashing the content (not the row index) makes a cue's asynchronous update
    order, hence its result, independent of the batch it comes in.
    """
    n_features = S.shape[1]
    weights = _splitmix64(np.arange(n_features, dtype=_U64))
    content = np.where(S > 0, weights, _U64(0)).sum(axis=1, dtype=_U64)
    return _splitmix64(content ^ _splitmix64(np.full(len(S), seed, dtype=_U64)))


def _permutations(seeds, sweep, n_features):
    keys = seeds[:, None] ^ _splitmix64(np.array([sweep], dtype=_U64))
    keys = _splitmix64(keys + np.arange(n_features, dtype=_U64)[None, :])
    return np.argsort(keys, axis=1, kind="stable")
