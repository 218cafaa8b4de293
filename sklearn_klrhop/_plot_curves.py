"""Displays of capacity curves, noise curves and retrieval trajectories."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ._curves import capacity_curve, noise_curve
from ._encoding import as_bipolar


def _pyplot(caller):
    from .plotting import _check_matplotlib

    return _check_matplotlib(caller)


def _band(ax, x, mean, std, label, style, line_kw, fill_between_kw):
    """Draw ``mean`` with a +/- ``std`` band; return (line, band artist)."""
    if style not in ("fill_between", "errorbar", None):
        raise ValueError(
            "std_display_style must be 'fill_between', 'errorbar' or None; got "
            f"{style!r}."
        )
    line_kw = {} if line_kw is None else dict(line_kw)
    if style == "errorbar":
        container = ax.errorbar(x, mean, yerr=std, label=label, capsize=3, **line_kw)
        return container.lines[0], container
    (line,) = ax.plot(x, mean, marker="o", markersize=3, label=label, **line_kw)
    band = None
    if style == "fill_between":
        kw = {"alpha": 0.2, "color": line.get_color()}
        kw.update(fill_between_kw or {})
        band = ax.fill_between(x, mean - std, mean + std, **kw)
    return line, band


class _RecallCurveDisplay:
    """Shared plot of a recall rate (mean +/- sd over trials) against x."""

    _x_name = "x"
    _xlabel = "x"

    def _x(self):
        return np.asarray(getattr(self, self._x_name), dtype=float)

    def plot(self, ax=None, *, label=None, std_display_style="fill_between",
             line_kw=None, fill_between_kw=None):  # fmt: skip
        """Plot the curve.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure. Pass the same axes
            again to overlay several curves.
        label : str, default=None
            Legend entry; ``None`` names the estimator and N.
        std_display_style : {"fill_between", "errorbar"} or None, \
                default="fill_between"
            How to show the standard deviation over trials.
        line_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.plot` (or
            ``errorbar``).
        fill_between_kw : dict, default=None
            Keywords passed to :meth:`matplotlib.axes.Axes.fill_between`.

        Returns
        -------
        display : object
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``fill_between_`` (or ``errorbar_``) set.
        """
        plt = _pyplot(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots()
        scores = np.asarray(self.scores, dtype=float)
        if label is None:
            parts = [self.estimator_name, None]
            if self.n_features is not None:
                parts[1] = f"N={self.n_features}"
            label = ", ".join(p for p in parts if p) or None
        line, band = _band(
            ax,
            self._x(),
            scores.mean(axis=1),
            scores.std(axis=1),
            label,
            std_display_style,
            line_kw,
            fill_between_kw,
        )
        self.lines_ = [line]
        self.fill_between_ = band if std_display_style == "fill_between" else None
        self.errorbar_ = band if std_display_style == "errorbar" else None
        ax.set_xlabel(self._xlabel)
        ax.set_ylabel("Recall rate")
        ax.set_ylim(-0.02, 1.02)
        if label is not None:
            ax.legend(loc="best")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def _from_curve(cls, curve, estimator_name, ax, plot_kw):
        x = getattr(curve, cls._x_name)
        viz = cls(
            **{cls._x_name: x},
            scores=curve.scores,
            n_features=curve.n_features,
            estimator_name=estimator_name,
        )
        return viz.plot(ax=ax, **plot_kw)


class CapacityCurveDisplay(_RecallCurveDisplay):
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

    See Also
    --------
    sklearn_klrhop.model_selection.capacity_curve : Computes the curve.
    NoiseCurveDisplay : Recall rate against cue noise.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.plotting import CapacityCurveDisplay
    >>> disp = CapacityCurveDisplay.from_estimator(
    ...     KLRHopfieldMemory(gamma=0.2), [1, 3], n_features=50, n_trials=2,
    ...     n_cues=10, random_state=0)
    >>> disp.lines_[0].get_ydata().tolist()
    [1.0, 1.0]
    """

    _x_name = "loads"
    _xlabel = "Load P / N"

    def __init__(self, *, loads, scores, n_features=None, estimator_name=None):
        self.loads = loads
        self.scores = scores
        self.n_features = n_features
        self.estimator_name = estimator_name

    @classmethod
    def from_result(cls, curve, *, estimator_name=None, ax=None, label=None,
                    std_display_style="fill_between", line_kw=None,
                    fill_between_kw=None):  # fmt: skip
        """Plot a :class:`~sklearn_klrhop.model_selection.CapacityCurve`.

        Parameters
        ----------
        curve : CapacityCurve
            Result of :func:`~sklearn_klrhop.model_selection.capacity_curve`.
        estimator_name : str, default=None
            Name shown in the legend.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label, std_display_style, line_kw, fill_between_kw
            See :meth:`plot`.

        Returns
        -------
        display : CapacityCurveDisplay
        """
        plot_kw = {
            "label": label,
            "std_display_style": std_display_style,
            "line_kw": line_kw,
            "fill_between_kw": fill_between_kw,
        }
        return cls._from_curve(curve, estimator_name, ax, plot_kw)

    @classmethod
    def from_estimator(cls, estimator, loads, *, ax=None, label=None,
                       std_display_style="fill_between", line_kw=None,
                       fill_between_kw=None, **kwargs):  # fmt: skip
        """Compute a capacity curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            A memory (implements ``fit`` and ``retrieve``).
        loads : array-like of shape (n_loads,)
            Loads P / N.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label, std_display_style, line_kw, fill_between_kw
            See :meth:`plot`.
        **kwargs : dict
            Keywords of :func:`~sklearn_klrhop.model_selection.capacity_curve`:
            ``n_features``, ``X``, ``noise``, ``n_trials``, ``n_cues``,
            ``update``, ``criterion``, ``random_state``, ``n_jobs``,
            ``verbose``.

        Returns
        -------
        display : CapacityCurveDisplay
            With the computed curve in ``curve_``.
        """
        _pyplot(f"{cls.__name__}.from_estimator")
        curve = capacity_curve(estimator, loads, **kwargs)
        viz = cls.from_result(
            curve,
            estimator_name=type(estimator).__name__,
            ax=ax,
            label=label,
            std_display_style=std_display_style,
            line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )
        viz.curve_ = curve
        return viz


class NoiseCurveDisplay(_RecallCurveDisplay):
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

    See Also
    --------
    sklearn_klrhop.model_selection.noise_curve : Computes the curve.
    CapacityCurveDisplay : Recall rate against load.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.plotting import NoiseCurveDisplay
    >>> disp = NoiseCurveDisplay.from_estimator(
    ...     KLRHopfieldMemory(gamma=0.2), [0.0, 0.2, 0.5], load=1, n_features=50,
    ...     n_trials=2, n_cues=10, random_state=0)
    >>> disp.lines_[0].get_ydata().tolist()
    [1.0, 1.0, 0.0]
    """

    _x_name = "noise_levels"
    _xlabel = "Cue noise (fraction of bits flipped)"

    def __init__(self, *, noise_levels, scores, n_features=None, estimator_name=None):
        self.noise_levels = noise_levels
        self.scores = scores
        self.n_features = n_features
        self.estimator_name = estimator_name

    @classmethod
    def from_result(cls, curve, *, estimator_name=None, ax=None, label=None,
                    std_display_style="fill_between", line_kw=None,
                    fill_between_kw=None):  # fmt: skip
        """Plot a :class:`~sklearn_klrhop.model_selection.NoiseCurve`.

        Parameters
        ----------
        curve : NoiseCurve
            Result of :func:`~sklearn_klrhop.model_selection.noise_curve`.
        estimator_name : str, default=None
            Name shown in the legend.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label, std_display_style, line_kw, fill_between_kw
            See :meth:`plot`.

        Returns
        -------
        display : NoiseCurveDisplay
        """
        plot_kw = {
            "label": label,
            "std_display_style": std_display_style,
            "line_kw": line_kw,
            "fill_between_kw": fill_between_kw,
        }
        return cls._from_curve(curve, estimator_name, ax, plot_kw)

    @classmethod
    def from_estimator(cls, estimator, noise_levels, *, ax=None, label=None,
                       std_display_style="fill_between", line_kw=None,
                       fill_between_kw=None, **kwargs):  # fmt: skip
        """Compute a noise curve of ``estimator`` and plot it.

        Parameters
        ----------
        estimator : estimator object
            A memory (implements ``fit`` and ``retrieve``).
        noise_levels : array-like of shape (n_levels,)
            Fractions of cue bits flipped.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label, std_display_style, line_kw, fill_between_kw
            See :meth:`plot`.
        **kwargs : dict
            Keywords of :func:`~sklearn_klrhop.model_selection.noise_curve`:
            ``load``, ``n_features``, ``X``, ``n_trials``, ``n_cues``,
            ``update``, ``criterion``, ``random_state``, ``n_jobs``,
            ``verbose``.

        Returns
        -------
        display : NoiseCurveDisplay
            With the computed curve in ``curve_``.
        """
        _pyplot(f"{cls.__name__}.from_estimator")
        curve = noise_curve(estimator, noise_levels, **kwargs)
        viz = cls.from_result(
            curve,
            estimator_name=type(estimator).__name__,
            ax=ax,
            label=label,
            std_display_style=std_display_style,
            line_kw=line_kw,
            fill_between_kw=fill_between_kw,
        )
        viz.curve_ = curve
        return viz


class TrajectoryDisplay:
    """Overlap with the target against step, for several retrieval dynamics.

    Each curve is the mean +/- one standard deviation over cues of the
    overlap ``m = s . xi / N`` between the state after each step and the
    cue's target. An asynchronous step is one sweep of N single-neuron
    updates. Build it with :meth:`from_estimator`.

    Parameters
    ----------
    overlaps : dict of str to ndarray of shape (n_cues, n_steps + 1)
        Overlap of every cue's state with its target after each step (column
        0 is the cue), keyed by curve label (e.g. ``"sync"``).

    Attributes
    ----------
    lines_ : list of matplotlib Line2D
        One mean curve per entry of ``overlaps``.
    fill_between_ : list of matplotlib PolyCollection
        The +/- one standard deviation bands.
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure containing the curves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.plotting import TrajectoryDisplay
    >>> X = make_patterns(150, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    >>> cues = corrupt(X[:20], 0.2, random_state=0)
    >>> disp = TrajectoryDisplay.from_estimator(mem, cues, X[:20])
    >>> [round(float(m), 2) for m in disp.lines_[0].get_ydata()]
    [0.6, 1.0, 1.0]
    """

    def __init__(self, *, overlaps):
        self.overlaps = overlaps

    @classmethod
    def from_estimator(cls, estimator, X, y, *, updates=("sync", "async"),
                       n_steps=None, ax=None):  # fmt: skip
        """Retrieve from cues with each dynamics and plot the overlaps.

        Parameters
        ----------
        estimator : estimator object
            A fitted memory (implements ``retrieve``).
        X : array-like of shape (n_cues, n_features)
            Cues.
        y : array-like of shape (n_cues, n_features)
            Target pattern of each cue.
        updates : sequence of {"sync", "async"}, default=("sync", "async")
            Dynamics to compare.
        n_steps : int, default=None
            Steps to show; ``None`` shows up to the last step at which any
            cue still changed, plus one.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.

        Returns
        -------
        display : TrajectoryDisplay
        """
        _pyplot(f"{cls.__name__}.from_estimator")
        if not hasattr(estimator, "retrieve"):
            raise TypeError(
                "estimator must be a fitted memory with a retrieve method, such as "
                f"KLRHopfieldMemory; got {type(estimator).__name__}."
            )
        if isinstance(updates, str):
            updates = (updates,)
        targets = as_bipolar(y, "y")
        overlaps, last = {}, 1
        for update in updates:
            res = estimator.retrieve(X, update=update, return_trajectory=True)
            traj = res.trajectory
            if traj.shape[0] != targets.shape[0] or traj.shape[2] != targets.shape[1]:
                raise ValueError(
                    f"y has shape {targets.shape} but X has shape "
                    f"{(traj.shape[0], traj.shape[2])}; pass one target per cue."
                )
            states = as_bipolar(traj.reshape(-1, traj.shape[2]), "trajectory")
            states = states.reshape(traj.shape)
            overlaps[update] = np.einsum("csn,cn->cs", states, targets) / traj.shape[2]
            last = max(last, int(res.n_steps.max()))
        if n_steps is None:
            n_steps = last
        overlaps = {k: v[:, : n_steps + 1] for k, v in overlaps.items()}
        return cls(overlaps=overlaps).plot(ax=ax)

    def plot(self, ax=None):
        """Plot mean +/- sd overlap against step for each entry.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.

        Returns
        -------
        display : TrajectoryDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``fill_between_`` set.
        """
        plt = _pyplot(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots()
        self.lines_, self.fill_between_ = [], []
        for label, m in self.overlaps.items():
            m = np.asarray(m, dtype=float)
            line, band = _band(
                ax,
                np.arange(m.shape[1]),
                m.mean(axis=0),
                m.std(axis=0),
                label,
                "fill_between",
                None,
                None,
            )
            self.lines_.append(line)
            self.fill_between_.append(band)
        ax.set_xlabel("Step (async: sweep of N updates)")
        ax.set_ylabel("Overlap with target")
        ax.set_ylim(min(-0.02, ax.get_ylim()[0]), 1.02)
        ax.legend(loc="lower right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
