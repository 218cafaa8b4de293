"""The spectrum of the KLR loss Hessian: at the fit, and along gradient descent."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils._param_validation import HasMethods, validate_params

from ..solvers import LogisticLoss, solve_klr
from ._hessian import hessian_lambda_max, hessian_trace
from ._kernel import check_kernel_memory, dense_gram


class LossSpectrum:
    """Largest eigenvalue and trace of every neuron's loss Hessian.

    Returned by :func:`loss_spectrum`. Neuron i's Hessian in its dual
    coefficients is ``H_i = K D_i K + lam K``, with ``D_i`` the logistic
    curvatures ``sigma (1 - sigma)`` of its fields at the stored patterns.

    Parameters
    ----------
    lambda_max : array-like of shape (n_features,)
        Largest eigenvalue of each neuron's Hessian at the fitted coefficients.
    trace : array-like of shape (n_features,)
        Trace of each neuron's Hessian there.
    learning_rate : float or None, default=None
        Step size of the gradient descent whose history is recorded.
    epochs : array-like of shape (n_epochs + 1,), default=None
        Epochs of the history; 0 is the start ``A = 0``.
    lambda_max_history : array-like of shape (n_epochs + 1, n_features), \
            default=None
        Largest eigenvalue of each neuron's Hessian after each epoch.
    trace_history : array-like of shape (n_epochs + 1, n_features), default=None
        Trace of each neuron's Hessian after each epoch.

    Attributes
    ----------
    concentration : ndarray of shape (n_features,)
        Spectral concentration ``lambda_max / Tr(H)`` per neuron: 1 when the
        Hessian has rank one, ``1 / P`` when its spectrum is flat.
    stability_limit : float or None
        ``2 / learning_rate``: gradient descent is stable along an eigenvector
        only while its eigenvalue stays below it.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import loss_spectrum
    >>> X = make_patterns(100, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.02, solver="gd", tol=0).fit(X)
    >>> spectrum = loss_spectrum(mem, history=True)
    >>> round(float(spectrum.lambda_max_history[0].max()), 1)  # at A = 0
    55.5
    >>> spectrum.stability_limit, spectrum.stable_from()
    (20.0, 45)
    """

    def __init__(self, lambda_max, trace, *, learning_rate=None, epochs=None,
                 lambda_max_history=None, trace_history=None):  # fmt: skip
        self.lambda_max = np.asarray(lambda_max, dtype=float)
        self.trace = np.asarray(trace, dtype=float)
        self.learning_rate = learning_rate
        self.epochs = None if epochs is None else np.asarray(epochs)
        self.lambda_max_history = _array_or_none(lambda_max_history)
        self.trace_history = _array_or_none(trace_history)

    @property
    def concentration(self):
        """Spectral concentration ``lambda_max / Tr(H)`` of each neuron's Hessian."""
        return self.lambda_max / self.trace

    @property
    def stability_limit(self):
        """``2 / learning_rate``, or None without a recorded gradient descent."""
        return None if self.learning_rate is None else 2.0 / self.learning_rate

    def stable_from(self):
        """First epoch from which gradient descent stays stable for every neuron.

        The epoch from which ``learning_rate * max_i lambda_max_i < 2`` holds
        at every later recorded epoch: the end of the edge-of-stability phase.

        Returns
        -------
        epoch : int or None
            That epoch (0 if the descent was stable from the start), or None
            if it is still unstable at the last epoch.
        """
        if self.lambda_max_history is None:
            raise ValueError(
                "No training history: call loss_spectrum(memory, history=True) "
                "with a memory fitted by solver='gd'."
            )
        unstable = self.lambda_max_history.max(axis=1) >= self.stability_limit
        if unstable[-1]:
            return None
        last = np.flatnonzero(unstable)
        return 0 if last.size == 0 else int(self.epochs[last[-1] + 1])

    def __repr__(self):
        text = (
            f"LossSpectrum(n_features={len(self.lambda_max)}, "
            f"lambda_max_mean={self.lambda_max.mean():.4g}, "
            f"concentration_mean={self.concentration.mean():.3g}"
        )
        if self.epochs is not None:
            text += f", epochs={int(self.epochs[-1])}"
        return text + ")"


def _array_or_none(values):
    return None if values is None else np.asarray(values, dtype=float)


