"""Sphinx configuration of the rai_widgets documentation site.

Build it with ``scripts/docs`` (``sphinx-build -W --keep-going -b html docs docs/_build/html``).
The notebooks in ``notebooks/*.ipynb`` are copied into ``docs/notebooks/`` (git-ignored) before
every build and executed by myst-nb; the pages show each widget's static ``text/html`` picture,
never the live widget view, so the site needs no CDN and works offline.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import rai_widgets

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

# On a 2-core machine OpenMP/BLAS oversubscription slows model fitting and SHAP by 10-50x
# (docs/computation.md); the notebook kernels inherit this environment.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# The pages are pictures by design: no view waits for a front end, none gets the line that
# says its live view did not load (docs/where_it_runs.md).
os.environ.setdefault("RAI_WIDGETS_FRONT_END_WAIT", "off")


def _copy_notebooks() -> list[str]:
    """Copy every ``notebooks/*.ipynb`` into ``docs/notebooks/``; remove stale copies.

    A copy keeps its original's modification time and is rewritten only when the original
    changed, so an incremental ``sphinx-build`` re-executes only the notebooks that changed.
    """
    target = DOCS / "notebooks"
    target.mkdir(exist_ok=True)
    originals = {p.name: p for p in sorted((REPO / "notebooks").glob("*.ipynb"))}
    for copy in target.glob("*.ipynb"):
        if copy.name not in originals:
            copy.unlink()
    for name, notebook in originals.items():
        copy = target / name
        if not copy.exists() or copy.read_bytes() != notebook.read_bytes():
            shutil.copy2(notebook, copy)
    return [p.stem for p in originals.values()]


NOTEBOOKS = _copy_notebooks()

# -- project -----------------------------------------------------------------------------------

project = "rai_widgets"
author = "rai_widgets developers"
copyright = "rai_widgets developers"
release = rai_widgets.__version__
version = release

extensions = [
    "rai_docs_ext",  # docs/_ext: the hooks of this site
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
templates_path = ["_templates"]

# -- MyST and notebooks ------------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
# anchors named as Jupyter names them, so a notebook's links to its own headings work here too
myst_heading_slug_func = "rai_docs_ext.jupyter_slug"

# "force": every notebook runs at every build. RAI_DOCS_EXECUTE=off shows the outputs saved in
# the notebooks instead: quick, for working on the text only.
nb_execution_mode = os.environ.get("RAI_DOCS_EXECUTE", "force")
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_in_temp = True  # files a notebook writes (an export, a model card) stay out of docs/
nb_merge_streams = True

# Our widgets put a static text/html picture of their state next to the widget view in their
# mime bundle. Show the picture and drop the widget view: the live view needs a kernel, and the
# ipywidgets html-manager myst-nb would add comes from a CDN.
nb_mime_priority_overrides = [
    ("*", "application/vnd.jupyter.widget-view+json", None),
    ("*", "application/javascript", None),
]
nb_ipywidgets_js: dict = {}

# -- API reference -----------------------------------------------------------------------------

autosummary_generate = True
autosummary_imported_members = True
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc "Parameters" sections say the types
autodoc_inherit_docstrings = False  # ipywidgets' own docstrings are not ours to format

numpydoc_show_class_members = False  # autodoc's :members: lists them, once
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- HTML --------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"rai_widgets {release}"
html_static_path = ["_static"]
html_css_files = ["rai_docs.css"]
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {"navigation_with_keys": True}  # Furo: system fonts, nothing fetched
