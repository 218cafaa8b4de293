"""Cross-validation splitter, recall scorers and capacity / noise curves for memories."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import math
from numbers import Integral, Real

import numpy as np
from sklearn.model_selection import BaseCrossValidator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import _num_samples, indexable

from ._curves import (
    CapacityCurve,
    NoiseCurve,
    capacity_curve,
    noise_curve,
)
from ._encoding import as_bipolar, recall_hits
from .datasets import corrupt

__all__ = [
    "CapacityCurve",
    "NoiseCurve",
    "StoredPatternSplit",
    "capacity_curve",
    "make_recall_scorer",
    "noise_curve",
    "recall_scorer",
]


class StoredPatternSplit(BaseCrossValidator):
    """Cross-validator that trains on every pattern and tests on a subset of them.

    An associative memory is judged on what it stored: each split stores all
    the patterns (the training indices are every row) and scores recall of a
    random subset of them (the test indices). With a memory's default
    ``score``, the test rows are corrupted at ``score_noise`` and must be
    recalled exactly, so :class:`~sklearn.model_selection.GridSearchCV` with
    this splitter selects the parameters that recall best. Ordinary splitters
    such as :class:`~sklearn.model_selection.KFold` would test on patterns the
    memory never stored.

    Parameters
    ----------
    n_splits : int, default=5
        Number of splits (independent random test subsets).
    test_size : float or int, default=0.2
        If float in (0, 1], the fraction of the patterns tested in each split
        (rounded up); if int, the absolute number of test patterns.
    random_state : int, RandomState instance or None, default=None
        Controls the test subsets. Pass an int for reproducible output across
        multiple function calls.

    See Also
    --------
    sklearn.model_selection.ShuffleSplit : Random test subsets whose training
        set excludes them.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_klrhop.model_selection import StoredPatternSplit
    >>> X = np.ones((6, 3))
    >>> cv = StoredPatternSplit(n_splits=3, test_size=0.5, random_state=0)
    >>> for train, test in cv.split(X):
    ...     print(train.tolist(), sorted(test.tolist()))
    [0, 1, 2, 3, 4, 5] [1, 2, 5]
    [0, 1, 2, 3, 4, 5] [1, 3, 4]
    [0, 1, 2, 3, 4, 5] [1, 3, 5]
    """

    def __init__(self, n_splits=5, *, test_size=0.2, random_state=None):
        if not isinstance(n_splits, Integral) or isinstance(n_splits, bool):
            raise TypeError(f"n_splits must be an integer; got {n_splits!r}.")
        if n_splits < 1:
            raise ValueError(f"n_splits must be at least 1; got {n_splits}.")
        self.n_splits = n_splits
        self.test_size = test_size
        self.random_state = random_state

    def _n_test(self, n_samples):
        size = self.test_size
        if isinstance(size, Integral) and not isinstance(size, bool):
            if not 1 <= size <= n_samples:
                raise ValueError(
                    f"test_size={size} must be between 1 and the number of "
                    f"patterns ({n_samples}) when it is an integer."
                )
            return int(size)
        if isinstance(size, Real) and not isinstance(size, bool) and 0 < size <= 1:
            return max(1, math.ceil(size * n_samples))
        raise ValueError(
            "test_size must be a float in (0, 1] (fraction of the patterns) or a "
            f"positive integer (number of patterns); got {size!r}."
        )

    def split(self, X, y=None, groups=None):
        """Generate train (all rows) and test (random subset) indices.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Patterns to store.
        y : Ignored
            Not used, present for API consistency by convention.
        groups : Ignored
            Not used, present for API consistency by convention.

        Yields
        ------
        train : ndarray of shape (n_samples,)
            Every row index.
        test : ndarray of shape (n_test,)
            A random subset of the row indices.
        """
        X, y, groups = indexable(X, y, groups)
        n_samples = _num_samples(X)
        n_test = self._n_test(n_samples)
        rng = check_random_state(self.random_state)
        train = np.arange(n_samples)
        for _ in range(self.n_splits):
            yield train.copy(), rng.permutation(n_samples)[:n_test]

    def _iter_test_indices(self, X=None, y=None, groups=None):
        for _, test in self.split(X, y, groups):
            yield test

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splitting iterations.

        Parameters
        ----------
        X, y, groups : object
            Always ignored, exist for compatibility.

        Returns
        -------
        n_splits : int
            The ``n_splits`` parameter.
        """
        return self.n_splits


def _from_bipolar_like(S, like):
    like = np.asarray(like)
    if like.dtype == bool:
        return S > 0
    if np.isin(like, (-1, 1)).all():
        return S.astype(like.dtype, copy=False)
    return (S > 0).astype(like.dtype)


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
            cues, targets = X, y
        else:
            targets = X if y is None else y
            noisy = corrupt(
                as_bipolar(X, "X"), self.noise, random_state=self.random_state
            )
            if hasattr(estimator, "encoding_"):
                cues = estimator._from_bipolar(noisy)
            else:  # e.g. a Pipeline ending in a memory: answer in X's encoding
                cues = _from_bipolar_like(noisy, X)
        pred = as_bipolar(estimator.predict(cues), "predictions")
        targets = as_bipolar(targets, "y (targets)")
        if pred.shape != targets.shape:
            raise ValueError(
                f"Targets have shape {targets.shape} but the predictions have shape "
                f"{pred.shape}; pass one target pattern per cue."
            )
        hits = recall_hits(pred, targets, self.criterion)
        return float(np.mean(hits)) if len(hits) else 0.0


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
