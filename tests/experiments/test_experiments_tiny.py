"""Every experiment of ``reproduce`` at a tiny size, with checks on its numbers.

``Run(overrides=...)`` replaces settings of the quick protocol, so each
experiment runs its real code (fits, retrievals, tables, figures, the JSON)
in a second or two. An experiment added to ``EXPERIMENTS`` must add its tiny
settings to ``TINY`` and a check of its numbers to ``CHECKS``
(``test_every_experiment_has_a_tiny_run`` fails until it does); a check gets
the results and the text of ``report.md``.

The expectations are the published behaviour of each experiment, scaled down:
recall at a low load and failure far past capacity, events that equal the
flipped bits when recall succeeds, the classical rules failing where the
kernel memory still recalls, a success boundary in gamma that grows with the
load, a stored cycle detected with its length as period, a sharp boundary
between two basins with slower convergence at it, a field SNR that falls with
the load, a rank-one Hessian where gamma is tiny, gradient descent that
oscillates at the edge of stability before it settles, failures that go to
other stored patterns below the capacity and to spurious states at it.
"""

import json
import re

import numpy as np
import pytest

from sklearn_klrhop.experiments import EXPERIMENTS
from sklearn_klrhop.experiments._runner import Run
from sklearn_klrhop.inspection import OUTCOMES

N = 30

TINY = {
    "trajectories": {"sizes": (N,), "n_cues": 10},
    "capacity": {"plan": {N: [1, 15]}, "n_cues": 10, "n_trials": 2},
    "events": {"n": N, "n_patterns": 2 * N, "noises": (0.1, 0.45)},
    "comparison": {"n": N, "loads": [0.1, 3.0], "n_trials": 2},
    "phase_diagram": {"n": 20, "n_gammas": 3, "loads": [0.5, 4], "n_cued": 5},
    "digits": {"loads": [1, 4], "n_cues": 10, "n_trials": 2, "n_stored": 64},
    "sequences": {
        "loads": {40: [1, 16]},
        "gammas": (0.05,),
        "krr_gammas": (0.05,),
        "noises": (0.2,),
        "hebbian_loads": [0.05, 0.5],
        "n_trials": 1,
        "n_cues": 10,
        "cycle_n": 20,
    },
    "morphing": {"n_pairs": 1, "n_repeats": 4, "n_points": 11},
    "snr": {"plan": {0.1: [1, 5, 20], 0.02: [0.5, 2]}, "hebbian_loads": [0.2]},
    "ridge": {"loads": [0.5, 4.0], "gammas": [1e-4, 0.1]},
    "edge_of_stability": {"n_epochs": 100, "appendix_loads": (1.0, 2.0)},
    "outcomes": {"plan": [(100, 4), (50, 20)], "n_cues": 20},
}


def check_trajectories(results, report):
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


def check_capacity(results, report):
    for update in ("sync", "async"):
        r = results["capacity"][f"{N}/{update}"]
        assert r["loads"] == [1, 15]
        assert np.shape(r["scores"]) == (2, 2)  # loads x trials
        low, high = r["mean"]
        assert low >= 0.9  # P = N: recalled
        assert high == 0.0  # P = 15 N at gamma N = 3: far past capacity
    assert results["capacity"][f"{N}/sync"]["mean"][0] == 1.0


def check_events(results, report):
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
        # each end of the energy range names the profile that sets it
        assert f"({cost[model]['energy_low_profile']}) to" in report
    # int8 with a sigma-delta threshold: the same events, far fewer MACs, and
    # its recall measured and reported
    cut = cost["event_driven_int8_sigma_delta"]
    assert cut["precision"] == "int8" and cut["delta_threshold"] > 0
    assert cut["macs"] < 0.5 * cost["event_driven"]["macs"]  # 0.29 at N = 30
    assert 0 <= cut["recall"] <= 1
    assert "int8 + sigma-delta" in report
    assert f"at recall {cut['recall']:.3f}" in report


def check_comparison(results, report):
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


def check_phase_diagram(results, report):
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


def check_digits(results, report):
    digits = results["digits"]
    assert digits["loads"] == [1, 4]
    assert digits["mean"][0] >= 0.9
    completion = digits["completion"]
    assert completion[0.05]["overlap"] >= 0.99
    recalls = [completion[z]["recall"] for z in (0.05, 0.1, 0.2)]
    overlaps = [completion[z]["overlap"] for z in (0.05, 0.1, 0.2)]
    assert recalls == sorted(recalls, reverse=True) and recalls[0] >= 0.9
    assert overlaps == sorted(overlaps, reverse=True)


