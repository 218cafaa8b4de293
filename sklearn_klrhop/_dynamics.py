"""Synchronous and asynchronous retrieval on the encoder / kernel / decoder engine."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ._ledger import Ledger

_U64 = np.uint64


@dataclass
class RetrievalResult:
    """Outcome of retrieving a batch of cues.

    Attributes
    ----------
    states : ndarray of shape (n_cues, n_features)
        Final bipolar states (+1 / -1).
    n_steps : ndarray of shape (n_cues,)
        Synchronous steps, or asynchronous sweeps of N single-neuron updates,
        performed per cue, including the last one that confirmed the fixed point.
    n_events : ndarray of shape (n_cues,)
        Bit flips per cue. Asynchronously an event is one update that flipped a
        bit; synchronously it is the number of bits each step changed.
    converged : ndarray of shape (n_cues,)
        Whether the cue reached a fixed point within ``max_steps``.
    energy : ndarray of shape (n_cues,) or None
        Pseudo-energy ``V(s) = -sum_i s_i h_i(s)`` of the final states, filled
        in by ``retrieve`` (the engine functions leave it None: ``predict`` and
        ``score`` do not pay for it).
    trajectory : ndarray of shape (n_cues, max_steps + 1, n_features) or None
        States after each step (index 0 is the cue), padded with the final
        state once a cue has converged. Only with ``return_trajectory=True``.
    counts : dict of str to ndarray of shape (n_cues,)
        Event ledger: the work done per cue, counted by the engine where it
        happens, under the execution model that ran (synchronous: dense steps;
        asynchronous: lazy field per visited neuron; event-driven: fields kept
        current by propagated kernel-unit changes). Keys: ``events``,
        ``steps``, ``barriers``, ``field_evaluations``, ``neuron_updates``,
        ``kernel_evaluations``, ``kernel_updates`` (n_units per flip),
        ``propagated``, ``accumulates``, ``macs``, ``coef_reads`` and
        ``encoder_reads``; see ``sklearn_klrhop.neuromorphic`` for their
        definitions.
    """

    states: np.ndarray
    n_steps: np.ndarray
    n_events: np.ndarray
    converged: np.ndarray
    energy: np.ndarray | None = None
    trajectory: np.ndarray | None = None
    counts: dict = field(default_factory=dict)

    def __repr__(self):
        n = len(self.states)
        return (
            f"RetrievalResult(n_cues={n}, converged={int(self.converged.sum())}/{n}, "
            f"mean_steps={self.n_steps.mean() if n else 0:.2f}, "
            f"mean_events={self.n_events.mean() if n else 0:.2f})"
        )


class Engine:
    """Two-layer form shared by every memory: ``H = g(S E^T) A + S * d``.

    Parameters
    ----------
    encoder : ndarray of shape (n_units, n_features)
        E; the overlaps are ``q = S E^T``. For kernel memories, the patterns.
    activation : callable
        ``activation(q) -> (k, log_scale)``: g applied to the overlaps, up to a
        positive factor ``exp(log_scale)`` per row (see ``overlap_kernel``).
    decoder : ndarray of shape (n_units, n_features) or None
        A; ``None`` means the identity (then ``n_units == n_features``).
    diagonal : ndarray of shape (n_features,) or None
        Optional self-coupling d added to the fields as ``S * d``.
    """

    def __init__(self, encoder, activation, decoder=None, diagonal=None):
        self.encoder = encoder
        self.activation = activation
        self.decoder = decoder
        self.diagonal = diagonal

    @property
    def n_units(self):
        return self.encoder.shape[0]

    def overlaps(self, S):
        return S @ self.encoder.T

    @property
    def _decoder_scale(self):
        if self.decoder is None:
            return 1.0
        return float(np.max(np.abs(self.decoder), initial=0.0))

    def _fields(self, S, q):
        if q is None:
            q = self.overlaps(S)
        k, log_scale = self.activation(q)
        H = k if self.decoder is None else k @ self.decoder
        bound = _row_abs_sum(k) * self._decoder_scale
        if self.diagonal is not None:
            extra = (S * self.diagonal) * np.exp(-log_scale)[:, None]
            H = H + extra
            bound = bound + np.abs(extra).max(axis=1, initial=0.0)
        return H, log_scale, bound

    def fields(self, S, q=None):
        """Local fields divided by a positive factor ``exp(log_scale)`` per row."""
        H, log_scale, _ = self._fields(S, q)
        return H, log_scale

    def decision_fields(self, S, q=None):
        """Fields whose sign is the next state, ties included (see ``TIE_RTOL``)."""
        H, _, bound = self._fields(S, q)
        return H + (TIE_RTOL * bound)[:, None]

    def true_fields(self, S):
        H, log_scale = self.fields(S)
        return H * np.exp(log_scale)[:, None]

    def energy(self, S):
        return -np.einsum("ij,ij->i", S, self.true_fields(S))


# A field within this fraction of its largest possible magnitude (sum_mu |k_mu|
# times max |A|) is a tie and goes to +1. Rounding differs between a one-row and
# a many-row matrix product (different BLAS kernels and summation orders), so
# without this margin the sign of an exact tie, e.g. a state orthogonal to a
# pattern stored with both signs, would depend on the batch the cue came in.
TIE_RTOL = 1e-10


def _row_abs_sum(k):
    if sparse.issparse(k):
        return np.asarray(abs(k).sum(axis=1)).ravel()
    return np.abs(k).sum(axis=1)


def _dense(k):
    return k.toarray() if sparse.issparse(k) else k


def _sign(H):
    # sign(0) = +1, the documented tie rule.
    return np.where(H >= 0, 1.0, -1.0)


def _dense_pass(engine, ledger, rows):
    """Overlaps of ``rows`` computed from scratch and every kernel unit evaluated."""
    n_features, n_units = engine.encoder.shape[1], engine.n_units
    ledger.add("accumulates", rows, n_features * n_units)
    ledger.add("encoder_reads", rows, n_features * n_units)
    ledger.add("kernel_evaluations", rows, n_units)


def _evaluate_fields(engine, ledger, rows):
    """Every field of ``rows`` evaluated from all kernel units (one step or sweep)."""
    n_features, n_units = engine.encoder.shape[1], engine.n_units
    ledger.add("field_evaluations", rows, n_features)
    ledger.add("neuron_updates", rows, n_features)
    if engine.decoder is not None:
        ledger.add("macs", rows, n_features * n_units)
        ledger.add("coef_reads", rows, n_features * n_units)
    if engine.diagonal is not None:
        ledger.add("accumulates", rows, n_features)
    ledger.add("steps", rows, 1)
    ledger.add("barriers", rows, 1)


def _flip_work(engine, ledger, rows):
    """One flip per row: the overlaps move by +/-2 E[:, j], every unit is updated."""
    n_units = engine.n_units
    ledger.add("events", rows, 1)
    ledger.add("accumulates", rows, n_units)
    ledger.add("encoder_reads", rows, n_units)
    ledger.add("kernel_updates", rows, n_units)


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


def run_sync(engine, S, max_steps, return_trajectory=False):
    """Synchronous dynamics ``s <- sign(h(s))`` for every cue at once.

    Priced as a dense execution: every step computes the overlaps from scratch,
    evaluates every kernel unit and every field, and ends with a barrier; the
    counts of this work are in ``RetrievalResult.counts``.
    """
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    ledger = Ledger(n_cues)
    converged = np.zeros(n_cues, dtype=bool)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    active = np.arange(n_cues)
    for step in range(1, max_steps + 1):
        if active.size == 0:
            break
        S_active = S[active]
        new = _sign(engine.decision_fields(S_active))
        _dense_pass(engine, ledger, active)
        _evaluate_fields(engine, ledger, active)
        n_changed = np.count_nonzero(new != S_active, axis=1)
        S[active] = new
        ledger.add("events", active, n_changed)
        stable = n_changed == 0
        converged[active[stable]] = True
        active = active[~stable]
        if trajectory is not None:
            trajectory[:, step] = S
    return _finish(S, ledger, converged, trajectory)


EXECUTIONS = ("asynchronous", "event_driven")


def run_async(
    engine,
    S,
    max_steps,
    row_seeds,
    return_trajectory=False,
    *,
    execution="asynchronous",
    delta_threshold=None,
):
    """Asynchronous dynamics: sweeps of N single-neuron updates in random order.

    Each sweep visits the neurons of every cue in a fresh permutation drawn from
    that cue's seed; each update uses the current state. A flip of neuron j
    changes the overlaps by ``-2 s_j E[:, j]``, an O(n_units) update.

    The fields of a cue are only invalidated by a flip, so after computing them
    once every update up to the next flip in permutation order is read off them
    at no cost; the cue then flips, its overlaps are updated in O(n_units) and its
    fields refreshed. One round therefore handles the next event of every cue at
    once with a single matrix product, and the number of Python-level rounds is
    the number of events, not the number of neurons.

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
    execution : {"asynchronous", "event_driven"}, default="asynchronous"
        How the work is priced in ``counts``. ``"asynchronous"``: every visit
        evaluates the visited neuron's field from all kernel units (lazy
        fields). ``"event_driven"``: every field is kept current and changed
        only when a kernel unit propagates a change after a flip; a neuron
        decides only when its kept field crosses zero. Both follow the same
        update order, so with ``delta_threshold=None`` they retrieve the same
        states.
    delta_threshold : float >= 0 or None, default=None
        Event-driven only. ``None``: every changed kernel unit is propagated and
        the fields are exact. A float ``eps``: sigma-delta propagation; a unit
        sends the difference between its value and the value it last sent only
        when that difference exceeds ``eps`` times the largest kernel value of
        the cue's current state. The neurons then act on the fields they hold,
        which differ from the exact ones by the residues not yet sent, so the
        retrieved states can change.
    """
    if execution not in EXECUTIONS:
        raise ValueError(f"execution must be one of {EXECUTIONS}; got {execution!r}.")
    if delta_threshold is not None and execution != "event_driven":
        raise ValueError(
            "delta_threshold applies to execution='event_driven' only; got "
            f"execution={execution!r}."
        )
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    ledger = Ledger(n_cues)
    event_driven = execution == "event_driven"
    converged = np.zeros(n_cues, dtype=bool)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    q = engine.overlaps(S)
    everyone = np.arange(n_cues)
    _dense_pass(engine, ledger, everyone)
    if delta_threshold is None:
        fields = _ExactFields(engine, S, q)
    else:
        fields = _SigmaDeltaFields(engine, S, q, delta_threshold)
    if event_driven:
        _propagation_work(engine, ledger, everyone, fields.initially_sent)
        if engine.diagonal is not None:
            ledger.add("accumulates", everyone, n_features)
    H = fields.H
    # Columns of the encoder as contiguous rows: one is read per flip.
    encoder_t = np.ascontiguousarray(engine.encoder.T)
    positions = np.arange(n_features)
    active = np.arange(n_cues)
    for sweep in range(max_steps):
        if active.size == 0:
            break
        perm = _permutations(row_seeds[active], sweep, n_features)
        flipped = np.zeros(active.size, dtype=bool)
        pointer = np.zeros(active.size, dtype=np.int64)
        scanning = np.arange(active.size)  # indices into `active`
        while scanning.size:
            rows = active[scanning]
            order = perm[scanning]
            wrong = np.take_along_axis(_sign(H[rows]), order, axis=1) != (
                np.take_along_axis(S[rows], order, axis=1)
            )
            wrong &= positions >= pointer[scanning, None]
            has_event = wrong.any(axis=1)
            scanning = scanning[has_event]
            if scanning.size == 0:
                break
            at = wrong[has_event].argmax(axis=1)
            rows = rows[has_event]
            j = perm[scanning, at]
            s_old = S[rows, j]
            S[rows, j] = -s_old
            q[rows] -= (2 * s_old)[:, None] * encoder_t[j]
            sent = fields.flip(rows, j, S, q)
            _flip_work(engine, ledger, rows)
            if event_driven:
                ledger.add("field_evaluations", rows, 1)
                _propagation_work(engine, ledger, rows, sent)
                if engine.diagonal is not None:
                    ledger.add("accumulates", rows, 1)
            flipped[scanning] = True
            pointer[scanning] = at + 1
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
    return _finish(S, ledger, converged, trajectory)


class _ExactFields:
    """Fields recomputed exactly after every flip of a cue."""

    def __init__(self, engine, S, q):
        self.engine = engine
        self.H = engine.decision_fields(S, q)
        self.initially_sent = np.full(len(S), engine.n_units, dtype=np.int64)
        # A flip of neuron j changes exactly the units with E[mu, j] != 0.
        self._changed = np.count_nonzero(engine.encoder, axis=0)

    def flip(self, rows, j, S, q):
        self.H[rows] = self.engine.decision_fields(S[rows], q[rows])
        return self._changed[j]


class _SigmaDeltaFields:
    """Fields kept by the neurons from the kernel-unit changes sent to them.

    Every unit remembers the value it last sent (``sent_k``) and sends the
    difference to its current value only when it exceeds ``eps`` times the
    largest kernel value of the state; the neurons hold
    ``sent_k @ A + S * d``. Values are kept relative to the per-cue factor
    ``exp(log_scale)`` of the activation; when that factor changes, the kept
    values are rescaled, which changes no sign.
    """

    def __init__(self, engine, S, q, eps):
        self.engine, self.eps = engine, float(eps)
        k, self.log_scale = engine.activation(q)
        k = _dense(k)
        send = self._exceeds(k, k)
        self.sent_k = np.where(send, k, 0.0)
        self.kept = self._decode(self.sent_k)
        self.initially_sent = np.count_nonzero(send, axis=1).astype(np.int64)
        self.H = np.empty_like(S)
        self._refresh(np.arange(len(S)), S)

    def _exceeds(self, delta, k):
        limit = self.eps * np.abs(k).max(axis=1, initial=0.0)
        return np.abs(delta) > limit[:, None]

    def _decode(self, k):
        return k if self.engine.decoder is None else k @ self.engine.decoder

    def _refresh(self, rows, S):
        H = self.kept[rows]
        bound = _row_abs_sum(self.sent_k[rows]) * self.engine._decoder_scale
        if self.engine.diagonal is not None:
            rescale = np.exp(-self.log_scale[rows])[:, None]
            extra = (S[rows] * self.engine.diagonal) * rescale
            H = H + extra
            bound = bound + np.abs(extra).max(axis=1, initial=0.0)
        self.H[rows] = H + (TIE_RTOL * bound)[:, None]

    def flip(self, rows, j, S, q):
        k, log_scale = self.engine.activation(q[rows])
        k = _dense(k)
        factor = np.exp(self.log_scale[rows] - log_scale)[:, None]
        self.log_scale[rows] = log_scale
        sent_k = self.sent_k[rows] * factor
        delta = k - sent_k
        send = self._exceeds(delta, k)
        delta = np.where(send, delta, 0.0)
        self.sent_k[rows] = sent_k + delta
        self.kept[rows] = self.kept[rows] * factor + self._decode(delta)
        self._refresh(rows, S)
        return np.count_nonzero(send, axis=1)


def _new_trajectory(S, max_steps, return_trajectory):
    if not return_trajectory:
        return None
    return np.repeat(S[:, None, :], max_steps + 1, axis=1)


def _finish(S, ledger, converged, trajectory):
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
