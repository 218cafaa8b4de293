"""Run experiments, time them, and write the report they fill."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import json
import os
import platform
import time
from pathlib import Path

from .._plotting import pyplot as _pyplot
from ._report import Report


def pyplot():
    """``matplotlib.pyplot``, or an ImportError saying that reproduce needs it."""
    return _pyplot("reproduce")


class Run:
    """State shared by the experiments of one ``reproduce`` run.

    Experiments read their sizes with :meth:`protocol`, and ``n_jobs`` and
    ``seed``; they add measured numbers to ``results`` and tables and figures
    to ``report``.

    ``overrides`` (``{experiment: {setting: value}}``) replaces settings of
    the quick or full protocol; the test suite uses it to run every
    experiment at a tiny size, and the report then says that the protocol was
    overridden. ``reproduce`` never passes it.
    """

    def __init__(self, out, *, quick, n_jobs, seed, verbose, overrides=None):
        self.out = Path(out)
        self.quick = quick
        self.n_jobs = n_jobs
        self.seed = seed
        self.verbose = verbose
        self.overrides = {name: dict(o) for name, o in (overrides or {}).items()}
        self._section = 0  # the number of the running experiment's section
        self.report = Report(
            "sklearn_klrhop: reproduction of the kernel Hopfield papers"
        )
        self.results = {"quick": quick, "seed": seed}
        self.out.mkdir(parents=True, exist_ok=True)
        scope = (
            "Quick run (fewer sizes and trials; run without `--quick` for the full "
            "protocol)"
            if quick
            else "Full run"
        )
        self.machine = _machine()
        self.results["machine"] = self.machine
        self.report.paragraph(
            f"{scope}, seed {seed}, on {_describe(self.machine)}. Every number below "
            f"was measured by `python -m sklearn_klrhop reproduce"
            f"{' --quick' if quick else ''} --seed {seed}`; its run time is at the "
            "end of the report."
        )
        if self.overrides:
            self.report.paragraph(
                "The protocol of these experiments was overridden (a test run): "
                f"{self.overrides}."
            )

    def protocol(self, name, *, quick, full):
        """The settings of experiment ``name`` in this run.

        Parameters
        ----------
        name : str
            The experiment (its key in ``EXPERIMENTS``).
        quick, full : dict
            The settings of the quick and of the full protocol.

        Returns
        -------
        settings : dict
            ``quick`` or ``full``, updated with this run's overrides of
            ``name``; an override of a setting the experiment does not have
            is refused.
        """
        settings = dict(quick if self.quick else full)
        extra = self.overrides.get(name, {})
        unknown = sorted(set(extra) - set(settings))
        if unknown:
            raise ValueError(
                f"Unknown settings {unknown} for experiment {name!r}; it has "
                f"{sorted(settings)}."
            )
        settings.update(extra)
        return settings

    def heading(self, text):
        """Start the section of the running experiment, numbered by its place in the run."""
        number = f"{self._section}. " if self._section else ""
        self.report.heading(number + text)

    def figure(self, fig, name, caption):
        """Save a matplotlib figure next to the report and reference it."""
        fig.savefig(self.out / name, dpi=110, bbox_inches="tight")
        pyplot().close(fig)
        self.report.figure(name, caption)

    def execute(self, experiments):
        """Run ``{name: function(run)}`` in order with a progress bar, timing each."""
        timings = {}
        begin = time.perf_counter()
        for number, name in enumerate(_progress(list(experiments), self.verbose), 1):
            self._section = number
            start = time.perf_counter()
            experiments[name](self)
            timings[name] = time.perf_counter() - start
        total = time.perf_counter() - begin
        self.report.heading("Run time")
        self.report.paragraph(
            f"This run took {total:.1f} s of wall time on {_describe(self.machine)}"
            f"{_load_note(self.machine)}. Other work on the machine slows it down."
        )
        self.report.table(
            ["experiment", "seconds"], [[k, f"{v:.1f}"] for k, v in timings.items()]
        )
        self.results["timings"] = timings
        self.results["total_seconds"] = total
        return timings

    def write(self, rst_image_prefix=""):
        """Write report.md, report.html, report.rst and results.json."""
        (self.out / "report.md").write_text(self.report.to_markdown())
        (self.out / "report.html").write_text(self.report.to_html())
        (self.out / "report.rst").write_text(self.report.to_rst(rst_image_prefix))
        (self.out / "results.json").write_text(
            json.dumps(self.results, indent=1, default=float)
        )


def _machine():
    """The machine a run measured on: processor, CPUs, Python, load at start."""
    processor = platform.processor() or platform.machine()
    try:  # Linux names the processor model only in /proc/cpuinfo
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            models = [
                line.split(":", 1)[1] for line in f if line.startswith("model name")
            ]
        processor = models[0].strip() if models else processor
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on Windows
        load = None
    return {
        "processor": processor,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_1min": load,
    }


def _describe(machine):
    return (
        f"{machine['processor']} ({machine['cpus']} CPUs), Python {machine['python']}"
    )


def _load_note(machine):
    load = machine["load_average_1min"]
    return "" if load is None else f", load average {load:.1f} when it started"


def _progress(names, verbose):
    if not verbose:
        return names
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _printing(names)
    return tqdm(names, desc="reproduce", unit="experiment")


def _printing(names):
    for i, name in enumerate(names, 1):
        print(f"[{i}/{len(names)}] {name} ...", flush=True)
        yield name
