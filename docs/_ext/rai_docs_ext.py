"""Sphinx hooks of the rai_widgets documentation site (listed in ``docs/conf.py``)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from sphinx.util import logging

import rai_widgets

API_PAGE = Path(__file__).resolve().parents[1] / "api.md"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

logger = logging.getLogger(__name__)


def jupyter_slug(text: str) -> str:
    """A heading's anchor as Jupyter makes it: its text, spaces turned into hyphens.

    Notebooks link to their own headings the way JupyterLab and Notebook 7 name them
    (``[glossary](#Glossary)``); the same links work on the site.

    Examples
    --------
    >>> jupyter_slug("What to look at first")
    'What-to-look-at-first'
    """
    return re.sub(r"\s", "-", text.strip())


def drop_widget_state(app, pagename, templatename, context, doctree) -> None:
    """Leave out the saved ipywidgets state myst-nb embeds: no page renders a live widget."""
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            js for js in scripts if getattr(js, "attributes", {}).get("type") != WIDGET_STATE
        ]


def check_api_covers_all(app) -> None:
    """Warn (an error under -W) when a public name is missing from ``docs/api.md``."""
    listed = set(re.findall(r"^\s*([A-Za-z_][\w.]*)\s*$", API_PAGE.read_text(), re.MULTILINE))
    missing = [n for n in rai_widgets.__all__ if not n.startswith("__") and n not in listed]
    if missing:
        logger.warning(
            "docs/api.md does not list these names of rai_widgets.__all__: %s", ", ".join(missing)
        )


def init_signature(app, what, name, obj, options, signature, return_annotation):
    """A widget's signature from its ``__init__``, not traitlets' ``__new__(*args, **kwargs)``;
    without annotations (the docstrings say the types)."""
    if what != "class" or signature != "(*args, **kwargs)" or "__init__" not in dir(obj):
        return None
    try:
        sig = inspect.signature(obj.__init__)
    except (TypeError, ValueError):
        return None
    params = [p.replace(annotation=inspect.Parameter.empty) for p in sig.parameters.values()]
    if params and params[0].name == "self":
        params = params[1:]
    bare = sig.replace(parameters=params, return_annotation=inspect.Signature.empty)
    return str(bare), None


def setup(app) -> dict:
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("builder-inited", check_api_covers_all)
    app.connect("autodoc-process-signature", init_signature)
    app.connect("html-page-context", drop_widget_state)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
