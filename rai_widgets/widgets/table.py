"""A small clickable table widget (anywidget, no build step, no CDN).

Its JavaScript and CSS are the files ``assets/table.js`` and ``assets/table.css`` next to this
module.

The kernel sends only the rows of the current page as text; the browser draws them with
``textContent`` (so data is never parsed as HTML) and sends back clicks: a row selection, or a
header to sort by.

Examples
--------
>>> table = PageTable(columns=["a"], rows=[["1"], ["<b>"]], flags=[False, True])
>>> table.selected_index
-1
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

__all__ = ["PageTable"]

_ASSETS = Path(__file__).parent / "assets"


class PageTable(anywidget.AnyWidget):
    """One page of rows as a clickable table.

    Attributes
    ----------
    columns : list of str
        Header texts.
    rows : list of list of str
        The page's cells, as text.
    flags : list of bool
        Rows to highlight (wrong predictions).
    selected_index : int
        Position on the page of the clicked row (-1 for none).
    sort_request, sort_clicks : traitlets
        The header clicked last, and a click counter (so a second click on the same header
        registers).
    sort_by, ascending : traitlets
        The current sort, shown as an arrow in its header.
    """

    _esm = _ASSETS / "table.js"
    _css = _ASSETS / "table.css"
    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List(traitlets.List()).tag(sync=True)
    flags = traitlets.List(traitlets.Bool()).tag(sync=True)
    selected_index = traitlets.Int(-1).tag(sync=True)
    sort_request = traitlets.Unicode("").tag(sync=True)
    sort_clicks = traitlets.Int(0).tag(sync=True)
    sort_by = traitlets.Unicode("").tag(sync=True)
    ascending = traitlets.Bool(True).tag(sync=True)
