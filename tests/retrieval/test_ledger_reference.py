"""The event ledger against a plain one-neuron-at-a-time reference.

The reference below runs the dynamics with explicit loops over kernel units
and neurons and counts the work as it does it: every overlap accumulated,
every kernel value evaluated or updated, every field evaluated, every
coefficient multiplied, every flip. Nothing in it reads the ledger, so a
counter the engine increments in the wrong place, twice, or not at all makes
the two disagree. Only the asynchronous visiting order (a documented hash of
the seed and the cue) is taken from the library, so that both visit the
neurons in the same order.
"""

from collections import Counter

import numpy as np
import pytest
from sklearn.utils import check_random_state

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.neuromorphic import NeuromorphicCostModel
from sklearn_klrhop.retrieval import METRICS, retrieve
from sklearn_klrhop.retrieval._dynamics import _permutations, row_seeds
from sklearn_klrhop.retrieval._local import make_fields

SEED = 7


class Reference:
    """One cue, one neuron at a time; counts its own work.

    ``encoder`` E (units x N), ``g`` the kernel of one overlap (true values,
    no rescaling), ``decoder`` A (units x N) or None (the fields are the
    unit values themselves).
    """

    def __init__(self, encoder, g, decoder):
        self.E, self.g, self.A = encoder, g, decoder
        self.n_units, self.N = encoder.shape
        self.c = Counter()
        self.trajectory = []

    # -- the operations, each counted where it happens
    def overlaps(self, s):
        q = np.zeros(self.n_units)
        for mu in range(self.n_units):
            for i in range(self.N):
                q[mu] += s[i] * self.E[mu, i]
                self.c["accumulates"] += 1
                self.c["encoder_reads"] += 1
        return q

    def kernel(self, q):
        self.c["kernel_evaluations"] += self.n_units
        return np.array([self.g(x) for x in q])

    def field(self, k, i):
        self.c["field_evaluations"] += 1
        self.c["neuron_updates"] += 1
        if self.A is None:
            return k[i]
        h = 0.0
        for mu in range(self.n_units):
            h += k[mu] * self.A[mu, i]
            self.c["macs"] += 1
            self.c["coef_reads"] += 1
        return h

    def flip(self, s, q, j):
        """Flip neuron j: move every overlap, update every unit; return changed."""
        s[j] = -s[j]
        self.c["events"] += 1
        changed = []
        for mu in range(self.n_units):
            before = q[mu]
            q[mu] += 2 * s[j] * self.E[mu, j]
            self.c["accumulates"] += 1
            self.c["encoder_reads"] += 1
            self.c["kernel_updates"] += 1
            if q[mu] != before:
                changed.append(mu)
        return changed

    def send(self, kept, k_old, k_new, units):
        """Event-driven: the changed units send their change to every neuron."""
        touched = set()
        for mu in units:
            self.c["propagated"] += 1
            for i in range(self.N):
                if self.A is None:
                    if mu == i:
                        kept[i] += k_new[mu] - k_old[mu]
                        touched.add(i)
                else:
                    kept[i] += (k_new[mu] - k_old[mu]) * self.A[mu, i]
                    self.c["macs"] += 1
                    self.c["coef_reads"] += 1
                    touched.add(i)
        self.c["neuron_updates"] += len(touched)

    @staticmethod
    def decide(h, scale):
        # sign(0) = +1, a field within a relative rounding margin of 0 is 0
        return 1.0 if h >= -1e-9 * scale else -1.0

    def _scale(self, k):
        col = 1.0 if self.A is None else np.abs(self.A).max()
        return np.abs(k).sum() * col

    # -- the three dynamics
    def sync(self, s, max_steps):
        s = s.copy()
        converged = False
        for _ in range(max_steps):
            k = self.kernel(self.overlaps(s))
            new = np.array(
                [self.decide(self.field(k, i), self._scale(k)) for i in range(self.N)]
            )
            self.c["events"] += int(np.sum(new != s))
            self.c["steps"] += 1
            self.c["barriers"] += 1
            stable = np.array_equal(new, s)
            s = new
            self.trajectory.append(s.copy())
            if stable:
                converged = True
                break
        return s, converged

    def lazy_async(self, s, max_steps, orders):
        s = s.copy()
        q = self.overlaps(s)
        k = self.kernel(q)
        for sweep in range(max_steps):
            flipped = False
            for i in orders(sweep):
                if self.decide(self.field(k, i), self._scale(k)) != s[i]:
                    self.flip(s, q, i)
                    k = np.array([self.g(x) for x in q])
                    flipped = True
            self.c["steps"] += 1
            self.c["barriers"] += 1
            self.trajectory.append(s.copy())
            if not flipped:
                return s, True
        return s, False

    def event_driven(self, s, max_steps, orders):
        s = s.copy()
        q = self.overlaps(s)
        k = self.kernel(q)
        kept = np.zeros(self.N)
        self.send(kept, np.zeros(self.n_units), k, range(self.n_units))
        converged = False
        for sweep in range(max_steps):
            flipped = False
            for i in orders(sweep):
                # the kept field is read, not evaluated: no work unless it flips
                if self.decide(kept[i], self._scale(k)) != s[i]:
                    self.c["field_evaluations"] += 1
                    changed = self.flip(s, q, i)
                    k_new = np.array([self.g(x) for x in q])
                    self.send(kept, k, k_new, changed)
                    k = k_new
                    flipped = True
            self.c["steps"] += 1
            self.trajectory.append(s.copy())
            if not flipped:
                converged = True
                break
        self.c["barriers"] += 1  # one quiescence check at the end
        return s, converged


