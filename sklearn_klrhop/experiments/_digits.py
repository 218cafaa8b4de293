"""Structured data: capacity and completion on the bundled digits."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from ..datasets import corrupt, load_digit_patterns
from ..memories import KLRHopfieldMemory, default_gamma
from ..metrics import overlap, recall_score
from ._common import run_capacity


def digits(run):
    """Capacity and completion on the bundled 8 x 8 digits."""
    X = load_digit_patterns().data
    p = run.protocol(
        "digits",
        quick={"loads": [1, 2, 4, 8], "n_cues": 50, "n_trials": 3, "n_stored": 256},
        full={
            "loads": [1, 2, 4, 6, 8, 12, 16, 20, 24],
            "n_cues": 50,
            "n_trials": 10,
            "n_stored": 256,
        },
    )
    loads, stored = p["loads"], X[: p["n_stored"]]
    curve = run_capacity(
        run,
        KLRHopfieldMemory(),
        loads,
        X=X,
        noise=0.1,
        n_cues=p["n_cues"],
        n_trials=p["n_trials"],
    )
    mean = curve.scores.mean(axis=1)
    mem = KLRHopfieldMemory().fit(stored)
    completion = {}
    for noise in (0.05, 0.1, 0.2):
        cues = corrupt(stored, noise, random_state=run.seed)
        pred = mem.predict(cues)
        completion[noise] = {
            "recall": recall_score(stored, pred),
            "overlap": float(overlap(stored, pred).mean()),
        }
    run.results["digits"] = {
        "loads": loads,
        "mean": mean.tolist(),
        "completion": completion,
    }
    run.heading("Structured data: the bundled digits (N = 64)")
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
        [f"noise (P = {len(stored)})", "recall", "mean overlap"],
        [[f"{k:.0%}", v["recall"], v["overlap"]] for k, v in completion.items()],
    )
