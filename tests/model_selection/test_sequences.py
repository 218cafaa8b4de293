"""Transition and sequence recall: scorers, the sequence capacity curve, its Display."""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns, sequence_targets
from sklearn_klrhop.model_selection import (
    SequenceCapacityCurve,
    SequenceCapacityCurveDisplay,
    StoredPatternSplit,
    make_sequence_scorer,
    make_transition_scorer,
    sequence_capacity_curve,
)

N = 50
X = make_patterns(400, N, random_state=0)  # P / N = 8
KEYS, NEXT = sequence_targets(X)
# a broad kernel: noisy first frames are cleaned up over a few steps
MEMORY = KLRHopfieldMemory(gamma=0.05).fit(KEYS, NEXT)


def _replay_hits(mem, cues, positions, transient, n_steps):
    """Sequence recall counted by hand from the replay and the sequence itself."""
    visited = mem.replay(cues, n_steps=transient + n_steps)
    hits = []
    for row, mu in zip(visited, positions):
        expected = X[(mu + np.arange(1, transient + n_steps + 1)) % len(X)]
        hits.append(np.array_equal(row[1 + transient :], expected[transient:]))
    return np.mean(hits)


def test_transition_scorer_is_the_memorys_score():
    mem = clone(MEMORY).set_params(score_noise=0.1, random_state=4).fit(KEYS, NEXT)
    scorer = make_transition_scorer(noise=0.1, random_state=4)
    value = scorer(mem, KEYS, NEXT)
    assert 0.5 < value < 1
    assert value == mem.score(KEYS, NEXT) == scorer(mem, KEYS)  # stored targets
    assert make_transition_scorer()(mem, KEYS, NEXT) == 1.0  # clean cues


@pytest.mark.parametrize("transient, n_steps", [(0, 1), (0, 6), (2, 6), (5, 3)])
def test_sequence_scorer_counts_exact_consecutive_steps(transient, n_steps):
    positions = np.arange(0, 400, 4)
    cues = corrupt(KEYS[positions], 0.2, random_state=5)
    scorer = make_sequence_scorer(n_steps=n_steps, transient=transient)
    value = scorer(MEMORY, cues, NEXT[positions])
    assert value == _replay_hits(MEMORY, cues, positions, transient, n_steps)
    if transient:  # a clean-up is allowed: more cues succeed than strictly
        strict = make_sequence_scorer(n_steps=n_steps)(MEMORY, cues, NEXT[positions])
        assert value > strict


def test_sequence_scorer_follows_an_open_sequence_to_its_end():
    keys, nxt = sequence_targets(X[:30], cyclic=False)
    mem = KLRHopfieldMemory(gamma=0.1).fit(keys, nxt)
    scorer = make_sequence_scorer(n_steps=50)  # longer than the sequence
    assert scorer(mem, keys, nxt) == 1.0  # steps past the end are not checked
    # a wrong target is caught
    assert scorer(mem, keys, np.roll(nxt, 1, axis=0)) == 0.0


def test_sequence_scorers_in_grid_search_and_pipelines():
    scoring = {
        "transition": make_transition_scorer(noise=0.2, random_state=0),
        "sequence": make_sequence_scorer(
            n_steps=5, transient=3, noise=0.2, random_state=0
        ),
    }
    search = GridSearchCV(
        make_pipeline(FunctionTransformer(), KLRHopfieldMemory()),
        {"klrhopfieldmemory__gamma": [0.01, 0.05]},
        scoring=scoring,
        refit="sequence",
        cv=StoredPatternSplit(n_splits=2, random_state=0),
    ).fit(KEYS, NEXT)
    results = search.cv_results_
    assert search.best_params_ == {"klrhopfieldmemory__gamma": 0.05}
    # the strict one-step criterion is far below the replay with clean-up
    assert results["mean_test_transition"][1] < 0.2
    assert results["mean_test_sequence"][1] > 0.7


def test_sequence_scorers_refuse_what_they_cannot_score():
    scorer = make_sequence_scorer(n_steps=3)
    with pytest.raises(ValueError, match="2 of the 12 rows of X were never stored"):
        scorer(MEMORY, np.vstack([KEYS[:10], -KEYS[:2]]))
    with pytest.raises(ValueError, match="y has 3 target bits per row"):
        scorer(MEMORY, KEYS, NEXT[:, :3])
    with pytest.raises(TypeError, match="Pipeline ending in one"):
        scorer(FunctionTransformer().fit(KEYS), KEYS, NEXT)
    labels = KLRHopfieldMemory().fit(KEYS, NEXT[:, :1])  # targets of width 1
    assert make_transition_scorer()(labels, KEYS, NEXT[:, :1]) == 1.0
    with pytest.raises(ValueError, match="applied once but not iterated"):
        scorer(labels, KEYS, NEXT[:, :1])
    with pytest.raises(ValueError, match="'n_steps' parameter"):
        make_sequence_scorer(n_steps=0)


# ------------------------------------------------------------------ curve
_CURVE = {"n_features": 40, "n_trials": 2, "n_cues": 20, "random_state": 0}


