"""The completion curve: clamped against free, noise-free limit, parallel runs, bad input."""

import joblib
import numpy as np
import pytest

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.model_selection import (
    CompletionCurve,
    completion_curve,
    noise_curve,
)

# A Hebbian memory past its capacity (P / N = 0.2 > 0.14): the stored patterns
# are not fixed points, so free dynamics lose known bits that clamping keeps.
_PAST = {"load": 0.2, "n_features": 100, "n_trials": 3, "random_state": 0}


def test_clamping_keeps_what_free_dynamics_lose():
    curve = completion_curve(HebbianHopfieldMemory(), [0.0, 0.1, 0.3], **_PAST)
    assert isinstance(curve, CompletionCurve)
    assert curve.clamp == (False, True)
    assert curve.scores.shape == curve.overlaps.shape == (2, 3, 3)
    assert curve.n_patterns == 20 and curve.n_hidden.tolist() == [0, 10, 30]
    free, clamped = curve.mean
    # Free dynamics drift away from the stored patterns even from the full cue.
    assert free[0] < 0.7 and curve.overlaps[0, 0].mean() < 0.99
    # Clamped, a full cue is its own answer; the known bits are always right,
    # so the overlap is at least 1 - 2 * hidden / N in every trial.
    assert clamped[0] == 1.0 and curve.overlaps[1, 0].tolist() == [1.0] * 3
    assert (curve.overlaps[1] >= 1 - 2 * curve.hidden_fractions[:, None]).all()
    assert (clamped >= free + 0.2).all()
    assert (curve.overlaps[1] > curve.overlaps[0]).all()
    assert curve.completion(0.95) == 0.0 and np.isnan(curve.completion(clamp=False))


@pytest.mark.parametrize("update", ["sync", "async"])
def test_clamped_recall_is_at_least_free_at_half_hidden(update):
    # N = 100, P / N = 3, half the bits hidden.
    curve = completion_curve(
        KLRHopfieldMemory(update=update), [0.5], load=3, n_features=100,
        n_trials=2, n_cues=60, random_state=0,
    )  # fmt: skip
    free, clamped = curve.mean[:, 0]
    assert clamped >= free >= 0.95


@pytest.mark.parametrize("update", ["sync", "async"])
def test_hidden_fraction_zero_is_noise_free_recall(update):
    est = HebbianHopfieldMemory(update=update)  # random_state None: seeded per task
    common = {**_PAST, "n_cues": 15, "update": update}
    curve = completion_curve(est, [0.3, 0.0], clamp=False, **common)
    ref = noise_curve(est, [0.0], **common)
    assert 0 < ref.mean[0] < 1  # not a trivial number
    np.testing.assert_array_equal(curve.scores[0, 1], ref.scores[0])
    np.testing.assert_array_equal(curve.overlaps[0, 1], ref.overlaps[0])


@pytest.mark.parametrize("update", ["sync", "async"])
def test_same_numbers_for_any_n_jobs_and_backend(update):
    est = KLRHopfieldMemory(gamma=0.5 / 30, update=update)  # a global kernel errs
    args = ([0.3, 0.6, 0.9],)
    kwargs = {"load": 2, "n_features": 30, "n_trials": 3, "n_cues": 10,
              "random_state": 0}  # fmt: skip
    ref = completion_curve(est, *args, **kwargs)
    assert 0 < ref.mean.max() < 1 and 0 < ref.overlaps.mean() < 1  # not trivial
    runs = [completion_curve(est, *args, n_jobs=2, **kwargs)]
    for backend in ("threading", "loky"):
        with joblib.parallel_config(backend=backend, n_jobs=2):
            runs.append(completion_curve(est, *args, **kwargs))
    for run in runs:
        np.testing.assert_array_equal(run.scores, ref.scores)
        np.testing.assert_array_equal(run.overlaps, ref.overlaps)


