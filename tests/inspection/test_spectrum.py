"""loss_spectrum: lambda_max against a dense decomposition, the gd history."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.inspection import LossSpectrum, loss_spectrum
from sklearn_klrhop.inspection._hessian import hessian_lambda_max
from sklearn_klrhop.solvers import LogisticLoss


def _dense(mem, A):
    """lambda_max and trace of every neuron's Hessian, one dense matrix each."""
    X = mem.patterns_
    K = np.exp(-mem.gamma_ * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    loss = LogisticLoss((X > 0).astype(float), mem.lam)
    H = [loss.hessian(K, K @ A, i) for i in range(X.shape[1])]
    return np.array([np.linalg.eigvalsh(h)[-1] for h in H]), np.trace(
        H, axis1=1, axis2=2
    )


@pytest.mark.parametrize("gamma", [1e-4, 0.005, 0.05, 0.5, 10.0])
def test_lambda_max_and_trace_match_a_dense_decomposition(gamma):
    X = make_patterns(60, 30, random_state=0)
    mem = KLRHopfieldMemory(gamma=gamma).fit(X)
    spectrum = loss_spectrum(mem)
    lam_max, trace = _dense(mem, mem.dual_coef_)
    np.testing.assert_allclose(spectrum.lambda_max, lam_max, rtol=1e-9)
    np.testing.assert_allclose(spectrum.trace, trace, rtol=1e-12)
    np.testing.assert_allclose(spectrum.concentration, lam_max / trace, rtol=1e-9)
    assert spectrum.epochs is None and spectrum.stability_limit is None
    assert (
        (1 / 60 - 1e-12 <= spectrum.concentration) & (spectrum.concentration <= 1)
    ).all()


def test_the_history_matches_a_dense_decomposition_at_every_epoch():
    X = make_patterns(40, 20, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.05, solver="gd", learning_rate=0.2,
                            max_iter=60, tol=0).fit(X)  # fmt: skip
    recorded = []
    spectrum = loss_spectrum(mem, history=True)
    # rerun the same descent by hand
    K = np.exp(-0.05 * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    loss, A = LogisticLoss((X > 0).astype(float), mem.lam), np.zeros((40, 20))
    for _ in range(61):
        recorded.append(_dense(mem, A)[0])
        A = A - 0.2 * loss.gradient(A, K)
    assert spectrum.epochs.tolist() == list(range(61))
    np.testing.assert_allclose(spectrum.lambda_max_history, recorded, rtol=1e-9)
    np.testing.assert_allclose(spectrum.lambda_max_history[-1], spectrum.lambda_max)
    np.testing.assert_allclose(spectrum.trace_history[-1], spectrum.trace)
    assert spectrum.learning_rate == 0.2 and spectrum.stability_limit == 10.0


def test_edge_of_stability_on_the_ridge():
    # arXiv:2609.16827 (full text): N = 50, P / N = 2, gamma = 0.02, lam = 0.01,
    # eta = 0.1, A = 0: an initial lambda_max above 50 and 2 / eta = 20, an
    # oscillating phase at the limit, then stable descent.
    X = make_patterns(100, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.02, solver="gd", learning_rate=0.1, tol=0).fit(X)
    spectrum = loss_spectrum(mem, history=True)
    top = spectrum.lambda_max_history.max(axis=1)
    assert top[0] > 50
    # at A = 0 every curvature is 1/4: lambda_max = lambda_K^2 / 4 + lam lambda_K
    K = np.exp(-0.02 * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    lam_k = np.linalg.eigvalsh(K)[-1]
    assert top[0] == pytest.approx(lam_k**2 / 4 + 0.01 * lam_k, rel=1e-10)
    settled = spectrum.stable_from()
    assert 20 <= settled <= 80
    crossings = np.count_nonzero(np.diff(top[:settled] >= 20))
    assert crossings >= 10  # oscillates across 2 / eta before it settles
    assert (top[settled:] < 20).all()


def test_stable_from_by_hand():
    history = np.array([[30.0], [10.0], [25.0], [12.0], [11.0]])
    spectrum = LossSpectrum([11.0], [20.0], learning_rate=0.1, epochs=range(5),
                            lambda_max_history=history, trace_history=history)  # fmt: skip
    assert spectrum.stable_from() == 3
    still = LossSpectrum([30.0], [40.0], learning_rate=0.1, epochs=range(2),
                         lambda_max_history=[[5.0], [30.0]],
                         trace_history=[[5.0], [30.0]])  # fmt: skip
    assert still.stable_from() is None
    with pytest.raises(ValueError, match="No training history"):
        LossSpectrum([1.0], [1.0]).stable_from()


def test_lanczos_falls_back_to_dense_where_it_has_not_converged():
    rng = np.random.RandomState(0)
    X = make_patterns(80, 40, random_state=0)
    K = np.exp(-0.2 * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    D = rng.uniform(0, 0.25, (80, 5))  # a clustered top: slow Lanczos
    H = [(K * D[:, i]) @ K + 0.01 * K for i in range(5)]
    exact = [np.linalg.eigvalsh(h)[-1] for h in H]
    for steps in (2, 40, 80):
        lam_max, vectors = hessian_lambda_max(K, D, 0.01, max_lanczos=steps)
        np.testing.assert_allclose(lam_max, exact, rtol=1e-9)
        assert np.allclose(np.linalg.norm(vectors, axis=0), 1.0)
    # Lanczos converged: its vectors are the leading eigenvectors
    lam_max, vectors = hessian_lambda_max(K, D, 0.01, max_lanczos=80)
    for i in range(5):
        np.testing.assert_allclose(H[i] @ vectors[:, i], lam_max[i] * vectors[:, i],
                                   atol=1e-8 * lam_max[i])  # fmt: skip


def test_an_identity_kernel_stops_lanczos_at_the_invariant_subspace():
    # K = I and equal curvatures: H = (d + lam) I, every vector an eigenvector
    K, D = np.eye(30), np.full((30, 4), 0.2)
    D[:, 1] = np.linspace(0, 0.25, 30)
    lam_max, _ = hessian_lambda_max(K, D, 0.01)
    np.testing.assert_allclose(lam_max, [0.21, 0.26, 0.21, 0.21], rtol=1e-12)


def test_bad_input():
    X = make_patterns(20, 30, random_state=0)
    with pytest.raises(NotFittedError):
        loss_spectrum(KLRHopfieldMemory())
    with pytest.raises(TypeError, match="needs a kernel memory"):
        loss_spectrum(HebbianHopfieldMemory().fit(X))
    with pytest.raises(ValueError, match="loss='squared'"):
        loss_spectrum(KLRHopfieldMemory(loss="squared").fit(X))
    with pytest.raises(
        ValueError, match="solver_='newton-diagonal'. Fit it with solver='gd'"
    ):
        loss_spectrum(KLRHopfieldMemory(gamma=0.2).fit(X), history=True)
