// The front end of SinglePageDashboard (rai_widgets/widgets/single_page.py).
// Every piece of HTML it shows was built by rai_widgets' Python renderers, which escape every
// string; tab titles go in as text. What it sends back are numbers: a tab, a page, a row's place.
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

  const rows = () => Array.from(body.querySelectorAll(".rai-single-page-rows tr"))
    .filter((tr) => tr.querySelector("td") !== null);
  const markRow = () => {
    const place = model.get("highlighted");
    rows().forEach((tr, i) => tr.classList.toggle("rai-selected-row", i === place));
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
      button.addEventListener("click", () => {
        model.set("tab", i);
        model.save_changes();
      });
      tabs.appendChild(button);
    });
  };
  const drawBody = () => {
    const view = model.get("views")[model.get("tab")];
    const html = model.get("sections")[view];
    body.setAttribute("aria-busy", String(html === undefined));
    body.dataset.view = view;
    body.innerHTML = html === undefined ? "" : html;
    markRow();
  };
  body.addEventListener("click", (event) => {
    const step = event.target.closest("[data-rai-step]");
    if (step !== null && body.contains(step)) {
      model.set("page", model.get("page") + Number(step.dataset.raiStep));
      model.save_changes();
      return;
    }
    const tr = event.target.closest("tr");
    const place = tr === null ? -1 : rows().indexOf(tr);
    if (place >= 0) {
      model.set("row_position", place);
      model.set("row_clicks", model.get("row_clicks") + 1);
      model.save_changes();
    }
  });
  model.on("change:stylesheet", drawStyle);
  model.on("change:header", drawHeader);
  model.on("change:tabs", drawTabs);
  model.on("change:tab", () => { drawTabs(); drawBody(); });
  model.on("change:sections", drawBody);
  model.on("change:highlighted", markRow);
  drawStyle();
  drawHeader();
  drawTabs();
  drawBody();
}
export default { render };
