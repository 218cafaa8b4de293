"""Displays of the attractor geometry: morphing, field SNR and retrieval outcomes."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._plotting import axes, pyplot
from ._morphing import morphing_curve
from ._outcomes import OUTCOMES, retrieval_outcomes
from ._snr import field_snr

_COLORS = {
    "a": "tab:blue",
    "b": "tab:orange",
    "target": "tab:green",
    "other": "tab:red",
    "spurious": "tab:purple",
    "cycle": "tab:brown",
    "not_converged": "tab:gray",
}


class MorphingDisplay:
    """Capture rates, convergence time and pseudo-energy along a morphing path.

    Three axes share the x axis, the fraction of the differing bits taken from
    b: the fraction of states captured by a, by b and by anything else that
    occurred; the mean steps to converge; and the mean +/- sd pseudo-energy
    of the states on the path. A dotted line marks the boundary (capture by b
    reaches 50 %) and, where it differs, a dash-dotted one the edge of a's
    basin. Build it with :meth:`from_estimator` or :meth:`from_result`.

    Parameters
    ----------
    curve : MorphingCurve
        The result of :func:`~sklearn_klrhop.inspection.morphing_curve`.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        Capture-rate curve of each outcome shown.
    steps_line_ : matplotlib Line2D
        Mean steps to converge.
    energy_line_ : matplotlib Line2D
        Mean pseudo-energy.
    ax_ : ndarray of 3 matplotlib Axes
        Capture rates, steps and energy.
    figure_ : matplotlib Figure
        Figure containing the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import MorphingDisplay
    >>> X = make_patterns(100, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    >>> disp = MorphingDisplay.from_estimator(mem, X[0], X[1], random_state=0)
    >>> sorted(disp.lines_)
    ['a', 'b', 'other']
    """

    def __init__(self, *, curve):
        self.curve = curve

    @classmethod
    def from_estimator(cls, memory, a, b, *, n_points=21, n_repeats=10, update=None,
                       random_state=None, n_jobs=None, ax=None):  # fmt: skip
        """Run :func:`~sklearn_klrhop.inspection.morphing_curve` and plot it.

        Parameters
        ----------
        memory : estimator object
            A fitted memory.
        a, b : array-like of shape (n_features,)
            Two different stored patterns.
        n_points : int, default=21
            Points on the path, ends included.
        n_repeats : int, default=10
            Paths, each with its own order of the differing bits.
        update : {"sync", "async"}, default=None
            Dynamics; ``None`` uses the memory's ``update``.
        random_state : int, RandomState instance or None, default=None
            Seeds the paths and the asynchronous orders.
        n_jobs : int, default=None
            Number of jobs to run in parallel.
        ax : sequence of 3 matplotlib Axes, default=None
            Axes for the rates, the steps and the energy; ``None`` creates a
            figure.

        Returns
        -------
        display : MorphingDisplay
        """
        pyplot(f"{cls.__name__}.from_estimator")
        curve = morphing_curve(memory, a, b, n_points=n_points, n_repeats=n_repeats,
                               update=update, random_state=random_state,
                               n_jobs=n_jobs)  # fmt: skip
        return cls.from_result(curve, ax=ax)

    @classmethod
    def from_result(cls, curve, *, ax=None):
        """Plot a morphing curve computed before.

        Parameters
        ----------
        curve : MorphingCurve
            The result of :func:`~sklearn_klrhop.inspection.morphing_curve`.
        ax : sequence of 3 matplotlib Axes, default=None
            Axes for the rates, the steps and the energy; ``None`` creates a
            figure.

        Returns
        -------
        display : MorphingDisplay
        """
        return cls(curve=curve).plot(ax=ax)

    def plot(self, ax=None):
        """Plot the capture rates, the convergence time and the energy.

        Parameters
        ----------
        ax : sequence of 3 matplotlib Axes, default=None
            Axes for the rates, the steps and the energy; ``None`` creates a
            figure.

        Returns
        -------
        display : MorphingDisplay
            The display, with ``ax_``, ``figure_`` and the lines set.
        """
        plt = pyplot(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots(3, 1, sharex=True, figsize=(6, 6.5))
        if len(ax) != 3:
            raise ValueError(
                "ax must be a sequence of three Axes: rates, steps and energy."
            )
        rates_ax, steps_ax, energy_ax = ax
        curve, x = self.curve, self.curve.fractions
        self.lines_ = {}
        for name, rate in curve.rates.items():
            if name in ("a", "b") or rate.any():
                (self.lines_[name],) = rates_ax.plot(
                    x, rate, marker="o", markersize=3, color=_COLORS[name],
                    label=f"captured by {name}" if name in "ab" else name,
                )  # fmt: skip
        rates_ax.set_ylabel("Fraction of states")
        rates_ax.set_ylim(-0.02, 1.02)
        rates_ax.legend(fontsize=7, loc="center left")
        (self.steps_line_,) = steps_ax.plot(x, curve.mean_steps, "k.-")
        steps_ax.set_ylabel("Mean steps\nto converge")
        mean, sd = curve.energy.mean(axis=1), curve.energy.std(axis=1)
        (self.energy_line_,) = energy_ax.plot(x, mean, color="tab:green")
        energy_ax.fill_between(x, mean - sd, mean + sd, color="tab:green", alpha=0.2)
        energy_ax.set_ylabel("Pseudo-energy V(s)")
        energy_ax.set_xlabel("Fraction of the differing bits taken from b")
        edge = curve.crossing(0.5, "a")
        for a in ax:
            a.axvline(curve.boundary, color="k", linestyle=":", linewidth=1)
            if abs(edge - curve.boundary) > 1e-9:
                a.axvline(edge, color="k", linestyle="-.", linewidth=0.8)
        self.ax_ = np.asarray(ax, dtype=object)
        self.figure_ = rates_ax.figure
        return self


class FieldSNRDisplay:
    """Histogram of the target-aligned fields with the Gaussian of the SNR.

    Build it with :meth:`from_estimator` or :meth:`from_result`. A bit is set
    wrong by one synchronous step where its aligned field is negative (left of
    the dotted line); the Gaussian with the same mean and standard deviation
    is what the SNR and the predicted one-step error assume.

    Parameters
    ----------
    snr : FieldSNR
        The result of :func:`~sklearn_klrhop.inspection.field_snr`.

    Attributes
    ----------
    hist_ : list of matplotlib Patch
        The histogram bars.
    gaussian_line_ : matplotlib Line2D
        The Gaussian density.
    ax_ : matplotlib Axes
        Axes with the histogram.
    figure_ : matplotlib Figure
        Figure containing the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import HebbianHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import FieldSNRDisplay
    >>> X = make_patterns(20, 200, random_state=0)
    >>> disp = FieldSNRDisplay.from_estimator(HebbianHopfieldMemory().fit(X), X)
    >>> disp.ax_.get_xlabel()
    'Target-aligned field xi_i h_i(s)'
    """

    def __init__(self, *, snr):
        self.snr = snr

    @classmethod
    def from_estimator(cls, memory, X, *, noise=0.0, random_state=None, ax=None,
                       bins=60):  # fmt: skip
        """Run :func:`~sklearn_klrhop.inspection.field_snr` and plot it.

        Parameters
        ----------
        memory : estimator object
            A fitted memory.
        X : array-like of shape (n_cues, n_features)
            Stored patterns.
        noise : float in [0, 1], default=0.0
            Fraction of bits flipped in each cue.
        random_state : int, RandomState instance or None, default=None
            Seeds the flipped bits.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        bins : int, default=60
            Histogram bins.

        Returns
        -------
        display : FieldSNRDisplay
        """
        pyplot(f"{cls.__name__}.from_estimator")
        snr = field_snr(memory, X, noise=noise, random_state=random_state)
        return cls(snr=snr).plot(ax=ax, bins=bins)

    @classmethod
    def from_result(cls, snr, *, ax=None, bins=60):
        """Plot a field SNR computed before.

        Parameters
        ----------
        snr : FieldSNR
            The result of :func:`~sklearn_klrhop.inspection.field_snr`.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        bins : int, default=60
            Histogram bins.

        Returns
        -------
        display : FieldSNRDisplay
        """
        return cls(snr=snr).plot(ax=ax, bins=bins)

    def plot(self, ax=None, *, bins=60):
        """Plot the histogram, the Gaussian and the decision threshold.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        bins : int, default=60
            Histogram bins.

        Returns
        -------
        display : FieldSNRDisplay
            The display, with ``ax_``, ``figure_``, ``hist_`` and
            ``gaussian_line_`` set.
        """
        ax = axes(ax, f"{type(self).__name__}.plot")
        snr = self.snr
        x = snr.aligned.ravel()
        _, edges, self.hist_ = ax.hist(x, bins=bins, density=True, alpha=0.5,
                                       label="measured")  # fmt: skip
        grid = np.linspace(min(edges[0], 0.0), edges[-1], 400)
        sd = max(float(x.std()), np.finfo(float).tiny)
        density = np.exp(-0.5 * ((grid - snr.signal) / sd) ** 2) / (
            sd * np.sqrt(2 * np.pi)
        )
        (self.gaussian_line_,) = ax.plot(grid, density, "k-", linewidth=1,
                                         label="Gaussian, same mean and sd")  # fmt: skip
        ax.axvline(0.0, color="tab:red", linestyle=":", linewidth=1)
        ax.set_xlabel("Target-aligned field xi_i h_i(s)")
        ax.set_ylabel("Density")
        ax.set_title(
            f"P/N = {snr.load:.3g}, noise {snr.noise:.0%}: SNR = {snr.snr:.3g}\n"
            f"one-step error {snr.measured_error:.3g} "
            f"(Gaussian {snr.predicted_error:.3g})",
            fontsize=9,
        )
        ax.legend(fontsize=8)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class RetrievalOutcomesDisplay:
    """Bar chart of where retrieval ended: target, other pattern, spurious, ...

    Build it with :meth:`from_estimator` or :meth:`from_result`.

    Parameters
    ----------
    outcomes : RetrievalOutcomes
        The result of :func:`~sklearn_klrhop.inspection.retrieval_outcomes`.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        One bar per outcome.
    ax_ : matplotlib Axes
        Axes with the bars.
    figure_ : matplotlib Figure
        Figure containing the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.inspection import RetrievalOutcomesDisplay
    >>> X = make_patterns(100, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.1).fit(X)
    >>> cues = corrupt(X, 0.2, random_state=0)
    >>> disp = RetrievalOutcomesDisplay.from_estimator(mem, cues, X)
    >>> [round(float(b.get_height()), 2) for b in disp.bars_]
    [1.0, 0.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, *, outcomes):
        self.outcomes = outcomes

    @classmethod
    def from_estimator(cls, memory, cues, targets, *, update=None, ax=None):
        """Run :func:`~sklearn_klrhop.inspection.retrieval_outcomes` and plot it.

        Parameters
        ----------
        memory : estimator object
            A fitted memory.
        cues : array-like of shape (n_cues, n_features)
            Cues.
        targets : array-like of shape (n_cues, n_features)
            The pattern each cue should be retrieved as.
        update : {"sync", "async"}, default=None
            Dynamics; ``None`` uses the memory's ``update``.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.

        Returns
        -------
        display : RetrievalOutcomesDisplay
        """
        pyplot(f"{cls.__name__}.from_estimator")
        outcomes = retrieval_outcomes(memory, cues, targets, update=update)
        return cls(outcomes=outcomes).plot(ax=ax)

    @classmethod
    def from_result(cls, outcomes, *, ax=None):
        """Plot outcomes computed before.

        Parameters
        ----------
        outcomes : RetrievalOutcomes
            The result of :func:`~sklearn_klrhop.inspection.retrieval_outcomes`.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.

        Returns
        -------
        display : RetrievalOutcomesDisplay
        """
        return cls(outcomes=outcomes).plot(ax=ax)

    def plot(self, ax=None):
        """Plot the fraction of cues in each outcome.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.

        Returns
        -------
        display : RetrievalOutcomesDisplay
            The display, with ``ax_``, ``figure_`` and ``bars_`` set.
        """
        ax = axes(ax, f"{type(self).__name__}.plot")
        fractions = self.outcomes.fractions
        self.bars_ = ax.bar(
            [k.replace("_", " ") for k in OUTCOMES],
            [fractions[k] for k in OUTCOMES],
            color=[_COLORS[k] for k in OUTCOMES],
        )
        ax.set_ylabel("Fraction of cues")
        ax.set_ylim(0, 1.05)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
