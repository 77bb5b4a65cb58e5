function render({ model, el }) {
  const draw = () => {
    el.replaceChildren();
    const table = document.createElement("table");
    table.className = "rai-table";
    // one snapshot: headers, rows, flags and sort always belong to the same page
    const page = model.get("page");
    const columns = page.columns, rows = page.rows, flags = page.flags;
    const sortBy = page.sort_by, ascending = page.ascending;
    const selected = model.get("selected_index");
    const head = table.createTHead().insertRow();
    columns.forEach((name) => {
      const th = document.createElement("th");
      th.textContent = name + (name === sortBy ? (ascending ? " \u25B2" : " \u25BC") : "");
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
      tr.className = "rai-table-row" + (flags[i] === true ? " rai-error-row" : "") +
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
  model.on("change:page", draw);
  model.on("change:selected_index", draw);
  draw();
}
export default { render };
