"""Mutation testing of the core, module by module, with mutmut.

``make mutation`` runs this script. mutmut (configured in ``[tool.mutmut]``
of ``pyproject.toml``) copies the package to ``mutants/``, plants one small
change at a time in the core modules (an operator, a constant, a dropped
argument, ...) and runs the tests of its selection that call the changed
function; a mutant that no test notices *survives*. This script runs the
modules one after the other, each within a time box, and writes
``mutation-report/report.md``: per module the mutants, killed, survived,
timed out and not covered, with every survivor's diff and, when
``maint_tools/mutation_survivors.txt`` explains it, the reason it is left.

mutmut keeps its results in ``mutants/``. A module named here is tested again
in full; ``--survivors`` tests again only the mutants the stored results do
not count as caught (after new tests), ``--resume`` only those it has no
verdict for (a run a time box cut short), and ``--report-only`` runs nothing.
Delete ``mutants/`` for a run from scratch.

Usage::

    python maint_tools/mutation.py [--modules NAME ...] [--time-box SECONDS]
                                   [--max-children N] [--out DIR]
                                   [--survivors | --resume | --report-only]
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The core modules, in the order they run (mutmut's dotted module names).
MODULES = [
    "sklearn_klrhop.retrieval._ledger",
    "sklearn_klrhop.retrieval._engine",
    "sklearn_klrhop.retrieval._retrieve",
    "sklearn_klrhop.retrieval._dynamics",
    "sklearn_klrhop.retrieval._fields",
    "sklearn_klrhop.retrieval._local",
    "sklearn_klrhop.solvers._loss",
    "sklearn_klrhop.solvers._gd",
    "sklearn_klrhop.solvers._krr",
    "sklearn_klrhop.solvers._dispatch",
    "sklearn_klrhop.solvers._diagonal",
    "sklearn_klrhop.solvers._lbfgs",
    "sklearn_klrhop.solvers._newton_cg",
    "sklearn_klrhop.memories._kernels",
    "sklearn_klrhop._encoding",
    "sklearn_klrhop.neuromorphic._cost",
    "sklearn_klrhop.neuromorphic._profiles",
]
EXPLAINED = ROOT / "maint_tools" / "mutation_survivors.txt"
# mutmut's statuses; "killed" and "timeout" count as caught. "survived" and
# "no tests" are verdicts too; any other status is none: "not checked", or
# "segfault", which mutmut 3.8 also reports for a worker it killed itself
# when a run was interrupted (exit status -9).
CAUGHT = ("killed", "timeout")
VERDICTS = (*CAUGHT, "survived", "no tests")


def _mutmut(*args, timeout=None):
    """Run ``python -m mutmut ARGS`` in the repository.

    Returns (seconds, output, finished): ``finished`` is False when the time box
    ended the run or mutmut stopped with an error (it resumes on the next run).
    """
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the tests must import the mutated copy
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"  # forked workers, one core each
    start = time.perf_counter()
    # The output goes to a file, not a pipe: workers that outlive a crash of
    # mutmut would hold a pipe open until the time box ends.
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mutmut", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        interrupted = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # mutmut saves its results on an interrupt; the next run resumes
            interrupted = True
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        try:  # workers left behind by a crash (mutmut's own session only)
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        log.seek(0)
        out = log.read()
    if interrupted:
        out += "\n[time box reached: interrupted]\n"
    elif proc.returncode:
        out += f"\n[mutmut stopped with exit status {proc.returncode}]\n"
    finished = not interrupted and proc.returncode == 0
    return time.perf_counter() - start, out, finished


def _statuses():
    """``{mutant: status}`` of every mutant mutmut knows."""
    _, out, _ = _mutmut("results", "--all", "true")
    found = re.findall(r"^\s*(\S+): (\w[\w ]*)$", out, flags=re.MULTILINE)
    return dict(found)


def _explanations():
    """``{mutant: reason}`` from ``mutation_survivors.txt`` (``name  reason``).

    A reason written ``[kind]`` is the text of a ``#   kind: text`` line.
    """
    reasons, kinds = {}, {}
    if EXPLAINED.exists():
        for line in EXPLAINED.read_text().splitlines():
            line = line.strip()
            kind = re.match(r"#\s+(\w+): (.*)", line)
            if kind:  # "#   kind: text" defines the reason written [kind]
                kinds[f"[{kind.group(1)}]"] = kind.group(2)
            elif line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                reasons[name] = reason.strip()
    return {name: kinds.get(r, r) for name, r in reasons.items()}


def _diffs(mutants):
    """``{mutant: diff}``, in this process when mutmut's API allows (fast)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
    except ImportError:  # another mutmut version: one subprocess per mutant
        return {m: _mutmut("show", m)[1] for m in mutants}
    cwd, diffs = os.getcwd(), {}
    os.chdir(ROOT)
    try:
        for m in mutants:
            try:
                diffs[m] = get_diff_for_mutant(m)
            except Exception:  # e.g. a result file being written: ask mutmut
                diffs[m] = _mutmut("show", m)[1]
    finally:
        os.chdir(cwd)
    return diffs


def _module_of(mutant):
    return mutant.rsplit(".", 1)[0]


