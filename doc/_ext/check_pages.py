"""Check the built HTML pages for maths that no reader would see rendered.

A Sphinx extension: when an HTML build finishes, every page is read, and a
warning (an error with ``-W``, as ``make doc`` builds) is raised where

- a page loads a script from the network (the maths and the pages must work
  offline: MathJax is served from ``_static``),
- a page with maths does not load MathJax from a file of the build,
- LaTeX delimiters ``\\(`` or ``\\[`` appear outside the ``math`` elements
  that MathJax typesets (raw LaTeX that no role or directive marked as maths).

``tests/test_doc_pages.py`` tests the checks on small pages and, when the docs
have been built, on the built pages.
"""

from html.parser import HTMLParser
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

_DELIMITERS = ("\\(", "\\[")
_VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []
        self.has_math = False
        self.raw_latex = []
        self._stack = []  # (tag, is_math or skipped)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        if tag in _VOID:
            return
        classes = (attrs.get("class") or "").split()
        is_math = "math" in classes
        self.has_math |= is_math
        self._stack.append((tag, is_math or tag in ("script", "style")))

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data):
        if any(shielded for _, shielded in self._stack):
            return
        for delimiter in _DELIMITERS:
            start = data.find(delimiter)
            if start >= 0:
                self.raw_latex.append(data[start : start + 40].strip())


def check_page(text, exists=lambda src: True):
    """Return the problems of one HTML page.

    Parameters
    ----------
    text : str
        The page's HTML.
    exists : callable, default accepts every path
        ``exists(src)`` tells whether a script path relative to the page is a
        file of the build.

    Returns
    -------
    problems : list of str
        Empty when the page is fine.
    """
    parser = _PageParser()
    parser.feed(text)
    problems = [
        f"loads a script from the network: {src}"
        for src in parser.scripts
        if src.startswith(("http://", "https://", "//"))
    ]
    if parser.has_math:
        local = [
            src
            for src in parser.scripts
            if "mathjax" in src.lower() and not src.startswith(("http", "//"))
        ]
        if not any(exists(src.split("?")[0]) for src in local):
            problems.append("has maths but loads no MathJax from a file of the build")
    problems += [f"raw LaTeX outside a math element: {t!r}" for t in parser.raw_latex]
    return problems


def check_build(outdir):
    """Return ``{page: problems}`` for every HTML page under ``outdir``."""
    outdir = Path(outdir)
    found = {}
    for page in sorted(outdir.rglob("*.html")):
        if "_static" in page.relative_to(outdir).parts:
            continue
        base = page.parent
        problems = check_page(
            page.read_text(encoding="utf-8"),
            exists=lambda src, base=base: (base / src).is_file(),
        )
        if problems:
            found[str(page.relative_to(outdir))] = problems
    return found


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    # Warnings: the documentation build (-W) fails on any of them.
    for page, problems in check_build(app.outdir).items():
        for problem in problems:
            logger.warning(f"built page {page} {problem}", type="check_pages")


def setup(app):
    # After sphinx-mathjax-offline has copied MathJax into _static.
    app.connect("build-finished", _on_build_finished, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
