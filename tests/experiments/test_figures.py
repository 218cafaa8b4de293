"""What a reader sees on the figures of ``reproduce``, at the tiny sizes.

Every figure has a title; the figures that have a published number draw it
with its source; the bands stay inside the metric's range; the series of one
panel are drawn in distinct styles, so none hides under another.
"""

import re

import numpy as np
import pytest

from sklearn_klrhop.experiments import EXPERIMENTS
from sklearn_klrhop.experiments._runner import Run

from .test_experiments_tiny import TINY

# experiment: the source its published marks cite
PUBLISHED_SOURCES = {
    "trajectories": "arXiv:2605.05978",
    "capacity": "arXiv:2605.05978",
    "comparison": "arXiv:2504.07633",
    "phase_diagram": "arXiv:2609.16827",
    "sequences": "arXiv:2605.00366",
}
# the published capacity values are for N = 50, 100 and 200
SETTINGS = {**TINY, "capacity": {"plan": {50: [5, 20]}, "n_cues": 10, "n_trials": 2}}
# experiment: (low, high) of the metric its error bars show
BOUNDS = {"trajectories": (-1.0, 1.0), "capacity": (0.0, 1.0), "comparison": (0.0, 1.0)}


class _Recording(Run):
    """A run that keeps what each figure shows before it is closed."""

    def figure(self, fig, name, caption):
        self.seen = getattr(self, "seen", [])
        self.seen.append(_inspect(fig))
        super().figure(fig, name, caption)


def _inspect(fig):
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    bars, styles = [], []
    for ax in fig.axes:
        titles.append(ax.get_title())
        if ax.get_legend() is not None:
            labels += [t.get_text() for t in ax.get_legend().get_texts()]
        for collection in ax.collections:
            if hasattr(collection, "get_segments"):  # error bars
                bars += [seg[:, 1] for seg in collection.get_segments()]
        # the labelled data series of this panel (not the reference lines)
        styles.append(
            [
                (line.get_color(), line.get_marker(), str(line.get_linestyle()))
                for line in ax.get_lines()
                if not line.get_label().startswith(("_", "published", "the Ridge"))
                and len(line.get_xdata()) > 1
            ]
        )
    return {"labels": labels, "titles": [t for t in titles if t], "bars": bars,
            "styles": styles}  # fmt: skip


@pytest.fixture(scope="module", params=sorted(PUBLISHED_SOURCES))
def shown(request, tmp_path_factory):
    name = request.param
    run = _Recording(tmp_path_factory.mktemp(name), quick=True, n_jobs=1, seed=0,
                     verbose=0, overrides={name: SETTINGS[name]})  # fmt: skip
    run.execute({name: EXPERIMENTS[name]})
    return name, run.seen


@pytest.mark.slow
def test_figures_have_titles_and_published_values_with_source(shown):
    name, figures = shown
    for fig in figures:
        assert fig["titles"], name
    labels = [label for fig in figures for label in fig["labels"]]
    published = [x for x in labels if "published" in x or "the Ridge" in x]
    assert published, name
    assert all(PUBLISHED_SOURCES[name] in x for x in published if "arXiv" in x)
    assert any(PUBLISHED_SOURCES[name] in x for x in published), name


@pytest.mark.slow
def test_error_bars_stay_inside_the_metric_range(shown):
    name, figures = shown
    if name not in BOUNDS:
        pytest.skip(f"{name} draws no error bars")
    low, high = BOUNDS[name]
    bars = np.concatenate([b for fig in figures for b in fig["bars"]])
    assert bars.size
    assert low - 1e-12 <= bars.min() and bars.max() <= high + 1e-12


@pytest.mark.slow
def test_series_of_a_panel_have_distinct_styles(shown):
    name, figures = shown
    for fig in figures:
        for panel in fig["styles"]:
            # the comparison's grey context lines are all alike on purpose
            mine = [s for s in panel if s[0] != "0.8"]
            assert len(set(mine)) == len(mine), (name, mine)


def test_report_headings_are_numbered_in_run_order(tmp_path):
    names = ["events", "digits"]
    run = Run(tmp_path, quick=True, n_jobs=1, seed=0, verbose=0,
              overrides={n: TINY[n] for n in names})  # fmt: skip
    run.execute({n: EXPERIMENTS[n] for n in names})
    headings = re.findall(r"^## (.*)$", run.report.to_markdown(), flags=re.M)
    assert [h.split(".")[0] for h in headings[:2]] == ["1", "2"]
    assert headings[0].startswith("1. Events") and headings[1].startswith("2. Struct")
    assert headings[2] == "Run time"
