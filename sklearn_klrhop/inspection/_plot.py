"""TrajectoryDisplay: the overlap with the target along the dynamics."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from .._encoding import read_states
from .._plotting import axes, plot_band, pyplot


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
        The +/- one standard deviation bands, cut at -1 and 1.
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
    >>> from sklearn_klrhop.inspection import TrajectoryDisplay
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
        pyplot(f"{cls.__name__}.from_estimator")
        if not hasattr(estimator, "retrieve"):
            raise TypeError(
                "estimator must be a fitted memory with a retrieve method, such as "
                f"KLRHopfieldMemory; got {type(estimator).__name__}."
            )
        if isinstance(updates, str):
            updates = (updates,)
        targets, _ = read_states(y, "y")
        overlaps, last = {}, 1
        for update in updates:
            res = estimator.retrieve(X, update=update, return_trajectory=True)
            traj = res.trajectory
            if traj.shape[0] != targets.shape[0] or traj.shape[2] != targets.shape[1]:
                raise ValueError(
                    f"y has shape {targets.shape} but X has shape "
                    f"{(traj.shape[0], traj.shape[2])}; pass one target per cue."
                )
            states, _ = read_states(traj.reshape(-1, traj.shape[2]), "trajectory")
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
        ax = axes(ax, f"{type(self).__name__}.plot")
        self.lines_, self.fill_between_ = [], []
        for label, m in self.overlaps.items():
            m = np.asarray(m, dtype=float)
            line, band = plot_band(
                ax,
                np.arange(m.shape[1]),
                m.mean(axis=0),
                m.std(axis=0),
                label=label,
                style="fill_between",
                bounds=(-1.0, 1.0),  # an overlap: the band stops at -1 and 1
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
