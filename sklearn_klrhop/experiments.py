"""The papers' experiments behind ``python -m sklearn_klrhop reproduce``.

Each experiment measures our implementation under a stated protocol and puts
the number beside the published one (``../shared/reference/papers.md`` §8 in
the development notes; the published values are quoted with their source in
``PUBLISHED``). ``quick=True`` runs fewer sizes and trials and says so.
"""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import time

import numpy as np
from sklearn.utils import check_random_state

from ._klr import KLRHopfieldMemory, default_gamma
from ._runner import Run, pyplot
from .datasets import corrupt, load_digit_patterns, make_patterns
from .metrics import hamming, overlap, recall_score

# What the papers report, with where it comes from (arXiv identifiers).
PUBLISHED = {
    "trajectories": "both schemes reach overlap > 0.95 within 1-3 steps, curves "
    "indistinguishable (arXiv:2605.05978)",
    "capacity": {
        50: "fine to P/N ~ 20, degrading beyond",
        100: "1.0 at P/N = 30",
        200: "1.0 at P/N = 30",
    },
    "events": {0.2: "~10 events, ~95 % recall", 0.4: "~15 events, < 10 % recall"},
    "cost": "synchronous ~150 field evaluations vs ~10 events (~15x), arXiv:2605.05978",
    "comparison": {
        "Hebbian": "collapses near P/N ~ 0.14",
        "Linear LR": "fails near P/N ~ 0.9",
        "KLR": "100 % up to P/N = 1.5 (arXiv:2504.07633)",
        "KRR": "like KLR, much faster to train (arXiv:2504.12561)",
    },
    "phase": "success boundary gamma ~ 0.02 at P/N 0.5, ~0.04 at 2, ~0.07 at 4 "
    "(N = 50; team check of arXiv:2609.16827's phase diagram)",
}


def trajectories(run):
    """Sync vs async overlap trajectories, N = 50, 100, 200, P/N = 3, 20 % noise."""
    sizes = (50, 100, 200)
    n_cues = 50 if run.quick else 200
    plt = pyplot()
    fig, axes = plt.subplots(1, len(sizes), figsize=(11, 3.2), sharey=True)
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
        "of bits flipped, L-BFGS fit, exact-match recall, one pattern realisation."
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


def _capacity(
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
    from .model_selection import capacity_curve

    return capacity_curve(
        estimator,
        loads,
        n_features=n_features,
        X=X,
        noise=noise,
        n_trials=n_trials or _trials(run),
        n_cues=n_cues,
        update=update,
        random_state=run.seed,
        n_jobs=run.n_jobs,
        verbose=0,
    )


def _trials(run):
    return 3 if run.quick else 10


def capacity(run):
    """Capacity curves at gamma = 0.1 for N = 50, 100, 200, sync and async."""
    if run.quick:
        plan = {50: [5, 10, 20, 30], 100: [10, 20, 30], 200: [20, 30]}
    else:
        plan = {n: [5, 10, 15, 20, 25, 30] for n in (50, 100, 200)}
    n_cues = 50 if run.quick else 100
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    rows, out = [], {}
    for n, loads in plan.items():
        for update, style in (("sync", "-o"), ("async", "--s")):
            curve = _capacity(
                run,
                KLRHopfieldMemory(gamma=0.1, lam=0.01),
                loads,
                n_features=n,
                n_cues=n_cues,
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
                        PUBLISHED["capacity"][n] if load == max(loads) else "",
                    ]
                )
    ax.set_xlabel("load P / N")
    ax.set_ylabel("exact recall from 20 % noise")
    ax.legend(fontsize=7)
    run.results["capacity"] = out
    trials = _trials(run)
    run.report.heading("2. Capacity at gamma = 0.1")
    run.report.paragraph(
        f"Protocol: random patterns, gamma = 0.1, lam = 0.01, 20 % of bits flipped, "
        f"{n_cues} stored patterns cued per trial, {trials} trials (fresh patterns each), "
        "exact-match success, at most 30 steps / sweeps."
    )
    run.report.table(["N", "update", "P/N", "recall", "published"], rows)
    run.figure(fig, "capacity.png", "Recall against load at gamma = 0.1.")


def events(run):
    """Events against noise, N = 50, P/N = 3, gamma = 0.1, and the cost comparison."""
    n, noises = 50, (0.1, 0.2, 0.3, 0.4)
    X = make_patterns(150, n, random_state=run.seed)
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
        "Protocol: N = 50, P = 150, gamma = 0.1, lam = 0.01, all 150 stored patterns "
        "cued, asynchronous sweeps. Repeated flips = events minus bits that ended up "
        "changed (0 means no oscillation)."
    )
    run.report.table(
        ["noise", "initial Hamming", "events", "repeated flips", "recall", "published"],
        rows,
    )
    _cost(run, mem, X)


def _cost(run, mem, X):
    from .neuromorphic import NeuromorphicCostModel

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


