"""Neuromorphic cost model: count the events of retrieval and price them.

The retrieval engine fills an event ledger as it works (see
``RetrievalResult.counts``); :class:`NeuromorphicCostModel` runs it under three
execution models on the same cues and prices the counts with the energy
profiles of :data:`ENERGY_PROFILES`.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._cost import EXECUTION_MODELS, CostReport, NeuromorphicCostModel
from ._plot import EventCountDisplay
from ._profiles import DEFAULT_PROFILE, ENERGY_PROFILES, EnergyProfile

__all__ = [
    "DEFAULT_PROFILE",
    "ENERGY_PROFILES",
    "EXECUTION_MODELS",
    "CostReport",
    "EnergyProfile",
    "EventCountDisplay",
    "NeuromorphicCostModel",
]