def _run_module(module, targets, max_children, time_box):
    """Run mutmut on ``targets`` within ``time_box`` seconds; (seconds, log)."""
    spent, log = 0.0, ""
    for _ in range(5):
        seconds, output, finished = _mutmut(
            "run",
            "--max-children",
            str(max_children),
            *targets,
            timeout=time_box - spent,
        )
        spent += seconds
        log += output[-4000:]
        if finished or time_box - spent < 60:
            break
        # mutmut stopped on an error of its own: go on with the mutants it
        # has no result for (named mutants are always tested again)
        targets = [
            m
            for m, s in _statuses().items()
            if _module_of(m) == module and s not in VERDICTS
        ]
        if not targets:
            break
        print(f"  mutmut stopped early: resuming ({len(targets)} left)", flush=True)
    return spent, log


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--modules",
        nargs="+",
        default=MODULES,
        help="modules to mutate (a suffix such as _ledger is enough)",
    )
    parser.add_argument("--time-box", type=float, default=900, help="seconds/module")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--out", default="mutation-report")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="test again only the mutants the stored results do not count as "
        "caught (after adding tests)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="test only the mutants without a verdict yet (a run cut short)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write the report from the results mutmut has stored; run nothing",
    )
    args = parser.parse_args(argv)
    modules = [next(m for m in MODULES if m.endswith(name)) for name in args.modules]
    out = ROOT / args.out
    out.mkdir(exist_ok=True)
    # wall time per module: a full run starts it again, --survivors and
    # --resume add to it
    timing = out / "seconds.json"
    seconds = json.loads(timing.read_text()) if timing.exists() else {}
    again = args.survivors or args.resume
    stored = _statuses() if again else {}
    logs = []
    for module in [] if args.report_only else modules:
        if again:
            targets = [
                m
                for m, s in stored.items()
                if _module_of(m) == module
                and (s not in VERDICTS if args.resume else s not in CAUGHT)
            ]
            if not targets:
                continue
        else:
            targets, seconds[module] = [f"{module}.*"], 0.0
        print(f"mutating {module} ({len(targets)} names) ...", flush=True)
        spent, log = _run_module(module, targets, args.max_children, args.time_box)
        seconds[module] = seconds.get(module, 0.0) + spent
        timing.write_text(json.dumps(seconds, indent=1))
        logs.append(f"## {module}\n\n{log}\n")
        print(f"  {spent:.0f} s", flush=True)
    if logs:
        (out / "mutmut.log").write_text("\n".join(logs))
    _write_report(out, modules, seconds, _statuses(), _explanations())
    print(f"Report written to {out / 'report.md'}")


def _kind(status, reason):
    """How an uncaught mutant counts: not run, equivalent (strictly or in
    results: speed and memory only), left, gap, unexplained."""
    if status not in VERDICTS:
        return "not run"
    if reason is None:
        return "not explained"
    if reason.startswith("left: not examined"):
        return "gap"
    if reason.startswith("equivalent in results"):
        return "equivalent in results"
    return "equivalent" if reason.startswith("equivalent") else "left"


def _write_report(out, modules, seconds, statuses, reasons):
    lines = [
        "# Mutation testing of the core",
        "",
        "| module | mutants | killed | timeout | survived | no tests | other "
        "| caught | seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    total = Counter()
    for module in modules:
        counts = Counter(s for m, s in statuses.items() if _module_of(m) == module)
        n = sum(counts.values())
        caught = sum(counts[s] for s in CAUGHT)
        other = n - caught - counts["survived"] - counts["no tests"]
        total.update(counts)
        lines.append(
            f"| {module} | {n} | {counts['killed']} | {counts['timeout']} | "
            f"{counts['survived']} | {counts['no tests']} | {other} | "
            f"{caught / max(n, 1):.1%} | {seconds.get(module, 0):.0f} |"
        )
    n = sum(total.values())
    caught = sum(total[s] for s in CAUGHT)
    lines += [
        "",
        f"All: {n} mutants, {caught} caught ({caught / max(n, 1):.1%}), "
        f"{total['survived']} survived, {total['no tests']} not covered; "
        f"{sum(seconds.values()):.0f} s.",
    ]
    wanted = set(modules)
    left = [
        (m, s)
        for m, s in sorted(statuses.items())
        if s not in CAUGHT and _module_of(m) in wanted
    ]
    kinds = Counter(_kind(s, reasons.get(m)) for m, s in left)
    ran = n - kinds["not run"]
    strict = ran - kinds["equivalent"]
    functional = strict - kinds["equivalent in results"]
    lines += [
        "",
        "Not caught, by reason: "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        + f". Of the {functional} mutants that ran and can change a result, "
        f"{caught / max(functional, 1):.1%} are caught; counting those that "
        f"change only speed or memory too, {caught / max(strict, 1):.1%} of "
        f"{strict}.",
        "",
        "## Survivors",
        "",
    ]
    diffs = _diffs([m for m, _ in left])
    for mutant, status in left:
        reason = reasons.get(mutant, "NOT EXPLAINED")
        diff = diffs[mutant]
        lines += [f"### {mutant} ({status})", "", f"Reason: {reason}", ""]
        lines += ["```diff", diff.strip(), "```", ""]
    (out / "report.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
