"""Recall scorers: model selection by what a memory recalls."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import (
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)

from .._base import BaseHopfieldMemory
from .._encoding import read_cues, read_states, recall_hits
from ..datasets import corrupt
from ..retrieval import retrieve


class _RecallScorer:
    """Callable ``scorer(estimator, X, y)``; see :func:`make_recall_scorer`."""

    def __init__(self, criterion="exact", noise=None, random_state=None):
        self.criterion = criterion
        self.noise = noise
        self.random_state = random_state

    def __repr__(self):
        args = [f"criterion={self.criterion!r}"]
        if self.noise is not None:
            args.append(f"noise={self.noise!r}")
        if self.random_state is not None:
            args.append(f"random_state={self.random_state!r}")
        return f"make_recall_scorer({', '.join(args)})"

    def __call__(self, estimator, X, y=None):
        if self.noise is None:
            if y is None:
                raise ValueError(
                    "recall_scorer needs target patterns: call it as "
                    "scorer(estimator, cues, targets) (fit or cross-validate with "
                    "y=targets), or use make_recall_scorer(noise=...) to build the "
                    "cues by corrupting X, or the memory's own score for stored "
                    "patterns."
                )
            pred, _ = read_states(estimator.predict(X), "predictions")
        else:
            pred, X_read = self._retrieve_noisy(estimator, X)
            y = X_read if y is None else y
        targets, _ = read_states(y, "y (targets)")
        if pred.shape != targets.shape:
            raise ValueError(
                f"Targets have shape {targets.shape} but the predictions have shape "
                f"{pred.shape}; pass one target pattern per cue."
            )
        hits = recall_hits(pred, targets, self.criterion)
        return float(np.mean(hits)) if len(hits) else 0.0

    def _retrieve_noisy(self, estimator, X):
        """Corrupt X where the memory reads it, then retrieve, as ``score`` does.

        A pipeline's earlier steps transform X first, as ``Pipeline.score``
        would; the memory then reads the result with its own codec (its
        encoding or ``binarize``), so the cues are corrupted in the states the
        memory sees. Returns the retrieved states and X as read (-1 / +1).
        """
        memory = estimator
        if isinstance(estimator, Pipeline):
            memory = estimator[-1]
            X = estimator[:-1].transform(X)
        if not isinstance(memory, BaseHopfieldMemory):
            raise TypeError(
                "make_recall_scorer(noise=...) corrupts the cues where a memory of "
                "sklearn_klrhop reads them; it needs such a memory, or a Pipeline "
                f"ending in one, not {type(memory).__name__}."
            )
        S = read_cues(memory, X)
        cues = corrupt(S, self.noise, random_state=self.random_state)
        states = retrieve(memory.engine_, cues, **memory._retrieval_params()).states
        return states, S


@validate_params(
    {
        "criterion": [StrOptions({"exact"}), Interval(Real, -1, 1, closed="both")],
        "noise": [Interval(RealNotInt, 0, 1, closed="both"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_recall_scorer(*, criterion="exact", noise=None, random_state=None):
    """Build a recall scorer ``scorer(estimator, X, y)`` for model selection.

    The scorer returns the fraction of cues the estimator recalls: with
    ``noise=None``, ``X`` are cues and ``y`` the target patterns (one per
    cue); with ``noise`` set, the cues are the rows of ``X`` with
    ``round(noise * N)`` bits flipped and the targets are ``y``, or ``X``
    itself when ``y`` is None. Greater is better, so it can be passed as
    ``scoring=`` to :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate`.

    Parameters
    ----------
    criterion : "exact" or float in [-1, 1], default="exact"
        ``"exact"``: a recall succeeds when the retrieved state equals the
        target. A float ``c``: when its overlap with the target is at least
        ``c``.
    noise : float in [0, 1] or None, default=None
        Corrupt ``X`` at this level to build the cues; ``None`` uses ``X`` as
        the cues.
    random_state : int, RandomState instance or None, default=None
        Seeds the corruption when ``noise`` is set. Pass an int for the same
        cues on every call.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float`` in [0, 1].

    See Also
    --------
    recall_scorer : The scorer with the default arguments.
    sklearn_klrhop.metrics.recall_score : The underlying metric.

    Examples
    --------
    >>> from sklearn.model_selection import cross_validate
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.model_selection import StoredPatternSplit, make_recall_scorer
    >>> X = make_patterns(100, 50, random_state=0)
    >>> scoring = {"noise 0.2": make_recall_scorer(noise=0.2, random_state=0),
    ...            "noise 0.35": make_recall_scorer(noise=0.35, random_state=0)}
    >>> cv = cross_validate(KLRHopfieldMemory(), X, scoring=scoring,
    ...                     cv=StoredPatternSplit(n_splits=2, random_state=0))
    >>> cv["test_noise 0.2"].tolist(), cv["test_noise 0.35"].tolist()
    ([1.0, 1.0], [0.05, 0.05])
    """
    return _RecallScorer(criterion=criterion, noise=noise, random_state=random_state)


_DEFAULT_SCORER = _RecallScorer()


def recall_scorer(estimator, X, y):
    """Exact-recall scorer for explicit (cue, target) pairs.

    Retrieves ``estimator.predict(X)`` from the cues ``X`` and returns the
    fraction of retrieved states equal to their targets ``y``; usable as
    ``scoring=recall_scorer``. To tune a memory on given cues, stack the clean
    patterns and the cues and pass a split that stores the former and tests
    the latter (see the example).

    Parameters
    ----------
    estimator : estimator object
        Fitted memory, or a pipeline ending in one.
    X : array-like of shape (n_cues, n_features)
        Cues.
    y : array-like of shape (n_cues, n_features)
        Target pattern of each cue, in any binary encoding.

    Returns
    -------
    score : float
        Fraction of cues recalled exactly.

    See Also
    --------
    make_recall_scorer : Scorers with an overlap criterion or built-in cue noise.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.model_selection import recall_scorer
    >>> patterns = make_patterns(100, 50, random_state=0)
    >>> cues = corrupt(patterns, 0.2, random_state=0)
    >>> X, y = np.vstack([patterns, cues]), np.vstack([patterns, patterns])
    >>> store_then_cue = [(np.arange(100), np.arange(100, 200))]
    >>> search = GridSearchCV(KLRHopfieldMemory(), {"gamma": [0.002, 0.2]},
    ...                       scoring=recall_scorer, cv=store_then_cue).fit(X, y)
    >>> search.best_params_, float(search.best_score_)
    ({'gamma': 0.2}, 1.0)
    """
    return _DEFAULT_SCORER(estimator, X, y)
