"""Field keepers of asynchronous retrieval: exact, sigma-delta and local.

A keeper answers, for a batch of cues, where in its visiting order each cue's
next event is (the first neuron whose decision disagrees with its state), and
is told of every flip. :class:`ExactFields` and :class:`SigmaDeltaFields` keep
every field of a cue; :class:`LocalFields` keeps only the few kernel units that
matter and certifies each decision against a bound on the rest.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse

from ._engine import TIE_RTOL, _dense, _row_abs_sum, _sign


def make_fields(engine, S, q, delta_threshold=None):
    """The keeper for ``engine``: sigma-delta, local or exact.

    The local keeper pays off only for cues near a stored pattern: a cue with
    too many comparable kernel values has no support, and each of its flips
    then costs an exact pass plus the search around it, more than the exact
    keeper's refresh. So when fewer than ``LocalFields.MIN_SUPPORTED`` of the
    cues have a support after the first exact pass, the exact keeper takes
    over from that pass (same answers either way).
    """
    if delta_threshold is not None:
        return SigmaDeltaFields(engine, S, q, delta_threshold)
    if not LocalFields.applies_to(engine):
        return ExactFields(engine, S, q)
    local = LocalFields(engine, S, q)
    supported = np.count_nonzero(local.k_ref, axis=1) > 0
    if len(S) and supported.mean() >= LocalFields.MIN_SUPPORTED:
        return local
    return ExactFields(engine, S, q, H=local.H + (TIE_RTOL * local.bound)[:, None])


class _Keeper:
    """What every keeper tells the ledger: the kernel units a flip changes."""

    _changed = None  # units with E[mu, j] != 0, per neuron j

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


class LocalFields(_Keeper):
    """Exact asynchronous decisions from the few kernel units that dominate.

    For an exponential activation ``k_mu = exp(c q_mu)`` (up to a factor per
    cue) a cue close to a stored pattern has one or a few kernel values near
    the largest and all others many orders of magnitude below: the Gram
    matrix and the fields are numerically local. The keeper refreshes a cue
    exactly (overlaps, kernel, fields: one row product, as
    :class:`ExactFields` does after every flip), and then keeps

    * the fields ``H_ref`` of that moment and the overlaps of the *support*,
      the units with ``k_mu >= SUPPORT_CUTOFF`` times the largest (exactly
      updated at every flip, O(support));
    * the *tail* mass ``T = sum of the other k_mu``. A flip moves every
      overlap by exactly +/-2, so after f flips each tail value lies within
      a factor ``exp(2 c f)`` of its value at the refresh, and the tail's
      contribution to field i has moved by at most
      ``T (exp(2 c f) - 1) max_mu |A[mu, i]|``.

    A neuron's field is then known to within that bound (plus an allowance
    for rounding, a few ulps of the sums), and its decision is certified when the
    interval, tie margin included, does not contain zero. Only undecided
    neurons (or a tail grown too large) make the cue refresh; right after a
    refresh every decision is the exact one. The states, events and steps
    are those of :class:`ExactFields`, but at the papers' gamma = 0.1,
    N = 200 an event costs O(support) instead of a P x N row product.
    """

    SUPPORT_CUTOFF = 1e-6
    MIN_SUPPORTED = 0.5  # share of cues with a support (see make_fields)
    MAX_SUPPORT = 16  # a cue needing more is refreshed at every flip
    WINDOW = 48  # positions examined per round of the search
    AHEAD = 8  # further flips a settled decision must survive
    MAX_GROWTH = 300.0  # refresh before exp(2 c f) could overflow

    @staticmethod
    def applies_to(engine):
        return (
            engine.locality is not None
            and engine.decoder is not None
            and engine.diagonal is None
        )

    def __init__(self, engine, S, q):
        self.engine = engine
        self.c = float(engine.locality)
        n_cues, self.n_features = S.shape
        # flat takes below need C order
        self.A = np.ascontiguousarray(engine.decoder)
        self.encoder = np.ascontiguousarray(engine.encoder)
        self.col_max = engine.decoder_col_max
        self.scale = engine.decoder_scale
        # A bound on the rounding of a P-term sum, relative to the sum of the
        # magnitudes of its terms (below TIE_RTOL up to P ~ 1e5 units; beyond,
        # near-ties only refresh more often).
        self.rounding = 4 * engine.n_units * np.finfo(float).eps
        self.initially_sent = np.full(n_cues, engine.n_units, dtype=np.int64)
        self.S_ref, self.q_ref = S.copy(), q
        self.H = np.empty(S.shape)
        self.bound = np.empty(n_cues)
        self.log_scale = np.empty(n_cues)
        self.tail = np.zeros(n_cues)
        self.flips = np.zeros(n_cues, dtype=np.int64)
        self.idx = np.zeros((n_cues, 0), dtype=np.intp)
        self.k_ref = np.zeros((n_cues, 0))
        self.k_now = np.zeros((n_cues, 0))
        self.q_sup = np.zeros((n_cues, 0))
        self._refresh(np.arange(n_cues), S, q)

    def _refresh(self, rows, S, q=None):
        """Exact overlaps, kernel and fields of ``rows``; a new support.

        ``q``: the overlaps of ``rows`` when they are known to be current.
        """
        if q is None:
            moved = S[rows] - self.S_ref[rows]
            # q = S E^T: only the flipped columns of E are read
            self.q_ref[rows] += sparse.csr_matrix(moved) @ self.encoder.T
            self.S_ref[rows] = S[rows]
            q = self.q_ref[rows]
        k, H, log_scale, bound = self.engine.kernel_fields(None, q)
        self.H[rows], self.bound[rows], self.log_scale[rows] = H, bound, log_scale
        self.flips[rows] = 0
        r, mu = np.divmod(np.flatnonzero(k >= self.SUPPORT_CUTOFF), k.shape[1])
        counts = np.bincount(r, minlength=len(rows))
        crowded = counts > self.MAX_SUPPORT
        if crowded.any():
            r, mu = r[~crowded[r]], mu[~crowded[r]]
            counts[crowded] = 0
        width = int(counts.max(initial=0))
        if width > self.idx.shape[1]:
            pad = width - self.idx.shape[1]
            self.idx = np.pad(self.idx, ((0, 0), (0, pad)))
            self.k_ref = np.pad(self.k_ref, ((0, 0), (0, pad)))
            self.k_now = np.pad(self.k_now, ((0, 0), (0, pad)))
            self.q_sup = np.pad(self.q_sup, ((0, 0), (0, pad)))
        # scatter the kept units of each row to the front of its support row
        slot = np.arange(len(r)) - np.repeat(np.cumsum(counts) - counts, counts)
        for name in ("idx", "k_ref", "q_sup"):
            getattr(self, name)[rows] = 0
        self.idx[rows[r], slot] = mu
        self.k_ref[rows[r], slot] = k[r, mu]
        self.q_sup[rows[r], slot] = q[r, mu]
        self.k_now[rows] = self.k_ref[rows]
        k_sum = bound / self.scale if self.scale > 0 else k.sum(axis=1)
        # The tail is the sum minus the support: the difference cannot resolve
        # a tail below the rounding of the sum, so that rounding is added (a
        # tail taken as zero would be allowed to grow without any bound).
        tail = np.maximum(k_sum - self.k_ref[rows].sum(axis=1), 0.0)
        self.tail[rows] = tail + self.rounding * k_sum

    def _decide(self, rows, j):
        """Certified decisions of neurons ``j`` (n x W) of ``rows``.

        Returns ``(plus, minus, plus_ahead, minus_ahead)``: the exact rule
        certainly gives +1, resp. -1, now, and after any ``AHEAD`` further
        flips of the cue (neither: undecided).
        """
        n_features, c = self.n_features, self.c
        est = np.take(self.H, rows[:, None] * n_features + j)
        k_now, k_ref = self.k_now[rows], self.k_ref[rows]
        flips, tail = self.flips[rows], self.tail[rows]
        if k_now.shape[1]:
            units = self.idx[rows][:, :, None] * n_features + j[:, None, :]
            A_sup = np.take(self.A, units)
            now = k_now[:, :, None] * A_sup
            base = est - np.einsum("ns,nsw->nw", k_ref, A_sup)
            support = now.sum(axis=1)
            est = base + support
            # after m more flips each support value is within exp(2 c m)
            np.maximum(now, 0, out=now)
            up = now.sum(axis=1)
            down = support - up
        else:
            base, up, down = est, 0.0, 0.0
        k_sum = k_now.sum(axis=1)
        col_max = self.col_max[j]
        decisions = []
        for ahead in (0, self.AHEAD):
            # exp(2 c m) bounds the change of any kernel value over m flips;
            # past MAX_GROWTH nothing is certified (and nothing overflows)
            spread = 2 * c * (flips + ahead)
            bounded = spread <= self.MAX_GROWTH
            g = np.exp(min(2 * c * ahead, self.MAX_GROWTH))
            growth = np.exp(np.minimum(spread, self.MAX_GROWTH))
            hi_sum = k_sum * g + tail * growth
            slack = self.rounding * (hi_sum * self.scale + self.bound[rows])
            tie_lo = TIE_RTOL * self.scale * (k_sum / g + tail / growth)
            tie_hi = TIE_RTOL * self.scale * hi_sum
            if ahead == 0:
                lo = hi = est
                # right after a refresh the fields are exact: the exact rule
                exact = flips == 0
                tie_lo[exact] = tie_hi[exact] = TIE_RTOL * self.bound[rows[exact]]
                slack[exact] = 0.0
            else:
                lo, hi = base + up / g + down * g, base + up * g + down / g
            # the slack is already in field units: it is not scaled by |A|
            reach = (tail * (growth - 1))[:, None] * col_max + slack[:, None]
            decisions += [(lo - reach + tie_lo[:, None] >= 0) & bounded[:, None]]
            decisions += [(hi + reach + tie_hi[:, None] < 0) & bounded[:, None]]
        return decisions

    def events(self, rows, order, pointer, S):
        """The next events of each of ``rows`` in ``order`` from ``pointer``.

        Examines ``WINDOW`` positions per cue at a time. The first position
        whose decision is not a certain "stay" is an event if decided (a cue
        with an undecided neuron is refreshed and examined again from there);
        the positions after it whose decisions hold for any ``AHEAD`` further
        flips are settled too, up to ``AHEAD`` more events, so that a cue near
        a stored pattern makes several flips per round. Returns ``(count, at)``:
        the number of events of each row (0: none left in this sweep) and
        their positions, in order (``at[m, :count[m]]``).
        """
        n_features, window = self.n_features, self.WINDOW
        count = np.zeros(len(rows), dtype=np.int64)
        at = np.zeros((len(rows), self.AHEAD + 1), dtype=np.int64)
        start = np.array(pointer, dtype=np.int64)
        todo = np.arange(len(rows))
        steps = np.arange(window)
        while todo.size:
            pos = start[todo, None] + steps
            inside = pos < n_features
            np.minimum(pos, n_features - 1, out=pos)
            j = np.take(order, pos + (todo * n_features)[:, None])
            r = rows[todo]
            plus, minus, plus_ahead, minus_ahead = self._decide(r, j)
            up = np.take(S, r[:, None] * n_features + j) > 0
            stop = inside & ~np.where(up, plus, minus)
            found = stop.any(axis=1)
            first = stop.argmax(axis=1)
            # no stop in the window: move on, or finish the sweep
            start[todo[~found]] += window
            going = ~found & (start[todo] < n_features)
            # a stop: an event if decided, else refresh and look again
            pick = np.arange(len(todo)), first
            undecided = found & ~(plus[pick] | minus[pick])
            start[todo[undecided]] += first[undecided]
            if undecided.any():
                self._refresh(rows[todo[undecided]], S)
            event = found & ~undecided
            self._settle_ahead(
                todo[event],
                first[event],
                inside[event],
                np.where(up, minus_ahead, plus_ahead)[event],
                np.where(up, plus_ahead, minus_ahead)[event],
                start,
                count,
                at,
            )
            todo = todo[going | undecided]
        return count, at

    def _settle_ahead(self, todo, first, inside, wrong, stay, start, count, at):
        """Events after a cue's first one whose decisions hold AHEAD flips on."""
        if not todo.size:
            return
        steps = np.arange(inside.shape[1])
        later = inside & (steps > first[:, None])
        # the round ends at the first later position that could still change
        open_ = later & ~(wrong | stay)
        end = np.where(open_.any(axis=1), open_.argmax(axis=1), inside.sum(axis=1))
        more = later & wrong & (steps < end[:, None])
        # at most AHEAD more events: the ones after them could see more flips
        more &= np.cumsum(more, axis=1) <= self.AHEAD
        n_more = more.sum(axis=1)
        capped = n_more == self.AHEAD
        last = np.where(
            n_more > 0, inside.shape[1] - 1 - more[:, ::-1].argmax(1), first
        )
        end = np.where(capped, last + 1, end)
        base = start[todo]
        count[todo] = 1 + n_more
        at[todo, 0] = base + first
        slot = np.cumsum(more, axis=1)
        r, w = np.nonzero(more)
        at[todo[r], slot[r, w]] = base[r] + w
        start[todo] = base + end

    def flip(self, rows, J, count, S):
        """Account for the flips of a round: ``S[m, J[m, :count[m]]]``."""
        self.flips[rows] += count
        # refreshed before exp(2 c flips) could overflow
        far = 2 * self.c * self.flips[rows] > self.MAX_GROWTH
        if far.any():
            self._refresh(rows[far], S)
            rows, J, count = rows[~far], J[~far], count[~far]
        if self.idx.shape[1] and rows.size:
            flipped = np.arange(J.shape[1]) < count[:, None]
            signs = np.where(
                flipped, np.take(S, rows[:, None] * self.n_features + J), 0
            )
            units = self.idx[rows][:, :, None] * self.n_features + J[:, None, :]
            # q_mu moves by 2 s_new E[mu, j] for every flipped j
            step = np.einsum("nm,nsm->ns", 2 * signs, np.take(self.encoder, units))
            self.q_sup[rows] += step
            z = self.c * (self.q_sup[rows] - self.n_features)
            z -= self.log_scale[rows, None]
            valid = self.k_ref[rows] > 0
            self.k_now[rows] = np.where(valid, np.exp(np.where(valid, z, 0.0)), 0.0)
