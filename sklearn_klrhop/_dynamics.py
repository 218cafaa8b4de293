"""Synchronous and asynchronous retrieval on the encoder / kernel / decoder engine."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass, field

import numpy as np

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
    energy : ndarray of shape (n_cues,)
        Pseudo-energy ``V(s) = -sum_i s_i h_i(s)`` of the final states.
    trajectory : ndarray of shape (n_cues, max_steps + 1, n_features) or None
        States after each step (index 0 is the cue), padded with the final
        state once a cue has converged. Only with ``return_trajectory=True``.
    counts : dict of str to ndarray of shape (n_cues,)
        Work done by the engine per cue: ``field_evaluations`` (local fields
        computed), ``kernel_evaluations`` (kernel units evaluated from scratch)
        and ``kernel_updates`` (kernel units updated incrementally after a
        flip). Synchronous steps evaluate every field and every unit; an
        asynchronous sweep visits every neuron once and updates each kernel unit
        once per flip.
    """

    states: np.ndarray
    n_steps: np.ndarray
    n_events: np.ndarray
    converged: np.ndarray
    energy: np.ndarray
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

    def fields(self, S, q=None):
        """Local fields divided by a positive factor ``exp(log_scale)`` per row."""
        if q is None:
            q = self.overlaps(S)
        k, log_scale = self.activation(q)
        H = k if self.decoder is None else k @ self.decoder
        if self.diagonal is not None:
            H = H + (S * self.diagonal) * np.exp(-log_scale)[:, None]
        return H, log_scale

    def true_fields(self, S):
        H, log_scale = self.fields(S)
        return H * np.exp(log_scale)[:, None]

    def energy(self, S):
        return -np.einsum("ij,ij->i", S, self.true_fields(S))


def _sign(H):
    # sign(0) = +1, the documented tie rule.
    return np.where(H >= 0, 1.0, -1.0)


def run_sync(engine, S, max_steps, return_trajectory=False):
    """Synchronous dynamics ``s <- sign(h(s))`` for every cue at once."""
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    n_steps = np.zeros(n_cues, dtype=np.int64)
    n_events = np.zeros(n_cues, dtype=np.int64)
    converged = np.zeros(n_cues, dtype=bool)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    active = np.arange(n_cues)
    for step in range(1, max_steps + 1):
        if active.size == 0:
            break
        S_active = S[active]
        new = _sign(engine.fields(S_active)[0])
        n_changed = np.count_nonzero(new != S_active, axis=1)
        S[active] = new
        n_steps[active] += 1
        n_events[active] += n_changed
        stable = n_changed == 0
        converged[active[stable]] = True
        active = active[~stable]
        if trajectory is not None:
            trajectory[:, step] = S
    counts = {
        "field_evaluations": n_steps * n_features,
        "kernel_evaluations": n_steps * engine.n_units,
        "kernel_updates": np.zeros(n_cues, dtype=np.int64),
    }
    return _finish(engine, S, n_steps, n_events, converged, trajectory, counts)


def run_async(engine, S, max_steps, row_seeds, return_trajectory=False):
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
    """
    S = np.array(S, dtype=float)
    n_cues, n_features = S.shape
    n_steps = np.zeros(n_cues, dtype=np.int64)
    n_events = np.zeros(n_cues, dtype=np.int64)
    converged = np.zeros(n_cues, dtype=bool)
    kernel_evaluations = np.zeros(n_cues, dtype=np.int64)
    trajectory = _new_trajectory(S, max_steps, return_trajectory)
    q = engine.overlaps(S)
    H = engine.fields(S, q)[0]
    kernel_evaluations += engine.n_units
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
            q[rows] -= (2 * s_old)[:, None] * engine.encoder[:, j].T
            H[rows] = engine.fields(S[rows], q[rows])[0]
            n_events[rows] += 1
            flipped[scanning] = True
            pointer[scanning] = at + 1
        n_steps[active] += 1
        converged[active[~flipped]] = True
        active = active[flipped]
        if trajectory is not None:
            trajectory[:, sweep + 1] = S
    counts = {
        "field_evaluations": n_steps * n_features,
        "kernel_evaluations": kernel_evaluations,
        "kernel_updates": n_events * engine.n_units,
    }
    return _finish(engine, S, n_steps, n_events, converged, trajectory, counts)


def _new_trajectory(S, max_steps, return_trajectory):
    if not return_trajectory:
        return None
    return np.repeat(S[:, None, :], max_steps + 1, axis=1)


def _finish(engine, S, n_steps, n_events, converged, trajectory, counts):
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
        energy=engine.energy(S),
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
