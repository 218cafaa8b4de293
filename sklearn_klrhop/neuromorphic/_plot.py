"""EventCountDisplay: events of retrieval against the initial Hamming distance."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._plotting import axes


class EventCountDisplay:
    """Bit flips needed to converge against the cue's initial Hamming distance.

    A retrieval that flips exactly the wrong bits lies on the diagonal
    ``events = distance``; points above it flipped some bits more than once
    or moved through other states (the papers report events close to the
    initial distance for the kernel memory). Synchronous events are the bits
    changed per step, summed over steps.

    Parameters
    ----------
    initial_distance : ndarray of shape (n_cues,)
        Hamming distance of each cue to its target.
    events : dict of str to ndarray of shape (n_cues,)
        Events per cue for each execution model.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    lines_ : dict of str to matplotlib Line2D
        Mean events per distance for each model.
    diagonal_ : matplotlib Line2D

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_klrhop.neuromorphic import EventCountDisplay
    >>> disp = EventCountDisplay(np.array([2, 4, 4]), {"async": np.array([2, 4, 5])})
    >>> disp = disp.plot()
    >>> disp.lines_["async"].get_ydata().tolist()
    [2.0, 4.5]
    """

    def __init__(self, initial_distance, events):
        self.initial_distance = np.asarray(initial_distance)
        self.events = {m: np.asarray(v) for m, v in events.items()}

    def plot(self, ax=None, *, models=None, scatter=True):
        """Plot the events per cue, their mean per distance and the diagonal.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is made when ``None``.
        models : list of str, default=None
            Execution models to show; ``None`` shows all.
        scatter : bool, default=True
            Also draw one (jittered) point per cue.

        Returns
        -------
        display : EventCountDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``diagonal_`` set.
        """
        ax = axes(ax, f"{type(self).__name__}.plot")
        models = list(self.events) if models is None else list(models)
        d = self.initial_distance
        distances = np.unique(d)
        rng = np.random.RandomState(0)
        self.lines_ = {}
        for i, model in enumerate(models):
            events = self.events[model]
            means = np.array([events[d == x].mean() for x in distances], dtype=float)
            (line,) = ax.plot(distances, means, "o-", label=model, color=f"C{i}")
            if scatter:
                jitter = rng.uniform(-0.2, 0.2, size=d.shape)
                ax.scatter(d + jitter, events, s=6, alpha=0.3, color=f"C{i}")
            self.lines_[model] = line
        top = max([d.max(initial=0)] + [v.max(initial=0) for v in self.events.values()])
        (self.diagonal_,) = ax.plot(
            [0, top], [0, top], "k--", lw=1, label="events = distance"
        )
        ax.set_xlabel("initial Hamming distance to the target")
        ax.set_ylabel("events (bit flips) to converge")
        ax.legend()
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_report(cls, report, *, ax=None, models=None, scatter=True):
        """Plot the events of a :class:`CostReport`.

        Parameters
        ----------
        report : CostReport
            Output of :meth:`NeuromorphicCostModel.estimate`.
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is made when ``None``.
        models : list of str, default=None
            Execution models to show; ``None`` shows all.
        scatter : bool, default=True
            Also draw one (jittered) point per cue.

        Returns
        -------
        display : EventCountDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn_klrhop import KLRHopfieldMemory
        >>> from sklearn_klrhop.datasets import corrupt, make_patterns
        >>> from sklearn_klrhop.neuromorphic import EventCountDisplay, NeuromorphicCostModel
        >>> X = make_patterns(100, 40, random_state=0)
        >>> mem = KLRHopfieldMemory(random_state=0).fit(X)
        >>> report = NeuromorphicCostModel().estimate(mem, corrupt(X, 0.1, random_state=0), X)
        >>> disp = EventCountDisplay.from_report(report)
        >>> disp.lines_["async"].get_ydata().tolist()
        [4.0]
        """
        events = {m: report.per_cue[m]["events"] for m in report.per_cue}
        return cls(report.initial_distance, events).plot(
            ax=ax, models=models, scatter=scatter
        )
