"""Field keepers that hold every field: dense steps, exact and sigma-delta.

A keeper of asynchronous retrieval answers, for a batch of cues, where in its
visiting order each cue's next event is (the first neuron whose decision
disagrees with its state), and is told of every flip; a keeper of synchronous
retrieval gives the next states of every neuron. :class:`ExactFields` and
:class:`SigmaDeltaFields` keep every field of a cue, :class:`DenseSteps`
recomputes them at every step. The certified local keeper is in ``_local``.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ._engine import TIE_RTOL, _dense, _row_abs_sum, _sign


class DenseSteps:
    """Synchronous steps computed densely: overlaps, kernel and fields from scratch."""

    def __init__(self, engine):
        self.engine = engine

    def next_states(self, rows, S):
        """``sign(h(s))`` of every neuron of ``rows``, ties to +1."""
        return _sign(self.engine.decision_fields(S[rows]))

    def flip(self, rows, J, count, S):
        """Nothing is kept between steps."""


class _Keeper:
    """What every keeper tells the ledger: the kernel units a flip changes."""

    _changed = None  # units with E[mu, j] != 0, per neuron j
    fixed = None  # neurons never updated (clamped bits), or None

    def sent(self, rows, j):
        """Kernel units a flip of neuron j changes (those with E[mu, j] != 0)."""
        if self._changed is None:
            self._changed = np.count_nonzero(self.engine.encoder, axis=0)
        return self._changed[j]


class _KeptFields(_Keeper):
    """Keepers holding the decision fields ``H`` of every neuron of every cue."""

    def __init__(self, engine, q):
        self.engine, self.q = engine, q
        # Columns of the encoder as contiguous rows: one is read per flip.
        self._encoder_t = np.ascontiguousarray(engine.encoder.T)

    def events(self, rows, order, pointer, S):
        """The next event of each of ``rows`` in ``order`` from ``pointer``.

        The first position whose decision disagrees with the state. Returns
        ``(count, at)``: 1 or 0 (none left in this sweep) per row, and the
        position (``at[:, 0]``).
        """
        wrong = np.take_along_axis(_sign(self.H[rows]), order, axis=1) != (
            np.take_along_axis(S[rows], order, axis=1)
        )
        wrong &= np.arange(S.shape[1]) >= pointer[:, None]
        if self.fixed is not None:
            wrong &= ~np.take_along_axis(self.fixed[rows], order, axis=1)
        return wrong.any(axis=1).astype(np.int64), wrong.argmax(axis=1)[:, None]

    def _move_overlaps(self, rows, j, S):
        # S[rows, j] has just flipped from s_old = -S[rows, j].
        self.q[rows] += (2 * S[rows, j])[:, None] * self._encoder_t[j]

    def flip(self, rows, J, count, S):
        """Account for the flips of a round: ``S[rows, J[:, 0]]`` (one per row)."""
        self._flip(rows, J[:, 0], S)


class ExactFields(_KeptFields):
    """Fields recomputed exactly after every flip of a cue (one row product)."""

    def __init__(self, engine, S, q, H=None):
        super().__init__(engine, q)
        # H: the decision fields of S when the caller has them already
        self.H = engine.decision_fields(S, q) if H is None else H
        self.initially_sent = np.full(len(S), engine.n_units, dtype=np.int64)

    def _flip(self, rows, j, S):
        self._move_overlaps(rows, j, S)
        self.H[rows] = self.engine.decision_fields(S[rows], self.q[rows])


class SigmaDeltaFields(_KeptFields):
    """Fields kept by the neurons from the kernel-unit changes sent to them.

    Every unit remembers the value it last sent (``sent_k``) and sends the
    difference to its current value only when it exceeds ``eps`` times the
    largest kernel value of the state; the neurons hold
    ``sent_k @ A + S * d``. Values are kept relative to the per-cue factor
    ``exp(log_scale)`` of the activation; when that factor changes, the kept
    values are rescaled, which changes no sign.
    """

    def __init__(self, engine, S, q, eps):
        super().__init__(engine, q)
        self.eps = float(eps)
        k, self.log_scale = engine.activation(q)
        k = _dense(k)
        send = self._exceeds(k, k)
        self.sent_k = np.where(send, k, 0.0)
        # a copy: without a decoder _decode returns sent_k itself, and the
        # kept fields must not move when sent_k is updated
        self.kept = np.array(self._decode(self.sent_k))
        self.initially_sent = np.count_nonzero(send, axis=1).astype(np.int64)
        self._sent = np.zeros(len(S), dtype=np.int64)
        self.H = np.empty_like(S)
        self._refresh(np.arange(len(S)), S)

    def _exceeds(self, delta, k):
        limit = self.eps * np.abs(k).max(axis=1, initial=0.0)
        return np.abs(delta) > limit[:, None]

    def _decode(self, k):
        return k if self.engine.decoder is None else k @ self.engine.decoder

    def _refresh(self, rows, S):
        H = self.kept[rows]
        bound = _row_abs_sum(self.sent_k[rows]) * self.engine.decoder_scale
        if self.engine.diagonal is not None:
            rescale = np.exp(-self.log_scale[rows])[:, None]
            extra = (S[rows] * self.engine.diagonal) * rescale
            H = H + extra
            bound = bound + np.abs(extra).max(axis=1, initial=0.0)
        self.H[rows] = H + (TIE_RTOL * bound)[:, None]

    def sent(self, rows, j):
        """Kernel units whose change the last flips of ``rows`` sent."""
        return self._sent[rows]

    def _flip(self, rows, j, S):
        # units send their changes
        self._move_overlaps(rows, j, S)
        k, log_scale = self.engine.activation(self.q[rows])
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
        self._sent[rows] = np.count_nonzero(send, axis=1)
