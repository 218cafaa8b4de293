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
from ._common import run_capacity, trials
from ._published import PUBLISHED
from ._runner import pyplot


def comparison(run):
    """KLR vs KRR vs Hebbian vs linear LR vs modern Hopfield capacity at N = 100."""
    n = 100
    loads = (
        [0.1, 0.2, 0.3, 0.6, 0.9, 1.5]
        if run.quick
        else [0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 0.9, 1.2, 1.5]
    )
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
        curve = run_capacity(run, est, loads, n_features=n, noise=0.1, n_cues=30)
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
        "4. KLR against classical and modern Hopfield networks (N = 100)"
    )
    run.report.paragraph(
        "Protocol: N = 100, 10 % of bits flipped, 30 stored patterns cued per trial, "
        f"{trials(run)} trials, exact match, synchronous updates. Time is the "
        "wall-clock of the whole curve (fits and retrievals) on this machine."
    )
    run.report.table(
        ["memory", *[f"P/N={x}" for x in loads], "time [s]", "published"], rows
    )
    run.figure(
        fig, "comparison.png", "Capacity curves of five learning rules at N = 100."
    )
