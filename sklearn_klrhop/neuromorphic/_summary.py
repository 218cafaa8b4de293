"""The text of CostReport.summary: counts and energy per retrieval, then what they mean."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import textwrap

from ..retrieval import METRICS
from ._profiles import ENERGY_PROFILES

_ROWS = (
    "events",
    "steps",
    "field_evaluations",
    "neuron_updates",
    "kernel_evaluations",
    "kernel_updates",
    "propagated",
    "synaptic_ops",
    "accumulates",
    "macs",
    "memory_reads",
    "barriers",
)
# What the summary's rows count, beside the ledger's own definitions.
_TERMS = {
    "kernel units": (
        "the M hidden units of the memory between the neurons' states and their "
        "fields: one per stored pattern for a kernel memory (unit mu holds the "
        "kernel value k(x_mu, s)), the weight rows for a memory without kernel"
    ),
    **METRICS,
    "synaptic_ops": "accumulates + macs",
    "memory_reads": "bits read: decoder words and encoder entries",
    "recall": "fraction of cues whose final state is exactly their target",
}
_WIDTH, _COLUMN = 24, 14


def _row(label, values, fmt):
    return label.ljust(_WIDTH) + "".join(format(v, fmt).rjust(_COLUMN) for v in values)


def _wrap(text, indent=None):
    """Lines of at most 88 characters; an entry of a list (``indent``) hangs."""
    return textwrap.fill(
        text,
        88,
        initial_indent=indent or "",
        subsequent_indent="" if indent is None else indent + "  ",
        break_on_hyphens=False,
    )


def _table(report, models):
    n = max(report.n_cues, 1)
    lines = [_row(f"per retrieval ({report.n_cues} cues)", models, "")]
    for metric in _ROWS:
        label = ("  " if metric in ("accumulates", "macs") else "") + metric
        label += " (bits)" if metric == "memory_reads" else ""
        lines.append(_row(label, [report.mean(m, metric) for m in models], ".1f"))
    lines.append(_row("recall", [report.recall[m] for m in models], ".3f"))
    lines.append("energy (J) by profile:")
    for profile in report.profiles:
        values = [report.energy_by_profile[m][profile] / n for m in models]
        lines.append(_row(f"  {profile}", values, ".3g"))
    for i, end in enumerate(("lowest", "highest")):
        values = [report.energy[m][i] / n for m in models]
        lines.append(_row(f"energy {end} (J)", values, ".3g"))
    return lines


def _ends(report, models):
    """Which profile sets each end of the energy range."""
    parts = []
    for i, end in enumerate(("lowest", "highest")):
        names = {m: report.energy_range_profiles[m][i] for m in models}
        if len(set(names.values())) == 1:
            parts.append(f"the {end} by {next(iter(names.values()))} for every model")
        else:
            by_model = ", ".join(f"{p} ({m})" for m, p in names.items())
            parts.append(f"the {end} by {by_model}")
    return "Energy range over the priced profiles: " + ", ".join(parts) + "."


def _field_evaluations(report):
    ed = "event_driven"
    if ed not in report.counts or "sync" not in report.counts:
        return []
    mean = report.mean
    return [
        f"Field evaluations: synchronous {mean('sync', 'field_evaluations'):.1f} "
        f"(every field, every step) vs event-driven "
        f"{mean(ed, 'field_evaluations'):.1f} (one decision per event). Beside it, "
        f"event-driven also pays {mean(ed, 'kernel_updates'):.0f} kernel updates "
        f"({report.n_units} per flip), {mean(ed, 'neuron_updates'):.0f} neuron "
        f"updates and {mean(ed, 'macs'):.0f} MACs to keep the fields current "
        f"(synchronous: {mean('sync', 'macs'):.0f})."
    ]


def _profiles(report):
    lines = [
        _wrap(
            "Profiles (evidence: how the number was obtained by its source; grade: "
            "V read in the primary source, S the primary number read through a "
            "verbatim third-party quote, R not re-checked):"
        )
    ]
    for name in report.profiles:
        p = ENERGY_PROFILES.get(name)
        if p is None:
            lines.append(f"  {name}: not a profile of ENERGY_PROFILES")
            continue
        lines.append(
            _wrap(
                f"{name}: {p.description}; {p.scope}, {p.evidence}, grade "
                f"{p.grade}. Source: {p.source}.",
                "  ",
            )
        )
    lines.append(
        _wrap(
            "Per-operation profiles leave out static power and routing between "
            "chips, so they are lower bounds; an all-in profile (truenorth) holds "
            "at its own operating point only."
        )
    )
    return lines


def summary_text(report):
    """Return the text of ``report.summary()``."""
    models = list(report.counts)
    lines = [
        _wrap(
            f"Neuromorphic cost estimate: {report.n_cues} cues, N = "
            f"{report.n_features} neurons, M = {report.n_units} kernel units, "
            f"precision {report.precision}, delta_threshold {report.delta_threshold}."
        ),
        _wrap(
            "Every value below is the mean per retrieval (one cue); the report's "
            "counts, energy and energy_by_profile hold the totals over the cues."
        ),
        "",
        *_table(report, models),
        "",
        _wrap(_ends(report, models)),
        *map(_wrap, _field_evaluations(report)),
        "",
        *_profiles(report),
        "",
        "Terms:",
        *(_wrap(f"{term}: {text}", "  ") for term, text in _TERMS.items()),
    ]
    return "\n".join(lines)