def test_curve_draws_from_a_pool_and_follows_the_criterion():
    pool = make_patterns(40, 20, random_state=1) > 0  # 0 / 1 encoded pool
    exact = completion_curve(
        KLRHopfieldMemory(gamma=0.25), [0.2, 0.85], X=pool, n_trials=2,
        random_state=0, clamp=True,
    )  # fmt: skip
    assert exact.n_features == 20 and exact.n_patterns == 40
    assert exact.clamp == (True,) and exact.scores.shape == (1, 2, 2)
    assert exact.mean[0, 0] == 1.0 and exact.mean[0, 1] < 1.0
    loose = completion_curve(
        KLRHopfieldMemory(gamma=0.25), [0.2, 0.85], X=pool, n_trials=2,
        random_state=0, clamp=True, criterion=-1.0,
    )  # fmt: skip
    assert loose.mean.tolist() == [[1.0, 1.0]]  # every overlap is >= -1
    np.testing.assert_array_equal(loose.overlaps, exact.overlaps)


def test_result_threshold_repr_and_bad_queries():
    curve = CompletionCurve(
        [0.0, 0.5, 0.8],
        [[[1.0, 1.0], [0.9, 1.0], [0.0, 0.2]], [[1.0, 1.0], [1.0, 1.0], [0.5, 0.5]]],
        np.ones((2, 3, 2)),
        clamp=(False, True),
        n_features=10,
        n_patterns=20,
        criterion="exact",
    )
    np.testing.assert_allclose(curve.mean, [[1, 0.95, 0.1], [1, 1, 0.5]])
    np.testing.assert_allclose(curve.std, [[0, 0.05, 0.1], [0, 0, 0]])
    assert curve.completion(0.95, clamp=False) == 0.5
    assert curve.completion(0.5) == 0.8 and curve.completion(1.0) == 0.5
    assert curve.n_hidden.tolist() == [0, 5, 8]
    assert "free" in repr(curve) and "clamped" in repr(curve)
    with pytest.raises(ValueError, match="threshold"):
        curve.completion(1.5)
    only_free = CompletionCurve([0.1], [[[1.0]]], [[[1.0]]], clamp=[False],
                                n_features=10, n_patterns=5, criterion="exact")  # fmt: skip
    with pytest.raises(ValueError, match="computed with clamp in"):
        only_free.completion()


def test_progress(capsys):
    pytest.importorskip("tqdm")
    completion_curve(HebbianHopfieldMemory(), [0.1], verbose=1, **_PAST)
    err = capsys.readouterr().err
    assert "completion_curve" in err and "3/3" in err


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ([1.0], {}, r"\[0, 1\)"),
        ([-0.1, 0.2], {}, r"\[0, 1\)"),
        ([[0.1, 0.2]], {}, "1-D"),
        ([], {}, "non-empty"),
        ([0.96], {"n_features": 10}, "at least one known bit.*below 0.95"),
        ([0.1], {"clamp": ()}, "non-empty sequence of bools"),
        ([0.1], {"clamp": ("yes", True)}, "sequence of bools"),
        ([0.1], {"clamp": [[True]]}, "sequence of bools"),
        ([0.1], {"clamp": (True, True)}, "twice"),
        ([0.1], {"clamp": "both"}, "'clamp'"),
        ([0.1], {"load": None}, "Pass load"),
        ([0.1], {"load": 0.01}, "0 patterns"),
        ([0.1], {"load": 0}, "'load'"),
        ([0.1], {"n_features": None}, "Pass n_features"),
        ([0.1], {"X": np.ones((9, 4)), "n_features": None, "load": 3}, "pool X has 9"),
        ([0.1], {"X": np.ones((9, 4))}, "does not match"),
        ([0.1], {"n_trials": 0}, "'n_trials'"),
        ([0.1], {"update": "x"}, "'update'"),
        ([0.1], {"criterion": 2}, "'criterion'"),
    ],
)
def test_bad_input_is_refused_clearly(args, kwargs, match):
    kwargs = {"load": 1, "n_features": 20, **kwargs}
    with pytest.raises(ValueError, match=match):
        completion_curve(KLRHopfieldMemory(), args, **kwargs)


@pytest.mark.parametrize("estimator", ["memory", KLRHopfieldMemory])
def test_estimators_that_are_not_memory_instances_are_refused(estimator):
    with pytest.raises(
        (TypeError, ValueError), match="'estimator'.*'fit' and 'retrieve'|an instance"
    ):
        completion_curve(estimator, [0.1], load=1, n_features=10)
