"""Model selection for memories: a splitter, recall scorers and recall curves.

:class:`StoredPatternSplit` and the recall scorers (of patterns, transitions
and sequences) make :class:`~sklearn.model_selection.GridSearchCV` and
:func:`~sklearn.model_selection.cross_validate` judge a memory by what it
recalls; :func:`capacity_curve`, :func:`noise_curve` and
:func:`sequence_capacity_curve` sweep the load and the cue noise in parallel,
:func:`completion_curve` the fraction of hidden bits of partial cues, and
their Displays plot them.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._capacity import CapacityCurve, NoiseCurve, capacity_curve, noise_curve
from ._completion import CompletionCurve, completion_curve
from ._plot import (
    CapacityCurveDisplay,
    NoiseCurveDisplay,
    SequenceCapacityCurveDisplay,
)
from ._plot_completion import CompletionCurveDisplay
from ._scorers import (
    make_recall_scorer,
    make_sequence_scorer,
    make_transition_scorer,
    recall_scorer,
)
from ._sequence import SequenceCapacityCurve, sequence_capacity_curve
from ._split import StoredPatternSplit

__all__ = [
    "CapacityCurve",
    "CapacityCurveDisplay",
    "CompletionCurve",
    "CompletionCurveDisplay",
    "NoiseCurve",
    "NoiseCurveDisplay",
    "SequenceCapacityCurve",
    "SequenceCapacityCurveDisplay",
    "StoredPatternSplit",
    "capacity_curve",
    "completion_curve",
    "make_recall_scorer",
    "make_sequence_scorer",
    "make_transition_scorer",
    "noise_curve",
    "recall_scorer",
    "sequence_capacity_curve",
]