def _rbf(gamma, n_features):
    # K(s, xi) = exp(-gamma ||s - xi||^2) = exp(2 gamma (q - N)) for +/-1 vectors
    return lambda q: np.exp(2.0 * gamma * (q - n_features))


def _orders_of(cues, random_state):
    # retrieve seeds the asynchronous orders from one draw of random_state and
    # each cue's content; the reference visits in that order.
    base = check_random_state(random_state).randint(2**31 - 1)
    seeds = row_seeds(cues, base)
    n = cues.shape[1]
    return [
        lambda sweep, m=m: _permutations(seeds[m : m + 1], sweep, n)[0]
        for m in range(len(cues))
    ]


# Each case runs asynchronous retrieval with the field keeper named last: the
# certified local keeper (cues near stored patterns) or the exact one (a broad
# kernel, or a load at which most cues have no dominant kernel unit).
CASES = {
    "klr-broad": {
        "P": 10,
        "N": 14,
        "gamma": 0.05,
        "noise": 0.2,
        "keeper": "ExactFields",
    },
    "klr-local": {
        "P": 12,
        "N": 16,
        "gamma": 0.75,
        "noise": 0.25,
        "keeper": "LocalFields",
    },
    # one stored pattern: every flip changes exactly one kernel unit
    "klr-one-pattern": {
        "P": 1,
        "N": 10,
        "gamma": 0.2,
        "noise": 0.3,
        "keeper": "LocalFields",
    },
    "klr-high-load": {
        "P": 40,
        "N": 12,
        "gamma": 0.3,
        "noise": 0.3,
        "keeper": "ExactFields",
    },
}


def _klr_case(name):
    p = CASES[name]
    X = make_patterns(p["P"], p["N"], random_state=1)
    mem = KLRHopfieldMemory(gamma=p["gamma"], random_state=SEED).fit(X)
    cues = corrupt(X, p["noise"], random_state=2)
    reference = Reference(mem.patterns_, _rbf(p["gamma"], p["N"]), mem.dual_coef_)
    return mem, cues, reference


def _run_reference(reference, cues, model, max_steps):
    orders = _orders_of(cues, SEED)
    per_cue, states, converged = {m: [] for m in METRICS}, [], []
    trajectories = []
    for m, cue in enumerate(cues):
        reference.c = Counter()
        reference.trajectory = [cue.astype(float)]
        if model == "sync":
            s, ok = reference.sync(cue, max_steps)
        elif model == "async":
            s, ok = reference.lazy_async(cue, max_steps, orders[m])
        else:
            s, ok = reference.event_driven(cue, max_steps, orders[m])
        states.append(s)
        converged.append(ok)
        # after the last step the state stays where it is
        path = reference.trajectory
        trajectories.append(path + [s] * (max_steps + 1 - len(path)))
        for metric in METRICS:
            per_cue[metric].append(reference.c[metric])
    per_cue["trajectory"] = np.array(trajectories)
    return np.array(states), np.array(converged), per_cue


def _retrieve(mem, cues, model, max_steps, **kwargs):
    return retrieve(
        mem.engine_,
        cues.astype(float),
        update="sync" if model == "sync" else "async",
        max_steps=max_steps,
        random_state=SEED,
        event_driven=model == "event_driven",
        return_trajectory=True,
        **kwargs,
    )


def _assert_same_counts(res, states, converged, per_cue):
    assert res.states.dtype == np.float64 and res.converged.dtype == bool
    assert res.n_steps.dtype == res.n_events.dtype == np.int64
    np.testing.assert_array_equal(res.states, states)
    np.testing.assert_array_equal(res.converged, converged)
    np.testing.assert_array_equal(res.trajectory, per_cue["trajectory"])
    np.testing.assert_array_equal(res.n_events, per_cue["events"])
    np.testing.assert_array_equal(res.n_steps, per_cue["steps"])
    for metric in METRICS:
        np.testing.assert_array_equal(
            res.counts[metric], per_cue[metric], err_msg=metric
        )


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("model", ["sync", "async", "event_driven"])
def test_klr_ledger_matches_the_reference_loop(case, model):
    mem, cues, reference = _klr_case(case)
    S = cues.astype(float)
    keeper = make_fields(mem.engine_, S, mem.engine_.overlaps(S))
    assert type(keeper).__name__ == CASES[case]["keeper"]
    states, converged, per_cue = _run_reference(reference, cues, model, 30)
    assert sum(per_cue["events"]) > 0  # the cues do move
    res = _retrieve(mem, cues, model, 30)
    _assert_same_counts(res, states, converged, per_cue)


