"""Completion curve: recall against the fraction of hidden bits, clamped and free."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from .._encoding import fraction_count, read_states, recall_hits
from ._sweep import (
    COMMON_CONSTRAINTS,
    SEED_MAX,
    RecallCurve,
    check_grid,
    check_instance,
    check_load,
    check_pool,
    fit_and_choose,
    run_tasks,
)


class CompletionCurve(RecallCurve):
    """Recall rate against the fraction of hidden bits, from :func:`completion_curve`.

    Parameters
    ----------
    hidden_fractions : array-like of shape (n_fractions,)
        Fractions of the bits of each cue that are hidden (unknown).
    scores : array-like of shape (n_clamp, n_fractions, n_trials)
        Recall rate of each trial, for each clamp setting.
    overlaps : array-like of shape (n_clamp, n_fractions, n_trials)
        Mean final overlap with the target of each trial.
    clamp : tuple of bool of length n_clamp
        Whether the known bits were clamped, for each first index of
        ``scores``.
    n_features : int
        Number of neurons N.
    n_patterns : int
        Patterns stored in each trial.
    criterion : "exact" or float
        Success criterion of a recall.

    Attributes
    ----------
    n_hidden : ndarray of shape (n_fractions,)
        Bits hidden in every cue, ``round(fraction * N)`` (halves up).
    mean : ndarray of shape (n_clamp, n_fractions)
        Mean recall rate over trials.
    std : ndarray of shape (n_clamp, n_fractions)
        Its standard deviation over trials.

    Examples
    --------
    >>> from sklearn_klrhop.model_selection import CompletionCurve
    >>> curve = CompletionCurve([0.0, 0.5, 0.8],
    ...                         [[[1.0], [0.6], [0.0]], [[1.0], [1.0], [0.2]]],
    ...                         [[[1.0], [0.9], [0.3]], [[1.0], [1.0], [0.6]]],
    ...                         clamp=(False, True), n_features=10,
    ...                         n_patterns=20, criterion="exact")
    >>> curve.completion(0.95, clamp=False), curve.completion(0.95, clamp=True)
    (0.0, 0.5)
    """

    def __init__(self, hidden_fractions, scores, overlaps, *, clamp, n_features,
                 n_patterns, criterion):  # fmt: skip
        self.hidden_fractions = np.asarray(hidden_fractions, dtype=float)
        self.clamp = tuple(bool(c) for c in clamp)
        super().__init__(
            scores,
            overlaps,
            n_features=n_features,
            n_patterns=n_patterns,
            criterion=criterion,
        )
        self.n_hidden = fraction_count(self.hidden_fractions, n_features)

    def _grid(self):
        return "hidden_fractions", self.hidden_fractions

    def completion(self, threshold=0.95, *, clamp=True):
        """Largest hidden fraction whose mean recall rate reaches ``threshold``.

        Parameters
        ----------
        threshold : float in [0, 1], default=0.95
            Required mean recall rate.
        clamp : bool, default=True
            Which curve: the clamped or the free one.

        Returns
        -------
        fraction : float
            The largest such fraction of hidden bits, or NaN if no fraction
            reaches the threshold.
        """
        if not 0 <= threshold <= 1:
            raise ValueError(f"threshold must be in [0, 1]; got {threshold!r}.")
        if bool(clamp) not in self.clamp:
            raise ValueError(
                f"This curve was computed with clamp in {self.clamp}; got "
                f"clamp={clamp!r}."
            )
        return self._largest(threshold, self.mean[self.clamp.index(bool(clamp))])

    def __repr__(self):
        means = {c: np.round(m, 3).tolist() for c, m in zip(self.clamp, self.mean)}
        return (
            f"CompletionCurve(n_features={self.n_features}, hidden_fractions="
            f"{np.round(self.hidden_fractions, 4).tolist()}, mean="
            f"{ {('clamped' if c else 'free'): m for c, m in means.items()} })"
        )


def hide_bits(n_cues, n_features, n_hidden, rng):
    """A bool mask hiding ``n_hidden`` bits of each cue, chosen uniformly per cue."""
    ranks = rng.rand(n_cues, n_features).argsort(axis=1)
    return ranks < n_hidden


def completion_task(estimator, n_patterns, n_features, pool, n_hidden, clamp,
                    n_cues, update, criterion, seed):  # fmt: skip
    """Store patterns drawn from ``seed`` and complete some from partial cues.

    For every count of hidden bits one mask is drawn and used for every
    clamp setting, so that clamped and free recall are compared on the same
    cues. Returns ``(recall rate, mean overlap)`` per (clamp, count).
    """
    rng = np.random.RandomState(seed)
    # The same draws as recall_task up to the test cues: a hidden fraction
    # of 0 recalls exactly what a noise-free noise_curve recalls.
    targets = fit_and_choose(estimator, n_patterns, n_features, pool, n_cues, rng)
    out = np.empty((len(clamp), len(n_hidden), 2))
    for j, k in enumerate(n_hidden):
        mask = hide_bits(len(targets), n_features, k, rng)
        cues = np.where(mask, 1, targets)  # hidden bits hold no information
        for i, c in enumerate(clamp):
            res = estimator.retrieve(cues, update=update, mask=mask, clamp=c)
            states, _ = read_states(res.states, "states")
            m = np.einsum("ij,ij->i", states, targets) / n_features
            out[i, j] = recall_hits(states, targets, criterion).mean(), m.mean()
    return out


def _check_clamp(clamp):
    values = np.atleast_1d(np.asarray(clamp, dtype=object))
    if (
        values.ndim != 1
        or values.size == 0
        or not all(isinstance(v, (bool, np.bool_)) for v in values)
    ):
        raise ValueError(
            f"clamp must be a bool or a non-empty sequence of bools such as "
            f"(False, True); got {clamp!r}."
        )
    values = tuple(bool(v) for v in values)
    if len(set(values)) != len(values):
        raise ValueError(f"clamp lists a setting twice: {clamp!r}.")
    return values


def _check_fractions(hidden_fractions, n_features):
    fractions = check_grid(hidden_fractions, "hidden_fractions")
    if not ((fractions >= 0) & (fractions < 1)).all():
        raise ValueError(
            f"hidden_fractions must lie in [0, 1) (fractions of the bits of a cue "
            f"that are unknown); got {fractions.tolist()}."
        )
    n_hidden = fraction_count(fractions, n_features)
    if (n_hidden >= n_features).any():
        bad = fractions[n_hidden >= n_features][0]
        raise ValueError(
            f"hidden fraction {bad} hides round({bad} * N) = {n_features} bits, "
            f"every bit of a cue of N = {n_features}; a partial cue needs at least "
            f"one known bit, so use fractions below {(n_features - 0.5) / n_features:g}."
        )
    return fractions, n_hidden


@validate_params(
    {
        **COMMON_CONSTRAINTS,
        "hidden_fractions": ["array-like"],
        "load": [Interval(Real, 0, None, closed="neither"), None],
        "clamp": ["boolean", "array-like"],
    },
    prefer_skip_nested_validation=False,
)
def completion_curve(estimator, hidden_fractions, *, load=None, n_features=None,
                     X=None, n_trials=5, n_cues=None, update=None,
                     clamp=(False, True), criterion="exact", random_state=None,
                     n_jobs=None, verbose=0):  # fmt: skip
    """Recall rate of a memory against the fraction of hidden bits of its cues.

    Each trial stores ``P = round(load * N)`` patterns (halves rounded up, as
    in every curve; random, or drawn from the pool ``X``) in a clone of
    ``estimator`` once. At every hidden fraction ``f`` it hides
    ``round(f * N)`` bits of each recalled pattern, chosen uniformly at
    random per cue, and completes the cues with
    ``retrieve(cues, mask=hidden, clamp=c)`` for every setting ``c`` of
    ``clamp``, on the same hidden bits. The unknown bits start from the signs
    of their fields computed from the known bits; with ``clamp=True`` the
    known bits never change. Trials run in parallel with seeds drawn up front
    from ``random_state``: the numbers are identical for any ``n_jobs`` and
    joblib backend.

    At a hidden fraction of 0 the free curve is the noise-free recall of the
    stored patterns (the same number as :func:`noise_curve` at a noise of 0
    with the same ``random_state``), and a clamped cue is its own answer.

    Read more in :ref:`completion`.

    Parameters
    ----------
    estimator : estimator object
        An autoassociative memory: implements ``fit`` and ``retrieve`` with
        ``mask`` and ``clamp``. Cloned per trial; if its ``random_state`` is
        None, each clone gets the trial's seed.
    hidden_fractions : array-like of shape (n_fractions,)
        Fractions of the bits of each cue that are hidden, each in [0, 1),
        with ``round(f * N) < N``: a cue keeps at least one known bit.
    load : float, default=None
        Load P / N. ``None`` stores the whole pool ``X`` (then required).
    n_features : int, default=None
        Number of neurons N of generated patterns. Required when ``X`` is
        None; otherwise it defaults to (and must equal) ``X.shape[1]``.
    X : array-like of shape (n_pool, n_features), default=None
        Pool of patterns (-1 / +1, 0 / 1 or bool) to draw each trial's
        patterns from, without replacement, instead of generating i.i.d.
        random ones.
    n_trials : int, default=5
        Independent memories (pattern sets).
    n_cues : int, default=None
        Patterns recalled per trial and hidden fraction; ``None`` recalls all
        P.
    update : {"sync", "async"}, default=None
        Retrieval dynamics; ``None`` uses the estimator's ``update``.
    clamp : bool or sequence of bool, default=(False, True)
        Clamp settings to compare: ``False`` lets the dynamics change the
        known bits (free), ``True`` keeps them fixed (clamped).
    criterion : "exact" or float in [-1, 1], default="exact"
        ``"exact"``: success means convergence to the target; a float ``c``:
        a final overlap of at least ``c``.
    random_state : int, RandomState instance or None, default=None
        Seeds the patterns, test cues and hidden bits. Pass an int for
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
    curve : CompletionCurve
        ``hidden_fractions``, ``clamp``, ``scores`` and ``overlaps`` of shape
        (n_clamp, n_fractions, n_trials), ``mean``, ``std`` and
        ``completion(threshold, clamp=...)``.

    See Also
    --------
    noise_curve : Recall rate against flipped (wrong) bits.
    CompletionCurveDisplay : Plot of the curve.

    Examples
    --------
    A Hebbian memory past its capacity (P / N = 0.2): its stored patterns are
    not fixed points, so free dynamics drift away even from a full cue, while
    clamped dynamics keep the known bits and complete most cues.

    >>> from sklearn_klrhop import HebbianHopfieldMemory
    >>> from sklearn_klrhop.model_selection import completion_curve
    >>> curve = completion_curve(HebbianHopfieldMemory(), [0.0, 0.2], load=0.2,
    ...                          n_features=100, n_trials=2, random_state=0)
    >>> curve.clamp, curve.mean.round(3).tolist()
    ((False, True), [[0.425, 0.4], [1.0, 0.85]])
    >>> curve.completion(0.8, clamp=True), curve.completion(0.8, clamp=False)
    (0.2, nan)
    """
    check_instance(estimator)
    clamp = _check_clamp(clamp)
    pool, n_features = check_pool(X, n_features)
    fractions, n_hidden = _check_fractions(hidden_fractions, n_features)
    n_patterns = check_load(load, n_features, pool)
    rng = check_random_state(random_state)
    seeds = rng.randint(SEED_MAX, size=n_trials)
    jobs = [
        {
            "n_patterns": n_patterns,
            "n_features": n_features,
            "pool": pool,
            "n_hidden": n_hidden.tolist(),
            "clamp": clamp,
            "n_cues": n_cues,
            "update": update,
            "criterion": criterion,
            "seed": int(seed),
        }
        for seed in seeds
    ]
    results = run_tasks(
        estimator, jobs, n_jobs, verbose, "completion_curve", task=completion_task
    )
    res = np.stack(results, axis=2)  # (n_clamp, n_fractions, n_trials, 2)
    return CompletionCurve(
        fractions,
        res[..., 0],
        res[..., 1],
        clamp=clamp,
        n_features=n_features,
        n_patterns=n_patterns,
        criterion=criterion,
    )
