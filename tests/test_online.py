"""partial_fit and forget: the same memory as one fit, and nothing lost on failure."""

import pickle
import warnings

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone

from sklearn_klrhop import (
    HebbianHopfieldMemory,
    InconsistentVersionWarning,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
    __version__,
)
from sklearn_klrhop._persistence import SKOPS_TRUSTED_TYPES
from sklearn_klrhop.datasets import make_patterns, sequence_targets

X = make_patterns(600, 100, random_state=0)
MEMORIES = [
    KLRHopfieldMemory(),
    KLRHopfieldMemory(gamma=0.01),  # broad kernel: newton-cg
    KLRHopfieldMemory(loss="squared"),
    KLRHopfieldMemory(kernel_cutoff=1e-12),
    KLRHopfieldMemory(gamma=0.02, solver="lbfgs"),
    HebbianHopfieldMemory(),
    StorkeyHopfieldMemory(),
    PseudoinverseHopfieldMemory(),
    LinearLogisticHopfieldMemory(),
    ModernHopfieldMemory(),
]


def _ids(items):
    return [type(e).__name__ + f"-{i}" for i, e in enumerate(items)]


def _data(memory):
    # the classical rules at a load they store; the slow solvers on fewer
    if isinstance(memory, LinearLogisticHopfieldMemory):
        return X[:30]
    if not isinstance(memory, KLRHopfieldMemory):
        return X[:60]
    return X[:150] if memory.solver == "lbfgs" else X[:300]


