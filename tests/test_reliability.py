"""Reliability: hostile input, extreme parameters, persistence and concurrency.

The tables at the top list what is exercised; add an estimator to
``ESTIMATORS`` or a function to ``FUNCTIONS`` and every hostile input below is
run against it.
"""

import contextlib
import copy
import functools
import io
import pickle
import re
import warnings
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import skops.io as sio
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.parallel import Parallel, delayed

from sklearn_klrhop import KLRHopfieldMemory, default_gamma, memories
from sklearn_klrhop.datasets import corrupt, load_digit_patterns, make_patterns
from sklearn_klrhop.metrics import hamming, overlap, recall_score
from sklearn_klrhop.retrieval import Engine

CODEC = "sklearn_klrhop._encoding.StateCodec"

# ------------------------------------------------------------------ the tables
ESTIMATORS = [
    KLRHopfieldMemory(random_state=0),
    KLRHopfieldMemory(loss="squared", update="async", random_state=0),
    KLRHopfieldMemory(kernel="poly", gamma=0.1, solver="newton-cg", random_state=0),
] + [
    getattr(memories, name)(random_state=0)
    for name in memories.__all__
    if name.endswith("Memory") and name != "KLRHopfieldMemory"
]

# Public functions that take one state array (the second argument, if any, is
# the same array).
FUNCTIONS = {
    "corrupt": lambda X: corrupt(X, 0.1, random_state=0),
    "overlap": lambda X: overlap(X, X),
    "hamming": lambda X: hamming(X, X),
    "recall_score": lambda X: recall_score(X, X),
    "recall_score-overlap": lambda X: recall_score(X, X, criterion=0.9),
}

METHODS = ["predict", "transform", "score", "retrieve", "decision_function", "energy"]

N = 12
X = make_patterns(6, N, random_state=0)
ALLOWED = (ValueError, TypeError)
PARTIAL_CUES = ("predict", "transform", "retrieve")  # NaN: an unknown bit
_ACCEPTED = r"2-D array-like"

# Input that must be refused: (array, regex the message must match). Each
# message says what was wrong; the regexes also check that the dtype errors
# say what is accepted.
HOSTILE = {
    "strings": (np.array([["a", "b"], ["c", "d"]]), r"bytes/strings.*" + _ACCEPTED),
    "numeric-strings": (X.astype(str), r"bytes/strings.*" + _ACCEPTED),
    "object-mixed": (
        np.array([[1, "a"], [None, -1]], dtype=object),
        r"could not convert.*" + _ACCEPTED,
    ),
    "complex": (X.astype(complex), r"Complex data not supported\. .*" + _ACCEPTED),
    "nan": (np.where(X > 0, np.nan, -1.0), "NaN"),
    "inf": (np.where(X > 0, np.inf, -1.0), "infinity"),
    "-inf": (np.where(X > 0, -np.inf, 1.0), "infinity"),
    "1-D": (X[0], "Expected 2D array, got 1D array"),
    "3-D": (X[None], "dim 3"),
    "scalar": (1.0, "Expected 2D array|array-like"),
    "none": (None, "Expected 2D array|array-like"),
    "ragged": ([[1, -1, 1], [1, -1]], "inhomogeneous|sequence"),
    "csr": (sp.csr_matrix(X), "Sparse data was passed.*dense|array-like"),
    "csc": (sp.csc_array(X), "Sparse data was passed.*dense|array-like"),
    "coo": (sp.coo_matrix(X), "Sparse data was passed.*dense|array-like"),
    "empty-rows": (np.empty((0, N)), "0 sample"),
    "empty-cols": (np.empty((3, 0)), "0 feature"),
    "empty-2d": (np.empty((0, 0)), "0 sample"),
    "non-binary": (np.full((3, N), 0.5), r"0\.5"),
    "mixed-encodings": (np.where(X > 0, 1.0, 0.0) - (X[:, :1] < 0), r"-1.*\+1.*found"),
}

