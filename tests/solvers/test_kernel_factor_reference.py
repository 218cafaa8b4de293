"""KernelFactor: K = F F^T by Cholesky, with jitter, or the clipped eigenbasis."""

import numpy as np
import pytest

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import KernelFactor
from sklearn_klrhop.solvers._lbfgs import _deflation

from .._references import gram

X = make_patterns(12, 16, random_state=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("overwrite_k", [False, True])
def test_cholesky_factor_of_a_definite_kernel(dtype, order, overwrite_k):
    K0 = gram(X, "rbf", gamma=0.05)
    K = np.array(K0, dtype=dtype, order=order)
    before = K.copy()
    f = KernelFactor(K, overwrite_k=overwrite_k)
    assert f.triangular and f.jitter == 0.0 and f.dtype == dtype
    L = np.tril(f.F)  # the factor is the lower triangle (the upper is not read)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(L @ L.T, K0, rtol=rtol, atol=rtol)
    if not overwrite_k:
        np.testing.assert_array_equal(K, before)
    W = np.random.RandomState(1).randn(12, 3)
    np.testing.assert_allclose(f.dot(W), L @ W.astype(dtype), rtol=rtol)
    np.testing.assert_allclose(f.tdot(W), L.T @ W.astype(dtype), rtol=rtol)


def test_integer_kernels_are_factored_in_float64():
    f = KernelFactor(np.array([[4, 2], [2, 3]]))
    assert f.dtype == np.float64
    L = np.tril(f.F)
    np.testing.assert_allclose(L @ L.T, [[4, 2], [2, 3]])


def test_a_singular_kernel_gets_the_smallest_jitter_that_works():
    # the linear kernel of 16-bit patterns has rank <= 16 < P = 30
    P = make_patterns(30, 16, random_state=2)
    K = 2.0 * (P @ P.T)  # diagonal 32
    f = KernelFactor(K)
    assert f.triangular
    scale = np.mean(np.diagonal(K))
    assert f.jitter / scale in (1e-12, 1e-10, 1e-8)
    L = np.tril(f.F)
    np.testing.assert_allclose(
        L @ L.T, K + f.jitter * np.eye(30), rtol=1e-10, atol=1e-8
    )
    # the jitter is the first of the list for which Cholesky succeeds
    smaller = [j for j in (0.0, 1e-12, 1e-10, 1e-8) if j < f.jitter / scale]
    for j in smaller:
        with pytest.raises(np.linalg.LinAlgError):
            np.linalg.cholesky(K + j * scale * np.eye(30))


def test_an_indefinite_kernel_is_replaced_by_its_nearest_psd_one():
    K = gram(X, "sigmoid", gamma=0.05, coef0=-0.5)
    w, V = np.linalg.eigh(K)
    assert w.min() < -1e-3  # far from positive semi-definite
    f = KernelFactor(K)
    assert not f.triangular
    nearest = (V * np.clip(w, 0, None)) @ V.T
    np.testing.assert_allclose(f.F @ f.F.T, nearest, atol=1e-10)
    W = np.random.RandomState(3).randn(12, 2)
    np.testing.assert_allclose(f.dot(W), f.F @ W)
    np.testing.assert_allclose(f.tdot(W), f.F.T @ W)


def test_deflation_brings_the_dominant_direction_down_to_the_rest():
    # A broad kernel has one eigenvalue far above the rest. In the variables
    # U of W = (I + V diag(s - 1) V^T) U, the bound F^T F / 4 + lam I of the
    # Hessian keeps every other eigenvalue and moves the dominant one into
    # the range of the rest: its condition number is that of the rest.
    X = make_patterns(120, 30, random_state=0)
    K, lam = gram(X, gamma=0.005), 0.01
    V, s_minus_1 = _deflation(KernelFactor(K), lam)
    assert V.shape == (120, 1)
    np.testing.assert_allclose(V.T @ V, np.eye(1), atol=1e-12)
    L = np.linalg.cholesky(K)  # the factor K = F F^T, written out
    H = L.T @ L / 4 + lam * np.eye(120)
    M = np.eye(120) + V @ np.diag(s_minus_1) @ V.T
    before, after = np.linalg.eigvalsh(H), np.linalg.eigvalsh(M @ H @ M)
    assert before[-1] > 40 * before[-2]  # the dominant direction
    moved = np.setdiff1d(np.round(after, 9), np.round(before[:-1], 9))
    assert len(moved) == 1 and before[0] <= moved[0] <= before[-2]
    np.testing.assert_allclose(after.max(), before[-2], rtol=1e-6)
    np.testing.assert_allclose(after.min(), before[0], rtol=1e-6)
    # a local kernel: nothing stands out, no change of variables
    assert _deflation(KernelFactor(gram(X, gamma=0.3)), lam) is None


def _kernel_with_spectrum(eigenvalues, random_state=0):
    # K = Q diag(eigenvalues) Q^T with a random orthogonal Q
    rng = np.random.default_rng(random_state)
    Q, _ = np.linalg.qr(rng.standard_normal((len(eigenvalues),) * 2))
    return (Q * eigenvalues) @ Q.T


def _spectrum(top, second, n=40):
    # one direction on top, a second one well apart from the rest (so that
    # subspace iteration resolves both to many digits), then the bulk
    return np.r_[top, second, np.linspace(0.01, 0.08, n - 2)]


def test_deflation_puts_the_next_eigenvalue_in_place_of_the_dominant_one():
    # mu_ref / 4 + lam replaces mu_1 / 4 + lam in the Hessian bound, mu_ref
    # the second eigenvalue of K: 0.8, below 1, so a floor at 1 would show.
    lam = 0.01
    eigenvalues = _spectrum(400.0, 0.8)
    K = _kernel_with_spectrum(eigenvalues)
    V, s_minus_1 = _deflation(KernelFactor(K), lam)
    bound = np.sort(eigenvalues) / 4 + lam  # of F^T F / 4 + lam I, F^T F ~ K
    expected = np.sort(np.r_[bound[:-1], 0.8 / 4 + lam])
    np.testing.assert_allclose(s_minus_1, np.sqrt(bound[-2] / bound[-1]) - 1, rtol=1e-7)
    L = np.linalg.cholesky(K)
    M = np.eye(len(K)) + V @ np.diag(s_minus_1) @ V.T
    after = np.linalg.eigvalsh(M @ (L.T @ L / 4 + lam * np.eye(len(K))) @ M)
    np.testing.assert_allclose(after, expected, rtol=1e-7)


@pytest.mark.parametrize("factor, stands_out", [(1.003, True), (0.997, False)])
def test_deflation_threshold_is_twice_the_next_eigenvalue_plus_4_lam(
    factor, stands_out
):
    lam, second = 0.01, 0.8
    top = factor * (2 * second + 4 * lam)
    result = _deflation(
        KernelFactor(_kernel_with_spectrum(_spectrum(top, second))), lam
    )
    assert (result is not None) == stands_out
    if stands_out:
        V, s_minus_1 = result
        assert V.shape == (40, 1)
        np.testing.assert_allclose(
            s_minus_1, np.sqrt((second / 4 + lam) / (top / 4 + lam)) - 1, rtol=1e-6
        )


def test_deflation_saves_lbfgs_iterations_on_a_broad_kernel(monkeypatch):
    # The point of the change of variables: same minimiser, fewer iterations
    # where one direction dominates the Hessian (a broad RBF kernel).
    import sklearn_klrhop.solvers._lbfgs as lbfgs_module
    from sklearn_klrhop.solvers._loss import LogisticLoss

    X = make_patterns(120, 30, random_state=0)
    K, T, lam = gram(X, gamma=0.005), (X + 1) / 2, 0.01
    A, deflated = lbfgs_module.solve_lbfgs(K, LogisticLoss(T, lam), 500, 1e-8)
    monkeypatch.setattr(lbfgs_module, "_deflation", lambda factor, lam: None)
    A_plain, plain = lbfgs_module.solve_lbfgs(K, LogisticLoss(T, lam), 500, 1e-8)
    assert deflated < plain / 2  # 19 and 108 iterations when this was written
    # L-BFGS stops on a relative decrease of f, so the two agree to its tolerance
    np.testing.assert_allclose(K @ A, K @ A_plain, rtol=0, atol=1e-3)
