"""What solve_klr and choose_solver say when they refuse, word for word, and
what their defaults are (the papers' gradient descent, step 0.1, tol 1e-6)."""

import re

import numpy as np
import pytest
from scipy import sparse
from scipy.special import expit

from sklearn_klrhop.datasets import make_patterns
from sklearn_klrhop.solvers import DIAGONAL_DOMINANCE, choose_solver, solve_klr

from .._references import gram

BROAD = 0.5 * np.ones((3, 3)) + 0.5 * np.eye(3)  # off-diagonal row sums = 1 x diag


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: choose_solver(BROAD, "newton-diagonal"),
            "solver='newton-diagonal' needs a local kernel: the off-diagonal row "
            "sums of the Gram matrix reach 1 times its diagonal, above 0.1. Use "
            "solver='auto' (newton-cg here) or a larger gamma.",
        ),
        (
            lambda: choose_solver(sparse.csr_matrix(np.eye(3)), "newton-cg"),
            "solver='newton-cg' needs a dense Gram matrix; the truncated kernel "
            "(kernel_cutoff) is solved by solver='auto' (or 'newton-diagonal' or "
            "'gd').",
        ),
        (
            lambda: choose_solver(sparse.csr_matrix(np.eye(3)), "lbfgs"),
            "solver='lbfgs' needs a dense Gram matrix; the truncated kernel "
            "(kernel_cutoff) is solved by solver='auto' (or 'newton-diagonal' or "
            "'gd').",
        ),
        (
            lambda: choose_solver(sparse.csr_matrix(BROAD), "auto"),
            "The truncated kernel matrix is not diagonally dominant (largest "
            "off-diagonal row sum 1 times the diagonal, accepted up to 0.1): the "
            "sparse solver needs a local kernel. Use a larger gamma, or the exact "
            "kernel (kernel_cutoff=None).",
        ),
        (
            lambda: solve_klr(
                np.eye(3), np.ones((3, 2)), 0.1, solver="lbfgs", callback=print
            ),
            "callback is supported by solver='gd' only; got 'lbfgs'.",
        ),  # fmt: skip
    ],
)
def test_refusals_say_what_is_wrong_and_what_to_do(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        call()


def test_the_dominance_threshold_is_inclusive():
    # off-diagonal row sums exactly DIAGONAL_DOMINANCE times the diagonal: local
    K = 10 * np.eye(3) + 0.5 * (np.ones((3, 3)) - np.eye(3))  # (11 - 10) / 10
    assert DIAGONAL_DOMINANCE == 0.1
    assert choose_solver(K) == "newton-diagonal"
    assert choose_solver(sparse.csr_matrix(K)) == "newton-diagonal"


def test_gd_defaults_and_callback_follow_the_papers_protocol():
    X = make_patterns(8, 12, random_state=0)
    K = gram(X, "rbf", gamma=0.1)
    T = (X + 1) / 2
    before = K.copy()
    seen = []
    A, n_iter, solver = solve_klr(
        K,
        T,
        0.05,
        solver="gd",
        max_iter=40,
        callback=lambda e, A: seen.append((e, A.copy())),
    )
    np.testing.assert_array_equal(K, before)  # overwrite_k=False by default
    # reference: step 0.1 from zero, stopping at max |gradient| <= 1e-6
    R, epochs, path = np.zeros(T.shape), 0, []
    while epochs < 40:
        epochs += 1
        grad = K @ (expit(K @ R) - T + 0.05 * R)
        R = R - 0.1 * grad
        path.append(R.copy())
        if np.abs(grad).max() <= 1e-6:
            break
    assert solver == "gd" and n_iter == epochs
    np.testing.assert_allclose(A, R, rtol=1e-10)
    assert [e for e, _ in seen] == list(range(1, epochs + 1))
    for (_, got), expected in zip(seen, path):
        np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_lbfgs_keeps_k_unless_asked():
    X = make_patterns(10, 12, random_state=1)
    K = gram(X, "rbf", gamma=0.1)
    before = K.copy()
    solve_klr(K, (X + 1) / 2, 0.1, solver="lbfgs")
    np.testing.assert_array_equal(K, before)