@pytest.mark.parametrize("model", ["sync", "async", "event_driven"])
def test_ledger_matches_the_reference_when_the_step_limit_stops_it(model):
    # two steps are not enough for every cue at this load: unconverged rows
    # are counted up to the limit, not beyond
    mem, cues, reference = _klr_case("klr-high-load")
    states, converged, per_cue = _run_reference(reference, cues, model, 2)
    assert not converged.all()
    res = _retrieve(mem, cues, model, 2)
    _assert_same_counts(res, states, converged, per_cue)


@pytest.mark.parametrize("model", ["sync", "async", "event_driven"])
def test_memory_without_decoder_matches_the_reference_loop(model):
    # Hebbian: the encoder is W (zero diagonal), the units are the fields; a
    # flip of neuron j leaves unit j (W[j, j] = 0) unchanged and sends N - 1.
    X = make_patterns(3, 20, random_state=4)
    mem = HebbianHopfieldMemory(random_state=SEED).fit(X)
    # cues at different distances: they finish in different rounds
    cues = np.vstack(
        [
            corrupt(X[i : i + 1], z, random_state=5)
            for i, z in enumerate((0.1, 0.2, 0.3))
        ]
    )
    W = mem.engine_.encoder
    # W = Xi^T Xi / N with its diagonal (P / N) removed
    np.testing.assert_allclose(W, X.T @ X / 20 - np.eye(20) * 3 / 20)
    reference = Reference(W, lambda q: q, None)
    states, converged, per_cue = _run_reference(reference, cues, model, 30)
    res = _retrieve(mem, cues, model, 30)
    _assert_same_counts(res, states, converged, per_cue)


def test_cost_model_reports_the_reference_counts():
    mem, cues, reference = _klr_case("klr-local")
    report = NeuromorphicCostModel().estimate(mem, cues)
    for model in ("sync", "async", "event_driven"):
        _, _, per_cue = _run_reference(reference, cues, model, mem.max_steps)
        for metric in METRICS:
            np.testing.assert_array_equal(
                report.per_cue[model][metric], per_cue[metric], err_msg=metric
            )
            assert report.counts[model][metric] == sum(per_cue[metric])
        # derived totals from the reference's own counts (32-bit words, 1-bit
        # pattern entries)
        synaptic = np.add(per_cue["accumulates"], per_cue["macs"])
        np.testing.assert_array_equal(report.per_cue[model]["synaptic_ops"], synaptic)
        bits = 32 * np.array(per_cue["coef_reads"]) + np.array(per_cue["encoder_reads"])
        np.testing.assert_array_equal(report.per_cue[model]["memory_reads"], bits)


def test_sigma_delta_that_sends_nothing_updates_no_neuron():
    # a threshold above every kernel value: no unit ever sends, so no kept
    # field changes (the reference's count: nothing propagated, nothing updated)
    mem, cues, _ = _klr_case("klr-local")
    res = _retrieve(mem, cues, "event_driven", 30, delta_threshold=2.0)
    for metric in ("propagated", "neuron_updates", "macs", "coef_reads"):
        np.testing.assert_array_equal(res.counts[metric], 0, err_msg=metric)


def test_heteroassociative_map_is_one_reference_step():
    # Targets of another width than the cues: the fields are not states of
    # the same neurons, so the map is applied once (one synchronous step). The
    # reference does one pass by hand (overlaps, kernel units, each output's
    # field, its sign) and counts that work.
    X = make_patterns(8, 12, random_state=3)
    Y = make_patterns(8, 5, random_state=4)
    gamma = 0.1
    mem = KLRHopfieldMemory(gamma=gamma, random_state=SEED).fit(X, Y)
    cues = corrupt(X, 0.25, random_state=5)
    reference = Reference(mem.patterns_, _rbf(gamma, 12), mem.dual_coef_)
    states, per_cue = [], {m: [] for m in METRICS}
    for cue in cues:
        reference.c = Counter()
        k = reference.kernel(reference.overlaps(cue.astype(float)))
        h = [reference.field(k, i) for i in range(5)]
        states.append([reference.decide(x, reference._scale(k)) for x in h])
        reference.c["steps"] += 1
        reference.c["barriers"] += 1
        for metric in METRICS:
            per_cue[metric].append(reference.c[metric])
    res = retrieve(mem.engine_, cues.astype(float), max_steps=1)
    assert res.states.shape == (len(cues), 5) and res.states.dtype == np.float64
    np.testing.assert_array_equal(res.states, states)
    np.testing.assert_array_equal(res.states, mem.predict(cues))
    # a map, not dynamics: nothing converges, no cycle, no flip
    assert res.converged.dtype == bool and not res.converged.any()
    np.testing.assert_array_equal(res.period, 0)
    np.testing.assert_array_equal(res.cycle_start, -1)
    assert res.period.dtype == res.cycle_start.dtype == np.int64
    np.testing.assert_array_equal(res.n_events, 0)
    np.testing.assert_array_equal(res.n_steps, 1)
    assert res.trajectory is None
    for metric in METRICS:
        np.testing.assert_array_equal(
            res.counts[metric], per_cue[metric], err_msg=metric
        )
