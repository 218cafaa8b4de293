"""The memories: kernel logistic regression and the baselines on the same engine.

Every memory is a :class:`~sklearn_klrhop.BaseHopfieldMemory`: it shares
validation, encodings, synchronous and asynchronous retrieval, scoring and the
per-cue work counts with the others, so all of them can be put on one
capacity curve and one cost ledger. One module holds one family:
:class:`KLRHopfieldMemory` (kernel logistic and kernel ridge regression), the
classical rules (Hebbian, Storkey, pseudo-inverse), the linear logistic
baseline and the modern (softmax) Hopfield memory. Every name here is also
importable from :mod:`sklearn_klrhop`.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._classical import (
    HebbianHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)
from ._kernels import OVERLAP_KERNELS
from ._klr import KLRHopfieldMemory, default_gamma
from ._linear import LinearLogisticHopfieldMemory
from ._modern import ModernHopfieldMemory

__all__ = [
    "OVERLAP_KERNELS",
    "HebbianHopfieldMemory",
    "KLRHopfieldMemory",
    "LinearLogisticHopfieldMemory",
    "ModernHopfieldMemory",
    "PseudoinverseHopfieldMemory",
    "StorkeyHopfieldMemory",
    "default_gamma",
]
