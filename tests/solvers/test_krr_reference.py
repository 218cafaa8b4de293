"""The closed-form kernel ridge solve against NumPy's linear algebra."""

import os
import warnings

import numpy as np
import pytest
import sklearn
from scipy import sparse

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import solve_krr

from .._references import gram

X = make_patterns(20, 16, random_state=0)


@pytest.mark.parametrize("lam", [0.01, 1.0])
def test_dense_solve_is_k_plus_lam_inverse_and_keeps_k(lam):
    K = gram(X, "rbf", gamma=0.05)
    before = K.copy()
    A, solver = solve_krr(K, X, lam)
    assert solver == "cholesky"
    np.testing.assert_allclose(A, np.linalg.solve(K + lam * np.eye(20), X), rtol=1e-9)
    np.testing.assert_array_equal(K, before)  # overwrite_k=False leaves K alone


def test_sparse_solve_of_one_output_keeps_its_shape():
    K = sparse.csr_matrix(np.eye(20) + 0.1 * np.eye(20, k=1) + 0.1 * np.eye(20, k=-1))
    Y = X[:, :1]
    A, solver = solve_krr(K, Y, 0.5)
    assert solver == "sparse-lu" and A.shape == (20, 1)
    np.testing.assert_allclose(A, np.linalg.solve(K.toarray() + 0.5 * np.eye(20), Y))


def test_singular_system_is_solved_by_least_squares_with_one_warning():
    # duplicate patterns and lam = 0: K is singular; the answer is the
    # minimum-norm least-squares solution (the pseudo-inverse's)
    D = np.vstack([X[:6], X[:6]])
    K = gram(D, "rbf", gamma=0.05)
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        A, solver = solve_krr(K, D, 0.0)
    assert solver == "lstsq"
    assert [w.category for w in log] == [UserWarning]
    assert str(log[0].message) == (
        "The kernel matrix is singular; solving the kernel ridge system by least "
        "squares. Use lam > 0 for a unique solution."
    )
    np.testing.assert_allclose(A, np.linalg.pinv(K) @ D, atol=1e-8)


def test_singular_warning_points_at_the_callers_fit():
    D = np.vstack([X[:6], X[:6]])
    with pytest.warns(UserWarning, match="singular") as log:
        KLRHopfieldMemory(loss="squared", lam=0.0).fit(D)
    # not inside scikit-learn's fit wrapper (where stacklevel 4 pointed)
    sklearn_dir = os.path.dirname(sklearn.__file__)
    assert not log[0].filename.startswith(sklearn_dir), log[0].filename


@pytest.mark.parametrize("order", ["C", "F"])
def test_singular_system_in_place_is_solved_on_the_intact_kernel(order):
    # overwrite_k=True lets the Cholesky factorisation work in K's memory; when
    # it fails, least squares must see K + lam I again, not the factor's debris
    D = np.vstack([X[:6], X[:6]])
    K = np.array(gram(D, gamma=0.1), order=order)
    expected = np.linalg.pinv(K) @ D
    with pytest.warns(UserWarning, match="singular"):
        A, solver = solve_krr(K, D, 0.0, overwrite_k=True)
    assert solver == "lstsq"
    np.testing.assert_allclose(A, expected, atol=1e-8)
    np.testing.assert_allclose(K, gram(D, gamma=0.1), atol=1e-15)  # restored
