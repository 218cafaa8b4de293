"""High-capacity associative memory: kernel Hopfield networks for scikit-learn."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._base import BaseHopfieldMemory
from ._dynamics import RetrievalResult
from ._klr import KLRHopfieldMemory, default_gamma
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
    "StorkeyHopfieldMemory",
    "default_gamma",
    "__version__",
]
