"""Partial cues: which bits of a cue are unknown, read from a mask and NaN.

A partial cue knows some bits and not others. The unknown bits are marked by
a boolean ``mask`` of the cue's shape (True: unknown, as in
:class:`numpy.ma.MaskedArray` and scikit-learn's missing-value masks) and/or
by NaN in the cue. The known bits are read by the memory's codec; the unknown
ones are handed to :func:`sklearn_klrhop.retrieval.retrieve` as ``hidden``,
which starts them from the fields of the known bits.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._encoding import validate_states

MASK_HINT = (
    "Mark unknown bits with mask (a bool array of the shape of X, True where "
    "a bit is unknown) or with NaN in X."
)


def read_partial_cues(memory, X, mask=None, clamp=False, *, complete=False):
    """Validate partial cues for a fitted memory.

    Returns ``(S, hidden)``: the cues as -1 / +1 (hidden bits hold +1, a
    placeholder the dynamics ignore, so any value may stand there) and the
    bool array of unknown bits, or None when nothing is hidden (no mask, no
    NaN). ``complete=True`` (for :meth:`score`, whose rows are also the
    targets) wants every bit of ``X``: NaN is refused and ``S`` is ``X``.
    """
    check_is_fitted(memory)
    X = validate_states(memory, X, reset=False, allow_nan=not complete)
    nan = np.isnan(X) if X.dtype.kind == "f" else np.zeros(X.shape, dtype=bool)
    hidden = nan if nan.any() else None
    if mask is not None:
        mask = _check_mask(mask, X.shape)
        if (nan & ~mask).any():
            raise ValueError(
                f"X holds NaN at {int(np.count_nonzero(nan & ~mask))} bits that "
                "mask marks as known; NaN marks an unknown bit, so set mask True "
                "there (or give the bit a value)."
            )
        hidden = mask
    if hidden is None:
        if clamp:
            raise ValueError(
                "clamp=True keeps the known bits of partial cues fixed, but no bit "
                f"is marked unknown. {MASK_HINT}"
            )
        return memory.codec_.read(X), None
    if memory.heteroassociative_:
        raise ValueError(
            "Partial cues are completed by the autoassociative dynamics; this "
            "memory is heteroassociative (fitted with targets y). Give every bit "
            "of its cues a value."
        )
    full = np.flatnonzero(hidden.all(axis=1)) if hidden.shape[1] else []
    if len(full):
        raise ValueError(
            f"{len(full)} of the {len(X)} cues have every bit unknown (the first is "
            f"row {int(full[0])}); a partial cue needs at least one known bit."
        )
    if complete:
        return memory.codec_.read(X), hidden
    placeholder = True if X.dtype == bool else 1
    S = memory.codec_.read(np.where(hidden, placeholder, X).astype(X.dtype))
    return S, hidden


def _check_mask(mask, shape):
    """``mask`` as a bool ndarray of ``shape``, or a clear error."""
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(
            f"mask must be a bool array (True where a bit is unknown); got dtype "
            f"{mask.dtype}. Convert it with mask.astype(bool) if 0 / 1 are meant."
        )
    if mask.shape != shape:
        raise ValueError(
            f"mask has shape {mask.shape} but X has shape {shape}; pass one flag "
            "per bit of the cues."
        )
    return mask
