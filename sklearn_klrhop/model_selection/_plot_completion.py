"""Display of the completion curve: recall against hidden bits, clamped and free."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._plotting import STD_DISPLAY_STYLES, axes, plot_band, pyplot
from ._completion import completion_curve
from ._plot import _BaseCurveDisplay, _fill_plot_params

_STYLES = {True: ("clamped", "-"), False: ("free", "--")}


class CompletionCurveDisplay(_BaseCurveDisplay):
    """Recall rate of a memory against the fraction of hidden bits, clamped and free.

    One line per clamp setting: solid for clamped known bits, dashed for
    free dynamics, each with its band of one standard deviation over trials,
    cut to [0, 1]. Build it with :meth:`from_estimator` (runs
    :func:`~sklearn_klrhop.model_selection.completion_curve`) or
    :meth:`from_result`; the constructor only stores the data.

    Parameters
    ----------
    hidden_fractions : array-like of shape (n_fractions,)
        Fractions of the bits of each cue that are hidden.
    scores : array-like of shape (n_clamp, n_fractions, n_trials)
        Recall rate of each trial, for each clamp setting.
    clamp : tuple of bool of length n_clamp, default=(False, True)
        The clamp setting of each first index of ``scores``.
    n_features : int, default=None
        Number of neurons N, shown in the legend.
    estimator_name : str, default=None
        Name shown in the legend.

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        The mean curve of each clamp setting, in the order of ``clamp``.
    fill_between_ : list of matplotlib PolyCollection or None
        The bands of one standard deviation, cut to [0, 1].
    errorbar_ : list of matplotlib ErrorbarContainer or None
        Error bars (cut to [0, 1]), with ``std_display_style="errorbar"``.
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure containing the curves.
    curve_ : CompletionCurve
        The computed curve; only set by :meth:`from_estimator`.

    See Also
    --------
    completion_curve : Computes the curve.
    NoiseCurveDisplay : Recall rate against flipped bits.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import HebbianHopfieldMemory
    >>> from sklearn_klrhop.model_selection import CompletionCurveDisplay
    >>> disp = CompletionCurveDisplay.from_estimator(
    ...     HebbianHopfieldMemory(), [0.0, 0.2], load=0.2, n_features=100,
    ...     n_trials=2, random_state=0)
    >>> [line.get_label() for line in disp.lines_]
    ['HebbianHopfieldMemory, N=100, free', 'HebbianHopfieldMemory, N=100, clamped']
    >>> disp.lines_[1].get_ydata().round(3).tolist()
    [1.0, 0.85]
    """

    _xlabel = "Hidden fraction of the cue's bits"

    def __init__(self, *, hidden_fractions, scores, clamp=(False, True),
                 n_features=None, estimator_name=None):  # fmt: skip
        self.hidden_fractions = hidden_fractions
        self.scores = scores
        self.clamp = clamp
        self.n_features = n_features
        self.estimator_name = estimator_name

    def _grid(self):
        return "hidden_fractions", self.hidden_fractions

    def _check(self):
        """``(x, scores, clamp)`` as arrays, shapes checked against each other."""
        x = np.asarray(self.hidden_fractions, dtype=float)
        scores = np.asarray(self.scores, dtype=float)
        clamp = tuple(bool(c) for c in np.atleast_1d(self.clamp))
        if scores.ndim != 3 or scores.shape[:2] != (len(clamp), len(x)):
            raise ValueError(
                f"scores must have shape (n_clamp, n_fractions, n_trials) = "
                f"({len(clamp)}, {len(x)}, n_trials) for clamp={clamp} and "
                f"{len(x)} hidden fractions; got shape {scores.shape}."
            )
        return x, scores, clamp

    @_fill_plot_params
    def plot(self, ax=None, *, label=None, std_display_style="fill_between",
             line_kw=None, fill_between_kw=None):  # fmt: skip
        """Plot the curve of each clamp setting.

        Each curve's legend entry is ``label`` followed by "clamped" or
        "free".

        Parameters
        ----------
        %(plot_params)s

        Returns
        -------
        display : CompletionCurveDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``fill_between_`` (or ``errorbar_``) set.
        """
        if std_display_style not in STD_DISPLAY_STYLES:
            raise ValueError(
                "std_display_style must be 'fill_between', 'errorbar' or None; "
                f"got {std_display_style!r}."
            )
        ax = axes(ax, f"{type(self).__name__}.plot")
        x, scores, clamp = self._check()
        if label is None:
            parts = [self.estimator_name]
            if self.n_features is not None:
                parts.append(f"N={self.n_features}")
            label = ", ".join(p for p in parts if p)
        self.lines_, bands = [], []
        for c, s in zip(clamp, scores):
            line, band = self._plot_one(
                ax, x, s, c, label, std_display_style, line_kw, fill_between_kw
            )
            self.lines_.append(line)
            bands.append(band)
        self.fill_between_ = bands if std_display_style == "fill_between" else None
        self.errorbar_ = bands if std_display_style == "errorbar" else None
        ax.set_xlabel(self._xlabel)
        ax.set_ylabel(self._ylabel)
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="best")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @staticmethod
    def _plot_one(ax, x, scores, clamp, label, style, line_kw, fill_between_kw):
        """One clamp setting's mean and its band, cut to [0, 1]."""
        name, linestyle = _STYLES[clamp]
        mean, std = scores.mean(axis=1), scores.std(axis=1)
        kw = {"linestyle": linestyle, **(line_kw or {})}
        text = f"{label}, {name}" if label else name
        return plot_band(ax, x, mean, std, label=text, style=style, line_kw=kw,
                         fill_between_kw=fill_between_kw, bounds=(0, 1))  # fmt: skip

    @classmethod
    @_fill_plot_params
    def from_result(cls, curve, *, estimator_name=None, ax=None, label=None,
                    std_display_style="fill_between", line_kw=None,
                    fill_between_kw=None):  # fmt: skip
        """Plot a completion curve computed before.

        Parameters
        ----------
        curve : CompletionCurve
            The result of :func:`~sklearn_klrhop.model_selection.completion_curve`.
        estimator_name : str, default=None
            Name shown in the legend.
        %(plot_params)s

        Returns
        -------
        display : CompletionCurveDisplay
            The display of that curve.
        """
        viz = cls(
            hidden_fractions=curve.hidden_fractions,
            scores=curve.scores,
            clamp=curve.clamp,
            n_features=curve.n_features,
            estimator_name=estimator_name,
        )
        return viz.plot(ax=ax, label=label, std_display_style=std_display_style,
                        line_kw=line_kw, fill_between_kw=fill_between_kw)  # fmt: skip

    @classmethod
    @_fill_plot_params
    def from_estimator(cls, estimator, hidden_fractions, *, load=None,
                       n_features=None, X=None, n_trials=5, n_cues=None,
                       update=None, clamp=(False, True), criterion="exact",
                       random_state=None, n_jobs=None, verbose=0, ax=None,
                       label=None, std_display_style="fill_between",
                       line_kw=None, fill_between_kw=None):  # fmt: skip
        """Compute a completion curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            An autoassociative memory (implements ``fit`` and ``retrieve``).
        hidden_fractions : array-like of shape (n_fractions,)
            Fractions of the bits of each cue that are hidden, in [0, 1).
        load, n_features, X, n_trials, n_cues, update, clamp, criterion, \
random_state, n_jobs, verbose : as in completion_curve
            See :func:`~sklearn_klrhop.model_selection.completion_curve`.
        %(plot_params)s

        Returns
        -------
        display : CompletionCurveDisplay
            With the computed curve in ``curve_``.
        """
        pyplot(f"{cls.__name__}.from_estimator")
        curve = completion_curve(
            estimator, hidden_fractions, load=load, n_features=n_features, X=X,
            n_trials=n_trials, n_cues=n_cues, update=update, clamp=clamp,
            criterion=criterion, random_state=random_state, n_jobs=n_jobs,
            verbose=verbose,
        )  # fmt: skip
        viz = cls.from_result(
            curve, estimator_name=type(estimator).__name__, ax=ax, label=label,
            std_display_style=std_display_style, line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )  # fmt: skip
        viz.curve_ = curve
        return viz
