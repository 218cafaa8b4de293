"""KLR against the classical and modern Hopfield memories."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import time

from .._plotting import series_style
from ..memories import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
)
from ..model_selection import CapacityCurveDisplay
from ._common import figure_legend, run_capacity
from ._published import MARKS, PUBLISHED
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
    # one panel per memory (four of them recall everything at low load, and
    # curves at 1.0 would hide each other), the others in grey behind it
    fig, axes = plt.subplots(2, 3, figsize=(11, 5.6), sharex=True, sharey=True)
    axes = axes.ravel()
    rows, out, curves = [], {}, {}
    for name, est in memories.items():
        start = time.perf_counter()
        curve = run_capacity(
            run, est, loads, n_features=n, noise=0.1, n_cues=30, n_trials=n_trials
        )
        elapsed = time.perf_counter() - start
        mean = curve.scores.mean(axis=1)
        curves[name] = curve
        out[name] = {"loads": loads, "mean": mean.tolist(), "seconds": elapsed}
        published = next(
            (v for k, v in PUBLISHED["comparison"].items() if name.startswith(k)), ""
        )
        rows.append([name, *[f"{v:.2f}" for v in mean], f"{elapsed:.1f}", published])
    _panels(axes, curves, loads)
    fig.suptitle(
        f"Exact recall from 10 % noise at N = {n}, synchronous, 30 cues x {n_trials} "
        "trials per point; bars: ± 1 sd over trials, cut at 0 and 1; grey: the other "
        "memories",
        fontsize=9,
    )
    figure_legend(fig, axes, ncol=3)
    run.results["comparison"] = out
    run.heading(f"KLR against classical and modern Hopfield networks (N = {n})")
    run.report.paragraph(
        f"Protocol: N = {n}, 10 % of bits flipped, 30 stored patterns cued per trial, "
        f"{n_trials} trials, exact match, synchronous updates. Time is the "
        "wall-clock of the whole curve (fits and retrievals) on this machine."
    )
    run.report.table(
        ["memory", *[f"P/N={x}" for x in loads], "time [s]", "published"], rows
    )
    run.figure(
        fig,
        "comparison.png",
        f"Capacity curves of five learning rules at N = {n}, with the published "
        "limits (arXiv:2504.07633).",
    )


def _panels(axes, curves, loads):
    for i, (ax, (name, curve)) in enumerate(zip(axes, curves.items())):
        for other, c in curves.items():
            if other != name:
                ax.plot(loads, c.scores.mean(axis=1), color="0.8", linewidth=1,
                        zorder=1)  # fmt: skip
        CapacityCurveDisplay(loads=loads, scores=curve.scores).plot(
            ax=ax, label="measured", std_display_style="errorbar",
            line_kw={**series_style(i), "color": "C0", "linestyle": "-"},
        )  # fmt: skip
        _published(ax, name)
        ax.set_title(name, fontsize=10)
        ax.set_xscale("log")
        ax.set_xticks(loads, [f"{x:g}" for x in loads])
        ax.minorticks_off()
        ax.set_xlim(loads[0] / 1.2, loads[-1] * 1.2)  # room for the end markers
        ax.set_xlabel("load P / N" if i >= 3 else "")
        ax.set_ylabel("exact recall" if i % 3 == 0 else "")


def _published(ax, name):
    """The published limit about memory ``name``, if there is one."""
    for key, (load, source) in MARKS["comparison"].items():
        if not name.startswith(key):
            continue
        if key == "KLR":  # recall 1.0 up to the load
            ax.plot(load, 1.0, marker="*", markersize=14, markerfacecolor="none",
                    markeredgecolor="k", linestyle="none",
                    label=f"published: KLR 100 % up to P/N = {load:g} ({source})")  # fmt: skip
        else:
            ax.axvline(load, color="k", linestyle=":", linewidth=1.2,
                       label=f"published: {key} fails near P/N ~ {load:g} ({source})")  # fmt: skip
