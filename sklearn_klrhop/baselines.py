"""Classical and modern Hopfield memories on the same engine as KLR.

Every memory here is a :class:`~sklearn_klrhop.BaseHopfieldMemory`: it shares
validation, encodings, synchronous and asynchronous retrieval, scoring and the
per-cue work counts with :class:`~sklearn_klrhop.KLRHopfieldMemory`, so all of
them can be put on one capacity curve and one cost ledger.

- The classical rules (Hebbian, Storkey, pseudo-inverse, linear logistic
  regression) learn an N x N weight matrix W. On the engine the encoder is W
  and the activation is the identity, so the fields are ``h = s W^T``, i.e.
  ``h_i = sum_j W[i, j] s_j``, and a flip of neuron j updates every field by
  ``-2 s_j W[:, j]`` (N synaptic operations).
- The modern Hopfield memory keeps the patterns: encoder Xi, activation
  ``softmax(beta q)`` row-wise, decoder Xi.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial
from numbers import Integral, Real

from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval

from ._base import BaseHopfieldMemory
from ._engine import Engine
from ._rules import (
    hebbian_weights,
    identity_activation,
    linear_logistic_weights,
    pseudoinverse_weights,
    softmax_activation,
    storkey_weights,
)

__all__ = [
    "HebbianHopfieldMemory",
    "LinearLogisticHopfieldMemory",
    "ModernHopfieldMemory",
    "PseudoinverseHopfieldMemory",
    "StorkeyHopfieldMemory",
]


class _WeightMatrixMemory(BaseHopfieldMemory):
    """Memories whose fields are ``h = W s``: engine encoder W, identity activation."""

    def __init__(
        self,
        *,
        update="sync",
        max_steps=30,
        score_noise=0.2,
        binarize=None,
        random_state=None,
    ):
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Store patterns by computing the weight matrix from scratch.

        Refitting replaces the stored patterns; nothing accumulates.

        Parameters
        ----------
        X : array-like of shape (n_patterns, n_features)
            Patterns to store, encoded as -1 / +1, 0 / 1 or bool (or any real
            data with ``binarize``).
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted memory.
        """
        S = self._fit_states(X)
        self.weights_ = self._weights(S)
        return self

    def _engine(self):
        return Engine(self.weights_, identity_activation)


_COMMON_PARAMS = """update : {"sync", "async"}, default="sync"
        Retrieval dynamics: all neurons at once, or one neuron at a time in a
        random order per sweep (each flip is an event).
    max_steps : int, default=30
        Maximum synchronous steps or asynchronous sweeps.
    score_noise : float, default=0.2
        Fraction of bits flipped in the cues built by :meth:`score`.
    binarize : float, default=None
        ``None``: patterns must be -1 / +1, 0 / 1 or bool, and predictions use
        the same encoding. A float t maps real data to +1 where ``x > t`` and
        -1 elsewhere; predictions are then -1 / +1.
    random_state : int, RandomState instance or None, default=None
        Seeds the asynchronous update order and the cue noise of
        :meth:`score`. Pass an int for reproducible output across multiple
        function calls."""

_COMMON_ATTRS = """patterns_ : ndarray of shape (n_patterns, n_features)
        Stored patterns as -1 / +1.
    encoding_ : {"bipolar", "binary", "bool"}
        Encoding of the fitted patterns, used for predictions.
    n_features_in_ : int
        Number of neurons N seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X`
        has feature names that are all strings."""


def _doc(cls):
    cls.__doc__ = cls.__doc__.replace("%(common_params)s", _COMMON_PARAMS).replace(
        "%(common_attrs)s", _COMMON_ATTRS
    )
    return cls


@_doc
class HebbianHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with the Hebbian (outer-product) rule.

    ``W = Xi^T Xi / N`` with a zero diagonal: ``W[i, j] = (1 / N) sum_mu
    xi_i^mu xi_j^mu`` for ``i != j``. The rule is local and one-shot; crosstalk
    between patterns limits it to a load ``P / N`` of about 0.14.

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

    def _weights(self, S):
        return hebbian_weights(S)


