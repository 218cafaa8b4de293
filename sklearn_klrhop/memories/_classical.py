"""Classical Hopfield memories: Hebbian, Storkey and pseudo-inverse rules.

Each rule learns an N x N weight matrix W (n_outputs x N for a
heteroassociative map). On the engine the encoder is W and the activation is
the identity, so the fields are ``h = s W^T``, i.e. ``h_i = sum_j W[i, j]
s_j``, and a flip of neuron j updates every field by ``-2 s_j W[:, j]`` (N
synaptic operations).
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy import linalg

from .._base import BaseHopfieldMemory
from ..retrieval import Engine
from ._docstrings import fill_doc


def identity_activation(q):
    """Identity activation of the classical rules: the fields are the overlaps."""
    return q.copy(), np.zeros(q.shape[0])


def hebbian_weights(S, T=None):
    """``W = Xi^T Xi / N`` with a zero diagonal, or ``W = T^T Xi / N`` for targets T.

    With targets, ``W[i, j] = (1 / N) sum_mu t_i^mu xi_j^mu``: for a sequence
    (``t^mu = xi^(mu+1)``) the classical sequence rule, whose diagonal is no
    self-coupling and is kept.
    """
    if T is not None:
        W = T.T @ S
        W /= S.shape[1]
        return W
    W = S.T @ S
    W /= S.shape[1]
    np.fill_diagonal(W, 0.0)
    return W


def storkey_weights(S, W=None):
    """Storkey's incremental rule from ``W`` (default 0), zero diagonal.

    Continuing from the weights of earlier patterns gives the weights of all
    of them, as the rule is applied one pattern at a time.

    ``dW[i, j] = (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N`` per pattern, with
    ``h_ij = sum_{k != i, j} W[i, k] xi_k``.
    """
    n_features = S.shape[1]
    W = np.zeros((n_features, n_features)) if W is None else W.copy()
    # Incremental rule: one pattern at a time, each step vectorised over all
    # N x N weights. With W symmetric and zero-diagonal, h_ij = h_i - W[i, j] xi_j
    # where h = W xi, and h_ij xi_j is the transpose of xi_i h_ji.
    for xi in S:
        h = W @ xi
        H = h[:, None] - W * xi[None, :]  # H[i, j] = h_ij
        C = xi[:, None] * H.T  # C[i, j] = xi_i h_ji
        W += (np.outer(xi, xi) - (C + C.T)) / n_features  # exactly symmetric
        np.fill_diagonal(W, 0.0)
    return W


def pseudoinverse_weights(S, zero_diagonal, T=None):
    """Projection ``W = Xi^+ Xi`` onto the span of the patterns.

    With targets T, the heteroassociative projection ``W = T^T (Xi^T)^+``:
    ``W xi^mu = t^mu`` exactly for linearly independent patterns (P <= N);
    ``zero_diagonal`` does not apply (its diagonal is no self-coupling).
    """
    if T is not None:
        return (linalg.pinv(S) @ T).T
    Q = linalg.orth(S.T)  # orthonormal basis of the pattern span, (N, rank)
    W = Q @ Q.T
    W = (W + W.T) / 2  # exactly symmetric despite rounding
    if zero_diagonal:
        np.fill_diagonal(W, 0.0)
    return W


class _WeightMatrixMemory(BaseHopfieldMemory):
    """Memories whose fields are ``h = W s``: engine encoder W, identity activation.

    A subclass implements ``_weights(S)``, its learning rule.
    """

    def __init__(
        self,
        *,
        update="sync",
        max_steps=30,
        score_noise=0.2,
        binarize=None,
        transform_returns="trajectory",
        n_jobs=None,
        random_state=None,
    ):
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.transform_returns = transform_returns
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit(self, S, T):
        self.weights_ = self._weights(S, T if self.heteroassociative_ else None)

    def _make_engine(self):
        return Engine(self.weights_, identity_activation)


@fill_doc
class HebbianHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with the Hebbian (outer-product) rule.

    ``W = Xi^T Xi / N`` with a zero diagonal: ``W[i, j] = (1 / N) sum_mu
    xi_i^mu xi_j^mu`` for ``i != j``. The rule is local and one-shot; crosstalk
    between patterns limits it to a load ``P / N`` of about 0.14.

    ``fit(X, y)`` learns ``W = Y^T X / N`` (diagonal kept): with ``y`` the
    successor of each pattern, the classical sequence rule
    ``W = sum_mu xi^(mu+1) xi^(mu T) / N`` of Amari, whose synchronous
    dynamics step through the sequence.

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    %(common_params)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_outputs, n_features)
        Weight matrix W; ``h = s W^T``. Symmetric with zero diagonal for an
        autoassociative memory.
    %(common_attrs)s

    See Also
    --------
    StorkeyHopfieldMemory : A local, incremental rule with higher capacity.
    KLRHopfieldMemory : Kernel logistic regression, far beyond P = N.

    Notes
    -----
    Capacity, with its definition:

    - small-error: a fixed point with a small fraction of wrong bits exists
      near every pattern up to ``P / N = 0.138`` as N grows (Amit, Gutfreund
      and Sompolinsky);
    - error-free: every bit of a pattern is stable with high probability up to
      ``P = N / (2 ln N)`` (McEliece et al.).

    The pseudo-energy ``V(s) = -s^T W s`` is twice the Hopfield energy and
    never increases under asynchronous updates.

    References
    ----------
    - J. J. Hopfield, "Neural networks and physical systems with emergent
      collective computational abilities", PNAS 79, 1982.
    - S.-I. Amari, "Learning patterns and pattern sequences by self-organizing
      nets of threshold elements", IEEE Trans. Computers C-21, 1972.
    - D. J. Amit, H. Gutfreund and H. Sompolinsky, "Storing infinite numbers
      of patterns in a spin-glass model of neural networks", Phys. Rev. Lett.
      55, 1985.
    - R. J. McEliece, E. C. Posner, E. R. Rodemich and S. S. Venkatesh, "The
      capacity of the Hopfield associative memory", IEEE Trans. Inf. Theory
      33, 1987.

    Examples
    --------
    >>> from sklearn_klrhop import HebbianHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(10, 200, random_state=0)  # P / N = 0.05
    >>> mem = HebbianHopfieldMemory().fit(X)
    >>> mem.weights_.shape
    (200, 200)
    >>> bool((mem.predict(corrupt(X, 0.1, random_state=0)) == X).all())
    True
    """

    def _weights(self, S, T):
        return hebbian_weights(S, T)

    # the rule is a sum over patterns: add or subtract their terms
    def _partial_fit(self, n_old):
        T = self.targets_[n_old:] if self.heteroassociative_ else None
        self.weights_ = self.weights_ + hebbian_weights(self.patterns_[n_old:], T)

    def _forget(self, keep, removed):
        T = removed[1] if self.heteroassociative_ else None
        self.weights_ = self.weights_ - hebbian_weights(removed[0], T)


@fill_doc
class StorkeyHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with Storkey's incremental learning rule.

    Starting from ``W = 0``, each pattern xi adds

    ``dW[i, j] = (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N``, with
    ``h_ij = sum_{k != i, j} W[i, k] xi_k``,

    and the diagonal stays zero. The local fields subtract the crosstalk the
    earlier patterns already produce, which raises the capacity over Hebb's
    rule while keeping it local and incremental. The rule stores attractors
    only: ``fit`` with targets ``y`` other than ``X`` raises a ValueError.

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    %(common_params)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_features, n_features)
        Symmetric weight matrix W with zero diagonal; ``h = s W^T``.
    %(common_attrs)s

    See Also
    --------
    HebbianHopfieldMemory : The outer-product rule.

    Notes
    -----
    Capacity: error-free (absolute) capacity ``P = N / sqrt(2 ln N)``, in the
    same sense as Hebb's ``N / (2 ln N)`` (Storkey, 1997).

    The rule is incremental, so fitting loops over the patterns in order; each
    iteration is one vectorised O(N^2) update of the whole matrix. Refitting
    starts again from ``W = 0``.

    References
    ----------
    - A. Storkey, "Increasing the capacity of a Hopfield network without
      sacrificing functionality", ICANN 1997.
    - A. Storkey and R. Valabregue, "The basins of attraction of a new
      Hopfield learning rule", Neural Networks 12, 1999.

    Examples
    --------
    >>> from sklearn_klrhop import StorkeyHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(20, 200, random_state=0)  # P / N = 0.1
    >>> mem = StorkeyHopfieldMemory().fit(X)
    >>> bool((mem.weights_ == mem.weights_.T).all())
    True
    >>> bool((mem.predict(corrupt(X, 0.1, random_state=0)) == X).all())
    True
    """

    def _weights(self, S, T):
        if T is not None:
            raise ValueError(
                "StorkeyHopfieldMemory stores patterns as attractors "
                "(autoassociation): Storkey's rule subtracts the crosstalk of the "
                "network's own local fields and has no standard heteroassociative "
                "form, so it cannot learn targets y other than X. Fit it without y, "
                "or use HebbianHopfieldMemory, PseudoinverseHopfieldMemory or "
                "KLRHopfieldMemory for heteroassociation and sequences."
            )
        return storkey_weights(S)

    def _partial_fit(self, n_old):
        # the rule goes on from the weights of the patterns stored so far
        self.weights_ = storkey_weights(self.patterns_[n_old:], self.weights_)


@fill_doc
class PseudoinverseHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with the pseudo-inverse (projection) rule.

    ``W = Xi^+ Xi``, the orthogonal projection onto the span of the patterns
    (Personnaz et al.): ``W xi = xi`` for every stored pattern, so each one is
    a fixed point as long as the patterns are linearly independent (P < N).
    With ``zero_diagonal=True`` the self-coupling is removed, which enlarges
    the basins of attraction (Kanter and Sompolinsky).

    ``fit(X, y)`` learns the heteroassociative projection
    ``W = Y^T (X^T)^+``, which maps every stored pattern exactly to its
    target while the patterns are linearly independent (P <= N).

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    zero_diagonal : bool, default=True
        Remove the self-coupling ``W[i, i]``. Stored patterns stay fixed
        points as long as every ``W[i, i] < 1``, as it is for linearly
        independent random patterns with P < N. Autoassociation only: the
        diagonal of a heteroassociative map couples a bit to its target, not
        to itself, and is kept.
    %(common_params)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_outputs, n_features)
        Projection matrix W, symmetric (with zero diagonal if
        ``zero_diagonal``) for an autoassociative memory; ``h = s W^T``.
    %(common_attrs)s

    See Also
    --------
    LinearLogisticHopfieldMemory : Learned linear couplings, up to P = 2N.

    Notes
    -----
    Capacity: every stored pattern is an exact fixed point for any P < N
    linearly independent patterns (``P / N = 1``); the basins shrink to
    nothing as ``P / N`` approaches 1. The rule is not local: it needs the
    inverse of the P x P overlap matrix, computed here from an orthonormal
    basis of the pattern span.

    References
    ----------
    - L. Personnaz, I. Guyon and G. Dreyfus, "Collective computational
      properties of neural networks: New learning mechanisms", Phys. Rev. A
      34, 1986.
    - I. Kanter and H. Sompolinsky, "Associative recall of memory without
      errors", Phys. Rev. A 35, 1987.

    Examples
    --------
    >>> from sklearn_klrhop import PseudoinverseHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> X = make_patterns(60, 64, random_state=0)  # P / N = 0.94
    >>> mem = PseudoinverseHopfieldMemory().fit(X)
    >>> bool((mem.predict(X) == X).all())  # every pattern is a fixed point
    True
    """

    _parameter_constraints: dict = {
        **BaseHopfieldMemory._parameter_constraints,
        "zero_diagonal": ["boolean"],
    }

    def __init__(
        self,
        *,
        zero_diagonal=True,
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
        self.zero_diagonal = zero_diagonal

    def _weights(self, S, T):
        return pseudoinverse_weights(S, self.zero_diagonal, T)
