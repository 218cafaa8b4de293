"""Warnings attributed to the user's code, whatever the path through the package."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import sys
import warnings

# This package's frames, scikit-learn's (its fit wrapper, meta-estimators) and
# joblib's (which runs a meta-estimator's fits, also in sequence), by module
# name: file names depend on how the package was found (a relative sys.path).
_SKIPPED = {__package__, "sklearn", "joblib"}


def warn_user(message, category=UserWarning):
    """``warnings.warn`` at the first frame outside this package, scikit-learn and joblib.

    A fixed ``stacklevel`` names the right frame for one path only (``fit``,
    ``partial_fit``, ``solve_klr`` and a scikit-learn meta-estimator reach
    the solvers through different depths); this names the user's call, as
    Python 3.12's ``skip_file_prefixes`` does.
    """
    frame, level = sys._getframe(1), 2  # level 2: warn_user's caller
    while frame is not None and _top_module(frame) in _SKIPPED:
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _top_module(frame):
    return frame.f_globals.get("__name__", "").partition(".")[0]