@validate_params(
    {"memory": [HasMethods(["fit", "retrieve"])], "history": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def loss_spectrum(memory, *, history=False):
    """Spectrum of the KLR loss Hessian at a memory's fitted coefficients.

    For every neuron i, the largest eigenvalue and the trace of the Hessian
    ``H_i = K D_i K + lam K`` of its objective in the dual coefficients
    (``D_i`` the logistic curvatures ``sigma (1 - sigma)`` of its fields at
    the stored patterns). Gradient descent with step ``eta`` is stable only
    while ``eta lambda_max < 2``. With ``history=True`` the gradient descent
    of a memory fitted with ``solver="gd"`` is run again from ``A = 0`` (in
    float64, with the memory's ``learning_rate``, ``max_iter`` and ``tol``)
    and the spectrum is recorded after every epoch: the edge-of-stability
    trace of Tamamori's arXiv:2609.16827.

    The largest eigenvalues come from a Lanczos iteration run on all neurons
    at once (two P x P by P x N products a step, warm-started from the
    previous epoch along a history); neurons it does not resolve to a relative
    residual of 1e-10 within 40 steps are decomposed densely.

    Read more in :doc:`/attractor_geometry`.

    Parameters
    ----------
    memory : KLRHopfieldMemory
        A memory fitted with ``loss="logistic"``.
    history : bool, default=False
        Also record the spectrum along the gradient descent (requires
        ``solver="gd"``).

    Returns
    -------
    spectrum : LossSpectrum
        ``lambda_max``, ``trace`` and ``concentration`` per neuron, and with
        ``history`` the per-epoch ``lambda_max_history`` and
        ``trace_history``.

    See Also
    --------
    LossSpectrumDisplay : Plot of the history against ``2 / learning_rate``.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import loss_spectrum
    >>> X = make_patterns(200, 50, random_state=0)
    >>> ridge = loss_spectrum(KLRHopfieldMemory(gamma=0.02).fit(X))
    >>> local = loss_spectrum(KLRHopfieldMemory(gamma=0.2).fit(X))
    >>> bool(ridge.lambda_max.mean() > 10 * local.lambda_max.mean())
    True
    """
    check_kernel_memory(memory, "loss_spectrum")
    if getattr(memory, "loss", None) != "logistic":
        raise ValueError(
            "loss_spectrum needs the Hessian of the logistic loss; this memory was "
            f"fitted with loss={getattr(memory, 'loss', None)!r}. Use "
            "loss='logistic'."
        )
    if history and memory.solver_ != "gd":
        raise ValueError(
            "history=True records the gradient-descent training; this memory was "
            f"fitted with solver_={memory.solver_!r}. Fit it with solver='gd'."
        )
    K = dense_gram(memory)
    # Subnormal kernel values (local kernels at large gamma N) slow every
    # product down many times and change no eigenvalue visibly: drop them.
    K[K < np.finfo(float).tiny] = 0.0
    loss = LogisticLoss((memory.patterns_ > 0).astype(np.float64), memory.lam)
    A = np.asarray(memory.dual_coef_, dtype=np.float64)
    lambda_max, _, trace = _spectrum(K, loss, A, None)
    if not history:
        return LossSpectrum(lambda_max, trace)
    epochs, lambdas, traces = _history(memory, K, loss)
    return LossSpectrum(
        lambda_max,
        trace,
        learning_rate=float(memory.learning_rate),
        epochs=epochs,
        lambda_max_history=lambdas,
        trace_history=traces,
    )


def _spectrum(K, loss, A, v0):
    D = loss.at(A, K @ A).curvature
    lambda_max, vectors = hessian_lambda_max(K, D, loss.lam, v0=v0)
    return lambda_max, vectors, hessian_trace(K, D, loss.lam)


def _history(memory, K, loss):
    """Rerun the memory's gradient descent, recording the spectrum every epoch."""
    rng = np.random.RandomState(0)
    first = _spectrum(K, loss, np.zeros_like(loss.T), None)
    lambdas, traces, state = [first[0]], [first[2]], {"v": first[1]}

    def record(epoch, A):
        # warm start from the last eigenvectors, with a random part so that a
        # new leading direction is not missed
        v0 = state["v"] + 0.1 * rng.standard_normal(state["v"].shape) / np.sqrt(len(K))
        lam_max, state["v"], trace = _spectrum(K, loss, A, v0)
        lambdas.append(lam_max)
        traces.append(trace)

    solve_klr(
        K,
        loss.T,
        loss.lam,
        solver="gd",
        max_iter=memory.max_iter,
        tol=memory.tol,
        learning_rate=memory.learning_rate,
        callback=record,
    )
    return np.arange(len(lambdas)), np.array(lambdas), np.array(traces)
