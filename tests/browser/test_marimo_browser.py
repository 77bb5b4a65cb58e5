"""The Dashboard is live in marimo: ``notebooks/marimo_dashboard.py`` served by ``marimo run``
on 127.0.0.1 (offline), read in Chromium; a row clicked in the example browser opens that case's
detail (scrolled into sight under the rows, and painted: its text is where the browser draws
it), and the explanation tab explains that row; the fairness tab draws the threshold curves; a
slice picked is followed (its rows, as pandas counts them), a header sorts, a finding's "Show
evidence" opens its tab and slice, and the notebook's later cell reads ``board.selected_row``
and ``board.selected_slice`` back; the fairness tab's grouping, metric and a group's decision
threshold, and the uncertainty tab's promised coverage and grouping, each picked on the page,
show the numbers scikit-learn and numpy find (and ``board.fairness.by`` reads the grouping).

Screenshots are of the viewport, with what they show scrolled into it: marimo scrolls its page
in an element of its own, and a screenshot of an element taller than the window comes out blank
below the window (the page itself is drawn; the tests read it where it is).

The server is started here (marimo is not one of the servers of ``conftest.py``) on a free port,
with its config and caches in a temporary directory, and stopped by its PID.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rai_widgets import formatting
from tests.browser.helpers import REPO_ROOT, expect, save_screenshot

pytest.importorskip("marimo")

NOTEBOOK = REPO_ROOT / "notebooks" / "marimo_dashboard.py"
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 15.0
# The Dashboard computes its tabs in the kernel; a loaded 2-core machine needs time for it.
DRAWN_MS = 240_000
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class MarimoServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with _OPENER.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the server we started, SIGKILL if it hangs; then its own process group (started
    with a new session, so the group is ours alone: a kernel it left behind)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def marimo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MarimoServer]:
    home = tmp_path_factory.mktemp("marimo")
    env = dict(os.environ)
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
    ):
        env[name] = str(home / sub)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    marimo = [sys.executable, "-m", "marimo"]
    port = _free_port()
    log_path = home / f"marimo-{port}.log"
    argv = [
        *marimo,
        "run",
        str(NOTEBOOK),
        "--headless",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-token",
        "--no-sandbox",
        "--no-skew-protection",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = MarimoServer(f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not _answers(server.url + "/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"marimo run did not start. Log tail:\n{server.log_tail()}")
            time.sleep(0.25)
        yield server
    finally:
        _stop(process)


SENSITIVE = "personal_status_and_sex"
EVIDENCE = re.compile(
    r"^Show evidence: See (?P<tab>.+?), for (?P<slice>.+?) \((?P<n>[\d,]+) rows\)$"
)


# Is an element drawn where it is, not hidden under another nor cut off by a scrolling parent:
# the element the browser finds at its centre is it or inside it (read in its shadow root).
PAINTED = """(el) => {
  const r = el.getBoundingClientRect();
  const hit = el.getRootNode().elementFromPoint(r.left + Math.min(r.width / 2, 40),
                                                r.top + Math.min(r.height / 2, 40));
  return r.width > 0 && r.height > 0 && hit !== null && el.contains(hit);
}"""


def _notebook_fit():
    """The notebook's data (X, y) and its model, fitted again here by scikit-learn."""
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    import rai_widgets as rw

    data = rw.datasets.load_german_credit()
    X, y = data.data, data.target
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
        (StandardScaler(), make_column_selector(dtype_include="number")),
    )
    return X, y, make_pipeline(encode, LogisticRegression(max_iter=1000)).fit(X, y)


def _notebook_model() -> tuple[list[str], list[int]]:
    """The row labels of the notebook's data as the example browser shows them (X's order),
    and the model's chance of "good" for each, in whole percent: the notebook's model, fitted
    again here by scikit-learn."""
    X, _, model = _notebook_fit()
    good = list(model.classes_).index("good")
    chances = [round(100 * p) for p in model.predict_proba(X)[:, good]]
    return [formatting.row_label(label) for label in X.index], chances


