"""High-capacity associative memory: kernel Hopfield networks for scikit-learn."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

__version__ = "0.1.0.dev0"

from ._base import BaseHopfieldMemory  # noqa: E402
from ._persistence import SKOPS_TRUSTED_TYPES  # noqa: E402
from .memories import (  # noqa: E402
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
    default_gamma,
)
from .retrieval import RetrievalResult  # noqa: E402

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
