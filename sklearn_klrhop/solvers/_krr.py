"""Kernel ridge regression: the closed-form fit of ``loss="squared"``."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from scipy import linalg, sparse

from .._warnings import warn_user
from ._lbfgs import _restore_lower


def solve_krr(K, Y, lam, *, overwrite_k=False):
    """Solve ``(K + lam I) A = Y`` for every output column, as ``KernelRidge`` does.

    Parameters
    ----------
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
        Gram matrix; dense K is solved by Cholesky, sparse K by a sparse LU.
    Y : ndarray of shape (n_patterns, n_outputs)
        Targets, -1 / +1 for a Hopfield memory.
    lam : float
        Ridge ``lam >= 0``.
    overwrite_k : bool, default=False
        Allow the factorisation to overwrite the dense K.

    Returns
    -------
    A : ndarray of shape (n_patterns, n_outputs)
        The dual coefficients.
    solver : {"cholesky", "sparse-lu", "lstsq"}
        What solved it: a singular dense system (``lam = 0`` with duplicate
        patterns) falls back to least squares, with a warning.
    """
    if sparse.issparse(K):
        from scipy.sparse.linalg import spsolve

        M = (K + lam * sparse.identity(K.shape[0], format="csr")).tocsc()
        return spsolve(M, Y).reshape(Y.shape), "sparse-lu"
    K = K if overwrite_k else K.copy()
    K.flat[:: len(K) + 1] += lam
    # K is symmetric: its Fortran-ordered view is factorised in place, without
    # the copy LAPACK would otherwise make of a C-ordered K
    F = K if K.flags.f_contiguous else K.T
    diag = F.diagonal().copy()
    try:
        factor = linalg.cho_factor(F, lower=True, overwrite_a=True)
        return linalg.cho_solve(factor, Y.astype(K.dtype)), "cholesky"
    except linalg.LinAlgError:
        # the failed factorisation overwrote the lower triangle: restore it
        # from the upper one before solving K again
        _restore_lower(F, diag)
        warn_user(
            "The kernel matrix is singular; solving the kernel ridge system by least "
            "squares. Use lam > 0 for a unique solution.",
            UserWarning,
        )
        return linalg.lstsq(K, Y)[0], "lstsq"
