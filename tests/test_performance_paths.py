"""Correctness of the fast paths: float32, truncated kernel, diagonal Newton, memory guard."""

import time

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import rbf_kernel

import sklearn_klrhop._klr as klr_module
import sklearn_klrhop._newton as newton_module
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._kernels import (
    OVERLAP_KERNELS,
    dense_gram,
    gram_matrix,
    truncated_gram,
)
from sklearn_klrhop._klr import check_dense_gram_fits
from sklearn_klrhop._newton import _coarse_space, solve_newton_dual
from sklearn_klrhop._solvers import (
    KernelFactor,
    _solve_factor,
    klr_objective,
    off_diagonal_ratio,
    solve_klr,
)
from sklearn_klrhop.datasets import corrupt, make_patterns


def test_float32_fit_matches_float64():
    X = make_patterns(300, 60, random_state=0)
    cues = corrupt(X, 0.2, random_state=1)
    m64 = KLRHopfieldMemory(gamma=0.05, tol=1e-8).fit(X)
    m32 = KLRHopfieldMemory(gamma=0.05, tol=1e-8, dtype=np.float32).fit(X)
    assert m32.dual_coef_.dtype == np.float32
    np.testing.assert_allclose(m32.dual_coef_, m64.dual_coef_, rtol=1e-3, atol=1e-3)
    np.testing.assert_array_equal(m32.predict(cues), m64.predict(cues))


def test_float32_keeps_fields_finite_at_large_gamma_n():
    # exp(-2 gamma N) underflows float32 here; the log-domain shift keeps the
    # fields nonzero and recall exact.
    X = make_patterns(200, 100, random_state=2)
    mem = KLRHopfieldMemory(gamma=1.0, dtype=np.float32).fit(X)
    cues = corrupt(X, 0.2, random_state=3)
    H = mem.decision_function(cues)
    assert np.all(H != 0)
    np.testing.assert_array_equal(mem.predict(cues), X)


def test_truncated_kernel_matches_exact_at_machine_precision_cutoff():
    X = make_patterns(400, 100, random_state=4)
    cues = corrupt(X, 0.2, random_state=5)
    exact = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    trunc = KLRHopfieldMemory(gamma=0.1, kernel_cutoff=1e-16, random_state=0).fit(X)
    np.testing.assert_allclose(
        trunc.dual_coef_, exact.dual_coef_, rtol=1e-9, atol=1e-12
    )
    for update in ("sync", "async"):
        np.testing.assert_array_equal(
            trunc.retrieve(cues, update=update).states,
            exact.retrieve(cues, update=update).states,
        )


def test_truncated_gram_drops_only_entries_below_cutoff():
    X = make_patterns(150, 20, random_state=6)
    gamma, cutoff = 0.1, 1e-3
    K = truncated_gram(X, gamma=gamma, cutoff=cutoff)
    assert sparse.issparse(K)
    dense = rbf_kernel(X, gamma=gamma)
    kept = dense >= cutoff
    np.testing.assert_array_equal(K.toarray() != 0, kept)
    np.testing.assert_allclose(K.toarray()[kept], dense[kept], rtol=1e-12)
    assert 0 < K.nnz < dense.size


def test_truncated_kernel_refuses_broad_kernel_and_other_kernels():
    X = make_patterns(100, 30, random_state=7)
    with pytest.raises(ValueError, match="not diagonally dominant"):
        KLRHopfieldMemory(gamma=0.005, kernel_cutoff=1e-16).fit(X)
    with pytest.raises(ValueError, match="rbf and laplacian"):
        KLRHopfieldMemory(kernel="poly", kernel_cutoff=1e-6).fit(X)


