"""A small clickable table widget (anywidget, no build step, no CDN).

Its JavaScript and CSS are the files ``assets/table.js`` and ``assets/table.css`` next to this
module.

The kernel sends only the rows of the current page as text; the browser draws them with
``textContent`` (so data is never parsed as HTML) and sends back clicks: a row selection, or a
header to sort by. A page travels as *one* synced value (headers, rows, error flags and sort
together), so no interleaving of messages can draw new rows with the previous page's flags.

Examples
--------
>>> table = PageTable()
>>> table.show(columns=["a"], rows=[["1"], ["<b>"]], flags=[False, True])
>>> table.flags, table.selected_index
([False, True], -1)
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import anywidget
import traitlets

__all__ = ["PageTable"]

_ASSETS = Path(__file__).parent / "assets"


class PageTable(anywidget.AnyWidget):
    """One page of rows as a clickable table.

    Attributes
    ----------
    page : traitlets.Dict
        The page shown: ``columns`` (header texts), ``rows`` (cells as text), ``flags`` (rows
        to highlight as wrong predictions), ``sort_by`` and ``ascending``; set it with
        :meth:`show`. ``columns``, ``rows`` and ``flags`` read it back.
    selected_index : int
        Position on the page of the clicked row (-1 for none).
    sort_request, sort_clicks : traitlets
        The header clicked last, and a click counter (so a second click on the same header
        registers).
    """

    _esm = _ASSETS / "table.js"
    _css = _ASSETS / "table.css"
    page = traitlets.Dict(
        {"columns": [], "rows": [], "flags": [], "sort_by": "", "ascending": True}
    ).tag(sync=True)
    selected_index = traitlets.Int(-1).tag(sync=True)
    sort_request = traitlets.Unicode("").tag(sync=True)
    sort_clicks = traitlets.Int(0).tag(sync=True)

    def show(
        self,
        *,
        columns: list[str],
        rows: list[list[str]],
        flags: list[bool],
        sort_by: str = "",
        ascending: bool = True,
    ) -> None:
        """Replace the page in one message: headers, cells, error flags and sort together.

        Parameters
        ----------
        columns : list of str
            Header texts.
        rows : list of list of str
            The cells, as text.
        flags : list of bool
            Rows to highlight (wrong predictions); one per row.
        sort_by : str, default ""
            The header that shows the sort arrow.
        ascending : bool, default True
            The arrow's direction.
        """
        if len(flags) != len(rows):
            raise ValueError(f"{len(flags)} flags for {len(rows)} rows")
        with self.hold_sync():
            self.selected_index = -1
            self.page = {
                "columns": [str(c) for c in columns],
                "rows": [[str(v) for v in row] for row in rows],
                "flags": [bool(f) for f in flags],
                "sort_by": str(sort_by),
                "ascending": bool(ascending),
            }

    @property
    def columns(self) -> list[str]:
        """Header texts of the page shown."""
        return [str(c) for c in cast(list, self.page["columns"])]

    @property
    def rows(self) -> list[list[str]]:
        """Cells of the page shown, as text."""
        return [list(r) for r in cast(list, self.page["rows"])]

    @property
    def flags(self) -> list[bool]:
        """Which rows of the page shown are highlighted as errors."""
        return [bool(f) for f in cast(list, self.page["flags"])]
