"""``solve_klr``: choose a solver for the Gram matrix at hand and run it."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import sparse

from ._diagonal import (
    DIAGONAL_DOMINANCE,
    off_diagonal_ratio,
    solve_diagonal_newton,
    solve_sparse_local,
)
from ._gd import solve_gd
from ._lbfgs import solve_lbfgs
from ._loss import LogisticLoss
from ._newton_cg import solve_newton_cg

SOLVERS = ("auto", "lbfgs", "newton-cg", "newton-diagonal", "gd")

# Default iteration budgets: L-BFGS as in LogisticRegression, plain gradient
# descent as in the papers (300 epochs at learning rate 0.1, from zero).
DEFAULT_MAX_ITER = {"lbfgs": 500, "newton-cg": 100, "newton-diagonal": 100, "gd": 300}


def choose_solver(K, solver="auto"):
    """The solver that runs for Gram matrix K when ``solver`` is asked for.

    ``"auto"`` picks what is fastest at equal accuracy: the diagonal Newton
    iteration when K is local (off-diagonal row sums at most
    ``DIAGONAL_DOMINANCE`` of the diagonal, e.g. the default gamma at
    N >= 50; one product with K per step, no factorisation), newton-cg for
    broad kernels. A solver named explicitly runs as named, or is refused
    with the reason when it cannot handle K.

    Parameters
    ----------
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
        Gram matrix of the stored patterns.
    solver : {"auto", "lbfgs", "newton-cg", "newton-diagonal", "gd"}, \
            default="auto"
        The solver asked for.

    Returns
    -------
    solver : str
        The solver that will run.
    """
    if solver == "auto":
        return "newton-diagonal" if _is_local(K) else "newton-cg"
    if solver == "newton-diagonal" and not _is_local(K):
        raise ValueError(
            "solver='newton-diagonal' needs a local kernel: the off-diagonal row "
            f"sums of the Gram matrix reach {off_diagonal_ratio(K):.3g} times its "
            f"diagonal, above {DIAGONAL_DOMINANCE}. Use solver='auto' (newton-cg "
            "here) or a larger gamma."
        )
    if sparse.issparse(K) and solver in ("lbfgs", "newton-cg"):
        raise ValueError(
            f"solver={solver!r} needs a dense Gram matrix; the truncated kernel "
            "(kernel_cutoff) is solved by solver='auto' (or 'newton-diagonal' "
            "or 'gd')."
        )
    return solver


def _is_local(K):
    if off_diagonal_ratio(K) <= DIAGONAL_DOMINANCE:
        return True
    if sparse.issparse(K):
        raise ValueError(
            "The truncated kernel matrix is not diagonally dominant (largest "
            f"off-diagonal row sum {off_diagonal_ratio(K):.3g} times the diagonal, "
            f"accepted up to {DIAGONAL_DOMINANCE}): the sparse solver needs a local "
            "kernel. Use a larger gamma, or the exact kernel (kernel_cutoff=None)."
        )
    return False


def solve_klr(
    K,
    T,
    lam,
    *,
    solver="auto",
    max_iter=None,
    tol=1e-6,
    learning_rate=0.1,
    overwrite_k=False,
    callback=None,
    A0=None,
):
    """Fit the dual coefficients of KLR for every neuron at once.

    Parameters
    ----------
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
        Gram matrix of the stored patterns (float64 or float32). A sparse K
        (the truncated kernel) must be diagonally dominant.
    T : ndarray of shape (n_patterns, n_outputs)
        Targets in {0, 1} (any numeric or bool dtype).
    lam : float
        RKHS regularisation strength (> 0).
    solver : {"auto", "lbfgs", "newton-cg", "newton-diagonal", "gd"}, \
            default="auto"
        See :func:`choose_solver`.
    max_iter : int, default=None
        ``None``: ``DEFAULT_MAX_ITER`` of the solver that runs.
    tol : float, default=1e-6
        Convergence tolerance (its meaning per solver is documented on
        :class:`~sklearn_klrhop.KLRHopfieldMemory`).
    learning_rate : float, default=0.1
        Step of ``"gd"``.
    overwrite_k : bool, default=False
        Allow the Cholesky factor of lbfgs to be computed in the memory of K.
    callback : callable, default=None
        ``"gd"`` only: ``callback(epoch, A)`` after each epoch.
    A0 : ndarray of shape (n_patterns, n_outputs), default=None
        Coefficients to start from (a warm start, as when patterns are added
        to a fitted memory); ``None`` starts from zero. ``"lbfgs"`` always
        starts from zero.

    Returns
    -------
    A : ndarray of shape (n_patterns, n_outputs)
        Dual coefficients.
    n_iter : int
        Iterations (epochs for ``"gd"``) performed.
    solver : str
        The solver that ran.
    """
    solver = choose_solver(K, solver)
    if callback is not None and solver != "gd":
        raise ValueError(f"callback is supported by solver='gd' only; got {solver!r}.")
    max_iter = DEFAULT_MAX_ITER[solver] if max_iter is None else max_iter
    if solver == "gd":
        loss = LogisticLoss(T, lam)
        A, n_iter = solve_gd(loss, K, max_iter, tol, learning_rate, callback, A0)
    elif solver == "newton-diagonal":
        run = solve_sparse_local if sparse.issparse(K) else solve_diagonal_newton
        A, n_iter = run(K, T, lam, max_iter, tol, A0=A0)
    elif solver == "newton-cg":
        A, n_iter = solve_newton_cg(K, T, lam, max_iter, tol, A0=A0)
    else:
        loss = LogisticLoss(np.asfortranarray(T, dtype=np.float64), lam)
        A, n_iter = solve_lbfgs(K, loss, max_iter, tol, overwrite_k)
    return A, n_iter, solver
