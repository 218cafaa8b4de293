"""Signal and crosstalk in the local fields at cues of stored patterns."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from scipy.special import erfc
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params

from .._encoding import read_cues
from ..datasets import corrupt
from ._outcomes import stored_index

# Below this log-factor the true fields underflow float64 (see Engine.true_fields).
_LOG_TINY = np.log(np.finfo(float).tiny) + 50


class FieldSNR:
    """Target-aligned local fields and their signal-to-noise ratio.

    Returned by :func:`field_snr`. For a cue s of the stored pattern xi, the
    target-aligned field of neuron i is ``x_i = xi_i h_i(s)``: positive where
    one synchronous step sets bit i right. Its mean over cues and neurons is
    the signal; its deviation from the mean, the crosstalk (the interference
    of the other stored patterns, and of the flipped bits of a noisy cue).

    Parameters
    ----------
    aligned : array-like of shape (n_cues, n_features)
        Target-aligned fields ``xi_i h_i(s)``, divided by ``exp(log_scale)``.
    flipped : array-like of shape (n_cues, n_features)
        Whether one synchronous step from the cue sets the bit against the
        target (the tie rule of the memory included).
    target_term : array-like of shape (n_cues, n_features) or None
        For memories whose units are the stored patterns (kernel memories):
        the part of the aligned field that the target's own unit contributes,
        ``xi_i A[mu, i] K(s, xi_mu)`` (same scale); None otherwise.
    noise : float
        Fraction of cue bits flipped.
    n_patterns : int
        Number of stored patterns P.
    log_scale : float, default=0.0
        The fields are divided by ``exp(log_scale)``, a factor common to all
        cues (0 unless the true fields would underflow float64); the ratios
        do not depend on it.

    Attributes
    ----------
    signal : float
        Mean target-aligned field.
    crosstalk : ndarray of shape (n_cues, n_features)
        ``aligned - signal``.
    snr : float
        ``signal / std(crosstalk)``.
    predicted_error : float
        One-step error of the Gaussian approximation, ``erfc(snr / sqrt(2)) / 2``.
    measured_error : float
        Fraction of the bits one synchronous step sets against the target.
    load : float
        ``P / N``.

    Examples
    --------
    >>> from sklearn_klrhop.inspection import FieldSNR
    >>> snr = FieldSNR([[2.0, 1.0], [-1.0, 2.0]], [[False, False], [True, False]],
    ...                None, noise=0.0, n_patterns=2)
    >>> snr.signal, round(snr.snr, 3), snr.measured_error
    (1.0, 0.816, 0.25)
    """

    def __init__(self, aligned, flipped, target_term, *, noise, n_patterns,
                 log_scale=0.0):  # fmt: skip
        self.aligned = np.asarray(aligned, dtype=float)
        self.flipped = np.asarray(flipped, dtype=bool)
        self.target_term = (
            None if target_term is None else np.asarray(target_term, dtype=float)
        )
        self.noise = noise
        self.n_patterns = n_patterns
        self.log_scale = log_scale

    @property
    def signal(self):
        """Mean target-aligned field."""
        return float(self.aligned.mean())

    @property
    def crosstalk(self):
        """Deviation of every target-aligned field from the signal."""
        return self.aligned - self.signal

    @property
    def snr(self):
        """Signal over the standard deviation of the crosstalk."""
        sd = float(self.aligned.std())
        return float("inf") if sd == 0 else self.signal / sd

    @property
    def predicted_error(self):
        """One-step error of the Gaussian approximation."""
        return float(0.5 * erfc(self.snr / np.sqrt(2)))

    @property
    def measured_error(self):
        """Fraction of bits one synchronous step sets against the target."""
        return float(self.flipped.mean())

    @property
    def load(self):
        """Load ``P / N``."""
        return self.n_patterns / self.aligned.shape[1]

    def __repr__(self):
        return (
            f"FieldSNR(load={self.load:.3g}, noise={self.noise:g}, "
            f"snr={self.snr:.3g}, predicted_error={self.predicted_error:.3g}, "
            f"measured_error={self.measured_error:.3g})"
        )


@validate_params(
    {
        "memory": [HasMethods(["fit", "retrieve"])],
        "X": ["array-like"],
        "noise": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def field_snr(memory, X, *, noise=0.0, random_state=None):
    """Signal-to-noise ratio of the local fields at cues of stored patterns.

    Every row of X (a stored pattern) is corrupted by flipping
    ``round(noise * N)`` bits, and the local fields of the cue are aligned
    with the pattern: ``x_i = xi_i h_i(s)``. The signal is the mean of x over
    cues and neurons, the crosstalk its deviation from the mean, and the SNR
    their ratio. If x were Gaussian, one synchronous step would set a bit
    wrong with probability ``erfc(SNR / sqrt(2)) / 2``; the measured fraction
    is reported beside it. For the Hebbian rule at ``noise=0`` this is the
    textbook analysis: SNR ``~ sqrt(N / P)`` and one-step error
    ``~ erfc(sqrt(N / 2P)) / 2``. Tamamori (arXiv:2605.00366, abstract)
    attributes the storage limit of kernel memories to this loss of stability
    against crosstalk rather than to a lack of separability (see
    :func:`kernel_participation_ratio`).

    Read more in :doc:`/attractor_geometry`.

    Parameters
    ----------
    memory : estimator object
        A fitted memory.
    X : array-like of shape (n_cues, n_features)
        Stored patterns, in the memory's encoding.
    noise : float in [0, 1], default=0.0
        Fraction of bits flipped in each cue.
    random_state : int, RandomState instance or None, default=None
        Seeds the flipped bits. Pass an int for reproducible output across
        multiple function calls.

    Returns
    -------
    snr : FieldSNR
        The aligned fields, ``signal``, ``crosstalk``, ``snr``,
        ``predicted_error`` and ``measured_error``.

    See Also
    --------
    FieldSNRDisplay : Histogram of the aligned fields with the Gaussian.

    Examples
    --------
    >>> from sklearn_klrhop import HebbianHopfieldMemory
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> from sklearn_klrhop.inspection import field_snr
    >>> X = make_patterns(50, 400, random_state=0)  # sqrt(N / P) = 2.83, sqrt((N - 1) / (P - 1)) = 2.85
    >>> snr = field_snr(HebbianHopfieldMemory().fit(X), X)
    >>> round(snr.snr, 2), round(snr.predicted_error, 4), snr.measured_error
    (2.85, 0.0022, 0.002)
    """
    targets = read_cues(memory, X)
    index = stored_index(memory.patterns_, targets)
    if (index < 0).any():
        raise ValueError(
            f"{int(np.count_nonzero(index < 0))} of the {len(targets)} rows of X are "
            "not stored patterns of the memory; field_snr measures the fields at "
            "cues of stored patterns."
        )
    cues = corrupt(targets, noise, random_state=check_random_state(random_state))
    engine = memory.engine_
    k, H, log_scale, _ = engine.kernel_fields(cues)
    # one factor for every cue, so that fields of different cues compare
    common = 0.0 if log_scale.min(initial=0.0) > _LOG_TINY else float(log_scale.max())
    factor = np.exp(log_scale - common)[:, None]
    flipped = np.where(engine.decision_fields(cues) >= 0, 1.0, -1.0) != targets
    return FieldSNR(
        targets * H * factor,
        flipped,
        _target_term(memory, k, index, targets, factor),
        noise=noise,
        n_patterns=len(memory.patterns_),
        log_scale=common,
    )


def _target_term(memory, k, index, targets, factor):
    """``xi_i A[mu, i] K(s, xi_mu)`` when the engine's units are the patterns."""
    engine = memory.engine_
    if engine.decoder is None or engine.encoder.shape != memory.patterns_.shape:
        return None
    if not np.array_equal(engine.encoder, memory.patterns_):
        return None
    rows = np.arange(len(index))
    own = np.asarray(k[rows, index]).ravel()[:, None]
    return targets * np.asarray(engine.decoder)[index] * own * factor
