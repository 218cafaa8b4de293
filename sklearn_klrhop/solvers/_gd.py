"""The papers' full-batch gradient descent on the dual coefficients."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np


def solve_gd(loss, K, max_iter, tol, learning_rate, callback=None, A0=None):
    """``A <- A - eta K (sigma(K A) - T + lam A)`` from ``A = 0`` (Tamamori's protocol).

    Runs until the largest gradient entry is at most ``tol`` or for
    ``max_iter`` epochs. Gradient descent is stable only while ``eta *
    lambda_max(K D K + lam K) < 2``; a gradient that grows by six orders of
    magnitude is taken as divergence and refused with a clear error, long
    before anything overflows.

    Parameters
    ----------
    loss : LogisticLoss
    K : ndarray or sparse matrix of shape (n_patterns, n_patterns)
    max_iter : int
    tol : float
    learning_rate : float
        The papers' eta.
    callback : callable, default=None
        ``callback(epoch, A)`` after each epoch (e.g. to record the Hessian's
        spectrum along the path).
    A0 : ndarray of shape (n_patterns, n_outputs), default=None
        Coefficients to start from; ``None``: zero, the papers' protocol.

    Returns
    -------
    A : ndarray of shape (n_patterns, n_outputs)
    n_iter : int
        Epochs run.
    """
    if A0 is None:
        A = np.zeros(loss.T.shape, dtype=K.dtype)
    else:
        A = np.array(A0, dtype=K.dtype)
    n_iter, first = 0, None
    while n_iter < max_iter:
        n_iter += 1
        grad = loss.gradient(A, K)
        size = np.max(np.abs(grad), initial=0.0)
        first = size if first is None else first
        if not np.isfinite(size) or size > 1e6 * max(first, 1.0):
            raise ValueError(
                f"solver='gd' diverged after {n_iter} epochs: learning_rate="
                f"{learning_rate:g} is too large for this problem (gradient descent "
                "needs learning_rate * lambda_max(K D K + lam K) < 2, and lambda_max "
                f"grows with lam={loss.lam:g} and with the number of similar "
                "patterns). Use a smaller learning_rate or solver='auto'."
            )
        A -= learning_rate * grad
        if callback is not None:
            callback(n_iter, A)
        if size <= tol:
            break
    return A, n_iter
