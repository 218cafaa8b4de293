"""Online storage: add patterns to a fitted memory, or remove them, losing nothing."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils.validation import check_is_fitted

from ._encoding import (
    is_label_vector,
    read_fitted_targets,
    validate_states,
)
from ._state import unchanged_on_error


class OnlineStorageMixin:
    """``partial_fit`` and ``forget`` of a memory.

    A memory may implement the hooks ``_partial_fit(n_old)`` (the patterns
    and targets from row ``n_old`` on are new) and ``_forget(keep, removed)``
    (only the rows ``keep`` of the previous patterns remain; ``removed`` is
    ``(patterns, targets)`` of the others, -1 / +1); ``patterns_`` and
    ``targets_`` already hold the new set when they are called. Without
    them the memory is refitted on the new set, which gives the same answer.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y=None):
        """Add patterns (and their targets) to the memory, or fit a new one.

        The memory stores every pattern given to it so far, as :meth:`fit`
        on all of them would; nothing stored before is lost. A pattern given
        again is stored again, as ``fit`` stores repeated rows (a
        :class:`HebbianHopfieldMemory` then weighs it twice). The kernel
        memory grows its Gram matrix by the new rows and columns only and
        solves its dual problem from the previous coefficients, the new
        patterns' at zero; the Hebbian and Storkey rules apply their
        incremental updates; the other memories refit on all the patterns.
        A call that fails leaves the memory exactly as it was.

        Parameters
        ----------
        X : array-like of shape (n_patterns, n_features)
            New patterns, in the encoding (and with the width) of the fitted
            ones.
        y : array-like of shape (n_patterns, n_outputs), default=None
            Targets of the new patterns, for a heteroassociative memory
            (required then); as in :meth:`fit`, a 1-D ``y`` (class labels)
            is ignored.

        Returns
        -------
        self : object
            The memory, storing the old and the new patterns.

        Examples
        --------
        >>> from sklearn_klrhop import KLRHopfieldMemory
        >>> from sklearn_klrhop.datasets import make_patterns
        >>> X = make_patterns(300, 100, random_state=0)
        >>> mem = KLRHopfieldMemory().partial_fit(X[:200]).partial_fit(X[200:])
        >>> mem.patterns_.shape, mem.score(X[:200])
        ((300, 100), 1.0)
        """
        if not hasattr(self, "codec_"):
            self._online = True  # keep what makes the next call cheap
            return self.fit(X, y)
        with unchanged_on_error(self):
            X = validate_states(self, X, reset=False)
            S = self.codec_.read(X)
            T = self._new_targets(S, X, y)
            n_old = len(self.patterns_)
            self.patterns_ = np.vstack([self.patterns_, S])
            if self.heteroassociative_:
                self.targets_ = np.vstack([self.targets_, T])
            else:
                self.targets_ = self.patterns_
            self._online = True
            self._partial_fit(n_old)
            self.engine_ = self._make_engine()
        return self

    def _new_targets(self, S, X, y):
        """The -1 / +1 targets of new patterns ``S``, consistent with the fit."""
        labels = y is None or is_label_vector(y)
        if not self.heteroassociative_:
            if not labels and not np.array_equal(
                read_fitted_targets(self, y, len(S)), S
            ):
                raise ValueError(
                    "This memory is autoassociative (fitted without targets); "
                    "partial_fit cannot add targets other than the patterns. Fit "
                    "a new memory with targets for a heteroassociative one."
                )
            return S
        if labels:
            raise ValueError(
                "This memory is heteroassociative (fitted with targets y): "
                "partial_fit needs the targets of the new patterns, a 2-D y of "
                f"shape (n_patterns, {self.n_outputs_})."
            )
        return read_fitted_targets(self, y, len(S))

    def forget(self, indices):
        """Remove stored patterns (and their targets) from the memory.

        The memory then answers as :meth:`fit` on the remaining patterns
        would. A call that fails leaves the memory exactly as it was.

        Parameters
        ----------
        indices : array-like of int
            Rows of ``patterns_`` to remove (negative indices count from the
            end). At least one pattern must remain.

        Returns
        -------
        self : object
            The memory without those patterns.

        Examples
        --------
        >>> from sklearn_klrhop import HebbianHopfieldMemory
        >>> from sklearn_klrhop.datasets import make_patterns
        >>> X = make_patterns(6, 64, random_state=0)
        >>> mem = HebbianHopfieldMemory().fit(X).forget([0, 1])
        >>> mem.patterns_.shape
        (4, 64)
        """
        check_is_fitted(self)
        keep = _kept_rows(indices, len(self.patterns_))
        with unchanged_on_error(self):
            removed = self.patterns_[~keep], self.targets_[~keep]
            self.patterns_ = self.patterns_[keep]
            hetero = self.heteroassociative_
            self.targets_ = self.targets_[keep] if hetero else self.patterns_
            self._forget(keep, removed)
            self.engine_ = self._make_engine()
        return self

    # hooks: by default the memory is refitted on the new set of patterns
    def _partial_fit(self, n_old):
        self._fit(self.patterns_, self.targets_)

    def _forget(self, keep, removed):
        self._fit(self.patterns_, self.targets_)


def _kept_rows(indices, n_patterns):
    """The bool mask of the rows that remain after removing ``indices``."""
    index = np.asarray(indices)
    if index.ndim != 1 or (index.size and index.dtype.kind not in "iu"):
        raise TypeError(
            "indices must be a 1-D array-like of ints (rows of patterns_); got "
            f"{'an array of shape ' + str(index.shape) if index.ndim != 1 else index.dtype}."
        )
    bad = (index < -n_patterns) | (index >= n_patterns)
    if bad.any():
        raise ValueError(
            f"indices {index[bad][:5].tolist()} are out of range for a memory of "
            f"{n_patterns} patterns."
        )
    keep = np.ones(n_patterns, dtype=bool)
    keep[index.astype(np.intp)] = False
    if not keep.any():
        raise ValueError(
            f"forget would remove all {n_patterns} stored patterns; a memory needs "
            "at least one (fit a new memory instead)."
        )
    return keep
