"""Helpers every experiment shares: a capacity curve under the run's protocol."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ..model_selection import capacity_curve


def trials(run):
    """Trials per point: 3 in a quick run, 10 in a full one."""
    return 3 if run.quick else 10


def run_capacity(
    run,
    estimator,
    loads,
    n_features=None,
    X=None,
    noise=0.2,
    n_trials=None,
    n_cues=None,
    update=None,
):
    return capacity_curve(
        estimator,
        loads,
        n_features=n_features,
        X=X,
        noise=noise,
        n_trials=n_trials or trials(run),
        n_cues=n_cues,
        update=update,
        random_state=run.seed,
        n_jobs=run.n_jobs,
        verbose=0,
    )
