"""Side-by-side benchmarks of sklearn_klrhop's fit and retrieval, reported as ratios.

    python benchmarks/run.py [--quick] [--only SECTION ...]

Writes benchmarks/results/results.json and results.md. Every ratio compares
timings taken in this same run (best of ``--repeat``).
"""

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from scipy import optimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_info
from truncated_scale import exact_vs_truncated, largest_p, neighbour_search

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._encoding import read_cues
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.memories._kernels import dense_gram
from sklearn_klrhop.retrieval import Engine
from sklearn_klrhop.retrieval._dynamics import row_seeds, run_async, run_sync
from sklearn_klrhop.solvers import LogisticLoss, solve_klr
from sklearn_klrhop.solvers._gd import solve_gd

OUT = Path(__file__).parent / "results"


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def rel_err(H, H0):
    return float(np.abs(H - H0).max() / np.abs(H0).max())


def tighten(make, ladder, acc, err_of, repeat):
    """Loosest tolerance of ``ladder`` reaching ``acc``, then its best-of-repeat time.

    The same procedure for every method: equal accuracy, not equal tol.
    """
    for tol in ladder:
        out = make(tol)()
        if err_of(out) <= acc:
            break
    t, out = best(make(tol), repeat)
    return {"time": t, "err": err_of(out), "tol": tol}


def ill_conditioned(P, N, gamma, lam, repeat, acc=1e-4, dual_budget=300.0):
    X = make_patterns(P, N, random_state=0).astype(float)
    T = (X + 1) / 2
    K = dense_gram(X, gamma=gamma)
    # Reference optimum: newton-cg to a stationarity residual of 1e-12
    # (max |sigma(K A) - T + lam A|, an objective certificate of the optimum).
    A0 = solve_klr(K.copy(), T, lam, solver="newton-cg", tol=1e-12, max_iter=200)[0]
    H0 = K @ A0
    ref_residual = float(np.abs(expit(H0) - T + lam * A0).max())

    def field_err(A):
        return rel_err(K @ A, H0)

    rows = {}
    for solver in ("newton-cg", "lbfgs"):

        def ours(tol, solver=solver):
            def run():
                return solve_klr(
                    dense_gram(X, gamma=gamma),
                    T,
                    lam,
                    solver=solver,
                    tol=tol,
                    overwrite_k=True,
                )[0]

            return run

        rows[f"klrhop {solver} (Gram included)"] = tighten(
            ours, (1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10), acc, field_err, repeat
        )

    L = np.linalg.cholesky(K)

    def lr(tol):
        def one(i):
            m = LogisticRegression(
                C=1 / lam, fit_intercept=False, tol=tol, max_iter=10**5
            )
            return L @ m.fit(L, T[:, i]).coef_.ravel()

        def run():
            return np.column_stack(
                Parallel(n_jobs=2)(delayed(one)(i) for i in range(N))
            )

        return run

    Parallel(n_jobs=2)(delayed(abs)(i) for i in range(4))  # start the workers
    rows["sklearn LogisticRegression per neuron, n_jobs=2 (given L)"] = tighten(
        lr,
        (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12),
        acc,
        lambda H: rel_err(H, H0),
        repeat,
    )
    loss = LogisticLoss(T, lam)
    t, (A, _) = best(lambda: solve_gd(loss, K, 300, 0.0, 0.1), repeat)
    rows["papers' GD, eta=0.1, 300 epochs (given K)"] = {
        "time": t,
        "err": field_err(A),
        "tol": None,
    }

    # Plain L-BFGS on the dual coefficients: capped at dual_budget seconds, so
    # its time is a lower bound whenever it stops on the cap.
    state = {"start": None, "capped": False}

    def callback(intermediate_result):
        if time.perf_counter() - state["start"] > dual_budget:
            state["capped"] = True
            raise StopIteration

    def dual_lbfgs():
        def f(a):
            A = a.reshape(P, N)
            point = loss.at(A, K @ A)
            return point.f.sum() / P, (K @ point.R).ravel() / P

        state["start"] = time.perf_counter()
        r = optimize.minimize(
            f,
            np.zeros(P * N),
            jac=True,
            method="L-BFGS-B",
            callback=callback,
            options={"maxiter": 20000, "gtol": 1e-10, "ftol": 1e-15},
        )
        return r.x.reshape(P, N), r.nit

    t, (A, nit) = best(dual_lbfgs, 1)
    rows["plain L-BFGS on dual coefficients (given K)"] = {
        "time": t,
        "err": field_err(A),
        "tol": 1e-10,
        "n_iter": int(nit),
        "capped_at_seconds": dual_budget if state["capped"] else None,
    }
    rows["_reference"] = {"stationarity_residual": ref_residual}
    return rows


