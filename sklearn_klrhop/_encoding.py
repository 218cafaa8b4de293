"""Reading binary states: array checks, encodings and the recall criterion."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils.validation import check_array

# Fragments of scikit-learn's messages for input that is not numeric data.
_DTYPE_ERRORS = ("Complex data not supported", "could not convert", "bytes/strings")


def explain_dtype_error(exc, accepted):
    """A clearer ValueError for non-numeric input, or None for other errors.

    scikit-learn's message says what was wrong (and sometimes appends the whole
    array); keep its first line and add what is accepted.
    """
    message = str(exc)
    if not any(m in message for m in _DTYPE_ERRORS):
        return None
    first = message.splitlines()[0].rstrip().rstrip(".")
    return ValueError(f"{first}. {accepted}")


def check_states_array(X, name, accepted):
    """``check_array`` with messages that say which input is accepted."""
    try:
        return check_array(X, dtype="numeric", input_name=name)
    except ValueError as exc:
        clearer = explain_dtype_error(exc, f"{name} must be {accepted}.")
        if clearer is None:
            raise
        raise clearer from exc


def as_bipolar(A, name):
    """+/-1 float copy of 2-D states encoded as -1 / +1, 0 / 1 or bool.

    Each array is read on its own: an array of only 1 is +1 in either encoding.
    """
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features); got {A.ndim}-D.")
    if A.dtype == bool:
        return np.where(A, 1.0, -1.0)
    values = np.unique(A)
    if np.isin(values, (-1, 1)).all():
        return A.astype(float)
    if np.isin(values, (0, 1)).all():
        return 2.0 * A.astype(float) - 1.0
    bad = values[~np.isin(values, (-1, 0, 1))]
    raise ValueError(
        f"{name} must hold binary states encoded as -1 / +1, 0 / 1 or bool; found "
        f"values {(bad if bad.size else values)[:5].tolist()}."
    )


def recall_hits(states, targets, criterion="exact"):
    """Per row: did ``states`` (+/-1) recall ``targets`` (+/-1)?

    ``"exact"``: equal rows (the papers' criterion); a float ``c``: overlap
    ``s . xi / N`` of at least ``c``.
    """
    if isinstance(criterion, str):
        return np.all(states == targets, axis=1)
    return np.einsum("ij,ij->i", states, targets) / states.shape[1] >= criterion