def test_diagonal_newton_reaches_the_stationary_point_of_the_factor_solver():
    X = make_patterns(120, 40, random_state=8)
    K = rbf_kernel(X, gamma=0.2)
    assert off_diagonal_ratio(K) < 0.1
    T = (X + 1) / 2
    A, _ = solve_klr(K, T, 0.01, tol=1e-12)
    A_ref, _ = _solve_factor(K.copy(), T, 0.01, "lbfgs", 2000, 1e-12)
    np.testing.assert_allclose(A, A_ref, rtol=1e-6, atol=1e-6)
    _, grad = klr_objective(A, K, T, 0.01)
    assert np.abs(grad).max() < 1e-10


def test_in_place_factor_of_singular_kernel_is_a_factor():
    X = make_patterns(10, 8, random_state=9)
    X = np.vstack([X, X])
    K = rbf_kernel(X, gamma=1e-3)
    expected = K.copy()
    factor = KernelFactor(K, overwrite_k=True)
    assert factor.jitter > 0
    L = np.tril(factor.F) if factor.triangular else factor.F
    np.testing.assert_allclose(L @ L.T, expected, atol=1e-6)


def test_memory_guard_refuses_200000_patterns_before_allocating(monkeypatch):
    X = make_patterns(200_000, 8, random_state=10)

    def no_gram(*args, **kwargs):
        raise AssertionError("the dense Gram matrix must not be built")

    monkeypatch.setattr(klr_module, "dense_gram", no_gram)
    monkeypatch.setattr(klr_module, "available_memory", lambda: 8 * 2**30)
    start = time.perf_counter()
    with pytest.raises(MemoryError, match=r"200000 x 200000.*float32.*kernel_cutoff"):
        KLRHopfieldMemory(gamma=1.0).fit(X)
    assert time.perf_counter() - start < 60  # generous: refusal is not a timing test


def test_memory_guard_counts_dtype():
    needed64 = check_dense_gram_fits(1000, 10, np.float64, available=10**12)
    needed32 = check_dense_gram_fits(1000, 10, np.float32, available=10**12)
    assert needed32 < needed64
    with pytest.raises(MemoryError, match="GiB"):
        check_dense_gram_fits(1000, 10, available=10**6)


def _broad_problem(P=200, N=30, gamma=0.01, random_state=11):
    X = make_patterns(P, N, random_state=random_state)
    return rbf_kernel(X, gamma=gamma), (X + 1) / 2


def _exact_newton(K, T, lam, n_iter=10):
    # Reference: dense Newton per neuron in Cholesky coordinates W = L^T A
    # (plain L2 logistic regression on features L), solved to machine precision.
    L = np.linalg.cholesky(K)
    W = np.zeros(T.shape)
    for _ in range(n_iter):
        p = 1 / (1 + np.exp(-(L @ W)))
        G = L.T @ (p - T) + lam * W
        for i in range(T.shape[1]):
            H = L.T @ ((p[:, i] * (1 - p[:, i]))[:, None] * L) + lam * np.eye(len(K))
            W[:, i] -= np.linalg.solve(H, G[:, i])
    return (T - 1 / (1 + np.exp(-(L @ W)))) / lam


@pytest.fixture(scope="module")
def broad_optimum():
    K, T = _broad_problem()
    return K, T, _exact_newton(K, T, 0.01)


@pytest.mark.parametrize("coarse", [True, False])
def test_newton_dual_reaches_the_exact_optimum(coarse, broad_optimum):
    # The ill-conditioned regime (broad kernel, small lam): the lockstep
    # truncated Newton solver, with or without its coarse preconditioner,
    # lands on the optimum of a dense per-neuron Newton solve.
    K, T, A_ref = broad_optimum
    lam = 0.01
    assert off_diagonal_ratio(K) > 0.1
    A, n_iter = solve_newton_dual(K, T, lam, 100, 1e-10, coarse=coarse)
    H, H_ref = K @ A, K @ A_ref
    assert np.abs(H - H_ref).max() <= 1e-8 * np.abs(H_ref).max()
    np.testing.assert_allclose(A, A_ref, rtol=1e-5, atol=1e-5)
    assert 1 <= n_iter < 30
    _, grad = klr_objective(A, K, T, lam)
    assert np.abs(grad).max() < 1e-8


