"""Online storage: adding 10 % more patterns with partial_fit against a refit.

At N = 200, a memory holding P = 5400 patterns (grown by partial_fit, so it
keeps its Gram matrix) receives 600 more; the time and solver iterations of
that partial_fit are compared side by side with a fit on all 6000 patterns,
and the fields of both are compared (within the solver's tol). A memory
fitted by fit keeps no Gram matrix: its first partial_fit computes it once,
timed too.

Run: ``python benchmarks/online_storage.py [--quick]`` (about a minute on 2
cores; ``--quick``: N = 100, P = 3000).
"""

import sys
import time

import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import make_patterns


def _timed(call):
    start = time.perf_counter()
    out = call()
    return out, time.perf_counter() - start


def main(n_features=200, n_patterns=6000, repeats=3):
    X = make_patterns(n_patterns, n_features, random_state=0)
    n_old = n_patterns - n_patterns // 10
    print(f"N = {n_features}, P = {n_old} + {n_patterns - n_old} (10 %)\n")
    print(f"| what | time [s] (best of {repeats}) | solver iterations |")
    print("|---|---|---|")
    rows = {}
    for name in (
        "refit on all",
        "partial_fit (grown memory)",
        "partial_fit (after fit)",
    ):
        best, mem = np.inf, None
        for _ in range(repeats):
            if name == "refit on all":
                mem, t = _timed(lambda: KLRHopfieldMemory().fit(X))
            else:
                base = KLRHopfieldMemory()
                if name.endswith("(grown memory)"):
                    base.partial_fit(X[:n_old])
                else:
                    base.fit(X[:n_old])
                mem, t = _timed(lambda b=base: b.partial_fit(X[n_old:]))
            best = min(best, t)
        rows[name] = (best, mem)
        print(f"| {name} | {best:.3f} | {mem.n_iter_} |")
    refit = rows["refit on all"][1]
    H = refit.decision_function(X[:500])
    for name in ("partial_fit (grown memory)", "partial_fit (after fit)"):
        t, mem = rows[name]
        gap = np.abs(mem.decision_function(X[:500]) - H).max() / np.abs(H).max()
        print(
            f"\n{name}: {t / rows['refit on all'][0]:.2f} of a refit; largest "
            f"field difference {gap:.1e} of the largest field"
        )


if __name__ == "__main__":
    if "--quick" in sys.argv:
        main(100, 3000, repeats=1)
    else:
        main()
