"""The Displays of the attractor geometry draw what their results hold."""

import numpy as np
import pytest

from sklearn_klrhop import HebbianHopfieldMemory, KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.inspection import (
    FieldSNRDisplay,
    LossSpectrumDisplay,
    MorphingDisplay,
    RetrievalOutcomesDisplay,
    field_snr,
    loss_spectrum,
    morphing_curve,
)

plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def memory():
    X = make_patterns(100, 50, random_state=0)
    return KLRHopfieldMemory(gamma=0.05).fit(X), X


def test_morphing_display(memory):
    mem, X = memory
    curve = morphing_curve(mem, X[0], X[1], n_points=11, n_repeats=5, random_state=0)
    disp = MorphingDisplay.from_result(curve)
    np.testing.assert_array_equal(disp.lines_["b"].get_ydata(), curve.rates["b"])
    np.testing.assert_array_equal(disp.lines_["a"].get_xdata(), curve.fractions)
    np.testing.assert_array_equal(disp.steps_line_.get_ydata(), curve.mean_steps)
    np.testing.assert_allclose(disp.energy_line_.get_ydata(), curve.energy.mean(axis=1))
    shown = {k for k, v in curve.rates.items() if v.any()} | {"a", "b"}
    assert set(disp.lines_) == shown
    assert disp.ax_[2].get_xlabel() == "Fraction of the differing bits taken from b"
    again = MorphingDisplay.from_estimator(mem, X[0], X[1], n_points=11, n_repeats=5,
                                           random_state=0)  # fmt: skip
    np.testing.assert_array_equal(again.curve.outcomes, curve.outcomes)
    fig, axes = plt.subplots(3)
    assert MorphingDisplay(curve=curve).plot(ax=axes).figure_ is fig
    with pytest.raises(ValueError, match="three Axes"):
        MorphingDisplay(curve=curve).plot(ax=[axes[0]])


def test_field_snr_display():
    X = make_patterns(40, 200, random_state=0)
    mem = HebbianHopfieldMemory().fit(X)
    disp = FieldSNRDisplay.from_estimator(mem, X, noise=0.1, random_state=0)
    snr = field_snr(mem, X, noise=0.1, random_state=0)
    np.testing.assert_array_equal(disp.snr.aligned, snr.aligned)
    heights = np.array([p.get_height() for p in disp.hist_])
    widths = np.array([p.get_width() for p in disp.hist_])
    assert (heights * widths).sum() == pytest.approx(1.0)  # a density
    x, y = disp.gaussian_line_.get_data()
    assert x[np.argmax(y)] == pytest.approx(snr.signal, abs=x[1] - x[0])
    assert f"SNR = {snr.snr:.3g}" in disp.ax_.get_title()


def test_loss_spectrum_display_overlays_learning_rates():
    X = make_patterns(60, 30, random_state=0)
    _, ax = plt.subplots()
    for eta in (0.1, 0.2):
        mem = KLRHopfieldMemory(gamma=0.03, solver="gd", learning_rate=eta,
                                max_iter=50, tol=0).fit(X)  # fmt: skip
        disp = LossSpectrumDisplay.from_estimator(mem, ax=ax)
        spectrum = disp.spectrum
        np.testing.assert_array_equal(
            disp.lines_["max"].get_ydata(), spectrum.lambda_max_history.max(axis=1)
        )
        assert disp.limit_line_.get_ydata().tolist() == [2 / eta, 2 / eta]
    assert len(ax.get_lines()) == 6 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="no training history"):
        LossSpectrumDisplay(spectrum=loss_spectrum(mem)).plot()


def test_retrieval_outcomes_display(memory):
    mem, X = memory
    cues = corrupt(X, 0.4, random_state=0)
    disp = RetrievalOutcomesDisplay.from_estimator(mem, cues, X)
    heights = [b.get_height() for b in disp.bars_]
    assert heights == list(disp.outcomes.fractions.values())
    assert sum(heights) == pytest.approx(1.0)
    assert [t.get_text() for t in disp.ax_.get_xticklabels()][-1] == "not converged"
