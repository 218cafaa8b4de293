"""NeuromorphicCostModel and CostReport: retrieve under three execution models, price it."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from dataclasses import dataclass
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from .._base import BaseHopfieldMemory
from .._encoding import read_cues
from ..retrieval import METRICS, Engine, retrieve
from ._profiles import ENERGY_PROFILES
from ._summary import summary_text

# The execution models: synchronous and asynchronous updates as the memories
# run them, and asynchronous updates executed event-driven.
EXECUTION_MODELS = ("sync", "async", "event_driven")

# Metrics added on top of the ledger: totals that mix ledger counters.
_DERIVED = ("synaptic_ops", "memory_reads")


def _quantize_int8(W, axis):
    """Symmetric int8 quantisation with one scale per slice along ``axis``.

    Returns the dequantised array: ``round(W / scale) * scale`` with
    ``scale = max|W| / 127`` per column (``axis=0``) or row (``axis=1``). The
    positive scale of a neuron's coefficients does not change the sign of its
    field, so retrieval with these values equals retrieval with the int8 codes.
    """
    scale = np.abs(W).max(axis=axis, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return np.clip(np.round(W / scale), -127, 127) * scale


def _priced_engine(engine, precision):
    if precision == "float32":
        return engine
    if engine.decoder is not None:
        decoder = _quantize_int8(engine.decoder, axis=0)
        return Engine(
            engine.encoder, engine.activation, decoder, engine.diagonal, engine.locality
        )
    # No decoder: the stored weights are the encoder rows (one per neuron).
    encoder = _quantize_int8(engine.encoder, axis=1)
    return Engine(encoder, engine.activation, None, engine.diagonal)


@dataclass
class CostReport:
    """Counts, energy and recall of three execution models on the same cues.

    Made by :meth:`NeuromorphicCostModel.estimate`; every field is also an
    attribute.

    Parameters
    ----------
    counts : dict of str to dict of str to int
        ``counts[model][metric]``: total over all cues (:meth:`mean` gives
        the mean per retrieval). ``model`` is one of
        ``EXECUTION_MODELS``; ``metric`` one of the ledger metrics
        (``sklearn_klrhop.retrieval.METRICS``) plus ``synaptic_ops``
        (accumulates + macs) and ``memory_reads`` (bits).
    per_cue : dict of str to dict of str to ndarray of shape (n_cues,)
        The same counts for every cue.
    energy : dict of str to tuple of (float, float)
        ``energy[model] = (low, high)``: total joules over all cues, the lowest
        and highest of ``energy_by_profile[model]``
        (:attr:`energy_range_profiles` names the profiles; divide by
        :attr:`n_cues` for the energy per retrieval).
    energy_by_profile : dict of str to dict of str to float
        ``energy_by_profile[model][profile]``: total joules over all cues.
    recall : dict of str to float
        Fraction of cues retrieved exactly.
    initial_distance : ndarray of shape (n_cues,)
        Hamming distance of each cue to its target.
    n_features, n_units : int
        Neurons N and kernel units M of the memory: the hidden units between
        the states and the fields, one per stored pattern for a kernel memory
        (the weight rows for a memory without kernel).
    precision : str
        ``"float32"`` or ``"int8"`` coefficients.
    delta_threshold : float or None
        Sigma-delta threshold of the event-driven run.
    profiles : list of str
        Energy profiles priced.

    See Also
    --------
    NeuromorphicCostModel : Makes the report.

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.neuromorphic import NeuromorphicCostModel
    >>> X = make_patterns(100, 40, random_state=0)
    >>> mem = KLRHopfieldMemory(random_state=0).fit(X)
    >>> report = NeuromorphicCostModel().estimate(mem, corrupt(X, 0.1, random_state=0), X)
    >>> report.n_cues, report.mean("async", "events")
    (100, 4.0)
    """

    counts: dict
    per_cue: dict
    energy: dict
    energy_by_profile: dict
    recall: dict
    initial_distance: np.ndarray
    n_features: int
    n_units: int
    precision: str
    delta_threshold: float | None
    profiles: list

    @property
    def n_cues(self):
        """Number of cues retrieved."""
        return len(self.initial_distance)

    @property
    def energy_range_profiles(self):
        """``{model: (low, high)}``: the profiles that set each end of ``energy``."""
        return {
            m: (min(by, key=by.get), max(by, key=by.get))
            for m, by in self.energy_by_profile.items()
        }

    def mean(self, model, metric):
        """Return the mean of ``metric`` per retrieval under ``model``.

        Parameters
        ----------
        model : str
            One of ``EXECUTION_MODELS``.
        metric : str
            A key of ``counts[model]``.

        Returns
        -------
        mean : float
            0.0 when there is no cue.
        """
        return float(self.per_cue[model][metric].mean()) if self.n_cues else 0.0

    def to_frame(self, per_retrieval=True):
        """Counts, energy range and recall as a pandas DataFrame.

        Parameters
        ----------
        per_retrieval : bool, default=True
            Mean per cue (True) or totals over the cues (False).

        Returns
        -------
        frame : pandas.DataFrame
            One row per metric, one column per execution model. The energy
            rows are ``energy_J:<profile>`` for every priced profile, then
            ``energy_low_J`` and ``energy_high_J``; the name of the column
            axis says whether the values are per retrieval or totals.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is optional
            raise ImportError("to_frame requires pandas: pip install pandas") from exc
        scale = 1.0 / max(self.n_cues, 1) if per_retrieval else 1.0
        rows = {}
        for metric in (*METRICS, *_DERIVED):
            rows[metric] = {m: self.counts[m][metric] * scale for m in self.counts}
        for profile in self.profiles:
            rows[f"energy_J:{profile}"] = {
                m: by[profile] * scale for m, by in self.energy_by_profile.items()
            }
        for i, bound in enumerate(("energy_low_J", "energy_high_J")):
            rows[bound] = {m: self.energy[m][i] * scale for m in self.energy}
        rows["recall"] = dict(self.recall)
        frame = pd.DataFrame(rows).T[list(self.counts)]
        frame.columns.name = (
            f"mean per retrieval ({self.n_cues} cues)"
            if per_retrieval
            else f"total over {self.n_cues} cues"
        )
        return frame

    def summary(self):
        """Return a readable table of the counts and energy per retrieval.

        The table gives the mean per retrieval (one cue) of every count, the
        recall, the energy under each priced profile and the two ends of the
        energy range; then which profile sets each end, the source, evidence
        and grade of every profile, and what each count means.

        Returns
        -------
        text : str
            One line per metric, one column per execution model.
        """
        return summary_text(self)

    def __repr__(self):
        return (
            f"CostReport(n_cues={self.n_cues}, models={list(self.counts)}, "
            f"precision={self.precision!r})"
        )


