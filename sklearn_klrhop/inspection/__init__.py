"""Inspection of a fitted memory: how its dynamics reach (or miss) an attractor."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._plot import TrajectoryDisplay

__all__ = ["TrajectoryDisplay"]
