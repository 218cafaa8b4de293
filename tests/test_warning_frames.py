"""Warnings point at the user's line, whichever way the call went (in one process).

Outside the mutation tester's selection: its trampolines add frames of
their own between the package's functions.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.model_selection import StoredPatternSplit
from sklearn_klrhop.solvers import solve_klr

X = make_patterns(60, 20, random_state=0)
UNCONVERGED = {"gamma": 0.01, "lam": 1e-4, "max_iter": 1, "tol": 1e-14}


def _only_warning(log, category):
    (warning,) = [w for w in log if issubclass(w.category, category)]
    return warning


@pytest.mark.parametrize("solver", ["gd", "lbfgs", "newton-cg", "newton-diagonal"])
@pytest.mark.parametrize("call", ["fit", "partial_fit", "solve_klr"])
def test_convergence_warnings_point_at_the_call(solver, call):
    params = (
        dict(UNCONVERGED, gamma=0.5) if solver == "newton-diagonal" else UNCONVERGED
    )
    memory = KLRHopfieldMemory(solver=solver, **params)
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        if call == "fit":
            memory.fit(X)
        elif call == "partial_fit":
            memory.fit(X[:30]).partial_fit(X[30:])  # the line of the last call
        else:
            K = np.exp(-params["gamma"] * ((X[:, None] - X[None]) ** 2).sum(-1))
            solve_klr(K, (X + 1) / 2, 1e-4, solver=solver, max_iter=1, tol=1e-14)
    convergence = [w for w in log if issubclass(w.category, ConvergenceWarning)]
    if solver == "gd":
        # gd runs its max_iter epochs by design (and raises if it diverges)
        assert convergence == []
        return
    assert convergence  # one per fit: partial_fit's first fit warns too
    for warning in convergence:
        assert warning.filename == __file__, (warning.filename, warning.lineno)


def test_warnings_inside_a_meta_estimator_point_at_its_fit():
    search = GridSearchCV(
        KLRHopfieldMemory(solver="newton-cg", **UNCONVERGED),
        {"lam": [1e-4]},
        cv=StoredPatternSplit(n_splits=2),
    )
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        search.fit(X)
    frames = {w.filename for w in log if issubclass(w.category, ConvergenceWarning)}
    assert frames == {__file__}


def test_singular_kernel_and_unstored_rows_warnings_point_at_the_call():
    duplicated = np.vstack([X[:6], X[:6]])
    with pytest.warns(UserWarning, match="singular") as log:
        KLRHopfieldMemory(loss="squared", lam=0.0).fit(duplicated)
    assert _only_warning(log, UserWarning).filename == __file__
    memory = KLRHopfieldMemory().fit(X[:2])
    with pytest.warns(UserWarning, match="never stored") as log:
        memory.score(np.vstack([X[:2], -X[:1]]))
    assert _only_warning(log, UserWarning).filename == __file__


def test_underflow_warning_points_at_the_call():
    patterns = make_patterns(10, 2000, random_state=5)
    memory = KLRHopfieldMemory(gamma=1.0).fit(patterns)
    with pytest.warns(UserWarning, match="below the smallest float64") as log:
        memory.decision_function(corrupt(patterns, 0.2, random_state=6))
    assert _only_warning(log, UserWarning).filename == __file__
