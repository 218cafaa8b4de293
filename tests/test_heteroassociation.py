"""fit(X, y): targets, their validation, and what predict and score answer."""

import pickle
import re

import numpy as np
import pytest
import skops.io as sio
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_klrhop import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)
from sklearn_klrhop._persistence import SKOPS_TRUSTED_TYPES
from sklearn_klrhop.datasets import corrupt, make_patterns, sequence_targets
from tests._references import gram, klr_objective, stationarity_residual

# Memories that learn targets, at a load each stores a short cycle exactly.
HETERO = [
    KLRHopfieldMemory(random_state=0),
    KLRHopfieldMemory(loss="squared", random_state=0),
    KLRHopfieldMemory(gamma=0.02, solver="lbfgs", random_state=0),
    HebbianHopfieldMemory(random_state=0),
    PseudoinverseHopfieldMemory(random_state=0),
    LinearLogisticHopfieldMemory(random_state=0),
    ModernHopfieldMemory(random_state=0),
]
AUTO = [*HETERO, StorkeyHopfieldMemory(random_state=0)]
N = 64
X = make_patterns(6, N, random_state=0)  # P / N < 0.1: even Hebb stores it
KEYS, NEXT = sequence_targets(X)


def _ids(items):
    return [type(e).__name__ + f"-{i}" for i, e in enumerate(items)]


def _learned(mem):
    return mem.dual_coef_ if hasattr(mem, "dual_coef_") else mem.weights_


# ------------------------------------------------------ y = X is y = None
@pytest.mark.parametrize("est", AUTO, ids=_ids(AUTO))
def test_fit_x_and_fit_x_x_are_the_same_memory(est):
    a, b = clone(est).fit(X), clone(est).fit(X, X)
    c = clone(est).fit(X, X > 0)  # the same states in another encoding
    for other in (b, c):
        np.testing.assert_array_equal(_learned(a), _learned(other))
        assert not other.heteroassociative_ and other.n_outputs_ == N
    cues = corrupt(X, 0.1, random_state=0)
    np.testing.assert_array_equal(a.predict(cues), b.predict(cues))
    np.testing.assert_array_equal(a.predict(cues) > 0, c.predict(cues))
    assert c.predict(cues).dtype == bool  # answers in the encoding of y
    assert a.score(X) == b.score(X) == b.score(X, X)


# ------------------------------------------------------- the KLR optimum
def test_heteroassociative_klr_is_the_optimum_of_its_objective():
    # The same independent solver as for autoassociation: K = L L^T turns the
    # RKHS-regularised problem of neuron i into L2 logistic regression on L,
    # here with targets of another width than the patterns.
    P, lam, gamma = 40, 0.05, 0.05
    S = make_patterns(P, 12, random_state=1)
    Y = make_patterns(P, 7, random_state=2)
    mem = KLRHopfieldMemory(gamma=gamma, lam=lam, tol=1e-10).fit(S, Y)
    assert mem.heteroassociative_ and mem.dual_coef_.shape == (P, 7)
    K = gram(S, gamma=gamma)
    L = np.linalg.cholesky(K)
    T = (Y + 1) / 2
    for i in range(Y.shape[1]):
        lr = LogisticRegression(
            C=1 / lam, fit_intercept=False, tol=1e-12, max_iter=10_000
        ).fit(L, T[:, i])
        h_ref = L @ lr.coef_.ravel()
        np.testing.assert_allclose(
            K @ mem.dual_coef_[:, i], h_ref, rtol=1e-5, atol=1e-6
        )
        np.testing.assert_allclose(
            mem.dual_coef_[:, i], (T[:, i] - expit(h_ref)) / lam, rtol=1e-4, atol=1e-5
        )
    assert stationarity_residual(mem.dual_coef_, K, T, lam) < 1e-6


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg", "newton-diagonal", "gd"])
def test_every_solver_reaches_the_heteroassociative_optimum(solver):
    S, Y = sequence_targets(make_patterns(30, 16, random_state=3))
    gamma = 0.4 if solver == "newton-diagonal" else 0.05
    max_iter = 20_000 if solver == "gd" else None
    mem = KLRHopfieldMemory(
        gamma=gamma, lam=0.1, solver=solver, tol=1e-9, max_iter=max_iter
    ).fit(S, Y)
    K = gram(S, gamma=gamma)
    _, grad = klr_objective(mem.dual_coef_, K, (Y + 1) / 2, 0.1)
    _, grad0 = klr_objective(np.zeros_like(Y), K, (Y + 1) / 2, 0.1)
    assert np.abs(grad).max() < 1e-5 * np.abs(grad0).max()


