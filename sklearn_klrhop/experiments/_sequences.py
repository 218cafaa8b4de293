"""Sequences: heteroassociative kernel memories against load (arXiv:2605.00366)."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import math

from .._plotting import dodge, series_style
from ..datasets import corrupt, make_patterns, sequence_targets
from ..memories import HebbianHopfieldMemory, KLRHopfieldMemory
from ..model_selection import SequenceCapacityCurveDisplay, sequence_capacity_curve
from ._common import figure_legend
from ._published import MARKS, PUBLISHED
from ._runner import pyplot

# Sequence recall: L consecutive exact steps after a clean-up transient.
N_STEPS, TRANSIENT = 10, 5


# The quick and the full protocol (``Run.protocol`` applies overrides).
QUICK = {
    "loads": {50: [2, 8, 16, 32], 100: [2, 8, 16]},
    "gammas": (0.05, 0.1),
    "krr_gammas": (0.1,),
    "noises": (0.1, 0.2),
    "hebbian_loads": [0.05, 0.1, 0.2, 0.5],
    "n_trials": 2,
    "n_cues": 20,
    "cycle_n": 50,
}
_FULL_LOADS = [1, 2, 4, 8, 12, 16, 24, 32]
FULL = {
    "loads": {50: _FULL_LOADS, 100: _FULL_LOADS, 200: _FULL_LOADS},
    "gammas": (0.02, 0.05, 0.1),
    "krr_gammas": (0.02, 0.1),
    "noises": (0.1, 0.2),
    "hebbian_loads": [0.05, 0.1, 0.15, 0.2, 0.3, 0.5],
    "n_trials": 5,
    "n_cues": 50,
    "cycle_n": 100,
}


def _memories(p, n):
    """(name, gamma, estimator, loads) of every curve at N = n."""
    out = [
        ("KLR", g, KLRHopfieldMemory(gamma=g, lam=0.01), p["loads"][n])
        for g in p["gammas"]
    ]
    out += [
        ("KRR", g, KLRHopfieldMemory(gamma=g, lam=0.01, loss="squared"), p["loads"][n])
        for g in p["krr_gammas"]
    ]
    return out + [("Hebbian", None, HebbianHopfieldMemory(), p["hebbian_loads"])]


def _curves(run, p):
    """Every curve of the protocol, keyed ``memory/N/gamma/noise``."""
    out = {}
    for n in p["loads"]:
        for name, gamma, est, loads in _memories(p, n):
            for noise in p["noises"]:
                curve = sequence_capacity_curve(
                    est, loads, n_features=n, noise=noise, n_steps=N_STEPS,
                    transient=TRANSIENT, n_trials=p["n_trials"], n_cues=p["n_cues"],
                    random_state=run.seed, n_jobs=run.n_jobs,
                )  # fmt: skip
                out[(name, n, gamma, noise)] = curve
    return out


def _summary(curve):
    return {
        "loads": curve.loads.tolist(),
        "sequence": curve.mean.tolist(),
        "transition": curve.transitions.mean(axis=1).tolist(),
        "overlap": curve.overlaps.mean(axis=1).tolist(),
        "collapse": curve.collapse(0.5),
        "width": curve.width(),
        "capacity": curve.capacity(0.95),
        "transition_collapse": curve.collapse(0.5, recall="transition"),
        "transition_width": curve.width(recall="transition"),
    }


def _load(s, key="collapse"):
    """A collapse load as text: beyond the grid, or below it from the start."""
    value, recall = s[key], s["sequence" if key == "collapse" else "transition"]
    if not math.isnan(value):
        return f"{value:.3g}"
    if recall[0] < 0.5:
        return f"< {min(s['loads']):g}"
    return f"> {max(s['loads']):g}"


def _span(values, fmt):
    low, high = format(min(values), fmt), format(max(values), fmt)
    return low if low == high else f"{low} to {high}"


def _cycle_check(run, p):
    """Replay a stored cycle long enough to close it: its period and entry."""
    n = p["cycle_n"]
    X = make_patterns(4 * n, n, random_state=run.seed)
    mem = KLRHopfieldMemory(gamma=0.1, max_steps=4 * n + 10)
    mem.fit(*sequence_targets(X))
    cued = X[: p["n_cues"]]
    out = {"n_features": n, "n_patterns": len(X)}
    for noise in (0.0, 0.1, 0.2):
        cues = corrupt(cued, noise, random_state=run.seed) if noise else cued
        res = mem.retrieve(cues)
        on = res.period == len(X)
        out[noise] = {
            "period_is_P": float(on.mean()),
            "periods": sorted(set(res.period.tolist())),
            "mean_entry": float(res.cycle_start[on].mean()) if on.any() else None,
        }
    return out


def _describe(summaries, p):
    """Where the KLR curves collapse, how sharply, and how that moves."""
    top = max(max(v) for v in p["loads"].values())
    klr = {k: v for k, v in summaries.items() if k[0] == "KLR"}
    fallen = {k: v for k, v in klr.items() if not math.isnan(v["collapse"])}
    parts = [
        f"{len(fallen)} of the {len(klr)} KLR curves fall below a sequence recall "
        f"of 0.5 within P/N <= {top:g}"
    ]
    if fallen:
        where = ", ".join(
            f"N={k[1]} gamma={k[2]:g} noise={k[3]:.0%}: {v['collapse']:.3g}"
            for k, v in sorted(fallen.items())
        )
        rel = [v["width"] / v["collapse"] for v in fallen.values()]
        rel = [r for r in rel if not math.isnan(r)]
        parts[0] += f" (at {where})"
        parts.append(
            f"{len(rel)} of them fall(s) from 0.9 to 0.1 within the grid"
            + (
                f", over a load range of {_span(rel, '.2g')} times the collapse load"
                if rel
                else ""
            )
        )
    trans = [v["transition_collapse"] for v in klr.values()]
    trans = [t for t in trans if not math.isnan(t)]
    low = sum(v["transition"][0] < 0.5 for v in klr.values())
    parts.append(
        f"transition recall (one exact step) of {len(trans)} KLR curves falls "
        "through 0.5 within the grid"
        + (f", at P/N = {_span(trans, '.3g')}" if trans else "")
        + f", and {low} start below 0.5 at the smallest load"
    )
    hebb = [v for k, v in summaries.items() if k[0] == "Hebbian"]
    hebb_c = [v["collapse"] for v in hebb if not math.isnan(v["collapse"])]
    if hebb_c:
        parts.append(
            f"the Hebbian sequence rule collapses at P/N = {_span(hebb_c, '.2g')}"
        )
    for noise in p["noises"]:
        for gamma in p["gammas"]:
            row = [klr[("KLR", n, gamma, noise)] for n in p["loads"]]
            parts.append(
                f"at gamma={gamma:g} and {noise:.0%} noise the collapse is at "
                + " / ".join(_load(c) for c in row)
                + " for N = "
                + " / ".join(str(n) for n in p["loads"])
            )
    return "; ".join(parts) + "."


def sequences(run):
    """Sequence recall against load for cyclic random sequences (KLR, KRR, Hebb)."""
    p = run.protocol("sequences", quick=QUICK, full=FULL)
    curves = _curves(run, p)
    summaries = {k: _summary(c) for k, c in curves.items()}
    cycle = _cycle_check(run, p)
    run.results["sequences"] = {
        "curves": {"/".join(map(str, k)): v for k, v in summaries.items()},
        "cycle": cycle,
        "n_steps": N_STEPS,
        "transient": TRANSIENT,
    }
    rows = []
    for (name, n, gamma, noise), s in summaries.items():
        rows.append(
            [
                name, n, "" if gamma is None else f"{gamma:g}", f"{noise:.0%}",
                _load(s),
                "-" if math.isnan(s["width"]) else f"{s['width']:.3g}",
                "-" if math.isnan(s["capacity"]) else f"{s['capacity']:g}",
                _load(s, "transition_collapse"),
                PUBLISHED["sequences"] if not rows else "",
            ]
        )  # fmt: skip
    report = run.report
    run.heading("Sequences: heteroassociative memories (arXiv:2605.00366)")
    report.paragraph(
        "Protocol: a cyclic sequence of P = round(load * N) random patterns, each "
        "mapped to its successor (fit(X, y) with y = X shifted by one), lam = 0.01; "
        f"{p['n_trials']} sequences per load, {p['n_cues']} positions cued per "
        "sequence with 10 % or 20 % of bits flipped, synchronous replay. Sequence "
        f"recall: steps {TRANSIENT + 1} to {TRANSIENT + N_STEPS} of the replay are "
        f"exactly the stored sequence ({N_STEPS} consecutive exact steps after a "
        f"clean-up of {TRANSIENT} steps); transition recall: the first step is "
        "exactly the next pattern. Collapse: the load where the mean sequence "
        "recall falls through 0.5 (interpolated; the same for transition recall); "
        "width: the load range of its fall from 0.9 to 0.1 ('-': not within the "
        "grid); capacity: the largest load with sequence recall >= 0.95. "
        "The paper's N, gamma, noise and sequence type are not stated; these are "
        "our choices."
    )
    report.table(
        [
            "memory", "N", "gamma", "noise", "collapse P/N", "width", "capacity",
            "transition collapse P/N", "published",
        ],
        rows,
    )  # fmt: skip
    report.paragraph("Measured: " + _describe(summaries, p))
    report.table(
        ["memory", "N", "gamma", "noise", "P/N: sequence / transition recall"],
        [
            [
                name, n, "" if gamma is None else f"{gamma:g}", f"{noise:.0%}",
                ", ".join(
                    f"{x:g}: {a:.2f}/{b:.2f}"
                    for x, a, b in zip(s["loads"], s["sequence"], s["transition"])
                ),
            ]
            for (name, n, gamma, noise), s in summaries.items()
        ],
    )  # fmt: skip
    report.paragraph(
        f"Limit cycle: N = {cycle['n_features']}, a cycle of P = "
        f"{cycle['n_patterns']} patterns, gamma = 0.1, replayed for P + 10 steps "
        f"from {p['n_cues']} of its patterns; period detected by retrieve."
    )
    report.table(
        ["cue noise", "period = P", "periods seen", "mean entry step"],
        [
            [
                f"{noise:.0%}", cycle[noise]["period_is_P"], cycle[noise]["periods"],
                cycle[noise]["mean_entry"],
            ]
            for noise in (0.0, 0.1, 0.2)
        ],
    )  # fmt: skip
    _figure(run, p, curves)


def _figure(run, p, curves):
    plt = pyplot()
    sizes = list(p["loads"])
    # one panel per memory (and gamma) and N: curves at 1.0 would hide each
    # other in a shared panel; one style per noise level
    kinds = list(dict.fromkeys((k[0], k[2]) for k in curves))
    fig, axes = plt.subplots(
        len(sizes), len(kinds), figsize=(2.7 * len(kinds), 2.3 * len(sizes) + 0.8),
        sharex=True, sharey=True, squeeze=False,
    )  # fmt: skip
    looks = {noise: series_style(i) for i, noise in enumerate(p["noises"])}
    mark = MARKS["sequences"]
    noises = list(p["noises"])
    for (name, n, gamma, noise), curve in curves.items():
        ax = axes[sizes.index(n), kinds.index((name, gamma))]
        # the noise levels apart sideways: at 1.0 they coincide
        loads = dodge(curve.loads, noises.index(noise), len(noises), width=0.06,
                      log=True)  # fmt: skip
        SequenceCapacityCurveDisplay(loads=loads, scores=curve.scores).plot(
            ax=ax, label=f"{noise:.0%} noise", std_display_style=None,
            line_kw=looks[noise],
        )  # fmt: skip
    for row, n in enumerate(sizes):
        for col, (name, gamma) in enumerate(kinds):
            ax = axes[row, col]
            ax.set_xscale("log")
            ax.axvline(mark["collapse"], color="k", linewidth=1, linestyle=":",
                       label=f"published collapse near P/N ~ {mark['collapse']} "
                       f"({mark['source']})")  # fmt: skip
            label = name if gamma is None else f"{name}, gamma = {gamma:g}"
            ax.set_title(f"{label}, N = {n}", fontsize=9)
            ax.set_xlabel("Load P / N" if row == len(sizes) - 1 else "")
            if col:
                ax.set_ylabel("")
    fig.suptitle(
        f"Sequence recall ({N_STEPS} exact steps after {TRANSIENT}), lam = 0.01, "
        f"{p['n_trials']} sequences x {p['n_cues']} cues per point; mean over "
        "trials; P / N is the length of the sequence / N; noise levels shifted "
        "apart sideways",
        fontsize=9,
    )
    figure_legend(fig, axes.ravel(), ncol=3)
    run.figure(
        fig,
        "sequences.png",
        "Sequence recall against load for each memory, gamma and cue noise, with "
        "the published collapse (arXiv:2605.00366).",
    )
