"""A memory's fitted state: kept whole when a call fails, pickled with its version."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from contextlib import contextmanager

from ._version import VERSION

# Derived from the fitted attributes, or caches: rebuilt, never stored.
TRANSIENT = ("engine_", "_cached_gram", "_online")


class InconsistentVersionWarning(UserWarning):
    """A memory is loaded under another version of sklearn_klrhop than it was saved.

    Raised, as scikit-learn raises its own ``InconsistentVersionWarning`` for
    its estimators, when a pickled (or skops-saved) memory is loaded.

    Parameters
    ----------
    estimator_name : str
        Class name of the loaded memory.
    original_version : str
        Version of sklearn_klrhop the memory was saved with.
    current_version : str
        Version loading it.

    Examples
    --------
    >>> from sklearn_klrhop import InconsistentVersionWarning
    >>> str(InconsistentVersionWarning("KLRHopfieldMemory", "0.1", "0.2"))[:44]
    'Trying to load KLRHopfieldMemory saved by sk'
    """

    def __init__(self, estimator_name, original_version, current_version):
        super().__init__(estimator_name, original_version, current_version)
        self.estimator_name = estimator_name
        self.original_version = original_version
        self.current_version = current_version

    def __str__(self):
        return (
            f"Trying to load {self.estimator_name} saved by sklearn_klrhop "
            f"{self.original_version} when using version {self.current_version}. "
            "This might lead to breaking code or invalid results; refit the "
            "memory or save it again under this version."
        )


class PersistentStateMixin:
    """``__getstate__`` / ``__setstate__`` of a memory.

    The engine and caches are dropped from the state and the engine is
    rebuilt on loading; the state records the package version, and loading
    it under another version warns (:class:`InconsistentVersionWarning`).
    """

    def __getstate__(self):
        state = dict(super().__getstate__())
        for name in TRANSIENT:
            state.pop(name, None)
        state["_sklearn_klrhop_version"] = VERSION
        return state

    def __setstate__(self, state):
        state = dict(state)
        version = state.pop("_sklearn_klrhop_version", "pre-0.1")
        if version != VERSION:
            warnings.warn(
                InconsistentVersionWarning(type(self).__name__, version, VERSION),
                stacklevel=2,
            )
        super().__setstate__(state)
        if "codec_" in state:
            self.engine_ = self._make_engine()


@contextmanager
def unchanged_on_error(estimator):
    """Restore every attribute of ``estimator`` if the block raises.

    Fitted arrays are replaced, never written in place, so a shallow copy of
    the attributes is the whole state.
    """
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise
