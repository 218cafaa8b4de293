"""CompletionCurveDisplay draws what the completion curve holds."""

import sys

import numpy as np
import pytest

from sklearn_klrhop import HebbianHopfieldMemory
from sklearn_klrhop.model_selection import CompletionCurve, CompletionCurveDisplay

plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# Mean +/- sd leaves [0, 1] at both ends: 2/3 +/- 0.47 and 1/3 +/- 0.47.
_SCORES = [[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 1.0, 1.0], [1.0, 1.0, 0.0]]]
_CURVE = CompletionCurve(
    [0.1, 0.6], _SCORES, np.ones((2, 2, 3)), clamp=(False, True), n_features=50,
    n_patterns=10, criterion="exact",
)  # fmt: skip


def test_from_estimator_plots_both_curves():
    disp = CompletionCurveDisplay.from_estimator(
        HebbianHopfieldMemory(), [0.0, 0.1, 0.3], load=0.2, n_features=100,
        n_trials=2, random_state=0,
    )  # fmt: skip
    curve = disp.curve_
    assert len(disp.lines_) == 2 and len(disp.ax_.lines) == 2
    for line, mean in zip(disp.lines_, curve.mean):
        np.testing.assert_array_equal(line.get_xdata(), [0.0, 0.1, 0.3])
        np.testing.assert_allclose(line.get_ydata(), mean)
    assert not np.allclose(*curve.mean)  # the two lines can be told apart
    assert [t.get_text() for t in disp.ax_.get_legend().get_texts()] == [
        "HebbianHopfieldMemory, N=100, free",
        "HebbianHopfieldMemory, N=100, clamped",
    ]
    assert [line.get_linestyle() for line in disp.lines_] == ["--", "-"]
    assert disp.ax_.get_xlabel().startswith("Hidden fraction")
    assert disp.figure_ is disp.ax_.figure


def test_bands_are_cut_to_the_unit_interval():
    disp = CompletionCurveDisplay.from_result(_CURVE, estimator_name="M")
    assert disp.errorbar_ is None and len(disp.fill_between_) == 2
    free_band = disp.fill_between_[0].get_paths()[0].vertices[:, 1]
    assert free_band.min() == pytest.approx(0.0) and free_band.max() == pytest.approx(1)
    mean, std = np.mean(_SCORES[0], axis=1), np.std(_SCORES[0], axis=1)
    # Band edges are the clipped mean +/- sd: 1/3 - 0.47 -> 0, 2/3 + 0.47 -> 1.
    assert set(np.round(free_band, 6)) == set(
        np.round(np.r_[np.clip(mean - std, 0, 1), np.clip(mean + std, 0, 1)], 6)
    )
    clamped_band = disp.fill_between_[1].get_paths()[0].vertices[:, 1]
    assert 0 <= clamped_band.min() and clamped_band.max() <= 1

    err = CompletionCurveDisplay.from_result(_CURVE, std_display_style="errorbar")
    assert err.fill_between_ is None and len(err.errorbar_) == 2
    for container in err.errorbar_:
        (bars,) = container.lines[2]
        ends = np.concatenate([seg[:, 1] for seg in bars.get_segments()])
        assert ends.min() >= 0 and ends.max() <= 1
    assert [t.get_text() for t in err.ax_.get_legend().get_texts()] == [
        "N=50, free",
        "N=50, clamped",
    ]
    bare = CompletionCurveDisplay.from_result(_CURVE, std_display_style=None)
    assert bare.fill_between_ is None and bare.errorbar_ is None


def test_overlay_line_kw_and_a_single_setting():
    _, ax = plt.subplots()
    one = CompletionCurveDisplay(
        hidden_fractions=[0.1, 0.6], scores=np.asarray(_SCORES)[1:], clamp=(True,)
    ).plot(ax=ax, label="KLR", line_kw={"color": "red", "linestyle": ":"})
    assert one.ax_ is ax and len(one.lines_) == 1
    assert one.lines_[0].get_color() == "red" and one.lines_[0].get_linestyle() == ":"
    np.testing.assert_allclose(one.lines_[0].get_ydata(), [1.0, 2 / 3])
    CompletionCurveDisplay.from_result(_CURVE, ax=ax, label="Hebb")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "KLR, clamped",
        "Hebb, free",
        "Hebb, clamped",
    ]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"scores": [[1.0, 1.0]]}, "shape"),
        ({"scores": np.ones((1, 2, 3))}, r"\(2, 2, n_trials\)"),
        ({"clamp": (True,)}, r"\(1, 2, n_trials\)"),
    ],
)
def test_scores_of_the_wrong_shape_are_refused(kwargs, match):
    kwargs = {"hidden_fractions": [0.1, 0.6], "scores": _SCORES, **kwargs}
    with pytest.raises(ValueError, match=match):
        CompletionCurveDisplay(**kwargs).plot()


def test_bad_style_is_refused():
    with pytest.raises(ValueError, match="std_display_style"):
        CompletionCurveDisplay.from_result(_CURVE, std_display_style="x")


def test_missing_matplotlib_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="requires matplotlib.*pip install"):
        CompletionCurveDisplay.from_result(_CURVE)