def test_heteroassociative_krr_is_kernel_ridge():
    S, Y = make_patterns(50, 20, random_state=4), make_patterns(50, 9, random_state=5)
    mem = KLRHopfieldMemory(gamma=0.05, lam=0.3, loss="squared").fit(S, Y)
    ref = KernelRidge(alpha=0.3, kernel="rbf", gamma=0.05).fit(S, Y)
    np.testing.assert_allclose(mem.dual_coef_, ref.dual_coef_, rtol=1e-10)


# -------------------------------------------------------- the baselines
def test_hebbian_sequence_rule():
    mem = HebbianHopfieldMemory().fit(KEYS, NEXT)
    expected = sum(np.outer(NEXT[mu], KEYS[mu]) for mu in range(len(KEYS))) / N
    np.testing.assert_allclose(mem.weights_, expected)  # diagonal kept


def test_pseudoinverse_projection_maps_each_pattern_to_its_target():
    S, Y = make_patterns(30, 40, random_state=6), make_patterns(30, 11, random_state=7)
    mem = PseudoinverseHopfieldMemory().fit(S, Y)
    np.testing.assert_allclose(S @ mem.weights_.T, Y, atol=1e-10)  # W x = y
    np.testing.assert_array_equal(mem.predict(S), Y)


def test_modern_memory_decodes_the_targets():
    S, Y = make_patterns(20, 30, random_state=8), make_patterns(20, 5, random_state=9)
    cues = corrupt(S, 0.2, random_state=0)
    mem = ModernHopfieldMemory(beta=0.3).fit(S, Y)
    fields = softmax(0.3 * cues @ S.T, axis=1) @ Y  # Y^T softmax(beta X s)
    np.testing.assert_allclose(mem.decision_function(cues), fields, rtol=1e-10)


def test_linear_logistic_learns_each_target_bit():
    S, Y = make_patterns(40, 10, random_state=10), make_patterns(40, 3, random_state=11)
    mem = LinearLogisticHopfieldMemory(lam=0.5, tol=1e-10).fit(S, Y)
    for i in range(3):
        lr = LogisticRegression(C=1 / 0.5, fit_intercept=False, tol=1e-12)
        lr.fit(S, Y[:, i] > 0)
        np.testing.assert_allclose(mem.weights_[i], lr.coef_.ravel(), atol=1e-4)


def test_storkey_refuses_targets():
    mem = StorkeyHopfieldMemory().fit(X)
    before = pickle.dumps(mem)
    with pytest.raises(ValueError, match="no standard heteroassociative form"):
        mem.fit(KEYS, NEXT)
    assert pickle.dumps(mem) == before


# ------------------------------------------------- predict, score, replay
@pytest.mark.parametrize("est", HETERO, ids=_ids(HETERO))
def test_predict_answers_the_associated_targets(est):
    mem = clone(est).fit(KEYS, NEXT)
    assert mem.heteroassociative_
    np.testing.assert_array_equal(mem.predict(KEYS), NEXT)
    # one application of the map: predict is the replay's first step
    np.testing.assert_array_equal(mem.replay(KEYS, n_steps=1)[:, 1], NEXT)
    replayed = mem.replay(KEYS[:1], n_steps=2 * len(X))[0]
    np.testing.assert_array_equal(replayed, np.vstack([X, X, X[:1]]))


def test_predict_with_max_steps_one_is_the_one_step_successor():
    cues = corrupt(X, 0.1, random_state=1)
    for y in (None, NEXT):
        mem = KLRHopfieldMemory(max_steps=1).fit(X, y)
        step = np.where(mem.decision_function(cues) >= 0, 1.0, -1.0)
        np.testing.assert_array_equal(mem.predict(cues), step)


