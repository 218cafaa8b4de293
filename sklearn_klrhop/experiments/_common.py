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


def figure_legend(fig, axes, *, ncol=3, fontsize=7):
    """One legend under the panels of ``fig``: every label of ``axes`` once.

    Removes the legends of the panels, so none hides a curve.
    """
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    rows = -(-len(entries) // ncol)
    fig.legend(list(entries.values()), list(entries), loc="lower center",
               ncol=ncol, fontsize=fontsize, frameon=False)  # fmt: skip
    # room for the legend: about 0.2 inch a row
    fig.tight_layout(rect=(0, (0.1 + 0.2 * rows) / fig.get_figheight(), 1, 1))