def gemm_unit(P, N, repeat):
    rng = np.random.default_rng(0)
    K, B = rng.random((P, P)), rng.random((P, N))
    return best(lambda: K @ B, repeat)[0]


def papers_regime(P, N, repeat):
    X = make_patterns(P, N, random_state=0)
    unit = gemm_unit(P, N, repeat)
    t, mem = best(lambda: KLRHopfieldMemory(gamma=0.1).fit(X), repeat)
    cues = corrupt(X[:500], 0.2, random_state=1)
    eng = mem.engine_
    # the same engine without its locality: every event refreshes the cue's
    # fields with one row product (the keeper used before LocalFields)
    exact = Engine(eng.encoder, eng.activation, eng.decoder)
    S = read_cues(mem, cues)
    seeds = row_seeds(S, 0)
    ts, rs = best(lambda: run_sync(eng, S, 1), repeat)
    ta, ra = best(lambda: run_async(eng, S, 1, seeds), repeat)
    te, re = best(lambda: run_async(exact, S, 1, seeds), 1)
    assert np.array_equal(ra.states, re.states)
    return {
        "unit": unit,
        "fit": t,
        "fit_units": t / unit,
        "n_iter": mem.n_iter_,
        "sync": ts,
        "async_": ta,
        "async_exact_keeper": te,
        "sync_units": ts / unit,
        "async_units": ta / unit,
        "async_exact_keeper_units": te / unit,
        "async_over_sync": ta / ts,
        "exact_keeper_over_sync": te / ts,
        "events_per_cue": float(ra.n_events.mean()),
        "recall_sync": float((rs.states == X[:500]).all(1).mean()),
    }


RSS = """
import resource, sys, numpy as np
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop._encoding import read_cues
from sklearn_klrhop.datasets import make_patterns
P, N, dt = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
X = make_patterns(P, N, random_state=0)
def rss(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM)
r0 = rss("VmRSS:")
m = KLRHopfieldMemory(gamma=0.1, dtype=getattr(np, dt)).fit(X)
r1 = rss("VmHWM:")
rec = (m.predict(X[:200]) == X[:200]).all(1).mean()
print(r0 * 1024, r1 * 1024, rec)
"""


def peak_rss(P, N):
    out = {}
    for dt in ("float64", "float32"):
        r = subprocess.run(
            [sys.executable, "-c", RSS, str(P), str(N), dt],
            capture_output=True,
            text=True,
            check=True,
        )
        r0, r1, rec = r.stdout.split()
        gram = P * P * 8
        out[dt] = {
            "peak_increase": int(r1) - int(r0),
            "peak": int(r1),
            "ratio_to_float64_gram": (int(r1) - int(r0)) / gram,
            "recall": float(rec),
        }
    return out


SECTIONS = ("ill_conditioned", "papers_regime", "memory", "scale", "truncated")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        help="run these sections only; the others keep their results from the "
        "last run in results.json",
    )
    a = ap.parse_args()
    q = a.quick
    saved = OUT / "results.json"
    res = json.loads(saved.read_text()) if a.only and saved.exists() else {}
    res["command"] = " ".join([Path(sys.executable).name] + sys.argv)
    res["machine"] = {
        "cpu": _cpu(),
        "cores": _cores(),
        "python": platform.python_version(),
        "blas": [
            (i["internal_api"], i.get("version"), i["num_threads"])
            for i in threadpool_info()
        ],
    }
    sections = a.only or SECTIONS
    if "ill_conditioned" in sections:
        res["ill_conditioned"] = ill_conditioned(
            300 if q else 1000,
            30 if q else 100,
            0.01,
            0.01,
            1 if q else a.repeat,
            dual_budget=60.0 if q else 300.0,
        )
        print(res["ill_conditioned"], flush=True)
    if "papers_regime" in sections:
        res["papers_regime"] = papers_regime(
            1500 if q else 6000, 200, 1 if q else a.repeat
        )
        print(res["papers_regime"], flush=True)
    if "memory" in sections:
        res["memory"] = peak_rss(1500 if q else 6000, 200)
        print(res["memory"], flush=True)
    if "scale" in sections:
        res["scale"] = largest_p(
            ladder=(10000, 20000, 40000) if q else (40000, 80000, 160000, 320000),
            budget=10.0 if q else 600.0,
            log=lambda point: print(point, flush=True),
        )
    if "truncated" in sections:
        res["neighbour_search"] = neighbour_search(20000 if q else 160000)
        print(res["neighbour_search"], flush=True)
        res["exact_vs_truncated"] = exact_vs_truncated()
    OUT.mkdir(exist_ok=True)
    saved.write_text(json.dumps(res, indent=2))
    (OUT / "results.md").write_text(markdown(res))
    print(markdown(res))


