"""Sphinx configuration for the sklearn_klrhop documentation."""

import os
import sys
import warnings

sys.path.insert(0, os.path.abspath(".."))
sys.path.insert(0, os.path.abspath("_ext"))

import sklearn_klrhop  # noqa: E402

project = "sklearn_klrhop"
author = "The sklearn_klrhop developers"
copyright = "2026, The sklearn_klrhop developers"
release = sklearn_klrhop.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax from the installed ``sphinx-mathjax-offline`` package, copied into
    # _static/mathjax: the maths renders without network access.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # Fails the build if a page loads a script from the network or shows raw
    # LaTeX (doc/_ext/check_pages.py).
    "check_pages",
]

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "generated/*.examples",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "auto_examples/*.codeobj.json",
    "sg_execution_times.rst",
    "auto_examples/sg_execution_times.rst",
]
default_role = "literal"
# Quotes and ellipses only: "--quick" must not become an en dash.
smartquotes_action = "qe"
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
# Signatures show defaults as written in the source (``dtype=np.float64``),
# not their repr (``dtype=<class 'numpy.float64'>``).
autodoc_preserve_defaults = True


def _skip_foreign_members(app, what, name, obj, skip, options):
    # Document our own methods, including those inherited from
    # BaseHopfieldMemory, but not scikit-learn's (get_params, set_output, ...):
    # their docstrings point into scikit-learn's own documentation.
    module = getattr(obj, "__module__", None) or ""
    if what == "class" and callable(obj) and not module.startswith("sklearn_klrhop"):
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)


numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = "sklearn_klrhop"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 3,
}


# The left sidebar lists the pages below the current section. A top-level page
# without a toctree of its own (every page but the API reference, the gallery
# and the architecture page) would show an empty "Section Navigation" column
# that takes a fifth of the width: it gets no sidebar.
def _pages_without_subpages():
    here = os.path.dirname(os.path.abspath(__file__))
    pages = []
    for name in sorted(os.listdir(here)):
        if name.endswith(".rst"):
            with open(os.path.join(here, name), encoding="utf-8") as f:
                if "toctree" not in f.read():
                    pages.append(name[: -len(".rst")])
    return pages


html_sidebars = {page: [] for page in _pages_without_subpages()}
# The gallery's pages print wide outputs (reports, tables); their index and
# the breadcrumbs lead from one example to the next.
html_sidebars["auto_examples/*"] = []

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "doc_module": ("sklearn_klrhop",),
    "backreferences_dir": "generated",
    "reference_url": {"sklearn_klrhop": None},
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # The page of execution times loads jQuery and DataTables from a CDN; the
    # pages must work offline, and the times belong to the build machine.
    "write_computation_times": False,
}

# Matplotlib in the gallery runs headless.
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings(
    "ignore", category=UserWarning, message="Matplotlib is currently using agg"
)
