"""Warnings attributed to the user's code, whatever the path through the package."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import sys
import warnings

import joblib
import sklearn

# This package's frames, scikit-learn's (its fit wrapper, meta-estimators) and
# joblib's (which runs a meta-estimator's fits, also in sequence)
_SKIPPED = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (sys.modules[__package__], sklearn, joblib)
)


def warn_user(message, category=UserWarning):
    """``warnings.warn`` at the first frame outside this package, scikit-learn and joblib.

    A fixed ``stacklevel`` names the right frame for one path only (``fit``,
    ``partial_fit``, ``solve_klr`` and a scikit-learn meta-estimator reach
    the solvers through different depths); this names the user's call, as
    Python 3.12's ``skip_file_prefixes`` does.
    """
    frame, level = sys._getframe(1), 2  # level 2: warn_user's caller
    while frame is not None and frame.f_code.co_filename.startswith(_SKIPPED):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
