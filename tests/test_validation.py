"""Encodings, bad input and persistence of KLRHopfieldMemory."""

import pickle

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns


@pytest.fixture(scope="module")
def X():
    return make_patterns(40, 30, random_state=0)


def test_binary_and_bool_encodings_round_trip(X):
    cues = corrupt(X, 0.1, random_state=1)
    ref = KLRHopfieldMemory().fit(X).predict(cues)
    binary = KLRHopfieldMemory().fit(((X + 1) // 2).astype(int))
    out = binary.predict(((cues + 1) // 2).astype(int))
    assert binary.encoding_ == "binary" and out.dtype.kind == "i"
    np.testing.assert_array_equal(out, (ref + 1) // 2)
    boolean = KLRHopfieldMemory().fit(X > 0)
    out = boolean.predict(cues > 0)
    assert boolean.encoding_ == "bool" and out.dtype == bool
    np.testing.assert_array_equal(out, ref > 0)
    assert boolean.transform(cues > 0).dtype == bool


def test_binarize_accepts_real_data(X):
    rng = np.random.RandomState(0)
    real = X * rng.uniform(0.5, 2.0, X.shape)
    mem = KLRHopfieldMemory(binarize=0.0).fit(real)
    np.testing.assert_array_equal(mem.patterns_, X)
    np.testing.assert_array_equal(mem.predict(real), X)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.full((4, 5), 0.5), r"found values \[0.5\].*binarize"),
        (np.array([[-1, 0, 1], [1, 1, 0]]), r"-1 / \+1, 0 / 1 or bool"),
        (np.array([[1.0, np.nan], [1.0, -1.0]]), "NaN"),
        (np.array([[1.0, np.inf], [1.0, -1.0]]), "infinity"),
        (np.empty((0, 5)), "0 sample"),
        (np.ones(5), "Expected 2D array, got 1D array"),
        (np.ones((2, 3, 4)), "Found array with dim 3"),
        ([["a", "b"], ["c", "d"]], "could not convert|dtype"),
        (np.ones((2, 2)) * 1j, "Complex data not supported"),
    ],
)
def test_fit_rejects_bad_patterns(bad, match):
    with pytest.raises(ValueError, match=match):
        KLRHopfieldMemory().fit(bad)


def test_predict_rejects_bad_cues(X):
    mem = KLRHopfieldMemory().fit(X)
    with pytest.raises(
        ValueError, match="X has 29 features, but KLRHopfieldMemory is expecting 30"
    ):
        mem.predict(X[:, :29])
    with pytest.raises(ValueError, match=r"encoded as -1 / \+1.*found values \[0.0\]"):
        mem.predict((X + 1) / 2)
    with pytest.raises(
        ValueError, match="'update' parameter of retrieve must be a str among"
    ):
        mem.retrieve(X, update="parallel")
    # NaN marks the unknown bits of partial cues, which only the methods
    # that complete cues accept; score compares with its rows, so wants them whole
    for method in ("decision_function", "energy", "score"):
        with pytest.raises(ValueError, match="NaN"):
            getattr(mem, method)(np.where(X > 0, np.nan, -1.0))
    for method in ("predict", "transform"):
        with pytest.raises(ValueError, match="every bit unknown"):
            getattr(mem, method)(np.full(X.shape, np.nan))


@pytest.mark.parametrize(
    "method", ["predict", "transform", "score", "retrieve", "energy"]
)
def test_unfitted_use_raises(method, X):
    with pytest.raises(NotFittedError):
        getattr(KLRHopfieldMemory(), method)(X)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"gamma": -1.0}, "'gamma' parameter"),
        ({"lam": -0.1}, "'lam' parameter"),
        ({"kernel": "precomputed"}, "'kernel' parameter"),
        ({"solver": "sag"}, "'solver' parameter"),
        ({"update": "random"}, "'update' parameter"),
        ({"max_steps": 0}, "'max_steps' parameter"),
        ({"score_noise": 1.5}, "'score_noise' parameter"),
        ({"lam": 0.0}, "lam=0 is not supported with loss='logistic'"),
    ],
)
def test_invalid_parameters(params, match, X):
    with pytest.raises(ValueError, match=match):
        KLRHopfieldMemory(**params).fit(X)


def test_score_warns_on_unstored_patterns(X):
    mem = KLRHopfieldMemory(random_state=0).fit(X[:20])
    with pytest.warns(
        UserWarning, match="20 of the 40 rows passed to score were never stored"
    ):
        score = mem.score(X)
    assert score <= 0.5


def test_score_is_recall_rate(X):
    mem = KLRHopfieldMemory(random_state=0).fit(X)
    assert mem.score(X) == 1.0
    assert KLRHopfieldMemory(random_state=0, score_noise=0.5).fit(X).score(X) < 0.2


@pytest.mark.parametrize("update", ["sync", "async"])
def test_pickle_round_trip_is_exact(update, X):
    mem = KLRHopfieldMemory(update=update, random_state=0).fit(X)
    cues = corrupt(X, 0.3, random_state=2)
    clone = pickle.loads(pickle.dumps(mem))
    np.testing.assert_array_equal(clone.dual_coef_, mem.dual_coef_)
    np.testing.assert_array_equal(clone.predict(cues), mem.predict(cues))
    a, b = (
        mem.retrieve(cues, return_trajectory=True),
        clone.retrieve(cues, return_trajectory=True),
    )
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    np.testing.assert_array_equal(a.n_events, b.n_events)


def test_single_pattern_and_single_neuron():
    one = KLRHopfieldMemory().fit([[1, -1, 1, 1]])
    np.testing.assert_array_equal(one.predict([[1, 1, 1, 1]]), [[1, -1, 1, 1]])
    neuron = KLRHopfieldMemory().fit([[1], [-1]])
    np.testing.assert_array_equal(neuron.predict([[1], [-1]]), [[1], [-1]])