def test_a_clicked_row_opens_its_case_and_its_explanation(marimo_server, page, page_log):
    import rai_widgets as rw

    labels, chances = _notebook_model()
    groups = sorted(rw.datasets.load_german_credit().data[SENSITIVE].astype(str).unique())
    page.goto(marimo_server.url, wait_until="domcontentloaded")
    dashboard = page.locator(".rai-single-page")
    expect(dashboard).to_be_visible(timeout=DRAWN_MS)
    # the live view: its tabs, the first (the audit) drawn
    tabs = dashboard.get_by_role("tab")
    expect(tabs).to_have_count(5)
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    body = dashboard.locator(".rai-single-page-body")
    expect(body).to_have_attribute("data-view", "audit")
    expect(body.locator(".rai-audit-title")).to_be_visible(timeout=DRAWN_MS)
    assert "Jupyter widgets are not supported" not in page.content()

    explained = {}
    for place in (4, 11):  # a row, then another: the detail and the explanation follow each
        tabs.nth(1).click()  # the example browser
        expect(body).to_have_attribute("data-view", "examples")
        rows = body.locator(".rai-single-page-rows tr:has(td)")
        expect(rows).to_have_count(20, timeout=DRAWN_MS)
        assert rows.first.locator("td").first.inner_text() == labels[0]
        rows.nth(place).click()
        title = f"Row {labels[place]}"
        expect(body.locator(".rai-detail h4").first).to_have_text(title, timeout=DRAWN_MS)
        expect(rows.nth(place)).to_have_class("rai-selected-row")
        # painted as selected: the design tokens reach marimo's shadow root (:host)
        cell = rows.nth(place).locator("td").first
        expect(cell).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
        following = dashboard.locator(".rai-dashboard-following")
        expect(following).to_contain_text(f"case {labels[place]}")
        # the detail, under the page's rows, is scrolled into sight by the click, and painted
        detail = body.locator(".rai-detail").first
        heading = detail.locator("h4").first
        expect(heading).to_be_in_viewport(timeout=DRAWN_MS)
        expect(detail).to_be_visible()
        assert heading.evaluate(PAINTED), "the case's title is not drawn where it is"
        sentence = detail.locator("p, div").filter(has_text=f"good a {chances[place]}% chance")
        expect(sentence.last).to_be_visible()
        sentence.last.scroll_into_view_if_needed()
        assert sentence.last.evaluate(PAINTED), "the case's reading is not drawn where it is"
        if place == 4:
            save_screenshot(page, "marimo-dashboard-row-clicked")  # the detail, in the window
            rows.nth(place).scroll_into_view_if_needed()
            save_screenshot(page, "marimo-dashboard-row-highlighted")

        tabs.nth(2).click()  # the explanation: of the row clicked last
        expect(body).to_have_attribute("data-view", "explanation")
        expect(body).to_contain_text(f"{chances[place]}% chance", timeout=DRAWN_MS)
        explained[place] = body.inner_text()
    assert chances[4] != chances[11] and explained[4] != explained[11]
    tabs.nth(2).scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-explanation")

    # the fairness tab's threshold panel: a curve per group, drawn (its numbers are checked
    # against numpy in tests/static_html/test_threshold_curves.py)
    tabs.nth(3).click()
    expect(body).to_have_attribute("data-view", "fairness")
    chart = body.locator("svg[aria-label='Share selected as the threshold moves']")
    expect(chart).to_be_visible(timeout=DRAWN_MS)
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_in_viewport()
    assert chart.evaluate(PAINTED), "the threshold chart is not drawn where it is"
    curves = chart.locator("polyline")
    expect(curves).to_have_count(len(groups))
    for i in range(len(groups)):
        box = curves.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, box
    names = "(svg) => [...svg.querySelectorAll('text > title')].map((t) => t.textContent)"
    legend = chart.evaluate(names)
    assert sorted(legend) == groups
    save_screenshot(page, "marimo-dashboard-threshold-curves")
    page_log.assert_clean()


