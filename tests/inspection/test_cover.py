"""kernel_participation_ratio: K = I, the eigenvalue definition, the Cover bound."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.inspection import kernel_participation_ratio


def test_an_identity_kernel_has_a_participation_ratio_of_p():
    X = make_patterns(80, 20, random_state=0)
    # gamma N = 1000: off-diagonal kernel values exp(-200 d) are 0 in float64
    mem = KLRHopfieldMemory(gamma=50.0).fit(X)
    pr = kernel_participation_ratio(mem)
    assert pr.participation_ratio == pytest.approx(80, rel=1e-12)
    assert pr.cover_patterns == pytest.approx(160) and pr.cover_load == pytest.approx(8)
    assert pr.load == 4.0


@pytest.mark.parametrize("gamma", [0.005, 0.02, 0.1])
def test_it_is_the_participation_ratio_of_the_gram_eigenvalues(gamma):
    X = make_patterns(120, 40, random_state=1)
    mem = KLRHopfieldMemory(gamma=gamma).fit(X)
    K = np.exp(-gamma * ((X[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    eig = np.linalg.eigvalsh(K)
    expected = eig.sum() ** 2 / (eig**2).sum()
    assert kernel_participation_ratio(mem).participation_ratio == pytest.approx(
        expected, rel=1e-10
    )


def test_a_broad_kernel_has_few_effective_dimensions():
    X = make_patterns(200, 50, random_state=0)
    ratios = [
        kernel_participation_ratio(
            KLRHopfieldMemory(gamma=g).fit(X)
        ).participation_ratio
        for g in (0.001, 0.02, 0.1)
    ]
    assert 1 <= ratios[0] < 2 < ratios[1] < ratios[2] <= 200


def test_the_truncated_kernel_gives_the_same_ratio():
    X = make_patterns(300, 60, random_state=0)
    exact = KLRHopfieldMemory(gamma=0.2).fit(X)
    sparse = KLRHopfieldMemory(gamma=0.2, kernel_cutoff=1e-16).fit(X)
    assert kernel_participation_ratio(sparse).participation_ratio == pytest.approx(
        kernel_participation_ratio(exact).participation_ratio, rel=1e-12
    )


def test_bad_input():
    X = make_patterns(20, 30, random_state=0)
    with pytest.raises(NotFittedError):
        kernel_participation_ratio(KLRHopfieldMemory())
    with pytest.raises(
        TypeError, match="needs a kernel memory .* HebbianHopfieldMemory"
    ):
        kernel_participation_ratio(HebbianHopfieldMemory().fit(X))
