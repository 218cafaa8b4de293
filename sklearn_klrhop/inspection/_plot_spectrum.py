"""LossSpectrumDisplay: the largest Hessian eigenvalue along gradient descent."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from .._plotting import axes, pyplot
from ._spectrum import loss_spectrum


class LossSpectrumDisplay:
    """Largest eigenvalue of the loss Hessian against epoch, with ``2 / eta``.

    The edge-of-stability trace: gradient descent with step eta is stable
    along an eigenvector only while its eigenvalue is below ``2 / eta``
    (dashed). The solid line is the largest eigenvalue over neurons, the
    thin one its mean over neurons. Build it with :meth:`from_estimator` or
    :meth:`from_result`.

    Parameters
    ----------
    spectrum : LossSpectrum
        The result of ``loss_spectrum(memory, history=True)``.
    label : str, default=None
        Legend prefix (e.g. the learning rate); ``None`` uses ``eta = ...``.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        ``"max"`` and ``"mean"`` over neurons.
    limit_line_ : matplotlib Line2D
        The stability limit ``2 / eta``.
    ax_ : matplotlib Axes
        Axes with the trace.
    figure_ : matplotlib Figure
        Figure containing the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import LossSpectrumDisplay
    >>> X = make_patterns(100, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.02, solver="gd", tol=0).fit(X)
    >>> disp = LossSpectrumDisplay.from_estimator(mem)
    >>> float(disp.limit_line_.get_ydata()[0])
    20.0
    """

    def __init__(self, *, spectrum, label=None):
        self.spectrum = spectrum
        self.label = label

    @classmethod
    def from_estimator(cls, memory, *, ax=None, label=None):
        """Record the spectrum along the memory's gradient descent and plot it.

        Parameters
        ----------
        memory : KLRHopfieldMemory
            A memory fitted with ``solver="gd"``.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label : str, default=None
            Legend prefix; ``None`` uses ``eta = ...``.

        Returns
        -------
        display : LossSpectrumDisplay
        """
        pyplot(f"{cls.__name__}.from_estimator")
        spectrum = loss_spectrum(memory, history=True)
        return cls(spectrum=spectrum, label=label).plot(ax=ax)

    @classmethod
    def from_result(cls, spectrum, *, ax=None, label=None):
        """Plot a spectrum history computed before.

        Parameters
        ----------
        spectrum : LossSpectrum
            The result of ``loss_spectrum(memory, history=True)``.
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure.
        label : str, default=None
            Legend prefix; ``None`` uses ``eta = ...``.

        Returns
        -------
        display : LossSpectrumDisplay
        """
        return cls(spectrum=spectrum, label=label).plot(ax=ax)

    def plot(self, ax=None):
        """Plot the largest eigenvalue per epoch and the stability limit.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; ``None`` creates a new figure. Pass the same
            axes again to overlay several learning rates.

        Returns
        -------
        display : LossSpectrumDisplay
            The display, with ``ax_``, ``figure_``, ``lines_`` and
            ``limit_line_`` set.
        """
        spectrum = self.spectrum
        if spectrum.lambda_max_history is None:
            raise ValueError(
                "The spectrum has no training history; compute it with "
                "loss_spectrum(memory, history=True)."
            )
        ax = axes(ax, f"{type(self).__name__}.plot")
        label = self.label or f"eta = {spectrum.learning_rate:g}"
        epochs, history = spectrum.epochs, spectrum.lambda_max_history
        (line,) = ax.plot(epochs, history.max(axis=1), linewidth=1.2,
                          label=f"{label}: max over neurons")  # fmt: skip
        (mean,) = ax.plot(epochs, history.mean(axis=1), linewidth=0.7, alpha=0.7,
                          color=line.get_color(), label=f"{label}: mean")  # fmt: skip
        limit = spectrum.stability_limit
        (self.limit_line_,) = ax.plot(
            [epochs[0], epochs[-1]], [limit, limit], "--", color=line.get_color(),
            linewidth=1, label=f"2 / eta = {limit:g}",
        )  # fmt: skip
        self.lines_ = {"max": line, "mean": mean}
        ax.set_yscale("log")
        ax.set_xlabel("Epoch")
        ax.set_ylabel("lambda_max of the loss Hessian")
        ax.legend(fontsize=7)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