@_doc
class StorkeyHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with Storkey's incremental learning rule.

    Starting from ``W = 0``, each pattern xi adds

    ``dW[i, j] = (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N``, with
    ``h_ij = sum_{k != i, j} W[i, k] xi_k``,

    and the diagonal stays zero. The local fields subtract the crosstalk the
    earlier patterns already produce, which raises the capacity over Hebb's
    rule while keeping it local and incremental.

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

    def _weights(self, S):
        return storkey_weights(S)


@_doc
class PseudoinverseHopfieldMemory(_WeightMatrixMemory):
    """Hopfield network with the pseudo-inverse (projection) rule.

    ``W = Xi^+ Xi``, the orthogonal projection onto the span of the patterns
    (Personnaz et al.): ``W xi = xi`` for every stored pattern, so each one is
    a fixed point as long as the patterns are linearly independent (P < N).
    With ``zero_diagonal=True`` the self-coupling is removed, which enlarges
    the basins of attraction (Kanter and Sompolinsky).

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    zero_diagonal : bool, default=True
        Remove the self-coupling ``W[i, i]``. Stored patterns stay fixed
        points as long as every ``W[i, i] < 1``, as it is for linearly
        independent random patterns with P < N.
    %(common_params)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_features, n_features)
        Symmetric projection matrix W (with zero diagonal if
        ``zero_diagonal``); ``h = s W^T``.
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
        random_state=None,
    ):
        super().__init__(
            update=update,
            max_steps=max_steps,
            score_noise=score_noise,
            binarize=binarize,
            random_state=random_state,
        )
        self.zero_diagonal = zero_diagonal

    def _weights(self, S):
        return pseudoinverse_weights(S, self.zero_diagonal)


@_doc
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
    baseline of Tamamori's papers).

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
    weights_ : ndarray of shape (n_features, n_features)
        Weight matrix W (not symmetric) with zero diagonal; row i holds
        neuron i's coefficients and ``h = s W^T``.
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
        random_state=None,
    ):
        super().__init__(
            update=update,
            max_steps=max_steps,
            score_noise=score_noise,
            binarize=binarize,
            random_state=random_state,
        )
        self.lam = lam
        self.max_iter = max_iter
        self.tol = tol

    def _weights(self, S):
        W, self.n_iter_ = linear_logistic_weights(S, self.lam, self.max_iter, self.tol)
        return W


@_doc
class ModernHopfieldMemory(BaseHopfieldMemory):
    """Binary-state modern Hopfield network: softmax over pattern overlaps.

    The fields are ``h(s) = softmax(beta * s Xi^T) Xi``: the stored patterns
    weighted by the softmax of their overlaps ``q_mu = s . xi^mu``, and the
    next state is ``sign(h)``. On the engine this is a kernel memory whose
    dual coefficients are the patterns themselves (nothing is learned): encoder
    Xi, activation ``softmax(beta q)`` evaluated after subtracting the row
    maximum, decoder Xi.

    Read more in the :ref:`User Guide <comparison>`.

    Parameters
    ----------
    beta : float, default=1.0
        Inverse temperature on the raw overlap (an integer between -N and N).
        The default gives the exponential interaction ``F(q) = exp(q)`` of
        Demircigil et al. for any N. A pattern whose overlap is lower by d
        (always a multiple of 2) gets ``exp(-beta d)`` times the weight, so
        ``beta >= 1`` retrieves close to the nearest pattern, while
        ``beta * N`` of order 1 or below blends patterns like a Hebbian network.
    %(common_params)s

    Attributes
    ----------
    dual_coef_ : ndarray of shape (n_patterns, n_features)
        The decoder, equal to ``patterns_`` (-1 / +1).
    %(common_attrs)s

    See Also
    --------
    KLRHopfieldMemory : Learned dual coefficients over the same overlaps.

    Notes
    -----
    Capacity: exponential in N. With ``F(q) = exp(q)`` and binary states
    about ``2^(N / 2)`` random patterns are retrieved with high probability,
    with basins almost as large as in the standard model (Demircigil et al.);
    the continuous model of Ramsauer et al. also stores exponentially many
    patterns and retrieves them in one update. This is the softmax (Ramsauer)
    form of the update, whose overlap includes the neuron's own bit; the
    energy-difference form of Demircigil et al. excludes it.

    References
    ----------
    - M. Demircigil, J. Heusel, M. Loewe, S. Upgang and F. Vermet, "On a
      model of associative memory with huge storage capacity", J. Stat. Phys.
      168, 2017.
    - H. Ramsauer et al., "Hopfield Networks is All You Need", ICLR 2021,
      arXiv:2008.02217.
    - D. Krotov and J. J. Hopfield, "Dense associative memory for pattern
      recognition", NeurIPS 2016.

    Examples
    --------
    >>> from sklearn_klrhop import ModernHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> X = make_patterns(1000, 64, random_state=0)  # P / N = 15.6
    >>> mem = ModernHopfieldMemory().fit(X)
    >>> cues = corrupt(X[:100], 0.1, random_state=0)
    >>> float((mem.predict(cues) == X[:100]).all(axis=1).mean())
    1.0
    """

    _parameter_constraints: dict = {
        **BaseHopfieldMemory._parameter_constraints,
        "beta": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        beta=1.0,
        update="sync",
        max_steps=30,
        score_noise=0.2,
        binarize=None,
        random_state=None,
    ):
        self.beta = beta
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Store the patterns (nothing is learned).

        Parameters
        ----------
        X : array-like of shape (n_patterns, n_features)
            Patterns to store, encoded as -1 / +1, 0 / 1 or bool (or any real
            data with ``binarize``).
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted memory.
        """
        self.dual_coef_ = self._fit_states(X)
        return self

    def _engine(self):
        activation = partial(softmax_activation, beta=float(self.beta))
        return Engine(self.patterns_, activation, self.dual_coef_)
