"""The outcome of a retrieval: states, steps, events and the event ledger."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass, field, fields

import numpy as np


@dataclass
class RetrievalResult:
    """Outcome of retrieving a batch of cues.

    Returned by ``retrieve`` of every memory; every field is also an
    attribute.

    Parameters
    ----------
    states : ndarray of shape (n_cues, n_features)
        Final states: in the memory's encoding when a memory's ``retrieve``
        returns them, -1 / +1 inside the engine. A one-step map to targets
        of another width (see :func:`retrieve`) answers its images, of shape
        (n_cues, n_outputs).
    n_steps : ndarray of shape (n_cues,)
        Synchronous steps, or asynchronous sweeps of N single-neuron updates,
        performed per cue, including the last one that confirmed the fixed point.
    n_events : ndarray of shape (n_cues,)
        Bit flips per cue. Asynchronously an event is one update that flipped a
        bit; synchronously it is the number of bits each step changed.
    converged : ndarray of shape (n_cues,)
        Whether the cue reached a fixed point within ``max_steps``.
    period : ndarray of shape (n_cues,) of int
        Length of the cycle the dynamics fell into: 1 for a fixed point, k
        for a limit cycle of k states (a stored sequence of k patterns is
        replayed as a cycle of period k), 0 when no state repeated within
        ``max_steps`` (a cycle longer than the run, or no cycle yet).
        Synchronous dynamics are a map of the state, so the first repeated
        state closes the cycle; asynchronous ones draw a new update order
        every sweep and report 1 for a fixed point, 0 otherwise.
    cycle_start : ndarray of shape (n_cues,) of int
        Step at which the cycle was entered: the first step whose state
        belongs to it (0 when the cue itself does), -1 when ``period`` is 0.
        A fixed point reached at step t and confirmed at step t + 1 has
        ``cycle_start = t``.
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

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(60, 30, random_state=0)
    >>> mem = KLRHopfieldMemory(random_state=0).fit(X)
    >>> result = mem.retrieve(corrupt(X[:5], 0.1, random_state=0), update="async")
    >>> result
    RetrievalResult(n_cues=5, converged=5/5, mean_steps=2.00, mean_events=3.00)
    >>> result.n_events.tolist(), result.counts["events"].tolist()
    ([3, 3, 3, 3, 3], [3, 3, 3, 3, 3])
    """

    states: np.ndarray
    n_steps: np.ndarray
    n_events: np.ndarray
    converged: np.ndarray
    period: np.ndarray | None = None
    cycle_start: np.ndarray | None = None
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


def concatenate(results):
    """One :class:`RetrievalResult` from the results of consecutive batches."""
    if len(results) == 1:
        return results[0]
    parts = {}
    for f in fields(RetrievalResult):
        values = [getattr(r, f.name) for r in results]
        if f.name == "counts":
            parts["counts"] = {
                k: np.concatenate([c[k] for c in values]) for k in values[0]
            }
        elif values[0] is not None:
            parts[f.name] = np.concatenate(values)
    return RetrievalResult(**parts)
