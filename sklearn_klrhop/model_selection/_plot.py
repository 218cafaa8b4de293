"""Displays of the recall curves: capacity, noise (basin) and sequence capacity."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._plotting import axes, plot_band, pyplot
from ._capacity import capacity_curve, noise_curve
from ._sequence import sequence_capacity_curve

_PLOT_PARAMS = """ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure. Pass the same axes
            again to overlay several curves.
        label : str, default=None
            Legend entry; ``None`` names the estimator and N.
        std_display_style : {"fill_between", "errorbar"} or None, \
                default="fill_between"
            How to show the standard deviation over trials (cut at 0 and 1).
        line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.plot` (or
            ``errorbar``).
        fill_between_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.fill_between`."""


def _fill_plot_params(method):
    method.__doc__ = method.__doc__.replace("%(plot_params)s", _PLOT_PARAMS)
    return method


class _BaseCurveDisplay:
    """A recall rate (mean +/- sd over trials) against the swept quantity.

    A subclass stores its grid under its own name (the constructor's first
    keyword, the one its curve result holds), returns it from ``_grid`` and
    sets ``_xlabel``.
    """

    _xlabel = ""
    _ylabel = "Recall rate"

    def _grid(self):
        """``(name, values)`` of the swept quantity."""
        raise NotImplementedError

    @_fill_plot_params
    def plot(self, ax=None, *, label=None, std_display_style="fill_between",
             line_kw=None, fill_between_kw=None):  # fmt: skip
        """Plot the curve.

        Parameters
        ----------
        %(plot_params)s

        Returns
        -------
        display : object
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``fill_between_`` (or ``errorbar_``) set.
        """
        ax = axes(ax, f"{type(self).__name__}.plot")
        scores = np.asarray(self.scores, dtype=float)
        if label is None:
            parts = [self.estimator_name]
            if self.n_features is not None:
                parts.append(f"N={self.n_features}")
            label = ", ".join(p for p in parts if p) or None
        line, band = plot_band(
            ax,
            np.asarray(self._grid()[1], dtype=float),
            scores.mean(axis=1),
            scores.std(axis=1),
            label=label,
            style=std_display_style,
            line_kw=line_kw,
            fill_between_kw=fill_between_kw,
            bounds=(0.0, 1.0),  # a recall rate: the band stops at 0 and 1
        )
        self.lines_ = [line]
        self.fill_between_ = band if std_display_style == "fill_between" else None
        self.errorbar_ = band if std_display_style == "errorbar" else None
        ax.set_xlabel(self._xlabel)
        ax.set_ylabel(self._ylabel)
        ax.set_ylim(-0.02, 1.02)
        if label is not None:
            ax.legend(loc="best")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    @_fill_plot_params
    def from_result(cls, curve, *, estimator_name=None, ax=None, label=None,
                    std_display_style="fill_between", line_kw=None,
                    fill_between_kw=None):  # fmt: skip
        """Plot a curve computed before.

        Parameters
        ----------
        curve : CapacityCurve, NoiseCurve or SequenceCapacityCurve
            The result of the function this display plots.
        estimator_name : str, default=None
            Name shown in the legend.
        %(plot_params)s

        Returns
        -------
        display : object
            The display of that curve.
        """
        name, grid = curve._grid()
        viz = cls(
            **{name: grid},
            scores=curve.scores,
            n_features=curve.n_features,
            estimator_name=estimator_name,
        )
        return viz.plot(ax=ax, label=label, std_display_style=std_display_style,
                        line_kw=line_kw, fill_between_kw=fill_between_kw)  # fmt: skip


class CapacityCurveDisplay(_BaseCurveDisplay):
    """Recall rate of a memory against its load P / N.

    Build it with :meth:`from_estimator` (runs
    :func:`~sklearn_klrhop.model_selection.capacity_curve`) or
    :meth:`from_result`; the constructor only stores the data.

    Parameters
    ----------
    loads : array-like of shape (n_loads,)
        Loads P / N.
    scores : array-like of shape (n_loads, n_trials)
        Recall rate of each trial.
    n_features : int, default=None
        Number of neurons N, shown in the legend.
    estimator_name : str, default=None
        Name shown in the legend.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve.
    fill_between_ : matplotlib PolyCollection or None
        The +/- one standard deviation band.
    errorbar_ : matplotlib ErrorbarContainer or None
        Error bars, with ``std_display_style="errorbar"``.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.
    curve_ : CapacityCurve
        The computed curve; only set by :meth:`from_estimator`.

    See Also
    --------
    capacity_curve : Computes the curve.
    NoiseCurveDisplay : Recall rate against cue noise.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import CapacityCurveDisplay
    >>> disp = CapacityCurveDisplay.from_estimator(
    ...     KLRHopfieldMemory(gamma=0.2), [1, 3], n_features=50, n_trials=2,
    ...     n_cues=10, random_state=0)
    >>> disp.lines_[0].get_ydata().tolist()
    [1.0, 1.0]
    """

    _xlabel = "Load P / N"

    def __init__(self, *, loads, scores, n_features=None, estimator_name=None):
        self.loads = loads
        self.scores = scores
        self.n_features = n_features
        self.estimator_name = estimator_name

    def _grid(self):
        return "loads", self.loads

    @classmethod
    @_fill_plot_params
    def from_estimator(cls, estimator, loads, *, n_features=None, X=None,
                       noise=0.2, n_trials=5, n_cues=None, update=None,
                       criterion="exact", random_state=None, n_jobs=None,
                       verbose=0, ax=None, label=None,
                       std_display_style="fill_between", line_kw=None,
                       fill_between_kw=None):  # fmt: skip
        """Compute a capacity curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            A memory (implements ``fit`` and ``retrieve``).
        loads : array-like of shape (n_loads,)
            Loads P / N.
        n_features, X, noise, n_trials, n_cues, update, criterion, \
