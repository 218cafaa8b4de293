"""Retrieval at scale: n_jobs, a dask cluster, async against sync, the largest dense fit.

    python benchmarks/scale.py [--quick] [--only SECTION ...]

Sections (each prints what it measured; ratios are timed side by side in this
run, best of ``--repeat``):

1. ``n_jobs``: retrieval of 2000 cues at N = 200, P = 6000 with ``n_jobs=2``
   (one BLAS thread per job) against ``n_jobs=1`` with one BLAS thread, and
   against the default (one job, the BLAS of every core).
2. ``dask``: a LocalCluster of two worker processes gives the states of a
   local run, and a capacity sweep and a large retrieval survive a worker
   killed mid-run (the scheduler reruns its tasks) with identical results.
3. ``units``: full retrieval (to convergence), synchronous and asynchronous,
   at N = 200, P = 6000, gamma = 0.1 (500 cues) and at N = 100, P = 3000 with
   the default gamma (200 cues), in multiples of one encoder pass: the float32
   product ``S Xi^T`` of the cues with the patterns (M x P x N multiply-adds,
   exact for +/-1 entries, the unavoidable work without an index).
4. ``dense``: the largest P whose dense float32 fit and retrieval of 100 cues
   run within ten minutes at gamma N = 10 (N = 100), each P in its own
   process with its peak memory, and the largest P the memory guard admits
   (a dense fit is bounded by memory before time on this machine).

Writes benchmarks/results/scale.json.
"""

import argparse
import json
import os
import platform
import signal
import threading
import time
from pathlib import Path

import joblib
import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
from truncated_scale import largest_p, scale_point

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.model_selection import capacity_curve

OUT = Path(__file__).parent / "results"


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def n_jobs_speedup(n_cues=2000, P=6000, N=200, repeat=3):
    X = make_patterns(P, N, random_state=0)
    cues = corrupt(X[np.arange(n_cues) % P], 0.2, random_state=1)
    rows = {}
    for update in ("sync", "async"):
        mem = KLRHopfieldMemory(gamma=0.1, update=update, random_state=0).fit(X)
        mem.set_params(n_jobs=2).predict(cues[:10])  # start the workers
        with threadpool_limits(limits=1, user_api="blas"):
            one, ref = best(lambda m=mem: m.set_params(n_jobs=1).predict(cues), repeat)
        default, out_d = best(
            lambda m=mem: m.set_params(n_jobs=None).predict(cues), repeat
        )
        two, out_2 = best(lambda m=mem: m.set_params(n_jobs=2).predict(cues), repeat)
        assert np.array_equal(ref, out_2) and np.array_equal(ref, out_d)
        rows[update] = {
            "n_jobs=1, 1 BLAS thread (s)": one,
            "default: n_jobs=None, all BLAS threads (s)": default,
            "n_jobs=2, 1 BLAS thread each (s)": two,
            "speed-up over n_jobs=1": one / two,
            "speed-up over the default": default / two,
        }
    return rows


def _killing(client, after):
    """Kill one worker process ``after`` seconds from now (in a thread)."""
    pids = list(client.run(os.getpid).values())

    def kill():
        time.sleep(after)
        os.kill(pids[0], signal.SIGKILL)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def dask_cluster(quick):
    from distributed import Client, LocalCluster

    X = make_patterns(3000, 100, random_state=0)
    mem = KLRHopfieldMemory(update="async", random_state=0).fit(X)
    cues = corrupt(X[np.arange(20000) % 3000], 0.2, random_state=1)
    local_states = mem.predict(cues)
    sweep = {"n_features": 50, "n_trials": 4 if quick else 10, "random_state": 0}
    loads = [2, 5, 10, 20] if quick else [2, 5, 10, 15, 20, 25, 30]
    estimator = KLRHopfieldMemory(gamma=0.1)
    local_curve = capacity_curve(estimator, loads, **sweep).scores
    out = {}
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
        joblib.parallel_config(backend="dask"),
    ):
        start = time.perf_counter()
        states = mem.set_params(n_jobs=2).predict(cues)
        out["retrieval, no failure: identical"] = bool(
            np.array_equal(states, local_states)
        )
        out["retrieval time (s)"] = time.perf_counter() - start
        killer = _killing(client, after=1.0)
        states = mem.predict(cues)
        killer.join()
        out["retrieval, a worker killed after 1 s: identical"] = bool(
            np.array_equal(states, local_states)
        )
        client.wait_for_workers(2, timeout=60)
        killer = _killing(client, after=1.0)
        start = time.perf_counter()
        curve = capacity_curve(estimator, loads, n_jobs=2, **sweep).scores
        killer.join()
        out["capacity sweep, a worker killed after 1 s: identical"] = bool(
            np.array_equal(curve, local_curve)
        )
        out["capacity sweep time (s)"] = time.perf_counter() - start
        out["workers at the end"] = len(client.scheduler_info()["workers"])
    return out


