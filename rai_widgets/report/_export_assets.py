"""The CSS and the JavaScript inlined into every exported HTML report.

Kept as string constants (not package data files) so that an installed wheel always has them.
The script never writes data through ``innerHTML``: every string that came from data is set with
``textContent``, and the data itself is read with ``JSON.parse`` from a
``<script type="application/json">`` block whose ``<``, ``>`` and ``&`` are escaped.
"""

from __future__ import annotations

__all__ = ["EXPORT_CSS", "EXPORT_JS"]

EXPORT_CSS = """
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
.rai-x-page { max-width: 1180px; margin: 0 auto; padding: 18px 24px 40px 24px; }
.rai-x-page h1 { font-size: 24px; margin: 0 0 4px 0; }
.rai-x-page h2 { font-size: 19px; margin: 0 0 6px 0; }
.rai-x-sub { color: #57606a; margin: 0 0 10px 0; }
.rai-x-nav { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 4px 0; padding: 8px 0;
  border-top: 1px solid #d0d7de; border-bottom: 1px solid #d0d7de; }
.rai-x-nav a { color: #0969da; text-decoration: none; }
.rai-x-nav a:hover { text-decoration: underline; }
.rai-x-section { margin: 26px 0 0 0; }
.rai-x-lead { color: #57606a; margin: 0 0 10px 0; max-width: 880px; }
.rai-x-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px;
  margin: 8px 0; }
.rai-x-controls label { font-weight: 600; }
.rai-x-controls select { font: inherit; padding: 3px 6px; max-width: 420px; }
.rai-x-metrics { font-size: 16px; padding: 8px 12px; background: #f6f8fa; border-radius: 4px;
  border-left: 4px solid #0072b2; margin: 6px 0; max-width: 880px; }
.rai-x-note { color: #57606a; margin: 6px 0; max-width: 880px; }
.rai-x-note.rai-x-capped { color: #7a4b00; background: #fff8e6; padding: 6px 10px;
  border-radius: 4px; border-left: 4px solid #e69f00; }
.rai-x-scroll { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 4px; }
.rai-x-table { border-collapse: collapse; font-size: 13px; white-space: nowrap; width: 100%; }
.rai-x-table th { position: sticky; top: 0; background: #f6f8fa; text-align: left;
  font-weight: 600; border-bottom: 1px solid #d0d7de; }
.rai-x-table th, .rai-x-table td { padding: 4px 9px; }
.rai-x-table td { border-bottom: 1px solid #eee; }
.rai-x-table th.rai-x-out, .rai-x-table td.rai-x-out { background: #f3f8fc; }
.rai-x-table th.rai-x-last, .rai-x-table td.rai-x-last { border-right: 2px solid #d0d7de; }
.rai-x-table tr.rai-x-wrong td { background: #fdf0e9; }
.rai-x-table tr.rai-x-wrong td.rai-x-flag { color: #a33d00; font-weight: 600; }
.rai-x-pager { display: flex; align-items: center; gap: 10px; margin: 8px 0; }
.rai-x-pager button { font: inherit; padding: 3px 12px; cursor: pointer; }
.rai-x-pager button:disabled { cursor: default; }
.rai-x-legend { color: #57606a; font-size: 13px; }
.rai-x-swatch { display: inline-block; width: 12px; height: 12px; background: #fdf0e9;
  border: 1px solid #e5b9a0; vertical-align: -2px; margin: 0 3px 0 0; }
.rai-x-static { overflow-x: auto; }
.rai-x-static svg { max-width: 100%; height: auto; }
.rai-x-problem { color: #8a1c1c; background: #fdecea; padding: 8px 12px; border-radius: 4px; }
.rai-x-footer { margin-top: 34px; padding-top: 10px; border-top: 1px solid #d0d7de;
  color: #57606a; font-size: 12px; }
.rai-x-footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
  margin: 4px 0; }
.rai-x-footer dt { font-weight: 600; }
.rai-x-footer dd { margin: 0; }
body.rai-presenter { font-size: 18px; }
body.rai-presenter .rai-x-page { max-width: 1400px; }
body.rai-presenter .rai-x-page h1 { font-size: 32px; }
body.rai-presenter .rai-x-page h2 { font-size: 25px; }
body.rai-presenter .rai-x-metrics { font-size: 21px; }
body.rai-presenter .rai-x-table { font-size: 16px; }
body.rai-presenter .rai-x-legend { font-size: 15px; }
body.rai-presenter .rai-x-static { zoom: 1.2; }
body.rai-presenter .rai-tech { display: none; }
@media print { .rai-x-pager, .rai-x-nav { display: none; } }
"""

EXPORT_JS = r"""
(function () {
  "use strict";
  var source = document.getElementById("rai-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var columns = data.columns;
  var codes = data.codes;
  var wrong = data.wrong;
  var pageSize = data.page_size;
  var state = { slice: 0, page: 0 };
  function byId(id) { return document.getElementById(id); }
  function setText(id, text) { var el = byId(id); if (el) { el.textContent = text; } }
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function shownCount(slice) { return slice.rows ? slice.rows.length : slice.first; }
  function render() {
    var slice = data.slices[state.slice];
    var n = shownCount(slice);
    var pages = Math.max(1, Math.ceil(n / pageSize));
    if (state.page > pages - 1) { state.page = pages - 1; }
    if (state.page < 0) { state.page = 0; }
    setText("rai-metrics", slice.metrics);
    var note = byId("rai-note");
    if (note) {
      note.textContent = slice.note;
      note.className = slice.capped ? "rai-x-note rai-x-capped" : "rai-x-note";
    }
    var body = byId("rai-rows");
    if (!body) { return; }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var start = state.page * pageSize;
    var end = Math.min(n, start + pageSize);
    for (var i = start; i < end; i++) {
      var r = slice.rows ? slice.rows[i] : i;
      var tr = document.createElement("tr");
      if (wrong && wrong[r]) { tr.className = "rai-x-wrong"; }
      for (var c = 0; c < columns.length; c++) {
        var td = document.createElement("td");
        td.textContent = columns[c].values[codes[c][r]];
        if (columns[c].cls) { td.className = columns[c].cls; }
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    var counter = "page " + grouped(state.page + 1) + " of " + grouped(pages);
    setText("rai-page", n ? counter : "no rows to show");
    var prev = byId("rai-prev");
    var next = byId("rai-next");
    if (prev) { prev.disabled = state.page <= 0; }
    if (next) { next.disabled = state.page >= pages - 1; }
  }
  var select = byId("rai-slice");
  if (select) {
    select.addEventListener("change", function () {
      state.slice = select.selectedIndex;
      state.page = 0;
      render();
    });
    state.slice = Math.max(0, select.selectedIndex);
  }
  var prevButton = byId("rai-prev");
  var nextButton = byId("rai-next");
  if (prevButton) {
    prevButton.addEventListener("click", function () { state.page -= 1; render(); });
  }
  if (nextButton) {
    nextButton.addEventListener("click", function () { state.page += 1; render(); });
  }
  render();
})();
"""