def test_newton_dual_tol_bounds_the_stationarity_residual():
    K, T = _broad_problem(random_state=12)
    for tol in (1e-3, 1e-6):
        A, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=tol)
        R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
        assert np.abs(R).max() <= tol


def test_newton_dual_warns_when_out_of_iterations():
    K, T = _broad_problem(random_state=13)
    with pytest.warns(ConvergenceWarning, match="newton-cg failed") as log:
        A, n_iter = solve_klr(K, T, 0.01, solver="newton-cg", max_iter=2, tol=1e-12)
    assert "Increase max_iter" in str(log[0].message)
    assert n_iter == 2
    assert np.isfinite(A).all()


def test_newton_dual_float32_matches_float64():
    K, T = _broad_problem(random_state=14)
    A64, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=1e-8)
    A32, _ = solve_klr(K.astype(np.float32), T, 0.01, solver="newton-cg", tol=1e-8)
    assert A32.dtype == np.float32
    np.testing.assert_allclose(K @ A32, K @ A64, rtol=0, atol=1e-3)


def test_coarse_space_is_orthonormal_and_captures_the_top_of_the_spectrum():
    K, T = _broad_problem(P=120, N=10, random_state=15)
    U, sigma, beta = _coarse_space(K, T, 11)
    np.testing.assert_allclose(U.T @ U, np.eye(U.shape[1]), atol=1e-10)
    w = np.linalg.eigvalsh(K)
    # the constant direction carries the largest eigenvalue of a broad kernel
    assert sigma.max() == pytest.approx(w[-1], rel=1e-3)
    assert 0 < beta < sigma.max()
    # a sketch when there are more targets than the rank allows
    U, sigma, _ = _coarse_space(K, T, 4)
    assert U.shape == (120, 4)


