"""High-capacity associative memory: kernel Hopfield networks for scikit-learn."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._base import BaseHopfieldMemory
from ._dynamics import RetrievalResult
from ._klr import KLRHopfieldMemory, default_gamma
from ._persistence import SKOPS_TRUSTED_TYPES
from .baselines import (
    HebbianHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "BaseHopfieldMemory",
    "HebbianHopfieldMemory",
    "KLRHopfieldMemory",
    "LinearLogisticHopfieldMemory",
    "ModernHopfieldMemory",
    "PseudoinverseHopfieldMemory",
    "RetrievalResult",
    "SKOPS_TRUSTED_TYPES",
    "StorkeyHopfieldMemory",
    "default_gamma",
    "__version__",
]
