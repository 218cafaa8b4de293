"""Recall scorers: model selection by what a memory recalls, patterns or sequences."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import (
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)

from .._base import BaseHopfieldMemory
from .._encoding import (
    is_label_vector,
    read_cues,
    read_fitted_targets,
    read_states,
    recall_hits,
    stored_index,
)
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
                    "scorer(estimator, cues, targets) (cross-validate with y "
                    "holding each row's target, the stored rows' own patterns "
                    "included), or use make_recall_scorer(noise=...) to build "
                    "the cues by corrupting X, or the memory's own score for "
                    "stored patterns."
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

        Returns the retrieved states and X as read (-1 / +1).
        """
        memory, S = memory_and_states(estimator, X, "make_recall_scorer(noise=...)")
        cues = corrupt(S, self.noise, random_state=self.random_state)
        states = retrieve(memory.engine_, cues, **memory._retrieval_params()).states
        return states, S


def memory_and_states(estimator, X, caller):
    """The memory of ``estimator`` and ``X`` read as -1 / +1 states where it reads X.

    A pipeline's earlier steps transform X first, as ``Pipeline.score``
    would; the memory then reads the result with its own codec (its encoding
    or ``binarize``), so cues are corrupted in the states the memory sees.
    """
    memory = estimator
    if isinstance(estimator, Pipeline):
        memory = estimator[-1]
        X = estimator[:-1].transform(X)
    if not isinstance(memory, BaseHopfieldMemory):
        raise TypeError(
            f"{caller} corrupts the cues where a memory of sklearn_klrhop reads "
            "them; it needs such a memory, or a Pipeline ending in one, not "
            f"{type(memory).__name__}."
        )
    return memory, read_cues(memory, X)


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
    the latter (see the example): the stored rows are fitted with their own
    patterns as targets (``y = X`` there), so the memory stays
    autoassociative, while a ``y`` that differs from the stored rows would
    make it learn those targets instead.

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


class _SequenceScorer:
    """Callable ``scorer(estimator, X, y)``; see :func:`make_sequence_scorer`."""

    def __init__(self, n_steps=1, transient=0, noise=None, random_state=None):
        self.n_steps = n_steps
        self.transient = transient
        self.noise = noise
        self.random_state = random_state

    def __repr__(self):
        args = [f"n_steps={self.n_steps!r}"]
        for name in ("transient", "noise", "random_state"):
            value = getattr(self, name)
            if value not in (None, 0):
                args.append(f"{name}={value!r}")
        return f"make_sequence_scorer({', '.join(args)})"

    def __call__(self, estimator, X, y=None):
        memory, S = memory_and_states(estimator, X, "A sequence scorer")
        first = _first_targets(memory, S, y)
        cues = S
        if self.noise is not None:
            cues = corrupt(S, self.noise, random_state=self.random_state)
        n_run = self.transient + self.n_steps
        if n_run == 1:  # transition recall: also for targets of another width
            params = memory._retrieval_params(update="sync", max_steps=1)
            states = retrieve(memory.engine_, cues, **params).states
            hits = np.all(states == first, axis=1)
        else:
            params = memory._retrieval_params(
                update="sync", max_steps=n_run, return_trajectory=True
            )
            visited = retrieve(memory.engine_, cues, **params).trajectory[:, 1:]
            expected, known = stored_chain(memory, first, n_run)
            exact = np.all(visited == expected, axis=2) | ~known
            hits = exact[:, self.transient :].all(axis=1)
        return float(np.mean(hits)) if len(hits) else 0.0


def _first_targets(memory, S, y):
    """The target of each cue: ``y`` read as -1 / +1, or the one stored with it."""
    if y is None or is_label_vector(y):  # labels are ignored, as by fit
        index = stored_index(S, memory.patterns_)
        if (index < 0).any():
            raise ValueError(
                f"{int(np.count_nonzero(index < 0))} of the {len(S)} rows of X were "
                "never stored, so their targets are unknown; pass y (the target "
                "of each row) or score stored patterns."
            )
        return memory.targets_[index]
    return read_fitted_targets(memory, y, len(S))


