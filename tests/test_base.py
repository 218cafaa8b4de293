"""BaseHopfieldMemory as a template: the hooks, the engine, atomic fits."""

import pickle

import numpy as np
import pytest

from sklearn_klrhop import BaseHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.retrieval import Engine


class _Identity(BaseHopfieldMemory):
    """The smallest memory: fields are the state itself (every state is fixed)."""

    def __init__(self, *, update="sync", max_steps=30, score_noise=0.2,
                 binarize=None, random_state=None):  # fmt: skip
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.random_state = random_state

    def _fit(self, S, T):
        self.calls_ = getattr(self, "calls_", 0) + 1

    def _make_engine(self):
        n = self.n_features_in_
        return Engine(np.eye(n), lambda q: (q.copy(), np.zeros(len(q))))


def test_a_memory_is_two_hooks():
    with pytest.raises(TypeError, match="abstract"):
        BaseHopfieldMemory()
    X = make_patterns(5, 8, random_state=0) > 0
    mem = _Identity().fit(X)
    assert mem.encoding_ == "bool" and mem.calls_ == 1
    cues = corrupt(X, 0.25, random_state=0)
    np.testing.assert_array_equal(mem.predict(cues), cues)
    assert mem.predict(cues).dtype == bool


def test_the_engine_is_built_once_per_fit():
    X = make_patterns(30, 20, random_state=1)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    engine = mem.engine_
    mem.predict(X)
    mem.retrieve(X, update="async")
    mem.score(X)
    assert mem.engine_ is engine
    assert mem.fit(X).engine_ is not engine


def test_pickles_carry_no_engine_and_rebuild_it():
    X = make_patterns(30, 20, random_state=2)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    assert "engine_" not in mem.__getstate__() and "engine_" in vars(mem)
    restored = pickle.loads(pickle.dumps(mem))
    assert isinstance(restored.engine_, Engine)
    np.testing.assert_array_equal(restored.engine_.decoder, mem.dual_coef_)
    unfitted = pickle.loads(pickle.dumps(KLRHopfieldMemory()))
    assert not hasattr(unfitted, "engine_")


@pytest.mark.parametrize(
    "bad, params",
    [
        (np.full((4, 20), 0.5), {}),  # non-binary patterns
        (np.where(make_patterns(4, 20, random_state=9) > 0, np.nan, 1.0), {}),
        (None, {"lam": 0.0}),  # refused by the memory's own hook
        (None, {"kernel": "poly", "kernel_cutoff": 1e-6}),  # refused after reading
    ],
    ids=["non-binary", "nan", "lam-0", "cutoff-poly"],
)
def test_a_failed_fit_leaves_the_memory_as_it_was(bad, params):
    X = make_patterns(30, 20, random_state=3)
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    before = pickle.dumps(mem)
    mem.set_params(**params)
    with pytest.raises(ValueError):
        mem.fit(X if bad is None else bad)
    mem.set_params(**KLRHopfieldMemory(random_state=0).get_params())
    assert pickle.dumps(mem) == before


def test_a_failed_solve_leaves_the_memory_as_it_was():
    X = make_patterns(15, 16, random_state=1)
    mem = KLRHopfieldMemory(solver="gd", random_state=0).fit(X)
    before = pickle.dumps(mem)
    mem.set_params(lam=1e3)  # gd diverges at learning_rate * lam > 2
    with pytest.raises(ValueError, match="diverged"):
        mem.fit(X)
    mem.set_params(lam=0.01)
    assert pickle.dumps(mem) == before
