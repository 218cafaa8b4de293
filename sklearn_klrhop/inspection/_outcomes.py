"""Where retrieval ends: the target, another stored pattern, a spurious point, a cycle."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils import gen_batches
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params

from .._encoding import read_cues
from ..retrieval import UPDATES, retrieve

OUTCOMES = ("target", "other", "spurious", "cycle", "not_converged")


def stored_index(patterns, states):
    """Index of the stored pattern equal to each state, or -1 for none."""
    n_features = patterns.shape[1]
    index = np.full(len(states), -1)
    for rows in gen_batches(len(states), max(1, 2**22 // max(1, len(patterns)))):
        hit = states[rows] @ patterns.T == n_features
        found = hit.any(axis=1)
        index[rows] = np.where(found, hit.argmax(axis=1), -1)
    return index


def classify(patterns, result):
    """``(stored index, kind, period)`` of the end of every retrieval.

    ``kind`` is ``"stored"`` (a fixed point that is a stored pattern),
    ``"spurious"`` (any other fixed point), ``"cycle"`` (the retrieval
    ``result`` found a repeated state, ``period >= 2``) or
    ``"not_converged"``.
    """
    converged, period = result.converged, result.period
    index = np.where(converged, stored_index(patterns, result.states), -1)
    kind = np.where(
        converged,
        np.where(index >= 0, "stored", "spurious"),
        np.where(period >= 2, "cycle", "not_converged"),
    )
    return index, kind.astype(object), period


class RetrievalOutcomes:
    """How each retrieval ended, as returned by :func:`retrieval_outcomes`.

    Parameters
    ----------
    outcome : array-like of shape (n_cues,)
        One of ``"target"`` (converged to its target), ``"other"`` (to another
        stored pattern), ``"spurious"`` (to a fixed point that is not stored),
        ``"cycle"`` (a limit cycle) or ``"not_converged"`` (neither within the
        step limit).
    period : array-like of shape (n_cues,)
        1 for a fixed point, the period p >= 2 of a cycle, 0 otherwise.
    n_steps : array-like of shape (n_cues,)
        Steps (or sweeps) performed, including the one that confirmed a fixed
        point.
    attractor : array-like of shape (n_cues,)
        Index in ``patterns_`` of the stored pattern reached, or -1.

    Attributes
    ----------
    fractions : dict of str to float
        Fraction of the cues in each outcome of ``OUTCOMES`` (all five keys).

    Examples
    --------
    >>> from sklearn_klrhop.inspection import RetrievalOutcomes
    >>> res = RetrievalOutcomes(["target", "other", "target", "cycle"],
    ...                         [1, 1, 1, 2], [2, 3, 2, 30], [0, 5, 1, -1])
    >>> res.fractions["target"], res.mean_steps("target")
    (0.5, 2.0)
    """

    def __init__(self, outcome, period, n_steps, attractor):
        self.outcome = np.asarray(outcome, dtype=object)
        self.period = np.asarray(period, dtype=int)
        self.n_steps = np.asarray(n_steps, dtype=int)
        self.attractor = np.asarray(attractor, dtype=int)

    @property
    def fractions(self):
        """Fraction of the cues in each outcome."""
        n = max(len(self.outcome), 1)
        return {k: float(np.count_nonzero(self.outcome == k)) / n for k in OUTCOMES}

    def mean_steps(self, outcome="target"):
        """Mean number of steps of the cues that ended in ``outcome``.

        Parameters
        ----------
        outcome : str, default="target"
            One of ``OUTCOMES``.

        Returns
        -------
        steps : float
            The mean, including the confirming step of a fixed point; NaN if
            no cue ended there.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}; got {outcome!r}.")
        chosen = self.outcome == outcome
        return float(self.n_steps[chosen].mean()) if chosen.any() else float("nan")

    def __repr__(self):
        parts = ", ".join(f"{k}={v:.3g}" for k, v in self.fractions.items())
        return f"RetrievalOutcomes(n_cues={len(self.outcome)}, {parts})"


@validate_params(
    {
        "memory": [HasMethods(["fit", "retrieve"])],
        "cues": ["array-like"],
        "targets": ["array-like"],
        "update": [StrOptions(set(UPDATES)), None],
    },
    prefer_skip_nested_validation=True,
)
def retrieval_outcomes(memory, cues, targets, *, update=None):
    """Classify how retrieval from each cue ends.

    Each cue is retrieved with the memory's dynamics and step limit and
    classified by where it ends: converged to its target, to another stored
    pattern, to a spurious fixed point (a fixed point that is not stored), a
    limit cycle (with its period), or not converged. The cycles are those
    synchronous retrieval detects (``RetrievalResult.period``: a state that
    repeats an earlier one); asynchronous sweeps draw a new order each time,
    so they have no strict cycle and a cue that keeps moving is not
    converged. The whole batch is retrieved at once.

    Read more in :doc:`/attractor_geometry`.

    Parameters
    ----------
    memory : estimator object
        A fitted memory (e.g. :class:`~sklearn_klrhop.KLRHopfieldMemory`).
    cues : array-like of shape (n_cues, n_features)
        Cues, in the encoding the memory was fitted with.
    targets : array-like of shape (n_cues, n_features)
        The pattern each cue should be retrieved as.
    update : {"sync", "async"}, default=None
        Dynamics; ``None`` uses the memory's ``update``.

    Returns
    -------
    outcomes : RetrievalOutcomes
        Per cue: ``outcome``, ``period``, ``n_steps`` and ``attractor``; and
        ``fractions`` over the cues.

    See Also
    --------
    morphing_curve : The outcomes along a path between two stored patterns.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.inspection import retrieval_outcomes
    >>> X = make_patterns(1000, 100, random_state=0)  # P / N = 10
    >>> mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    >>> res = retrieval_outcomes(mem, corrupt(X[:200], 0.3, random_state=0), X[:200])
    >>> {k: round(v, 3) for k, v in res.fractions.items()}
    {'target': 0.95, 'other': 0.05, 'spurious': 0.0, 'cycle': 0.0, 'not_converged': 0.0}
    """
    S = read_cues(memory, cues, "cues")
    T = read_cues(memory, targets, "targets")
    if T.shape != S.shape:
        raise ValueError(
            f"targets has shape {T.shape} but cues has shape {S.shape}; pass one "
            "target per cue."
        )
    params = memory._retrieval_params()
    if update is not None:
        params["update"] = update
    res = retrieve(memory.engine_, S, **params)
    index, kind, period = classify(memory.patterns_, res)
    on_target = res.converged & np.all(res.states == T, axis=1)
    outcome = np.where(kind == "stored", "other", kind).astype(object)
    outcome[on_target] = "target"
    return RetrievalOutcomes(outcome, period, res.n_steps, index)