def test_a_slice_a_sort_a_finding_and_the_board_follow_the_page(marimo_server, page, page_log):
    import rai_widgets as rw

    X = rw.datasets.load_german_credit().data
    value = "male : single"
    in_slice = X[X[SENSITIVE] == value]  # pandas: the slice's rows, in X's order
    page.goto(marimo_server.url, wait_until="domcontentloaded")
    dashboard = page.locator(".rai-single-page")
    expect(dashboard).to_be_visible(timeout=DRAWN_MS)
    body = dashboard.locator(".rai-single-page-body")
    expect(body.locator(".rai-audit-title")).to_be_visible(timeout=DRAWN_MS)
    tabs = dashboard.get_by_role("tab")
    following = dashboard.locator(".rai-dashboard-following")

    # a slice: every view follows it, with the rows pandas counts
    dashboard.locator("select[data-rai-slice]").select_option(label=f"{SENSITIVE} = {value}")
    rows_text = f"{formatting.count(len(in_slice))} rows"
    expect(following).to_contain_text(f"{SENSITIVE} = {value} ({rows_text})", timeout=DRAWN_MS)
    tabs.nth(1).click()
    expect(body).to_contain_text(f"{rows_text} match", timeout=DRAWN_MS)
    rows = body.locator(".rai-single-page-rows tr:has(td)")
    label = formatting.row_label
    expect(rows.first.locator("td").first).to_have_text(label(in_slice.index[0]))

    # a header sorts the slice's rows, as pandas does
    body.locator(".rai-single-page-rows th", has_text="credit_amount").click()
    by_amount = in_slice["credit_amount"].sort_values(kind="stable").index
    expect(rows.first.locator("td").first).to_have_text(label(by_amount[0]), timeout=DRAWN_MS)
    expect(body.locator("th[aria-sort=ascending]")).to_have_text("credit_amount")

    # a row clicked there is the board's: the notebook's later cell reads it from Python
    rows.nth(2).click()
    expect(following).to_contain_text(f"case {label(by_amount[2])}", timeout=DRAWN_MS)
    rows.nth(2).scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-slice-sorted-row")
    page.get_by_role("button", name="Read the board").click()
    expect(page.locator("body")).to_contain_text(
        f"board.selected_row is {by_amount[2]}; board.selected_slice is "
        f"{{'{SENSITIVE}': '{value}'}}",
        timeout=DRAWN_MS,
    )

    # a finding's "Show evidence": its tab opens, every view follows its slice
    tabs.first.click()
    button = body.locator("button[data-rai-finding][title*=', for ']").first
    expect(button).to_be_visible(timeout=DRAWN_MS)
    where = EVIDENCE.match(button.get_attribute("title") or "")
    assert where is not None, button.get_attribute("title")
    button.click()
    tab = dashboard.get_by_role("tab", name=where["tab"])
    expect(tab).to_have_attribute("aria-selected", "true", timeout=DRAWN_MS)
    expect(following).to_contain_text(f"{where['slice']} ({where['n']} rows)")
    tab.scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-evidence")
    tabs.first.click()
    expect(body.locator(".rai-audit-selected button[data-rai-finding]")).to_have_count(1)
    page_log.assert_clean()