def test_predict_answers_in_the_encoding_and_shape_of_y():
    labels = np.array(["a", "b"])[(X[:, 0] > 0).astype(int)]
    y = (labels == "b")[:, None]  # a 1-bit bool target per pattern, 2-D
    mem = KLRHopfieldMemory().fit(X, y)
    assert mem.n_outputs_ == 1 and mem.heteroassociative_
    out = mem.predict(X)
    assert out.shape == (len(X), 1) and out.dtype == bool
    np.testing.assert_array_equal(out, y)
    assert mem.decision_function(X).shape == (len(X), 1)
    binary = KLRHopfieldMemory().fit(X > 0, ((NEXT + 1) // 2).astype(np.uint8))
    assert binary.predict(X > 0).dtype == np.uint8


@pytest.mark.parametrize("est", AUTO, ids=_ids(AUTO))
def test_a_1d_y_is_a_label_vector_and_is_ignored(est):
    labels = np.arange(len(X)) % 2  # class labels, as a Pipeline passes them
    auto, with_labels = clone(est).fit(X), clone(est).fit(X, labels)
    assert not with_labels.heteroassociative_ and with_labels.n_outputs_ == N
    np.testing.assert_array_equal(_learned(with_labels), _learned(auto))
    cues = corrupt(X, 0.1, random_state=0)
    np.testing.assert_array_equal(with_labels.predict(cues), X)
    assert with_labels.score(X, labels) == with_labels.score(X)
    # a 1-bit target map is still learned when y is 2-D
    if not isinstance(est, StorkeyHopfieldMemory):
        one_bit = clone(est).fit(X, labels[:, None] > 0)
        assert one_bit.heteroassociative_ and one_bit.n_outputs_ == 1


def test_a_memory_before_a_classifier_does_not_learn_the_labels():
    from sklearn.preprocessing import Binarizer

    rng = np.random.RandomState(0)
    prototypes = make_patterns(3, 40, random_state=1)
    labels = np.repeat(np.arange(3), 20)
    data = corrupt(prototypes[labels], 0.1, random_state=rng) > 0
    memory = KLRHopfieldMemory(transform_returns="states")
    pipe = make_pipeline(Binarizer(threshold=0.5), memory, LogisticRegression())
    pipe.fit(data.astype(float), labels)
    fitted = pipe.named_steps["klrhopfieldmemory"]
    assert not fitted.heteroassociative_ and fitted.n_outputs_ == 40
    features = pipe[:-1].transform(data.astype(float))
    assert features.shape == (60, 40)  # cleaned states, no image of the labels
    assert pipe.score(data.astype(float), labels) == 1.0


def test_score_is_transition_recall_from_noisy_cues():
    keys, nxt = sequence_targets(make_patterns(400, 50, random_state=3))
    mem = KLRHopfieldMemory(gamma=0.1, score_noise=0.2, random_state=3)
    mem.fit(keys, nxt)
    rng = np.random.RandomState(3)
    expected = np.mean(
        np.all(mem.predict(corrupt(keys, 0.2, random_state=rng)) == nxt, axis=1)
    )
    assert 0.5 < expected < 1  # the check can tell apart what it compares
    assert mem.score(keys, nxt) == expected
    assert mem.score(keys) == expected  # the stored targets
    assert mem.score(keys, keys) == 0.0  # the cues themselves are not the answer
    with pytest.warns(UserWarning, match="10 of the 410 rows .* never stored"):
        unstored = mem.score(np.vstack([keys, -keys[:10]]))
    assert unstored <= 400 / 410


def test_grid_search_with_targets_and_a_pipeline():
    from sklearn.model_selection import GridSearchCV

    from sklearn_klrhop.model_selection import StoredPatternSplit

    keys, nxt = sequence_targets(make_patterns(200, 40, random_state=4))
    search = GridSearchCV(
        make_pipeline(FunctionTransformer(), KLRHopfieldMemory(score_noise=0.2)),
        {"klrhopfieldmemory__gamma": [0.005, 0.2]},
        cv=StoredPatternSplit(n_splits=2, random_state=0),
    ).fit(keys, nxt)
    assert search.best_params_ == {"klrhopfieldmemory__gamma": 0.2}
    assert search.best_score_ > 0.9
    assert search.cv_results_["mean_test_score"][0] < 0.5


# ------------------------------------------------------- no dynamics refused
def test_async_updates_of_a_map_are_refused_naming_sync():
    mem = KLRHopfieldMemory(update="async", random_state=0).fit(KEYS, NEXT)
    np.testing.assert_array_equal(mem.predict(KEYS), NEXT)  # one map step
    for call in (
        lambda: mem.retrieve(KEYS),
        lambda: mem.transform(KEYS),
        lambda: KLRHopfieldMemory().fit(KEYS, NEXT).retrieve(KEYS, update="async"),
    ):
        with pytest.raises(ValueError, match=re.escape("update='sync'")):
            call()
    np.testing.assert_array_equal(mem.replay(KEYS, 1)[:, 1], NEXT)  # always sync


def test_a_map_to_another_width_is_applied_once():
    Y = make_patterns(len(X), 5, random_state=12)
    mem = KLRHopfieldMemory().fit(X, Y)
    np.testing.assert_array_equal(mem.predict(X), Y)
    np.testing.assert_array_equal(mem.transform(X), np.hstack([X, Y]))
    for call, match in (
        (lambda: mem.retrieve(X), "applied once but not iterated"),
        (lambda: mem.replay(X, 2), "max_steps=2"),
        (lambda: mem.energy(X), "pseudo-energy"),
    ):
        with pytest.raises(ValueError, match=match):
            call()


# ------------------------------------------------------------- bad input
BAD_Y = {
    "rows": (NEXT[:-1], "y has 5 rows but X has 6"),
    "3-D": (NEXT[None], "dim 3"),
    "non-binary": (NEXT * 0.5, r"y must hold binary states.*binarize"),
    "nan": (np.where(NEXT > 0, np.nan, -1.0), "NaN"),
    "strings": (NEXT.astype(str), "y must be a numeric"),
    "empty-cols": (np.empty((6, 0)), "0 feature|0 columns"),
}


@pytest.mark.parametrize("case", BAD_Y)
def test_bad_targets_are_refused_and_leave_the_memory_unchanged(case):
    bad, match = BAD_Y[case]
    mem = KLRHopfieldMemory().fit(KEYS, NEXT)
    before = pickle.dumps(mem)
    with pytest.raises((ValueError, TypeError), match=match):
        mem.fit(KEYS, bad)
    assert pickle.dumps(mem) == before


def test_binarize_reads_real_targets_like_real_patterns():
    mem = KLRHopfieldMemory(binarize=0.0).fit(KEYS * 3.0, NEXT * 0.5)
    np.testing.assert_array_equal(mem.predict(KEYS * 2.0), NEXT)
    with pytest.raises(ValueError, match="9 target bits per row .* fitted with 64"):
        mem.score(KEYS, NEXT[:, :9])


def test_a_sequence_needs_two_patterns():
    with pytest.raises(ValueError, match="at least two patterns; got 1"):
        sequence_targets(X[:1])
    keys, nxt = sequence_targets(X > 0, cyclic=False)
    assert keys.dtype == bool and len(keys) == len(X) - 1
    np.testing.assert_array_equal(nxt, X[1:] > 0)


# ------------------------------------------------------------ persistence
def test_a_heteroassociative_memory_round_trips_exactly():
    mem = KLRHopfieldMemory().fit(KEYS, NEXT > 0)
    restored = [
        pickle.loads(pickle.dumps(mem)),
        sio.loads(sio.dumps(mem), trusted=SKOPS_TRUSTED_TYPES),
    ]
    cues = corrupt(KEYS, 0.1, random_state=0)
    for other in restored:
        assert other.heteroassociative_ and other.target_codec_ == mem.target_codec_
        np.testing.assert_array_equal(other.predict(cues), mem.predict(cues))
        np.testing.assert_array_equal(other.replay(cues, 8), mem.replay(cues, 8))
        np.testing.assert_array_equal(other.targets_, mem.targets_)
