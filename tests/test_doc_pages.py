"""The check of the built documentation pages (doc/_ext/check_pages.py).

``make doc`` runs the check at the end of every build (a problem is a warning,
and the build treats warnings as errors); here it is tested on small pages.
A stale build left in a checkout is not judged: the next build checks itself.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "check_pages", ROOT / "doc" / "_ext" / "check_pages.py"
)
check_pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_pages)

LOCAL = '<script defer src="_static/mathjax/tex-chtml.js"></script>'
CDN = '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'
MATH = '<p>A state <span class="math notranslate nohighlight">\\(s\\)</span>.</p>'
DISPLAY = '<div class="math notranslate nohighlight">\\[K(x, y)\\]</div>'


def _page(head, body):
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_maths_typeset_by_a_bundled_mathjax_passes():
    assert check_pages.check_page(_page(LOCAL, MATH + DISPLAY)) == []
    # A page without maths needs no MathJax.
    assert check_pages.check_page(_page("", "<p>no maths</p>")) == []


def test_mathjax_from_a_cdn_is_refused():
    problems = check_pages.check_page(_page(CDN, MATH))
    assert problems == [
        "loads a script from the network: https://cdn.jsdelivr.net/npm/mathjax@3/"
        "es5/tex-mml-chtml.js",
        "has maths but loads no MathJax from a file of the build",
    ]


def test_a_missing_mathjax_file_is_refused():
    problems = check_pages.check_page(_page(LOCAL, MATH), exists=lambda src: False)
    assert problems == ["has maths but loads no MathJax from a file of the build"]


@pytest.mark.parametrize(
    "body", ["<p>raw \\(\\xi^1, \\dots\\) here</p>", "<td>\\[K(x,y)=1\\]</td>"]
)
def test_latex_outside_a_math_element_is_refused(body):
    problems = check_pages.check_page(_page(LOCAL, MATH + body))
    assert len(problems) == 1 and problems[0].startswith("raw LaTeX outside")


def test_latex_inside_scripts_and_nested_math_is_accepted():
    body = (
        '<script>var x = "\\\\(";</script>'
        '<span class="math"><span>\\(a<br>b\\)</span></span>' + MATH
    )
    assert check_pages.check_page(_page(LOCAL, body)) == []


def test_check_build_reads_every_page_but_the_static_files(tmp_path):
    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / "_static" / "mathjax" / "tex-chtml.js").write_text("")
    (tmp_path / "_static" / "raw.html").write_text(_page("", "\\("))
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(_page(LOCAL, MATH))
    # One level down, the relative path to MathJax must be ../_static.
    (tmp_path / "sub" / "page.html").write_text(_page(LOCAL, MATH))
    assert check_pages.check_build(tmp_path) == {
        "sub/page.html": ["has maths but loads no MathJax from a file of the build"]
    }
