"""Command line: ``python -m sklearn_klrhop demo``."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import argparse
import sys
import time

import numpy as np

from . import KLRHopfieldMemory
from ._encoding import fraction_count
from .datasets import corrupt, make_patterns
from .metrics import hamming


def demo(n_features=100, load=30, noise=0.2, n_cues=200, seed=0, out=None):
    """Store random patterns at P/N = ``load`` and retrieve noisy cues.

    Prints a table of recall, steps and events for synchronous and asynchronous
    retrieval and returns it as a list of dicts.
    """
    out = sys.stdout if out is None else out
    n_patterns = load * n_features
    X = make_patterns(n_patterns, n_features, random_state=seed)
    print(
        f"Storing P = {n_patterns} random patterns in N = {n_features} neurons "
        f"(P/N = {load}) ...",
        file=out,
    )
    start = time.perf_counter()
    memory = KLRHopfieldMemory(random_state=seed).fit(X)
    print(
        f"fitted in {time.perf_counter() - start:.1f} s "
        f"(gamma = {memory.gamma_:g}, {memory.n_iter_} solver iterations)",
        file=out,
    )
    rng = np.random.RandomState(seed)
    n_cues = min(n_cues, n_patterns)
    targets = X[rng.choice(n_patterns, n_cues, replace=False)]
    cues = corrupt(targets, noise, random_state=rng)
    print(
        f"\n{n_cues} cues with {fraction_count(noise, n_features)} of {n_features} bits "
        f"flipped (mean initial Hamming distance {hamming(targets, cues).mean():.1f})\n",
        file=out,
    )
    rows = []
    header = f"{'update':<8}{'recall':>8}{'steps':>8}{'events':>8}{'time [s]':>10}"
    print(header, file=out)
    print("-" * len(header), file=out)
    for update in ("sync", "async"):
        start = time.perf_counter()
        res = memory.retrieve(cues, update=update)
        elapsed = time.perf_counter() - start
        row = {
            "update": update,
            "recall": float(np.mean(np.all(res.states == targets, axis=1))),
            "steps": float(res.n_steps.mean()),
            "events": float(res.n_events.mean()),
            "time": elapsed,
        }
        rows.append(row)
        print(
            f"{update:<8}{row['recall']:>8.3f}{row['steps']:>8.2f}"
            f"{row['events']:>8.2f}{elapsed:>10.3f}",
            file=out,
        )
    print(
        "\nsteps: synchronous steps or asynchronous sweeps, including the one that "
        "confirms the fixed point; events: bit flips.",
        file=out,
    )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_klrhop",
        description="Kernel logistic regression Hopfield memories.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser("demo", help="store random patterns at P/N = 30 and recall")
    p_demo.add_argument("--n-features", type=int, default=100)
    p_demo.add_argument("--load", type=int, default=30)
    p_demo.add_argument("--noise", type=float, default=0.2)
    p_demo.add_argument("--seed", type=int, default=0)
    p_rep = sub.add_parser(
        "reproduce",
        help="run the papers' experiments and write a report with figures and JSON",
    )
    p_rep.add_argument(
        "--quick",
        action="store_true",
        help="fewer sizes and trials; the report records its own run time",
    )
    p_rep.add_argument("--out", default="reproduce-report", help="output directory")
    p_rep.add_argument(
        "--n-jobs", type=int, default=None, help="parallel jobs for the capacity curves"
    )
    p_rep.add_argument("--seed", type=int, default=0)
    p_rep.add_argument(
        "--only",
        nargs="+",
        default=None,
        metavar="EXPERIMENT",
        help="run only these experiments, e.g. --only capacity events (an "
        "unknown name lists them all)",
    )
    p_rep.add_argument(
        "--rst-image-prefix",
        default="",
        help="prefix of the figure paths in report.rst (the docs build sets it)",
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        demo(args.n_features, args.load, args.noise, seed=args.seed)
    else:
        from .experiments import EXPERIMENTS, reproduce

        unknown = [name for name in args.only or () if name not in EXPERIMENTS]
        if unknown:
            # An argparse error (usage, exit status 2), as for any other bad
            # option; the names are only known once the experiments are imported.
            p_rep.error(
                f"argument --only: invalid choice: {', '.join(map(repr, unknown))} "
                f"(choose from {', '.join(EXPERIMENTS)})"
            )
        start = time.perf_counter()
        reproduce(
            args.out,
            quick=args.quick,
            n_jobs=args.n_jobs,
            seed=args.seed,
            only=args.only,
            rst_image_prefix=args.rst_image_prefix,
        )
        print(
            f"Report written to {args.out}/report.md (also report.html, results.json "
            f"and the figures) in {time.perf_counter() - start:.0f} s."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