def check_sequences(results, report):
    out = results["sequences"]
    klr = out["curves"]["KLR/40/0.05/0.2"]
    krr = out["curves"]["KRR/40/0.05/0.2"]
    hebb = out["curves"]["Hebbian/40/None/0.2"]
    # gamma N = 2: replayed exactly at P / N = 1, collapsed by P / N = 16
    assert klr["sequence"][0] == 1.0 and klr["sequence"][1] < 0.5
    assert 1 < klr["collapse"] < 16 and klr["capacity"] == 1.0
    # one step does not clean 20 % noise up; the replay does
    assert klr["transition"][0] < klr["sequence"][0]
    assert krr["sequence"][0] == 1.0
    # the Hebbian sequence rule: P / N = 0.05 stored, 0.5 far beyond it
    assert hebb["sequence"] == [1.0, 0.0] and 0.05 < hebb["collapse"] < 0.5
    # a stored cycle of P = 80 patterns is detected as period 80 from its
    # patterns, entered at once from a stored pattern and later from noisy cues
    cycle = out["cycle"]
    assert cycle["n_patterns"] == 80
    assert cycle[0.0]["period_is_P"] == 1.0 and cycle[0.0]["mean_entry"] == 0
    for noise in (0.1, 0.2):
        assert cycle[noise]["periods"] == [80]
    assert 0 < cycle[0.1]["mean_entry"] <= cycle[0.2]["mean_entry"]
    assert "near P/N ~ 16" in report and "Sequence recall: steps 6 to 15" in report
    assert f"{klr['collapse']:.3g}" in report


def check_morphing(results, report):
    out = results["morphing"]
    assert [s["n_patterns"] for s in out.values()] == [25, 100, 100]
    for name, s in out.items():
        # the path leaves a's basin before (or where) it enters b's
        assert 0 < s["a_edge"][0] <= s["boundary"][0] < 1, name
    # gamma = 0.1: one sharp boundary in the middle, no spurious states
    robust = out["robust, P/N = 2"]
    assert abs(robust["boundary"][0] - 0.5) < 0.1 and robust["width"][0] < 0.2
    assert robust["spurious"] == 0.0
    # the Ridge at P/N = 0.5: a sharp boundary with critical slowing down at it
    ridge = out["Ridge, P/N = 0.5"]
    assert ridge["width"][0] <= 0.2 and ridge["spurious"] <= 0.2
    assert ridge["peak_steps"][0] >= ridge["steps_near_ends"][0] + 0.5
    assert abs(ridge["peak_at"][0] - ridge["boundary"][0]) <= 0.15
    # the Ridge at P/N = 2: most states fall into spurious fixed points
    assert out["Ridge, P/N = 2"]["spurious"] > 0.5
    assert "arXiv:2605.00366" in report and "as published" in report


def check_snr(results, report):
    out = results["snr"]
    for key, loads in (("gamma=0.1", [1, 5, 20]), ("gamma=0.02", [0.5, 2])):
        curve = out[key]
        assert [p["load"] for p in curve] == loads
        snrs = [p["snr"] for p in curve]
        assert snrs == sorted(snrs, reverse=True) and snrs[-1] < snrs[0], key
        # recalled at the lowest load, past the limit at the highest
        assert curve[0]["recall"] == 1.0 and curve[-1]["recall"] < 0.95, key
        for p in curve:  # PR <= P: Cover allows at most twice the stored load
            assert 0 < p["cover_load"] <= 2 * p["load"] * (1 + 1e-9)
            assert 0 <= p["measured"] <= 1
    # the local kernel reaches the bound, so it fails while still separable
    for p in out["gamma=0.1"]:
        assert p["cover_load"] == pytest.approx(2 * p["load"], rel=1e-3)
    # the broad kernel stays below it, at the stored load where it fails
    broad = out["gamma=0.02"][-1]
    assert broad["cover_load"] < broad["load"]
    # the Hebbian check of the SNR measurement against the textbook
    (hebb,) = out["hebbian"]
    assert hebb["load"] == 0.2
    assert abs(hebb["snr"] - hebb["finite_n_snr"]) < 0.15 * hebb["finite_n_snr"]
    assert abs(hebb["measured"] - hebb["textbook_error"]) < 0.1 * hebb["textbook_error"]
    assert "arXiv:2605.00366" in report
    assert "separability is not what fails, as published" in report


