"""Visualisations of memories, following scikit-learn's Display convention.

matplotlib is optional: it is imported only when a Display plots, and a clear
ImportError says how to install it when it is missing.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._plot_curves import CapacityCurveDisplay, NoiseCurveDisplay, TrajectoryDisplay
from ._plot_events import EventCountDisplay

__all__ = [
    "CapacityCurveDisplay",
    "EventCountDisplay",
    "NoiseCurveDisplay",
    "TrajectoryDisplay",
]


def _check_matplotlib(caller):
    """Import and return ``matplotlib.pyplot``, or explain how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires matplotlib. Install it with `pip install matplotlib` "
            "or `pip install sklearn_klrhop[plot]`."
        ) from exc
    return plt
