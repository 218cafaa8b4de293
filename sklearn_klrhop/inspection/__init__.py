"""Inspection of a fitted memory: the geometry of its attractors.

How the dynamics reach (or miss) an attractor: trajectories, where
retrieval ends (:func:`retrieval_outcomes`), the basins along a path between
two stored patterns (:func:`morphing_curve`), signal against crosstalk in the
local fields (:func:`field_snr`), the effective dimension of the kernel
(:func:`kernel_participation_ratio`) and the spectrum of the training loss
(:func:`loss_spectrum`), with their Displays.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._cover import ParticipationRatio, kernel_participation_ratio
from ._morphing import MORPHING_OUTCOMES, MorphingCurve, morphing_curve
from ._outcomes import OUTCOMES, RetrievalOutcomes, retrieval_outcomes
from ._plot import TrajectoryDisplay
from ._plot_geometry import FieldSNRDisplay, MorphingDisplay, RetrievalOutcomesDisplay
from ._plot_spectrum import LossSpectrumDisplay
from ._snr import FieldSNR, field_snr
from ._spectrum import LossSpectrum, loss_spectrum

__all__ = [
    "MORPHING_OUTCOMES",
    "OUTCOMES",
    "FieldSNR",
    "FieldSNRDisplay",
    "LossSpectrum",
    "LossSpectrumDisplay",
    "MorphingCurve",
    "MorphingDisplay",
    "ParticipationRatio",
    "RetrievalOutcomes",
    "RetrievalOutcomesDisplay",
    "TrajectoryDisplay",
    "field_snr",
    "kernel_participation_ratio",
    "loss_spectrum",
    "morphing_curve",
    "retrieval_outcomes",
]
