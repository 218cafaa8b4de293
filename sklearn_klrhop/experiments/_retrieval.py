"""The event-driven retrieval paper: trajectories, capacity, events and cost."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ..datasets import corrupt, make_patterns
from ..memories import KLRHopfieldMemory
from ..metrics import hamming, recall_score
from ..neuromorphic import NeuromorphicCostModel
from ._common import run_capacity
from ._published import PUBLISHED
from ._runner import pyplot


def trajectories(run):
    """Sync vs async overlap trajectories, N = 50, 100, 200, P/N = 3, 20 % noise."""
    p = run.protocol(
        "trajectories",
        quick={"sizes": (50, 100, 200), "n_cues": 50},
        full={"sizes": (50, 100, 200), "n_cues": 200},
    )
    sizes, n_cues = p["sizes"], p["n_cues"]
    plt = pyplot()
    fig, axes = plt.subplots(
        1, len(sizes), figsize=(11, 3.2), sharey=True, squeeze=False
    )
    axes = axes[0]
    rows, res_out = [], {}
    for ax, n in zip(axes, sizes):
        X = make_patterns(3 * n, n, random_state=run.seed)
        mem = KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=run.seed).fit(X)
        targets = X[:n_cues]
        cues = corrupt(targets, 0.2, random_state=run.seed + 1)
        for update, marker in (("sync", "o"), ("async", "s")):
            res = mem.retrieve(cues, update=update, return_trajectory=True)
            m = np.einsum("mtn,mn->mt", res.trajectory, targets) / n
            mean, sd = m.mean(axis=0)[:6], m.std(axis=0)[:6]
            ax.errorbar(np.arange(6), mean, sd, marker=marker, capsize=3, label=update)
            reach = int(np.argmax(mean > 0.95)) if np.any(mean > 0.95) else None
            recall = recall_score(targets, res.states)
            res_out[f"{n}/{update}"] = {
                "overlap_mean": mean.tolist(),
                "overlap_sd": sd.tolist(),
                "steps_to_0.95": reach,
                "recall": recall,
            }
            rows.append(
                [
                    n,
                    update,
                    f"{mean[0]:.2f}",
                    f"{mean[1]:.3f}",
                    reach,
                    recall,
                    PUBLISHED["trajectories"] if n == 50 and update == "sync" else "",
                ]
            )
        ax.set_title(f"N = {n}, P = {3 * n}")
        ax.set_xlabel("step (async: sweep of N updates)")
    axes[0].set_ylabel("overlap with target (mean ± sd)")
    axes[0].legend()
    run.results["trajectories"] = res_out
    run.report.heading("1. Synchronous vs asynchronous trajectories")
    run.report.paragraph(
        f"Protocol: gamma = 0.1, lam = 0.01, P/N = 3, {n_cues} cues per size with 20 % "
        "of bits flipped, default solver (newton-diagonal: the kernel is local), "
        "exact-match recall, one pattern realisation."
    )
    run.report.table(
        [
            "N",
            "update",
            "m step 0",
            "m step 1",
            "steps to m > 0.95",
            "recall",
            "published",
        ],
        rows,
    )
    run.figure(
        fig, "trajectories.png", "Overlap against step, sync vs async (20 % noise)."
    )


def capacity(run):
    """Capacity curves at gamma = 0.1 for N = 50, 100, 200, sync and async."""
    p = run.protocol(
        "capacity",
        quick={
            "plan": {50: [5, 10, 20, 30], 100: [10, 20, 30], 200: [20, 30]},
            "n_cues": 50,
            "n_trials": 3,
        },
        full={
            "plan": {n: [5, 10, 15, 20, 25, 30] for n in (50, 100, 200)},
            "n_cues": 100,
            "n_trials": 10,
        },
    )
    plan, n_cues, n_trials = p["plan"], p["n_cues"], p["n_trials"]
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    rows, out = [], {}
    for n, loads in plan.items():
        for update, style in (("sync", "-o"), ("async", "--s")):
            curve = run_capacity(
                run,
                KLRHopfieldMemory(gamma=0.1, lam=0.01),
                loads,
                n_features=n,
                n_cues=n_cues,
                n_trials=n_trials,
                update=update,
            )
            mean = curve.scores.mean(axis=1)
            ax.plot(loads, mean, style, label=f"N = {n} {update}")
            out[f"{n}/{update}"] = {
                "loads": list(loads),
                "mean": mean.tolist(),
                "scores": curve.scores.tolist(),
            }
            for load, value in zip(loads, mean):
                rows.append(
                    [
                        n,
                        update,
                        load,
                        f"{value:.3f}",
                        PUBLISHED["capacity"].get(n, "") if load == max(loads) else "",
                    ]
                )
    ax.set_xlabel("load P / N")
    ax.set_ylabel("exact recall from 20 % noise")
    ax.legend(fontsize=7)
    run.results["capacity"] = out
    run.report.heading("2. Capacity at gamma = 0.1")
    run.report.paragraph(
        f"Protocol: random patterns, gamma = 0.1, lam = 0.01, 20 % of bits flipped, "
        f"{n_cues} stored patterns cued per trial, {n_trials} trials (fresh patterns each), "
        "exact-match success, at most 30 steps / sweeps."
    )
    run.report.table(["N", "update", "P/N", "recall", "published"], rows)
    run.figure(fig, "capacity.png", "Recall against load at gamma = 0.1.")


def events(run):
    """Events against noise, N = 50, P/N = 3, gamma = 0.1, and the cost comparison."""
    settings = {"n": 50, "n_patterns": 150, "noises": (0.1, 0.2, 0.3, 0.4)}
    p = run.protocol("events", quick=settings, full=settings)
    n, n_patterns, noises = p["n"], p["n_patterns"], p["noises"]
    X = make_patterns(n_patterns, n, random_state=run.seed)
    mem = KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=run.seed).fit(X)
    rows, out = [], {}
    for noise in noises:
        cues = corrupt(X, noise, random_state=run.seed + 2)
        res = mem.retrieve(cues, update="async")
        repeated = res.n_events - hamming(cues, res.states)
        out[noise] = {
            "events": float(res.n_events.mean()),
            "initial_hamming": float(hamming(X, cues).mean()),
            "recall": recall_score(X, res.states),
            "repeated_flips": float(repeated.mean()),
            "sweeps": float(res.n_steps.mean()),
        }
        rows.append(
            [
                f"{noise:.0%}",
                out[noise]["initial_hamming"],
                out[noise]["events"],
                out[noise]["repeated_flips"],
                out[noise]["recall"],
                PUBLISHED["events"].get(noise, ""),
            ]
        )
    run.results["events"] = out
    run.report.heading("3. Events against noise (asynchronous retrieval)")
    run.report.paragraph(
        f"Protocol: N = {n}, P = {n_patterns}, gamma = 0.1, lam = 0.01, all "
        f"{n_patterns} stored patterns cued, asynchronous sweeps. Repeated flips = "
        "events minus bits that ended up changed (0 means no oscillation)."
    )
    run.report.table(
        ["noise", "initial Hamming", "events", "repeated flips", "recall", "published"],
        rows,
    )
    _cost(run, mem, X)


def _cost(run, mem, X):
    cues = corrupt(X, 0.2, random_state=run.seed + 2)
    report = NeuromorphicCostModel().estimate(mem, cues, targets=X)
    metrics = [
        "events",
        "field_evaluations",
        "kernel_updates",
        "macs",
        "synaptic_ops",
        "memory_reads",
    ]
    rows, out = [], {}
    for model in report.counts:
        low, high = (e / report.n_cues for e in report.energy[model])
        out[model] = {m: report.mean(model, m) for m in report.counts[model]}
        out[model].update(
            energy_low_J=low, energy_high_J=high, recall=report.recall[model]
        )
        rows.append(
            [
                model,
                *[f"{report.mean(model, m):.4g}" for m in metrics],
                f"{low:.2g} to {high:.2g}",
                report.recall[model],
            ]
        )
    run.results["cost"] = out
    run.report.paragraph(
        "Cost per retrieval of the 20 % case under the three execution models of the "
        "neuromorphic cost model (memory reads in bits; energy in joules, the range "
        "over its energy profiles). Synchronous: every field every step; asynchronous: "
        "one field per visited neuron, P kernel updates per flip; event-driven: fields "
        "kept current, one decision per event but N x P MACs per flip. Published: "
        f"{PUBLISHED['cost']}."
    )
    run.report.table(["model", *metrics, "energy [J]", "recall"], rows)
