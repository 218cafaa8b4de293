"""The cost model's parameter checks, the fields of its report, int8 pricing."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

import sklearn_klrhop.neuromorphic._cost as cost_module
from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.neuromorphic import NeuromorphicCostModel

N = 16


@pytest.fixture(scope="module")
def small():
    X = make_patterns(10, N, random_state=0)
    memory = KLRHopfieldMemory(gamma=0.1, lam=0.01, random_state=0).fit(X)
    return memory, corrupt(X[:4], 0.1, random_state=1)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"profiles": "tianjic"}, "profiles"),
        ({"precision": "float16"}, "precision"),
        ({"delta_threshold": -1.0}, "delta_threshold"),
    ],
)
def test_parameters_are_checked_by_scikit_learns_constraints(small, params, name):
    memory, cues = small
    with pytest.raises(
        InvalidParameterError,
        match=f"^The '{name}' parameter of NeuromorphicCostModel must be",
    ):
        NeuromorphicCostModel(**params).estimate(memory, cues)


def test_unknown_profiles_and_memories_are_explained(small):
    memory, cues = small
    with pytest.raises(InvalidParameterError) as info:
        NeuromorphicCostModel(profiles=["loihi2"]).estimate(memory, cues)
    assert str(info.value).endswith(
        "No per-operation figure for Loihi 2 is published, so there is no Loihi 2 "
        "profile."
    )
    with pytest.raises(TypeError) as info:
        NeuromorphicCostModel().estimate(object(), cues)
    assert str(info.value) == (
        "memory must be a fitted memory of sklearn_klrhop (a BaseHopfieldMemory); "
        "got object."
    )


def test_the_report_records_the_problem_and_the_model(small):
    memory, cues = small
    report = NeuromorphicCostModel(precision="int8", delta_threshold=0.25).estimate(
        memory, cues
    )
    assert report.n_features == N
    assert report.n_units == memory.engine_.n_units == 10  # one unit per pattern
    assert report.precision == "int8"
    assert report.delta_threshold == 0.25


def test_float32_pricing_uses_the_fitted_weights_unquantised(small, monkeypatch):
    memory, cues = small

    def refuse(*args, **kwargs):
        raise AssertionError("float32 pricing quantised the weights")

    monkeypatch.setattr(cost_module, "_quantize_int8", refuse)
    report = NeuromorphicCostModel().estimate(memory, cues)
    assert report.precision == "float32"
    with pytest.raises(AssertionError, match="quantised"):
        NeuromorphicCostModel(precision="int8").estimate(memory, cues)


def test_int8_levels_are_the_textbook_symmetric_ones():
    # one scale per column, max |w| / 127; the codes are integers in [-127, 127]
    W = np.array([[0.5, 0.0, -3.0], [-1.0, 0.0, 2.0], [0.26, 0.0, 1e-3]])
    Q = cost_module._quantize_int8(W, axis=0)
    scale = np.array([1.0, 1.0, 3.0]) / 127
    codes = Q / np.where(scale > 0, scale, 1.0)
    np.testing.assert_allclose(codes, np.round(codes), atol=1e-9)
    np.testing.assert_allclose(codes[:, 0], [64, -127, 33], atol=1e-9)
    np.testing.assert_array_equal(Q[:, 1], 0.0)
