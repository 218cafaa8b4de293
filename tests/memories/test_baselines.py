"""Baseline memories: their rules, capacities and the bugs peer libraries shipped."""

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import check_param_validation

from sklearn_klrhop import (
    BaseHopfieldMemory,
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)
from sklearn_klrhop.datasets import corrupt, make_patterns

CLASSICAL = [
    HebbianHopfieldMemory(),
    StorkeyHopfieldMemory(),
    PseudoinverseHopfieldMemory(),
    PseudoinverseHopfieldMemory(zero_diagonal=False),
    LinearLogisticHopfieldMemory(),
]
ALL = [*CLASSICAL, ModernHopfieldMemory()]


def _name(est):
    return repr(est)


def _recall(mem, X, noise=0.1, seed=0):
    cues = corrupt(X, noise, random_state=seed)
    return float(np.mean(np.all(mem.predict(cues) == X, axis=1)))


# ---------------------------------------------------------------- capacities
@pytest.mark.parametrize("update", ["sync", "async"])
def test_hebbian_recalls_below_and_fails_above_0138(update):
    N = 200
    low = make_patterns(10, N, random_state=1)  # P / N = 0.05
    high = make_patterns(60, N, random_state=1)  # P / N = 0.3
    mem = HebbianHopfieldMemory(update=update, random_state=0)
    assert _recall(mem.fit(low), low) >= 0.9
    assert _recall(mem.fit(high), high) <= 0.3


@pytest.mark.parametrize("zero_diagonal", [True, False])
@pytest.mark.parametrize("n_patterns", [1, 16, 40, 63])
def test_pseudoinverse_stores_every_pattern_as_fixed_point_below_n(
    n_patterns, zero_diagonal
):
    X = make_patterns(n_patterns, 64, random_state=3)
    mem = PseudoinverseHopfieldMemory(zero_diagonal=zero_diagonal).fit(X)
    res = mem.retrieve(X)
    assert np.array_equal(res.states, X)
    assert np.all(res.n_events == 0) and np.all(res.converged)
    if not zero_diagonal:
        # The projection reproduces the patterns exactly: W xi = xi.
        np.testing.assert_allclose(mem.decision_function(X), X, atol=1e-10)


def test_storkey_recalls_better_than_hebbian_at_load_025():
    X = make_patterns(50, 200, random_state=1)  # P / N = 0.25
    storkey = _recall(StorkeyHopfieldMemory().fit(X), X)
    hebbian = _recall(HebbianHopfieldMemory().fit(X), X)
    assert storkey >= 0.9
    assert hebbian <= 0.3


def test_linear_logistic_fails_near_09_where_klr_recalls():
    # Tamamori's first KLR paper: LLR breaks down around P / N = 0.9 while KLR
    # keeps recalling. N = 100, 10 % noise.
    N = 100
    X = make_patterns(30, N, random_state=1)  # P / N = 0.3
    assert _recall(LinearLogisticHopfieldMemory().fit(X), X) >= 0.9
    X = make_patterns(90, N, random_state=1)  # P / N = 0.9
    llr = LinearLogisticHopfieldMemory().fit(X)
    # The patterns are still fixed points (P < 2N, Gardner) ...
    assert np.array_equal(llr.predict(X), X)
    # ... but their basins no longer hold 10 % noise, unlike KLR's.
    assert _recall(llr, X) <= 0.3
    assert _recall(KLRHopfieldMemory(gamma=0.05).fit(X), X) >= 0.9


@pytest.mark.parametrize("update", ["sync", "async"])
def test_modern_hopfield_recalls_1000_patterns_in_64_neurons(update):
    X = make_patterns(1000, 64, random_state=0)
    mem = ModernHopfieldMemory(update=update, random_state=0).fit(X)
    assert _recall(mem, X, noise=0.1, seed=1) >= 0.95


# ------------------------------------------------------------- rules exactly
def test_hebbian_weights_are_the_outer_product_rule():
    X = make_patterns(7, 20, random_state=0)
    W = HebbianHopfieldMemory().fit(X).weights_
    for i, j in [(0, 1), (3, 19), (19, 0), (5, 5)]:
        expected = 0.0 if i == j else np.sum(X[:, i] * X[:, j]) / 20
        assert W[i, j] == pytest.approx(expected)


