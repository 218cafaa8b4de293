"""The participation ratio of the kernel spectrum and the Cover bound it implies."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from scipy import sparse
from sklearn.utils._param_validation import HasMethods, validate_params

from ._kernel import check_kernel_memory, gram_blocks


class ParticipationRatio:
    """Effective dimension of a memory's kernel, from :func:`kernel_participation_ratio`.

    Parameters
    ----------
    participation_ratio : float
        ``(sum_k lambda_k)^2 / sum_k lambda_k^2`` over the eigenvalues of the
        Gram matrix of the stored patterns: between 1 (rank one) and P (a
        flat spectrum, e.g. ``K = I``).
    n_patterns : int
        Number of stored patterns P.
    n_features : int
        Number of neurons N.

    Attributes
    ----------
    cover_patterns : float
        ``2 * participation_ratio``: by Cover's function-counting theorem a
        linear threshold unit in d dimensions separates almost every
        dichotomy of fewer than 2d points in general position, so each
        neuron's problem is separable up to about that many patterns when the
        kernel's feature space has d effective dimensions.
    cover_load : float
        ``cover_patterns / N``, the load that bound allows.
    load : float
        The stored load ``P / N``.

    Examples
    --------
    >>> from sklearn_klrhop.inspection import ParticipationRatio
    >>> pr = ParticipationRatio(80.0, n_patterns=100, n_features=50)
    >>> pr.cover_patterns, pr.cover_load, pr.load
    (160.0, 3.2, 2.0)
    """

    def __init__(self, participation_ratio, *, n_patterns, n_features):
        self.participation_ratio = float(participation_ratio)
        self.n_patterns = n_patterns
        self.n_features = n_features

    @property
    def cover_patterns(self):
        """Patterns separable by Cover's bound, ``2 * participation_ratio``."""
        return 2.0 * self.participation_ratio

    @property
    def cover_load(self):
        """``cover_patterns / N``."""
        return self.cover_patterns / self.n_features

    @property
    def load(self):
        """The stored load ``P / N``."""
        return self.n_patterns / self.n_features

    def __repr__(self):
        return (
            f"ParticipationRatio(participation_ratio={self.participation_ratio:.4g}, "
            f"n_patterns={self.n_patterns}, cover_load={self.cover_load:.3g})"
        )


@validate_params(
    {"memory": [HasMethods(["fit", "retrieve"])]},
    prefer_skip_nested_validation=True,
)
def kernel_participation_ratio(memory):
    """Participation ratio of a kernel memory's Gram spectrum, and its Cover bound.

    The participation ratio ``PR = (sum_k lambda_k)^2 / sum_k lambda_k^2`` of
    the eigenvalues of the Gram matrix K of the stored patterns is the
    number of dimensions the patterns effectively span in the kernel's
    feature space; it equals ``Tr(K)^2 / ||K||_F^2``, which is computed
    block by block without an eigendecomposition (and, for a truncated
    kernel, from its sparse blocks). Cover's theorem then bounds the
    patterns each neuron can separate by about ``2 PR``. Tamamori
    (arXiv:2605.00366, abstract) finds that the practical storage limit is
    set by the dynamics, not by this geometric bound: compare
    ``cover_load`` with the capacity and with :func:`field_snr`.

    Read more in :doc:`/attractor_geometry`.

    Parameters
    ----------
    memory : estimator object
        A fitted kernel memory (with a kernel and dual coefficients, such as
        :class:`~sklearn_klrhop.KLRHopfieldMemory`).

    Returns
    -------
    ratio : ParticipationRatio
        ``participation_ratio``, ``cover_patterns``, ``cover_load`` and ``load``.

    See Also
    --------
    field_snr : The dynamical side: signal against crosstalk in the fields.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import kernel_participation_ratio
    >>> X = make_patterns(100, 50, random_state=0)  # P / N = 2
    >>> local = kernel_participation_ratio(KLRHopfieldMemory(gamma=0.1).fit(X))
    >>> broad = kernel_participation_ratio(KLRHopfieldMemory(gamma=0.02).fit(X))
    >>> round(local.participation_ratio, 1), round(broad.participation_ratio, 1)
    (100.0, 32.2)
    >>> round(broad.cover_load, 2), broad.load
    (1.29, 2.0)
    """
    check_kernel_memory(memory, "kernel_participation_ratio")
    trace = frobenius = 0.0
    for rows, block in gram_blocks(memory):
        trace += float(block[:, rows].diagonal().sum())
        squares = block.multiply(block) if sparse.issparse(block) else block * block
        frobenius += float(squares.sum())
    n_patterns, n_features = memory.patterns_.shape
    return ParticipationRatio(
        trace**2 / frobenius, n_patterns=n_patterns, n_features=n_features
    )
