"""What every Display shares: matplotlib on demand, and a mean with its band."""

# Authors: The sklearn_klrhop developers
# SPDX-License-Identifier: BSD-3-Clause

from sklearn.utils._optional_dependencies import check_matplotlib_support

STD_DISPLAY_STYLES = ("fill_between", "errorbar", None)


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


def plot_band(ax, x, mean, std, *, label, style, line_kw=None, fill_between_kw=None):
    """Draw ``mean`` with a +/- ``std`` band; return (line, band artist or None)."""
    if style not in STD_DISPLAY_STYLES:
        raise ValueError(
            "std_display_style must be 'fill_between', 'errorbar' or None; got "
            f"{style!r}."
        )
    line_kw = {} if line_kw is None else dict(line_kw)
    if style == "errorbar":
        container = ax.errorbar(x, mean, yerr=std, label=label, capsize=3, **line_kw)
        return container.lines[0], container
    (line,) = ax.plot(x, mean, marker="o", markersize=3, label=label, **line_kw)
    band = None
    if style == "fill_between":
        kw = {"alpha": 0.2, "color": line.get_color()}
        kw.update(fill_between_kw or {})
        band = ax.fill_between(x, mean - std, mean + std, **kw)
    return line, band
