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
