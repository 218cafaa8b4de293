"""Capacity and noise curves: physics, parallel reproducibility, bad input."""

import joblib
import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.model_selection import (
    CapacityCurve,
    NoiseCurve,
    capacity_curve,
    noise_curve,
)

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


def test_every_curve_rounds_the_load_the_same_way():
    # 0.25 of N = 10 is 2.5 patterns: both curves store 3 (halves up, like the
    # bits of a cue); Python's round would give 2.
    est = KLRHopfieldMemory(gamma=0.5)
    common = {"n_features": 10, "n_trials": 1, "random_state": 0}
    cap = capacity_curve(est, [0.25, 0.35], **common)
    noise = noise_curve(est, [0.1], load=0.25, **common)
    assert cap.n_patterns.tolist() == [3, 4]
    assert int(noise.n_patterns) == 3
