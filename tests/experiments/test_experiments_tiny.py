"""Every experiment of ``reproduce`` at a tiny size, with checks on its numbers.

``Run(overrides=...)`` replaces settings of the quick protocol, so each
experiment runs its real code (fits, retrievals, tables, figures, the JSON)
in a second or two. An experiment added to ``EXPERIMENTS`` must add its tiny
settings to ``TINY`` and a check of its numbers to ``CHECKS``
(``test_every_experiment_has_a_tiny_run`` fails until it does).

The expectations are the published behaviour of each experiment, scaled down:
recall at a low load and failure far past capacity, events that equal the
flipped bits when recall succeeds, the classical rules failing where the
kernel memory still recalls, a success boundary in gamma that grows with the
load.
"""

import json

import numpy as np
import pytest

from sklearn_klrhop.experiments import EXPERIMENTS
from sklearn_klrhop.experiments._runner import Run

N = 30

TINY = {
    "trajectories": {"sizes": (N,), "n_cues": 10},
    "capacity": {"plan": {N: [1, 15]}, "n_cues": 10, "n_trials": 2},
    "events": {"n": N, "n_patterns": 2 * N, "noises": (0.1, 0.45)},
    "comparison": {"n": N, "loads": [0.1, 3.0], "n_trials": 2},
    "phase_diagram": {"n": 20, "n_gammas": 3, "loads": [0.5, 4], "n_cued": 5},
    "digits": {"loads": [1, 4], "n_cues": 10, "n_trials": 2, "n_stored": 64},
}


def check_trajectories(results):
    for update in ("sync", "async"):
        r = results["trajectories"][f"{N}/{update}"]
        # 20 % of the bits flipped: the cues start at overlap 1 - 2 * 0.2
        assert r["overlap_mean"][0] == pytest.approx(0.6)
        assert r["overlap_sd"][0] == pytest.approx(0.0, abs=1e-12)
        assert r["steps_to_0.95"] is not None and r["steps_to_0.95"] <= 3
        assert r["recall"] >= 0.8
    sync, asyn = (results["trajectories"][f"{N}/{u}"] for u in ("sync", "async"))
    # the two schemes end at the same overlap (the papers: indistinguishable)
    assert abs(sync["overlap_mean"][-1] - asyn["overlap_mean"][-1]) <= 0.05


def check_capacity(results):
    for update in ("sync", "async"):
        r = results["capacity"][f"{N}/{update}"]
        assert r["loads"] == [1, 15]
        assert np.shape(r["scores"]) == (2, 2)  # loads x trials
        low, high = r["mean"]
        assert low >= 0.9  # P = N: recalled
        assert high == 0.0  # P = 15 N at gamma N = 3: far past capacity
    assert results["capacity"][f"{N}/sync"]["mean"][0] == 1.0


def check_events(results):
    low, high = results["events"][0.1], results["events"][0.45]
    # round(0.1 * 30) = 3 and round(0.45 * 30) = 14 bits flipped (halves up)
    assert low["initial_hamming"] == 3.0 and high["initial_hamming"] == 14.0
    # a cue that is recalled without oscillation flips each wrong bit once
    assert low["recall"] == 1.0
    assert low["events"] == low["initial_hamming"]
    assert low["repeated_flips"] == 0.0
    assert high["recall"] <= 0.2
    cost = results["cost"]
    assert cost["event_driven"]["events"] == cost["async"]["events"]
    assert cost["event_driven"]["field_evaluations"] == cost["event_driven"]["events"]
    assert cost["sync"]["field_evaluations"] == N * cost["sync"]["steps"]
    assert cost["async"]["field_evaluations"] == N * cost["async"]["steps"]
    assert cost["sync"]["kernel_updates"] == 0
    # every flip updates each of the P = 2 N kernel units
    assert cost["async"]["kernel_updates"] == pytest.approx(
        2 * N * cost["async"]["events"]
    )
    assert cost["event_driven"]["recall"] == cost["async"]["recall"] >= 0.9
    for model in cost:
        assert 0 < cost[model]["energy_low_J"] <= cost[model]["energy_high_J"]


def check_comparison(results):
    out = results["comparison"]
    assert set(out) == {
        "Hebbian",
        "Linear LR",
        "KLR gamma=1/N",
        "KLR gamma=0.05",
        "KRR gamma=0.05",
        "Modern Hopfield",
    }
    for name, r in out.items():
        assert r["loads"] == [0.1, 3.0]
        assert r["mean"][0] == 1.0, name  # 3 patterns: every rule recalls
        assert r["seconds"] > 0
    # P = 3 N: past the Hebbian limit (0.14 N) and linear separability (2 N)
    assert out["Hebbian"]["mean"][1] == 0.0
    assert out["Linear LR"]["mean"][1] == 0.0
    assert out["KLR gamma=0.05"]["mean"][1] > 0.0
    assert out["Modern Hopfield"]["mean"][1] == 1.0


def check_phase_diagram(results):
    phase = results["phase"]
    success = np.array(phase["success"])
    assert success.shape == (2, 3)  # loads x gammas
    assert phase["loads"] == [0.5, 4.0]
    assert phase["gammas"] == pytest.approx([0.005, 0.05, 0.5])
    assert (success[:, -1] == 1.0).all()  # a local kernel recalls at both loads
    assert success[1, 0] == 0.0  # a broad kernel fails at the high load
    # the success boundary moves to larger gamma with the load
    low, high = phase["boundary"]
    assert low is not None and high is not None and low < high


def check_digits(results):
    digits = results["digits"]
    assert digits["loads"] == [1, 4]
    assert digits["mean"][0] >= 0.9
    completion = digits["completion"]
    assert completion[0.05]["overlap"] >= 0.99
    recalls = [completion[z]["recall"] for z in (0.05, 0.1, 0.2)]
    overlaps = [completion[z]["overlap"] for z in (0.05, 0.1, 0.2)]
    assert recalls == sorted(recalls, reverse=True) and recalls[0] >= 0.9
    assert overlaps == sorted(overlaps, reverse=True)


CHECKS = {
    "trajectories": check_trajectories,
    "capacity": check_capacity,
    "events": check_events,
    "comparison": check_comparison,
    "phase_diagram": check_phase_diagram,
    "digits": check_digits,
}


def test_every_experiment_has_a_tiny_run():
    assert set(TINY) == set(EXPERIMENTS) == set(CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_experiment_at_a_tiny_size(name, tmp_path):
    run = Run(
        tmp_path, quick=True, n_jobs=1, seed=0, verbose=0, overrides={name: TINY[name]}
    )
    run.execute({name: EXPERIMENTS[name]})
    run.write()
    CHECKS[name](run.results)
    saved = json.loads((tmp_path / "results.json").read_text())
    assert set(saved) == set(run.results)
    report = (tmp_path / "report.md").read_text()
    assert "overridden" in report and "Run time" in report


def test_overrides_must_name_settings_the_experiment_has(tmp_path):
    run = Run(
        tmp_path,
        quick=True,
        n_jobs=1,
        seed=0,
        verbose=0,
        overrides={"capacity": {"sizes": [30]}},
    )
    with pytest.raises(ValueError, match=r"Unknown settings \['sizes'\].*'capacity'"):
        EXPERIMENTS["capacity"](run)


def test_protocol_without_overrides_is_the_quick_or_full_one(tmp_path):
    for quick in (True, False):
        run = Run(tmp_path, quick=quick, n_jobs=1, seed=0, verbose=0)
        got = run.protocol("x", quick={"a": 1}, full={"a": 2})
        assert got == {"a": 1 if quick else 2}
