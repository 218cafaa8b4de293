"""TrajectoryDisplay: overlap with the target along the dynamics."""

import numpy as np
import pytest

from sklearn_klrhop import KLRHopfieldMemory
from sklearn_klrhop.datasets import corrupt, make_patterns
from sklearn_klrhop.inspection import TrajectoryDisplay
from sklearn_klrhop.metrics import overlap

plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_trajectory_display_sync_versus_async():
    X = make_patterns(150, 50, random_state=0)
    mem = KLRHopfieldMemory(gamma=0.1, random_state=0).fit(X)
    cues = corrupt(X[:30], 0.2, random_state=1)
    disp = TrajectoryDisplay.from_estimator(mem, cues, X[:30])
    assert list(disp.overlaps) == ["sync", "async"] and len(disp.lines_) == 2
    for line, (update, m) in zip(disp.lines_, disp.overlaps.items()):
        y = line.get_ydata()
        assert y[0] == pytest.approx(0.6)  # 10 of 50 bits flipped
        final = overlap(X[:30], mem.retrieve(cues, update=update).states)
        assert y[-1] == pytest.approx(final.mean()) and y[-1] > 0.95
        np.testing.assert_allclose(y, m.mean(axis=0))
    assert [t.get_text() for t in disp.ax_.get_legend().get_texts()] == [
        "sync",
        "async",
    ]
    long = TrajectoryDisplay.from_estimator(
        mem, cues, X[:30], updates="sync", n_steps=6
    )
    assert long.overlaps["sync"].shape == (30, 7) and len(long.lines_) == 1


def test_trajectory_display_rejects_bad_input():
    X = make_patterns(20, 30, random_state=0)
    mem = KLRHopfieldMemory().fit(X)
    with pytest.raises(ValueError, match="one target per cue"):
        TrajectoryDisplay.from_estimator(mem, X, X[:5])
    with pytest.raises(TypeError, match="retrieve method"):
        TrajectoryDisplay.from_estimator(object(), X, X)
    with pytest.raises(
        ValueError, match="'update' parameter of retrieve must be a str among"
    ):
        TrajectoryDisplay.from_estimator(mem, X, X, updates=("fast",))
