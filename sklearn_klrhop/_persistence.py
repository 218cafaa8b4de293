"""The types ``skops.io.load`` must trust to load a memory of this package."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from . import memories
from ._encoding import StateCodec


def _type_name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


#: Fully qualified names of every estimator class of the package and of the
#: codec a fitted memory holds, as :func:`skops.io.get_untrusted_types`
#: reports them. A fitted memory otherwise stores only numpy arrays, Python
#: scalars, strings and (optionally) a RandomState, which skops trusts by
#: default. Review the list before passing it:
#: ``skops.io.load(path, trusted=SKOPS_TRUSTED_TYPES)``.
SKOPS_TRUSTED_TYPES = sorted(
    [_type_name(StateCodec)]
    + [
        _type_name(getattr(memories, name))
        for name in memories.__all__
        if name.endswith("Memory")
    ]
)
