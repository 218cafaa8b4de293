"""BaseHopfieldMemory: the public methods every memory shares."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

from ._encoding import BINARIZE_HINT, StateCodec, read_cues, validate_states
from .datasets import corrupt
from .retrieval import UPDATES, retrieve


class BaseHopfieldMemory(TransformerMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of the memories: validation, retrieval, scoring and fields.

        A memory subclasses it and implements two hooks; everything users call is
        here. The public :meth:`fit` validates the parameters and the patterns,
        reads the patterns as -1 / +1 (their encoding is remembered in ``codec_``
        so that answers come back in it), then calls

        - ``_fit(S)``: learn from the -1 / +1 patterns ``S`` (also in
          ``patterns_``) and set the learned attributes;
        - ``_make_engine()``: return the :class:`~sklearn_klrhop.retrieval.Engine`
          (encoder, kernel or activation, decoder) of the fitted memory.

        The engine is built once per fit (and again when a pickled memory is
        loaded); it is only read afterwards, so threads can share a memory. A fit
        that fails leaves the memory exactly as it was.

    A cue's way through :meth:`predict` is straight: the codec validates and
        reads it (``read_cues``), the engine and the dynamics retrieve from it
        (:func:`sklearn_klrhop.retrieval.retrieve`), the codec writes the answer.
        Tools of the package that need states as -1 / +1 (scorers, inspection,
        the cost model) take the same way with two documented internal methods:
        ``_validate_cues(X)`` returns validated cues as -1 / +1, and
        ``_retrieval_params(**overrides)`` the keyword arguments of
        :func:`~sklearn_klrhop.retrieval.retrieve` that make it retrieve as the
        memory does (its ``update``, ``max_steps``, ``random_state`` and ``n_jobs``).

        Examples
        --------
        A memory whose fields are the state itself, so that every state is a
        fixed point:

        >>> import numpy as np
        >>> from sklearn_klrhop import BaseHopfieldMemory
        >>> from sklearn_klrhop.retrieval import Engine
        >>> class IdentityMemory(BaseHopfieldMemory):
        ...     def __init__(self, *, update="sync", max_steps=30, score_noise=0.2,
        ...                  binarize=None, random_state=None):
        ...         self.update, self.max_steps = update, max_steps
        ...         self.score_noise, self.binarize = score_noise, binarize
        ...         self.random_state = random_state
        ...     def _fit(self, S):
        ...         pass
        ...     def _make_engine(self):
        ...         eye = np.eye(self.n_features_in_)
        ...         return Engine(eye, lambda q: (q.copy(), np.zeros(len(q))))
        >>> IdentityMemory().fit([[0, 1, 1]]).predict([[1, 0, 1]])
        array([[1, 0, 1]])
    """

    _parameter_constraints: dict = {
        "update": [StrOptions(set(UPDATES))],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "score_noise": [Interval(Real, 0, 1, closed="both")],
        "binarize": [Interval(Real, None, None, closed="neither"), None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    # ----------------------------------------------------------- the template
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Store patterns.

        Refitting replaces everything stored before; nothing accumulates.

        Parameters
        ----------
        X : array-like of shape (n_patterns, n_features)
            Patterns to store, encoded as -1 / +1, 0 / 1 or bool (or any real
            data with ``binarize``).
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted memory.
        """
        with _unchanged_on_error(self):
            X = validate_states(self, X, reset=True)
            self.codec_ = StateCodec.from_data(
                X, binarize=self.binarize, hint=BINARIZE_HINT
            )
            self.patterns_ = self.codec_.read(X)
            self._fit(self.patterns_)
            self.engine_ = self._make_engine()
        return self

    @abstractmethod
    def _fit(self, S):
        """Learn from the -1 / +1 patterns ``S``; set the learned attributes."""

    @abstractmethod
    def _make_engine(self):
        """The :class:`~sklearn_klrhop.retrieval.Engine` of the fitted memory."""

    @property
    def encoding_(self):
        """Encoding of the fitted patterns: ``"bipolar"``, ``"binary"`` or ``"bool"``."""
        return self.codec_.encoding

    # -------------------------------------------------- the internal interface
    def _retrieval_params(self, **overrides):
        """Keyword arguments of ``retrieve`` that retrieve as this memory does."""
        params = {
            "update": self.update,
            "max_steps": self.max_steps,
            "random_state": self.random_state,
            "n_jobs": getattr(self, "n_jobs", None),
        }
        return {**params, **overrides}

    # ------------------------------------------------------------ retrieval
    def retrieve(self, X, *, update=None, return_trajectory=False):
        """Retrieve memories from cues and report how the dynamics got there.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        update : {"sync", "async"} or None, default=None
            Dynamics to use; ``None`` uses the ``update`` parameter.
        return_trajectory : bool, default=False
            Also return the state after every step.

        Returns
        -------
        result : RetrievalResult
            ``states`` (fitted encoding), ``n_steps``, ``n_events``,
            ``converged``, ``energy``, ``counts`` and, if requested,
            ``trajectory`` of shape (n_cues, max_steps + 1, n_features).
        """
        validate_parameter_constraints(
            {
                "update": [StrOptions(set(UPDATES)), None],
                "return_trajectory": ["boolean"],
            },
            {"update": update, "return_trajectory": return_trajectory},
            caller_name="retrieve",
        )
        S = read_cues(self, X)
        params = self._retrieval_params(
            update=update or self.update,
            return_trajectory=return_trajectory,
            return_energy=True,
        )
        res = retrieve(self.engine_, S, **params)
        res.states = self.codec_.write(res.states)
        if res.trajectory is not None:
            res.trajectory = self.codec_.write(res.trajectory)
        return res

    def predict(self, X):
        """Retrieve the memory each cue converges to.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.

        Returns
        -------
        states : ndarray of shape (n_cues, n_features)
            Retrieved states in the fitted encoding.
        """
        S = read_cues(self, X)
        result = retrieve(self.engine_, S, **self._retrieval_params())
        return self.codec_.write(result.states)

    def transform(self, X):
        """Return the trajectories of the dynamics, flattened to two dimensions.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.

        Returns
        -------
        trajectories : ndarray of shape (n_cues, (max_steps + 1) * n_features)
            The cue, then the state after each step, padded with the fixed
            point once the cue has converged. Reshape to
            ``(n_cues, max_steps + 1, n_features)`` to index by step.
        """
        S = read_cues(self, X)
        params = self._retrieval_params(return_trajectory=True)
        trajectory = retrieve(self.engine_, S, **params).trajectory
        return self.codec_.write(trajectory.reshape(len(S), -1))

    def decision_function(self, X):
        """Local fields ``h_i(s)`` of every neuron in the given states.

        A neuron's next state is the sign of its field, +1 at a tie. Ties are
        decided with a margin: a field within ``TIE_RTOL`` (1e-10) of the
        largest magnitude its row can reach counts as 0 and goes to +1, so a
        field that is exactly zero in exact arithmetic but reads, say, -1e-16
        after rounding is still a tie. Compare these raw fields with that
        margin, not by their raw sign.

        Parameters
        ----------
        X : array-like of shape (n_states, n_features)
            States, in the encoding the memory was fitted with.

        Returns
        -------
        fields : ndarray of shape (n_states, n_features)
            The local fields.
        """
        return self._true_fields(read_cues(self, X))

    def energy(self, X):
        """Pseudo-energy ``V(s) = -sum_i s_i h_i(s)`` of each state.

        Parameters
        ----------
        X : array-like of shape (n_states, n_features)
            States, in the encoding the memory was fitted with.

        Returns
        -------
        energy : ndarray of shape (n_states,)
            Lower at states the dynamics favour. For kernel memories it is not
            a Lyapunov function: it need not decrease along every trajectory.
        """
        S = read_cues(self, X)
        return -np.einsum("ij,ij->i", S, self._true_fields(S))

    def _true_fields(self, S):
        H, underflow = self.engine_.true_fields(S, return_underflow=True)
        if underflow.any():
            warnings.warn(
                f"The local fields of {int(underflow.sum())} of {len(S)} states are "
                "below the smallest float64 and read as 0: every kernel value "
                "K(s, xi) underflows at this gamma * N and distance. Retrieval is "
                "unaffected (the dynamics use log-shifted fields whose signs are "
                "exact); compare states through their sign or use a smaller gamma.",
                UserWarning,
                stacklevel=3,
            )
        return H

    def score(self, X, y=None):
        """Recall rate of stored patterns from cues corrupted at ``score_noise``.

        Each row of ``X`` is corrupted by flipping ``round(score_noise * N)``
        random bits; a recall succeeds when the dynamics converge exactly to the
        row. Rows should be stored patterns: a warning is raised otherwise,
        because a memory cannot recall what it never stored (use
        :func:`~sklearn_klrhop.model_selection.recall_scorer` for explicit cue
        and target pairs).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Stored patterns, in the fitted encoding.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        score : float
            Fraction of rows recalled exactly.
        """
        S = read_cues(self, X)
        n_unstored = int(np.count_nonzero(~self._is_stored(S)))
        if n_unstored:
            warnings.warn(
                f"{n_unstored} of the {len(S)} rows passed to score were never stored, "
                "so they cannot be recalled and count as failures. Score on stored "
                "patterns (model_selection.StoredPatternSplit) or use "
                "model_selection.recall_scorer with explicit (cue, target) pairs.",
                UserWarning,
                stacklevel=2,
            )
        rng = check_random_state(self.random_state)
        cues = corrupt(S, self.score_noise, random_state=rng)
        states = retrieve(self.engine_, cues, **self._retrieval_params()).states
        return float(np.mean(np.all(states == S, axis=1)))

    def _is_stored(self, S):
        stored = np.empty(len(S), dtype=bool)
        n_features = S.shape[1]
        for batch in gen_batches(len(S), max(1, 2**24 // max(1, len(self.patterns_)))):
            stored[batch] = np.any(S[batch] @ self.patterns_.T == n_features, axis=1)
        return stored

    # ----------------------------------------------------------- persistence
    def __getstate__(self):
        state = dict(super().__getstate__())
        # The engine is derived from the fitted attributes (and holds
        # functions); it is rebuilt on loading rather than stored.
        state.pop("engine_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "codec_" in state:
            self.engine_ = self._make_engine()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


@contextmanager
def _unchanged_on_error(estimator):
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
