"""The types ``skops.io.load`` must trust to load a memory of this package."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from . import baselines
from ._klr import KLRHopfieldMemory


def _type_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


#: Fully qualified names of every estimator class of the package, as
#: :func:`skops.io.get_untrusted_types` reports them. A fitted memory stores
#: only numpy arrays, Python scalars, strings and (optionally) a RandomState,
#: so its own class is the only type skops does not trust by default. Review
#: the list before passing it: ``skops.io.load(path, trusted=SKOPS_TRUSTED_TYPES)``.
SKOPS_TRUSTED_TYPES = sorted(
    _type_name(cls)
    for cls in [KLRHopfieldMemory]
    + [getattr(baselines, name) for name in baselines.__all__]
)
