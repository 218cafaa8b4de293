"""KLR against the classical and modern Hopfield memories."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import time

from ..memories import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
)
from ._common import run_capacity
from ._published import PUBLISHED
from ._runner import pyplot


def comparison(run):
    """KLR vs KRR vs Hebbian vs linear LR vs modern Hopfield capacity at N = 100."""
    p = run.protocol(
        "comparison",
        quick={"n": 100, "loads": [0.1, 0.2, 0.3, 0.6, 0.9, 1.5], "n_trials": 3},
        full={
            "n": 100,
            "loads": [0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 1.2, 1.5],
            "n_trials": 10,
        },
    )
    n, loads, n_trials = p["n"], p["loads"], p["n_trials"]
    memories = {
        "Hebbian": HebbianHopfieldMemory(),
        "Linear LR": LinearLogisticHopfieldMemory(),
        "KLR gamma=1/N": KLRHopfieldMemory(gamma=1 / n),
        "KLR gamma=0.05": KLRHopfieldMemory(gamma=0.05),
        "KRR gamma=0.05": KLRHopfieldMemory(gamma=0.05, loss="squared"),
        "Modern Hopfield": ModernHopfieldMemory(),
    }
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    rows, out = [], {}
    for name, est in memories.items():
        start = time.perf_counter()
        curve = run_capacity(
            run, est, loads, n_features=n, noise=0.1, n_cues=30, n_trials=n_trials
        )
        elapsed = time.perf_counter() - start
        mean = curve.scores.mean(axis=1)
        ax.plot(loads, mean, "-o", label=name)
        out[name] = {"loads": loads, "mean": mean.tolist(), "seconds": elapsed}
        published = next(
            (v for k, v in PUBLISHED["comparison"].items() if name.startswith(k)), ""
        )
        rows.append([name, *[f"{v:.2f}" for v in mean], f"{elapsed:.1f}", published])
    ax.set_xlabel("load P / N")
    ax.set_ylabel("exact recall from 10 % noise")
    ax.legend(fontsize=7)
    run.results["comparison"] = out
    run.report.heading(
        f"4. KLR against classical and modern Hopfield networks (N = {n})"
    )
    run.report.paragraph(
        f"Protocol: N = {n}, 10 % of bits flipped, 30 stored patterns cued per trial, "
        f"{n_trials} trials, exact match, synchronous updates. Time is the "
        "wall-clock of the whole curve (fits and retrievals) on this machine."
    )
    run.report.table(
        ["memory", *[f"P/N={x}" for x in loads], "time [s]", "published"], rows
    )
    run.figure(
        fig, "comparison.png", f"Capacity curves of five learning rules at N = {n}."
    )
