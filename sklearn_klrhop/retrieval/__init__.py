"""The retrieval engine every memory shares.

Every memory of the package is the same two-layer form, overlaps
``q = S E^T``, kernel units ``k = g(q)``, fields ``H = k A``, held by an
:class:`Engine`; :func:`retrieve` runs its synchronous or asynchronous
dynamics and fills the event ledger. This subpackage is the documented
internal API for memories and the tools built on them (see the Architecture
page of the documentation); users meet it through
:class:`RetrievalResult`.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._engine import TIE_RTOL, Engine
from ._ledger import METRICS
from ._result import RetrievalResult
from ._retrieve import UPDATES, retrieve

__all__ = ["METRICS", "TIE_RTOL", "UPDATES", "Engine", "RetrievalResult", "retrieve"]