random_state, n_jobs, verbose : as in capacity_curve
            See :func:`~sklearn_klrhop.model_selection.capacity_curve`.
        %(plot_params)s

        Returns
        -------
        display : CapacityCurveDisplay
            With the computed curve in ``curve_``.
        """
        pyplot(f"{cls.__name__}.from_estimator")
        curve = capacity_curve(
            estimator, loads, n_features=n_features, X=X, noise=noise,
            n_trials=n_trials, n_cues=n_cues, update=update, criterion=criterion,
            random_state=random_state, n_jobs=n_jobs, verbose=verbose,
        )  # fmt: skip
        viz = cls.from_result(
            curve, estimator_name=type(estimator).__name__, ax=ax, label=label,
            std_display_style=std_display_style, line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )  # fmt: skip
        viz.curve_ = curve
        return viz


class NoiseCurveDisplay(_BaseCurveDisplay):
    """Recall rate of a memory against cue noise at a fixed load (basin size).

    Build it with :meth:`from_estimator` (runs
    :func:`~sklearn_klrhop.model_selection.noise_curve`) or
    :meth:`from_result`; the constructor only stores the data.

    Parameters
    ----------
    noise_levels : array-like of shape (n_levels,)
        Fractions of cue bits flipped.
    scores : array-like of shape (n_levels, n_trials)
        Recall rate of each trial.
    n_features : int, default=None
        Number of neurons N, shown in the legend.
    estimator_name : str, default=None
        Name shown in the legend.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve.
    fill_between_ : matplotlib PolyCollection or None
        The +/- one standard deviation band.
    errorbar_ : matplotlib ErrorbarContainer or None
        Error bars, with ``std_display_style="errorbar"``.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.
    curve_ : NoiseCurve
        The computed curve; only set by :meth:`from_estimator`.

    See Also
    --------
    noise_curve : Computes the curve.
    CapacityCurveDisplay : Recall rate against load.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import NoiseCurveDisplay
    >>> disp = NoiseCurveDisplay.from_estimator(
    ...     KLRHopfieldMemory(gamma=0.2), [0.0, 0.2, 0.5], load=1, n_features=50,
    ...     n_trials=2, n_cues=10, random_state=0)
    >>> disp.lines_[0].get_ydata().tolist()
    [1.0, 1.0, 0.0]
    """

    _xlabel = "Cue noise (fraction of bits flipped)"

    def __init__(self, *, noise_levels, scores, n_features=None, estimator_name=None):
        self.noise_levels = noise_levels
        self.scores = scores
        self.n_features = n_features
        self.estimator_name = estimator_name

    def _grid(self):
        return "noise_levels", self.noise_levels

    @classmethod
    @_fill_plot_params
    def from_estimator(cls, estimator, noise_levels, *, load=None, n_features=None,
                       X=None, n_trials=5, n_cues=None, update=None,
                       criterion="exact", random_state=None, n_jobs=None,
                       verbose=0, ax=None, label=None,
                       std_display_style="fill_between", line_kw=None,
                       fill_between_kw=None):  # fmt: skip
        """Compute a noise curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            A memory (implements ``fit`` and ``retrieve``).
        noise_levels : array-like of shape (n_levels,)
            Fractions of cue bits flipped.
        load, n_features, X, n_trials, n_cues, update, criterion, \
