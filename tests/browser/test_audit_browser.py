"""The Dashboard's first tab in a real JupyterLab: "What to look at first", and a click on a
finding that lands on the view and the slice it names."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = ADULT_SESSION + "board = rw.Dashboard(session)\nboard\n"
WHERE = re.compile(r"^See (?P<tab>.+?), for (?P<slice>.+) \((?P<n>[\d,]+) rows\)$")


def _tab(page, title: str):
    return page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text=title)


def test_a_finding_opens_its_view_and_slice(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "audit.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    board = page.locator(".rai-dashboard")
    # the audit is the first tab, and the one shown
    first = page.locator(".rai-dashboard-tabs .lm-TabBar-tab").first
    expect(first).to_have_text("What to look at")
    expect(first).to_have_class(re.compile("lm-mod-current"))
    audit = board.locator(".rai-audit-view")
    expect(audit).to_contain_text("What to look at first")
    expect(audit).to_contain_text("Concerns (")
    expect(audit.locator(".rai-audit-finding").first).to_be_visible()
    save_tall_screenshot(page, "audit-tab", element=".rai-dashboard")

    # the first concern that names one group: click it
    rows = audit.locator(".rai-audit-row.rai-audit-concern")
    target = None
    for i in range(rows.count()):
        where = rows.nth(i).locator(".rai-audit-where")
        visible = rows.nth(i).is_visible()
        if visible and rows.nth(i).locator(".rai-audit-finding").count() and where.count():
            match = WHERE.match(where.inner_text().strip())
            if match and " & " not in match["slice"]:
                target = (rows.nth(i), match)
                break
    assert target is not None, "no concern names one group"
    row, match = target
    row.locator(".rai-audit-finding").click()

    # lands on the tab it names, every view following the slice it names
    expect(_tab(page, match["tab"])).to_have_class(re.compile("lm-mod-current"), timeout=30_000)
    following = page.locator(".rai-dashboard-following")
    expect(following).to_contain_text(f"{match['slice']} ({match['n']} rows)", timeout=30_000)
    expect(row).to_have_class(re.compile("rai-audit-selected"))
    column, value = match["slice"].split(" = ", 1)
    if match["tab"] == "Fairness by group":
        fairness = board.locator(".rai-fairness-view")
        expect(fairness).to_be_visible()
        save_tall_screenshot(page, "audit-clicked-fairness", element=".rai-dashboard")
    _tab(page, "Examples").click()
    status = board.locator(".rai-example-status")
    expect(status).to_contain_text(f"{match['n']} rows match")
    headers = board.locator(".rai-example-table th").all_inner_texts()
    if column in headers:
        cells = board.locator(".rai-example-table tr.rai-table-row")
        expect(cells.first.locator("td").nth(headers.index(column))).to_have_text(value)

    # presenter mode: the concerns only
    _tab(page, "What to look at").click()
    page.locator(".rai-dashboard .rai-presenter-toggle input").check()
    expect(page.locator(".rai-dashboard.rai-presenter")).to_be_visible()
    notes = audit.locator(".rai-audit-row.rai-audit-note")
    if notes.count():
        expect(notes.first).to_be_hidden()
    expect(audit.locator(".rai-audit-passed")).to_be_hidden()
    expect(audit).to_contain_text("need attention")
    save_tall_screenshot(page, "audit-presenter", element=".rai-dashboard")
    page_log.assert_clean()
