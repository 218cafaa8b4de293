"""The success phase diagram over (gamma, P/N)."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils import check_random_state

from ..datasets import corrupt, make_patterns
from ..memories import KLRHopfieldMemory
from ..metrics import recall_score
from ._published import MARKS, PUBLISHED
from ._runner import pyplot


def phase_diagram(run):
    """Success over (gamma, P/N) at N = 50, 20 % noise, at most 10 patterns cued."""
    p = run.protocol(
        "phase_diagram",
        quick={"n": 50, "n_gammas": 13, "loads": [0.5, 1, 2, 3, 4, 6], "n_cued": 10},
        full={
            "n": 50,
            "n_gammas": 25,
            "loads": np.linspace(0.5, 6, 12).tolist(),
            "n_cued": 10,
        },
    )
    n, n_cued = p["n"], p["n_cued"]
    gammas = np.logspace(np.log10(0.005), np.log10(0.5), p["n_gammas"])
    loads = np.array(p["loads"], dtype=float)
    rng = check_random_state(run.seed)
    success = np.zeros((len(loads), len(gammas)))
    for i, load in enumerate(loads):
        X = make_patterns(int(round(load * n)), n, random_state=rng)
        targets = X[:n_cued]
        cues = corrupt(targets, 0.2, random_state=rng)
        for j, gamma in enumerate(gammas):
            mem = KLRHopfieldMemory(
                gamma=gamma, lam=0.01, solver="lbfgs", max_iter=200
            ).fit(X)
            success[i, j] = recall_score(targets, mem.predict(cues))
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    mesh = ax.pcolormesh(gammas, loads, success, shading="nearest", vmin=0, vmax=1)
    ax.set_xscale("log")
    ax.set_xlabel("gamma")
    ax.set_ylabel("load P / N")
    fig.colorbar(mesh, label="exact recall")
    boundary = [
        float(gammas[np.argmax(r >= 1.0)]) if np.any(r >= 1.0) else None
        for r in success
    ]
    _marks(ax, loads, boundary)
    ax.set_title(
        f"N = {n}, {n_cued} cues at 20 % noise per cell, lam = 0.01, L-BFGS",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    run.results["phase"] = {
        "gammas": gammas.tolist(),
        "loads": loads.tolist(),
        "success": success.tolist(),
        "boundary": boundary,
    }
    run.heading(f"Success phase diagram (N = {n})")
    run.report.paragraph(
        f"Protocol: {len(gammas)} x {len(loads)} grid, one pattern set per load, "
        f"{n_cued} patterns cued at 20 % noise, L-BFGS (max 200 iterations), 30 synchronous steps, "
        f"exact match. Published: {PUBLISHED['phase']}."
    )
    run.report.table(
        ["P/N", "smallest gamma with recall 1.0"],
        [
            [f"{x:.2f}", "none" if b is None else f"{b:.3g}"]
            for x, b in zip(loads, boundary)
        ],
    )
    run.figure(
        fig,
        "phase_diagram.png",
        f"Exact recall over (gamma, P/N) at N = {n}; dashed: the Ridge of "
        "arXiv:2609.16827; white: the measured success boundary; crosses: the "
        "reference boundary of an earlier simulation (not printed in the paper).",
    )


def _marks(ax, loads, boundary):
    """The Ridge, the measured and the reference success boundary."""
    mark = MARKS["phase"]
    ax.axvline(mark["ridge_gamma"], color="k", linestyle="--", linewidth=1.2,
               label=f"the Ridge, gamma = {mark['ridge_gamma']:g} "
               f"({mark['source']})")  # fmt: skip
    found = [(b, x) for b, x in zip(boundary, loads) if b is not None]
    if found:
        ax.plot(*zip(*found), color="w", marker="o", markersize=3, linewidth=1.5,
                label="measured: smallest gamma with recall 1.0")  # fmt: skip
    ref = mark["boundary"]
    ax.plot(list(ref.values()), list(ref.keys()), "rx", markersize=8,
            markeredgewidth=2,
            label="reference boundary (earlier simulation, not printed)")  # fmt: skip
    ax.figure.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=2,
                     fontsize=7, facecolor="0.8")  # fmt: skip
