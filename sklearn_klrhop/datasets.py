"""Pattern generators, cue corruption, sequences and a bundled structured data set."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ._encoding import fraction_count, read_states

__all__ = ["corrupt", "load_digit_patterns", "make_patterns", "sequence_targets"]


@validate_params(
    {
        "n_patterns": [Interval(Integral, 1, None, closed="left")],
        "n_features": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_patterns(n_patterns, n_features, *, random_state=None):
    """Generate i.i.d. uniform bipolar patterns.

    Parameters
    ----------
    n_patterns : int
        Number of patterns P.
    n_features : int
        Number of neurons N.
    random_state : int, RandomState instance or None, default=None
        Pass an int for reproducible output across multiple function calls.

    Returns
    -------
    X : ndarray of shape (n_patterns, n_features)
        Patterns with entries -1.0 and +1.0, each with probability 1/2.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_klrhop.datasets import make_patterns
    >>> X = make_patterns(3, 5, random_state=0)
    >>> X.shape, np.unique(X).tolist()
    ((3, 5), [-1.0, 1.0])
    """
    rng = check_random_state(random_state)
    return np.where(rng.random_sample((n_patterns, n_features)) < 0.5, -1.0, 1.0)


@validate_params(
    {
        "X": ["array-like"],
        "noise": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def corrupt(X, noise, *, random_state=None):
    """Flip exactly ``round(noise * N)`` distinct bits of every row (halves up).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        States encoded as -1 / +1, 0 / 1 or bool; the cues come back in the
        same encoding and dtype.
    noise : float in [0, 1]
        Fraction of bits to flip (the papers' "noise level"). A cue then has
        overlap ``1 - 2 * round(noise * N) / N`` with its row, e.g. 0.6 at 20 %.
    random_state : int, RandomState instance or None, default=None
        Pass an int for reproducible output across multiple function calls.

    Returns
    -------
    cues : ndarray of shape (n_samples, n_features)
        Copies of the rows with the chosen bits negated.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_klrhop.datasets import corrupt
    >>> X = np.ones((2, 10))
    >>> (corrupt(X, 0.3, random_state=0) == -1).sum(axis=1)
    array([3, 3])
    >>> corrupt([[True, True, True, True]], 0.5, random_state=0)
    array([[False,  True,  True, False]])
    """
    S, codec = read_states(X, "X")
    rng = check_random_state(random_state)
    n_samples, n_features = S.shape
    n_flips = int(fraction_count(noise, n_features))
    # The first n_flips columns of a random permutation of each row.
    order = np.argsort(rng.random_sample((n_samples, n_features)), axis=1)
    flip = np.zeros(S.shape, dtype=bool)
    np.put_along_axis(flip, order[:, :n_flips], True, axis=1)
    return codec.write(np.where(flip, -S, S))


@validate_params(
    {"X": ["array-like"], "cyclic": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def sequence_targets(X, *, cyclic=True):
    """Pair each pattern of a sequence with its successor, for ``fit(X, y)``.

    Parameters
    ----------
    X : array-like of shape (n_patterns, n_features)
        The sequence, one pattern per row in order, encoded as -1 / +1,
        0 / 1 or bool. At least two patterns.
    cyclic : bool, default=True
        ``True``: the last pattern is followed by the first, so every pattern
        has a successor and the synchronous dynamics replay the sequence as a
        limit cycle of period ``n_patterns``. ``False``: an open sequence;
        the last pattern has no successor and is not stored as a key.

    Returns
    -------
    X_keys : ndarray of shape (n_patterns, n_features) or \
            (n_patterns - 1, n_features)
        The patterns that are mapped: all of them, or all but the last.
    y : ndarray of the same shape
        The successor of each key, ``X[mu + 1]`` (``X[0]`` after the last
        one of a cyclic sequence). Both arrays keep the encoding and dtype
        of ``X``.

    Examples
    --------
    >>> from sklearn_klrhop.datasets import sequence_targets
    >>> X = [[1, 1, -1], [1, -1, 1], [-1, 1, 1]]
    >>> keys, y = sequence_targets(X)
    >>> y.tolist()
    [[1, -1, 1], [-1, 1, 1], [1, 1, -1]]
    >>> keys, y = sequence_targets(X, cyclic=False)
    >>> keys.tolist(), y.tolist()
    ([[1, 1, -1], [1, -1, 1]], [[1, -1, 1], [-1, 1, 1]])
    """
    S, codec = read_states(X, "X")
    if len(S) < 2:
        raise ValueError(
            f"A sequence needs at least two patterns; got {len(S)}. Pass the "
            "patterns of the sequence as the rows of X, in order."
        )
    if cyclic:
        return codec.write(S), codec.write(np.roll(S, -1, axis=0))
    return codec.write(S[:-1]), codec.write(S[1:])


@validate_params({"return_X_y": ["boolean"]}, prefer_skip_nested_validation=True)
def load_digit_patterns(*, return_X_y=False):
    """Load scikit-learn's bundled 8 x 8 digits, binarised to bipolar patterns.

    Each pixel (0-16) becomes +1 if it is above 8 and -1 otherwise. The data
    ship with scikit-learn; nothing is downloaded.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (1797, 64) bipolar patterns, ``target`` the digit labels,
        ``images`` (1797, 8, 8), ``feature_names``, ``target_names`` and
        ``DESCR``.

    Examples
    --------
    >>> from sklearn_klrhop.datasets import load_digit_patterns
    >>> digits = load_digit_patterns()
    >>> digits.data.shape
    (1797, 64)
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    data = np.where(digits.data > 8, 1.0, -1.0)
    if return_X_y:
        return data, digits.target
    return Bunch(
        data=data,
        target=digits.target,
        images=data.reshape(-1, 8, 8),
        feature_names=digits.feature_names,
        target_names=digits.target_names,
        DESCR=(
            "Optical recognition of handwritten digits (scikit-learn's load_digits), "
            "each 8x8 image binarised to +1 (pixel > 8) / -1.\n\n" + digits.DESCR
        ),
    )