def test_a_query_a_what_if_pins_and_presenter_mode(marimo_server, page, page_log):
    X, y, model = _notebook_fit()
    proba = model.predict_proba(X)
    wrong = (model.predict(X) != y.to_numpy()).nonzero()[0]
    confident = sorted(wrong, key=lambda i: -proba[i].max())  # stable: ties in row order
    label = formatting.row_label

    page.goto(marimo_server.url, wait_until="domcontentloaded")
    dashboard = page.locator(".rai-single-page")
    expect(dashboard).to_be_visible(timeout=DRAWN_MS)
    body = dashboard.locator(".rai-single-page-body")
    expect(body.locator(".rai-audit-title")).to_be_visible(timeout=DRAWN_MS)
    dashboard.get_by_role("tab").nth(1).click()
    rows = body.locator(".rai-single-page-rows tr:has(td)")
    expect(rows).to_have_count(20, timeout=DRAWN_MS)

    # the "Show" picker: the confident errors, as many as scikit-learn gets wrong
    body.locator("select[data-rai-query]").select_option(label="confident errors")
    expect(body).to_contain_text(f"{formatting.count(len(wrong))} rows match", timeout=DRAWN_MS)
    expect(rows.first.locator("td").first).to_have_text(label(X.index[confident[0]]))
    following = dashboard.locator(".rai-dashboard-following")
    expect(following).to_contain_text("all rows (1,000 rows)")  # a query: the example rows only
    body.locator("select[data-rai-query]").scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-query")

    # the what-if of the first of them: a shorter loan, and the model's new answer
    rows.first.click()
    case = X.index[confident[0]]
    panel = body.locator(".rai-single-page-what-if")
    expect(panel.locator("h4")).to_have_text("What if", timeout=DRAWN_MS)
    panel.locator('select[data-rai-what-if="column"]').select_option(label="duration_in_month")
    number = panel.locator('input[data-rai-what-if="number"]')
    expect(number).to_have_value(str(X.loc[case, "duration_in_month"]), timeout=DRAWN_MS)
    number.fill("6")
    panel.get_by_role("button", name="Try it").click()
    good = list(model.classes_).index("good")
    before = proba[confident[0], good]
    after = model.predict_proba(X.loc[[case]].assign(duration_in_month=6))[0, good]
    assert formatting.chance(before) != formatting.chance(after)
    summary = panel.locator(".rai-what-if-summary")
    expect(summary).to_contain_text(
        f"With duration_in_month = 6, the model gives good {formatting.chance(after)} instead "
        f"of {formatting.chance(before)}",
        timeout=DRAWN_MS,
    )
    expect(panel.locator("li")).to_have_text(
        f"duration_in_month: {X.loc[case, 'duration_in_month']} → 6 Remove"
    )
    sides = panel.locator(".rai-what-if-side")
    expect(sides).to_have_count(2)
    edited = model.predict_proba(X.loc[[case]].assign(duration_in_month=6))[0]
    for side, p in zip((0, 1), (proba[confident[0]], edited), strict=True):
        best = max(range(2), key=lambda k: p[k])
        words = f"about {round(100 * p[best])} would be {model.classes_[best]}"
        expect(sides.nth(side).locator(".rai-reading")).to_contain_text(words)
    summary.scroll_into_view_if_needed()
    assert summary.evaluate(PAINTED), "the what-if's answer is not drawn where it is"
    save_screenshot(page, "marimo-dashboard-what-if")

    # pinned: the case and the next one, side by side with the model's answers
    for place in (0, 1):
        rows.nth(place).click()
        row = label(X.index[confident[place]])
        expect(following).to_contain_text(f"case {row}", timeout=DRAWN_MS)
        body.get_by_role("button", name=f"Pin case {row} as a test case").click()
        expect(body.get_by_role("button", name=f"Case {row} is pinned")).to_be_disabled(
            timeout=DRAWN_MS
        )
    pinned = body.locator("table.rai-single-page-pinned")
    expected = [label(X.index[i]) for i in confident[:2]]
    expect(pinned.locator("th")).to_have_text(["", *expected])
    predicted = pinned.locator("tr", has_text="prediction").first.locator("td")
    expect(predicted).to_have_text(["prediction", *model.predict(X.iloc[confident[:2]])])
    pinned.scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-pinned")

    # presenter mode: the page's switch, larger type and the raw scores hidden
    switch = dashboard.locator("input[data-rai-presenter]")
    switch.check()
    expect(dashboard.locator(".rai-dashboard.rai-presenter").first).to_be_visible(timeout=DRAWN_MS)
    expect(pinned.locator("tr", has_text="proba_good")).to_have_count(0, timeout=DRAWN_MS)
    expect(switch).to_be_checked()
    switch.scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-presenter")
    page.get_by_role("button", name="Read the board").click()
    expect(page.locator("body")).to_contain_text(
        f"board.selected_row is {X.index[confident[1]]}", timeout=DRAWN_MS
    )
    page_log.assert_clean()


