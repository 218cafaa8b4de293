"""Sphinx configuration for the sklearn_klrhop documentation."""

import os
import sys
import warnings

sys.path.insert(0, os.path.abspath(".."))

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
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
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
]
default_role = "literal"
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}


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
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}

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
}

# Matplotlib in the gallery runs headless.
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings(
    "ignore", category=UserWarning, message="Matplotlib is currently using agg"
)
