"""The product ``S E^T`` runs once per batch of cues in asynchronous retrieval.

Every keeper moves the overlaps by one encoder column per flip, and every
engine method that is given the overlaps uses them: a second product would
change no answer, only the cost, which is what these tests count.
"""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import row_seeds, run_async
from sklearn_klrhop.retrieval._fields import ExactFields, SigmaDeltaFields
from sklearn_klrhop.retrieval._local import LocalFields, make_fields

X = make_patterns(30, 50, random_state=0)
CUES = corrupt(X, 0.2, random_state=1).astype(float)


@pytest.fixture
def products(monkeypatch):
    """The number of calls of ``Engine.overlaps`` since the test began."""
    calls = []
    overlaps = Engine.overlaps

    def counted(self, S, *args, **kwargs):
        calls.append(len(S))
        return overlaps(self, S, *args, **kwargs)

    monkeypatch.setattr(Engine, "overlaps", counted)
    return calls


@pytest.fixture(scope="module")
def local_engine():
    return KLRHopfieldMemory(gamma=0.1).fit(X).engine_


def _exact(engine):
    return Engine(engine.encoder, engine.activation, engine.decoder, engine.diagonal)


@pytest.mark.parametrize(
    "keeper, kwargs",
    [
        (LocalFields, {}),
        (LocalFields, {"event_driven": True}),
        (ExactFields, {}),
        (SigmaDeltaFields, {"delta_threshold": 1e-3}),
    ],
)
def test_asynchronous_retrieval_computes_the_overlaps_once(
    keeper, kwargs, local_engine, products, monkeypatch
):
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)  # keep the local keeper
    engine = local_engine if keeper is LocalFields else _exact(local_engine)
    chosen = make_fields(
        engine, CUES, engine.overlaps(CUES), kwargs.get("delta_threshold")
    )
    assert type(chosen) is keeper
    products.clear()
    res = run_async(engine, CUES.copy(), 20, row_seeds(CUES, 3), **kwargs)
    assert res.n_events.sum() > len(CUES)  # several flips per cue
    assert products == [len(CUES)]


@pytest.mark.parametrize("method", ["kernel_fields", "fields", "decision_fields"])
def test_engine_uses_the_overlaps_it_is_given(method, local_engine, products):
    q = CUES @ X.T
    given = getattr(local_engine, method)(CUES, q)
    assert products == []
    computed = getattr(local_engine, method)(CUES)
    assert products == [len(CUES)]
    given, computed = (r if isinstance(r, tuple) else (r,) for r in (given, computed))
    for a, b in zip(given, computed, strict=True):
        np.testing.assert_array_equal(a, b)


def test_keepers_use_the_overlaps_they_are_given(local_engine, products, monkeypatch):
    monkeypatch.setattr(LocalFields, "MIN_SUPPORTED", 0.0)
    exact = _exact(local_engine)
    q = CUES @ X.T
    make_fields(local_engine, CUES, q.copy())
    make_fields(exact, CUES, q.copy())
    make_fields(exact, CUES, q.copy(), delta_threshold=1e-3)
    H = exact.decision_fields(CUES, q)
    kept = ExactFields(exact, CUES, q.copy(), H=H)
    assert kept.H is H
    assert products == []