def _batches(memory):
    n = len(_data(memory))
    return [slice(0, 2 * n // 3), slice(2 * n // 3, 5 * n // 6), slice(5 * n // 6, n)]


def _field_gap(a, b, states):
    H = b.decision_function(states)
    return np.abs(a.decision_function(states) - H).max() / np.abs(H).max()


@pytest.mark.parametrize("memory", MEMORIES, ids=_ids(MEMORIES))
def test_partial_fits_give_the_fields_of_one_fit(memory):
    data = _data(memory)
    grown = clone(memory)
    for batch in _batches(memory):
        grown.partial_fit(data[batch])
    one = clone(memory).fit(data)
    np.testing.assert_array_equal(grown.patterns_, data)
    # within the solvers' tol (1e-6 on the stationarity residual)
    assert _field_gap(grown, one, data) <= 1e-5
    np.testing.assert_array_equal(grown.predict(data), one.predict(data))


@pytest.mark.parametrize("memory", MEMORIES, ids=_ids(MEMORIES))
def test_forget_gives_the_fields_of_a_fit_on_the_rest(memory):
    data = _data(memory)
    gone = [0, 7, -1]
    mem = clone(memory).partial_fit(data[:-10]).partial_fit(data[-10:]).forget(gone)
    rest = np.delete(data, [0, 7, len(data) - 1], axis=0)
    np.testing.assert_array_equal(mem.patterns_, rest)
    assert _field_gap(mem, clone(memory).fit(rest), data) <= 1e-5


def test_partial_fit_of_a_local_kernel_takes_fewer_solver_iterations():
    cold = KLRHopfieldMemory().fit(X)
    grown = KLRHopfieldMemory().fit(X[:540])
    grown.partial_fit(X[540:])  # 10 % more patterns
    assert grown.solver_ == cold.solver_ == "newton-diagonal"
    assert grown.n_iter_ < cold.n_iter_
    assert _field_gap(grown, cold, X) <= 1e-5


def test_the_gram_matrix_grows_by_the_new_rows_only(monkeypatch):
    from sklearn_klrhop.memories import _klr

    mem = KLRHopfieldMemory().partial_fit(X[:500])
    sizes = []
    real = _klr.dense_gram

    def spy(S, *args, **kwargs):
        sizes.append((len(S), len(kwargs.get("Y", S))))
        return real(S, *args, **kwargs)

    monkeypatch.setattr(_klr, "dense_gram", spy)
    mem.partial_fit(X[500:])
    assert sizes == [(100, 600)]  # the new rows against every pattern
    assert "_cached_gram" not in pickle.loads(pickle.dumps(mem)).__dict__


def test_heteroassociative_partial_fit_takes_the_new_targets():
    keys, nxt = sequence_targets(X[:200])
    grown = KLRHopfieldMemory().partial_fit(keys[:150], nxt[:150])
    grown.partial_fit(keys[150:], nxt[150:])
    one = KLRHopfieldMemory().fit(keys, nxt)
    assert _field_gap(grown, one, keys) <= 1e-5
    with pytest.raises(ValueError, match="needs the targets of the new patterns"):
        grown.partial_fit(keys[:3])
    with pytest.raises(ValueError, match="autoassociative"):
        KLRHopfieldMemory().fit(keys).partial_fit(keys[:3], nxt[:3])


def test_a_duplicate_is_stored_again_as_fit_stores_it():
    grown = HebbianHopfieldMemory().fit(X[:20]).partial_fit(X[:1])
    one = HebbianHopfieldMemory().fit(np.vstack([X[:20], X[:1]]))
    np.testing.assert_allclose(grown.weights_, one.weights_, rtol=0, atol=1e-15)
    assert len(grown.patterns_) == 21


# ----------------------------------------------------------- nothing lost
def _mem():
    return KLRHopfieldMemory(random_state=0).partial_fit(X[:50]).partial_fit(X[50:60])


FAILURES = {
    "bad input": (lambda m: m.partial_fit([["a"] * 100]), ValueError, "strings"),
    "wrong width": (lambda m: m.partial_fit(X[:5, :99]), ValueError, "99 features"),
    "other encoding": (
        lambda m: m.partial_fit((X[:5] + 1) / 2),
        ValueError,
        r"encoded as -1 / \+1",
    ),
    "nan": (lambda m: m.partial_fit(np.where(X[:5] > 0, np.nan, 1)), ValueError, "NaN"),
    "memory guard": (
        lambda m: m.partial_fit(np.tile(X, (400, 1))),
        MemoryError,
        "Gram matrix",
    ),
    "non-finite solution": (
        lambda m: m.partial_fit(X[60:65]),
        ValueError,
        "not finite",
    ),
    "forget all": (lambda m: m.forget(np.arange(60)), ValueError, "all 60 stored"),
    "forget out of range": (lambda m: m.forget([60]), ValueError, "out of range"),
    "forget floats": (lambda m: m.forget([0.5]), TypeError, "ints"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_a_failed_call_leaves_the_memory_exactly_as_it_was(case, monkeypatch):
    call, error, match = FAILURES[case]
    mem = _mem()
    if case == "memory guard":
        from sklearn_klrhop.memories import _kernels

        monkeypatch.setattr(_kernels, "available_memory", lambda: 10**8)
    if case == "non-finite solution":
        from sklearn_klrhop.memories import _klr

        def diverged(K, T, *args, **kwargs):
            return np.full(T.shape, np.nan), 1, "newton-diagonal"

        monkeypatch.setattr(_klr, "solve_klr", diverged)
    before = pickle.dumps(mem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=match):
            call(mem)
    assert pickle.dumps(mem) == before
    np.testing.assert_array_equal(mem.predict(X[:60]), X[:60])


# ------------------------------------------------------------ persistence
def test_a_pickle_records_the_version_and_warns_under_another():
    mem = _mem()
    state = mem.__getstate__()
    assert state["_sklearn_klrhop_version"] == __version__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pickle.loads(pickle.dumps(mem))
        sio.loads(sio.dumps(mem), trusted=SKOPS_TRUSTED_TYPES)
    state["_sklearn_klrhop_version"] = "0.0.1"
    other = KLRHopfieldMemory.__new__(KLRHopfieldMemory)
    with pytest.warns(
        InconsistentVersionWarning, match="saved by sklearn_klrhop 0.0.1"
    ):
        other.__setstate__(state)
    np.testing.assert_array_equal(other.predict(X[:60]), mem.predict(X[:60]))
