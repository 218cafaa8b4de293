"""The codec: how binary states are read from user data and written back.

Every part of the package that takes states from a user (the memories, the
scorers, the curves, the metrics and the data sets) reads them here, and every
answer is written here in the encoding the user gave. Inside the package a
state is always a float64 array of -1.0 and +1.0.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ._warnings import warn_user

# The accepted encodings: values each may hold, and how a message names them.
ENCODINGS = {
    "bipolar": ((-1, 1), "-1 / +1"),
    "binary": ((0, 1), "0 / 1"),
    "bool": ((0, 1), "False / True (or 0 / 1)"),
}

ACCEPTED = (
    "Memories accept numeric 2-D array-likes of states encoded as -1 / +1, "
    "0 / 1 or bool, or real-valued data with binarize=<threshold>."
)

BINARIZE_HINT = (
    " Set binarize=<threshold> (for example binarize=0.0) to map real-valued "
    "data x > threshold to +1 and the rest to -1."
)

# Fragments of scikit-learn's messages for input that is not numeric data.
_DTYPE_ERRORS = ("Complex data not supported", "could not convert", "bytes/strings")


def _explain_dtype_error(exc, accepted):
    """A clearer ValueError for non-numeric input, or None for other errors.

    scikit-learn's message says what was wrong (and sometimes appends the whole
    array); keep its first line and add what is accepted.
    """
    message = str(exc)
    if not any(m in message for m in _DTYPE_ERRORS):
        return None
    first = message.splitlines()[0].rstrip().rstrip(".")
    return ValueError(f"{first}. {accepted}")


def check_states(X, name="X"):
    """``check_array`` for states, with messages that say what is accepted."""
    try:
        return check_array(X, dtype="numeric", input_name=name)
    except ValueError as exc:
        clearer = _explain_dtype_error(
            exc, f"{name} must be a numeric 2-D array-like of binary states."
        )
        if clearer is None:
            raise
        raise clearer from exc


def validate_states(estimator, X, *, reset, allow_nan=False):
    """``validate_data`` for a memory's input, with the same clearer messages.

    ``allow_nan``: NaN may mark unknown bits (partial cues).
    """
    finite = "allow-nan" if allow_nan else True
    try:
        return validate_data(
            estimator, X, dtype="numeric", reset=reset, ensure_all_finite=finite
        )
    except ValueError as exc:
        clearer = _explain_dtype_error(exc, ACCEPTED)
        if clearer is None:
            raise
        raise clearer from exc


@dataclass(frozen=True)
class StateCodec:
    """How an array of states is encoded: read to -1 / +1, written back.

    Parameters
    ----------
    encoding : {"bipolar", "binary", "bool"}
        -1 / +1, 0 / 1 or False / True.
    dtype : str
        dtype (as ``numpy.dtype.str``) of the answers; integer and bool data
        get their own dtype back, floating-point data float64.
    threshold : float or None
        The ``binarize`` threshold: any real value is read, as +1 where
        ``x > threshold`` and -1 elsewhere (answers are then -1 / +1).
    only_ones : bool
        The data held only 1, which reads as -1 / +1 (messages say so).
    """

    encoding: str = "bipolar"
    dtype: str = "<f8"
    threshold: float | None = None
    only_ones: bool = False

    @classmethod
    def from_data(cls, X, *, binarize=None, name="X", hint=""):
        """The codec of checked 2-D data ``X``: its encoding, or ``binarize``.

        Raises a ValueError naming the offending values when ``X`` holds
        anything but one binary encoding (``hint`` is appended).
        """
        if binarize is not None:
            return cls("bipolar", "<f8", float(binarize))
        dtype = X.dtype.str if X.dtype.kind in "biu" else "<f8"
        if X.dtype == bool:
            return cls("bool", dtype)
        values = np.unique(X)
        if np.isin(values, (-1, 1)).all():
            return cls("bipolar", dtype, only_ones=bool((values == 1).all()))
        if np.isin(values, (0, 1)).all():
            return cls("binary", dtype)
        bad = values[~np.isin(values, (-1, 0, 1))]
        raise ValueError(
            f"{name} must hold binary states encoded as -1 / +1, 0 / 1 or bool; "
            f"found values {(bad if bad.size else values)[:5].tolist()}.{hint}"
        )

    def read(self, X, *, name="X"):
        """-1 / +1 float64 copy of checked 2-D data ``X`` in this encoding."""
        if self.threshold is not None:
            return np.where(X > self.threshold, 1.0, -1.0)
        accepted, described = ENCODINGS[self.encoding]
        if X.dtype != bool:
            bad = ~np.isin(X, accepted)
            if bad.any():
                raise ValueError(
                    f"{name} must hold states encoded as {described}, like the "
                    f"patterns this memory was fitted with; found values "
                    f"{np.unique(X[bad])[:5].tolist()}.{self._hint()}"
                )
        if self.encoding == "bipolar":
            return X.astype(np.float64)
        return np.where(X > 0, 1.0, -1.0)

    def write(self, S):
        """States ``S`` (-1 / +1) in this encoding and dtype."""
        if self.encoding == "bipolar" and self.threshold is None:
            return S.astype(self.dtype, copy=False)
        if self.encoding == "bipolar":
            return S.astype(np.float64, copy=False)
        if self.encoding == "bool":
            return S > 0
        return (S > 0).astype(self.dtype)

    def _hint(self):
        if self.only_ones:
            return (
                " The fitted patterns contain only 1, which is read as -1 / +1; "
                "fit bool patterns to use the 0 / 1 encoding." + BINARIZE_HINT
            )
        return BINARIZE_HINT


def is_label_vector(y):
    """Whether ``y`` is a 1-D vector (class labels): memories ignore it.

    A target state is a row of a 2-D ``y`` of shape (n_patterns, n_outputs)
    (a 1-bit target is ``y[:, None]``); a 1-D ``y`` is what a
    :class:`~sklearn.pipeline.Pipeline` passes to every step, the labels of
    a classifier downstream, and is ignored as scikit-learn's transformers
    ignore it.
    """
    return y is not None and np.asarray(y).ndim == 1


def read_targets(y, n_samples, *, binarize=None):
    """Check the 2-D targets ``y`` of a fit and read them as -1 / +1.

    ``y`` holds a target state per pattern, of any width, with one row per
    pattern, in any accepted encoding of its own (or any real data with
    ``binarize``, like X). Returns ``(T, codec)``: the -1 / +1 targets and
    the codec that writes answers like ``y``.
    """
    try:
        y = check_array(y, dtype="numeric", ensure_2d=False, input_name="y")
    except ValueError as exc:
        clearer = _explain_dtype_error(
            exc, "y must be a numeric 2-D array-like of target states."
        )
        if clearer is None:
            raise
        raise clearer from exc
    if y.ndim != 2:
        raise ValueError(
            f"y must be 2-D, one target state per pattern (a 1-D y is a label "
            f"vector and is ignored); got an array of shape {y.shape}."
        )
    if len(y) != n_samples:
        raise ValueError(
            f"y has {len(y)} rows but X has {n_samples}; pass one target state per "
            "stored pattern."
        )
    codec = StateCodec.from_data(y, binarize=binarize, name="y", hint=BINARIZE_HINT)
    return codec.read(y, name="y"), codec


def read_fitted_targets(memory, y, n_samples):
    """Targets ``y`` for a fitted memory, read as -1 / +1 with its ``binarize``.

    They must have the width the memory was fitted with (``n_outputs_``).
    """
    T = read_targets(y, n_samples, binarize=memory.binarize)[0]
    if T.shape[1] != memory.n_outputs_:
        raise ValueError(
            f"y has {T.shape[1]} target bits per row but the memory was fitted "
            f"with {memory.n_outputs_}."
        )
    return T


def read_states(X, name="X"):
    """Check ``X`` and read it as -1 / +1 in the encoding it holds.

    Each array is read on its own: an array of only 1 is +1 in either
    encoding. Returns ``(S, codec)``, the codec writing answers like ``X``.
    """
    X = check_states(X, name)
    codec = StateCodec.from_data(X, name=name)
    return codec.read(X, name=name), codec


def read_cues(memory, X, name="X"):
    """Validate the input of a fitted memory and read it with its codec.

    ``validate_data`` checks the width and feature names against the fit;
    the memory's ``codec_`` reads the values.
    """
    check_is_fitted(memory)
    X = validate_states(memory, X, reset=False)
    return memory.codec_.read(X, name=name)


def stored_index(S, patterns):
    """Index of the first row of ``patterns`` equal to each row of ``S``, or -1.

    Both are -1 / +1; rows are equal when their overlap is N. Computed in
    blocks of at most 2**24 overlaps.
    """
    index = np.empty(len(S), dtype=np.intp)
    n_features = S.shape[1]
    step = max(1, 2**24 // max(1, len(patterns)))
    for start in range(0, len(S), step):
        equal = S[start : start + step] @ patterns.T == n_features
        index[start : start + step] = np.where(
            equal.any(axis=1), equal.argmax(axis=1), -1
        )
    return index


def stored_targets(memory, S):
    """Targets of the rows of ``S`` that ``memory`` stored, and which were.

    For :meth:`~sklearn_klrhop.BaseHopfieldMemory.score`: unstored rows get a
    warning; for them an autoassociative memory compares with the row itself,
    a heteroassociative one counts a miss.
    """
    index = stored_index(S, memory.patterns_)
    stored = index >= 0
    if not stored.all():
        warn_user(
            f"{int(np.count_nonzero(~stored))} of the {len(S)} rows passed to "
            "score were never stored, so they cannot be recalled and count as "
            "failures. Score on stored patterns "
            "(model_selection.StoredPatternSplit) or use "
            "model_selection.recall_scorer with explicit (cue, target) pairs.",
            UserWarning,
        )
    if not memory.heteroassociative_:
        return S, np.ones(len(S), dtype=bool)
    return memory.targets_[np.maximum(index, 0)], stored


def recall_hits(states, targets, criterion="exact"):
    """Per row: did ``states`` (-1 / +1) recall ``targets`` (-1 / +1)?

    ``"exact"``: equal rows (the papers' criterion); a float ``c``: overlap
    ``s . xi / N`` of at least ``c``.
    """
    if isinstance(criterion, str):
        return np.all(states == targets, axis=1)
    return np.einsum("ij,ij->i", states, targets) / states.shape[1] >= criterion


def fraction_count(fraction, n):
    """``round(fraction * n)`` with halves rounded up: bits of a cue, patterns of a load.

    Python's ``round`` rounds halves to even, so 25 % of 10 bits and a load
    of 0.25 at N = 10 would both give 2; every count of bits and patterns in
    the package uses this rule instead (0.25 of 10 is 3). A tiny allowance
    keeps binary fractions such as 0.35 * 10 = 3.4999... at 4.
    """
    return np.floor(np.asarray(fraction, dtype=float) * n + 0.5 + 1e-9).astype(int)
