"""The linear logistic regression baseline (LLR of Tamamori's papers)."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy import optimize
from sklearn.utils._param_validation import Interval

from .._base import BaseHopfieldMemory
from ..solvers import LogisticLoss, check_optimize_result, lbfgs_options
from ._classical import _WeightMatrixMemory
from ._docstrings import fill_doc


def linear_logistic_weights(S, lam, max_iter, tol, T=None):
    """Per-neuron L2 logistic regression without bias or self-coupling.

    Minimises ``sum logloss((Xi + 1) / 2, Xi W^T) + lam / 2 ||W||_F^2`` over W
    with ``W[i, i] = 0``, all N neurons in one L-BFGS run; the objective is
    divided by P so that ``tol`` does not depend on the number of patterns.
    With targets T the neurons predict ``(T + 1) / 2`` from all N bits (W is
    n_outputs x N, no diagonal constraint: no bit predicts itself).

    Returns
    -------
    W : ndarray of shape (n_outputs, n_features)
    n_iter : int
    """
    n_patterns, n_features = S.shape
    auto = T is None
    T = S if auto else T
    shape = (T.shape[1], n_features)
    loss = LogisticLoss((T + 1.0) / 2.0, lam)
    mask = 1.0 - np.eye(n_features) if auto else 1.0

    def fun(w):
        W = w.reshape(shape)
        f, dZ = loss.primal(W, S @ W.T)
        grad = (dZ.T @ S + lam * W) * mask
        return f / n_patterns, grad.ravel() / n_patterns

    # The gradient is zero on the diagonal, so W[i, i] stays at its start, 0.
    res = optimize.minimize(
        fun,
        np.zeros(shape[0] * shape[1]),
        method="L-BFGS-B",
        jac=True,
        options=lbfgs_options(max_iter, tol),
    )
    n_iter = check_optimize_result("lbfgs", res, max_iter)
    return res.x.reshape(shape) * mask, n_iter


@fill_doc
class LinearLogisticHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network trained by per-neuron linear logistic regression.

    Neuron i predicts bit i of every stored pattern from the other N - 1
    bits by L2-regularised logistic regression without bias or self-coupling:
    with targets ``t = (xi + 1) / 2`` the N x N matrix W minimises

    ``sum_mu sum_i logloss(t_i^mu, sum_{j != i} W[i, j] xi_j^mu)
    + lam / 2 * ||W||_F^2``, with ``W[i, i] = 0``.

    The N problems are solved together by one L-BFGS run over W, whose
    objective and gradient cost one P x N by N x N product each. This is the
    linear counterpart of :class:`~sklearn_klrhop.KLRHopfieldMemory` (the LLR
    baseline of Tamamori's papers). ``fit(X, y)`` learns a heteroassociative
    map the same way: neuron i predicts bit i of ``y`` from all N bits of
    ``X`` (no coupling is excluded, since no bit predicts itself).

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    lam : float, default=0.01
        L2 regularisation strength; the same problem as
        :class:`~sklearn.linear_model.LogisticRegression` with ``C = 1 / lam``
        and ``fit_intercept=False``, for each neuron.
    max_iter : int, default=1000
        Maximum L-BFGS iterations.
    tol : float, default=1e-6
        L-BFGS tolerance on the largest gradient entry, with the loss averaged
        over patterns.
    %(common_params)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_outputs, n_features)
        Weight matrix W (not symmetric; zero diagonal for an autoassociative
        memory); row i holds neuron i's coefficients and ``h = s W^T``.
    n_iter_ : int
        L-BFGS iterations performed.
    %(common_attrs)s

    See Also
    --------
    KLRHopfieldMemory : The kernel version, far beyond P = 2N.
    sklearn.linear_model.LogisticRegression : The per-neuron problem.

    Notes
    -----
    Capacity: a neuron is a linear threshold unit with N - 1 couplings, so
    at most ``P = 2N`` random patterns can be fixed points (Gardner's bound
    for zero stability margin); basins of attraction vanish well before that.

    References
    ----------
    - E. Gardner, "The space of interactions in neural network models",
      J. Phys. A 21, 1988.
    - A. Tamamori, "Kernel Logistic Regression Learning for High-Capacity
      Hopfield Networks", IEICE Trans. Inf. & Syst., 2026, arXiv:2504.07633.

    Examples
    --------
    >>> from sklearn_klrhop import LinearLogisticHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(30, 100, random_state=0)  # P / N = 0.3
    >>> mem = LinearLogisticHopfieldMemory().fit(X)
    >>> bool((mem.predict(corrupt(X, 0.1, random_state=0)) == X).all())
    True
    """

    _parameter_constraints: dict = {
        **BaseHopfieldMemory._parameter_constraints,
        "lam": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        lam=0.01,
        max_iter=1000,
        tol=1e-6,
        update="sync",
        max_steps=30,
        score_noise=0.2,
        binarize=None,
        transform_returns="trajectory",
        n_jobs=None,
        random_state=None,
    ):
        super().__init__(
            update=update,
            max_steps=max_steps,
            score_noise=score_noise,
            binarize=binarize,
            transform_returns=transform_returns,
            n_jobs=n_jobs,
            random_state=random_state,
        )
        self.lam = lam
        self.max_iter = max_iter
        self.tol = tol

    def _weights(self, S, T):
        W, self.n_iter_ = linear_logistic_weights(
            S, self.lam, self.max_iter, self.tol, T
        )
        return W
