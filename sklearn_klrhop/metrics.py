"""Overlap, Hamming distance and recall of retrieved states."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.validation import check_consistent_length

from ._encoding import read_states, recall_hits

__all__ = ["overlap", "hamming", "recall_score"]


def _pair(a, b):
    """Both arrays checked and read as +/-1, each in its own encoding."""
    a, _ = read_states(a, "y_true")
    b, _ = read_states(b, "y_pred")
    check_consistent_length(a, b)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"y_true has {a.shape[1]} features but y_pred has {b.shape[1]}; "
            "they must have the same width."
        )
    return a, b


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def overlap(y_true, y_pred):
    """Overlap ``m = s @ xi / N`` of each row pair of states.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_features)
        Target patterns, -1 / +1, 0 / 1 or bool (0 and False count as -1).
    y_pred : array-like of shape (n_samples, n_features)
        Retrieved states, -1 / +1, 0 / 1 or bool (each array is read in its
        own encoding).

    Returns
    -------
    m : ndarray of shape (n_samples,)
        1 for identical rows, -1 for opposite rows.

    Examples
    --------
    >>> from sklearn_klrhop.metrics import overlap
    >>> overlap([[1, 1, -1, -1]], [[1, 1, 1, -1]])
    array([0.5])
    """
    a, b = _pair(y_true, y_pred)
    return np.einsum("ij,ij->i", a, b) / a.shape[1]


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def hamming(y_true, y_pred):
    """Number of differing bits of each row pair.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_features)
        Target patterns, -1 / +1, 0 / 1 or bool.
    y_pred : array-like of shape (n_samples, n_features)
        Retrieved states, -1 / +1, 0 / 1 or bool (each array is read in its
        own encoding).

    Returns
    -------
    d : ndarray of shape (n_samples,)
        Count of positions where the rows differ.

    Examples
    --------
    >>> from sklearn_klrhop.metrics import hamming
    >>> hamming([[1, 1, -1, -1]], [[1, 1, 1, 1]])
    array([2])
    """
    a, b = _pair(y_true, y_pred)
    return np.count_nonzero(a != b, axis=1)


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "criterion": [StrOptions({"exact"}), Interval(Real, -1, 1, closed="both")],
    },
    prefer_skip_nested_validation=True,
)
def recall_score(y_true, y_pred, *, criterion="exact"):
    """Fraction of retrieved states that count as a successful recall.

    Parameters
    ----------
    y_true : array-like of shape (n_samples, n_features)
        Target patterns.
    y_pred : array-like of shape (n_samples, n_features)
        Retrieved states.
    criterion : "exact" or float in [-1, 1], default="exact"
        ``"exact"``: the state equals the target (the papers' criterion). A
        float ``c``: the overlap with the target is at least ``c`` (e.g. 0.95);
        the states must then be binary (see :func:`overlap`).

    Returns
    -------
    score : float
        Recall rate in [0, 1].

    Examples
    --------
    >>> from sklearn_klrhop.metrics import recall_score
    >>> recall_score([[1, -1], [1, 1]], [[1, -1], [1, -1]])
    0.5
    """
    hits = recall_hits(*_pair(y_true, y_pred), criterion)
    return float(np.mean(hits)) if len(hits) else 0.0
