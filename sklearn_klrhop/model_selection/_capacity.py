"""Capacity and noise curves: recall against load and against cue noise."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ._sweep import (
    COMMON_CONSTRAINTS,
    SEED_MAX,
    RecallCurve,
    check_grid,
    check_instance,
    check_load,
    check_loads,
    check_pool,
    run_tasks,
)


class CapacityCurve(RecallCurve):
    """Recall rate against load P / N, as returned by :func:`capacity_curve`.

    Parameters
    ----------
    loads : array-like of shape (n_loads,)
        Loads P / N.
    scores : array-like of shape (n_loads, n_trials)
        Recall rate of each trial.
    overlaps : array-like of shape (n_loads, n_trials)
        Mean final overlap with the target of each trial.
    n_features : int
        Number of neurons N.
    n_patterns : array-like of shape (n_loads,)
        Patterns stored at each load, ``round(load * N)``.
    criterion : "exact" or float
        Success criterion of a recall.

    Attributes
    ----------
    mean : ndarray of shape (n_loads,)
        Mean recall rate over trials.
    std : ndarray of shape (n_loads,)
        Its standard deviation over trials.

    Examples
    --------
    >>> from sklearn_klrhop.model_selection import CapacityCurve
    >>> curve = CapacityCurve([1, 2, 4], [[1.0, 1.0], [1.0, 0.9], [0.2, 0.4]],
    ...                       [[1, 1], [1, 1], [0.8, 0.9]], n_features=10,
    ...                       n_patterns=[10, 20, 40], criterion="exact")
    >>> curve.mean.tolist(), curve.capacity(0.95), curve.capacity(0.9)
    ([1.0, 0.95, 0.30000000000000004], 2.0, 2.0)
    """

    def __init__(self, loads, scores, overlaps, *, n_features, n_patterns, criterion):
        self.loads = np.asarray(loads, dtype=float)
        super().__init__(
            scores,
            overlaps,
            n_features=n_features,
            n_patterns=n_patterns,
            criterion=criterion,
        )

    def _grid(self):
        return "loads", self.loads

    def capacity(self, threshold=0.95):
        """Largest load whose mean recall rate reaches ``threshold``.

        Parameters
        ----------
        threshold : float in [0, 1], default=0.95
            Required mean recall rate.

        Returns
        -------
        capacity : float
            The largest such load P / N, or NaN if no load reaches it.
        """
        return self._largest(threshold)


class NoiseCurve(RecallCurve):
    """Recall rate against cue noise at a fixed load, from :func:`noise_curve`.

    Parameters
    ----------
    noise_levels : array-like of shape (n_levels,)
        Fractions of cue bits flipped.
    scores : array-like of shape (n_levels, n_trials)
        Recall rate of each trial.
    overlaps : array-like of shape (n_levels, n_trials)
        Mean final overlap with the target of each trial.
    n_features : int
        Number of neurons N.
    n_patterns : int
        Patterns stored in each trial.
    criterion : "exact" or float
        Success criterion of a recall.

    Attributes
    ----------
    mean : ndarray of shape (n_levels,)
        Mean recall rate over trials.
    std : ndarray of shape (n_levels,)
        Its standard deviation over trials.

    Examples
    --------
    >>> from sklearn_klrhop.model_selection import NoiseCurve
    >>> curve = NoiseCurve([0.1, 0.2, 0.3], [[1.0], [0.96], [0.5]],
    ...                    [[1.0], [0.99], [0.7]], n_features=50,
    ...                    n_patterns=100, criterion="exact")
    >>> curve.basin(0.95)
    0.2
    """

    def __init__(
        self, noise_levels, scores, overlaps, *, n_features, n_patterns, criterion
    ):
        self.noise_levels = np.asarray(noise_levels, dtype=float)
        super().__init__(
            scores,
            overlaps,
            n_features=n_features,
            n_patterns=n_patterns,
            criterion=criterion,
        )

    def _grid(self):
        return "noise_levels", self.noise_levels

    def basin(self, threshold=0.95):
        """Largest noise level whose mean recall rate reaches ``threshold``.

        Parameters
        ----------
        threshold : float in [0, 1], default=0.95
            Required mean recall rate.

        Returns
        -------
        noise : float
            The basin size as a fraction of flipped bits, or NaN if no level
            reaches the threshold.
        """
        return self._largest(threshold)


@validate_params(
    {
        **COMMON_CONSTRAINTS,
        "loads": ["array-like"],
        "noise": [Interval(Real, 0, 1, closed="both")],
    },
    prefer_skip_nested_validation=False,
)
def capacity_curve(estimator, loads, *, n_features=None, X=None, noise=0.2,
                   n_trials=5, n_cues=None, update=None, criterion="exact",
                   random_state=None, n_jobs=None, verbose=0):  # fmt: skip
    """Recall rate of a memory against its load P / N.

    For every load and trial, a clone of ``estimator`` stores
    ``P = round(load * N)`` patterns (halves rounded up, as in every curve;
    random, or drawn from the pool ``X``),
    and recalls them (or ``n_cues`` of them) from cues with
    ``round(noise * N)`` bits flipped. The (load, trial) tasks run in
    parallel; their seeds are drawn from ``random_state`` before any task
    starts, so the numbers are identical for any ``n_jobs`` and any joblib
    backend (loky, threading, dask through :func:`joblib.parallel_config`).

    Read more in :doc:`/choosing_gamma_lam`.

    Parameters
    ----------
    estimator : estimator object
        A memory: implements ``fit`` and ``retrieve`` (e.g.
        :class:`~sklearn_klrhop.KLRHopfieldMemory`). It is cloned per task;
        if its ``random_state`` is None, each clone gets the task's seed.
    loads : array-like of shape (n_loads,)
        Loads P / N, each > 0 with ``round(load * N) >= 1``.
    n_features : int, default=None
        Number of neurons N of generated patterns. Required when ``X`` is
        None; otherwise it defaults to (and must equal) ``X.shape[1]``.
    X : array-like of shape (n_pool, n_features), default=None
        Pool of patterns (-1 / +1, 0 / 1 or bool) to draw each trial's
        patterns from, without replacement, instead of generating i.i.d.
        random ones: use it for structured data such as
        :func:`~sklearn_klrhop.datasets.load_digit_patterns`.
    noise : float in [0, 1], default=0.2
        Fraction of cue bits flipped.
    n_trials : int, default=5
        Independent pattern sets per load.
    n_cues : int, default=None
        Patterns recalled per trial; ``None`` recalls all P.
    update : {"sync", "async"}, default=None
        Retrieval dynamics; ``None`` uses the estimator's ``update``.
    criterion : "exact" or float in [-1, 1], default="exact"
        ``"exact"``: success means convergence to the target; a float ``c``:
        a final overlap of at least ``c``.
    random_state : int, RandomState instance or None, default=None
        Seeds the patterns, test cues and noise. Pass an int for reproducible
        output across multiple function calls.
    n_jobs : int, default=None
        Number of jobs to run in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context. ``-1`` means using all
        processors.
    verbose : int, default=0
        Progress output: with tqdm installed a progress bar when > 0,
        otherwise joblib's messages.

    Returns
    -------
    curve : CapacityCurve
        ``loads``, ``scores`` and ``overlaps`` of shape (n_loads, n_trials),
        ``mean``, ``std`` and ``capacity(threshold)``.

    See Also
    --------
    noise_curve : Recall rate against cue noise at a fixed load.
    CapacityCurveDisplay : Plot of the curve.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import capacity_curve
    >>> curve = capacity_curve(KLRHopfieldMemory(gamma=0.2), [1, 4], n_features=50,
    ...                        n_trials=2, n_cues=20, random_state=0)
    >>> curve.scores.shape, curve.mean.tolist(), curve.capacity()
    ((2, 2), [1.0, 1.0], 4.0)
    """
    check_instance(estimator)
    loads = check_grid(loads, "loads")
    pool, n_features = check_pool(X, n_features)
    n_patterns = check_loads(loads, n_features, pool)
    rng = check_random_state(random_state)
    seeds = rng.randint(SEED_MAX, size=(len(loads), n_trials))
    jobs = [
        {
            "n_patterns": int(n_patterns[i]),
            "n_features": n_features,
            "pool": pool,
            "noise_levels": [noise],
            "n_cues": n_cues,
            "update": update,
            "criterion": criterion,
            "seed": int(seeds[i, t]),
        }
        for i in range(len(loads))
        for t in range(n_trials)
    ]
    results = run_tasks(estimator, jobs, n_jobs, verbose, "capacity_curve")
    res = np.array(results).reshape(len(loads), n_trials, 2)
    return CapacityCurve(
        loads,
        res[..., 0],
        res[..., 1],
        n_features=n_features,
        n_patterns=n_patterns,
        criterion=criterion,
    )


@validate_params(
    {
        **COMMON_CONSTRAINTS,
        "noise_levels": ["array-like"],
        "load": [Interval(Real, 0, None, closed="neither"), None],
    },
    prefer_skip_nested_validation=False,
)
def noise_curve(estimator, noise_levels, *, load=None, n_features=None, X=None,
                n_trials=5, n_cues=None, update=None, criterion="exact",
                random_state=None, n_jobs=None, verbose=0):  # fmt: skip
    """Recall rate of a memory against cue noise at a fixed load: its basin size.

    Each trial stores ``P = round(load * N)`` patterns (halves rounded up, as
    in every curve) in a clone of
    ``estimator`` once and recalls them (or ``n_cues`` of them) at every noise
    level, so the levels of a trial are compared on the same memory. Trials
    run in parallel with seeds drawn up front from ``random_state``: the
    numbers are identical for any ``n_jobs`` and joblib backend.

    Parameters
    ----------
    estimator : estimator object
        A memory: implements ``fit`` and ``retrieve``. Cloned per trial; if its
        ``random_state`` is None, each clone gets the trial's seed.
    noise_levels : array-like of shape (n_levels,)
        Fractions of cue bits flipped, each in [0, 1].
    load : float, default=None
        Load P / N. ``None`` stores the whole pool ``X`` (then required).
    n_features : int, default=None
        Number of neurons N of generated patterns. Required when ``X`` is
        None; otherwise it defaults to (and must equal) ``X.shape[1]``.
    X : array-like of shape (n_pool, n_features), default=None
        Pool of patterns to draw from instead of generating random ones.
    n_trials : int, default=5
        Independent memories (pattern sets).
    n_cues : int, default=None
        Patterns recalled per trial and noise level; ``None`` recalls all P.
    update : {"sync", "async"}, default=None
        Retrieval dynamics; ``None`` uses the estimator's ``update``.
    criterion : "exact" or float in [-1, 1], default="exact"
        ``"exact"``: success means convergence to the target; a float ``c``:
        a final overlap of at least ``c``.
    random_state : int, RandomState instance or None, default=None
        Seeds the patterns, test cues and noise. Pass an int for reproducible
        output across multiple function calls.
    n_jobs : int, default=None
        Number of jobs to run in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context. ``-1`` means using all
        processors.
    verbose : int, default=0
        Progress output: with tqdm installed a progress bar when > 0,
        otherwise joblib's messages.

    Returns
    -------
    curve : NoiseCurve
        ``noise_levels``, ``scores`` and ``overlaps`` of shape
        (n_levels, n_trials), ``mean``, ``std`` and ``basin(threshold)``.

    See Also
    --------
    capacity_curve : Recall rate against load.
    NoiseCurveDisplay : Plot of the curve.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import noise_curve
    >>> curve = noise_curve(KLRHopfieldMemory(gamma=0.2), [0.1, 0.3, 0.5], load=2,
    ...                     n_features=50, n_trials=2, n_cues=20, random_state=0)
    >>> curve.mean.tolist(), curve.basin()
    ([1.0, 0.825, 0.0], 0.1)
    """
    check_instance(estimator)
    noise_levels = check_grid(noise_levels, "noise_levels")
    if not ((noise_levels >= 0) & (noise_levels <= 1)).all():
        raise ValueError(
            f"noise_levels must lie in [0, 1] (fractions of bits flipped); got "
            f"{noise_levels.tolist()}."
        )
    pool, n_features = check_pool(X, n_features)
    n_patterns = check_load(load, n_features, pool)
    rng = check_random_state(random_state)
    seeds = rng.randint(SEED_MAX, size=n_trials)
    jobs = [
        {
            "n_patterns": n_patterns,
            "n_features": n_features,
            "pool": pool,
            "noise_levels": noise_levels.tolist(),
            "n_cues": n_cues,
            "update": update,
            "criterion": criterion,
            "seed": int(seed),
        }
        for seed in seeds
    ]
    results = run_tasks(estimator, jobs, n_jobs, verbose, "noise_curve")
    res = np.array(results).transpose(1, 0, 2)  # (n_levels, n_trials, 2)
    return NoiseCurve(
        noise_levels,
        res[..., 0],
        res[..., 1],
        n_features=n_features,
        n_patterns=n_patterns,
        criterion=criterion,
    )
