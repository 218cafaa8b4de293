"""StoredPatternSplit in GridSearchCV."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, KFold

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.model_selection import (
    StoredPatternSplit,
)


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
