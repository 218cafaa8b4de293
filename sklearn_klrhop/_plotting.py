"""What every Display shares: matplotlib on demand, and a mean with its band."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.utils._optional_dependencies import check_matplotlib_support

STD_DISPLAY_STYLES = ("fill_between", "errorbar", None)

# Distinct marker and line style per series, so that curves that coincide
# (every memory at recall 1.0, sync under async) stay visible and tell apart
# in grey print too.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 2)))


def pyplot(caller):
    """``matplotlib.pyplot``, or an ImportError saying that ``caller`` needs it."""
    check_matplotlib_support(caller)
    import matplotlib.pyplot as plt

    return plt


def axes(ax, caller):
    """``ax``, or the axes of a new figure when it is None (``caller`` needs matplotlib)."""
    plt = pyplot(caller)
    if ax is None:
        _, ax = plt.subplots()
    return ax


def series_style(i):
    """Colour, marker and line style of series ``i``: no two of the first 8 alike."""
    return {
        "color": f"C{i % 10}",
        "marker": MARKERS[i % len(MARKERS)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
    }


def dodge(x, i, n, *, width=0.1, log=False):
    """Shift ``x`` of series ``i`` of ``n`` sideways so coinciding points stay apart.

    The shifts are centred on the true positions and span ``width`` (a
    fraction of the gap to the neighbouring grid point on a linear axis; a
    factor ``10 ** width`` in all on a log axis). A figure that dodges should
    say so.
    """
    x = np.asarray(x, dtype=float)
    offset = (i - (n - 1) / 2) / max(n, 1)
    if log:
        return x * 10 ** (width * offset)
    gaps = np.diff(x)
    step = np.min(gaps) if gaps.size else 1.0
    return x + width * step * offset


def plot_band(
    ax,
    x,
    mean,
    std,
    *,
    label,
    style,
    line_kw=None,
    fill_between_kw=None,
    bounds=None,
):
    """Draw ``mean`` with a +/- ``std`` band; return (line, band artist or None).

    ``bounds=(low, high)``: the range of the metric; the band is cut at it,
    so a recall band never reaches above 1.
    """
    if style not in STD_DISPLAY_STYLES:
        raise ValueError(
            "std_display_style must be 'fill_between', 'errorbar' or None; got "
            f"{style!r}."
        )
    mean, std = np.asarray(mean, dtype=float), np.asarray(std, dtype=float)
    low, high = mean - std, mean + std
    if bounds is not None:
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    line_kw = {} if line_kw is None else dict(line_kw)
    if style == "errorbar":
        line_kw.setdefault("marker", "o")
        line_kw.setdefault("markersize", 4)
        container = ax.errorbar(
            x, mean, yerr=[mean - low, high - mean], label=label, capsize=3, **line_kw
        )
        return container.lines[0], container
    line_kw.setdefault("marker", "o")
    line_kw.setdefault("markersize", 3)
    (line,) = ax.plot(x, mean, label=label, **line_kw)
    band = None
    if style == "fill_between":
        kw = {"alpha": 0.2, "color": line.get_color()}
        kw.update(fill_between_kw or {})
        band = ax.fill_between(x, low, high, **kw)
    return line, band