class NeuromorphicCostModel:
    """Count the events of retrieval under three execution models and price them.

    The same cues are retrieved by the memory's engine three times, each run
    filling the engine's event ledger under one execution model:

    - ``"sync"``: synchronous updates as dense steps. Every step computes the overlaps from
      scratch (``N * n_units`` accumulates), every kernel unit and every field
      (``N * n_units`` MACs), then a barrier.
    - ``"async"``: asynchronous updates, sweeps in a random order; every visited neuron
      evaluates its own field from all kernel units (``n_units`` MACs); every
      flip updates the overlaps and kernel units (``n_units`` each).
    - ``"event_driven"``: asynchronous updates executed event-driven: fields are kept current by the neurons; after a flip
      the changed kernel units send their change to every neuron
      (``N`` MACs per unit sent), and a neuron decides only when its field
      crosses zero. With ``delta_threshold`` a unit sends only changes larger
      than that fraction of the largest kernel value (sigma-delta), which
      changes the dynamics; the recall measured in the report says at what
      cost.

    Parameters
    ----------
    profiles : list of str or None, default=None
        Keys of :data:`ENERGY_PROFILES` to price with; ``None`` uses all.
    precision : {"float32", "int8"}, default="float32"
        ``"int8"`` quantises the stored real weights symmetrically to 8 bits
        (``dual_coef_`` per neuron column; for memories without a decoder, the
        weight rows) and retrieves with them, so recall is measured at that
        precision. It changes the word size of ``memory_reads`` and the
        Horowitz prices.
    delta_threshold : float >= 0 or None, default=None
        Sigma-delta threshold of the event-driven model; ``None`` propagates
        every change (exact fields).

    Examples
    --------
    >>> from sklearn_klrhop import KLRHopfieldMemory
    >>> from sklearn_klrhop.datasets import corrupt, make_patterns
    >>> from sklearn_klrhop.neuromorphic import NeuromorphicCostModel
    >>> X = make_patterns(150, 50, random_state=0)
    >>> mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    >>> cues = corrupt(X[:20], 0.2, random_state=0)
    >>> report = NeuromorphicCostModel().estimate(mem, cues, X[:20])
    >>> report.counts["event_driven"]["events"] == report.counts["async"]["events"]
    True
    >>> report.mean("sync", "field_evaluations"), report.mean("event_driven", "field_evaluations")
    (100.0, 10.0)
    >>> low, high = report.energy["event_driven"]
    >>> bool(0 < low < high)
    True
    """

    _parameter_constraints: dict = {
        "profiles": [list, tuple, None],
        "precision": [StrOptions({"float32", "int8"})],
        "delta_threshold": [Interval(Real, 0, None, closed="left"), None],
    }

    def __init__(self, *, profiles=None, precision="float32", delta_threshold=None):
        self.profiles = profiles
        self.precision = precision
        self.delta_threshold = delta_threshold

    def _validate(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            {
                "profiles": self.profiles,
                "precision": self.precision,
                "delta_threshold": self.delta_threshold,
            },
            caller_name=type(self).__name__,
        )
        profiles = (
            list(ENERGY_PROFILES) if self.profiles is None else list(self.profiles)
        )
        unknown = [p for p in profiles if p not in ENERGY_PROFILES]
        if unknown or not profiles:
            # The type of every other invalid parameter (validate_params).
            raise InvalidParameterError(
                f"Unknown energy profiles {unknown}; expected a non-empty list of "
                f"{sorted(ENERGY_PROFILES)}. No per-operation figure for Loihi 2 is "
                "published, so there is no Loihi 2 profile."
            )
        return profiles

    def estimate(self, memory, cues, targets=None):
        """Retrieve ``cues`` under every execution model and price the work.

        Parameters
        ----------
        memory : BaseHopfieldMemory
            A fitted memory (any memory built on the retrieval engine).
        cues : array-like of shape (n_cues, n_features)
            Cues, in the encoding the memory was fitted with.
        targets : array-like of shape (n_cues, n_features), default=None
            Patterns the cues should retrieve. ``None``: the stored pattern
            nearest to each cue in Hamming distance.

        Returns
        -------
        report : CostReport
            Counts, recall and energy of each execution model.
        """
        profiles = self._validate()
        if not isinstance(memory, BaseHopfieldMemory):
            raise TypeError(
                "memory must be a fitted memory of sklearn_klrhop (a "
                f"BaseHopfieldMemory); got {type(memory).__name__}."
            )
        S = read_cues(memory, cues)
        if targets is None:
            nearest = np.argmax(S @ memory.patterns_.T, axis=1)
            T = memory.patterns_[nearest]
        else:
            T = read_cues(memory, targets)
            if len(T) != len(S):
                raise ValueError(
                    f"targets must have one row per cue; got {len(T)} targets for "
                    f"{len(S)} cues."
                )
        engine = _priced_engine(memory.engine_, self.precision)
        per_cue, recall = {}, {}
        for model in EXECUTION_MODELS:
            event_driven = model == "event_driven"
            params = memory._retrieval_params(
                update="sync" if model == "sync" else "async",
                event_driven=event_driven,
                delta_threshold=self.delta_threshold if event_driven else None,
            )
            res = retrieve(engine, S, **params)
            per_cue[model] = self._with_derived(res.counts, engine)
            recall[model] = float(np.mean(np.all(res.states == T, axis=1)))
        counts = {m: {k: int(v.sum()) for k, v in per_cue[m].items()} for m in per_cue}
        by_profile = {
            m: {p: self._price(counts[m], ENERGY_PROFILES[p]) for p in profiles}
            for m in counts
        }
        energy = {
            m: (min(by_profile[m].values()), max(by_profile[m].values()))
            for m in counts
        }
        return CostReport(
            counts=counts,
            per_cue=per_cue,
            energy=energy,
            energy_by_profile=by_profile,
            recall=recall,
            initial_distance=np.count_nonzero(S != T, axis=1),
            n_features=S.shape[1],
            n_units=engine.n_units,
            precision=self.precision,
            delta_threshold=self.delta_threshold,
            profiles=profiles,
        )

    def _with_derived(self, counts, engine):
        word_bits = 8 if self.precision == "int8" else 32
        bipolar = np.isin(engine.encoder, (-1.0, 1.0)).all()
        encoder_bits = 1 if bipolar else word_bits
        out = dict(counts)
        out["synaptic_ops"] = counts["accumulates"] + counts["macs"]
        out["memory_reads"] = (
            counts["coef_reads"] * word_bits + counts["encoder_reads"] * encoder_bits
        )
        return out

    def _price(self, counts, profile):
        prices = profile.prices_for(self.precision)
        return float(sum(counts[metric] * price for metric, price in prices.items()))
