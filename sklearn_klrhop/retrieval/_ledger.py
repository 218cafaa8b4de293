"""Event ledger: per-cue counters of the work the retrieval engine performs."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

# Every counter the engine fills, with the unit of work it counts. The engine
# increments them where the work happens (see ``_dynamics``); nothing here is
# re-derived from the final states.
METRICS = {
    "events": "bit flips (state changes of one neuron)",
    "steps": "synchronous steps, or sweeps of the asynchronous update order",
    "barriers": "global synchronisations (end of a step or sweep, quiescence check)",
    "field_evaluations": (
        "neuron state decisions: synchronous and asynchronous evaluate a "
        "neuron's field from all kernel units (N per step or sweep); "
        "event-driven decides only when a kept field crosses zero (one per event)"
    ),
    "neuron_updates": (
        "membrane updates: a neuron's field recomputed or changed by incoming "
        "kernel-unit changes"
    ),
    "kernel_evaluations": "kernel units evaluated from overlaps computed from scratch",
    "kernel_updates": "kernel units updated after a flip (n_units per flip)",
    "propagated": "kernel-unit values or changes sent to the neurons (event-driven)",
    "accumulates": "additions of +/-1-weighted inputs (encoder, overlap updates, diagonal)",
    "macs": "multiply-accumulates of a kernel value by a decoder coefficient",
    "coef_reads": "words of the decoder (dual_coef_) read",
    "encoder_reads": "entries of the encoder (pattern bits for kernel memories) read",
}


class Ledger:
    """Per-cue integer counters, incremented by the engine as it works.

    Parameters
    ----------
    n_cues : int
        Number of cues of the batch.

    Attributes
    ----------
    counts : dict of str to ndarray of shape (n_cues,)
        One int64 counter per metric of ``METRICS``.
    """

    def __init__(self, n_cues):
        self.counts = {name: np.zeros(n_cues, dtype=np.int64) for name in METRICS}

    def add(self, metric, rows, amount):
        """Add ``amount`` (scalar or one value per row) to ``metric`` of ``rows``.

        ``rows`` must not repeat an index (the engine passes sets of cues).
        """
        if np.ndim(amount) == 0 and amount == 0:
            return
        self.counts[metric][rows] += np.asarray(amount, dtype=np.int64)
