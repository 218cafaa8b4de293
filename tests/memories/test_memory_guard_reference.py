"""The memory guard of the dense fit: the bytes it needs and what it reads."""

import re

import numpy as np
import pytest

from sklearn_klrhop.memories._kernels import available_memory, check_dense_gram_fits


@pytest.mark.parametrize(
    "dtype, solver, word",
    [
        (np.float64, "lbfgs", 8),
        (np.float64, "newton-cg", 12),  # plus the float32 copy of K
        (np.float64, "auto", 12),
        (np.float32, "newton-cg", 4),  # already float32: no copy
        (np.float32, "lbfgs", 4),
        (np.float64, "gd", 8),
    ],
)
def test_needed_bytes_are_the_gram_matrix_and_30_work_arrays(dtype, solver, word):
    P, N = 1000, 100
    expected = P * P * word + 30 * P * N * 8
    assert check_dense_gram_fits(P, N, dtype, 10**12, solver=solver) == expected
    assert check_dense_gram_fits(P, N, dtype, expected, solver=solver) == expected
    with pytest.raises(MemoryError) as info:
        check_dense_gram_fits(P, N, dtype, expected - 1, solver=solver)
    gib = 2.0**30
    # float32 is offered only to a float64 fit
    half = "dtype=np.float32 (half the memory), " if dtype == np.float64 else ""
    assert str(info.value) == (
        f"Fitting {P} patterns needs a dense {P} x {P} Gram matrix: "
        f"{expected / gib:.1f} GiB in {np.dtype(dtype).name}, but only "
        f"{(expected - 1) / gib:.1f} GiB of memory is available. Alternatives: "
        f"{half}kernel_cutoff=1e-16 (a sparse "
        "truncated kernel without any P x P array; rbf and laplacian kernels "
        "with a local kernel, large gamma * N), or fewer patterns."
    )


def test_the_default_solver_is_lbfgs():
    assert (
        check_dense_gram_fits(10, 5, available=10**9) == 10 * 10 * 8 + 30 * 10 * 5 * 8
    )


def test_available_memory_is_memavailable_in_bytes():
    with open("/proc/meminfo") as f:
        kib = int(re.search(r"^MemAvailable:\s+(\d+) kB", f.read(), re.M).group(1))
    # the figure moves between two reads; the unit (kB = 1024 bytes) must not
    assert available_memory() == pytest.approx(kib * 1024, rel=0.05)


def test_a_guard_without_proc_falls_back_to_sysconf(monkeypatch):
    import builtins
    import os

    real_open = builtins.open

    def no_proc(path, *args, **kwargs):
        if str(path) == "/proc/meminfo":
            raise OSError("no /proc here")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", no_proc)
    expected = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert available_memory() == pytest.approx(expected, rel=0.05)
