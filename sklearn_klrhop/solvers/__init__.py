"""Solvers of the dual problem of kernel logistic and kernel ridge regression.

:class:`LogisticLoss` holds the KLR objective, its stationarity residual,
gradient and curvature; every solver evaluates them through it. Each solver
is one module (``_lbfgs``, ``_newton_cg``, ``_diagonal``, ``_gd``, ``_krr``);
:func:`solve_klr` chooses one (``solver="auto"``) and runs it. This
subpackage is the documented internal API of the memories that learn dual
coefficients (see the Architecture page of the documentation).
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ._diagonal import DIAGONAL_DOMINANCE, isolated_coefficients, off_diagonal_ratio
from ._dispatch import DEFAULT_MAX_ITER, SOLVERS, choose_solver, solve_klr
from ._krr import solve_krr
from ._lbfgs import KernelFactor, check_optimize_result, lbfgs_options
from ._loss import LogisticLoss

__all__ = [
    "DEFAULT_MAX_ITER",
    "DIAGONAL_DOMINANCE",
    "SOLVERS",
    "KernelFactor",
    "LogisticLoss",
    "check_optimize_result",
    "isolated_coefficients",
    "choose_solver",
    "lbfgs_options",
    "off_diagonal_ratio",
    "solve_klr",
    "solve_krr",
]
