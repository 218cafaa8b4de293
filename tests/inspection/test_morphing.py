"""morphing_curve: the path, the boundary of a symmetric pair, batches and jobs."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.inspection import MorphingCurve, _morphing, morphing_curve


def _symmetric_memory(n_features=40, n_differing=20, n_mirrors=6, seed=0):
    """a, b and mirror pairs of patterns: flipping the bits where a and b
    differ swaps a with b and every pattern with its mirror, so a and b are
    at the same distance from everything else and the dynamics commute with
    the swap."""
    rng = np.random.RandomState(seed)
    a = rng.choice([-1.0, 1.0], n_features)
    differing = rng.choice(n_features, n_differing, replace=False)
    b = a.copy()
    b[differing] *= -1
    rows = [a, b]
    for _ in range(n_mirrors):
        xi = rng.choice([-1.0, 1.0], n_features)
        half = rng.choice(differing, n_differing // 2, replace=False)
        xi[differing] = b[differing]
        xi[half] = a[half]
        mirror = xi.copy()
        mirror[differing] *= -1
        rows += [xi, mirror]
    X = np.array(rows)
    return KLRHopfieldMemory(gamma=0.05).fit(X), X


def test_a_symmetric_pair_has_its_boundary_in_the_middle():
    mem, X = _symmetric_memory()
    curve = morphing_curve(mem, X[0], X[1], n_points=21, n_repeats=40, random_state=0)
    assert curve.n_differing == 20 and curve.fractions[[0, -1]].tolist() == [0, 1]
    # the ends are fixed points of themselves, in one step
    assert curve.rates["a"][0] == 1 and curve.rates["b"][-1] == 1
    assert (curve.n_steps[0] == 1).all() and (curve.n_steps[-1] == 1).all()
    assert abs(curve.boundary - 0.5) <= 0.1
    assert abs(curve.crossing(0.5, "a") - 0.5) <= 0.1
    assert 0 < curve.width <= 0.3
    # convergence is slowest at the boundary, and the energy peaks there
    assert abs(curve.fractions[np.nanargmax(curve.mean_steps)] - 0.5) <= 0.15
    mean_energy = curve.energy.mean(axis=1)
    assert abs(curve.fractions[mean_energy.argmax()] - 0.5) <= 0.15
    assert curve.barrier > 0


def test_the_path_takes_the_differing_bits_from_b(monkeypatch):
    X = make_patterns(30, 24, random_state=1)
    mem = KLRHopfieldMemory(gamma=0.2).fit(X)
    calls = []
    retrieve = _morphing.retrieve

    def spy(engine, S, **params):
        calls.append(S.copy())
        return retrieve(engine, S, **params)

    monkeypatch.setattr(_morphing, "retrieve", spy)
    curve = morphing_curve(mem, X[3], X[7], n_points=6, n_repeats=3, random_state=0)
    # all the states of a path in one batch: one call per repeat
    assert len(calls) == 3 and all(S.shape == (6, 24) for S in calls)
    d = int(np.count_nonzero(X[3] != X[7]))
    for S in calls:
        from_b = np.count_nonzero((S != X[3]) & (S == X[7]), axis=1)
        np.testing.assert_array_equal(from_b, np.floor(np.linspace(0, 1, 6) * d + 0.5))
        assert ((S == X[3]) | (S == X[7])).all()  # nothing else changes
        # nested: each state keeps the bits the previous one took from b
        assert ((S[:-1] != X[3]) <= (S[1:] != X[3])).all()
    assert not np.array_equal(calls[0], calls[1])  # each repeat its own order
    np.testing.assert_array_equal(curve.fractions, from_b / d)
    np.testing.assert_allclose(curve.energy[:, 0], mem.energy(calls[0]))


def test_same_numbers_for_any_n_jobs_and_backend():
    X = make_patterns(60, 30, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.05, update="async").fit(X)
    kw = {"n_points": 9, "n_repeats": 4, "random_state": 3}
    serial = morphing_curve(mem, X[0], X[1], n_jobs=1, **kw)
    curves = [morphing_curve(mem, X[0], X[1], n_jobs=2, **kw)]
    with parallel_config(backend="threading"):
        curves.append(morphing_curve(mem, X[0], X[1], n_jobs=2, **kw))
    for curve in curves:
        np.testing.assert_array_equal(curve.outcomes, serial.outcomes)
        np.testing.assert_array_equal(curve.n_steps, serial.n_steps)
        np.testing.assert_array_equal(curve.energy, serial.energy)
    other = morphing_curve(mem, X[0], X[1], n_jobs=1, **{**kw, "random_state": 4})
    assert not np.array_equal(other.n_steps, serial.n_steps)


def test_other_patterns_and_spurious_states_are_classified():
    # At the Ridge (gamma N = 1) and P / N = 2 the middle of the path falls
    # into fixed points that are not stored.
    X = make_patterns(100, 50, random_state=0)
    curve = morphing_curve(
        KLRHopfieldMemory(gamma=0.02).fit(X), X[0], X[1], n_points=11, random_state=0
    )
    rates = curve.rates
    assert rates["spurious"][5] == 1.0
    total = sum(rates.values())
    np.testing.assert_allclose(total, 1.0)


def test_result_summaries_by_hand():
    curve = MorphingCurve(
        [0, 0.25, 0.5, 0.75, 1],
        [["a", "a"], ["a", "other"], ["b", "cycle"], ["b", "b"], ["b", "b"]],
        [[1, 1], [2, 3], [4, 30], [2, 2], [1, 1]],
        [[-4, -4], [-2, -2], [0, 2], [-2, -2], [-4, -4]],
        n_differing=4,
    )
    assert curve.rates["b"].tolist() == [0, 0, 0.5, 1, 1]
    assert curve.boundary == 0.5 and curve.crossing(0.5, "a") == 0.25
    assert curve.crossing(0.1) == pytest.approx(0.3)
    assert curve.width == pytest.approx(0.7 - 0.3)
    # the cycle's 30 steps are not a convergence time
    np.testing.assert_allclose(curve.mean_steps, [1, 2.5, 4, 2, 1])
    assert curve.barrier == 5.0
    never = MorphingCurve([0, 1], [["a"], ["other"]], [[1], [2]], [[0], [0]],
                          n_differing=1)  # fmt: skip
    assert np.isnan(never.boundary) and never.crossing(0.5, "a") == 0.5
    with pytest.raises(ValueError, match="level must be in"):
        curve.crossing(2)
    with pytest.raises(ValueError, match="pattern must be"):
        curve.crossing(0.5, "c")


def test_bad_input():
    X = make_patterns(10, 20, random_state=0)
    with pytest.raises(NotFittedError):
        morphing_curve(KLRHopfieldMemory(), X[0], X[1])
    mem = KLRHopfieldMemory().fit(X)
    outside = -X[0]
    with pytest.raises(ValueError, match="a is not a stored pattern"):
        morphing_curve(mem, outside, X[1])
    with pytest.raises(ValueError, match="b is not a stored pattern"):
        morphing_curve(mem, X[0], outside)
    with pytest.raises(ValueError, match="same width; a has 20 features and b has 12"):
        morphing_curve(mem, X[0], X[1, :12])
    with pytest.raises(ValueError, match="X has 12 features"):
        morphing_curve(mem, X[0, :12], X[1, :12])
    with pytest.raises(ValueError, match="the same stored pattern"):
        morphing_curve(mem, X[2], X[2])
    with pytest.raises(ValueError, match="a must be one state"):
        morphing_curve(mem, X[:2], X[1])
    with pytest.raises(InvalidParameterError, match="'n_points' parameter"):
        morphing_curve(mem, X[0], X[1], n_points=1)
    with pytest.raises(ValueError, match="must hold states encoded as -1 / \\+1"):
        morphing_curve(mem, X[0] * 2, X[1])
