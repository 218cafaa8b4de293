"""Shared machinery of every memory: validation, encodings and retrieval."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._dynamics import RetrievalResult, row_seeds, run_async, run_sync
from ._encoding import explain_dtype_error
from .datasets import corrupt

_ENCODINGS = {
    "bipolar": ((-1, 1), "-1 / +1"),
    "binary": ((0, 1), "0 / 1"),
    "bool": ((0, 1), "False / True (or 0 / 1)"),
}


_UPDATES = ("sync", "async")

_ACCEPTED = (
    "Memories accept numeric 2-D array-likes of states encoded as -1 / +1, "
    "0 / 1 or bool, or real-valued data with binarize=<threshold>."
)


class BaseHopfieldMemory(TransformerMixin, BaseEstimator):
    """Base class of the memories: everything except learning the weights.

    A subclass implements ``fit`` (calling ``_fit_states`` first) and
    ``_engine()``, which returns the :class:`~sklearn_klrhop._engine.Engine`
    (encoder, kernel or activation, decoder) of the fitted memory. Prediction,
    scoring, trajectories, fields and energies are shared.
    """

    _parameter_constraints: dict = {
        "update": [StrOptions({"sync", "async"})],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "score_noise": [Interval(Real, 0, 1, closed="both")],
        "binarize": [Interval(Real, None, None, closed="neither"), None],
        "random_state": ["random_state"],
    }

    # ------------------------------------------------------------------ encoding
    def _check_states(self, X, reset):
        """``validate_data`` with messages that say which input is accepted."""
        try:
            return validate_data(self, X, dtype="numeric", reset=reset)
        except ValueError as exc:
            clearer = explain_dtype_error(exc, _ACCEPTED)
            if clearer is None:
                raise
            raise clearer from exc

    def _fit_states(self, X):
        """Validate patterns, remember their encoding and return them as +/-1."""
        X = self._check_states(X, reset=True)
        if self.binarize is not None:
            self.encoding_ = "bipolar"
            self._output_dtype = "float64"
        else:
            self.encoding_ = _detect_encoding(X)
            # Stored as a dtype string, not a numpy.dtype object, so that
            # skops.io.load needs to trust no type outside sklearn_klrhop.
            self._output_dtype = X.dtype.str if X.dtype.kind in "biu" else "float64"
        self.patterns_ = self._to_bipolar(X)
        return self.patterns_

    def _validate_cues(self, X):
        check_is_fitted(self)
        X = self._check_states(X, reset=False)
        if self.binarize is None:
            accepted, described = _ENCODINGS[self.encoding_]
            bad = ~np.isin(X, accepted)
            if bad.any():
                hint = ""
                if self.encoding_ == "bipolar" and (self.patterns_ == 1).all():
                    hint = (
                        " The fitted patterns contain only 1, which is read as "
                        "-1 / +1; fit bool patterns to use the 0 / 1 encoding."
                    )
                raise ValueError(
                    f"Expected states encoded as {described}, like the patterns this "
                    f"memory was fitted with; found values "
                    f"{np.unique(X[bad])[:5].tolist()}.{hint} Set binarize=<threshold> "
                    "to map real-valued data x > threshold to +1 and the rest to -1."
                )
        return self._to_bipolar(X)

    def _to_bipolar(self, X):
        if self.binarize is not None:
            return np.where(X > self.binarize, 1.0, -1.0)
        if self.encoding_ == "bipolar":
            return X.astype(float)
        return 2.0 * X.astype(float) - 1.0

    def _from_bipolar(self, S):
        if self.encoding_ == "bool":
            return S > 0
        if self.encoding_ == "binary":
            S = S > 0
        return S.astype(self._output_dtype, copy=False)

    # ----------------------------------------------------------------- retrieval
    def _retrieve(
        self,
        S,
        update=None,
        return_trajectory=False,
        *,
        return_energy=False,
        engine=None,
        execution="asynchronous",
        delta_threshold=None,
    ):
        """Run the dynamics on +/-1 cues in memory-bounded batches of rows.

        ``engine``, ``execution`` and ``delta_threshold`` let the cost model run
        the same retrieval on a priced engine and under each execution model.
        """
        update = self.update if update is None else update
        engine = self._engine() if engine is None else engine
        if update == "async":
            base_seed = check_random_state(self.random_state).randint(2**31 - 1)
            seeds = row_seeds(S, base_seed)
        results = []
        for batch in gen_batches(len(S), self._batch_size(engine, return_trajectory)):
            if update == "sync":
                res = run_sync(engine, S[batch], self.max_steps, return_trajectory)
            else:
                res = run_async(
                    engine,
                    S[batch],
                    self.max_steps,
                    seeds[batch],
                    return_trajectory,
                    execution=execution,
                    delta_threshold=delta_threshold,
                )
            if return_energy:
                res.energy = engine.energy(res.states)
            results.append(res)
        return results[0] if len(results) == 1 else _concatenate(results)

    def _batch_size(self, engine, return_trajectory):
        # Bytes held per cue: overlaps, kernel values, fields and states, plus the
        # trajectory; batches stay within scikit-learn's working_memory setting.
        n_features = self.n_features_in_
        row_bytes = 8 * (3 * engine.n_units + 4 * n_features)
        if return_trajectory:
            row_bytes += 8 * n_features * (self.max_steps + 1)
        return max(1, int(get_config()["working_memory"] * 2**20 // row_bytes))

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
        if not (update is None or (isinstance(update, str) and update in _UPDATES)):
            raise ValueError(f"update must be 'sync', 'async' or None; got {update!r}.")
        if not isinstance(return_trajectory, (bool, np.bool_)):
            raise TypeError(
                "return_trajectory must be True or False; got "
                f"{return_trajectory!r} of type {type(return_trajectory).__name__}."
            )
        S = self._validate_cues(X)
        res = self._retrieve(S, update, return_trajectory, return_energy=True)
        res.states = self._from_bipolar(res.states)
        if res.trajectory is not None:
            res.trajectory = self._from_bipolar(res.trajectory)
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
        return self._from_bipolar(self._retrieve(self._validate_cues(X)).states)

    def transform(self, X):
        """Trajectories of the dynamics, flattened to two dimensions.

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
        S = self._validate_cues(X)
        trajectory = self._retrieve(S, return_trajectory=True).trajectory
        return self._from_bipolar(trajectory.reshape(len(S), -1))

    def decision_function(self, X):
        """Local fields ``h_i(s)`` of every neuron in the given states.

        Parameters
        ----------
        X : array-like of shape (n_states, n_features)
            States, in the encoding the memory was fitted with.

        Returns
        -------
        fields : ndarray of shape (n_states, n_features)
            A neuron's next state is +1 where its field is >= 0, else -1.
        """
        return self._true_fields(self._validate_cues(X))

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
        S = self._validate_cues(X)
        return -np.einsum("ij,ij->i", S, self._true_fields(S))

    def _true_fields(self, S):
        H, log_scale = self._engine().fields(S)
        underflow = log_scale < np.log(np.finfo(float).tiny)
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
        return H * np.exp(log_scale)[:, None]

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
        S = self._validate_cues(X)
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
        states = self._retrieve(cues).states
        return float(np.mean(np.all(states == S, axis=1)))

    def _is_stored(self, S):
        stored = np.empty(len(S), dtype=bool)
        n_features = S.shape[1]
        for batch in gen_batches(len(S), max(1, 2**24 // max(1, len(self.patterns_)))):
            stored[batch] = np.any(S[batch] @ self.patterns_.T == n_features, axis=1)
        return stored

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


def _detect_encoding(X):
    if X.dtype == bool:
        return "bool"
    values = np.unique(X)
    if np.isin(values, (-1, 1)).all():
        return "bipolar"
    if np.isin(values, (0, 1)).all():
        return "binary"
    bad = values[~np.isin(values, (-1, 0, 1))]
    if bad.size == 0:
        bad = values
    raise ValueError(
        "Patterns must be binary states encoded as -1 / +1, 0 / 1 or bool; found "
        f"values {bad[:5].tolist()}. Pass binarize=<threshold> (for example "
        "binarize=0.0) to map real-valued data x > threshold to +1 and the rest to -1."
    )


def _concatenate(results):
    def cat(name):
        if getattr(results[0], name) is None:
            return None
        return np.concatenate([getattr(r, name) for r in results])

    counts = {
        k: np.concatenate([r.counts[k] for r in results]) for k in results[0].counts
    }
    return RetrievalResult(
        states=cat("states"),
        n_steps=cat("n_steps"),
        n_events=cat("n_events"),
        converged=cat("converged"),
        energy=cat("energy"),
        trajectory=cat("trajectory"),
        counts=counts,
    )
