"""n_jobs: the same answers for any number of jobs and any joblib backend."""

import joblib
import numpy as np
import pytest
from threadpoolctl import threadpool_info

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.memories._kernels import truncated_gram

X = make_patterns(200, 40, random_state=0)
CUES = corrupt(np.tile(X, (2, 1)), 0.3, random_state=1)


def _answers(memory):
    res = memory.retrieve(CUES, return_trajectory=True)
    return {
        "states": res.states,
        "n_events": res.n_events,
        "n_steps": res.n_steps,
        "trajectory": res.trajectory,
        "events": res.counts["events"],
        "macs": res.counts["macs"],
        "predict": memory.predict(CUES),
        "transform": memory.transform(CUES),
        "score": np.array([memory.score(X)]),
    }


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


@pytest.mark.parametrize("update", ["sync", "async"])
@pytest.mark.parametrize(
    "memory",
    [KLRHopfieldMemory(random_state=0), HebbianHopfieldMemory(random_state=0)],
    ids=["klr", "hebbian"],
)
def test_any_n_jobs_and_backend_gives_the_same_answers(memory, update):
    memory = memory.set_params(update=update).fit(X)
    reference = _answers(memory)
    # no backend configured: the default (threads)
    _assert_same(_answers(memory.set_params(n_jobs=2)), reference)
    for n_jobs, backend in [(2, "loky"), (3, "threading"), (-1, "loky")]:
        with joblib.parallel_config(backend=backend):
            _assert_same(_answers(memory.set_params(n_jobs=n_jobs)), reference)


def test_a_configured_backend_takes_precedence_over_threads(monkeypatch):
    # retrieve prefers threads, but a backend set by the user is the one used
    from sklearn_klrhop.retrieval import _retrieve

    used = []
    real = _retrieve.Parallel

    class Spy(real):
        def __call__(self, iterable):
            used.append(type(self._backend).__name__)
            return super().__call__(iterable)

    monkeypatch.setattr(_retrieve, "Parallel", Spy)
    memory = KLRHopfieldMemory(n_jobs=2, random_state=0).fit(X)
    memory.predict(CUES)
    with joblib.parallel_config(backend="loky"):
        memory.predict(CUES)
    assert used == ["ThreadingBackend", "LokyBackend"]


def test_threads_leave_the_blas_pool_as_they_found_it():
    memory = KLRHopfieldMemory(n_jobs=2, random_state=0).fit(X)
    before = [p["num_threads"] for p in threadpool_info()]
    with joblib.parallel_config(backend="threading"):
        memory.predict(CUES)
    assert [p["num_threads"] for p in threadpool_info()] == before


def test_dask_cluster_gives_the_same_answers():
    distributed = pytest.importorskip("distributed")
    memory = KLRHopfieldMemory(update="async", random_state=0).fit(X)
    reference = _answers(memory)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        _assert_same(_answers(memory.set_params(n_jobs=2)), reference)
        # the truncated kernel's neighbour search runs its blocks on the cluster
        on_dask = _truncated(n_jobs=2)
    np.testing.assert_array_equal(on_dask.dual_coef_, _truncated().dual_coef_)


def _truncated(**params):
    patterns = np.vstack([X, corrupt(X[:50], 0.05, random_state=2)])
    return KLRHopfieldMemory(gamma=0.5, kernel_cutoff=1e-12, **params).fit(patterns)


def test_truncated_neighbour_search_is_the_same_for_any_n_jobs():
    patterns = np.vstack([X, corrupt(X[:50], 0.05, random_state=2)])
    ref = truncated_gram(patterns, gamma=0.1, cutoff=1e-6, block_rows=16)
    for n_jobs in (2, -1):
        K = truncated_gram(
            patterns, gamma=0.1, cutoff=1e-6, block_rows=16, n_jobs=n_jobs
        )
        assert (K != ref).nnz == 0 and K.nnz > len(patterns)
    np.testing.assert_array_equal(
        _truncated(n_jobs=2).dual_coef_, _truncated().dual_coef_
    )
