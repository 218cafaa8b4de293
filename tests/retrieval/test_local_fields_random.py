"""The certified local keeper against the exact one on random engines.

Random decoders (not trained, heavy tailed, or two nearly cancelling parts)
make fields with large kernel tails and many near-ties: the regime where a
certificate that is too loose accepts a wrong decision, and one that is too
tight refreshes for nothing. The local keeper must retrieve exactly what the
exact keeper retrieves, events and counts included, and refresh far less
often than once per event where the kernel is local.
"""

import numpy as np
import pytest

from sklearn_klrhop.datasets import corrupt
from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import row_seeds, run_async, run_sync
from sklearn_klrhop.retrieval._local import LocalFields, make_fields, make_sync_fields


def _activation(c, n):
    def activation(q):
        z = c * (q - n)
        log_scale = z.max(axis=1)
        return np.exp(z - log_scale[:, None]), log_scale

    return activation


def _decoder(kind, rng, P, N):
    if kind == "normal":
        return rng.normal(size=(P, N))
    if kind == "heavy":
        return rng.standard_t(1.5, size=(P, N))
    # two parts that nearly cancel: fields close to zero, many near-ties
    B = rng.normal(size=(P, N))
    return B - B[rng.permutation(P)] * (1 + 1e-3 * rng.normal(size=(P, N)))


KINDS = ["normal", "heavy", "cancelling"]
REGIMES = [
    (0.3, 30, 16, 0.3),
    (0.6, 40, 16, 0.25),
    (1.0, 200, 24, 0.3),
    (2.0, 12, 20, 0.4),
]


def _engines(kind, c, P, N, noise):
    """A local and an exact engine of the same random memory, and 40 cues."""
    rng = np.random.RandomState(int(100 * c) + P)
    E = np.where(rng.rand(P, N) < 0.5, -1.0, 1.0)
    A = _decoder(kind, rng, P, N)
    local = Engine(E, _activation(c, N), A, locality=c)
    exact = Engine(E, _activation(c, N), A)
    S = corrupt(E[rng.randint(P, size=40)], noise, random_state=rng)
    return local, exact, S


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("c, P, N, noise", REGIMES)
@pytest.mark.parametrize("event_driven", [False, True])
def test_local_keeper_equals_exact_keeper_on_random_engines(
    kind, c, P, N, noise, event_driven, monkeypatch
):
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)
    local, exact, S = _engines(kind, c, P, N, noise)
    assert isinstance(make_fields(local, S, local.overlaps(S)), LocalFields)
    seeds = row_seeds(S, 11)
    a = run_async(local, S.copy(), 12, seeds, True, event_driven=event_driven)
    b = run_async(exact, S.copy(), 12, seeds, True, event_driven=event_driven)
    assert b.n_events.sum() > 0
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    np.testing.assert_array_equal(a.n_events, b.n_events)
    for key in a.counts:
        np.testing.assert_array_equal(a.counts[key], b.counts[key], key)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("c, P, N, noise", REGIMES)
def test_local_sync_steps_equal_dense_steps_on_random_engines(
    kind, c, P, N, noise, monkeypatch
):
    # Synchronous steps after the first decide from the fields of the last
    # refresh moved by the support's change: a wrong move is a wrong state.
    # Every cue is certified, and the first pass is light even where many
    # units are near the largest (where certificates are tested hardest).
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)
    monkeypatch.setattr(LocalFields, "DENSE_SHARE", 1.0)
    local, exact, S = _engines(kind, c, P, N, noise)
    assert isinstance(make_sync_fields(local, S), LocalFields)
    a = run_sync(local, S.copy(), 12, True)
    b = run_sync(exact, S.copy(), 12, True)
    assert b.n_events.sum() > 0 and b.n_steps.max() > 2
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    np.testing.assert_array_equal(a.period, b.period)
    np.testing.assert_array_equal(a.n_events, b.n_events)
