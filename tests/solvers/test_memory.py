"""What the solvers allocate: the P x P copies that ``overwrite_k`` saves.

Measured with tracemalloc, which sees NumPy's and SciPy's array buffers; K
is made before the measurement starts, so the peak counts only what the call
adds to it.
"""

import tracemalloc

import numpy as np
import pytest

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import KernelFactor, solve_klr
from sklearn_klrhop.solvers._krr import solve_krr

from .._references import gram

X = make_patterns(400, 30, random_state=0)  # 400 distinct patterns


def _kernel(order="C"):
    # a definite kernel: Cholesky succeeds at once, without jitter
    return np.array(gram(X, gamma=0.3), order=order)


def _peak(call):
    """``(result, bytes the call adds at its peak)``, whether or not tracing is on."""
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if started:
            tracemalloc.stop()
    return result, peak - before


@pytest.mark.parametrize("order", ["C", "F"])
def test_kernel_factor_copies_k_once_or_not_at_all(order):
    K = _kernel(order)
    factor, copied = _peak(lambda: KernelFactor(K, overwrite_k=False))
    assert factor.jitter == 0.0
    assert 0.9 * K.nbytes <= copied <= 1.1 * K.nbytes  # one copy, in Fortran order
    K = _kernel(order)
    factor, in_place = _peak(lambda: KernelFactor(K, overwrite_k=True))
    assert np.shares_memory(factor.F, K)
    assert in_place <= 0.1 * K.nbytes


def test_overwrite_k_saves_a_copy_of_k_in_lbfgs():
    T = (X + 1) / 2
    K = _kernel()
    _, copied = _peak(lambda: solve_klr(K, T, 0.01, solver="lbfgs", overwrite_k=False))
    K = _kernel()
    _, in_place = _peak(lambda: solve_klr(K, T, 0.01, solver="lbfgs", overwrite_k=True))
    assert in_place <= copied - 0.9 * K.nbytes


def test_kernel_ridge_solves_in_place_when_allowed():
    Y = X.astype(float)
    K = _kernel()
    _, copied = _peak(lambda: solve_krr(K, Y, 0.01, overwrite_k=False))
    assert 0.9 * K.nbytes <= copied <= 1.5 * K.nbytes
    K = _kernel()
    _, in_place = _peak(lambda: solve_krr(K, Y, 0.01, overwrite_k=True))
    assert in_place <= 0.5 * K.nbytes
