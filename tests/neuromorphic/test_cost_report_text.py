"""A CostReport built by hand: its summary table, frame and int8 engine.

The counts are entered here (cue 1 and cue 2 of every metric), so every mean
in the expected text can be checked by eye: metric k of the ledger order has
the counts (k, 3k) for event-driven and twice that for sync.
"""

import re

import numpy as np
import pytest

from sklearn_klrhop.neuromorphic import ENERGY_PROFILES, CostReport
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
            "sync": {"horowitz_45nm": 1e-9, "truenorth": 2e-9},
            "event_driven": {"horowitz_45nm": 4e-10, "truenorth": 3e-10},
        },
        recall={"sync": 1.0, "event_driven": 0.5},
        initial_distance=np.array([2, 4]),
        n_features=10,
        n_units=30,
        precision="int8",
        delta_threshold=0.1,
        profiles=["horowitz_45nm", "truenorth"],
    )


EXPECTED = """\
Neuromorphic cost estimate: 2 cues, N = 10 neurons, M = 30 kernel units, precision int8,
delta_threshold 0.1.
Every value below is the mean per retrieval (one cue); the report's counts, energy and
energy_by_profile hold the totals over the cues.

per retrieval (2 cues)            sync  event_driven
events                             4.0           2.0
steps                              8.0           4.0
field_evaluations                 16.0           8.0
neuron_updates                    20.0          10.0
kernel_evaluations                24.0          12.0
kernel_updates                    28.0          14.0
propagated                        32.0          16.0
synaptic_ops                      52.0          26.0
  accumulates                     36.0          18.0
  macs                            40.0          20.0
memory_reads (bits)               56.0          28.0
barriers                          12.0           6.0
recall                           1.000         0.500
energy (J) by profile:
  horowitz_45nm                  5e-10         2e-10
  truenorth                      1e-09       1.5e-10
energy lowest (J)                5e-10       1.5e-10
energy highest (J)               1e-09         2e-10

Energy range over the priced profiles: the lowest by horowitz_45nm (sync), truenorth
(event_driven), the highest by truenorth (sync), horowitz_45nm (event_driven).
Field evaluations: synchronous 16.0 (every field, every step) vs event-driven 8.0 (one
decision per event). Beside it, event-driven also pays 14 kernel updates (30 per flip),
10 neuron updates and 20 MACs to keep the fields current (synchronous: 40).

Profiles (evidence: how the number was obtained by its source; grade: V read in the
primary source, S the primary number read through a verbatim third-party quote, R not
re-checked):"""


def test_summary_is_the_table_of_means():
    # The table, the ends of the range and the field evaluations, exactly.
    text = _report().summary()
    assert text.startswith(EXPECTED + "\n")
    # Then every priced profile with its scope, evidence, grade and source,
    # and the caveat of the per-operation and all-in profiles.
    profiles = text[len(EXPECTED) :].split("\nTerms:\n")[0]
    for name in ("horowitz_45nm", "truenorth"):
        p = ENERGY_PROFILES[name]
        entry = re.search(rf"\n  {name}: (.*?)\n(?!    )", profiles, re.S)[1]
        entry = " ".join(entry.split())
        assert entry == (
            f"{p.description}; {p.scope}, {p.evidence}, grade {p.grade}. "
            f"Source: {p.source}."
        )
    caveat = "so they are lower bounds; an all-in profile (truenorth) holds"
    assert caveat in " ".join(profiles.split()) and "loihi" not in profiles


def test_summary_defines_every_term_it_uses():
    terms = _report().summary().split("\nTerms:\n")[1]
    defined = {line.split(":")[0].strip() for line in terms.splitlines() if
               not line.startswith("    ")}  # fmt: skip
    rows = [*NAMES, "kernel units", "recall"]
    assert sorted(defined) == sorted(rows)
    assert "kernel units: the M hidden units" in terms


def test_the_profiles_behind_the_ends_of_the_range():
    report = _report()
    assert report.energy_range_profiles == {
        "sync": ("horowitz_45nm", "truenorth"),
        "event_driven": ("truenorth", "horowitz_45nm"),
    }


def test_frame_means_and_totals():
    report = _report()
    means, totals = report.to_frame(), report.to_frame(per_retrieval=False)
    assert list(means.columns) == MODELS
    assert list(means.index) == [
        *NAMES,
        "energy_J:horowitz_45nm",
        "energy_J:truenorth",
        "energy_low_J",
        "energy_high_J",
        "recall",
    ]
    assert means.columns.name == "mean per retrieval (2 cues)"
    assert totals.columns.name == "total over 2 cues"
    for i, k in enumerate(NAMES):
        assert means.loc[k, "event_driven"] == 2 * (i + 1)  # (k + 3k) / 2
        assert totals.loc[k, "sync"] == 8 * (i + 1)
    assert means.loc["energy_low_J", "sync"] == pytest.approx(5e-10)
    assert means.loc["energy_J:truenorth", "event_driven"] == pytest.approx(1.5e-10)
    assert totals.loc["energy_J:truenorth", "sync"] == pytest.approx(2e-9)
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
