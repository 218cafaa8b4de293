"""The sequences experiment, at a tiny size: its numbers and its report."""

import json

from sklearn_klrhop.experiments import EXPERIMENTS
from sklearn_klrhop.experiments._runner import Run
from sklearn_klrhop.experiments._sequences import plan, sequences

TINY = {
    "loads": {40: [1, 16]},
    "gammas": (0.05,),
    "krr_gammas": (0.05,),
    "noises": (0.2,),
    "hebbian_loads": [0.05, 0.5],
    "n_trials": 1,
    "n_cues": 10,
    "cycle_n": 20,
}


def test_sequences_measures_the_collapse_and_the_cycle(tmp_path):
    run = Run(tmp_path, quick=True, n_jobs=None, seed=0, verbose=0)
    sequences(run, protocol=TINY)
    run.write()
    out = json.loads((tmp_path / "results.json").read_text())["sequences"]
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
    # a stored cycle of P = 80 patterns is detected as period 80 from its patterns
    cycle = out["cycle"]
    assert cycle["n_patterns"] == 80
    assert cycle["0.0"]["period_is_P"] == 1.0 and cycle["0.0"]["mean_entry"] == 0
    report = (tmp_path / "report.md").read_text()
    assert "near P/N ~ 16" in report and "Sequence recall: steps 6 to 15" in report
    assert f"{klr['collapse']:.3g}" in report
    assert (tmp_path / "sequences.png").stat().st_size > 0


def test_sequences_is_registered_and_the_full_plan_covers_the_protocol():
    assert EXPERIMENTS["sequences"] is sequences
    full, quick = plan(False), plan(True)
    assert set(full["loads"]) == {50, 100, 200} and 0.1 in full["gammas"]
    assert set(full["noises"]) == {0.1, 0.2} and 16 in full["loads"][200]
    assert full["krr_gammas"] and full["hebbian_loads"]
    assert max(quick["loads"]) < 200 and quick["n_trials"] < full["n_trials"]