def test_sequence_capacity_curve_shapes_and_physics():
    klr = sequence_capacity_curve(
        KLRHopfieldMemory(gamma=0.08), [1, 8, 32], noise=0.2, n_steps=5,
        transient=3, **_CURVE,
    )  # fmt: skip
    hebb = sequence_capacity_curve(
        HebbianHopfieldMemory(), [0.05, 0.5], noise=0.1, **_CURVE
    )
    assert isinstance(klr, SequenceCapacityCurve)
    assert klr.scores.shape == klr.transitions.shape == klr.overlaps.shape == (3, 2)
    assert klr.n_patterns.tolist() == [40, 320, 1280]
    assert klr.mean[0] == 1.0 and klr.mean[-1] < 0.5 <= klr.mean[1]
    assert 8 < klr.collapse() < 32 and klr.capacity() == 1.0
    # one step cleans 20 % noise up at a low load only
    assert klr.transitions[0].mean() > 0.5 and (klr.transitions[1:] == 0).all()
    # the Hebbian sequence rule fails two orders of magnitude earlier
    assert hebb.mean.tolist()[-1] == 0.0 and hebb.mean[0] == 1.0
    assert np.all(klr.overlaps[:-1] >= hebb.overlaps[-1])


def test_transition_is_the_first_step_of_sequence_recall():
    curve = sequence_capacity_curve(
        KLRHopfieldMemory(gamma=0.05), [4, 16], noise=0.2, n_steps=1, **_CURVE
    )
    np.testing.assert_array_equal(curve.scores, curve.transitions)
    strict = sequence_capacity_curve(
        KLRHopfieldMemory(gamma=0.05), [4, 16], noise=0.2, n_steps=8, **_CURVE
    )
    assert np.all(strict.scores <= strict.transitions)


def test_sequence_capacity_curve_same_numbers_for_any_n_jobs_and_backend():
    est = KLRHopfieldMemory(gamma=0.08)  # random_state=None: each task seeds
    kwargs = {"noise": 0.2, "n_steps": 4, "transient": 2, **_CURVE}
    ref = sequence_capacity_curve(est, [2, 16], **kwargs)
    assert 0 < ref.mean.min() < 1  # numbers that can differ
    runs = [sequence_capacity_curve(est, [2, 16], n_jobs=2, **kwargs)]
    with joblib.parallel_config(backend="threading", n_jobs=2):
        runs.append(sequence_capacity_curve(est, [2, 16], **kwargs))
    for run in runs:
        np.testing.assert_array_equal(run.scores, ref.scores)
        np.testing.assert_array_equal(run.transitions, ref.transitions)


def test_sequence_capacity_curve_open_sequences_and_pools():
    pool = make_patterns(100, 40, random_state=1) > 0
    curve = sequence_capacity_curve(
        KLRHopfieldMemory(gamma=0.1), [0.25, 2], X=pool, cyclic=False, n_steps=50,
        noise=0.1, n_trials=2, random_state=0,
    )  # fmt: skip
    assert curve.n_patterns.tolist() == [10, 80]  # round(0.25 * 40), halves up
    assert curve.mean.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="needs 120 patterns but the pool X has 100"):
        sequence_capacity_curve(KLRHopfieldMemory(), [3], X=pool)


def test_sequence_capacity_curve_refuses_bad_input():
    with pytest.raises(ValueError, match="fewer than 2"):
        sequence_capacity_curve(KLRHopfieldMemory(), [0.02], n_features=40)
    with pytest.raises(ValueError, match="finite and > 0"):
        sequence_capacity_curve(KLRHopfieldMemory(), [-1], n_features=40)
    with pytest.raises(TypeError, match="instance"):
        sequence_capacity_curve(KLRHopfieldMemory, [1], n_features=40)
    with pytest.raises(ValueError, match="'transient' parameter"):
        sequence_capacity_curve(KLRHopfieldMemory(), [1], n_features=40, transient=-1)


def test_collapse_and_width_interpolate_the_first_fall():
    curve = SequenceCapacityCurve(
        [1, 2, 4, 8], [[1.0], [0.9], [0.5], [0.0]], [[1], [1], [0], [0]],
        [[1], [1], [1], [0]], n_features=10, n_patterns=[10, 20, 40, 80],
        n_steps=10, transient=0,
    )  # fmt: skip
    assert curve.collapse() == 4.0 and curve.collapse(0.95) == pytest.approx(1.5)
    assert curve.width() == pytest.approx(7.2 - 2.0)
    assert curve.collapse(0.01) == pytest.approx(4 + 0.49 / 0.5 * 4)
    flat = SequenceCapacityCurve(
        [1, 2], [[1.0], [0.97]], [[1], [1]], [[1], [1]], n_features=10,
        n_patterns=[10, 20], n_steps=10, transient=0,
    )  # fmt: skip
    assert np.isnan(flat.collapse()) and np.isnan(flat.width())  # no fall
    with pytest.raises(ValueError, match="level must be in"):
        curve.collapse(1.0)
    assert curve.collapse(recall="transition") == 3.0  # 1 at P/N = 2, 0 at 4
    assert curve.width(recall="transition") == pytest.approx(1.6)
    with pytest.raises(ValueError, match="recall must be"):
        curve.width(recall="overlap")


# ---------------------------------------------------------------- display
def test_sequence_display_plots_the_curve():
    plt = pytest.importorskip("matplotlib.pyplot")
    disp = SequenceCapacityCurveDisplay.from_estimator(
        KLRHopfieldMemory(gamma=0.08), [1, 32], noise=0.2, n_steps=4, transient=2,
        **_CURVE,
    )  # fmt: skip
    np.testing.assert_allclose(disp.lines_[0].get_ydata(), disp.curve_.mean)
    assert disp.curve_.mean[-1] < disp.curve_.mean[0]
    assert disp.ax_.get_ylabel() == "Sequence recall"
    assert disp.ax_.get_legend().get_texts()[0].get_text() == (
        "KLRHopfieldMemory, N=40"
    )
    again = SequenceCapacityCurveDisplay.from_result(
        disp.curve_, ax=disp.ax_, label="again", std_display_style="errorbar"
    )
    assert again.errorbar_ is not None and len(disp.ax_.get_lines()) >= 2
    plt.close("all")
