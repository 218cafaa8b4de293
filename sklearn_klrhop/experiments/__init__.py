"""The papers' experiments behind ``python -m sklearn_klrhop reproduce``.

Each experiment measures this package under a stated protocol and puts the
number beside the published one (quoted with its source in ``PUBLISHED``).
``quick=True`` runs fewer sizes and trials and the report says so.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from numbers import Integral

from sklearn.utils._param_validation import InvalidParameterError, validate_params

from ._comparison import comparison
from ._crosstalk import snr
from ._digits import digits
from ._morphing import morphing
from ._outcomes import outcomes
from ._phase_diagram import phase_diagram
from ._published import PUBLISHED
from ._retrieval import capacity, events, trajectories
from ._ridge import ridge
from ._runner import Run
from ._sequences import sequences
from ._stability import edge_of_stability

__all__ = ["EXPERIMENTS", "PUBLISHED", "reproduce"]

EXPERIMENTS = {
    "trajectories": trajectories,
    "capacity": capacity,
    "events": events,
    "comparison": comparison,
    "phase_diagram": phase_diagram,
    "digits": digits,
    "sequences": sequences,
    "morphing": morphing,
    "snr": snr,
    "ridge": ridge,
    "edge_of_stability": edge_of_stability,
    "outcomes": outcomes,
}


@validate_params(
    {
        "out": [str, os.PathLike],
        "quick": ["boolean"],
        "n_jobs": [Integral, None],
        "seed": [Integral],
        "verbose": ["verbose"],
        "only": [list, tuple, None],
        "rst_image_prefix": [str],
    },
    prefer_skip_nested_validation=True,
)
def reproduce(
    out="reproduce-report",
    *,
    quick=False,
    n_jobs=None,
    seed=0,
    verbose=1,
    only=None,
    rst_image_prefix="",
):
    """Run the paper experiments and write the report, its figures and the JSON.

    Parameters
    ----------
    out : str or Path, default="reproduce-report"
        Output directory (created if missing).
    quick : bool, default=False
        Fewer sizes and trials; the report says so and records its run time.
    n_jobs : int, default=None
        Parallel jobs for the capacity curves (joblib).
    seed : int, default=0
        Seed of every random draw.
    verbose : int, default=1
        Print progress (a tqdm bar when tqdm is installed).
    only : list of str, default=None
        Names of the experiments to run (keys of ``EXPERIMENTS``); all by default.
    rst_image_prefix : str, default=""
        Prefix of the figure paths in ``report.rst``, relative to the document
        that includes it (the docs use ``"/_generated/reproduce/"``, relative to the source root).

    Returns
    -------
    results : dict
        Every measured number, as written to ``results.json``.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn_klrhop.experiments import reproduce
    >>> with tempfile.TemporaryDirectory() as out:
    ...     results = reproduce(out, quick=True, only=["events"], verbose=0)
    >>> results["events"][0.2]["events"], results["events"][0.2]["recall"]
    (10.0, 1.0)
    """
    names = list(EXPERIMENTS) if only is None else list(only)
    unknown = sorted(set(names) - set(EXPERIMENTS))
    if unknown:
        # The error type of every other invalid parameter of reproduce.
        raise InvalidParameterError(
            f"Unknown experiments {unknown} in the 'only' parameter of reproduce; "
            f"choose from {list(EXPERIMENTS)}."
        )
    run = Run(out, quick=quick, n_jobs=n_jobs, seed=seed, verbose=verbose)
    run.execute({name: EXPERIMENTS[name] for name in names})
    run.write(rst_image_prefix)
    return run.results
