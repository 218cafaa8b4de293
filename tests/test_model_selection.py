"""StoredPatternSplit, recall scorers, pipelines and capacity / noise curves."""

import joblib
import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import Binarizer, FunctionTransformer

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.model_selection import (
    CapacityCurve,
    NoiseCurve,
    StoredPatternSplit,
    capacity_curve,
    make_recall_scorer,
    noise_curve,
    recall_scorer,
)

# --------------------------------------------------------------------- splitter


def test_stored_pattern_split_trains_on_all_and_tests_random_subsets():
    X = np.zeros((23, 4))
    cv = StoredPatternSplit(n_splits=4, test_size=0.2, random_state=0)
    splits = list(cv.split(X))
    assert len(splits) == cv.get_n_splits() == 4
    for train, test in splits:
        np.testing.assert_array_equal(train, np.arange(23))
        assert len(test) == 5  # ceil(0.2 * 23)
        assert len(np.unique(test)) == 5 and set(test) <= set(range(23))
    assert len({tuple(sorted(t)) for _, t in splits}) > 1
    again = list(cv.split(X))
    for (_, t1), (_, t2) in zip(splits, again):
        np.testing.assert_array_equal(t1, t2)
    (_, test), *_ = StoredPatternSplit(n_splits=1, test_size=7).split(X)
    assert len(test) == 7
    assert "StoredPatternSplit(n_splits=4" in repr(cv)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_splits": 0}, ValueError, "at least 1"),
        ({"n_splits": 2.5}, TypeError, "integer"),
        ({"test_size": 0.0}, ValueError, "test_size"),
        ({"test_size": 1.5}, ValueError, "test_size"),
        ({"test_size": 30}, ValueError, "between 1 and the number of patterns"),
        ({"test_size": "all"}, ValueError, "test_size"),
    ],
)
def test_stored_pattern_split_rejects_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        list(StoredPatternSplit(**kwargs).split(np.zeros((10, 3))))


def test_gridsearch_with_stored_pattern_split_picks_working_gamma():
    # Must show: gamma N in {0.2, 5}, two lambdas, N = 50, P / N = 5.
    n_features = 50
    X = make_patterns(5 * n_features, n_features, random_state=0)
    grid = {"gamma": [0.2 / n_features, 5 / n_features], "lam": [0.01, 0.1]}
    search = GridSearchCV(
        KLRHopfieldMemory(random_state=0),
        grid,
        cv=StoredPatternSplit(n_splits=2, random_state=0),
        error_score="raise",
    ).fit(X)
    assert search.best_params_["gamma"] == pytest.approx(5 / n_features)
    assert search.best_score_ >= 0.9
    small = np.asarray(search.cv_results_["param_gamma"]) == 0.2 / n_features
    assert np.all(search.cv_results_["mean_test_score"][small] < 0.5)


def test_ordinary_kfold_scores_unstored_patterns_with_a_warning():
    X = make_patterns(40, 30, random_state=0)
    with pytest.warns(UserWarning, match="never stored"):
        GridSearchCV(
            KLRHopfieldMemory(random_state=0), {"lam": [0.01]}, cv=KFold(2)
        ).fit(X)


# ---------------------------------------------------------------------- scorers


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


# -------------------------------------------------------------------- pipelines


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


# ----------------------------------------------------------------------- curves

_CURVE = {"n_features": 30, "n_trials": 2, "n_cues": 10, "random_state": 0}


def test_capacity_curve_shapes_and_physics():
    good = capacity_curve(KLRHopfieldMemory(gamma=5 / 30), [0.5, 3], **_CURVE)
    bad = capacity_curve(KLRHopfieldMemory(gamma=0.2 / 30), [0.5, 3], **_CURVE)
    assert isinstance(good, CapacityCurve)
    assert good.scores.shape == good.overlaps.shape == (2, 2)
    assert good.n_patterns.tolist() == [15, 90]
    np.testing.assert_array_equal(good.loads, [0.5, 3.0])
    assert good.mean.tolist() == [1.0, 1.0] and good.capacity() == 3.0
    # A global kernel (gamma N = 0.2) cannot hold P / N = 3.
    assert bad.mean[1] < 0.5 and not bad.capacity() >= good.capacity()
    assert np.all(good.overlaps >= bad.overlaps)
    again = capacity_curve(KLRHopfieldMemory(gamma=0.2 / 30), [0.5, 3], **_CURVE)
    np.testing.assert_array_equal(bad.scores, again.scores)


def test_capacity_curve_threshold_and_overlap_criterion():
    curve = CapacityCurve(
        [1, 2, 3],
        [[1, 1], [0.9, 1], [0.5, 0.3]],
        [[1, 1], [1, 1], [0.9, 0.9]],
        n_features=10,
        n_patterns=[10, 20, 30],
        criterion="exact",
    )
    np.testing.assert_allclose(curve.mean, [1, 0.95, 0.4])
    np.testing.assert_allclose(curve.std, [0, 0.05, 0.1])
    assert curve.capacity() == 2.0 and curve.capacity(1.0) == 1.0
    assert curve.capacity(0.3) == 3.0
    assert np.isnan(CapacityCurve([1], [[0.1]], [[0]], n_features=3,
                                  n_patterns=[3], criterion="exact").capacity())  # fmt: skip
    with pytest.raises(ValueError, match="threshold"):
        curve.capacity(1.5)
    loose = capacity_curve(
        KLRHopfieldMemory(gamma=0.2 / 30), [3], criterion=-1.0, **_CURVE
    )
    assert loose.mean.tolist() == [1.0]  # every overlap is >= -1