def retrieval_units(repeat=5):
    from sklearn_klrhop.retrieval import retrieve

    rows = {}
    for P, N, gamma, M in [(6000, 200, 0.1, 500), (3000, 100, None, 200)]:
        X = make_patterns(P, N, random_state=0)
        mem = KLRHopfieldMemory(gamma=gamma, random_state=0).fit(X)
        cues = corrupt(X[:M], 0.2, random_state=1)
        S32, E32 = cues.astype(np.float32), X.astype(np.float32)
        fns = {
            "encoder pass, float32": lambda S32=S32, E32=E32: S32 @ E32.T,
            "encoder pass, float64": lambda c=cues, X=X: c @ X.T,
            "sync": lambda m=mem, c=cues: retrieve(m.engine_, c, update="sync"),
            "async": lambda m=mem, c=cues: retrieve(
                m.engine_, c, update="async", random_state=0
            ),
        }
        times = dict.fromkeys(fns, np.inf)
        for _ in range(repeat):  # interleaved, so that load hits every method
            for name, fn in fns.items():
                start = time.perf_counter()
                result = fn()
                times[name] = min(times[name], time.perf_counter() - start)
                if name in ("sync", "async"):
                    states = result.states
                    assert (states == X[:M]).all(axis=1).mean() == 1.0
        unit = times["encoder pass, float32"]
        key = f"N = {N}, P = {P}, gamma = {mem.gamma_:g}, {M} cues"
        rows[key] = {
            "encoder pass float32 (ms)": 1e3 * unit,
            "encoder pass float64 / float32": times["encoder pass, float64"] / unit,
            "sync (encoder passes)": times["sync"] / unit,
            "async (encoder passes)": times["async"] / unit,
            "async / sync": times["async"] / times["sync"],
        }
    return rows


SECTIONS = {
    "n_jobs": lambda quick: n_jobs_speedup(n_cues=500 if quick else 2000),
    "dask": dask_cluster,
    "units": lambda quick: retrieval_units(repeat=3 if quick else 7),
    "dense": lambda quick: dense_scale(quick),
}


def _page_cost(n_bytes=2**30):
    """Seconds to write a fresh array (paging it in) and to write it again."""
    a = np.empty(n_bytes // 4, dtype=np.float32)
    times = []
    for value in (0, 1):
        start = time.perf_counter()
        a.fill(value)
        times.append(time.perf_counter() - start)
    return times


def dense_scale(quick, N=100):
    """The largest dense float32 fit within the budget, and the memory bound.

    When the P that the time budget predicts is refused by the memory guard,
    the answer is bounded by memory, not time: the largest P the guard admits
    with the memory available now is reported beside it (arithmetic, not a
    run), and a fit at 85 % of that P is measured.
    """
    from sklearn_klrhop.memories._kernels import check_dense_gram_fits

    out = largest_p(
        N=N,
        gamma=0.1,
        cutoff=None,
        ladder=(5000, 10000) if quick else (10000, 20000, 40000),
        budget=20.0 if quick else 600.0,
    )
    lo, hi = 1, 10**7
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            check_dense_gram_fits(mid, N, np.float32, solver="auto")
            lo = mid
        except MemoryError:
            hi = mid
    out["largest P the memory guard admits now (not a run)"] = lo
    out["first and second write of 1 GiB (s)"] = _page_cost()
    if out["failed"] and "MemoryError" in out["failed"][-1]["failed"]:
        # measured near the memory bound, with room for the rest of the machine
        near = int(0.85 * lo) // 1000 * 1000
        out["near the memory bound"] = scale_point(near, N, 0.1, None)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(SECTIONS),
        help="run these sections only; the others keep their results from the "
        "last run in scale.json",
    )
    args = parser.parse_args()
    result = {
        "machine": {
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "blas": [
                {k: p.get(k) for k in ("internal_api", "num_threads", "version")}
                for p in threadpool_info()
            ],
        }
    }
    saved = OUT / "scale.json"
    if args.only and saved.exists():  # keep the other sections' last results
        result = {**json.loads(saved.read_text()), **result}
    for name in args.only or SECTIONS:
        start = time.perf_counter()
        result[name] = SECTIONS[name](args.quick)
        result[name + " seconds"] = time.perf_counter() - start
        print(json.dumps({name: result[name]}, indent=1, default=str), flush=True)
    OUT.mkdir(exist_ok=True)
    saved.write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