def check_ridge(results, report):
    r = results["ridge"]
    # the Ridge and the reference boundary gammas are added to every grid
    assert r["gammas"] == pytest.approx([1e-4, 0.02, 0.04, 0.07, 0.1])
    assert r["loads"] == [0.5, 4.0] and r["ridge_gamma"] == 0.02
    success = np.array(r["success"])
    concentration = np.array(r["concentration"])
    lam_max = np.array(r["lambda_max"])
    # the spectral corner: rank one where gamma is tiny, and recall lost
    assert (concentration[:, 0] > 0.99).all() and (success[:, 0] == 0).all()
    # the Hessian spreads out as the kernel gets local
    assert (np.diff(concentration, axis=1) < 0).all()
    assert (success[:, -1] == 1.0).all()
    # the success boundary moves to larger gamma with the load, past the Ridge
    low, high = r["boundary"]
    assert low is not None and high is not None and low < high
    assert high > r["ridge_gamma"]
    # lambda_max along the Ridge grows with the load
    assert lam_max[1, 1] > lam_max[0, 1]
    assert (np.array(r["lambda_max_largest"]) >= lam_max * (1 - 1e-9)).all()
    assert "arXiv:2609.16827" in report


def check_edge_of_stability(results, report):
    out = results["edge_of_stability"]
    for eta in (0.05, 0.1, 0.2):
        (trial,) = out[eta]["trials"]
        # the published initial lambda_max > 50, above 2 / eta for every eta
        assert trial["initial"] > 50 and eta * trial["initial"] > 2
        # it oscillates at the edge of stability, then stays stable
        assert trial["epochs_unstable"] > 0
        assert trial["stable_from"] is not None and 30 <= trial["stable_from"] < 100
        assert eta * trial["final"] < 2
    # Appendix A: the initial lambda_max grows with P and the oscillation
    # lasts longer at the higher load (none at P/N = 1, under 2 / eta = 20)
    low, high = out["appendix"]
    assert (low["load"], high["load"]) == (1.0, 2.0)
    assert high["initial"] > 2 * low["initial"] and low["initial"] < 20
    assert low["stable_from"] == 0 < high["stable_from"]
    assert "arXiv:2609.16827" in report and "Appendix A at eta = 0.1" in report


def check_outcomes(results, report):
    out = results["outcomes"]
    assert len(out) == 8  # two settings x four noise levels
    for key, entry in out.items():
        fractions = [entry[k] for k in OUTCOMES]
        assert sum(fractions) == pytest.approx(1.0), key
        assert entry["cycle"] == 0.0, key
    # below the limit: recalled in one update from 10 % noise, and the
    # failures at 40 % go to other stored patterns
    near = out["N=100/load=4/noise=0.1"]
    assert near["target"] == 1.0 and near["steps_to_target"] == 2.0
    far = out["N=100/load=4/noise=0.4"]
    assert far["other"] > 0.9 and far["spurious"] < 0.05
    # at the capacity limit the failures are spurious fixed points instead
    limit = out["N=50/load=20/noise=0.4"]
    assert limit["target"] < 0.5 and limit["spurious"] > 0.5 * (1 - limit["target"])
    assert "arXiv:2505.01218" in report and "No cue ended on a limit cycle" in report


CHECKS = {
    "trajectories": check_trajectories,
    "capacity": check_capacity,
    "events": check_events,
    "comparison": check_comparison,
    "phase_diagram": check_phase_diagram,
    "digits": check_digits,
    "sequences": check_sequences,
    "morphing": check_morphing,
    "snr": check_snr,
    "ridge": check_ridge,
    "edge_of_stability": check_edge_of_stability,
    "outcomes": check_outcomes,
}


def test_every_experiment_has_a_tiny_run():
    assert set(TINY) == set(EXPERIMENTS) == set(CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_experiment_at_a_tiny_size(name, tmp_path):
    run = Run(
        tmp_path, quick=True, n_jobs=1, seed=0, verbose=0, overrides={name: TINY[name]}
    )
    timings = run.execute({name: EXPERIMENTS[name]})
    run.write()
    report = (tmp_path / "report.md").read_text()
    CHECKS[name](run.results, report)
    assert list(timings) == [name] and timings[name] > 0
    saved = json.loads((tmp_path / "results.json").read_text())
    assert set(saved) == set(run.results)
    assert "overridden" in report and "Run time" in report
    # every figure the report shows was written
    for figure in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report):
        assert (tmp_path / figure).stat().st_size > 0, figure


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