random_state, n_jobs, verbose : as in noise_curve
            See :func:`~sklearn_klrhop.model_selection.noise_curve`.
        %(plot_params)s

        Returns
        -------
        display : NoiseCurveDisplay
            With the computed curve in ``curve_``.
        """
        pyplot(f"{cls.__name__}.from_estimator")
        curve = noise_curve(
            estimator, noise_levels, load=load, n_features=n_features, X=X,
            n_trials=n_trials, n_cues=n_cues, update=update, criterion=criterion,
            random_state=random_state, n_jobs=n_jobs, verbose=verbose,
        )  # fmt: skip
        viz = cls.from_result(
            curve, estimator_name=type(estimator).__name__, ax=ax, label=label,
            std_display_style=std_display_style, line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )  # fmt: skip
        viz.curve_ = curve
        return viz


class SequenceCapacityCurveDisplay(_BaseCurveDisplay):
    """Sequence recall of a memory against the length P / N of the sequence.

    Build it with :meth:`from_estimator` (runs
    :func:`~sklearn_klrhop.model_selection.sequence_capacity_curve`) or
    :meth:`from_result`; the constructor only stores the data.

    Parameters
    ----------
    loads : array-like of shape (n_loads,)
        Loads P / N.
    scores : array-like of shape (n_loads, n_trials)
        Sequence recall of each trial.
    n_features : int, default=None
        Number of neurons N, shown in the legend.
    estimator_name : str, default=None
        Name shown in the legend.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve.
    fill_between_ : matplotlib PolyCollection or None
        The +/- one standard deviation band.
    errorbar_ : matplotlib ErrorbarContainer or None
        Error bars, with ``std_display_style="errorbar"``.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.
    curve_ : SequenceCapacityCurve
        The computed curve; only set by :meth:`from_estimator`.

    See Also
    --------
    sequence_capacity_curve : Computes the curve.
    CapacityCurveDisplay : Recall of patterns against load.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.model_selection import SequenceCapacityCurveDisplay
    >>> disp = SequenceCapacityCurveDisplay.from_estimator(
    ...     KLRHopfieldMemory(gamma=0.1), [4, 16], n_features=50, noise=0.1,
    ...     n_trials=2, n_cues=10, random_state=0)
    >>> disp.lines_[0].get_ydata().tolist()
    [1.0, 1.0]
    """

    _xlabel = "Load P / N (length of the sequence / N)"
    _ylabel = "Sequence recall"

    def __init__(self, *, loads, scores, n_features=None, estimator_name=None):
        self.loads = loads
        self.scores = scores
        self.n_features = n_features
        self.estimator_name = estimator_name

    def _grid(self):
        return "loads", self.loads

    @classmethod
    @_fill_plot_params
    def from_estimator(cls, estimator, loads, *, n_features=None, X=None,
                       noise=0.1, cyclic=True, n_steps=10, transient=0,
                       n_trials=5, n_cues=None, random_state=None, n_jobs=None,
                       verbose=0, ax=None, label=None,
                       std_display_style="fill_between", line_kw=None,
                       fill_between_kw=None):  # fmt: skip
        """Compute a sequence capacity curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            A memory that learns targets (implements ``fit`` and ``replay``).
        loads : array-like of shape (n_loads,)
            Loads P / N.
        n_features, X, noise, cyclic, n_steps, transient, n_trials, n_cues, \
random_state, n_jobs, verbose : as in sequence_capacity_curve
            See :func:`~sklearn_klrhop.model_selection.sequence_capacity_curve`.
        %(plot_params)s

        Returns
        -------
        display : SequenceCapacityCurveDisplay
            With the computed curve in ``curve_``.
        """
        pyplot(f"{cls.__name__}.from_estimator")
        curve = sequence_capacity_curve(
            estimator, loads, n_features=n_features, X=X, noise=noise,
            cyclic=cyclic, n_steps=n_steps, transient=transient,
            n_trials=n_trials, n_cues=n_cues, random_state=random_state,
            n_jobs=n_jobs, verbose=verbose,
        )  # fmt: skip
        viz = cls.from_result(
            curve, estimator_name=type(estimator).__name__, ax=ax, label=label,
            std_display_style=std_display_style, line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )  # fmt: skip
        viz.curve_ = curve
        return viz
