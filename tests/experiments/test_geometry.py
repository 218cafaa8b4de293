"""The attractor-geometry experiments of reproduce: they run and measure."""

import json

import pytest

from sklearn_klrhop.experiments import EXPERIMENTS, reproduce

GEOMETRY = ["morphing", "snr", "ridge", "edge_of_stability", "outcomes"]


@pytest.mark.slow
def test_geometry_experiments_write_their_numbers_and_figures(tmp_path):
    assert set(GEOMETRY) <= set(EXPERIMENTS)
    results = reproduce(tmp_path, quick=True, only=GEOMETRY, verbose=0)
    for name in GEOMETRY:
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    saved = json.loads((tmp_path / "results.json").read_text())
    # morphing at gamma = 0.1: one sharp boundary in the middle
    robust = saved["morphing"]["robust, P/N = 2"]
    assert abs(robust["boundary"][0] - 0.5) < 0.1 and robust["width"][0] < 0.2
    # the Hebbian check of the SNR measurement
    for h in saved["snr"]["hebbian"]:
        assert abs(h["snr"] - h["finite_n_snr"]) < 0.15 * h["finite_n_snr"]
    # the spectral corner: rank one where gamma is tiny
    assert min(row[0] for row in saved["ridge"]["concentration"]) > 0.99
    # edge of stability: the published initial lambda_max > 50 at every eta
    for eta in ("0.05", "0.1", "0.2"):
        trial = saved["edge_of_stability"][eta]["trials"][0]
        assert trial["initial"] > 50 and trial["stable_from"] is not None
    # outcomes below the limit: failures go to other stored patterns
    far = saved["outcomes"]["N=100/load=4/noise=0.4"]
    assert far["other"] > 0.9 and far["spurious"] < 0.05
    report = (tmp_path / "report.md").read_text()
    for source in ("arXiv:2605.00366", "arXiv:2609.16827", "arXiv:2505.01218"):
        assert source in report
    assert results["timings"].keys() == set(GEOMETRY)
