"""Partial cues on the memory: mask and NaN, clamp, and bad combinations."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Binarizer

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns, sequence_targets

N = 100
X = make_patterns(300, N, random_state=0)  # P / N = 3
MEMORY = KLRHopfieldMemory(random_state=0).fit(X)


def _half_hidden(shape, seed=1):
    rng = np.random.RandomState(seed)
    order = np.argsort(rng.rand(*shape), axis=1)
    mask = np.zeros(shape, dtype=bool)
    np.put_along_axis(mask, order[:, : shape[1] // 2], True, axis=1)
    return mask


MASK = _half_hidden(X.shape)


def test_nan_and_mask_are_the_same_partial_cue():
    filled = np.where(MASK, 0.0, X)  # any value may stand at a masked bit
    by_mask = MEMORY.predict(filled, mask=MASK)
    np.testing.assert_array_equal(MEMORY.predict(np.where(MASK, np.nan, X)), by_mask)
    both = MEMORY.predict(np.where(MASK, np.nan, X), mask=MASK)
    np.testing.assert_array_equal(both, by_mask)
    np.testing.assert_array_equal(by_mask, X)


@pytest.mark.parametrize("update", ["sync", "async"])
def test_clamped_recall_is_at_least_the_free_recall_at_half_hidden(update):
    # N = 100, P / N = 3, half the bits hidden (the papers' load)
    memory = KLRHopfieldMemory(update=update, random_state=0).fit(X)
    free = memory.score(X, mask=MASK)
    clamped = memory.score(X, mask=MASK, clamp=True)
    assert clamped >= free >= 0.99
    result = memory.retrieve(X, mask=MASK, clamp=True)
    assert not (result.states != X)[~MASK].any()


def test_clamp_keeps_known_bits_where_free_dynamics_change_them():
    # Hebbian past its capacity: the free dynamics move known bits
    Y = make_patterns(30, N, random_state=3)
    mem = HebbianHopfieldMemory().fit(Y)
    mask = _half_hidden(Y.shape, 4)
    free, clamped = mem.predict(Y, mask=mask), mem.predict(Y, mask=mask, clamp=True)
    assert (free != Y)[~mask].any()
    np.testing.assert_array_equal(clamped[~mask], Y[~mask])
    for update in ("sync", "async"):
        res = mem.retrieve(Y, mask=mask, clamp=True, update=update)
        np.testing.assert_array_equal(res.states[~mask], Y[~mask])


def test_transform_and_score_take_the_mask():
    traj = MEMORY.transform(X[:5], mask=MASK[:5], clamp=True)
    steps = traj.reshape(5, MEMORY.max_steps + 1, N)
    np.testing.assert_array_equal(steps[:, 0][~MASK[:5]], X[:5][~MASK[:5]])
    states = MEMORY.set_params(transform_returns="states").transform(
        X[:5], mask=MASK[:5]
    )
    MEMORY.set_params(transform_returns="trajectory")
    np.testing.assert_array_equal(states, MEMORY.predict(X[:5], mask=MASK[:5]))
    binary = KLRHopfieldMemory().fit(X > 0)
    assert binary.score(X > 0, mask=MASK) == 1.0


def test_transform_states_make_the_memory_a_denoising_step():
    rng = np.random.RandomState(0)
    labels = rng.randint(0, 2, size=len(X))
    X_real = corrupt(X, 0.15, random_state=rng) + rng.normal(0, 0.1, X.shape)
    pipe = make_pipeline(
        Binarizer(threshold=0.0),
        KLRHopfieldMemory(transform_returns="states"),
        LogisticRegression(),
    )
    # the memory stores the noisy rows; the classifier sees cleaned states
    pipe.fit(X_real, labels)
    assert pipe[:-1].transform(X_real).shape == (len(X), N)
    assert pipe.named_steps["klrhopfieldmemory"].n_outputs_ == N


BAD = {
    "mask shape": ({"mask": MASK[:, :5]}, ValueError, "mask has shape"),
    "mask dtype": ({"mask": MASK.astype(int)}, TypeError, "mask must be a bool"),
    "all hidden": (
        {"mask": np.ones(X.shape, bool)},
        ValueError,
        "every bit unknown",
    ),
    "clamp without mask": ({"clamp": True}, ValueError, "no bit is marked unknown"),
    "nan where known": (
        {"mask": np.zeros(X.shape, bool), "X": np.where(MASK, np.nan, X)},
        ValueError,
        "NaN at .* bits that mask marks as known",
    ),
}


@pytest.mark.parametrize("case", BAD)
@pytest.mark.parametrize("method", ["predict", "retrieve", "transform", "score"])
def test_bad_partial_cues_are_refused_clearly(case, method):
    kwargs, error, match = BAD[case]
    kwargs = dict(kwargs)
    data = kwargs.pop("X", X)
    if method == "score" and case == "nan where known":
        match = "NaN"  # score wants its rows whole: NaN is refused outright
    with pytest.raises(error, match=match):
        getattr(MEMORY, method)(data, **kwargs)


def test_nan_is_refused_where_bits_cannot_be_unknown():
    cue = np.where(MASK, np.nan, X)
    for method in ("decision_function", "energy", "score", "fit", "partial_fit"):
        with pytest.raises(ValueError, match="NaN"):
            getattr(KLRHopfieldMemory().fit(X), method)(cue)


def test_a_heteroassociative_memory_refuses_partial_cues():
    keys, nxt = sequence_targets(X[:20])
    mem = KLRHopfieldMemory().fit(keys, nxt)
    with pytest.raises(ValueError, match="heteroassociative"):
        mem.predict(keys, mask=MASK[:20])
