"""Sequence capacity: recall of stored sequences against load."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params

from .._encoding import read_states
from ..datasets import corrupt, sequence_targets
from ._sweep import (
    COMMON_CONSTRAINTS,
    SEED_MAX,
    RecallCurve,
    check_grid,
    check_instance,
    check_loads,
    check_pool,
    draw_patterns,
    run_tasks,
    seed_estimator,
)


class SequenceCapacityCurve(RecallCurve):
    """Sequence recall against load P / N, from :func:`sequence_capacity_curve`.

    Parameters
    ----------
    loads : array-like of shape (n_loads,)
        Loads P / N (P the length of the sequence).
    scores : array-like of shape (n_loads, n_trials)
        Sequence recall of each trial: the fraction of cues whose replay is
        exactly the stored sequence at the checked steps.
    transitions : array-like of shape (n_loads, n_trials)
        Transition recall of each trial: the first step is exactly the next
        pattern.
    overlaps : array-like of shape (n_loads, n_trials)
        Mean overlap of the last replayed state with the pattern expected
        there.
    n_features : int
        Number of neurons N.
    n_patterns : array-like of shape (n_loads,)
        Length of the sequence at each load, ``round(load * N)``.
    n_steps : int
        Consecutive steps that had to be exact.
    transient : int
        Steps allowed before them.

    Attributes
    ----------
    mean : ndarray of shape (n_loads,)
        Mean sequence recall over trials.
    std : ndarray of shape (n_loads,)
        Its standard deviation over trials.

    Examples
    --------
    >>> from sklearn_klrhop.model_selection import SequenceCapacityCurve
    >>> curve = SequenceCapacityCurve(
    ...     [4, 8, 16], [[1.0], [0.8], [0.0]], [[1.0], [0.6], [0.0]],
    ...     [[1.0], [0.9], [0.1]], n_features=50, n_patterns=[200, 400, 800],
    ...     n_steps=10, transient=0)
    >>> curve.capacity(0.95), curve.collapse(0.5), curve.width()
    (4.0, 11.0, 9.0)
    """

    def __init__(self, loads, scores, transitions, overlaps, *, n_features,
                 n_patterns, n_steps, transient):  # fmt: skip
        self.loads = np.asarray(loads, dtype=float)
        self.transitions = np.asarray(transitions, dtype=float)
        self.n_steps = n_steps
        self.transient = transient
        super().__init__(
            scores,
            overlaps,
            n_features=n_features,
            n_patterns=n_patterns,
            criterion="exact",
        )

    def _grid(self):
        return "loads", self.loads

    def capacity(self, threshold=0.95):
        """Largest load whose mean sequence recall reaches ``threshold``.

        Parameters
        ----------
        threshold : float in [0, 1], default=0.95
            Required mean recall.

        Returns
        -------
        capacity : float
            The largest such load P / N, or NaN if no load reaches it.
        """
        return self._largest(threshold)

    def collapse(self, level=0.5, *, recall="sequence"):
        """Load at which the mean recall first falls through ``level``.

        Interpolated linearly between the two loads around the first fall
        from at least ``level`` to below it.

        Parameters
        ----------
        level : float in (0, 1), default=0.5
            Recall level that marks the collapse.
        recall : {"sequence", "transition"}, default="sequence"
            Which recall: of the sequence (``scores``) or of the first step
            (``transitions``).

        Returns
        -------
        load : float
            The load P / N, or NaN when the recall never falls through it
            on the grid.
        """
        return _crossing(self.loads, self._recall(recall), level)

    def width(self, high=0.9, low=0.1, *, recall="sequence"):
        """Range of load over which the mean recall falls from ``high`` to ``low``.

        A sharp, phase-transition-like collapse has a width small against
        the load of the collapse.

        Parameters
        ----------
        high, low : float in (0, 1), default=0.9 and 0.1
            Recall levels between which the fall is measured.
        recall : {"sequence", "transition"}, default="sequence"
            Which recall (see :meth:`collapse`).

        Returns
        -------
        width : float
            ``collapse(low) - collapse(high)``, NaN when either is not on
            the grid.
        """
        y = self._recall(recall)
        return _crossing(self.loads, y, low) - _crossing(self.loads, y, high)

    def _recall(self, recall):
        if recall not in ("sequence", "transition"):
            raise ValueError(
                f"recall must be 'sequence' or 'transition'; got {recall!r}."
            )
        return self.mean if recall == "sequence" else self.transitions.mean(axis=1)


def _crossing(x, y, level):
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1); got {level!r}.")
    falls = np.flatnonzero((y[:-1] >= level) & (y[1:] < level))
    if not falls.size:
        return float("nan")
    i = falls[0]
    return float(x[i] + (y[i] - level) / (y[i] - y[i + 1]) * (x[i + 1] - x[i]))


def sequence_task(estimator, n_patterns, n_features, pool, noise, n_cues, cyclic,
                  n_steps, transient, seed):  # fmt: skip
    """Store a random sequence drawn from ``seed`` and replay it from noisy frames."""
    rng = np.random.RandomState(seed)
    X = draw_patterns(n_patterns, n_features, pool, rng)
    seed_estimator(estimator, rng)
    keys, successors = sequence_targets(X, cyclic=cyclic)
    estimator.fit(keys, successors)
    n_keys = len(keys)
    if n_cues is not None and n_cues < n_keys:
        positions = np.sort(rng.choice(n_keys, n_cues, replace=False))
    else:
        positions = np.arange(n_keys)
    cues = corrupt(X[positions], noise, random_state=rng)
    n_run = transient + n_steps
    visited, _ = read_states(
        estimator.replay(cues, n_steps=n_run).reshape(len(cues), -1), "states"
    )
    visited = visited.reshape(len(cues), n_run + 1, n_features)[:, 1:]
    # the stored sequence from each cue on, straight from X (not the memory)
    ahead = positions[:, None] + np.arange(1, n_run + 1)
    known = np.ones(ahead.shape, dtype=bool) if cyclic else ahead < n_patterns
    expected = X[ahead % n_patterns]
    exact = np.all(visited == expected, axis=2) | ~known
    last = np.einsum("ij,ij->i", visited[:, -1], expected[:, -1]) / n_features
    return (
        float(exact[:, transient:].all(axis=1).mean()),
        float(exact[:, 0].mean()),
        float(last.mean()),
    )


@validate_params(
    {
        "estimator": [HasMethods(["fit", "replay"])],
        "loads": ["array-like"],
        "n_features": COMMON_CONSTRAINTS["n_features"],
        "X": COMMON_CONSTRAINTS["X"],
        "noise": [Interval(Real, 0, 1, closed="both")],
        "cyclic": ["boolean"],
        "n_steps": [Interval(Integral, 1, None, closed="left")],
        "transient": [Interval(Integral, 0, None, closed="left")],
        "n_trials": COMMON_CONSTRAINTS["n_trials"],
        "n_cues": COMMON_CONSTRAINTS["n_cues"],
        "random_state": ["random_state"],
        "n_jobs": COMMON_CONSTRAINTS["n_jobs"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=False,
)
def sequence_capacity_curve(estimator, loads, *, n_features=None, X=None, noise=0.1,
                            cyclic=True, n_steps=10, transient=0, n_trials=5,
                            n_cues=None, random_state=None, n_jobs=None,
                            verbose=0):  # fmt: skip
    """Sequence recall of a memory against the length of the stored sequence.

    For every load and trial, a clone of ``estimator`` stores a sequence of
    ``P = round(load * N)`` patterns (halves rounded up, as in every curve;
    random, or drawn in random order from the pool ``X``), each mapped to its
    successor (:func:`~sklearn_klrhop.datasets.sequence_targets`). Its
    patterns (or ``n_cues`` of them) are corrupted by flipping
    ``round(noise * N)`` bits and replayed synchronously
    (:meth:`~sklearn_klrhop.BaseHopfieldMemory.replay`) for
    ``transient + n_steps`` steps. Sequence recall counts the cues whose
    last ``n_steps`` steps are exactly the stored sequence; transition
    recall those whose first step is exactly the next pattern. The tasks run
    in parallel with seeds drawn from ``random_state`` before any starts, so
    the numbers are identical for any ``n_jobs`` and joblib backend.

    Read more in :doc:`/sequences`.

    Parameters
    ----------
    estimator : estimator object
        A memory that learns targets (implements ``fit(X, y)`` and
        ``replay``), e.g. :class:`~sklearn_klrhop.KLRHopfieldMemory`. It is
        cloned per task; if its ``random_state`` is None, each clone gets the
        task's seed.
    loads : array-like of shape (n_loads,)
        Loads P / N, each storing at least two patterns.
    n_features : int, default=None
        Number of neurons N of generated patterns. Required when ``X`` is
        None; otherwise it defaults to (and must equal) ``X.shape[1]``.
    X : array-like of shape (n_pool, n_features), default=None
        Pool of patterns to draw each sequence from, without replacement.
    noise : float in [0, 1], default=0.1
        Fraction of bits flipped in the first frame.
    cyclic : bool, default=True
        Store a cyclic sequence (the last pattern is followed by the first)
        or an open one (steps past its end are not checked).
    n_steps : int, default=10
        Consecutive steps that must be exact.
    transient : int, default=0
        Steps allowed before them to clean up the noise; 0 demands the whole
        replay from the first step on.
    n_trials : int, default=5
        Independent sequences per load.
    n_cues : int, default=None
        Positions of the sequence cued per trial; ``None`` cues every one.
    random_state : int, RandomState instance or None, default=None
        Seeds the sequences, cued positions and noise. Pass an int for
        reproducible output across multiple function calls.
    n_jobs : int, default=None
        Number of jobs to run in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context. ``-1`` means using all
        processors.
    verbose : int, default=0
        Progress output: with tqdm installed a progress bar when > 0,
        otherwise joblib's messages.

    Returns
    -------
    curve : SequenceCapacityCurve
        ``loads``, ``scores`` (sequence recall), ``transitions`` and
        ``overlaps`` of shape (n_loads, n_trials), with ``capacity``,
        ``collapse`` and ``width``.

    See Also
    --------
    capacity_curve : Recall of patterns (attractors) against load.
    SequenceCapacityCurveDisplay : Plot of the curve.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import sequence_capacity_curve
    >>> curve = sequence_capacity_curve(
    ...     KLRHopfieldMemory(gamma=0.05), [2, 8, 32], n_features=50, noise=0.2,
    ...     n_steps=5, transient=3, n_trials=2, n_cues=40, random_state=0)
    >>> curve.mean.tolist(), curve.transitions.mean(axis=1).tolist()
    ([1.0, 0.7, 0.075], [0.2375, 0.0, 0.0])
    """
    check_instance(estimator)
    loads = check_grid(loads, "loads")
    pool, n_features = check_pool(X, n_features)
    n_patterns = check_loads(loads, n_features, pool, min_patterns=2)
    rng = check_random_state(random_state)
    seeds = rng.randint(SEED_MAX, size=(len(loads), n_trials))
    jobs = [
        {
            "n_patterns": int(n_patterns[i]),
            "n_features": n_features,
            "pool": pool,
            "noise": noise,
            "n_cues": n_cues,
            "cyclic": cyclic,
            "n_steps": n_steps,
            "transient": transient,
            "seed": int(seeds[i, t]),
        }
        for i in range(len(loads))
        for t in range(n_trials)
    ]
    results = run_tasks(
        estimator, jobs, n_jobs, verbose, "sequence_capacity_curve", sequence_task
    )
    res = np.array(results).reshape(len(loads), n_trials, 3)
    return SequenceCapacityCurve(
        loads,
        res[..., 0],
        res[..., 1],
        res[..., 2],
        n_features=n_features,
        n_patterns=n_patterns,
        n_steps=n_steps,
        transient=transient,
    )