def test_storkey_matches_the_published_rule_written_as_loops():
    # Storkey (1997): w_ij += (xi_i xi_j - xi_i h_ji - h_ij xi_j) / n with
    # h_ij = sum_{k != i, j} w_ik xi_k, for i != j.
    X = make_patterns(5, 9, random_state=4)
    n = X.shape[1]
    W = np.zeros((n, n))
    for xi in X:
        new = W.copy()
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                h_ij = sum(W[i, k] * xi[k] for k in range(n) if k not in (i, j))
                h_ji = sum(W[j, k] * xi[k] for k in range(n) if k not in (i, j))
                new[i, j] += (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n
        W = new
    np.testing.assert_allclose(StorkeyHopfieldMemory().fit(X).weights_, W, atol=1e-12)


def test_linear_logistic_matches_sklearn_logistic_regression_per_neuron():
    X = make_patterns(20, 12, random_state=2)
    lam = 0.5
    W = LinearLogisticHopfieldMemory(lam=lam, tol=1e-10).fit(X).weights_
    for i in range(X.shape[1]):
        others = np.delete(np.arange(X.shape[1]), i)
        lr = LogisticRegression(C=1 / lam, fit_intercept=False, tol=1e-12)
        lr.fit(X[:, others], X[:, i] > 0)
        np.testing.assert_allclose(W[i, others], lr.coef_.ravel(), atol=1e-5)
    assert np.all(np.diag(W) == 0)


def test_linear_logistic_warns_when_lbfgs_stops_early():
    X = make_patterns(20, 12, random_state=2)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        mem = LinearLogisticHopfieldMemory(max_iter=1).fit(X)
    assert mem.n_iter_ == 1


def test_modern_fields_are_softmax_weighted_patterns():
    X = make_patterns(30, 16, random_state=5)
    S = make_patterns(4, 16, random_state=6)
    mem = ModernHopfieldMemory(beta=0.3).fit(X)
    expected = softmax(0.3 * S @ X.T, axis=1) @ X
    np.testing.assert_allclose(mem.decision_function(S), expected, atol=1e-12)
    assert mem.dual_coef_ is mem.patterns_


def test_modern_fields_do_not_underflow_at_large_beta():
    X = make_patterns(50, 400, random_state=0)
    mem = ModernHopfieldMemory(beta=50.0).fit(X)
    cues = corrupt(X[:5], 0.3, random_state=0)
    H = mem.decision_function(cues)
    assert np.all(np.isfinite(H)) and np.all(H != 0)
    assert np.array_equal(mem.predict(cues), X[:5])


# ------------------------------------------------------- bugs peers shipped
@pytest.mark.parametrize("est", ALL, ids=_name)
def test_fitting_twice_replaces_instead_of_accumulating(est):
    # NeuPy #218: repeated training changed the weights of earlier calls.
    X1 = make_patterns(6, 30, random_state=0)
    X2 = make_patterns(4, 30, random_state=1)
    twice = clone(est).fit(X1).fit(X2)
    fresh = clone(est).fit(X2)
    assert np.array_equal(twice.patterns_, X2)
    for attr in ("weights_", "dual_coef_"):
        if hasattr(fresh, attr):
            np.testing.assert_array_equal(getattr(twice, attr), getattr(fresh, attr))
    S = make_patterns(5, 30, random_state=2)
    np.testing.assert_array_equal(
        twice.decision_function(S), fresh.decision_function(S)
    )


@pytest.mark.parametrize("est", ALL, ids=_name)
def test_async_visits_every_neuron(est):
    # NeuPy drew the neuron with randint(0, N - 1), never updating the last
    # one. Every single-bit error, first and last neuron included, is fixed by
    # exactly one event.
    N = 40
    X = make_patterns(3, N, random_state=0)
    mem = clone(est).set_params(update="async", random_state=0).fit(X)
    for pattern in X:
        cues = np.tile(pattern, (N, 1))
        cues[np.arange(N), np.arange(N)] *= -1  # cue j has bit j flipped
        res = mem.retrieve(cues)
        assert np.array_equal(res.states, cues * 0 + pattern)
        np.testing.assert_array_equal(res.n_events, 1)


@pytest.mark.parametrize(
    "est, symmetric, zero_diagonal",
    [
        (HebbianHopfieldMemory(), True, True),
        (StorkeyHopfieldMemory(), True, True),
        (PseudoinverseHopfieldMemory(), True, True),
        (PseudoinverseHopfieldMemory(zero_diagonal=False), True, False),
        (LinearLogisticHopfieldMemory(), False, True),
    ],
    ids=lambda p: repr(p) if isinstance(p, BaseHopfieldMemory) else str(p),
)
def test_weight_shape_symmetry_and_diagonal(est, symmetric, zero_diagonal):
    # BIO-210 #12: a Storkey matrix of shape (P, P) instead of (N, N).
    X = make_patterns(7, 20, random_state=0)
    W = clone(est).fit(X).weights_
    assert W.shape == (20, 20)
    if symmetric:
        assert np.array_equal(W, W.T)
    else:
        assert not np.allclose(W, W.T)
    if zero_diagonal:
        assert np.all(np.diag(W) == 0)
    else:
        # Projection onto the span of 7 independent patterns: trace = rank.
        assert np.trace(W) == pytest.approx(7)


def test_ties_at_zero_field_go_to_plus_one():
    # Hebbian, one pattern of ones: h_i = (sum_{j != i} s_j) / 3, which is 0
    # for neurons 0 and 2 of s = (-1, 1, -1).
    mem = HebbianHopfieldMemory(max_steps=1).fit(np.ones((1, 3)))
    s = np.array([[-1.0, 1.0, -1.0]])
    np.testing.assert_array_equal(mem.decision_function(s), [[0.0, -2 / 3, 0.0]])
    np.testing.assert_array_equal(mem.predict(s), [[1.0, -1.0, 1.0]])
    # Modern: two patterns with equal overlap and opposite bits 0 and 1.
    X = np.array([[1, 1, 1], [-1, -1, 1]])
    mem = ModernHopfieldMemory(max_steps=1).fit(X)
    s = np.array([[1, -1, 1]])
    np.testing.assert_array_equal(mem.decision_function(s), [[0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(mem.predict(s), [[1, 1, 1]])
    np.testing.assert_array_equal(
        mem.set_params(update="async").predict(s), [[1, 1, 1]]
    )
    # Same in the 0 / 1 encoding.
    mem = ModernHopfieldMemory(max_steps=1).fit((X + 1) // 2)
    np.testing.assert_array_equal(mem.predict([[1, 0, 1]]), [[1, 1, 1]])


# ----------------------------------------------------- the shared engine
@pytest.mark.parametrize(
    "est", [HebbianHopfieldMemory(), PseudoinverseHopfieldMemory()], ids=_name
)
def test_async_energy_never_increases_with_symmetric_zero_diagonal_weights(est):
    X = make_patterns(60, 100, random_state=0)  # overloaded: long trajectories
    mem = clone(est).set_params(update="async", random_state=0).fit(X)
    res = mem.retrieve(corrupt(X, 0.3, random_state=0), return_trajectory=True)
    assert res.n_events.sum() > 0
    steps = res.trajectory.reshape(-1, X.shape[1])
    energy = mem.energy(steps).reshape(len(X), -1)
    assert np.all(np.diff(energy, axis=1) <= 1e-9)
    W = mem.weights_
    np.testing.assert_allclose(
        res.energy, -np.einsum("ij,jk,ik->i", res.states, W, res.states)
    )


@pytest.mark.parametrize("est", ALL, ids=_name)
def test_counts_come_from_the_engine(est):
    X = make_patterns(8, 30, random_state=0)
    mem = clone(est).set_params(update="async", random_state=0).fit(X)
    res = mem.retrieve(corrupt(X, 0.1, random_state=0))
    n_units = 30 if hasattr(mem, "weights_") else len(X)
    np.testing.assert_array_equal(res.counts["kernel_updates"], res.n_events * n_units)
    np.testing.assert_array_equal(res.counts["field_evaluations"], res.n_steps * 30)
    sync = mem.retrieve(corrupt(X, 0.1, random_state=0), update="sync")
    np.testing.assert_array_equal(
        sync.counts["kernel_evaluations"], sync.n_steps * n_units
    )


@pytest.mark.parametrize("est", ALL, ids=_name)
def test_score_and_binary_encoding(est):
    X = make_patterns(5, 60, random_state=0)
    mem = clone(est).set_params(score_noise=0.1, random_state=0)
    assert mem.fit(X).score(X) == 1.0
    B = (X > 0).astype(int)
    cues = (corrupt(X, 0.1, random_state=1) > 0).astype(int)
    pred = mem.fit(B).predict(cues)
    assert pred.dtype == B.dtype
    np.testing.assert_array_equal(pred, B)


@pytest.mark.parametrize("est", ALL, ids=_name)
def test_param_validation(est):
    check_param_validation(type(est).__name__, clone(est))


@pytest.mark.parametrize(
    "est, params, match",
    [
        (ModernHopfieldMemory, {"beta": 0.0}, "beta"),
        (LinearLogisticHopfieldMemory, {"lam": 0.0}, "lam"),
        (PseudoinverseHopfieldMemory, {"zero_diagonal": "yes"}, "zero_diagonal"),
        (HebbianHopfieldMemory, {"update": "random"}, "update"),
    ],
)
def test_invalid_parameters_are_named(est, params, match):
    with pytest.raises(ValueError, match=match):
        est(**params).fit(make_patterns(3, 10, random_state=0))
