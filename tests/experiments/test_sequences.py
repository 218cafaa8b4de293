"""The protocols of the sequences experiment.

Its numbers and report at a tiny size are checked with every other
experiment's in ``test_experiments_tiny.py``.
"""

from sklearn_klrhop.experiments import EXPERIMENTS
from sklearn_klrhop.experiments._sequences import FULL, QUICK, sequences


def test_sequences_is_registered_and_the_full_plan_covers_the_protocol():
    assert EXPERIMENTS["sequences"] is sequences
    full, quick = FULL, QUICK
    assert set(full) == set(quick)
    assert set(full["loads"]) == {50, 100, 200} and 0.1 in full["gammas"]
    assert set(full["noises"]) == {0.1, 0.2} and 16 in full["loads"][200]
    assert full["krr_gammas"] and full["hebbian_loads"]
    assert max(quick["loads"]) < 200 and quick["n_trials"] < full["n_trials"]
