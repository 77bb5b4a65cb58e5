"""A small clickable table widget (anywidget, inline JavaScript, no build step, no CDN).

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

import anywidget
import traitlets

__all__ = ["PageTable"]

_ESM = """
function render({ model, el }) {
  const draw = () => {
    el.replaceChildren();
    const table = document.createElement("table");
    table.className = "rai-table";
    const columns = model.get("columns");
    const rows = model.get("rows");
    const flags = model.get("flags");
    const selected = model.get("selected_index");
    const sortBy = model.get("sort_by");
    const ascending = model.get("ascending");
    const head = table.createTHead().insertRow();
    columns.forEach((name) => {
      const th = document.createElement("th");
      th.textContent = name + (name === sortBy ? (ascending ? " \\u25B2" : " \\u25BC") : "");
      th.title = "Sort by " + name;
      th.addEventListener("click", () => {
        model.set("sort_request", name);
        model.set("sort_clicks", model.get("sort_clicks") + 1);
        model.save_changes();
      });
      head.appendChild(th);
    });
    const body = table.createTBody();
    rows.forEach((values, i) => {
      const tr = body.insertRow();
      tr.className = "rai-table-row" + (flags[i] ? " rai-error-row" : "") +
        (i === selected ? " rai-selected-row" : "");
      tr.dataset.index = String(i);
      values.forEach((value) => { tr.insertCell().textContent = value; });
      tr.addEventListener("click", () => {
        model.set("selected_index", i);
        model.save_changes();
      });
    });
    const scroller = document.createElement("div");
    scroller.style.overflowX = "auto";
    scroller.appendChild(table);
    el.appendChild(scroller);
  };
  model.on("change:rows", draw);
  model.on("change:selected_index", draw);
  model.on("change:sort_by", draw);
  model.on("change:ascending", draw);
  draw();
}
export default { render };
"""

_CSS = """
.rai-table { border-collapse: collapse; font: 13px system-ui, -apple-system, 'Segoe UI', sans-serif;
  width: 100%; }
.rai-table th { text-align: left; background: #f0f2f5; padding: 5px 8px; cursor: pointer;
  white-space: nowrap; border-bottom: 2px solid #ccd; user-select: none; }
.rai-table td { padding: 4px 8px; border-bottom: 1px solid #eee; white-space: nowrap;
  max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
.rai-table tr.rai-table-row { cursor: pointer; }
.rai-table tr.rai-table-row:hover td { background: #f5f9ff; }
.rai-table tr.rai-error-row td { background: #fff1ec; }
.rai-table tr.rai-error-row td:first-child { border-left: 4px solid #d55e00; }
.rai-table tr.rai-selected-row td { background: #dcecff; font-weight: 600; }
"""


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

    _esm = _ESM
    _css = _CSS
    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    rows = traitlets.List(traitlets.List()).tag(sync=True)
    flags = traitlets.List(traitlets.Bool()).tag(sync=True)
    selected_index = traitlets.Int(-1).tag(sync=True)
    sort_request = traitlets.Unicode("").tag(sync=True)
    sort_clicks = traitlets.Int(0).tag(sync=True)
    sort_by = traitlets.Unicode("").tag(sync=True)
    ascending = traitlets.Bool(True).tag(sync=True)
