// The front end of SinglePageDashboard (rai_widgets/widgets/single_page.py).
// Every piece of HTML it shows was built by rai_widgets' Python renderers, which escape every
// string; tab titles go in as text. What it sends back are numbers: a tab, a page, a row's
// place, a slice's or a query's place among the pickers' choices, a finding's row, a header's
// place, and for a what-if a column's place, a number typed or a value's place, a change's place;
// for a control of the fairness or uncertainty tab (data-rai-control) its name, an option's
// place, 1 or 0 for a checkbox, or a group's place (data-rai-place) and its slider's value.
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "rai-single-page";
  const style = document.createElement("div");
  const header = document.createElement("div");
  const tabs = document.createElement("div");
  tabs.className = "rai-single-page-tabs";
  tabs.setAttribute("role", "tablist");
  const body = document.createElement("div");
  body.className = "rai-single-page-body";
  body.setAttribute("role", "tabpanel");
  root.append(style, header, tabs, body);
  el.appendChild(root);

  // The place of a row clicked here whose detail is still to be shown (-1: none). The detail
  // is drawn under the page's rows, out of sight: it is scrolled into view once it is drawn.
  let detailFor = -1;
  const send = (changes, counter) => {
    detailFor = "row_position" in changes ? changes.row_position : -1;
    Object.entries(changes).forEach(([name, value]) => model.set(name, value));
    if (counter) model.set(counter, model.get(counter) + 1);  // a second click registers too
    model.save_changes();
  };
  const rows = () => Array.from(body.querySelectorAll(".rai-single-page-rows tr"))
    .filter((tr) => tr.querySelector("td") !== null);
  const heads = () => Array.from(body.querySelectorAll(".rai-single-page-rows th"));
  const markRow = () => {
    const place = model.get("highlighted");
    rows().forEach((tr, i) => tr.classList.toggle("rai-selected-row", i === place));
    const detail = body.querySelector(".rai-detail");
    if (detailFor >= 0 && place === detailFor && detail !== null) {
      detailFor = -1;
      detail.scrollIntoView({ block: "nearest" });
    }
  };
  const markSort = () => {
    const place = model.get("sorted_place");
    const order = model.get("ascending") ? "ascending" : "descending";
    heads().forEach((th, i) => {
      if (i === place) th.setAttribute("aria-sort", order);
      else th.removeAttribute("aria-sort");
    });
  };
  // The case's what-if editor and the pinned cases: drawn in their places of the example
  // rows' tab (data-rai-fill names the trait), redrawn alone when their trait changes.
  const FILLS = ["what_if_html", "pinned_html"];
  const drawFills = () => {
    body.querySelectorAll("[data-rai-fill]").forEach((place) => {
      const name = place.dataset.raiFill;
      if (FILLS.includes(name)) place.innerHTML = model.get(name);
    });
  };
  const tryWhatIf = () => {
    const number = body.querySelector('[data-rai-what-if="number"]');
    const choice = body.querySelector('[data-rai-what-if="choice"]');
    let value = null;  // no number typed: Python says what to type
    if (number !== null && Number.isFinite(number.valueAsNumber)) value = number.valueAsNumber;
    if (choice !== null) value = Number(choice.value);
    send({ what_if_value: value }, "what_if_clicks");
  };
  const drawStyle = () => { style.innerHTML = model.get("stylesheet"); };
  const drawHeader = () => { header.innerHTML = model.get("header"); };
  const drawTabs = () => {
    const shown = model.get("tab");
    tabs.replaceChildren();
    model.get("tabs").forEach((title, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "rai-single-page-tab";
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", String(i === shown));
      button.textContent = title;
      button.addEventListener("click", () => send({ tab: i }));
      tabs.appendChild(button);
    });
  };
  const drawBody = () => {
    const view = model.get("views")[model.get("tab")];
    const html = model.get("sections")[view];
    body.setAttribute("aria-busy", String(html === undefined));
    body.dataset.view = view;
    body.innerHTML = html === undefined ? "" : html;
    drawFills();
    markRow();
    markSort();
  };
  header.addEventListener("change", (event) => {
    const picker = event.target.closest("[data-rai-slice]");
    if (picker !== null) send({ slice_choice: Number(picker.value) });
    const presenter = event.target.closest("[data-rai-presenter]");
    if (presenter !== null) send({ presenter: presenter.checked });
  });
  header.addEventListener("click", (event) => {
    if (event.target.closest("[data-rai-clear]") !== null) send({ slice_choice: 0 });
  });
  // A control of the fairness or uncertainty tab: one message for any of them.
  const sendControl = (control, value) => {
    const place = control.dataset.raiPlace === undefined ? -1 : Number(control.dataset.raiPlace);
    send({ control: control.dataset.raiControl, control_place: place, control_value: value },
      "control_clicks");
  };
  body.addEventListener("input", (event) => {
    const slider = event.target.closest('input[type="range"][data-rai-control]');
    const output = slider === null ? null : slider.parentElement.querySelector("output");
    if (output !== null) output.textContent = Number(slider.value).toFixed(3);  // while it moves
  });
  body.addEventListener("change", (event) => {
    const control = event.target.closest("select[data-rai-control], input[data-rai-control]");
    if (control !== null) {
      if (control.type === "checkbox") sendControl(control, control.checked ? 1 : 0);
      else sendControl(control, Number(control.value));
      return;
    }
    const query = event.target.closest("[data-rai-query]");
    if (query !== null) send({ query_choice: Number(query.value) });
    const column = event.target.closest('[data-rai-what-if="column"]');
    if (column !== null) send({ what_if_column: Number(column.value) });
  });
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest('[data-rai-what-if="number"]') !== null) {
      event.preventDefault();
      tryWhatIf();
    }
  });
  body.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-rai-control]");
    if (button !== null) {
      sendControl(button, null);
      return;
    }
    if (event.target.closest("[data-rai-control]") !== null) return;  // sent when it changes
    if (event.target.closest('[data-rai-what-if="try"]') !== null) {
      tryWhatIf();
      return;
    }
    const remove = event.target.closest("[data-rai-what-if-remove]");
    if (remove !== null) {
      send({ what_if_remove: Number(remove.dataset.raiWhatIfRemove) }, "what_if_remove_clicks");
      return;
    }
    if (event.target.closest("[data-rai-pin]") !== null) {
      send({}, "pin_clicks");
      return;
    }
    const unpin = event.target.closest("[data-rai-unpin]");
    if (unpin !== null) {
      send({ unpin_place: Number(unpin.dataset.raiUnpin) }, "unpin_clicks");
      return;
    }
    if (event.target.closest("[data-rai-fill]") !== null) return;
    const step = event.target.closest("[data-rai-step]");
    if (step !== null) {
      send({ page: model.get("page") + Number(step.dataset.raiStep) });
      return;
    }
    const finding = event.target.closest("[data-rai-finding]");
    if (finding !== null) {
      send({ finding_row: Number(finding.dataset.raiFinding) }, "finding_clicks");
      return;
    }
    const th = event.target.closest("th");
    const column = th === null ? -1 : heads().indexOf(th);
    if (column >= 0) {
      send({ sort_column: column }, "sort_clicks");
      return;
    }
    const tr = event.target.closest("tr");
    const place = tr === null ? -1 : rows().indexOf(tr);
    if (place >= 0) {
      send({ row_position: place }, "row_clicks");
      markRow();  // the row shown already: its detail is there to scroll to
    }
  });
  model.on("change:stylesheet", drawStyle);
  model.on("change:header", drawHeader);
  model.on("change:tabs", drawTabs);
  model.on("change:tab", () => { drawTabs(); drawBody(); });
  model.on("change:sections", drawBody);
  model.on("change:highlighted", markRow);
  model.on("change:sorted_place", markSort);
  FILLS.forEach((name) => model.on(`change:${name}`, drawFills));
  model.on("change:ascending", markSort);
  drawStyle();
  drawHeader();
  drawTabs();
  drawBody();
}
export default { render };
