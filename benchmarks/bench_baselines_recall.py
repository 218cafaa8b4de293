"""Recall rate of every memory against the load P / N, from 10 % noise and 0 %.

The numbers quoted in ``doc/comparison.rst`` come from this script::

    python benchmarks/bench_baselines_recall.py

N = 100 neurons, cues with exactly 10 bits flipped (and, for the fixed-point
table, the stored patterns themselves), synchronous updates (at most 30
steps), success = exact convergence to the stored pattern; every stored
pattern is cued once, over two independent pattern sets. Runs in one to two
minutes on one core (linear LR at P / N = 3 dominates).
"""

import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from sklearn_klrhop import (
    HebbianHopfieldMemory,
    KLRHopfieldMemory,
    LinearLogisticHopfieldMemory,
    ModernHopfieldMemory,
    PseudoinverseHopfieldMemory,
    StorkeyHopfieldMemory,
)
from sklearn_klrhop.datasets import corrupt, make_patterns

N = 100
NOISES = [0.1, 0.0]
LOADS = [0.05, 0.1, 0.14, 0.25, 0.5, 0.9, 1.5, 3.0]
SEEDS = [0, 1]
MEMORIES = {
    "Hebbian": HebbianHopfieldMemory(),
    "Storkey": StorkeyHopfieldMemory(),
    "Pseudo-inverse": PseudoinverseHopfieldMemory(),  # zero diagonal
    "Projection (with diag)": PseudoinverseHopfieldMemory(zero_diagonal=False),
    "Linear LR": LinearLogisticHopfieldMemory(),
    "Modern (beta=1)": ModernHopfieldMemory(),
    "KLR (gamma=0.05)": KLRHopfieldMemory(gamma=0.05),
}


def recall(memory, n_patterns, seed):
    """Fit once; success per cue for each noise level."""
    X = make_patterns(n_patterns, N, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        memory.fit(X)
    return [
        np.all(memory.predict(corrupt(X, noise, random_state=seed + 100)) == X, axis=1)
        for noise in NOISES
    ]


def main():
    tables = {noise: [] for noise in NOISES}
    for name, memory in MEMORIES.items():
        start = time.perf_counter()
        rates = {noise: [] for noise in NOISES}
        for load in LOADS:
            hits = [recall(memory, round(load * N), s) for s in SEEDS]
            for k, noise in enumerate(NOISES):
                rates[noise].append(
                    float(np.mean(np.concatenate([h[k] for h in hits])))
                )
        seconds = time.perf_counter() - start
        for noise in NOISES:
            row = "".join(f"{r:7.2f}" for r in rates[noise])
            tables[noise].append(f"{name:<22}{row}   {seconds:7.1f}")
    for noise in NOISES:
        print(f"\nN = {N}, noise = {noise:.0%}, sync, pattern sets = {len(SEEDS)}")
        print(f"{'memory':<22}" + "".join(f"{a:>7}" for a in LOADS) + "   seconds")
        print("\n".join(tables[noise]))


if __name__ == "__main__":
    main()
