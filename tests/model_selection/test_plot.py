"""CapacityCurveDisplay and NoiseCurveDisplay."""

import sys

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.inspection import TrajectoryDisplay
from sklearn_klrhop.model_selection import (
    CapacityCurve,
    CapacityCurveDisplay,
    NoiseCurve,
    NoiseCurveDisplay,
)

plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


_CURVE = {"n_features": 30, "n_trials": 2, "n_cues": 10, "random_state": 0}


def test_capacity_display_from_estimator_plots_the_curve():
    disp = CapacityCurveDisplay.from_estimator(
        KLRHopfieldMemory(gamma=0.2 / 30), [0.5, 1, 3], **_CURVE
    )
    curve = disp.curve_
    np.testing.assert_array_equal(disp.lines_[0].get_xdata(), [0.5, 1, 3])
    np.testing.assert_allclose(disp.lines_[0].get_ydata(), curve.mean)
    assert curve.mean[-1] < 0.5  # a visible drop, so the test can tell lines apart
    assert disp.ax_.get_xlabel() == "Load P / N"
    assert disp.figure_ is disp.ax_.figure
    assert disp.ax_.get_legend().get_texts()[0].get_text() == (
        "KLRHopfieldMemory, N=30"
    )
    # Overlaying a second estimator on the same axes.
    other = CapacityCurveDisplay.from_estimator(
        KLRHopfieldMemory(gamma=5 / 30),
        [0.5, 1, 3],
        ax=disp.ax_,
        label="wide",
        **_CURVE,
    )
    assert other.ax_ is disp.ax_ and len(disp.ax_.lines) == 2
    assert [t.get_text() for t in disp.ax_.get_legend().get_texts()][1] == "wide"


def test_capacity_display_from_result_band_and_errorbar():
    curve = CapacityCurve(
        [1, 2, 4],
        [[1.0, 1.0], [0.8, 1.0], [0.0, 0.4]],
        [[1, 1], [1, 1], [0.5, 0.6]],
        n_features=40,
        n_patterns=[40, 80, 160],
        criterion="exact",
    )
    disp = CapacityCurveDisplay.from_result(curve, estimator_name="M")
    np.testing.assert_allclose(disp.lines_[0].get_ydata(), [1.0, 0.9, 0.2])
    band_y = disp.fill_between_.get_paths()[0].vertices[:, 1]
    assert band_y.min() == pytest.approx(0.0) and band_y.max() == pytest.approx(1.0)
    assert disp.errorbar_ is None
    assert disp.ax_.get_legend().get_texts()[0].get_text() == "M, N=40"

    err = CapacityCurveDisplay(loads=curve.loads, scores=curve.scores).plot(
        std_display_style="errorbar"
    )
    assert err.fill_between_ is None and err.errorbar_ is not None
    assert err.ax_.get_legend() is None  # no name, no N: no legend
    with pytest.raises(ValueError, match="std_display_style"):
        CapacityCurveDisplay(loads=[1], scores=[[1.0]]).plot(std_display_style="x")


def test_noise_display_from_estimator_and_result():
    disp = NoiseCurveDisplay.from_estimator(
        KLRHopfieldMemory(gamma=5 / 30), [0.0, 0.1, 0.5], load=1, **_CURVE
    )
    np.testing.assert_allclose(disp.lines_[0].get_ydata(), disp.curve_.mean)
    assert disp.lines_[0].get_ydata()[0] == 1.0
    assert disp.lines_[0].get_ydata()[-1] < 0.2
    assert disp.ax_.get_xlabel().startswith("Cue noise")

    curve = NoiseCurve(
        [0.1, 0.3], [[1.0], [0.5]], [[1.0], [0.7]], n_features=9, n_patterns=9,
        criterion="exact",
    )  # fmt: skip
    _, ax = plt.subplots()
    res = NoiseCurveDisplay.from_result(curve, ax=ax, line_kw={"color": "red"})
    assert res.ax_ is ax and res.lines_[0].get_color() == "red"
    np.testing.assert_allclose(res.lines_[0].get_ydata(), [1.0, 0.5])


@pytest.mark.parametrize(
    "make",
    [
        lambda: CapacityCurveDisplay(loads=[1], scores=[[1.0]]).plot(),
        lambda: NoiseCurveDisplay(noise_levels=[0.1], scores=[[1.0]]).plot(),
        lambda: TrajectoryDisplay(overlaps={"sync": np.ones((2, 3))}).plot(),
        lambda: CapacityCurveDisplay.from_estimator(KLRHopfieldMemory(), [1]),
    ],
)
def test_missing_matplotlib_gives_a_clear_error(monkeypatch, make):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="requires matplotlib.*pip install"):
        make()