def comparison(run):
    """KLR vs KRR vs Hebbian vs linear LR vs modern Hopfield capacity at N = 100."""
    from .baselines import (
        HebbianHopfieldMemory,
        LinearLogisticHopfieldMemory,
        ModernHopfieldMemory,
    )

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
        curve = _capacity(run, est, loads, n_features=n, noise=0.1, n_cues=30)
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
        f"{_trials(run)} trials, exact match, synchronous updates. Time is the "
        "wall-clock of the whole curve (fits and retrievals) on this machine."
    )
    run.report.table(
        ["memory", *[f"P/N={x}" for x in loads], "time [s]", "published"], rows
    )
    run.figure(
        fig, "comparison.png", "Capacity curves of five learning rules at N = 100."
    )


def phase_diagram(run):
    """Success over (gamma, P/N) at N = 50, 20 % noise, at most 10 patterns cued."""
    n = 50
    gammas = np.logspace(np.log10(0.005), np.log10(0.5), 13 if run.quick else 25)
    loads = np.array([0.5, 1, 2, 3, 4, 6]) if run.quick else np.linspace(0.5, 6, 12)
    rng = check_random_state(run.seed)
    success = np.zeros((len(loads), len(gammas)))
    for i, load in enumerate(loads):
        X = make_patterns(int(round(load * n)), n, random_state=rng)
        targets = X[:10]
        cues = corrupt(targets, 0.2, random_state=rng)
        for j, gamma in enumerate(gammas):
            mem = KLRHopfieldMemory(gamma=gamma, lam=0.01, max_iter=200).fit(X)
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
    run.results["phase"] = {
        "gammas": gammas.tolist(),
        "loads": loads.tolist(),
        "success": success.tolist(),
        "boundary": boundary,
    }
    run.report.heading("5. Success phase diagram (N = 50)")
    run.report.paragraph(
        f"Protocol: {len(gammas)} x {len(loads)} grid, one pattern set per load, 10 "
        "patterns cued at 20 % noise, L-BFGS (max 200 iterations), 30 synchronous steps, "
        f"exact match. Published: {PUBLISHED['phase']}."
    )
    run.report.table(
        ["P/N", "smallest gamma with recall 1.0"],
        [
            [f"{x:.2f}", "none" if b is None else f"{b:.3g}"]
            for x, b in zip(loads, boundary)
        ],
    )
    run.figure(fig, "phase_diagram.png", "Exact recall over (gamma, P/N) at N = 50.")


def digits(run):
    """Capacity and completion on the bundled 8 x 8 digits."""
    X = load_digit_patterns().data
    loads = [1, 2, 4, 8] if run.quick else [1, 2, 4, 6, 8, 12, 16, 20, 24]
    curve = _capacity(run, KLRHopfieldMemory(), loads, X=X, noise=0.1, n_cues=50)
    mean = curve.scores.mean(axis=1)
    mem = KLRHopfieldMemory().fit(X[:256])
    completion = {}
    for noise in (0.05, 0.1, 0.2):
        cues = corrupt(X[:256], noise, random_state=run.seed)
        pred = mem.predict(cues)
        completion[noise] = {
            "recall": recall_score(X[:256], pred),
            "overlap": float(overlap(X[:256], pred).mean()),
        }
    run.results["digits"] = {
        "loads": loads,
        "mean": mean.tolist(),
        "completion": completion,
    }
    run.report.heading("6. Structured data: the bundled digits (N = 64)")
    run.report.paragraph(
        "Protocol: scikit-learn's 8 x 8 digits binarised at pixel > 8, default gamma "
        f"({default_gamma(X.shape[1]):.3g}), patterns drawn from the 1797 "
        "digits, 10 % of pixels flipped, exact match. The papers report structured data "
        "only for CIFAR-10 embeddings (effective load ~20, arXiv:2605.00366), not "
        "comparable to raw pixels."
    )
    run.report.table(
        ["P/N", *[str(x) for x in loads]], [["recall", *[f"{v:.2f}" for v in mean]]]
    )
    run.report.table(
        ["noise (P = 256)", "recall", "mean overlap"],
        [[f"{k:.0%}", v["recall"], v["overlap"]] for k, v in completion.items()],
    )


EXPERIMENTS = {
    "trajectories": trajectories,
    "capacity": capacity,
    "events": events,
    "comparison": comparison,
    "phase_diagram": phase_diagram,
    "digits": digits,
}


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
        Fewer sizes and trials (under 5 minutes on 2 cores); the report says so.
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
    """
    names = list(EXPERIMENTS) if only is None else list(only)
    unknown = sorted(set(names) - set(EXPERIMENTS))
    if unknown:
        raise ValueError(
            f"Unknown experiments {unknown}; choose from {list(EXPERIMENTS)}."
        )
    run = Run(out, quick=quick, n_jobs=n_jobs, seed=seed, verbose=verbose)
    run.execute({name: EXPERIMENTS[name] for name in names})
    run.write(rst_image_prefix)
    return run.results
