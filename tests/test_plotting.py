"""The helpers every Display and figure shares: bands inside the metric's range, styles."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sklearn_klrhop._plotting import dodge, plot_band, series_style  # noqa: E402
from sklearn_klrhop.model_selection import CapacityCurveDisplay  # noqa: E402


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _band_limits(band):
    y = np.concatenate([p.vertices[:, 1] for p in band.get_paths()])
    return y.min(), y.max()


def _bar_limits(container):
    (bars,) = container.lines[2]
    y = np.concatenate([seg[:, 1] for seg in bars.get_segments()])
    return y.min(), y.max()


def test_band_is_cut_at_the_bounds(ax):
    mean, std = np.array([0.95, 0.5, 0.05]), np.array([0.2, 0.1, 0.2])
    _, band = plot_band(ax, [0, 1, 2], mean, std, label="x", style="fill_between",
                        bounds=(0.0, 1.0))  # fmt: skip
    low, high = _band_limits(band)
    assert low == pytest.approx(0.0) and high == pytest.approx(1.0)
    _, bars = plot_band(ax, [0, 1, 2], mean, std, label="y", style="errorbar",
                        bounds=(0.0, 1.0))  # fmt: skip
    low, high = _bar_limits(bars)
    assert low == pytest.approx(0.0) and high == pytest.approx(1.0)
    # inside the bounds the bar is the full +/- sd
    segments = bars.lines[2][0].get_segments()
    assert segments[1][:, 1] == pytest.approx([0.4, 0.6])


def test_without_bounds_the_band_is_mean_plus_minus_sd(ax):
    _, band = plot_band(ax, [0, 1], [0.9, 0.9], [0.2, 0.2], label="x",
                        style="fill_between")  # fmt: skip
    assert _band_limits(band) == pytest.approx((0.7, 1.1))


def test_recall_displays_keep_their_bands_inside_0_and_1(ax):
    # trials 1, 1, 0: mean 2/3, sd 0.47, so mean + sd = 1.14 without the cut;
    # trials 0, 0, 1: mean - sd = -0.14
    scores = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 1.0]])
    disp = CapacityCurveDisplay(loads=[1, 2, 3], scores=scores).plot(ax=ax)
    low, high = _band_limits(disp.fill_between_)
    assert low == pytest.approx(0.0) and high == pytest.approx(1.0)
    disp = CapacityCurveDisplay(loads=[1, 2, 3], scores=scores).plot(
        ax=ax, std_display_style="errorbar"
    )
    low, high = _bar_limits(disp.errorbar_)
    assert low == pytest.approx(0.0) and high == pytest.approx(1.0)


def test_series_styles_are_distinct():
    looks = [tuple(str(v) for v in series_style(i).values()) for i in range(8)]
    assert len(set(looks)) == 8
    # and no two share a marker or a line style among the first six
    assert len({series_style(i)["marker"] for i in range(6)}) == 6
    assert len({str(series_style(i)["linestyle"]) for i in range(6)}) == 6


def test_line_kw_may_set_the_marker(ax):
    line, _ = plot_band(ax, [0, 1], [1, 1], [0, 0], label="x", style=None,
                        line_kw={"marker": "s"})  # fmt: skip
    assert line.get_marker() == "s"


@pytest.mark.parametrize("log", [False, True])
def test_dodge_is_centred_small_and_ordered(log):
    x = np.array([0.1, 0.2, 0.5, 1.0])
    shifted = np.array([dodge(x, i, 3, width=0.1, log=log) for i in range(3)])
    assert shifted[1] == pytest.approx(x)  # the middle series stays in place
    assert (shifted[0] < x).all() and (x < shifted[2]).all()
    if log:  # at most a factor 10 ** 0.05 either way
        assert (shifted[2] / x <= 10**0.05 + 1e-12).all()
    else:  # at most a tenth of the smallest gap in all
        assert (shifted[2] - shifted[0] <= 0.1 * 0.1 + 1e-12).all()
