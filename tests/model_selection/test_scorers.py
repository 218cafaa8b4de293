"""Recall scorers, in GridSearchCV, cross_validate and pipelines."""

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Binarizer, FunctionTransformer

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.model_selection import (
    StoredPatternSplit,
    make_recall_scorer,
    recall_scorer,
)


def test_recall_scorer_on_explicit_cue_target_pairs():
    patterns = make_patterns(100, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.2).fit(patterns)
    cues = corrupt(patterns, 0.2, random_state=1)
    assert recall_scorer(mem, cues, patterns) == 1.0
    # Targets that are not what the cues retrieve: no recall.
    assert recall_scorer(mem, cues, -patterns) == 0.0
    # Targets in another binary encoding are compared as the same states.
    assert recall_scorer(mem, cues, patterns > 0) == 1.0


def test_recall_scorer_selects_gamma_in_gridsearch_and_cross_validate():
    patterns = make_patterns(100, 50, random_state=0)
    cues = corrupt(patterns, 0.2, random_state=1)
    X, y = np.vstack([patterns, cues]), np.vstack([patterns, patterns])
    store_then_cue = [(np.arange(100), np.arange(100, 200))]
    search = GridSearchCV(
        KLRHopfieldMemory(),
        {"gamma": [0.004, 0.2]},
        scoring=recall_scorer,
        cv=store_then_cue,
        error_score="raise",
    ).fit(X, y)
    assert search.best_params_ == {"gamma": 0.2}
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], [0.0, 1.0])
    res = cross_validate(
        KLRHopfieldMemory(gamma=0.2),
        X,
        y,
        scoring={"recall": recall_scorer},
        cv=store_then_cue,
        error_score="raise",
    )
    assert res["test_recall"].tolist() == [1.0]


def test_make_recall_scorer_overlap_criterion_and_noise():
    patterns = make_patterns(60, 40, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.25).fit(patterns)
    targets = patterns.copy()
    targets[:, 0] *= -1  # every target one bit away from the stored pattern
    assert make_recall_scorer()(mem, patterns, targets) == 0.0
    assert make_recall_scorer(criterion=0.9)(mem, patterns, targets) == 1.0
    assert make_recall_scorer(criterion=1.0)(mem, patterns, targets) == 0.0

    noisy = make_recall_scorer(noise=0.45, random_state=3)
    first = noisy(mem, patterns)
    assert first == noisy(mem, patterns)  # seeded cues
    assert first < 0.5  # 45 % noise is outside the basins
    assert make_recall_scorer(noise=0.1, random_state=3)(mem, patterns) == 1.0
    # Cues are built in the fitted encoding.
    mem01 = KLRHopfieldMemory(gamma=0.25).fit(patterns > 0)
    assert make_recall_scorer(noise=0.1, random_state=3)(mem01, patterns > 0) == 1.0
    assert "noise=0.45" in repr(noisy)


def test_recall_scorers_reject_bad_input():
    patterns = make_patterns(20, 30, random_state=0)
    mem = KLRHopfieldMemory().fit(patterns)
    with pytest.raises(ValueError, match="needs target patterns"):
        recall_scorer(mem, patterns, None)
    with pytest.raises(ValueError, match="one target pattern per cue"):
        recall_scorer(mem, patterns, patterns[:5])
    with pytest.raises(ValueError, match=r"binary states.*found values \[0.5\]"):
        recall_scorer(mem, patterns, np.full(patterns.shape, 0.5))
    with pytest.raises(ValueError, match="'criterion' parameter"):
        make_recall_scorer(criterion=2.0)
    with pytest.raises(ValueError, match="'noise' parameter"):
        make_recall_scorer(noise=1.5)


@pytest.mark.parametrize(
    "binarizer, low",
    [(Binarizer(threshold=0.5), 0.0), (FunctionTransformer(np.sign), -1.0)],
    ids=["Binarizer", "sign"],
)
def test_pipeline_binarize_then_memory(binarizer, low):
    # The step cannot be called "memory": that is Pipeline's own caching parameter.
    rng = np.random.RandomState(0)
    bits = make_patterns(100, 50, random_state=0) > 0
    states = np.where(bits, 1.0, low)
    X_real = states + 0.1 * rng.randn(*states.shape)  # real-valued data
    pipe = Pipeline(
        [("binarize", binarizer), ("hopfield", KLRHopfieldMemory(random_state=0))]
    ).fit(X_real)
    cues = np.where(corrupt(np.where(bits, 1.0, -1.0), 0.2, random_state=1) > 0, 1, 0)
    cues_real = np.where(cues > 0, 1.0, low) + 0.1 * rng.randn(*cues.shape)
    np.testing.assert_array_equal(pipe.predict(cues_real), states)
    assert pipe.score(X_real) == 1.0

    search = GridSearchCV(
        pipe,
        {"hopfield__gamma": [0.2 / 50, 5 / 50], "hopfield__lam": [0.01, 0.1]},
        cv=StoredPatternSplit(n_splits=2, random_state=0),
        error_score="raise",
    ).fit(X_real)
    assert search.best_params_["hopfield__gamma"] == pytest.approx(0.1)
    assert search.best_score_ >= 0.9


@pytest.mark.parametrize("kind", ["pipeline", "binarize"])
def test_noise_scorer_works_wherever_score_works(kind):
    # Real-valued digits (pixels 0-16) read by a Binarizer step, or by the
    # memory's own binarize: the cues must be corrupted where the memory reads
    # them. Raising on the raw pixels made every score NaN, and the search then
    # silently kept the first candidate.
    from sklearn.datasets import load_digits
    from sklearn.pipeline import make_pipeline

    X = load_digits().data[:300]
    if kind == "pipeline":
        estimator = make_pipeline(Binarizer(threshold=8), KLRHopfieldMemory())
        name = "klrhopfieldmemory__gamma"
    else:
        estimator, name = KLRHopfieldMemory(binarize=8), "gamma"
    search = GridSearchCV(
        estimator,
        {name: [0.005, 0.3]},
        scoring=make_recall_scorer(noise=0.1, random_state=0),
        cv=StoredPatternSplit(n_splits=2, random_state=0),
        error_score="raise",
    ).fit(X)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all()
    assert search.best_params_[name] == 0.3 and scores[1] > 0.5 > scores[0]
    # the scorer agrees with the memory's own score at the same noise
    memory = search.best_estimator_
    if kind == "pipeline":
        memory = memory[-1]
    memory.set_params(score_noise=0.1, random_state=0)
    Xt = X if kind == "binarize" else Binarizer(threshold=8).fit_transform(X)
    scorer = make_recall_scorer(noise=0.1, random_state=0)
    assert scorer(memory, Xt) == pytest.approx(memory.score(Xt), abs=0.1)


def test_noise_scorer_needs_a_memory():
    X = make_patterns(20, 10, random_state=0)
    with pytest.raises(TypeError, match="needs such a memory.*not KernelRidge"):
        make_recall_scorer(noise=0.1)(KernelRidge().fit(X, X), X)