def markdown(r):
    """The results as markdown tables, one per section present in ``r``."""
    lines = []
    for name, table in (
        ("ill_conditioned", _md_ill_conditioned),
        ("papers_regime", _md_papers_regime),
        ("memory", _md_memory),
        ("scale", _md_scale),
        ("exact_vs_truncated", _md_truncated),
    ):
        if name in r:
            lines += table(r) + [""]
    return "\n".join(lines)


def _md_ill_conditioned(r):
    ic = {k: v for k, v in r["ill_conditioned"].items() if not k.startswith("_")}
    ours = ic["klrhop newton-cg (Gram included)"]["time"]
    lines = [
        "| (a) ill-conditioned fit | time (s) | field error | tol | "
        "time / klrhop newton-cg |",
        "|---|---|---|---|---|",
    ]
    for k, v in ic.items():
        bound = ">= " if v.get("capped_at_seconds") else ""
        lines.append(
            f"| {k} | {bound}{v['time']:.3f} | {v['err']:.1e} | {v['tol']} | "
            f"{bound}{v['time'] / ours:.1f} |"
        )
    return lines


def _md_papers_regime(r):
    p = r["papers_regime"]
    return [
        "| (b, c) papers' regime, N = 200, P = 6000 | value |",
        "|---|---|",
        f"| one P x P by P x N product (s) | {p['unit']:.3f} |",
        f"| fit, Gram included (products) | {p['fit_units']:.1f} |",
        f"| one sync step, 500 cues (products) | {p['sync_units']:.3f} |",
        f"| one async sweep, 500 cues (products) | {p['async_units']:.3f} |",
        f"| async sweep / sync step | {p['async_over_sync']:.2f} |",
        "| same sweep, exact keeper (one row product per event) / sync step | "
        f"{p['exact_keeper_over_sync']:.1f} |",
        f"| events per cue in the sweep | {p['events_per_cue']:.1f} |",
    ]


def _md_memory(r):
    lines = [
        "| (d) memory | peak RSS increase / float64 Gram | recall |",
        "|---|---|---|",
    ]
    for k, v in r["memory"].items():
        lines.append(f"| {k} | {v['ratio_to_float64_gram']:.2f} | {v['recall']} |")
    return lines


def _md_scale(r):
    sc = r["scale"]
    lines = [
        f"| (e) N = {sc['N']}, gamma = {sc['gamma']}, cutoff = {sc['cutoff']:g}: P "
        "| Gram (s) | fit (s) | retrieve 100 (s) | total (s) | recall | peak RSS (GB) "
        "| prefix | candidates | neighbours |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in sc["points"]:
        lines.append(
            f"| {v['P']} | {v['gram']:.1f} | {v['fit']:.1f} | {v['retrieve_100']:.2f} "
            f"| {v['total']:.1f} | {v['recall']} | {v['peak_rss'] / 2**30:.1f} "
            f"| {v['prefix']} | {v['candidates']} | {v['neighbours']} |"
        )
    big = sc["largest"]
    lines.append(
        f"\nLargest P measured within {sc['budget']:.0f} s: **{big['P']}** "
        f"({big['total']:.0f} s, peak RSS {big['peak_rss'] / 2**30:.1f} GB)."
    )
    return lines


def _md_truncated(r):
    ns = r["neighbour_search"]
    lines = []
    lines.append(
        f"\nNeighbour search, one block of {ns['rows']} rows against P = {ns['P']} "
        f"on the {ns['prefix']}-bit prefix: float32 GEMM {ns['gemm']:.3f} s, "
        f"bit-packed popcount {ns['popcount']:.3f} s "
        f"({ns['popcount_over_gemm']:.1f}x slower)."
    )
    lines += [
        "",
        "| (g) gamma N | cutoff | radius | coef diff | differ sync 20 % / 40 % "
        "| differ async 20 % / 40 % | recall exact / truncated, sync 40 % |",
        "|---|---|---|---|---|---|---|",
    ]
    for v in r["exact_vs_truncated"]:
        head = f"| {v['gamma_N']:g} | {v['cutoff']:g} | {v['radius']:.0f} "
        if "refused" in v:
            lines.append(head + "| refused: not diagonally dominant | | | |")
            continue
        lines.append(
            head + f"| {v['coef_rel_diff']:.1e} "
            f"| {v['differ sync@0.2']:.3f} / {v['differ sync@0.4']:.3f} "
            f"| {v['differ async@0.2']:.3f} / {v['differ async@0.4']:.3f} "
            f"| {v['recall exact sync@0.4']:.3f} / "
            f"{v['recall truncated sync@0.4']:.3f} |"
        )
    return lines


def _cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _cores():
    import os

    return os.cpu_count()


if __name__ == "__main__":
    main()
