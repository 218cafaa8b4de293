"""BaseHopfieldMemory: the public methods every memory shares."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

from ._encoding import (
    BINARIZE_HINT,
    StateCodec,
    is_label_vector,
    read_cues,
    read_fitted_targets,
    read_targets,
    stored_targets,
    validate_states,
)
from ._masks import read_partial_cues
from ._partial import OnlineStorageMixin
from ._state import PersistentStateMixin, unchanged_on_error
from ._warnings import warn_user
from .datasets import corrupt
from .retrieval import UPDATES, retrieve


class BaseHopfieldMemory(
    OnlineStorageMixin,
    PersistentStateMixin,
    TransformerMixin,
    BaseEstimator,
    metaclass=ABCMeta,
):
    """Base class of the memories: validation, retrieval, scoring and fields.

        A memory subclasses it and implements two hooks; everything users call is
        here. The public :meth:`fit` validates the parameters, the patterns and
        the targets ``y``, reads both as -1 / +1 (their encodings are remembered
        in ``codec_`` and ``target_codec_`` so that answers come back in them),
        then calls

        - ``_fit(S, T)``: learn to map the -1 / +1 patterns ``S`` (also in
          ``patterns_``) to the targets ``T`` (also in ``targets_``) and set
          the learned attributes. ``T`` is ``S`` itself when the memory is
          autoassociative (``y`` None or equal to ``X``); a memory for which
          other targets make no sense raises a ValueError there;
        - ``_make_engine()``: return the :class:`~sklearn_klrhop.retrieval.Engine`
          (encoder, kernel or activation, decoder) of the fitted memory.

        The engine is built once per fit (and again when a pickled memory is
        loaded); it is only read afterwards, so threads can share a memory. A fit
        that fails leaves the memory exactly as it was.

    A cue's way through :meth:`predict` is straight: the codec validates and
        reads it (``read_cues``), the engine and the dynamics retrieve from it
        (:func:`sklearn_klrhop.retrieval.retrieve`), the codec writes the answer.
        Tools of the package that need states as -1 / +1 (scorers, inspection,
        the cost model) take the same way: ``read_cues(memory, X)`` returns
        validated cues as -1 / +1, and the internal method
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
        ...     def _fit(self, S, T):
        ...         if T is not S:
        ...             raise ValueError("IdentityMemory stores no targets.")
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
        "transform_returns": [StrOptions({"trajectory", "states"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    # ----------------------------------------------------------- the template
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Store patterns, or the associations of patterns with targets.

        Refitting replaces everything stored before; nothing accumulates.
        Without ``y`` (or with ``y`` equal to ``X``) the memory is
        autoassociative: each pattern is an attractor and :meth:`predict`
        runs the dynamics to it. With other targets it is heteroassociative:
        pattern ``X[mu]`` is mapped to ``y[mu]``, :meth:`predict` applies the
        map once, and iterating it (:meth:`replay`) follows a stored
        sequence (see :func:`~sklearn_klrhop.datasets.sequence_targets`).

        Parameters
        ----------
        X : array-like of shape (n_patterns, n_features)
            Patterns to store, encoded as -1 / +1, 0 / 1 or bool (or any real
            data with ``binarize``).
        y : array-like of shape (n_patterns, n_outputs), default=None
            Target state of each pattern, in any binary encoding of its own
            (or real data with ``binarize``); answers of :meth:`predict` come
            back in it. Targets of any width are learned (a 1-bit target is
            ``y[:, None]``); only targets as wide as the patterns
            (``n_outputs == n_features``) can be iterated. ``None`` means
            ``y = X``. A 1-D ``y`` is a vector of class labels and is
            ignored, as scikit-learn's transformers ignore it: in a
            :class:`~sklearn.pipeline.Pipeline` before a classifier the
            memory stores ``X`` and the labels reach the classifier only.

        Returns
        -------
        self : object
            Fitted memory.
        """
        with unchanged_on_error(self):
            X = validate_states(self, X, reset=True)
            self.codec_ = StateCodec.from_data(
                X, binarize=self.binarize, hint=BINARIZE_HINT
            )
            self.patterns_ = S = self.codec_.read(X)
            if y is None or is_label_vector(y):
                T, self.target_codec_ = S, self.codec_
            else:
                T, self.target_codec_ = read_targets(y, len(S), binarize=self.binarize)
            # y = X (as states) is autoassociation, bit for bit as y = None
            self.heteroassociative_ = not np.array_equal(S, T)
            self.targets_ = T if self.heteroassociative_ else S
            self.n_outputs_ = T.shape[1]
            self._fit(S, self.targets_)
            self.engine_ = self._make_engine()
        return self

    @abstractmethod
    def _fit(self, S, T):
        """Learn the map from the -1 / +1 patterns ``S`` to the targets ``T``."""

    @abstractmethod
    def _make_engine(self):
        """The :class:`~sklearn_klrhop.retrieval.Engine` of the fitted memory."""

    @property
    def encoding_(self):
        """Encoding of the fitted patterns: ``"bipolar"``, ``"binary"`` or ``"bool"``."""
        return self.codec_.encoding

    # -------------------------------------------------- the internal interface
    def _retrieval_params(self, **overrides):
        """Keyword arguments of ``retrieve`` that retrieve as this memory does.

        Refuses asynchronous updates of a heteroassociative memory.
        """
        params = {
            "update": self.update,
            "max_steps": self.max_steps,
            "random_state": self.random_state,
            "n_jobs": getattr(self, "n_jobs", None),
            **overrides,
        }
        if params["update"] == "async" and self.heteroassociative_:
            raise ValueError(
                "Asynchronous updates are not defined for a heteroassociative "
                "memory (fitted with targets y other than X): its map sends a "
                "whole state to its target in one step, and updating one neuron "
                "at a time would mix a state with its successor. Use "
                "update='sync'."
            )
        return params

    def _map_params(self, **overrides):
        """``retrieve`` arguments of :meth:`predict`: one step of a map, else the
        memory's dynamics."""
        if self.heteroassociative_:
            return self._retrieval_params(update="sync", max_steps=1, **overrides)
        return self._retrieval_params(**overrides)

    def _write_targets(self, T):
        """Targets (-1 / +1, 2-D) in the encoding and shape ``y`` had."""
        return self.target_codec_.write(T)

    # ------------------------------------------------------------ retrieval
    def retrieve(
        self, X, *, update=None, return_trajectory=False, mask=None, clamp=False
    ):
        """Retrieve memories from cues and report how the dynamics got there.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        update : {"sync", "async"} or None, default=None
            Dynamics to use; ``None`` uses the ``update`` parameter.
        return_trajectory : bool, default=False
            Also return the state after every step (step 0: the cue, its
            unknown bits started).
        mask : array-like of bool of shape (n_cues, n_features), default=None
            True where a bit of a cue is unknown (NaN in ``X`` marks unknown
            bits too). Unknown bits start from the sign of their fields
            computed from the known bits alone; see :ref:`completion`.
        clamp : bool, default=False
            Keep the known bits fixed during the dynamics (they are never
            updated, synchronously or asynchronously). Needs unknown bits.

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
                "clamp": ["boolean"],
            },
            {"update": update, "return_trajectory": return_trajectory, "clamp": clamp},
            caller_name="retrieve",
        )
        S, hidden = read_partial_cues(self, X, mask, clamp)
        params = self._retrieval_params(
            update=update or self.update,
            return_trajectory=return_trajectory,
            return_energy=True,
            hidden=hidden,
            clamp=clamp,
        )
        res = retrieve(self.engine_, S, **params)
        res.states = self.codec_.write(res.states)
        if res.trajectory is not None:
            res.trajectory = self.codec_.write(res.trajectory)
        return res

    def predict(self, X, *, mask=None, clamp=False):
        """Answer the target associated with each cue.

        An autoassociative memory runs its dynamics and answers the state
        each cue converges to (its attractor). A heteroassociative memory
        (fitted with targets ``y``) applies its map once, as
        ``fit(X, y).predict(X)`` answers ``y`` everywhere in scikit-learn;
        iterating the map is :meth:`replay`. With ``max_steps=1`` either
        answers the one-step successor of each cue.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        mask : array-like of bool of shape (n_cues, n_features), default=None
            True where a bit of a cue is unknown (NaN in ``X`` marks unknown
            bits too). Unknown bits start from the sign of their fields
            computed from the known bits alone; see :ref:`completion`.
        clamp : bool, default=False
            Keep the known bits fixed during the dynamics (they are never
            updated, synchronously or asynchronously). Needs unknown bits.

        Returns
        -------
        states : ndarray of shape (n_cues, n_outputs)
            Retrieved states or associated targets, in the encoding of the
            fitted targets: that of ``X`` without ``y``.
        """
        # first: it says when the memory is not fitted
        S, hidden = read_partial_cues(self, X, mask, clamp)
        params = self._map_params(hidden=hidden, clamp=clamp)
        return self._write_targets(retrieve(self.engine_, S, **params).states)

    def replay(self, X, n_steps):
        """Iterate the synchronous map ``s <- sign(h(s))`` from each cue.

        For a memory fitted on a sequence (each pattern's target its
        successor) the visited states are the sequence replayed from the
        cue; an autoassociative memory stays at the fixed point it reaches.
        The dynamics are synchronous whatever ``update`` is, and run the
        full ``n_steps`` (use :meth:`retrieve` for the period of the cycle).

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        n_steps : int
            Number of steps L to replay.

        Returns
        -------
        states : ndarray of shape (n_cues, n_steps + 1, n_features)
            The cue, then the state after each step, in the encoding of the
            fitted patterns.

        Examples
        --------
        >>> from sklearn_klrhop import KLRHopfieldMemory
        >>> from sklearn_klrhop.datasets import make_patterns, sequence_targets
        >>> X = make_patterns(5, 40, random_state=0)
        >>> mem = KLRHopfieldMemory().fit(*sequence_targets(X))  # X[mu] -> X[mu+1]
        >>> states = mem.replay(X[:1], n_steps=7)
        >>> [int((X @ s == 40).argmax()) for s in states[0]]
        [0, 1, 2, 3, 4, 0, 1, 2]
        """
        validate_parameter_constraints(
            {"n_steps": [Interval(Integral, 1, None, closed="left")]},
            {"n_steps": n_steps},
            caller_name="replay",
        )
        S = read_cues(self, X)
        params = self._retrieval_params(
            update="sync", max_steps=n_steps, return_trajectory=True
        )
        return self.codec_.write(retrieve(self.engine_, S, **params).trajectory)

    def transform(self, X, *, mask=None, clamp=False):
        """Return the trajectories of the dynamics, or the retrieved states.

        What is returned is set by the ``transform_returns`` parameter:
        ``"states"`` makes the memory a denoising step of a pipeline.

        Parameters
        ----------
        X : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        mask : array-like of bool of shape (n_cues, n_features), default=None
            True where a bit of a cue is unknown (NaN in ``X`` marks unknown
            bits too). Unknown bits start from the sign of their fields
            computed from the known bits alone; see :ref:`completion`.
        clamp : bool, default=False
            Keep the known bits fixed during the dynamics (they are never
            updated, synchronously or asynchronously). Needs unknown bits.

        Returns
        -------
        X_new : ndarray of shape (n_cues, (max_steps + 1) * n_features) or \
                (n_cues, n_outputs)
            ``transform_returns="trajectory"``: the cue, then the state after
            each step, padded with the fixed point once the cue has converged
            (reshape to ``(n_cues, max_steps + 1, n_features)`` to index by
            step); a memory whose targets have another width than its
            patterns cannot be iterated: its trajectory is the cue followed
            by its image, of shape (n_cues, n_features + n_outputs).
            ``transform_returns="states"``: what :meth:`predict` answers.
        """
        if getattr(self, "transform_returns", "trajectory") == "states":
            return self.predict(X, mask=mask, clamp=clamp)
        S, hidden = read_partial_cues(self, X, mask, clamp)
        if self.n_outputs_ != self.n_features_in_:
            image = retrieve(self.engine_, S, **self._map_params()).states
            return self.codec_.write(np.hstack([S, image]))
        params = self._retrieval_params(
            return_trajectory=True, hidden=hidden, clamp=clamp
        )
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
        fields : ndarray of shape (n_states, n_outputs) or (n_states,)
            The local fields of the output neurons (one per target bit; the
            shape of the fitted targets).
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
            Defined when the targets are as wide as the states.
        """
        S = read_cues(self, X)
        if self.n_outputs_ != self.n_features_in_:
            return self.engine_.energy(S)  # raises: no energy for such a map
        return -np.einsum("ij,ij->i", S, self._true_fields(S))

    def _true_fields(self, S):
        H, underflow = self.engine_.true_fields(S, return_underflow=True)
        if underflow.any():
            warn_user(
                f"The local fields of {int(underflow.sum())} of {len(S)} states are "
                "below the smallest float64 and read as 0: every kernel value "
                "K(s, xi) underflows at this gamma * N and distance. Retrieval is "
                "unaffected (the dynamics use log-shifted fields whose signs are "
                "exact); compare states through their sign or use a smaller gamma.",
                UserWarning,
            )
        return H

    def score(self, X, y=None, *, mask=None, clamp=False):
        """Recall rate from cues corrupted at ``score_noise``, or from partial cues.

        Each row of ``X`` is corrupted by flipping ``round(score_noise * N)``
        random bits (with ``mask``: its masked bits are hidden instead, and
        none is flipped), and the cue is answered as :meth:`predict` answers
        it; a recall succeeds when the answer is exactly the row's target:
        ``y``, or without ``y`` the target stored with the row (the row
        itself for an autoassociative memory). For a heteroassociative memory
        this is transition recall: one step from a noisy cue reaches the
        exact target (the next pattern of a sequence). Without ``y`` rows
        should be stored patterns: a warning is raised otherwise, because a
        memory cannot recall what it never stored (use
        :func:`~sklearn_klrhop.model_selection.recall_scorer` for explicit cue
        and target pairs).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Stored patterns, complete, in the fitted encoding.
        y : array-like of shape (n_samples, n_outputs), default=None
            Target of each row, in any binary encoding; ``None`` (or a 1-D
            label vector, ignored as in :meth:`fit`) uses the stored ones.
        mask : array-like of bool of shape (n_samples, n_features), \
                default=None
            True where a bit of a row is hidden from its cue.
        clamp : bool, default=False
            Keep the bits that are not hidden fixed (see :meth:`predict`).

        Returns
        -------
        score : float
            Fraction of rows recalled exactly.
        """
        S, hidden = read_partial_cues(self, X, mask, clamp, complete=True)
        if y is None or is_label_vector(y):
            T, hit = stored_targets(self, S)
        else:
            T, hit = read_fitted_targets(self, y, len(S)), np.ones(len(S), bool)
        cues = S
        if hidden is None:
            rng = check_random_state(self.random_state)
            cues = corrupt(S, self.score_noise, random_state=rng)
        params = self._map_params(hidden=hidden, clamp=clamp)
        states = retrieve(self.engine_, cues, **params).states
        return float(np.mean(hit & np.all(states == T, axis=1)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        # y is optional (None: autoassociation); 2-D targets of any width
        # are learned (replayed only when as wide as the states), a 1-D y
        # (class labels) is ignored
        tags.target_tags.required = False
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = True
        return tags