@pytest.mark.parametrize("kernel", OVERLAP_KERNELS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_gram_matches_scikit_learn_kernels(kernel, dtype):
    # Overlaps in float32 row blocks (3 rows each here, so blocks and their
    # edges are exercised), the kernel in `dtype`.
    X = make_patterns(50, 40, random_state=20)
    params = {"gamma": 0.03, "degree": 2, "coef0": 0.5}
    ref = gram_matrix(X, kernel, **params)
    K = dense_gram(X, kernel, dtype=dtype, block_entries=150, **params)
    assert K.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(K, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


@pytest.mark.parametrize("kernel", ["rbf", "sigmoid"])
def test_off_diagonal_ratio_for_positive_and_signed_kernels(kernel):
    # rbf takes the matrix-vector path, sigmoid (negative entries) the |K| one
    X = make_patterns(70, 12, random_state=21)
    K = gram_matrix(X, kernel, gamma=0.05, coef0=-0.5)
    assert (K.min() >= 0) == (kernel == "rbf")
    off = np.abs(K).sum(axis=1) - np.abs(np.diagonal(K))
    expected = np.max(off / np.abs(np.diagonal(K)))
    assert off_diagonal_ratio(K) == pytest.approx(expected, rel=1e-12)


def test_newton_dual_with_a_sketched_coarse_space():
    # P < 4 (N + 1): the coarse space is a random sketch of the targets, a
    # poorer preconditioner; the solver must still reach the optimum.
    K, T = _broad_problem(P=80, N=30, random_state=22)
    A_ref = _exact_newton(K, T, 0.01)
    A, _ = solve_newton_dual(K, T, 0.01, 100, 1e-10)
    np.testing.assert_allclose(K @ A, K @ A_ref, rtol=0, atol=1e-8)


def test_newton_dual_small_lam_saturated_fields():
    # lam = 1e-7: the fields grow past 15, curvatures p (1 - p) fall to 1e-7
    # and the float32 Newton systems are badly scaled; the answer must still
    # be the stationary point, certified in float64.
    K, T = _broad_problem(P=150, N=20, gamma=0.05, random_state=23)
    lam = 1e-7
    A, _ = solve_newton_dual(K, T, lam, 200, 1e-9)
    R = 1 / (1 + np.exp(-(K @ A))) - T + lam * A
    assert np.abs(R).max() <= 1e-9
    assert np.abs(K @ A).max() > 15


def test_newton_dual_mixed_precision_is_certified_in_float64():
    # The float32 phase cannot resolve 1e-9; the result must reach it anyway.
    K, T = _broad_problem(random_state=24)
    for tol in (1e-4, 1e-9):
        A, _ = solve_klr(K, T, 0.01, solver="newton-cg", tol=tol)
        assert A.dtype == np.float64
        R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
        assert np.abs(R).max() <= tol


def test_memory_guard_counts_the_float32_copy_of_newton_cg():
    lbfgs = check_dense_gram_fits(1000, 10, np.float64, available=10**12)
    newton = check_dense_gram_fits(
        1000, 10, np.float64, available=10**12, solver="newton-cg"
    )
    assert newton - lbfgs == 1000 * 1000 * 4
    # a float32 Gram matrix is its own float32 copy
    assert check_dense_gram_fits(
        1000, 10, np.float32, available=10**12, solver="newton-cg"
    ) == check_dense_gram_fits(1000, 10, np.float32, available=10**12)


def _clustered(P=150, N=400, near=0.03, random_state=25):
    # pairs of patterns a few bits apart: true neighbours within the cutoff
    X = make_patterns(P, N, random_state=random_state)
    Y = corrupt(X[: P // 3], near, random_state=random_state + 1)
    return np.vstack([X, Y])


@pytest.mark.parametrize("gamma, cutoff", [(0.1, 1e-16), (0.05, 1e-6), (0.5, 1e-3)])
def test_truncated_gram_prefix_search_is_exact(gamma, cutoff):
    # The prefix filter may only drop pairs that are too far apart: on data
    # with real neighbours the kept entries are exactly those >= cutoff.
    X = _clustered()
    K, stats = truncated_gram(
        X, gamma=gamma, cutoff=cutoff, block_rows=7, return_stats=True
    )
    dense = rbf_kernel(X, gamma=gamma)
    kept = dense >= cutoff * (1 - 1e-12)
    np.testing.assert_array_equal(K.toarray() != 0, kept)
    np.testing.assert_allclose(K.toarray()[kept], dense[kept], rtol=1e-12)
    assert stats["prefix"] < X.shape[1]  # the filter was used
    assert stats["candidates"] >= stats["neighbours"] == (kept.sum() - len(X)) // 2


def test_sparse_local_solver_closed_form_and_coupled_rows():
    # Isolated patterns get the scalar solution; patterns with neighbours are
    # solved together; both must be the stationary point.
    X = _clustered(random_state=26)
    T = (X + 1) / 2
    K = truncated_gram(X, gamma=0.1, cutoff=1e-16)
    isolated = np.diff(K.indptr) == 1
    assert 0 < isolated.sum() < len(X)
    A, _ = solve_klr(K, T.astype(np.float32), 0.01, tol=1e-12)
    R = 1 / (1 + np.exp(-(K @ A))) - T + 0.01 * A
    assert np.abs(R).max() <= 1e-10
    A_ref, _ = _solve_factor(K.toarray(), T, 0.01, "lbfgs", 2000, 1e-12)
    np.testing.assert_allclose(A, A_ref, rtol=1e-6, atol=1e-6)


def test_newton_dual_step_extension_saves_steps(monkeypatch):
    # Full steps fall short while the fields grow; extending them along the
    # secant of the slope must reach the same optimum in fewer Newton steps.
    K, T = _broad_problem(random_state=27)
    A, extended = solve_newton_dual(K, T, 0.01, 100, 1e-8)
    monkeypatch.setattr(newton_module, "EXTRAPOLATE_BELOW", np.inf)
    A_plain, plain = solve_newton_dual(K, T, 0.01, 100, 1e-8)
    assert extended < plain
    np.testing.assert_allclose(K @ A, K @ A_plain, rtol=0, atol=1e-6)
