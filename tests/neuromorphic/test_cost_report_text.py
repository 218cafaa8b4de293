"""A CostReport built by hand: its summary table, frame and int8 engine.

The counts are entered here (cue 1 and cue 2 of every metric), so every mean
in the expected text can be checked by eye: metric k of the ledger order has
the counts (k, 3k) for event-driven and twice that for sync.
"""

import numpy as np
import pytest

from sklearn_klrhop.neuromorphic import CostReport
from sklearn_klrhop.neuromorphic._cost import _priced_engine, _quantize_int8
from sklearn_klrhop.retrieval import METRICS, Engine

MODELS = ["sync", "event_driven"]
NAMES = [*METRICS, "synaptic_ops", "memory_reads"]


def _report():
    per_cue = {
        m: {k: np.array([i + 1, 3 * (i + 1)]) * (2 if m == "sync" else 1)
            for i, k in enumerate(NAMES)}
        for m in MODELS
    }  # fmt: skip
    return CostReport(
        counts={m: {k: int(v.sum()) for k, v in per_cue[m].items()} for m in MODELS},
        per_cue=per_cue,
        energy={"sync": (1e-9, 2e-9), "event_driven": (3e-10, 4e-10)},
        energy_by_profile={
            "sync": {"horowitz_45nm": 1.5e-9},
            "event_driven": {"horowitz_45nm": 3.5e-10},
        },
        recall={"sync": 1.0, "event_driven": 0.5},
        initial_distance=np.array([2, 4]),
        n_features=10,
        n_units=30,
        precision="int8",
        delta_threshold=0.1,
        profiles=["horowitz_45nm"],
    )


EXPECTED = """\
Neuromorphic cost estimate: 2 cues, N = 10 neurons, 30 kernel units, precision int8, delta_threshold 0.1
mean per retrieval            sync  event_driven
events                         4.0           2.0
steps                          8.0           4.0
field_evaluations             16.0           8.0
neuron_updates                20.0          10.0
kernel_evaluations            24.0          12.0
kernel_updates                28.0          14.0
propagated                    32.0          16.0
synaptic_ops                  52.0          26.0
  accumulates                 36.0          18.0
  macs                        40.0          20.0
memory_reads (bits)           56.0          28.0
barriers                      12.0           6.0
recall                       1.000         0.500
energy low (J)               5e-10       1.5e-10
energy high (J)              1e-09         2e-10
  horowitz_45nm            7.5e-10      1.75e-10

Field evaluations: synchronous 16.0 (every field, every step) vs event-driven 8.0 \
(one decision per event). Beside it, event-driven also pays 14 kernel updates (30 \
per flip), 10 neuron updates and 20 MACs to keep the fields current (synchronous: \
40).
Energy is a range over the profiles horowitz_45nm. Per-operation profiles leave out \
static power and routing between chips, so they are lower bounds; an all-in profile \
(truenorth) holds at its own operating point only."""


def test_summary_is_the_table_of_means():
    assert _report().summary() == EXPECTED


def test_frame_means_and_totals():
    report = _report()
    means, totals = report.to_frame(), report.to_frame(per_retrieval=False)
    assert list(means.columns) == MODELS
    assert list(means.index) == [*NAMES, "energy_low_J", "energy_high_J", "recall"]
    for i, k in enumerate(NAMES):
        assert means.loc[k, "event_driven"] == 2 * (i + 1)  # (k + 3k) / 2
        assert totals.loc[k, "sync"] == 8 * (i + 1)
    assert means.loc["energy_low_J", "sync"] == pytest.approx(5e-10)
    assert totals.loc["energy_high_J", "event_driven"] == pytest.approx(4e-10)
    assert means.loc["recall", "event_driven"] == 0.5
    assert report.mean("sync", "events") == 4.0
    assert repr(report) == (
        "CostReport(n_cues=2, models=['sync', 'event_driven'], precision='int8')"
    )


def test_report_without_cues_has_zero_means():
    report = _report()
    report.initial_distance = np.array([], dtype=int)
    assert report.n_cues == 0 and report.mean("sync", "events") == 0.0


def test_int8_keeps_zero_columns_and_the_engine_structure():
    W = np.array([[0.0, 1.0, -0.5], [0.0, -2.0, 0.25]])
    Q = _quantize_int8(W, axis=0)
    np.testing.assert_array_equal(Q[:, 0], 0.0)  # an all-zero column stays zero
    # scale max|W| / 127 per column: 1 / (2 / 127) = 63.5 rounds (to even) to 64
    np.testing.assert_allclose(Q[:, 1], np.array([64, -127]) * 2 / 127)
    np.testing.assert_allclose(
        Q[:, 2], np.round(np.array([-0.5, 0.25]) / 0.5 * 127) * 0.5 / 127
    )
    diagonal = np.array([0.1, 0.2, 0.3])
    engine = Engine(np.ones((2, 3)), lambda q: (q, np.zeros(len(q))), W, diagonal, 0.5)
    priced = _priced_engine(engine, "int8")
    assert priced.diagonal is diagonal and priced.locality == 0.5
    assert priced.activation is engine.activation and priced.encoder is engine.encoder
    plain = Engine(
        np.array([[0.0, 1.0], [1.0, 0.0]]), engine.activation, None, diagonal[:2]
    )
    priced = _priced_engine(plain, "int8")
    assert priced.decoder is None and priced.diagonal is plain.diagonal
    assert priced.activation is plain.activation
