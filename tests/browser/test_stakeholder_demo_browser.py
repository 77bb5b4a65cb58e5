"""notebooks/stakeholder_demo.ipynb served by Voila on 127.0.0.1: the narration and the
Dashboard in presenter mode, opening on the audit ("What to look at"), with no code on the page,
and a concern's evidence one click away."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser.helpers import (
    REPO_ROOT,
    VOILA_TEMPLATE_CDN,
    expect,
    save_screenshot,
    save_tall_screenshot,
)

pytestmark = pytest.mark.browser

NOTEBOOK = REPO_ROOT / "notebooks" / "stakeholder_demo.ipynb"
RENDER_TIMEOUT_MS = 240_000  # Voila executes the whole notebook (a model fit on Adult) first


# "See Fairness by group, for sex = Female (5,421 rows)" under a concern
WHERE = re.compile(r"^See (?P<tab>.+?), for (?P<slice>.+) \((?P<n>[\d,]+) rows\)$")


def _tab(page, title: str):
    """A tab of the dashboard's own tab bar (the views inside have tab bars of their own)."""
    return page.locator(".rai-dashboard-tabs > .lm-TabBar .lm-TabBar-tab", has_text=title)


def test_stakeholder_demo_in_voila(page, page_log, voila_server, notebook_dir: Path):
    shutil.copy(NOTEBOOK, notebook_dir / NOTEBOOK.name)
    page.goto(f"{voila_server.url}/voila/render/{NOTEBOOK.name}", timeout=RENDER_TIMEOUT_MS)

    # the narration, and no code: Voila hides the inputs, and the notebook prints nothing
    expect(page.locator("h1", has_text="Income model")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    board = page.locator(".rai-dashboard")
    expect(page.locator(".rai-dashboard-summary")).to_contain_text(
        "is right for", timeout=RENDER_TIMEOUT_MS
    )
    body = page.locator("body")
    for code in ("import rai_widgets", "rw.Dashboard(", "make_pipeline("):
        expect(body).not_to_contain_text(code)
    stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    assert page.locator(stderr).count() == 0

    # presenter mode, opening on the audit
    expect(page.locator(".rai-dashboard.rai-presenter")).to_be_visible()
    expect(board.locator(".rai-presenter-toggle input")).to_be_checked()
    first = page.locator(".rai-dashboard-tabs > .lm-TabBar .lm-TabBar-tab").first
    expect(first).to_have_text("What to look at")
    expect(first).to_have_class(re.compile("lm-mod-current"))
    audit = board.locator(".rai-audit-view")
    expect(audit).to_contain_text("What to look at first")
    expect(audit).to_contain_text("need attention")
    expect(audit.locator(".rai-audit-finding").first).to_be_visible()
    expect(audit.locator(".rai-audit-passed")).to_be_hidden()  # presenter: concerns only
    # what a stakeholder sees first: the narration on top of the page; then the dashboard
    page.locator("h1", has_text="Income model").scroll_into_view_if_needed()
    save_screenshot(page, "stakeholder-demo-voila")
    save_tall_screenshot(page, "stakeholder-demo-dashboard", element=".rai-dashboard")

    # the full audit below the dashboard: what passed is there too
    full = page.locator(".rai-audit-view").nth(1)
    expect(full).to_contain_text("What to look at first")
    assert full.locator(".rai-audit-passed").count() == 1
    save_tall_screenshot(page, "stakeholder-demo-full-audit", element=".rai-audit-view >> nth=1")

    # a concern's evidence is one click away: the tab and the group it names
    concern = audit.locator(".rai-audit-row.rai-audit-concern").first
    where = WHERE.match(concern.locator(".rai-audit-where").inner_text().strip())
    assert where, concern.inner_text()
    concern.locator(".rai-audit-finding").click()
    expect(_tab(page, where["tab"])).to_have_class(re.compile("lm-mod-current"), timeout=30_000)
    expect(first).not_to_have_class(re.compile("lm-mod-current"))
    following = page.locator(".rai-dashboard-following")
    expect(following).to_contain_text(f"{where['slice']} ({where['n']} rows)", timeout=30_000)
    save_tall_screenshot(page, "stakeholder-demo-evidence", element=".rai-dashboard")

    # "Show evidence" in the full list below opens it in the dashboard too: another group
    target = None
    rows = full.locator(".rai-audit-row.rai-audit-concern")
    for i in range(rows.count()):
        place = rows.nth(i).locator(".rai-audit-where")
        if not (rows.nth(i).is_visible() and place.count()):
            continue
        match = WHERE.match(place.inner_text().strip())
        if match and match["slice"] != where["slice"]:
            target = (rows.nth(i), match)
            break
    assert target is not None, "no other concern in the full list names a group"
    row, match = target
    row.locator(".rai-audit-finding").click()
    expect(_tab(page, match["tab"])).to_have_class(re.compile("lm-mod-current"), timeout=30_000)
    expect(following).to_contain_text(f"{match['slice']} ({match['n']} rows)", timeout=30_000)
    page_log.assert_clean(allow_external=[VOILA_TEMPLATE_CDN])
