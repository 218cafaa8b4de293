"""What every recall curve shares: the result base, the rounding rule, the runner.

A curve is a set of independent tasks (a load or a trial each), every one
seeded up front from the curve's ``random_state``, so the numbers are the same
for any ``n_jobs`` and any joblib backend; the tasks run through
:class:`sklearn.utils.parallel.Parallel`, largest first.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.parallel import Parallel, delayed

from .._encoding import fraction_count, read_states, recall_hits
from ..datasets import corrupt, make_patterns

SEED_MAX = np.iinfo(np.int32).max


def n_patterns_for(load, n_features):
    """Patterns stored at ``load = P / N``: ``round(load * N)``, halves up.

    The one rule of every curve (a load of 0.25 at N = 10 stores 3 patterns),
    the same as for the bits of a cue.
    """
    return fraction_count(load, n_features)


class RecallCurve:
    """Recall rates of a sweep: ``scores[i, t]`` is point i of trial t.

    A subclass stores its grid under its own name (``loads``,
    ``noise_levels``) and returns it from ``_grid``.
    """

    def __init__(self, scores, overlaps, *, n_features, n_patterns, criterion):
        self.scores = np.asarray(scores, dtype=float)
        self.overlaps = np.asarray(overlaps, dtype=float)
        self.n_features = n_features
        self.n_patterns = np.asarray(n_patterns)
        self.criterion = criterion

    def _grid(self):
        """``(name, values)`` of the swept quantity."""
        raise NotImplementedError

    @property
    def mean(self):
        """Mean recall rate over trials (the last axis of ``scores``)."""
        return self.scores.mean(axis=-1)

    @property
    def std(self):
        """Standard deviation of the recall rate over trials (the last axis)."""
        return self.scores.std(axis=-1)

    def _largest(self, threshold, mean=None):
        """Largest grid value whose ``mean`` (default: the mean curve) reaches
        ``threshold``, NaN if none does."""
        if not 0 <= threshold <= 1:
            raise ValueError(f"threshold must be in [0, 1]; got {threshold!r}.")
        x = self._grid()[1]
        ok = (self.mean if mean is None else mean) >= threshold
        return float(x[ok].max()) if ok.any() else float("nan")

    def __repr__(self):
        name, x = self._grid()
        return (
            f"{type(self).__name__}(n_features={self.n_features}, "
            f"{name}={np.round(x, 4).tolist()}, mean={np.round(self.mean, 3).tolist()})"
        )


def check_instance(estimator):
    if isinstance(estimator, type):
        raise TypeError(
            f"estimator must be an instance such as {estimator.__name__}(), not the "
            "class itself."
        )


def check_grid(values, name):
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array of numbers.")
    return arr


def check_pool(X, n_features):
    if X is None:
        if n_features is None:
            raise ValueError(
                "Pass n_features (the number of neurons N) to generate random "
                "patterns, or X, a pool of patterns to draw from."
            )
        return None, n_features
    X, _ = read_states(X, "X")
    if n_features is not None and n_features != X.shape[1]:
        raise ValueError(
            f"n_features={n_features} does not match the pool X, which has "
            f"{X.shape[1]} features; pass one or the other."
        )
    return X, X.shape[1]


def check_loads(loads, n_features, pool, min_patterns=1):
    """Patterns stored at each load, checked: at least ``min_patterns``, and
    no more than the pool holds."""
    if not (np.isfinite(loads).all() and (loads > 0).all()):
        raise ValueError(f"loads must be finite and > 0; got {loads.tolist()}.")
    n_patterns = n_patterns_for(loads, n_features)
    if (n_patterns < min_patterns).any():
        few = n_patterns < min_patterns
        raise ValueError(
            f"load {loads[few][0]} stores round(load * N) = {n_patterns[few][0]} "
            f"patterns at N = {n_features}, fewer than {min_patterns}; use loads >= "
            f"{(min_patterns - 0.5) / n_features:g}."
        )
    if pool is not None and n_patterns.max() > len(pool):
        raise ValueError(
            f"load {loads[n_patterns.argmax()]} needs {n_patterns.max()} patterns "
            f"but the pool X has {len(pool)}; the largest load it allows is "
            f"{len(pool) / n_features:g}."
        )
    return n_patterns


def check_load(load, n_features, pool):
    """Patterns stored by every trial at ``load``: ``round(load * N)``, or the
    whole pool when ``load`` is None."""
    if load is None:
        if pool is None:
            raise ValueError("Pass load (P / N), or a pool X to store entirely.")
        return len(pool)
    n_patterns = int(n_patterns_for(load, n_features))
    if n_patterns < 1:
        raise ValueError(
            f"load={load} stores round(load * N) = 0 patterns at N = {n_features}."
        )
    if pool is not None and n_patterns > len(pool):
        raise ValueError(
            f"load={load} needs {n_patterns} patterns but the pool X has {len(pool)}."
        )
    return n_patterns


def draw_patterns(n_patterns, n_features, pool, rng):
    """``n_patterns`` random patterns, or as many rows of ``pool`` in random order."""
    if pool is None:
        return make_patterns(n_patterns, n_features, random_state=rng)
    return pool[rng.choice(len(pool), n_patterns, replace=False)]


def seed_estimator(estimator, rng):
    """Give a memory seeded with None the task's own seed.

    With None it would draw async orders and score noise from the global RNG,
    which differs between workers.
    """
    if estimator.get_params().get("random_state", 0) is None:
        estimator.set_params(random_state=int(rng.randint(SEED_MAX)))


def fit_and_choose(estimator, n_patterns, n_features, pool, n_cues, rng):
    """Fit ``estimator`` on patterns drawn from ``rng``; return the ``n_cues``
    of them to recall (all when ``n_cues`` is None).

    Every recall sweep starts with these draws, in this order, so that equal
    seeds store and test the same patterns across curves.
    """
    patterns = draw_patterns(n_patterns, n_features, pool, rng)
    seed_estimator(estimator, rng)
    estimator.fit(patterns)
    if n_cues is not None and n_cues < n_patterns:
        return patterns[rng.choice(n_patterns, n_cues, replace=False)]
    return patterns


def recall_task(estimator, n_patterns, n_features, pool, noise_levels, n_cues,
                 update, criterion, seed):  # fmt: skip
    """Store patterns drawn from ``seed`` and recall some at each noise level."""
    rng = np.random.RandomState(seed)
    targets = fit_and_choose(estimator, n_patterns, n_features, pool, n_cues, rng)
    out = []
    for noise in noise_levels:
        cues = corrupt(targets, noise, random_state=rng)
        states, _ = read_states(
            estimator.retrieve(cues, update=update).states, "states"
        )
        m = np.einsum("ij,ij->i", states, targets) / n_features
        hits = recall_hits(states, targets, criterion)
        out.append((float(hits.mean()), float(m.mean())))
    return out


def run_tasks(estimator, jobs, n_jobs, verbose, desc, task=recall_task):
    """Run ``task(clone(estimator), **job)`` for every job in parallel.

    ``jobs`` are dicts of task arguments, each with its ``n_patterns`` and
    its ``seed``; results come back in job order.
    """
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is optional
        tqdm = None
    bar = tqdm is not None and verbose > 0
    # Largest tasks first, so that workers finish together.
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i]["n_patterns"])
    parallel = Parallel(
        n_jobs=n_jobs, verbose=0 if bar else verbose, return_as="generator"
    )
    results = parallel(delayed(task)(clone(estimator), **jobs[i]) for i in order)
    out = [None] * len(jobs)
    progress = tqdm(total=len(jobs), desc=desc) if bar else None
    try:
        for k, res in enumerate(results):
            out[order[k]] = res
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
    return out


COMMON_CONSTRAINTS = {
    "estimator": [HasMethods(["fit", "retrieve"])],
    "n_features": [Interval(Integral, 1, None, closed="left"), None],
    "X": ["array-like", None],
    "n_trials": [Interval(Integral, 1, None, closed="left")],
    "n_cues": [Interval(Integral, 1, None, closed="left"), None],
    "update": [StrOptions({"sync", "async"}), None],
    "criterion": [StrOptions({"exact"}), Interval(Real, -1, 1, closed="both")],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
    "verbose": ["verbose"],
}
