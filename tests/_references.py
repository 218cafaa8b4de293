"""Independent references the tests compare the library with.

Written from the formulas (and scikit-learn's own kernels), not from the
library's code, so that a bug there cannot hide in its expectation.
"""

import numpy as np
from scipy.special import expit
from sklearn.metrics.pairwise import pairwise_kernels


def gram(X, kernel="rbf", *, Y=None, **params):
    """scikit-learn's kernel matrix, each kernel given only its own parameters."""
    return pairwise_kernels(X, Y, metric=kernel, filter_params=True, **params)


def klr_objective(A, K, T, lam):
    """The KLR objective of every neuron and its gradient in the dual coefficients.

    ``sum logloss(T, K A) + lam / 2 trace(A^T K A)``, gradient
    ``K (sigma(K A) - T + lam A)`` (Tamamori's KLR papers).
    """
    Z = K @ A
    loss = np.sum(np.logaddexp(0.0, Z)) - np.sum(T * Z) + 0.5 * lam * np.sum(A * Z)
    return loss, K @ (expit(Z) - T + lam * A)


def stationarity_residual(A, K, T, lam):
    """``max |sigma(K A) - T + lam A|``: zero at the optimum."""
    return np.abs(expit(K @ A) - T + lam * A).max()
