"""Bad input to ``python -m sklearn_klrhop`` and to reproduce: one error each."""

import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_klrhop.__main__ import main
from sklearn_klrhop.experiments import EXPERIMENTS, reproduce


def test_unknown_experiment_is_an_argparse_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["reproduce", "--only", "events", "foo", "--out", str(tmp_path)])
    assert exc.value.code == 2  # argparse's usage error, not a traceback
    err = capsys.readouterr().err
    assert "usage: python -m sklearn_klrhop reproduce" in err
    assert "argument --only: invalid choice: 'foo'" in err
    assert ", ".join(EXPERIMENTS) in err
    assert not any(tmp_path.iterdir())  # nothing ran


@pytest.mark.parametrize(
    "argv",
    [
        ["reproduce", "--n-jobs", "two"],
        ["reproduce", "--seed", "0.5"],
        ["demo", "--noise", "much"],
        ["nope"],
    ],
)
def test_bad_option_values_are_argparse_errors(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2 and "usage:" in capsys.readouterr().err


def test_reproduce_refuses_unknown_experiments_as_an_invalid_parameter(tmp_path):
    # The type of every other invalid parameter of reproduce (validate_params).
    with pytest.raises(InvalidParameterError, match="Unknown experiments \\['nope'\\]"):
        reproduce(tmp_path, only=["nope"], verbose=0)
    with pytest.raises(InvalidParameterError, match="'only' parameter"):
        reproduce(tmp_path, only="events", verbose=0)


def test_unknown_energy_profile_is_an_invalid_parameter():
    from sklearn_klrhop import KLRHopfieldMemory
    from sklearn_klrhop.datasets import make_patterns
    from sklearn_klrhop.neuromorphic import NeuromorphicCostModel

    X = make_patterns(10, 8, random_state=0)
    memory = KLRHopfieldMemory(random_state=0).fit(X)
    for profiles in (["loihi2"], "horowitz_45nm", []):
        with pytest.raises(InvalidParameterError, match="profiles"):
            NeuromorphicCostModel(profiles=profiles).estimate(memory, X)
