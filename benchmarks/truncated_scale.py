"""The truncated kernel at scale, and where its answers part from the exact ones.

    python benchmarks/truncated_scale.py [--quick]

Part of ``benchmarks/run.py`` (its sections e and g); standalone it
prints its results as JSON. Every point of the scale ladder runs in its own
process, so that its peak memory (VmHWM) is its own.
"""

import argparse
import json
import subprocess
import sys
import time

import numpy as np

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.memories._kernels import hamming_radius

POINT = """
import json, sys, time
import numpy as np
import sklearn_klrhop.memories._klr as klr
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns

P, N, gamma = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
cutoff = None if sys.argv[4] == "None" else float(sys.argv[4])  # None: dense
X = make_patterns(P, N, random_state=0).astype(np.int8)  # 1 byte per bit
found = {}
gram = klr.truncated_gram

def timed_gram(*args, **kwargs):
    start = time.perf_counter()
    K, stats = gram(*args, return_stats=True, **kwargs)
    found.update(stats, gram=time.perf_counter() - start)
    return K

klr.truncated_gram = timed_gram
start = time.perf_counter()
mem = KLRHopfieldMemory(gamma=gamma, kernel_cutoff=cutoff, dtype=np.float32).fit(X)
fit = time.perf_counter() - start
cues = corrupt(X[:100], 0.2, random_state=1)
start = time.perf_counter()
recall = float((mem.predict(cues) == X[:100]).all(axis=1).mean())
retrieve = time.perf_counter() - start
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) * 1024
print(json.dumps(dict(found, P=P, fit=fit, retrieve_100=retrieve, recall=recall,
                      total=fit + retrieve, peak_rss=peak, solver=mem.solver_,
                      n_iter=int(mem.n_iter_))))
"""


