"""solver="auto": what it chooses, and that a named solver runs as named."""

import numpy as np
import pytest
from scipy import sparse

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import choose_solver, solve_klr
from tests._references import gram, stationarity_residual


def test_defaults_reach_the_exact_optimum_of_a_broad_kernel():
    # N = 100, P = 1000, gamma = 0.01 (gamma N = 1): ill-conditioned. The
    # reference is certified by its stationarity residual, computed here.
    X = make_patterns(1000, 100, random_state=0)
    K, T = gram(X, gamma=0.01), (X + 1) / 2
    A_ref = solve_klr(K.copy(), T, 0.01, solver="newton-cg", tol=1e-12)[0]
    assert stationarity_residual(A_ref, K, T, 0.01) < 1e-11
    H_ref = K @ A_ref
    mem = KLRHopfieldMemory(gamma=0.01).fit(X)
    assert mem.solver_ == "newton-cg"
    assert np.abs(K @ mem.dual_coef_ - H_ref).max() <= 1e-4 * np.abs(H_ref).max()


@pytest.mark.parametrize(
    "gamma, expected", [(0.2, "newton-diagonal"), (0.005, "newton-cg")]
)
def test_auto_chooses_by_the_locality_of_the_kernel(gamma, expected):
    X = make_patterns(80, 40, random_state=1)
    mem = KLRHopfieldMemory(gamma=gamma).fit(X)
    assert mem.solver_ == expected
    K, T = gram(X, gamma=gamma), (X + 1) / 2
    assert stationarity_residual(mem.dual_coef_, K, T, mem.lam) <= 1e-6
    assert choose_solver(K) == expected


@pytest.mark.parametrize(
    "solver, residual",
    # lbfgs's tol bounds its gradient in Cholesky coordinates, not the
    # residual; gd runs the papers' 300 epochs, far from converged here.
    [("lbfgs", 1e-3), ("newton-cg", 1e-6), ("newton-diagonal", 1e-6), ("gd", 0.05)],
)
def test_a_named_solver_runs_as_named(solver, residual):
    # gamma N = 8: a local kernel, where auto would run newton-diagonal
    X = make_patterns(60, 40, random_state=2)
    mem = KLRHopfieldMemory(gamma=0.2, solver=solver).fit(X)
    assert mem.solver_ == solver
    if solver == "gd":
        assert mem.n_iter_ == 300
    K, T = gram(X, gamma=0.2), (X + 1) / 2
    assert stationarity_residual(mem.dual_coef_, K, T, 0.01) <= residual


@pytest.mark.parametrize(
    "solver, gamma, kind",
    [
        ("gd", 0.2, "dense"),
        ("newton-diagonal", 0.2, "dense"),
        ("newton-diagonal", 0.2, "sparse"),
        ("newton-cg", 0.02, "dense"),
    ],
)
def test_a_warm_start_at_the_optimum_stops_at_once(solver, gamma, kind):
    # A0 is where each iterative solver starts (partial_fit's warm start): from
    # the optimum the first check stops it. From zeros it takes several steps.
    X = make_patterns(60, 40, random_state=2)
    K, T = gram(X, gamma=gamma), (X + 1) / 2
    if kind == "sparse":
        K = sparse.csr_matrix(np.where(K > 1e-12, K, 0.0))
    dense = K.toarray() if kind == "sparse" else K
    opts = {"solver": solver, "tol": 1e-8, "max_iter": 20000}
    A, n_cold, _ = solve_klr(K, T, 0.01, **opts)
    assert n_cold > 3
    # a float32 start (a memory stored in float32) is solved in K's dtype
    for A0 in (A, A.astype(np.float32)):
        A_warm, n_warm, name = solve_klr(K, T, 0.01, A0=A0, **opts)
        assert name == solver and A_warm.dtype == np.float64
        assert stationarity_residual(A_warm, dense, T, 0.01) <= 1e-8
        if A0.dtype == np.float64:
            assert n_warm == 1
            np.testing.assert_allclose(A_warm, A, atol=1e-8)
        else:
            assert n_warm < n_cold


def test_closed_form_records_its_solver():
    X = make_patterns(40, 20, random_state=3)
    assert KLRHopfieldMemory(loss="squared").fit(X).solver_ == "cholesky"
    sparse = KLRHopfieldMemory(loss="squared", gamma=0.3, kernel_cutoff=1e-16)
    assert sparse.fit(X).solver_ == "sparse-lu"
    with pytest.warns(UserWarning, match="singular"):
        duplicated = KLRHopfieldMemory(loss="squared", lam=0.0).fit(np.vstack([X, X]))
    assert duplicated.solver_ == "lstsq"


def test_solvers_that_cannot_run_are_refused_with_the_reason():
    X = make_patterns(60, 30, random_state=4)
    with pytest.raises(ValueError, match="newton-diagonal' needs a local kernel"):
        KLRHopfieldMemory(gamma=0.005, solver="newton-diagonal").fit(X)
    with pytest.raises(ValueError, match="needs a dense Gram matrix"):
        KLRHopfieldMemory(gamma=0.3, kernel_cutoff=1e-16, solver="lbfgs").fit(X)
    with pytest.raises(ValueError, match="loss='squared' is solved in closed form"):
        KLRHopfieldMemory(loss="squared", solver="newton-cg").fit(X)
    with pytest.raises(ValueError, match="'solver' parameter"):
        KLRHopfieldMemory(solver="sag").fit(X)
