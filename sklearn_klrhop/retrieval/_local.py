"""The certified local keeper, and the choice of keeper for a batch of cues.

:class:`LocalFields` keeps only the few kernel units that matter and certifies
each decision against a bound on the rest; :func:`make_fields` and
:func:`make_sync_fields` choose it, or a keeper of ``_fields``, for a batch.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse

from ._engine import TIE_RTOL
from ._fields import DenseSteps, ExactFields, SigmaDeltaFields, _Keeper


def make_fields(engine, S, q=None, delta_threshold=None):
    """The keeper of asynchronous retrieval for ``engine``: sigma-delta, local or exact.

    The local keeper pays off only for cues near a stored pattern: when the
    kernel values outside a cue's few largest ones add up to a sizeable part
    of the largest (a broad kernel), no decision can be certified from the
    support and every flip would cost an exact pass plus the search around
    it, more than the exact keeper's refresh. So when fewer than
    ``LocalFields.MIN_SUPPORTED`` of the cues have a tail of at most
    ``LocalFields.MAX_TAIL`` after the first pass, the exact keeper takes over
    (same answers either way).
    """
    if delta_threshold is not None:
        return SigmaDeltaFields(engine, S, _overlaps(engine, S, q), delta_threshold)
    local = LocalFields.for_batch(engine, S, q)
    return ExactFields(engine, S, _overlaps(engine, S, q)) if local is None else local


def _overlaps(engine, S, q):
    """The float64 overlaps of S: ``q`` when given, else computed."""
    return engine.overlaps(S) if q is None else q.astype(np.float64, copy=False)


def make_sync_fields(engine, S, fixed=None):
    """The keeper of synchronous retrieval: local (certified) or dense steps.

    ``fixed``: the neurons never updated (clamped), whose decisions the local
    keeper need not certify.

    A synchronous step decides every neuron at once, so the local keeper
    saves the dense work only when its first pass is light too: when most
    kernel units are near the largest (a broad or crowded kernel), its pass
    evaluates them all and the dense steps are as cheap.
    """
    local = LocalFields.for_batch(engine, S)
    if local is None or local.dense_pass:
        return DenseSteps(engine)
    local.fixed = fixed
    return local


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
    MIN_SUPPORTED = 0.5  # share of cues with a small tail (see make_fields)
    MAX_SUPPORT = 4  # a crowded cue keeps its 4 largest units
    MAX_TAIL = 0.25  # a tail above this part of the largest kernel value
    TAIL_FAR = 1e-3  # the units not evaluated by a light refresh add at most this
    DENSE_SHARE = 0.1  # evaluate every unit when more than this share is near
    WINDOW = 48  # positions examined per round of the search
    AHEAD = 8  # at most this many further flips a settled decision must survive
    MAX_GROWTH = 300.0  # refresh before exp(2 c f) could overflow

    @staticmethod
    def applies_to(engine):
        return (
            engine.locality is not None
            and engine.decoder is not None
            and engine.diagonal is None
        )

    @classmethod
    def for_batch(cls, engine, S, q=None):
        """A local keeper of ``S``, or None when it would not pay off.

        ``q``: the overlaps of S when they are known.
        """
        if not cls.applies_to(engine):
            return None
        local = cls(engine, S, engine.overlaps(S, np.float32) if q is None else q)
        certifiable = local.tail <= cls.MAX_TAIL
        if len(S) and certifiable.mean() >= cls.MIN_SUPPORTED:
            return local
        return None

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
        # 1 where H holds the exact fields of the refresh, 0 where it holds the
        # support's part only (a light refresh): then the whole tail is unknown
        self.known = np.zeros(n_cues)
        self._refresh(np.arange(n_cues), S, q, light=True)
        # Settle decisions for as many further flips as a typical tail
        # allows: after m flips it may have grown by exp(2 c m), and past
        # MAX_TAIL of the largest kernel value little can be certified.
        typical = float(np.median(self.tail)) if n_cues else 0.0
        room = np.log(self.MAX_TAIL / max(typical, 1e-300)) / (2 * self.c)
        self.ahead = int(np.clip(np.floor(room), 1, self.AHEAD))

    def _refresh(self, rows, S, q=None, light=False):
        """Overlaps, kernel and a new support of ``rows``; fields exact or light.

        ``q``: the overlaps of ``rows`` when they are known to be current. A
        light refresh evaluates the kernel of every unit but the fields from
        the support only (no P x N product): the rest, the tail, is then
        bounded rather than known.
        """
        if q is None:
            moved = S[rows] - self.S_ref[rows]
            # q = S E^T: only the flipped columns of E are read
            self.q_ref[rows] += sparse.csr_matrix(moved) @ self.encoder.T
            self.S_ref[rows] = S[rows]
            q = self.q_ref[rows]
        if not light:
            # integers either way; the exact kernel is evaluated in float64
            q = q.astype(np.float64, copy=False)
        if light:
            r, mu, counts, log_scale, tail = self._light_support(q)
            q_kept = q[r, mu].astype(np.float64)
            kept = np.exp(self.c * (q_kept - self.n_features) - log_scale[r])
            k_sum = np.bincount(r, kept, minlength=len(rows)) + tail
            bound = k_sum * self.scale
        else:
            k, H, log_scale, bound = self.engine.kernel_fields(None, q)
            self.H[rows] = H
            r, mu, counts = self._support(k)
            kept = k[r, mu]
        self.bound[rows], self.log_scale[rows] = bound, log_scale
        self.flips[rows] = 0
        self.known[rows] = 0.0 if light else 1.0
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
        self.k_ref[rows[r], slot] = kept
        self.q_sup[rows[r], slot] = q[r, mu]
        self.k_now[rows] = self.k_ref[rows]
        if light:
            # whole rows of A: a row gather, not an element-wise take
            self.H[rows] = np.einsum(
                "ns,nsj->nj", self.k_ref[rows], self.A[self.idx[rows]]
            )
        if not light:
            k_sum = bound / self.scale if self.scale > 0 else k.sum(axis=1)
            # The tail is the sum minus the support: the difference cannot
            # resolve a tail below the rounding of the sum, so that rounding is
            # added (a tail taken as zero could grow without any bound).
            tail = np.maximum(k_sum - self.k_ref[rows].sum(axis=1), 0.0)
        self.tail[rows] = tail + self.rounding * k_sum

    def _light_support(self, q):
        """Support and a bound on the tail of overlaps q, without the kernel of every unit.

        ``k_mu = exp(c (q_mu - max q))``, so the support (``k >= SUPPORT_CUTOFF``)
        is ``q_mu >= max q - log(1 / cutoff) / c``: a comparison. Of the other
        units only those within ``log(P / TAIL_FAR) / c`` of the largest are
        evaluated; each of the rest is below ``TAIL_FAR / P`` of the largest,
        so together they add at most ``TAIL_FAR``. Returns the kept units as
        :meth:`_support` does, ``log_scale`` and the tail bound of each row.
        """
        c, n_units = self.c, q.shape[1]
        q_max = q.max(axis=1, initial=-np.inf).astype(np.float64)[:, None]
        support_gap = np.log(1.0 / self.SUPPORT_CUTOFF) / c
        near_gap = max(np.log(n_units / self.TAIL_FAR) / c, support_gap)
        # one pass over q finds the units worth evaluating. Overlaps are
        # integers: comparing with the floor of the threshold, in q's own
        # dtype, keeps every unit at or above it.
        nr, nmu = np.nonzero(q >= np.floor(q_max - near_gap).astype(q.dtype))
        self.dense_pass = len(nr) > self.DENSE_SHARE * q.size
        if self.dense_pass:
            # a broad kernel: most units are near; evaluate them all
            k = np.exp(c * (q.astype(np.float64) - q_max))
            r, mu, counts = self._support(k)
            tail = np.maximum(k.sum(axis=1) - np.bincount(r, k[r, mu], len(q)), 0.0)
        else:
            near_q = q[nr, nmu].astype(np.float64)
            in_support = near_q >= q_max[nr, 0] - support_gap
            r, mu, counts = self._support_of(q, nr[in_support], nmu[in_support])
            near = np.ones(len(nr), dtype=bool)
            near[np.searchsorted(nr * n_units + nmu, r * n_units + mu)] = False
            nr, near_q = nr[near], near_q[near]
            tail = np.bincount(nr, np.exp(c * (near_q - q_max[nr, 0])), len(q))
            far = n_units - counts - np.bincount(nr, minlength=len(q))
            tail = tail + far * np.exp(-c * near_gap)
        log_scale = c * (q_max[:, 0] - self.n_features)
        return r, mu, counts, log_scale, tail

    def _support(self, k):
        """Row, unit and per-row count of the kept units of kernel values k.

        The units above ``SUPPORT_CUTOFF`` of the row's largest value (1 after
        the log-domain shift); see :meth:`_support_of`.
        """
        r, mu = np.divmod(np.flatnonzero(k >= self.SUPPORT_CUTOFF), k.shape[1])
        return self._support_of(k, r, mu)

    def _support_of(self, k, r, mu):
        """The support from candidate units ``(r, mu)``, in row order.

        A row with more than ``MAX_SUPPORT`` candidates (a crowded cue) keeps
        its ``MAX_SUPPORT`` largest values of k (or of any increasing function
        of them, such as the overlaps). The bound holds for any support; a
        poor one only certifies fewer decisions.
        """
        counts = np.bincount(r, minlength=len(k))
        crowded = counts > self.MAX_SUPPORT
        if crowded.any():
            keep = ~crowded[r]
            rows = np.flatnonzero(crowded)
            top = np.argpartition(-k[rows], self.MAX_SUPPORT - 1, axis=1)
            top = top[:, : self.MAX_SUPPORT]
            r = np.concatenate([r[keep], np.repeat(rows, self.MAX_SUPPORT)])
            mu = np.concatenate([mu[keep], top.ravel()])
            order = np.argsort(r, kind="stable")
            r, mu = r[order], mu[order]
            counts[crowded] = self.MAX_SUPPORT
        return r, mu, counts

    def _decide(self, rows, j, with_ahead=True):
        """Certified decisions of neurons ``j`` (n x W) of ``rows``.

        ``j=None`` means every neuron, in order (a synchronous step; only
        without ``with_ahead``).

        Returns ``(plus, minus, plus_ahead, minus_ahead)``: the exact rule
        certainly gives +1, resp. -1, now, and after any ``AHEAD`` further
        flips of the cue (neither: undecided); without ``with_ahead``, only
        the first two.
        """
        n_features, c = self.n_features, self.c
        if j is None:  # every neuron (a synchronous step): whole rows
            est = self.H[rows]
        else:
            est = np.take(self.H, rows[:, None] * n_features + j)
        k_now, k_ref = self.k_now[rows], self.k_ref[rows]
        flips, tail, known = self.flips[rows], self.tail[rows], self.known[rows]
        if with_ahead and k_now.shape[1]:
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
        elif k_now.shape[1]:
            # the decisions of now only: H moved by the support's change, and
            # only for the rows that flipped since their refresh
            moved = np.flatnonzero(flips > 0)
            if moved.size:
                if j is None:
                    A_sup = self.A[self.idx[rows[moved]]]
                else:
                    units = self.idx[rows[moved]][:, :, None] * n_features
                    A_sup = np.take(self.A, units + j[moved][:, None, :])
                change = k_now[moved] - k_ref[moved]
                est[moved] += np.einsum("ns,nsw->nw", change, A_sup)
            base, up, down = est, 0.0, 0.0
        else:
            base, up, down = est, 0.0, 0.0
        k_sum = k_now.sum(axis=1)
        col_max = self.col_max if j is None else self.col_max[j]
        decisions = []
        for ahead in (0, self.ahead) if with_ahead else (0,):
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
                # right after an exact refresh the fields are exact: the rule
                exact = (flips == 0) & (known == 1)
                tie_lo[exact] = tie_hi[exact] = TIE_RTOL * self.bound[rows[exact]]
                slack[exact] = 0.0
            else:
                lo, hi = base + up / g + down * g, base + up * g + down / g
            # the tail moved by at most tail (growth - 1) since an exact
            # refresh, and is bounded by tail * growth after a light one; the
            # slack is already in field units: it is not scaled by |A|
            reach = (tail * (growth - known))[:, None] * col_max + slack[:, None]
            decisions += [(lo - reach + tie_lo[:, None] >= 0) & bounded[:, None]]
            decisions += [(hi + reach + tie_hi[:, None] < 0) & bounded[:, None]]
        return decisions

    def next_states(self, rows, S):
        """Synchronous step: ``sign(h(s))`` of every neuron of ``rows``, certified.

        Rows with a neuron that cannot be decided from the support and the
        tail bound are refreshed exactly (one row product each) and decided
        then by the exact rule.
        """
        plus, minus = self._decide(rows, None, with_ahead=False)
        decided = plus | minus
        if self.fixed is not None:  # clamped neurons keep their state anyway
            decided |= self.fixed[rows]
        undecided = ~decided.all(axis=1)
        if undecided.any():
            self._refresh(rows[undecided], S)
            again = self._decide(rows[undecided], None, with_ahead=False)
            plus[undecided] = again[0]
        return np.where(plus, 1.0, -1.0)

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
        at = np.zeros((len(rows), self.ahead + 1), dtype=np.int64)
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
            wrong = np.where(up, minus_ahead, plus_ahead)
            stay = np.where(up, plus_ahead, minus_ahead)
            if self.fixed is not None:  # a clamped neuron is a certain stay
                held = np.take(self.fixed, r[:, None] * n_features + j)
                stop &= ~held
                wrong &= ~held
                stay |= held
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
                wrong[event],
                stay[event],
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
        more &= np.cumsum(more, axis=1) <= self.ahead
        n_more = more.sum(axis=1)
        capped = n_more == self.ahead
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
