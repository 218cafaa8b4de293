"""The binary-state modern Hopfield memory: softmax over pattern overlaps."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from functools import partial
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from .._base import BaseHopfieldMemory
from ..retrieval import Engine
from ._docstrings import fill_doc


def softmax_activation(q, beta):
    """Row-wise ``softmax(beta q)``, shifted by the row maximum before ``exp``.

    The largest entry of each row is ``exp(0) / sum >= 1 / P``, so nothing
    underflows to an all-zero row however large ``beta`` is.
    """
    z = beta * q
    z -= z.max(axis=1, keepdims=True)
    k = np.exp(z, out=z)
    k /= k.sum(axis=1, keepdims=True)
    return k, np.zeros(q.shape[0])


@fill_doc
class ModernHopfieldMemory(BaseHopfieldMemory):
    """Binary-state modern Hopfield network: softmax over pattern overlaps.

    The fields are ``h(s) = softmax(beta * s Xi^T) Xi``: the stored patterns
    weighted by the softmax of their overlaps ``q_mu = s . xi^mu``, and the
    next state is ``sign(h)``. On the engine this is a kernel memory whose
    dual coefficients are the patterns themselves (nothing is learned): encoder
    Xi, activation ``softmax(beta q)`` evaluated after subtracting the row
    maximum, decoder Xi. ``fit(X, y)`` decodes the targets instead,
    ``h(s) = softmax(beta * s Xi^T) Y``: the memory answers the target of the
    pattern nearest to the cue (for a sequence, the next pattern).

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
    dual_coef_ : ndarray of shape (n_patterns, n_outputs)
        The decoder, equal to ``targets_`` (-1 / +1): the patterns
        themselves for an autoassociative memory.
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
        transform_returns="trajectory",
        n_jobs=None,
        random_state=None,
    ):
        self.beta = beta
        self.update = update
        self.max_steps = max_steps
        self.score_noise = score_noise
        self.binarize = binarize
        self.transform_returns = transform_returns
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit(self, S, T):
        self.dual_coef_ = T  # nothing is learned: the decoder is the targets

    def _make_engine(self):
        activation = partial(softmax_activation, beta=float(self.beta))
        return Engine(self.patterns_, activation, self.dual_coef_)
