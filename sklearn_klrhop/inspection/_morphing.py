"""Morphing between two stored patterns: who captures the states on the path."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.parallel import Parallel, delayed

from .._encoding import fraction_count, read_cues
from ..retrieval import UPDATES, retrieve
from ._outcomes import classify, stored_index

MORPHING_OUTCOMES = ("a", "b", "other", "spurious", "cycle", "not_converged")
SEED_MAX = np.iinfo(np.int32).max


class MorphingCurve:
    """Capture of the states between two stored patterns, from :func:`morphing_curve`.

    Point k of the path is pattern a with ``n_flipped[k]`` of the bits in
    which b differs from it set to b's values; every repeat takes those bits
    in its own random order.

    Parameters
    ----------
    fractions : array-like of shape (n_points,)
        Fraction of the differing bits taken from b at each point (0 is a,
        1 is b).
    outcomes : array-like of shape (n_points, n_repeats)
        Where each state was retrieved to: ``"a"``, ``"b"``, ``"other"``
        (another stored pattern), ``"spurious"`` (a fixed point that is not
        stored), ``"cycle"`` or ``"not_converged"``.
    n_steps : array-like of shape (n_points, n_repeats)
        Steps (or sweeps) of each retrieval, including the confirming one.
    energy : array-like of shape (n_points, n_repeats)
        Pseudo-energy ``V(s) = -sum_i s_i h_i(s)`` of each state on the path.
    n_differing : int
        Number of bits in which a and b differ.

    Attributes
    ----------
    rates : dict of str to ndarray of shape (n_points,)
        Fraction of the repeats in each outcome, at each point.
    mean_steps : ndarray of shape (n_points,)
        Mean steps of the retrievals that reached a fixed point (NaN where
        none did): the convergence time.
    boundary : float
        Fraction at which the capture by b first reaches 50 %, interpolated
        linearly between points (``crossing(0.5)``; the edge of a's basin is
        ``crossing(0.5, "a")``, the same for a symmetric pair).
    width : float
        Fraction between the capture by b first reaching 10 % and 90 %: the
        sharpness of the boundary.
    barrier : float
        Height of the mean pseudo-energy along the path above the higher of
        its two ends.

    Examples
    --------
    >>> from sklearn_klrhop.inspection import MorphingCurve
    >>> curve = MorphingCurve([0, 0.5, 1], [["a", "a"], ["a", "b"], ["b", "b"]],
    ...                       [[1, 1], [3, 3], [1, 1]],
    ...                       [[-5, -5], [-1, -2], [-5, -5]], n_differing=2)
    >>> curve.rates["b"].tolist(), curve.boundary, curve.barrier
    ([0.0, 0.5, 1.0], 0.5, 3.5)
    """

    def __init__(self, fractions, outcomes, n_steps, energy, *, n_differing):
        self.fractions = np.asarray(fractions, dtype=float)
        self.outcomes = np.asarray(outcomes, dtype=object)
        self.n_steps = np.asarray(n_steps, dtype=int)
        self.energy = np.asarray(energy, dtype=float)
        self.n_differing = n_differing

    @property
    def rates(self):
        """Fraction of the repeats in each outcome, at each point."""
        return {k: np.mean(self.outcomes == k, axis=1) for k in MORPHING_OUTCOMES}

    @property
    def mean_steps(self):
        """Mean steps of the retrievals that reached a fixed point, per point."""
        fixed = np.isin(self.outcomes, ("a", "b", "other", "spurious"))
        total = np.where(fixed, self.n_steps, 0).sum(axis=1)
        count = fixed.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def crossing(self, level, pattern="b"):
        """Fraction at which the capture by ``pattern`` first passes ``level``.

        Parameters
        ----------
        level : float in [0, 1]
            Capture rate.
        pattern : {"a", "b"}, default="b"
            ``"b"``: the first fraction at which the capture by b reaches
            ``level``; ``"a"``: the first at which the capture by a falls to
            ``level`` (the edge of a's basin).

        Returns
        -------
        fraction : float
            Linearly interpolated between the two points around the
            crossing; NaN if the capture never passes ``level``.
        """
        if not 0 <= level <= 1:
            raise ValueError(f"level must be in [0, 1]; got {level!r}.")
        if pattern not in ("a", "b"):
            raise ValueError(f"pattern must be 'a' or 'b'; got {pattern!r}.")
        rate = self.rates[pattern]
        if pattern == "a":  # a falling rate is 1 - rate rising
            rate, level = 1.0 - rate, 1.0 - level
        past = np.flatnonzero(rate >= level)
        if past.size == 0:
            return float("nan")
        k = past[0]
        if k == 0 or rate[k] == rate[k - 1]:
            return float(self.fractions[k])
        x0, x1, y0, y1 = self.fractions[k - 1], self.fractions[k], rate[k - 1], rate[k]
        return float(x0 + (level - y0) * (x1 - x0) / (y1 - y0))

    @property
    def boundary(self):
        """Fraction at which the capture by b first reaches 50 %."""
        return self.crossing(0.5)

    @property
    def width(self):
        """Fraction between the capture by b reaching 10 % and 90 %."""
        return self.crossing(0.9) - self.crossing(0.1)

    @property
    def barrier(self):
        """Mean pseudo-energy along the path above the higher of its ends."""
        mean = self.energy.mean(axis=1)
        return float(mean.max() - max(mean[0], mean[-1]))

    def __repr__(self):
        return (
            f"MorphingCurve(n_points={len(self.fractions)}, "
            f"n_repeats={self.outcomes.shape[1]}, boundary={self.boundary:.3g}, "
            f"width={self.width:.3g}, barrier={self.barrier:.3g})"
        )


def _read_pair(memory, a, b):
    """a and b as -1 / +1 rows of the memory's width, both stored and different."""
    rows = []
    for name, value in (("a", a), ("b", b)):
        arr = np.asarray(value)
        if arr.ndim == 1:
            arr = arr[None, :]
        if arr.ndim != 2 or arr.shape[0] != 1:
            raise ValueError(
                f"{name} must be one state, of shape (n_features,); got an array "
                f"of shape {np.shape(value)}."
            )
        rows.append(arr)
    if rows[0].shape[1] != rows[1].shape[1]:
        raise ValueError(
            f"a and b must have the same width; a has {rows[0].shape[1]} features "
            f"and b has {rows[1].shape[1]}."
        )
    a, b = (read_cues(memory, r, name)[0] for r, name in zip(rows, "ab"))
    index = stored_index(memory.patterns_, np.vstack([a, b]))
    for name, i in zip("ab", index):
        if i < 0:
            raise ValueError(
                f"{name} is not a stored pattern of the memory; morphing runs "
                "between two stored patterns (rows of patterns_)."
            )
    if index[0] == index[1]:
        raise ValueError(
            "a and b are the same stored pattern; pass two different ones."
        )
    return a, b, index


@validate_params(
    {
        "memory": [HasMethods(["fit", "retrieve"])],
        "a": ["array-like"],
        "b": ["array-like"],
        "n_points": [Interval(Integral, 2, None, closed="left")],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "update": [StrOptions(set(UPDATES)), None],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def morphing_curve(memory, a, b, *, n_points=21, n_repeats=10, update=None,
                   random_state=None, n_jobs=None):  # fmt: skip
    """Retrieve the states on paths between two stored patterns.

    Point k of a path is pattern a with ``round(t_k d)`` of the d bits in
    which b differs from a set to b's values (halves up, ``t_k = k /
    (n_points - 1)``), taken in a random order drawn for each repeat; the
    first point is a and the last is b. Every state is retrieved with the
    memory's dynamics and step limit and classified as captured by a, by b,
    by another stored pattern, by a spurious fixed point, by a cycle, or not
    converged; its pseudo-energy and convergence time are recorded. The
    boundary between the basins is where the capture by b reaches 50 %, its
    width the distance from 10 % to 90 % (after Tamamori's morphing
    experiment, arXiv:2605.00366).

    All states of a path are retrieved as one batch; the repeats run in
    parallel with seeds drawn from ``random_state`` before any starts, so the
    numbers are the same for any ``n_jobs`` and joblib backend.

    Read more in :doc:`/attractor_geometry`.

    Parameters
    ----------
    memory : estimator object
        A fitted memory.
    a, b : array-like of shape (n_features,)
        Two different stored patterns, in the memory's encoding.
    n_points : int, default=21
        Points on the path, ends included (at least 2).
    n_repeats : int, default=10
        Paths, each with its own order of the differing bits.
    update : {"sync", "async"}, default=None
        Dynamics; ``None`` uses the memory's ``update``.
    random_state : int, RandomState instance or None, default=None
        Seeds the order of the bits of every path and the asynchronous update
        orders. Pass an int for reproducible output across multiple function
        calls.
    n_jobs : int, default=None
        Number of jobs to run in parallel. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context. ``-1`` means using all
        processors.

    Returns
    -------
    curve : MorphingCurve
        Outcomes, steps and pseudo-energies of shape (n_points, n_repeats);
        ``rates``, ``mean_steps``, ``boundary``, ``width`` and ``barrier``.

    See Also
    --------
    MorphingDisplay : Plot of the curve.
    retrieval_outcomes : The same classification for any cues.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import morphing_curve
    >>> X = make_patterns(100, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    >>> curve = morphing_curve(mem, X[0], X[1], n_points=11, random_state=0)
    >>> float(curve.rates["a"][0]), float(curve.rates["b"][-1])
    (1.0, 1.0)
    >>> round(curve.boundary, 2), round(curve.crossing(0.5, "a"), 2)
    (0.47, 0.47)
    """
    S_a, S_b, (i_a, i_b) = _read_pair(memory, a, b)
    differing = np.flatnonzero(S_a != S_b)
    fractions = np.linspace(0.0, 1.0, n_points)
    n_flipped = fraction_count(fractions, len(differing))
    params = memory._retrieval_params()
    if update is not None:
        params["update"] = update
    seeds = check_random_state(random_state).randint(SEED_MAX, size=n_repeats)
    paths = Parallel(n_jobs=n_jobs)(
        delayed(_path)(memory, S_a, S_b, differing, n_flipped, (i_a, i_b), params, s)
        for s in seeds
    )
    outcomes, n_steps, energy = (np.stack(v, axis=1) for v in zip(*paths))
    return MorphingCurve(
        n_flipped / len(differing),
        outcomes,
        n_steps,
        energy,
        n_differing=len(differing),
    )


def _path(memory, a, b, differing, n_flipped, ends, params, seed):
    """One repeat: the states of a path in one batch, retrieved and classified."""
    rng = np.random.RandomState(seed)
    order = rng.permutation(differing)
    S = np.repeat(a[None, :], len(n_flipped), axis=0)
    take = np.arange(len(order))[None, :] < n_flipped[:, None]  # (n_points, d)
    rows, cols = np.nonzero(take)
    S[rows, order[cols]] = b[order[cols]]
    res = retrieve(memory.engine_, S, **{**params, "random_state": seed})
    index, kind, _ = classify(memory.patterns_, res)
    outcome = np.where(kind == "stored", "other", kind).astype(object)
    outcome[index == ends[0]] = "a"
    outcome[index == ends[1]] = "b"
    return outcome, res.n_steps, memory.engine_.energy(S)
