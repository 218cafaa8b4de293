"""The one retrieval path: batches, seeds, and the choice of dynamics."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import os
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from sklearn import get_config
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils._param_validation import Interval, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

from ._dynamics import check_dynamics, row_seeds, run_async, run_sync
from ._result import concatenate

UPDATES = ("sync", "async")


@validate_params(
    {
        "engine": "no_validation",
        "S": "no_validation",
        "update": [StrOptions(set(UPDATES))],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "event_driven": ["boolean"],
        "delta_threshold": [Interval(Real, 0, None, closed="left"), None],
        "return_trajectory": ["boolean"],
        "return_energy": ["boolean"],
        "n_jobs": [Integral, None],
        "hidden": ["array-like", None],
        "clamp": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def retrieve(
    engine,
    S,
    *,
    update="sync",
    max_steps=30,
    random_state=None,
    event_driven=False,
    delta_threshold=None,
    return_trajectory=False,
    return_energy=False,
    n_jobs=None,
    hidden=None,
    clamp=False,
):
    """Run the dynamics of ``engine`` from the -1 / +1 cues ``S``.

    Every retrieval of the package goes through here: ``predict``,
    ``retrieve``, ``transform`` and ``score`` of every memory, the scorers,
    the curves and the cost model. The cues are processed in batches of rows
    that keep the work arrays within scikit-learn's ``working_memory``; each
    row's result depends on that row alone (the asynchronous order is seeded
    from ``random_state`` and the row's content), so the answer does not
    change with the batch a cue comes in.

    Parameters
    ----------
    engine : Engine
        The encoder, kernel and decoder of a fitted memory.
    S : ndarray of shape (n_cues, n_features)
        Cues as -1.0 / +1.0.
    update : {"sync", "async"}, default="sync"
        ``"sync"``: every neuron at once, ``s <- sign(h(s))``. ``"async"``:
        sweeps of N single-neuron updates in a random order per cue and sweep.
    max_steps : int, default=30
        Maximum synchronous steps or asynchronous sweeps.
    random_state : int, RandomState instance or None, default=None
        Seeds the asynchronous update orders.
    event_driven : bool, default=False
        Asynchronous only: price the work as an event-driven execution (every
        field kept current by the kernel-unit changes a flip sends) instead
        of lazy fields evaluated at each visit. The states are the same.
    delta_threshold : float >= 0 or None, default=None
        Event-driven only: a kernel unit sends its change only when it
        exceeds this fraction of the cue's largest kernel value (sigma-delta
        propagation), which may change the states.
    return_trajectory : bool, default=False
        Also return the state after every step.
    return_energy : bool, default=False
        Also compute the pseudo-energy of the final states.
    n_jobs : int, default=None
        Number of jobs retrieving disjoint blocks of cues in parallel, through
        :class:`sklearn.utils.parallel.Parallel` (threads unless a backend is
        set, so also on a dask cluster under
        ``joblib.parallel_config(backend="dask")``). ``None`` means 1
        unless in a :func:`joblib.parallel_config` context; ``-1`` means all
        processors. Each job's BLAS is limited to its share of the cores. The
        results do not depend on ``n_jobs``.
    hidden : ndarray of bool of shape (n_cues, n_features), default=None
        The unknown bits of partial cues (their values in ``S`` are ignored).
        Each starts from the sign of its field computed from the known bits
        alone (the hidden bits count as 0 in the overlaps); the dynamics then
        run from the completed cue, which is step 0 of the trajectory.
    clamp : bool, default=False
        Keep the known bits (``~hidden``) fixed: they are never updated,
        synchronously or asynchronously, so they never flip and count no
        event. Needs ``hidden``.

    Returns
    -------
    result : RetrievalResult
        States as -1.0 / +1.0, steps, events, convergence, the period and
        entry of the cycle reached, the event ledger and, if asked, the
        trajectory and energy.

    Notes
    -----
    An engine whose fields are narrower or wider than its states (the map
    of a memory fitted with targets of another width) has no dynamics: it
    is applied once, with ``update="sync"`` and ``max_steps=1``, and a
    ValueError says so for anything else.
    """
    if event_driven and update != "async":
        raise ValueError(
            "event_driven=True prices asynchronous updates; use update='async'."
        )
    if delta_threshold is not None and not event_driven:
        raise ValueError(
            "delta_threshold is the sigma-delta threshold of event-driven "
            "retrieval; pass event_driven=True with it."
        )
    check_dynamics(engine, update, max_steps, return_trajectory, return_energy)
    hidden = _check_hidden(engine, S, hidden, clamp)
    seeds = None
    if update == "async":
        base_seed = check_random_state(random_state).randint(2**31 - 1)
        seeds = row_seeds(S, base_seed)
    options = {
        "update": update,
        "max_steps": max_steps,
        "event_driven": event_driven,
        "delta_threshold": delta_threshold,
        "return_trajectory": return_trajectory,
        "return_energy": return_energy,
        "clamp": clamp,
    }
    n_workers = min(effective_n_jobs(n_jobs), len(S))
    if n_workers <= 1:
        return _run_blocks(engine, S, seeds, options, hidden)
    # One block of cues per job; every row's result depends on that row alone.
    blocks = np.array_split(np.arange(len(S)), n_workers)
    threads = max(1, (os.cpu_count() or 1) // n_workers)
    # Threads by default: the dynamics spend their time in NumPy and BLAS,
    # which release the GIL, and threads share the engine where processes
    # would copy it to every worker (a loky run of 2000 cues at N = 200,
    # P = 6000 took twice as long as one job). A backend set with
    # joblib.parallel_config (loky, dask) still takes precedence.
    # Threads of this process share one BLAS pool: limit it here. Process
    # backends limit their workers' BLAS themselves.
    # The inputs of a job travel inside a tuple: joblib's dask backend
    # scatters large array arguments to one worker, and a job whose input
    # lived on a worker that died could not be rerun elsewhere.
    with threadpool_limits(limits=threads, user_api="blas"):
        results = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_run_job)(
                (
                    engine,
                    S[b],
                    None if seeds is None else seeds[b],
                    options,
                    None if hidden is None else hidden[b],
                )
            )
            for b in blocks
        )
    return concatenate(results)


def _run_job(job):
    """One job of :func:`retrieve`: ``job`` is ``(engine, S, seeds, options, hidden)``."""
    return _run_blocks(*job)


def _check_hidden(engine, S, hidden, clamp):
    """``hidden`` as a bool array of the shape of ``S``, or None; refuses what
    cannot be completed."""
    if hidden is None:
        if clamp:
            raise ValueError(
                "clamp=True keeps the known bits of partial cues fixed, but no bit "
                "is hidden: pass hidden (the mask of unknown bits) with it."
            )
        return None
    hidden = np.asarray(hidden)
    if hidden.dtype != bool or hidden.shape != np.shape(S):
        raise ValueError(
            f"hidden must be a bool array of the shape of the cues {np.shape(S)}; "
            f"got dtype {hidden.dtype} and shape {hidden.shape}."
        )
    if engine.n_outputs != engine.n_features:
        raise ValueError(
            "Partial cues are completed by the dynamics of the states; this map "
            f"sends {engine.n_features} neurons to {engine.n_outputs} target bits "
            "and has none."
        )
    return hidden


def _run_blocks(engine, S, seeds, options, hidden=None):
    """Run the dynamics on ``S`` in batches within ``working_memory``."""
    update, max_steps = options["update"], options["max_steps"]
    return_trajectory = options["return_trajectory"]
    results = []
    size = _batch_size(engine, max_steps, return_trajectory)
    for batch in gen_batches(len(S), size):
        part = {
            "hidden": None if hidden is None else hidden[batch],
            "clamp": options["clamp"],
        }
        if update == "sync":
            res = run_sync(engine, S[batch], max_steps, return_trajectory, **part)
        else:
            res = run_async(
                engine,
                S[batch],
                max_steps,
                seeds[batch],
                return_trajectory,
                event_driven=options["event_driven"],
                delta_threshold=options["delta_threshold"],
                **part,
            )
        if options["return_energy"]:
            res.energy = engine.energy(res.states)
        results.append(res)
    if not results:  # no cue: an empty result of the right shapes
        S = np.empty((0, engine.n_features))
        return run_sync(engine, S, max_steps, return_trajectory)
    return concatenate(results)


def _batch_size(engine, max_steps, return_trajectory):
    # Bytes held per cue: overlaps, kernel values, fields and states, plus the
    # trajectory; batches stay within scikit-learn's working_memory setting.
    n_features = max(engine.n_features, engine.n_outputs)
    row_bytes = 8 * (3 * engine.n_units + 4 * n_features)
    # the visited states of cycle detection, packed to bits
    row_bytes += 8 * (engine.n_features // 64 + 1) * (max_steps + 1)
    if return_trajectory:
        row_bytes += 8 * n_features * (max_steps + 1)
    return max(1, int(get_config()["working_memory"] * 2**20 // row_bytes))
