"""retrieval_outcomes: every class on constructed cases, a 2-cycle included."""

import numpy as np
import pytest

from sklearn_klrhop import (
    BaseHopfieldMemory,
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
)
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.inspection import OUTCOMES, retrieval_outcomes
from sklearn_klrhop.retrieval import Engine


class _PermutationMemory(BaseHopfieldMemory):
    """Fields ``h = -s`` (every bit flips each step), or a cyclic shift of s.

    Synchronous retrieval from any state is then a cycle: period 2 for the
    sign flip, period N (or a divisor) for the shift.
    """

    def __init__(self, *, shift=False, update="sync", max_steps=30,
                 score_noise=0.2, binarize=None, random_state=None):  # fmt: skip
        self.shift = shift
        self.update, self.max_steps = update, max_steps
        self.score_noise, self.binarize = score_noise, binarize
        self.random_state = random_state

    def _fit(self, S, T):
        pass

    def _make_engine(self):
        n = self.n_features_in_
        # h_i = sum_j E[i, j] s_j with the identity activation
        E = np.roll(np.eye(n), 1, axis=1) if self.shift else -np.eye(n)
        return Engine(E, lambda q: (q.copy(), np.zeros(len(q))))


def test_a_sign_flip_memory_is_a_two_cycle():
    X = make_patterns(3, 8, random_state=0)
    mem = _PermutationMemory().fit(X)
    res = retrieval_outcomes(mem, X, X)
    assert list(res.outcome) == ["cycle"] * 3
    assert res.period.tolist() == [2, 2, 2]
    assert res.attractor.tolist() == [-1, -1, -1]
    assert res.fractions == {k: float(k == "cycle") for k in OUTCOMES}
    # an odd step limit ends on -x: still period 2
    assert (
        retrieval_outcomes(mem.set_params(max_steps=7), X, X).period.tolist() == [2] * 3
    )


def test_a_cyclic_shift_has_the_period_of_the_state():
    # s = (+ + - - + + - -) returns after 4 shifts; (+ - - - - - - -) after 8
    S = np.array([[1, 1, -1, -1, 1, 1, -1, -1], [1, -1, -1, -1, -1, -1, -1, -1]])
    mem = _PermutationMemory(shift=True, max_steps=20).fit(S)
    res = retrieval_outcomes(mem, S, S)
    assert list(res.outcome) == ["cycle", "cycle"]
    assert res.period.tolist() == [4, 8]


def test_a_period_longer_than_the_step_limit_is_not_converged():
    S = np.array([[1, -1, -1, -1, -1, -1, -1, -1]])
    mem = _PermutationMemory(shift=True, max_steps=5).fit(S)
    res = retrieval_outcomes(mem, S, S)
    assert list(res.outcome) == ["not_converged"] and res.period.tolist() == [0]


def test_target_other_and_spurious_on_a_hebbian_memory():
    # Three orthogonal-ish patterns at a tiny load: each is a fixed point, and
    # their symmetric 3-mixture sign(x1 + x2 + x3) is a classic spurious state.
    X = make_patterns(3, 200, random_state=0)
    mem = HebbianHopfieldMemory().fit(X)
    mixture = np.where(X.sum(axis=0) >= 0, 1.0, -1.0)
    cues = np.vstack([corrupt(X[:1], 0.1, random_state=0), X[1], mixture])
    targets = np.vstack([X[0], X[0], X[0]])
    res = retrieval_outcomes(mem, cues, targets)
    assert list(res.outcome) == ["target", "other", "spurious"]
    assert res.attractor.tolist() == [0, 1, -1]
    assert res.period.tolist() == [1, 1, 1]
    assert res.mean_steps("target") == 2.0  # one correcting step, one confirming
    assert res.mean_steps("other") == 1.0  # a stored pattern is already fixed
    assert np.isnan(res.mean_steps("cycle"))


def test_a_cue_cut_off_by_the_step_limit_is_not_converged():
    X = make_patterns(20, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1, max_steps=1).fit(X)
    cues = corrupt(X, 0.2, random_state=0)  # corrected in step 1, not confirmed
    res = retrieval_outcomes(mem, cues, X)
    assert set(res.outcome) == {"not_converged"} and set(res.period) == {0}
    full = retrieval_outcomes(mem.set_params(max_steps=30), cues, X)
    assert set(full.outcome) == {"target"}


def test_async_and_the_memory_update():
    X = make_patterns(100, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    cues = corrupt(X, 0.4, random_state=0)
    sync = retrieval_outcomes(mem, cues, X)
    async_ = retrieval_outcomes(mem, cues, X, update="async")
    assert sync.fractions["target"] < 0.2 and async_.fractions["target"] < 0.2
    # at this load failures go to other stored patterns
    assert sync.fractions["other"] > 0.7 and async_.fractions["other"] > 0.7
    states = mem.retrieve(cues, update="async").states
    reached = np.flatnonzero(async_.attractor >= 0)
    np.testing.assert_array_equal(X[async_.attractor[reached]], states[reached])


def test_bad_input():
    X = make_patterns(10, 20, random_state=0)
    mem = KLRHopfieldMemory()
    with pytest.raises(Exception, match="not fitted"):
        retrieval_outcomes(mem, X, X)
    mem.fit(X)
    with pytest.raises(ValueError, match="one target per cue"):
        retrieval_outcomes(mem, X, X[:3])
    with pytest.raises(ValueError, match="20 features"):
        retrieval_outcomes(mem, X[:, :10], X[:, :10])
    with pytest.raises(ValueError, match="'update' parameter"):
        retrieval_outcomes(mem, X, X, update="fast")
    with pytest.raises(ValueError, match="outcome must be one of"):
        retrieval_outcomes(mem, X, X).mean_steps("lost")
