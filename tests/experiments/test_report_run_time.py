"""The reproduction report records its own run time and the machine it ran on."""

import json
import os
import re

from sklearn_klrhop.experiments import reproduce


def test_report_states_its_run_time_and_machine(tmp_path):
    results = reproduce(tmp_path, quick=True, only=["events"], verbose=0)
    machine = results["machine"]
    assert machine["cpus"] == os.cpu_count() and machine["processor"]
    total = results["total_seconds"]
    assert total >= results["timings"]["events"] > 0
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["machine"] == machine and saved["total_seconds"] == total
    for name in ("report.md", "report.rst"):
        text = (tmp_path / name).read_text()
        # Stated once, at the end, with the machine; the top points to it.
        assert len(re.findall(r"This run took \d+\.\d s of wall time", text)) == 1
        assert (
            f"This run took {total:.1f} s of wall time on {machine['processor']}"
            in text
        )
        assert "its run time is at the end of the report" in text
    # --quick reads as the option, not as a dash, in every format.
    assert "`--quick`" in (tmp_path / "report.md").read_text()
