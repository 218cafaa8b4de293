"""High-capacity associative memory: kernel Hopfield networks for scikit-learn."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._base import BaseHopfieldMemory  # noqa: E402
from ._persistence import SKOPS_TRUSTED_TYPES  # noqa: E402
from ._state import InconsistentVersionWarning  # noqa: E402
from ._version import VERSION as __version__
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
    "InconsistentVersionWarning",
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
