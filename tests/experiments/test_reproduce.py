"""The reproduce command and its report."""

import json

import pytest

from sklearn_klrhop.__main__ import main
from sklearn_klrhop.experiments import reproduce
from sklearn_klrhop.experiments._report import Report


@pytest.mark.slow
def test_reproduce_writes_every_format_with_measured_numbers(tmp_path):
    results = reproduce(
        tmp_path, quick=True, only=["events", "trajectories"], verbose=0
    )
    for name in [
        "report.md",
        "report.html",
        "report.rst",
        "results.json",
        "trajectories.png",
    ]:
        assert (tmp_path / name).stat().st_size > 0
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["quick"] is True
    events = saved["events"]["0.2"]
    # The papers' event-driven result: events track the initial Hamming distance.
    assert abs(events["events"] - events["initial_hamming"]) <= 0.05 * 10
    assert events["recall"] >= 0.95
    assert saved["events"]["0.4"]["recall"] < 0.2
    assert (
        results["cost"]["sync"]["field_evaluations"]
        >= 10 * (results["cost"]["event_driven"]["field_evaluations"])
    )
    report = (tmp_path / "report.md").read_text()
    assert "Quick run" in report and "published" in report
    assert f"{events['events']:.3g}" in report


def test_reproduce_rejects_unknown_experiments(tmp_path):
    with pytest.raises(ValueError, match="Unknown experiments \\['nope'\\]"):
        reproduce(tmp_path, only=["nope"])


@pytest.mark.slow
def test_command_line(tmp_path, capsys):
    assert (
        main(["reproduce", "--quick", "--only", "events", "--out", str(tmp_path)]) == 0
    )
    assert "Report written to" in capsys.readouterr().out
    assert main(["demo", "--n-features", "40", "--load", "3"]) == 0
    out = capsys.readouterr().out
    assert "P = 120 random patterns in N = 40 neurons" in out
    assert "120 cues with 8 of 40 bits flipped" in out
    rows = {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line.split()[:1] in (["sync"], ["async"])
    }
    assert set(rows) == {"sync", "async"}
    for update, (recall, steps, events, seconds) in rows.items():
        # the demo's own table: recall of 20 % noise at P/N = 3, about one
        # event per flipped bit
        assert float(recall) >= 0.95, update
        assert 1 <= float(steps) <= 30
        assert abs(float(events) - 8) <= 1, update
        assert float(seconds) >= 0


def test_report_renders_the_same_content_in_three_formats():
    report = Report("T")
    report.heading("Section")
    report.paragraph("a < b")
    report.table(["x", "y"], [[1, 0.5]], caption="c")
    report.figure("f.png", "fig")
    md, html, rst = report.to_markdown(), report.to_html(), report.to_rst("/img/")
    assert "| 1 | 0.5 |" in md and "![fig](f.png)" in md
    assert "a &lt; b" in html and "<td>0.5</td>" in html
    assert ".. figure:: /img/f.png" in rst and "   * - 1" in rst