def test_the_fairness_and_uncertainty_tabs_own_controls(marimo_server, page, page_log):
    import numpy as np

    import rai_widgets as rw
    from rai_widgets import formatting_metrics

    X, y, model = _notebook_fit()
    good = model.predict_proba(X)[:, list(model.classes_).index("good")]
    actual = (y == "good").to_numpy()
    workers = sorted(X["foreign_worker"].unique())  # ["no", "yes"]

    page.goto(marimo_server.url, wait_until="domcontentloaded")
    dashboard = page.locator(".rai-single-page")
    expect(dashboard).to_be_visible(timeout=DRAWN_MS)
    body = dashboard.locator(".rai-single-page-body")
    expect(body.locator(".rai-audit-title")).to_be_visible(timeout=DRAWN_MS)
    tabs = dashboard.get_by_role("tab")

    # the fairness tab: grouped by foreign worker, its share selected per group as numpy finds
    tabs.nth(3).click()
    expect(body).to_have_attribute("data-view", "fairness")
    body.locator('select[data-rai-control="fairness_by"]').select_option(label="foreign_worker")
    groups = body.locator(".rai-fair table").first
    expect(groups.locator("th").first).to_have_text("foreign_worker", timeout=DRAWN_MS)
    body.locator('select[data-rai-control="fairness_metric"]').select_option(label="Selection rate")
    expect(groups.locator("th").nth(2)).to_contain_text("Selection rate", timeout=DRAWN_MS)
    for i, worker in enumerate(workers, start=1):
        rows = (X["foreign_worker"] == worker).to_numpy()
        share = formatting_metrics.metric_value("selection_rate", (good[rows] >= 0.5).mean())
        cells = groups.locator("tr").nth(i).locator("td")
        expect(cells.nth(1)).to_have_text(formatting.count(rows.sum()))
        expect(cells.nth(2)).to_have_text(share)
    body.locator('select[data-rai-control="fairness_by"]').scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-fairness-controls")

    # a decision threshold of 0.3 for foreign workers "yes": the counts numpy finds
    slider = body.locator('input[type="range"][data-rai-control="threshold"]')
    expect(slider).to_have_count(len(workers))
    slider.nth(1).evaluate(
        "(el) => { el.value = '0.3'; el.dispatchEvent(new Event('change', { bubbles: true })); }"
    )
    table = body.locator(".rai-single-page-thresholds .rai-compact table")
    row = table.locator("tr").nth(2).locator("td")
    expect(row.nth(1)).to_have_text("0.300", timeout=DRAWN_MS)
    yes = (X["foreign_worker"] == "yes").to_numpy()
    chosen = good[yes] >= 0.3
    truth = actual[yes]
    counts = [chosen.sum(), (chosen & truth).sum(), (chosen & ~truth).sum()]
    expect(row.nth(3)).to_have_text(formatting.count(counts[0]))
    expect(row.nth(4)).to_have_text(formatting.count(counts[1]))
    expect(row.nth(5)).to_have_text(formatting.count(counts[2]))
    expect(slider.nth(1)).to_have_value("0.3")
    slider.nth(1).scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-thresholds")
    page.get_by_role("button", name="Read the board").click()
    expect(page.locator("body")).to_contain_text(
        "board.fairness.by is 'foreign_worker'", timeout=DRAWN_MS
    )

    # the uncertainty tab: a promise of 95%, by foreign worker; each group's coverage is what
    # numpy finds on the session's held-out rows
    session = rw.ModelSession(
        model, X, y, sensitive_features=["personal_status_and_sex", "foreign_worker"],
        random_state=0,
    )  # fmt: skip
    held_out = X.index.isin(session.conformal(confidence_level=0.95, calibration=0.5).index)
    truth_chance = np.where(actual, good, 1 - good)
    scores = np.sort(1 - truth_chance[~held_out])
    cutoff = scores[int(np.ceil((len(scores) + 1) * 0.95)) - 1]
    covered = (1 - truth_chance) <= cutoff
    tabs.nth(4).click()
    expect(body).to_have_attribute("data-view", "uncertainty")
    body.locator('select[data-rai-control="confidence_level"]').select_option(label="95%")
    expect(body).to_contain_text("Promised 95%", timeout=DRAWN_MS)
    body.locator('select[data-rai-control="uncertainty_by"]').select_option(label="foreign_worker")
    for worker in workers:
        rows = held_out & (X["foreign_worker"] == worker).to_numpy()
        share = formatting.percent(covered[rows].mean(), 0)
        expect(
            body.locator(".rai-unc li", has_text=f"of {worker} (n={rows.sum()})")
        ).to_contain_text(f"Covered {share} ", timeout=DRAWN_MS)
    body.locator('select[data-rai-control="confidence_level"]').scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-uncertainty-controls")
    body.locator(".rai-unc li").first.scroll_into_view_if_needed()
    save_screenshot(page, "marimo-dashboard-coverage")
    page_log.assert_clean()