# Input that must work and give exactly the result of the float64 array.
BENIGN = {
    "list": X.tolist(),
    "tuple": tuple(map(tuple, X.tolist())),
    "object-numbers": X.astype(object),
    "float32": X.astype(np.float32),
    "float16": X.astype(np.float16),
    "int8": X.astype(np.int8),
    "fortran": np.asfortranarray(X),
    "strided": np.repeat(X, 2, axis=1)[:, ::2],
    "read-only": np.require(X, requirements="W").copy(),
    "memmap-like": np.frombuffer(X.tobytes()).reshape(X.shape),
    "nullable-int": pd.DataFrame(X.astype(int)).astype("Int64").to_numpy(),
}
BENIGN["read-only"].setflags(write=False)


def _ids(items):
    return [type(e).__name__ + ("" if i == 0 else f"-{i}") for i, e in enumerate(items)]


@pytest.fixture(params=ESTIMATORS, ids=_ids(ESTIMATORS))
def estimator(request):
    return clone(request.param)


def _call(obj, method, data):
    out = getattr(obj, method)(data)
    return out.states if method == "retrieve" else out


def _check_refused(func, match):
    """Must raise ValueError/TypeError matching ``match``, with <= 1 warning."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        try:
            func()
        except ALLOWED as exc:
            assert re.search(match, str(exc), flags=re.DOTALL), (
                f"unhelpful message {str(exc)!r} does not match {match!r}"
            )
        except Exception as exc:  # pragma: no cover - this is the failure
            pytest.fail(f"{type(exc).__name__} escaped: {exc}")
        else:
            pytest.fail("hostile input was accepted")
    assert len(log) <= 1, [str(w.message) for w in log]


# ------------------------------------------------------------- hostile input
@pytest.mark.parametrize("case", HOSTILE)
def test_fit_refuses_hostile_input(estimator, case):
    bad, match = HOSTILE[case]
    _check_refused(lambda: estimator.fit(bad), match)


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("method", METHODS)
def test_methods_refuse_hostile_input(estimator, case, method):
    bad, match = HOSTILE[case]
    if case == "nan" and method in PARTIAL_CUES:
        # NaN marks unknown bits there: a cue with no known bit is refused
        bad, match = np.full(X.shape, np.nan), "every bit unknown"
    estimator.fit(X)
    _check_refused(lambda: _call(estimator, method, bad), match)


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_refuse_hostile_input(function, case):
    bad, match = HOSTILE[case]
    _check_refused(lambda: FUNCTIONS[function](bad), match)


@pytest.mark.parametrize("case", BENIGN)
def test_benign_containers_give_the_numpy_answer(estimator, case):
    data = BENIGN[case]
    reference = clone(estimator).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fitted = estimator.fit(data)
        np.testing.assert_array_equal(fitted.patterns_, X)
        for method in ("predict", "transform", "decision_function", "energy"):
            np.testing.assert_allclose(
                _call(fitted, method, data), _call(reference, method, X), rtol=1e-12
            )
        for function in FUNCTIONS.values():
            np.testing.assert_array_equal(function(data), function(X))


def test_wrong_width_and_encoding_are_refused_with_a_useful_message(estimator):
    estimator.fit(X)
    name = type(estimator).__name__
    _check_refused(
        lambda: estimator.predict(X[:, :-1]),
        f"X has {N - 1} features, but {name} is expecting {N} features",
    )
    _check_refused(
        lambda: estimator.predict((X + 1) / 2),
        r"encoded as -1 / \+1.*found values \[0\.0\].*binarize",
    )
    _check_refused(
        lambda: estimator.retrieve(X, update=["sync"]),
        "'update' parameter of retrieve must be a str among",
    )
    _check_refused(
        lambda: estimator.retrieve(X, return_trajectory="yes"),
        "'return_trajectory' parameter of retrieve must be an instance of 'bool'",
    )


def test_all_ones_integer_patterns_explain_the_ambiguity():
    mem = KLRHopfieldMemory().fit(np.ones((2, 4), dtype=int))
    assert mem.encoding_ == "bipolar"
    _check_refused(lambda: mem.predict([[0, 1, 1, 1]]), "only 1.*fit bool patterns")
    mem = KLRHopfieldMemory().fit(np.ones((2, 4), dtype=bool))
    np.testing.assert_array_equal(mem.predict([[0, 1, 1, 1]]), np.ones((1, 4), bool))


# ------------------------------------------------------- degenerate patterns
DEGENERATE = {
    "single-pattern": X[:1],
    "single-neuron": X[:, :1],
    "single-both": X[:1, :1],
    "duplicates": np.vstack([X, X]),
    "all-identical": np.tile(X[:1], (5, 1)),
    "all-minus-one": -np.ones((3, N)),
}


BASELINE_STORES = ("single-pattern", "all-identical", "all-minus-one")


@pytest.mark.parametrize("case", DEGENERATE)
def test_degenerate_pattern_sets_are_stored(estimator, case):
    patterns = DEGENERATE[case]
    # Kernel memories store every degenerate set; the baselines are only held
    # to the sets a classical rule can store (see memories/test_baselines.py).
    check_fixed = isinstance(estimator, KLRHopfieldMemory) or case in BASELINE_STORES
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        estimator.fit(patterns)
        out = estimator.predict(patterns)
        res = estimator.retrieve(patterns, update="async")
    assert len(log) <= 1, [str(w.message) for w in log]
    assert np.isin(out, (-1, 1)).all() and np.isin(res.states, (-1, 1)).all()
    if check_fixed:
        np.testing.assert_array_equal(out, patterns)
        np.testing.assert_array_equal(res.states, patterns)


# -------------------------------------------------------- extreme parameters
@pytest.mark.parametrize("loss", ["logistic", "squared"])
@pytest.mark.parametrize("gamma", [1e-12, 1e-6, 1e-2, 1.0, 1e3, 1e6])
def test_extreme_gamma_gives_valid_states_without_warnings(gamma, loss):
    patterns = make_patterns(15, 16, random_state=1)
    cues = corrupt(patterns, 0.1, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mem = KLRHopfieldMemory(gamma=gamma, loss=loss, random_state=0).fit(patterns)
        assert np.isfinite(mem.dual_coef_).all()
        for update in ("sync", "async"):
            states = mem.retrieve(cues, update=update).states
            assert np.isin(states, (-1.0, 1.0)).all()
        # Cues 2 bits from a pattern have kernel values >= exp(-8 gamma); past
        # float64's range the true fields read 0, and the memory says so once
        # per call (retrieval above is unaffected).
        underflow = 8 * gamma > -np.log(np.finfo(float).tiny)
        for method in (mem.decision_function, mem.energy):
            with (
                pytest.warns(UserWarning, match="below the smallest float64")
                if underflow
                else contextlib.nullcontext()
            ) as log:
                assert np.isfinite(method(cues)).all()
            assert not underflow or len(log) == 1
    if gamma * patterns.shape[1] >= 10:  # a local kernel: the papers' regime
        np.testing.assert_array_equal(mem.predict(patterns), patterns)
        np.testing.assert_array_equal(
            mem.retrieve(cues, update="async").states, patterns
        )


@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg"])
@pytest.mark.parametrize("lam", [1e-12, 1e-6, 1.0, 1e3, 1e6])
def test_extreme_lam_logistic_stores_patterns(lam, solver):
    patterns = make_patterns(15, 16, random_state=1)
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        mem = KLRHopfieldMemory(lam=lam, solver=solver, random_state=0).fit(patterns)
    # at most one warning, and only the solver's own (ConvergenceWarning is a
    # UserWarning, so the category is compared exactly)
    assert len(log) <= 1, [str(w.message) for w in log]
    assert all(w.category is ConvergenceWarning for w in log), log
    assert np.isfinite(mem.dual_coef_).all()
    np.testing.assert_array_equal(mem.predict(patterns), patterns)


@pytest.mark.parametrize("lam", [1e3, 1e6])
def test_gd_refuses_a_diverging_learning_rate_without_warnings(lam):
    # learning_rate * lam > 2: plain gradient descent cannot converge; it must
    # say so before producing inf/NaN coefficients or overflow warnings.
    patterns = make_patterns(15, 16, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_refused(
            lambda: KLRHopfieldMemory(lam=lam, solver="gd").fit(patterns),
            "solver='gd' diverged.*smaller learning_rate or solver='auto'",
        )
    mem = KLRHopfieldMemory(lam=lam, solver="gd", learning_rate=0.5 / lam).fit(patterns)
    assert np.isfinite(mem.dual_coef_).all()


@pytest.mark.parametrize("lam", [0.0, 1e-12, 1.0, 1e6])
def test_lam_squared_works_and_singular_kernels_warn_once(lam):
    patterns = make_patterns(15, 16, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mem = KLRHopfieldMemory(lam=lam, loss="squared").fit(patterns)
    np.testing.assert_array_equal(mem.predict(patterns), patterns)
    duplicated = np.vstack([patterns, patterns])
    if lam == 0.0:
        with pytest.warns(UserWarning, match="singular") as log:
            mem = KLRHopfieldMemory(lam=0.0, loss="squared").fit(duplicated)
        assert len(log) == 1
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            mem = KLRHopfieldMemory(lam=lam, loss="squared").fit(duplicated)
    assert np.isfinite(mem.dual_coef_).all()
    np.testing.assert_array_equal(mem.predict(duplicated), duplicated)


def test_lam_zero_with_logistic_loss_is_a_documented_value_error():
    _check_refused(
        lambda: KLRHopfieldMemory(lam=0.0).fit(X),
        "lam=0 is not supported with loss='logistic'.*loss='squared'",
    )


INVALID_PARAMS = {
    "update": ["random", 1, None],
    "max_steps": [0, -1, 2.5, "3", np.nan],
    "score_noise": [-0.1, 1.5, np.nan, "0.2"],
    "binarize": [np.nan, np.inf, "0", [0.0]],
    "random_state": ["seed", 1.5, np.random.default_rng(0)],
}
KLR_INVALID_PARAMS = {
    "gamma": [0.0, -1.0, np.nan, np.inf, "scale"],
    "lam": [-1e-3, np.nan, np.inf, "1"],
    "kernel": ["precomputed", "chi2", None, len],
    "loss": ["hinge", None],
    "solver": ["sag", None],
    "learning_rate": [0.0, -1.0, np.nan],
    "max_iter": [0, -5, 1.5],
    "tol": [-1.0, np.nan],
    "degree": [-1, np.nan],
    "coef0": [np.nan, np.inf],
}


def _invalid_cases():
    for est in ESTIMATORS:
        table = dict(INVALID_PARAMS)
        if isinstance(est, KLRHopfieldMemory):
            table.update(KLR_INVALID_PARAMS)
        for param, values in table.items():
            for value in values:
                # Object reprs with memory addresses would make the test ids
                # differ between pytest-xdist workers.
                label = type(value).__name__ if " at 0x" in repr(value) else repr(value)
                yield pytest.param(
                    est, param, value, id=f"{type(est).__name__}-{param}-{label}"
                )


@pytest.mark.parametrize("est, param, value", list(_invalid_cases()))
def test_invalid_parameters_are_refused_by_name(est, param, value):
    est = clone(est).set_params(**{param: value})
    _check_refused(lambda: est.fit(X), f"'{param}' parameter")


# --------------------------------------------------------------- data frames
def test_dataframe_feature_names_follow_scikit_learn(estimator):
    columns = [f"n{i}" for i in range(N)]
    frame = pd.DataFrame(X, columns=columns)
    reference = clone(estimator).fit(X).predict(X)
    estimator.fit(frame)
    np.testing.assert_array_equal(estimator.feature_names_in_, columns)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(estimator.predict(frame), reference)
    with pytest.warns(UserWarning, match="does not have valid feature names") as log:
        np.testing.assert_array_equal(estimator.predict(X), reference)
    assert len(log) == 1
    renamed = frame.rename(columns={"n0": "other"})
    _check_refused(lambda: estimator.predict(renamed), "feature names should match")
    _check_refused(lambda: estimator.predict(frame[columns[::-1]]), "same order")
    # Fitted on an array, a frame warns once and still answers.
    estimator.fit(X)
    with pytest.warns(UserWarning, match="X has feature names") as log:
        np.testing.assert_array_equal(estimator.predict(frame), reference)
    assert len(log) == 1


def test_bool_dataframe_and_functions_accept_frames():
    frame = pd.DataFrame(X > 0)
    mem = KLRHopfieldMemory().fit(frame)
    assert mem.encoding_ == "bool"
    assert mem.predict(frame).dtype == bool
    frame = pd.DataFrame(X)
    np.testing.assert_array_equal(
        corrupt(frame, 0.25, random_state=0), corrupt(X, 0.25, random_state=0)
    )
    np.testing.assert_array_equal(hamming(frame, X), np.zeros(len(X)))


def _invalid(param, function):
    # scikit-learn's InvalidParameterError names the parameter and the function
    return rf"The '{param}' parameter of {function} must be "


@pytest.mark.parametrize(
    "bad, match",
    [
        (lambda: make_patterns(0, 5), _invalid("n_patterns", "make_patterns")),
        (lambda: make_patterns(3, -1), _invalid("n_features", "make_patterns")),
        (lambda: make_patterns(2.5, 4), _invalid("n_patterns", "make_patterns")),
        (lambda: make_patterns("3", 4), _invalid("n_patterns", "make_patterns")),
        (
            lambda: make_patterns(3, 4, random_state="x"),
            _invalid("random_state", "make_patterns"),
        ),
        (lambda: corrupt(X, 1.5), _invalid("noise", "corrupt")),
        (lambda: corrupt(X, np.nan), _invalid("noise", "corrupt")),
        (lambda: corrupt(X, "0.1"), _invalid("noise", "corrupt")),
        (
            lambda: recall_score(X, X, criterion=2.0),
            _invalid("criterion", "recall_score"),
        ),
        (
            lambda: recall_score(X, X, criterion="overlap"),
            _invalid("criterion", "recall_score"),
        ),
        (
            lambda: load_digit_patterns(return_X_y="yes"),
            _invalid("return_X_y", "load_digit_patterns"),
        ),
    ],
)
def test_dataset_functions_refuse_invalid_arguments(bad, match):
    _check_refused(bad, match)


def test_metrics_refuse_mismatched_shapes():
    _check_refused(lambda: overlap(X, X[:, :-1]), "same width")
    _check_refused(lambda: hamming(X, X[:-1]), "inconsistent numbers of samples")


@pytest.mark.parametrize("bad", [0, -3, "ten", None])
def test_default_gamma_refuses_invalid_n_features(bad):
    _check_refused(lambda: default_gamma(bad), "n_features")


def test_overlap_reads_every_binary_encoding_alike():
    bipolar = np.array([[1.0, -1.0, 1.0, -1.0]])
    other = np.array([[1.0, 1.0, 1.0, -1.0]])
    expected = overlap(bipolar, other)
    np.testing.assert_array_equal(expected, [0.5])
    np.testing.assert_array_equal(overlap(bipolar > 0, other > 0), expected)
    np.testing.assert_array_equal(
        overlap((bipolar > 0).astype(int), (other > 0).astype(int)), expected
    )
    assert recall_score(bipolar > 0, other > 0, criterion=0.5) == 1.0
    assert recall_score(bipolar > 0, other > 0, criterion=0.6) == 0.0
    # Each array is read in its own encoding (as recall_scorer does), so mixing
    # encodings gives the same answer; values outside them are refused.
    np.testing.assert_array_equal(overlap(bipolar, other > 0), expected)
    np.testing.assert_array_equal(overlap(bipolar, (other > 0).astype(int)), expected)
    _check_refused(lambda: overlap(bipolar, other * 0.5), r"y_pred must hold binary")


# ---------------------------------------------------------- no warning storm
def test_a_normal_session_emits_no_warning(estimator):
    cues = corrupt(X, 0.1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        estimator.fit(X)
        for method in METHODS:
            _call(estimator, method, X if method == "score" else cues)
        estimator.retrieve(cues, update="async", return_trajectory=True)


# ---------------------------------------------------------------- persistence
def _fitted_variants():
    binary = ((X + 1) // 2).astype(np.uint8)
    for est in ESTIMATORS:
        for update in ("sync", "async"):
            yield pytest.param(est, update, X, id=f"{type(est).__name__}-{update}")
    yield pytest.param(ESTIMATORS[0], "async", binary, id="binary-uint8")
    yield pytest.param(ESTIMATORS[0], "sync", X > 0, id="bool")
    real = X * np.linspace(0.5, 2, N)
    binarized = clone(ESTIMATORS[0]).set_params(binarize=0.0)
    yield pytest.param(binarized, "async", real, id="binarize")


def _flip_first_quarter(data):
    cues = data.copy()
    part = cues[:, : N // 4]
    if cues.dtype == bool:
        cues[:, : N // 4] = ~part
    elif cues.dtype.kind == "u":
        cues[:, : N // 4] = 1 - part
    else:
        cues[:, : N // 4] = -part
    return cues


def _assert_same_behaviour(a, b, data):
    cues = _flip_first_quarter(data)
    np.testing.assert_array_equal(a.predict(cues), b.predict(cues))
    np.testing.assert_array_equal(a.transform(cues), b.transform(cues))
    np.testing.assert_array_equal(a.decision_function(cues), b.decision_function(cues))
    np.testing.assert_array_equal(a.energy(cues), b.energy(cues))
    assert a.score(data) == b.score(data)
    for update in ("sync", "async"):
        ra = a.retrieve(cues, update=update, return_trajectory=True)
        rb = b.retrieve(cues, update=update, return_trajectory=True)
        for name in (
            "states",
            "trajectory",
            "n_events",
            "n_steps",
            "converged",
            "energy",
        ):
            np.testing.assert_array_equal(getattr(ra, name), getattr(rb, name))
        assert ra.states.dtype == rb.states.dtype


def _skops_round_trip(est):
    data = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=data)
    # the memory's own class and the codec it holds, nothing else
    assert untrusted == sorted([f"{type(est).__module__}.{type(est).__name__}", CODEC])
    assert all(t.startswith("sklearn_klrhop.") for t in untrusted)
    return sio.loads(data, trusted=untrusted)


@pytest.mark.parametrize("est, update, data", list(_fitted_variants()))
def test_persistence_round_trips_are_exact(est, update, data, tmp_path):
    mem = clone(est).set_params(update=update).fit(data)
    restored = {
        "pickle": pickle.loads(pickle.dumps(mem)),
        "joblib": joblib.load(_joblib_dump(mem, tmp_path / "m.joblib")),
        "skops": _skops_round_trip(mem),
    }
    for name, other in restored.items():
        assert type(other) is type(mem), name
        assert other.get_params() == mem.get_params()
        _assert_same_behaviour(mem, other, data)


def _joblib_dump(obj, path):
    joblib.dump(obj, path)
    return path


def test_skops_refuses_without_trusting_the_memory():
    data = sio.dumps(KLRHopfieldMemory().fit(X))
    with pytest.raises(Exception, match="Untrusted types found"):
        sio.loads(data)
    buffer = io.BytesIO(data)
    assert sio.get_untrusted_types(data=buffer.getvalue()) == [
        "sklearn_klrhop._encoding.StateCodec",
        "sklearn_klrhop.memories._klr.KLRHopfieldMemory",
    ]


# ---------------------------------------------------------------- concurrency
def _snapshot(obj):
    return copy.deepcopy(obj.__dict__)


def _assert_same_dict(before, after):
    assert before.keys() == after.keys()
    for key, value in before.items():
        _assert_same(after[key], value, key)


def _assert_same(after, before, key):
    if isinstance(before, np.ndarray):
        np.testing.assert_array_equal(after, before, err_msg=key)
        assert after.dtype == before.dtype, key
    elif isinstance(before, Engine):
        # the engine holds arrays and its activation, a partial of a function
        _assert_same_dict(vars(before), vars(after))
    elif isinstance(before, functools.partial):
        assert after.func is before.func and after.args == before.args, key
        _assert_same_dict(before.keywords, after.keywords)
    else:
        assert after == before, key


def test_methods_do_not_mutate_the_fitted_memory(estimator):
    estimator.fit(X)
    cues = corrupt(X, 0.2, random_state=0)
    before = _snapshot(estimator)
    for method in METHODS:
        _call(estimator, method, X if method == "score" else cues)
    estimator.retrieve(cues, update="async", return_trajectory=True)
    estimator.retrieve(cues, update="sync", return_trajectory=True)
    _assert_same_dict(before, _snapshot(estimator))


@pytest.mark.parametrize("update", ["sync", "async"])
def test_threads_sharing_one_memory_get_identical_results(estimator, update):
    patterns = make_patterns(20, 24, random_state=3)
    estimator.set_params(update=update).fit(patterns)
    cues = corrupt(np.tile(patterns, (3, 1)), 0.2, random_state=4)
    serial = estimator.retrieve(cues)
    serial_score = estimator.score(patterns)
    before = _snapshot(estimator)

    def work(i):
        rows = slice(i % 5, None, 1 + i % 3)
        return rows, estimator.retrieve(cues[rows]), estimator.score(patterns)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(24)))
    for rows, res, score in results:
        np.testing.assert_array_equal(res.states, serial.states[rows])
        np.testing.assert_array_equal(res.n_events, serial.n_events[rows])
        assert score == serial_score
    _assert_same_dict(before, _snapshot(estimator))


@pytest.mark.parametrize("backend", ["threading", "loky"])
def test_same_random_state_same_results_across_n_jobs(backend):
    patterns = make_patterns(20, 24, random_state=5)
    cues = corrupt(np.tile(patterns, (2, 1)), 0.25, random_state=6)
    mem = KLRHopfieldMemory(update="async", random_state=7)
    serial = mem.fit(patterns).retrieve(cues)
    chunks = np.array_split(np.arange(len(cues)), 4)

    def fit_and_retrieve(rows):
        return clone(mem).fit(patterns).retrieve(cues[rows])

    parallel = Parallel(n_jobs=2, backend=backend)(
        delayed(fit_and_retrieve)(rows) for rows in chunks
    )
    states = np.concatenate([r.states for r in parallel])
    events = np.concatenate([r.n_events for r in parallel])
    np.testing.assert_array_equal(states, serial.states)
    np.testing.assert_array_equal(events, serial.n_events)


def test_skops_trusted_types_cover_every_estimator_and_nothing_else():
    from sklearn_klrhop._persistence import SKOPS_TRUSTED_TYPES

    needed = set()
    for est in ESTIMATORS:
        data = sio.dumps(clone(est).fit(X))
        needed.update(sio.get_untrusted_types(data=data))
        restored = sio.loads(data, trusted=SKOPS_TRUSTED_TYPES)
        np.testing.assert_array_equal(restored.predict(X), clone(est).fit(X).predict(X))
    assert needed == set(SKOPS_TRUSTED_TYPES)
    assert all(name.startswith("sklearn_klrhop.") for name in SKOPS_TRUSTED_TYPES)