def scale_point(P, N, gamma, cutoff):
    """Fit P patterns (``cutoff=None``: the dense float32 kernel) and retrieve
    100 cues in a process of its own; a failure (e.g. the memory guard)
    comes back as ``{"P": P, "failed": its last line}``."""
    out = subprocess.run(
        [sys.executable, "-c", POINT, str(P), str(N), str(gamma), str(cutoff)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        return {"P": P, "failed": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout)


def largest_p(
    N=1000, gamma=0.1, cutoff=1e-16, ladder=(), budget=600.0, log=print, point=None
):
    """The largest P whose fit and retrieval run within ``budget`` seconds.

    ``point(P, N, gamma, cutoff)`` measures one P in its own process
    (default: :func:`scale_point`; ``cutoff=None`` is the dense kernel); a
    point that fails
    (e.g. refused by the memory guard) comes back as ``{"P": P, "failed":
    reason}`` and ends the search.

    Measures the ladder, then predicts the P that takes 95 % of the budget
    from the measured point nearest the budget, with the time growing as
    ``P^alpha`` (alpha from the two largest points measured, between 1 and
    2: the neighbour search is quadratic, the rest linear), measures it, and
    repeats (at most four times) until a measured run lands between 85 % and
    100 % of the budget. The answer is a measured run, never the prediction.
    """
    point = scale_point if point is None else point
    points, failed = [], []
    for P in ladder:
        result = point(P, N, gamma, cutoff)
        log(result)
        (failed if "failed" in result else points).append(result)
    for _ in range(4 if not failed else 0):
        by_p = sorted(points, key=lambda p: p["P"])
        (p1, t1), (p2, t2) = ((p["P"], p["total"]) for p in by_p[-2:])
        alpha = float(np.clip(np.log(t2 / t1) / np.log(p2 / p1), 1.0, 2.0))
        ref = min(points, key=lambda p: abs(np.log(p["total"] / budget)))
        P = int(ref["P"] * (0.95 * budget / ref["total"]) ** (1 / alpha))
        P = P // 1000 * 1000
        result = point(P, N, gamma, cutoff)
        log(result)
        if "failed" in result:
            failed.append(result)
            break
        result["predicted_total"] = float(ref["total"] * (P / ref["P"]) ** alpha)
        points.append(result)
        if 0.85 * budget <= result["total"] <= budget:
            break
    within = [p for p in points if p["total"] <= budget]
    return {
        "N": N,
        "gamma": gamma,
        "cutoff": cutoff,
        "budget": budget,
        "points": sorted(points, key=lambda p: p["P"]),
        "failed": failed,
        "largest": max(within, key=lambda p: p["P"]) if within else None,
    }


def neighbour_search(P, N=1000, gamma=0.1, cutoff=1e-16, rows=256, repeat=3):
    """One block of the prefix neighbour search: float32 GEMM against popcount.

    Both compute the prefix Hamming distances of ``rows`` patterns to all P:
    ``(n0 - q0) / 2`` from a float32 matrix product, or XOR and
    ``np.bitwise_count`` on the bits packed in uint64 words.
    """
    radius = hamming_radius("rbf", gamma, cutoff)
    n0 = int(min(N, np.ceil(3 * radius)))
    S = make_patterns(P, n0, random_state=0).astype(np.float32)
    words = np.packbits(S > 0, axis=1)
    words = np.pad(words, ((0, 0), (0, -words.shape[1] % 8))).view(np.uint64)

    def gemm():
        return (n0 - S[:rows] @ S.T) / 2

    def popcount():
        x = np.bitwise_xor(words[:rows, None, :], words[None, :, :])
        return np.bitwise_count(x).sum(axis=2, dtype=np.int32)

    times = {}
    for name, fn in (("gemm", gemm), ("popcount", popcount)):
        best = np.inf
        for _ in range(repeat):
            start = time.perf_counter()
            d = fn()
            best = min(best, time.perf_counter() - start)
        times[name], times[name + "_check"] = best, d
    assert np.array_equal(times.pop("gemm_check"), times.pop("popcount_check"))
    return {
        "P": P,
        "rows": rows,
        "prefix": n0,
        "gemm": times["gemm"],
        "popcount": times["popcount"],
        "popcount_over_gemm": times["popcount"] / times["gemm"],
    }


def exact_vs_truncated(
    P=1000,
    N=100,
    gammas=(0.02, 0.05, 0.1, 0.2),
    cutoffs=(1e-16, 1e-8, 1e-4, 1e-2),
    noises=(0.2, 0.4),
    n_cues=300,
):
    """Where the truncated kernel's answers part from the exact kernel's.

    For each gamma, the exact memory and, per cutoff, the truncated one (or
    the refusal when its Gram matrix is not diagonally dominant); the
    largest relative difference of the dual coefficients, and for cues at
    each noise level the fraction whose retrieved state (sync and async)
    differs, and the recall of both.
    """
    X = make_patterns(P, N, random_state=0)
    rows = []
    for gamma in gammas:
        exact = KLRHopfieldMemory(gamma=gamma, random_state=0).fit(X)
        for cutoff in cutoffs:
            row = {
                "gamma": gamma,
                "gamma_N": gamma * N,
                "cutoff": cutoff,
                "radius": float(hamming_radius("rbf", gamma, cutoff)),
            }
            try:
                trunc = KLRHopfieldMemory(
                    gamma=gamma, kernel_cutoff=cutoff, random_state=0
                ).fit(X)
            except ValueError as exc:
                row["refused"] = str(exc).split(":")[0]
                rows.append(row)
                continue
            scale = np.abs(exact.dual_coef_).max()
            diff = np.abs(trunc.dual_coef_ - exact.dual_coef_).max() / scale
            row["coef_rel_diff"] = float(diff)
            for noise in noises:
                cues = corrupt(X[: min(n_cues, P)], noise, random_state=1)
                for update in ("sync", "async"):
                    a = exact.retrieve(cues, update=update).states
                    b = trunc.retrieve(cues, update=update).states
                    key = f"{update}@{noise:g}"
                    row[f"differ {key}"] = float((a != b).any(axis=1).mean())
                    row[f"recall exact {key}"] = float(
                        (a == X[: len(cues)]).all(axis=1).mean()
                    )
                    row[f"recall truncated {key}"] = float(
                        (b == X[: len(cues)]).all(axis=1).mean()
                    )
            rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    result = {
        "scale": largest_p(
            ladder=(10000, 20000, 40000) if quick else (40000, 80000, 160000, 320000),
            budget=10.0 if quick else 600.0,
        ),
        "neighbour_search": neighbour_search(20000 if quick else 160000),
        "exact_vs_truncated": exact_vs_truncated(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
