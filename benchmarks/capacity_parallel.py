"""Paper-scale capacity curve and its joblib speed-up.

Reproduces the event-driven paper's capacity claim (arXiv:2605.05978: N = 100,
gamma = 0.1, recall 1.0 up to P / N = 30 from 20 % noisy cues) with
``capacity_curve``, then times the same sweep with ``n_jobs=1`` and
``n_jobs=2`` and checks that both give exactly the same numbers.

numpy's BLAS may already use every core in a sequential run, while joblib's
loky workers are limited to ``cores // n_jobs`` BLAS threads each, so the
speed-up is reported twice: with the default BLAS threads and with BLAS pinned
to one thread in both runs (threadpoolctl). The loky workers are started by a
warm-up call before timing.

Run: ``python benchmarks/capacity_parallel.py [--n-trials 5] [--n-cues 100]``.
"""

import argparse
import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.model_selection import capacity_curve

LOADS = [1, 5, 10, 15, 20, 25, 30]


def _timed(n_jobs, args):
    start = time.perf_counter()
    curve = capacity_curve(
        KLRHopfieldMemory(gamma=0.1),
        LOADS,
        n_features=100,
        noise=0.2,
        n_trials=args.n_trials,
        n_cues=args.n_cues,
        random_state=0,
        n_jobs=n_jobs,
    )
    return curve, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-trials", type=int, default=5)
    parser.add_argument("--n-cues", type=int, default=100)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, N = 100, gamma = 0.1, noise = 0.2, "
          f"trials = {args.n_trials}, cues per trial = {args.n_cues}")  # fmt: skip
    capacity_curve(KLRHopfieldMemory(), [1], n_features=20, n_trials=2, n_jobs=2)

    curve, t1 = _timed(1, args)
    print("\nload P/N   P     mean recall  sd     mean overlap")
    for load, p, m, s, o in zip(
        curve.loads, curve.n_patterns, curve.mean, curve.std, curve.overlaps.mean(1)
    ):
        print(f"{load:7.0f} {p:6d}   {m:9.3f}  {s:6.3f}  {o:9.4f}")
    print(f"capacity (mean recall >= 0.95): P/N = {curve.capacity(0.95):g}")
    print(f"recall >= 0.95 at P/N = 30: {bool(curve.mean[-1] >= 0.95)}")

    rows = [("default BLAS threads", None), ("BLAS pinned to 1 thread", 1)]
    print("\nsetting                   n_jobs=1   n_jobs=2   speed-up  identical")
    for name, limit in rows:
        with threadpool_limits(limits=limit):
            c1, t1 = _timed(1, args) if limit is not None else (curve, t1)
            c2, t2 = _timed(2, args)
        same = np.array_equal(c1.scores, c2.scores) and np.array_equal(
            c1.overlaps, c2.overlaps
        )
        print(f"{name:24s} {t1:8.2f}s {t2:9.2f}s {t1 / t2:9.2f}x  {same}")


if __name__ == "__main__":
    main()