def stored_chain(memory, first, n_steps):
    """The stored sequence from ``first`` on: ``n_steps`` states per row.

    State k + 1 is the target stored with state k (``targets_`` of the equal
    row of ``patterns_``). Returns ``(expected, known)`` of shapes
    (n, n_steps, N) and (n, n_steps); a row whose state is no stored pattern
    (the end of an open sequence) has no known successor, and later steps
    are unknown.
    """
    expected = np.empty((len(first), n_steps, first.shape[1]))
    known = np.ones((len(first), n_steps), dtype=bool)
    expected[:, 0] = state = first
    for k in range(1, n_steps):  # a loop over steps; each one is vectorised
        index = stored_index(state, memory.patterns_)
        known[:, k] = known[:, k - 1] & (index >= 0)
        state = np.where(known[:, k, None], memory.targets_[np.maximum(index, 0)], 0)
        expected[:, k] = state
    return expected, known


@validate_params(
    {
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "transient": [Interval(Integral, 0, None, closed="left")],
        "noise": [Interval(RealNotInt, 0, 1, closed="both"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_sequence_scorer(*, n_steps=1, transient=0, noise=None, random_state=None):
    """Build a sequence recall scorer ``scorer(estimator, X, y)``.

    Each row of ``X`` (a stored pattern, with ``round(noise * N)`` bits
    flipped when ``noise`` is set) is the first frame of a synchronous
    replay; the recall succeeds when steps ``transient + 1`` to
    ``transient + n_steps`` of the replay are exactly the stored sequence: at
    step k, the state reached from the row's target ``y`` (or the target
    stored with the row when ``y`` is None) by following the stored
    transitions ``k - 1`` times. Steps past the end of an open sequence are
    not checked. ``n_steps=1, transient=0`` is transition recall: one step
    from the cue reaches the exact next pattern. The scorer returns the
    fraction of rows recalled; greater is better, so it can be passed as
    ``scoring=`` to :class:`~sklearn.model_selection.GridSearchCV`.

    Parameters
    ----------
    n_steps : int, default=1
        Number L of consecutive steps that must be exact.
    transient : int, default=0
        Steps allowed before them, in which the replay may still clean up
        the noise of the cue.
    noise : float in [0, 1] or None, default=None
        Corrupt the rows of ``X`` at this level to build the cues; ``None``
        uses ``X`` itself.
    random_state : int, RandomState instance or None, default=None
        Seeds the corruption when ``noise`` is set.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float`` in [0, 1].

    See Also
    --------
    make_transition_scorer : The one-step scorer.
    sklearn_klrhop.datasets.sequence_targets : Builds the targets of a
        sequence.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns, sequence_targets
    >>> from sklearn_klrhop.model_selection import make_sequence_scorer
    >>> X, y = sequence_targets(make_patterns(400, 50, random_state=0))
    >>> mem = KLRHopfieldMemory(gamma=0.05).fit(X, y)
    >>> strict = make_sequence_scorer(n_steps=10, noise=0.2, random_state=0)
    >>> after_two = make_sequence_scorer(n_steps=10, transient=2, noise=0.2,
    ...                                  random_state=0)
    >>> round(strict(mem, X, y), 3), round(after_two(mem, X, y), 3)
    (0.0, 0.708)
    """
    return _SequenceScorer(n_steps, transient, noise, random_state)


@validate_params(
    {
        "noise": [Interval(RealNotInt, 0, 1, closed="both"), None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_transition_scorer(*, noise=None, random_state=None):
    """Build a transition recall scorer: one step from a cue reaches its target.

    The fraction of rows of ``X`` (corrupted at ``noise`` when set) whose
    image under one synchronous application of the memory's map is exactly
    the target ``y`` of the row (or the target stored with it when ``y`` is
    None): for a sequence, the exact next pattern. Works for targets of any
    width. Usable as ``scoring=`` in model selection.

    Parameters
    ----------
    noise : float in [0, 1] or None, default=None
        Corrupt the rows of ``X`` at this level to build the cues; ``None``
        uses ``X`` itself.
    random_state : int, RandomState instance or None, default=None
        Seeds the corruption when ``noise`` is set.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None) -> float`` in [0, 1].

    See Also
    --------
    make_sequence_scorer : L consecutive exact steps.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns, sequence_targets
    >>> from sklearn_klrhop.model_selection import (StoredPatternSplit,
    ...                                             make_transition_scorer)
    >>> X, y = sequence_targets(make_patterns(400, 50, random_state=0))
    >>> search = GridSearchCV(
    ...     KLRHopfieldMemory(), {"gamma": [0.02, 0.1]},
    ...     scoring=make_transition_scorer(noise=0.2, random_state=0),
    ...     cv=StoredPatternSplit(n_splits=2, random_state=0)).fit(X, y)
    >>> search.best_params_
    {'gamma': 0.1}
    """
    return _SequenceScorer(1, 0, noise, random_state)
