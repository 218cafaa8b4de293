"""Edge of stability of the papers' gradient descent on the Ridge."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np

from ..datasets import make_patterns
from ..inspection import LossSpectrumDisplay, loss_spectrum
from ..memories import KLRHopfieldMemory
from ._published import MARKS
from ._runner import pyplot

_MARK = MARKS["edge_of_stability"]
PUBLISHED = {
    "initial": f"> {_MARK['initial']}",
    "hover": "just below 2 / eta = 40, 20, 10, with eta lambda_max / 2 repeatedly "
    "hitting 1",
    "escape": "between epochs {} and {}".format(*_MARK["escape"]),
    "source": "arXiv:2609.16827, full text, Fig. 2 (one trial)",
    "appendix": "the initial lambda_max scales with P and the oscillation lasts "
    "longer at higher load (arXiv:2609.16827, full text, Appendix A)",
}
ETAS = (0.05, 0.1, 0.2)


def edge_of_stability(run):
    """lambda_max of the loss Hessian every epoch: N = 50, P/N = 2, gamma = 0.02."""
    n, gamma = 50, 0.02
    p = run.protocol(
        "edge_of_stability",
        quick={"n_sets": 1, "n_epochs": 300, "appendix_loads": ()},
        # Appendix A: the load, at eta = 0.1
        full={"n_sets": 5, "n_epochs": 300, "appendix_loads": (2.0, 8.0, 16.0)},
    )
    seeds = [run.seed + k for k in range(p["n_sets"])]
    n_epochs = p["n_epochs"]
    plt = pyplot()
    if not p["appendix_loads"]:
        fig, left = plt.subplots(figsize=(7, 4.5))
    else:
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    rows, out = [], {}
    for eta in ETAS:
        traces = [_trace(n, 2.0, gamma, eta, seed, n_epochs) for seed in seeds]
        stats = [_phases(s) for s in traces]
        out[eta] = {"seeds": seeds, "trials": stats}
        rows.append(_row(eta, stats))
        LossSpectrumDisplay.from_result(traces[0], ax=left)
    initial, (start, end) = _MARK["initial"], _MARK["escape"]
    left.axhline(initial, color="gray", linestyle=":", linewidth=1)
    left.text(118, initial * 1.04, f"published initial > {initial}", ha="right",
              va="bottom", fontsize=7)  # fmt: skip
    left.axvspan(start, end, color="gray", alpha=0.15)
    left.text((start + end) / 2, left.get_ylim()[0] * 1.05,
              f"published\nescape\n{start}-{end}", ha="center", fontsize=6)  # fmt: skip
    left.set_xlim(0, 120)
    left.set_title(f"N = {n}, P/N = 2, gamma = {gamma}, lam = 0.01, seed {seeds[0]}",
                   fontsize=9)  # fmt: skip
    appendix = []
    if p["appendix_loads"]:
        for load in p["appendix_loads"]:
            trace = _trace(n, load, gamma, 0.1, run.seed, n_epochs)
            appendix.append({"load": load, **_phases(trace)})
            right.plot(trace.epochs, trace.lambda_max_history.max(axis=1),
                       label=f"P/N = {load:g}")  # fmt: skip
        right.axhline(20, color="k", linestyle="--", linewidth=1, label="2 / eta = 20")
        right.set_yscale("log")
        right.set_xlim(0, 200)
        right.set_xlabel("Epoch")
        right.set_ylabel("lambda_max (max over neurons)")
        right.set_title("eta = 0.1 at three loads (Appendix A)", fontsize=9)
        right.legend(fontsize=7)
    fig.tight_layout()
    out["appendix"] = appendix
    run.results["edge_of_stability"] = out
    run.heading("Edge of stability of gradient descent (arXiv:2609.16827)")
    run.report.paragraph(
        f"Protocol: N = {n}, P = 100 random patterns, gamma = {gamma}, lam = 0.01, "
        "full-batch gradient descent A <- A - eta K (sigma(K A) - T + lam A) from "
        f"A = 0 for {n_epochs} epochs (solver='gd', tol=0), the largest eigenvalue of every "
        "neuron's Hessian K D_i K + lam K after every epoch; "
        f"{len(seeds)} pattern set(s). Oscillating phase: the epochs before the "
        "descent becomes stable for good (eta max_i lambda_max < 2 from then on). "
        f"Published ({PUBLISHED['source']}): initial lambda_max {PUBLISHED['initial']}; "
        f"then {PUBLISHED['hover']}; oscillation ends {PUBLISHED['escape']}."
    )
    run.report.table(
        ["eta", "2/eta", "initial lambda_max", "median eta lambda_max / 2 (max over "
         "neurons) while oscillating", "same, mean over neurons",
         "epochs at or above 2/eta", "stable from epoch", "final lambda_max"],
        rows,
    )  # fmt: skip
    if appendix:
        run.report.paragraph(
            f"Appendix A at eta = 0.1. Published: {PUBLISHED['appendix']}."
        )
        run.report.table(
            ["P/N", "initial lambda_max", "stable from epoch"],
            [
                [
                    a["load"],
                    f"{a['initial']:.4g}",
                    f"not within {n_epochs} epochs"
                    if a["stable_from"] is None
                    else a["stable_from"],
                ]
                for a in appendix
            ],  # fmt: skip
        )
    run.report.paragraph(_verdict(out))
    run.figure(
        fig,
        "edge_of_stability.png",
        "Largest Hessian eigenvalue per epoch (thick: max over neurons, thin: mean) "
        "with 2 / eta dashed, for eta = 0.05, 0.1, 0.2; the published initial value "
        "and escape window are marked.",
    )


def _trace(n, load, gamma, eta, seed, n_epochs):
    X = make_patterns(int(round(load * n)), n, random_state=seed)
    mem = KLRHopfieldMemory(gamma=gamma, lam=0.01, solver="gd", learning_rate=eta,
                            max_iter=n_epochs, tol=0).fit(X)  # fmt: skip
    return loss_spectrum(mem, history=True)


def _phases(spectrum):
    eta = spectrum.learning_rate
    top = spectrum.lambda_max_history.max(axis=1)
    mean = spectrum.lambda_max_history.mean(axis=1)
    stable = spectrum.stable_from()
    end = len(top) if stable is None else stable
    window = slice(1, max(end, 2))
    return {
        "initial": float(top[0]),
        "median_ratio_max": float(np.median(eta * top[window] / 2)),
        "median_ratio_mean": float(np.median(eta * mean[window] / 2)),
        "epochs_unstable": int(np.count_nonzero(eta * top >= 2)),
        "stable_from": stable,
        "final": float(top[-1]),
    }


def _row(eta, stats):
    def agg(key, fmt):
        values = [s[key] for s in stats if s[key] is not None]
        if not values:
            return "never"
        if len(values) == 1:
            return f"{values[0]:{fmt}}"
        return f"{np.mean(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"

    return [eta, 2 / eta, agg("initial", ".4g"), agg("median_ratio_max", ".2f"),
            agg("median_ratio_mean", ".2f"), agg("epochs_unstable", ".0f"),
            agg("stable_from", ".0f"), agg("final", ".3g")]  # fmt: skip


def _verdict(out):
    initial = _MARK["initial"]
    first = [s for eta in ETAS for s in out[eta]["trials"]]
    low, high = min(s["initial"] for s in first), max(s["initial"] for s in first)
    escapes = [s["stable_from"] for s in first if s["stable_from"] is not None]
    ratios = [s["median_ratio_max"] for s in first]
    text = (
        f"Measured: the initial lambda_max is {low:.4g}"
        + (f"-{high:.4g}" if high > low else "")
        + f" ({'above' if low > initial else 'not always above'} the published "
        f"{initial}); the oscillation ends at epochs {min(escapes)}-{max(escapes)} "
        + "(published: {}-{}). ".format(*_MARK["escape"])
        + "While it lasts, the largest eigenvalue over neurons alternates above and "
        f"below 2 / eta (median eta lambda_max / 2 of {min(ratios):.2f}-"
        f"{max(ratios):.2f}) rather than hovering just below it; its mean over neurons "
        "stays lower. The paper does not say whether its lambda_max is one neuron's, "
        "the largest or an average."
    )
    return text
