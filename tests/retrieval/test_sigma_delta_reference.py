"""Sigma-delta field keeping against a reference that keeps true values.

The reference remembers, per kernel unit, the true value it last sent, and
sends the difference to the current true value when it exceeds ``eps`` times
the largest current value; the neurons hold ``sent @ A + s * d``. The keeper
stores everything relative to a per-cue factor that changes with the state;
after every flip of a random sequence its fields, rescaled, must be the
reference's, and with ``eps = 0`` the exact decision fields.
"""

import numpy as np
import pytest

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.retrieval import TIE_RTOL, Engine
from sklearn_klrhop.retrieval._fields import SigmaDeltaFields

N = 12


def _rbf_engine(diagonal=None):
    X = make_patterns(8, N, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.15).fit(X)
    e = mem.engine_
    return Engine(e.encoder, e.activation, e.decoder, diagonal, e.locality)


ENGINES = {
    "rbf": lambda: _rbf_engine(),
    "rbf-diagonal": lambda: _rbf_engine(np.linspace(-0.5, 0.7, N)),
    "hebbian": lambda: HebbianHopfieldMemory().fit(make_patterns(3, N)).engine_,
}


def _true_kernel(engine, S):
    k, log_scale = engine.activation(S @ engine.encoder.T)
    return np.asarray(k) * np.exp(log_scale)[:, None]


class Reference:
    def __init__(self, engine, S, eps):
        self.engine, self.eps = engine, eps
        k = _true_kernel(engine, S)
        self.sent = np.where(np.abs(k) > eps * np.abs(k).max(axis=1)[:, None], k, 0)
        self.n_sent = np.count_nonzero(self.sent, axis=1)

    def flip(self, S):
        k = _true_kernel(self.engine, S)
        delta = k - self.sent
        # recomputed from scratch, an unchanged unit differs by rounding:
        # changes below 1e-12 of the largest value are not changes
        limit = max(self.eps, 1e-12) * np.abs(k).max(axis=1)
        send = np.abs(delta) > limit[:, None]
        self.sent = self.sent + np.where(send, delta, 0.0)
        self.n_sent = np.count_nonzero(send, axis=1)

    def fields(self, S):
        A, d = self.engine.decoder, self.engine.diagonal
        H = self.sent if A is None else self.sent @ A
        extra = 0.0 if d is None else S * d
        scale = 1.0 if A is None else np.abs(A).max()
        bound = np.abs(self.sent).sum(axis=1) * scale
        if d is not None:
            bound = bound + np.abs(S * d).max(axis=1)
        return H + extra, bound


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.3])
@pytest.mark.parametrize("name", ENGINES)
def test_kept_fields_follow_the_reference_through_flips(name, eps):
    engine = ENGINES[name]()
    rng = np.random.RandomState(1)
    S = np.where(rng.rand(4, N) < 0.5, -1.0, 1.0)
    keeper = SigmaDeltaFields(engine, S, S @ engine.encoder.T, eps)
    reference = Reference(engine, S, eps)
    np.testing.assert_array_equal(keeper.initially_sent, reference.n_sent)
    rows = np.arange(len(S))
    for _ in range(15):
        j = rng.randint(N, size=len(S))
        S[rows, j] *= -1
        keeper.flip(rows, j[:, None], np.ones(len(S), int), S)
        reference.flip(S)
        H, bound = reference.fields(S)
        factor = np.exp(keeper.log_scale)[:, None]
        np.testing.assert_allclose(
            keeper.H * factor, H + TIE_RTOL * bound[:, None], rtol=1e-9, atol=1e-12
        )
        np.testing.assert_array_equal(keeper.sent(rows, j), reference.n_sent)
        if eps == 0.0:
            # every change sent: the exact decision fields of the state
            exact = engine.decision_fields(S)
            np.testing.assert_allclose(keeper.H, exact, rtol=1e-9, atol=1e-12)


def test_zero_threshold_retrieves_like_exact_fields_without_a_decoder():
    # a memory without decoder (Hebbian): sigma-delta with eps = 0 sends every
    # change, so it must retrieve exactly as the exact event-driven run
    from sklearn_klrhop.datasets import corrupt
    from sklearn_klrhop.retrieval import retrieve

    X = make_patterns(4, 40, random_state=3)
    mem = HebbianHopfieldMemory().fit(X)
    cues = corrupt(X, 0.3, random_state=4)
    runs = [
        retrieve(mem.engine_, cues, update="async", random_state=0, event_driven=True,
                 delta_threshold=eps)
        for eps in (None, 0.0)
    ]  # fmt: skip
    np.testing.assert_array_equal(runs[0].states, runs[1].states)
    np.testing.assert_array_equal(runs[0].n_events, runs[1].n_events)