@pytest.mark.parametrize("update", ["sync", "async"])
def test_capacity_curve_same_numbers_for_any_n_jobs_and_backend(update):
    # random_state=None on the memory: each task must seed its own clone.
    est = KLRHopfieldMemory(update=update)
    loads = [1, 4]
    ref = capacity_curve(est, loads, noise=0.3, **_CURVE)
    assert 0 < ref.overlaps.mean() <= 1
    runs = [capacity_curve(est, loads, noise=0.3, n_jobs=2, **_CURVE)]
    with joblib.parallel_config(backend="threading", n_jobs=2):
        runs.append(capacity_curve(est, loads, noise=0.3, **_CURVE))
    for run in runs:
        np.testing.assert_array_equal(run.scores, ref.scores)
        np.testing.assert_array_equal(run.overlaps, ref.overlaps)


def test_capacity_curve_same_numbers_on_dask():
    distributed = pytest.importorskip("distributed")
    est = KLRHopfieldMemory(update="async")
    ref = capacity_curve(est, [1, 4], noise=0.3, **_CURVE)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        run = capacity_curve(est, [1, 4], noise=0.3, **_CURVE)
        noise_run = noise_curve(est, [0.1, 0.4], load=2, **_CURVE)
    np.testing.assert_array_equal(run.scores, ref.scores)
    np.testing.assert_array_equal(run.overlaps, ref.overlaps)
    noise_ref = noise_curve(est, [0.1, 0.4], load=2, **_CURVE)
    np.testing.assert_array_equal(noise_run.scores, noise_ref.scores)


def test_capacity_curve_draws_patterns_from_a_pool():
    pool = make_patterns(40, 20, random_state=1) > 0  # 0 / 1 encoded pool
    curve = capacity_curve(
        KLRHopfieldMemory(gamma=0.25),
        [1, 2],
        X=pool,
        noise=0.1,
        n_trials=2,
        random_state=0,
    )
    assert curve.n_features == 20 and curve.n_patterns.tolist() == [20, 40]
    assert curve.mean.tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="pool X has 40"):
        capacity_curve(KLRHopfieldMemory(), [3], X=pool)


def test_capacity_curve_progress(capsys):
    pytest.importorskip("tqdm")
    capacity_curve(KLRHopfieldMemory(), [1, 2], verbose=1, **_CURVE)
    err = capsys.readouterr().err
    assert "capacity_curve" in err and "4/4" in err
    capacity_curve(KLRHopfieldMemory(), [1, 2], verbose=0, **_CURVE)
    assert capsys.readouterr().err == ""


def test_noise_curve_measures_the_basin():
    est = KLRHopfieldMemory(gamma=5 / 30)
    curve = noise_curve(est, [0.0, 0.1, 0.5], load=2, **_CURVE)
    assert isinstance(curve, NoiseCurve)
    assert curve.scores.shape == (3, 2) and curve.n_patterns == 60
    assert curve.mean[0] == 1.0 and curve.mean[1] == 1.0 and curve.mean[2] < 0.2
    assert curve.overlaps[2].mean() < curve.overlaps[1].mean()
    assert curve.basin() == 0.1
    pool = make_patterns(30, 30, random_state=2)
    whole = noise_curve(est, [0.1], X=pool, n_trials=1, random_state=0)
    assert whole.n_patterns == 30 and whole.mean.tolist() == [1.0]


@pytest.mark.parametrize(
    "func, args, kwargs, match",
    [
        (capacity_curve, ([0, 1],), {"n_features": 10}, "finite and > 0"),
        (capacity_curve, ([-1],), {"n_features": 10}, "finite and > 0"),
        (capacity_curve, ([[1, 2]],), {"n_features": 10}, "1-D"),
        (capacity_curve, ([],), {"n_features": 10}, "non-empty"),
        (capacity_curve, ([0.01],), {"n_features": 10}, "0 patterns"),
        (capacity_curve, ([1],), {}, "Pass n_features"),
        (capacity_curve, ([1],), {"n_features": 10, "noise": 1.5}, "'noise'"),
        (capacity_curve, ([1],), {"n_features": 10, "n_trials": 0}, "'n_trials'"),
        (capacity_curve, ([1],), {"n_features": 0}, "'n_features'"),
        (capacity_curve, ([1],), {"n_features": 5, "X": np.ones((9, 4))}, "match"),
        (capacity_curve, ([1],), {"X": np.full((9, 4), 0.3)}, "binary states"),
        (capacity_curve, ([1],), {"n_features": 5, "update": "x"}, "'update'"),
        (capacity_curve, ([1],), {"n_features": 5, "criterion": 2}, "'criterion'"),
        (noise_curve, ([0.1, 1.2],), {"load": 1, "n_features": 10}, r"\[0, 1\]"),
        (noise_curve, ([-0.1],), {"load": 1, "n_features": 10}, r"\[0, 1\]"),
        (noise_curve, ([0.1],), {"n_features": 10}, "Pass load"),
        (noise_curve, ([0.1],), {"load": 0, "n_features": 10}, "'load'"),
        (noise_curve, ([0.1],), {"load": 3, "X": np.ones((9, 4))}, "pool X has 9"),
    ],
)
def test_curves_reject_bad_input(func, args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        func(KLRHopfieldMemory(), *args, **kwargs)


@pytest.mark.parametrize("func", [capacity_curve, noise_curve])
@pytest.mark.parametrize("estimator", [KernelRidge(), "memory", KLRHopfieldMemory])
def test_curves_reject_estimators_that_are_not_memories(func, estimator):
    with pytest.raises(
        (TypeError, ValueError),
        match="'estimator'.*implementing 'fit' and 'retrieve'|an instance",
    ):
        func(estimator, [0.5], load=1, n_features=10) if func is noise_curve else func(
            estimator, [0.5], n_features=10
        )
