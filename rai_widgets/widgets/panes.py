"""Small building blocks the views share: HTML panes with a stable CSS class, and read-only
properties that expose a pane's current HTML (what tests and the static picture read).

Examples
--------
>>> import ipywidgets as widgets
>>> class View(widgets.VBox):
...     summary_html = pane_property("_summary", "The summary line.")
...     def __init__(self):
...         self._summary = html_pane("rai-summary")
...         super().__init__([self._summary])
>>> view = View()
>>> view._summary.value = "<p>ok</p>"
>>> view.summary_html, view._summary._dom_classes
('<p>ok</p>', ('rai-summary',))
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["html_pane", "pane_property"]


def html_pane(css_class: str, **kwargs: object) -> widgets.HTML:
    """An empty ``widgets.HTML`` pane carrying ``css_class`` (so tests and styles find it).

    Parameters
    ----------
    css_class : str
        The pane's CSS class, e.g. "rai-coverage".
    **kwargs
        Passed to ``widgets.HTML`` (e.g. ``layout``).

    Returns
    -------
    ipywidgets.HTML
    """
    pane = widgets.HTML(**kwargs)
    pane.add_class(css_class)
    return pane


def pane_property(attribute: str, doc: str) -> property:
    """A read-only property returning the HTML shown in the pane stored at ``attribute``.

    Parameters
    ----------
    attribute : str
        Name of the instance attribute holding the ``widgets.HTML`` pane.
    doc : str
        The property's docstring.

    Returns
    -------
    property
    """
    return property(lambda self: getattr(self, attribute).value, doc=doc)
