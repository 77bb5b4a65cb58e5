"""Every "Show evidence" of the demo Dashboard (German credit, as ``rai-widgets demo --dataset
german`` serves it) opens a tab with that finding's evidence, in a real JupyterLab: the tab it
names becomes the current one, the slice it names is the one every view follows (with its
rows), a proxy or a leak opens its feature in Why it decided, and the finding stays selected.

The review found four of the demo's findings whose click did nothing (a slice the Dashboard
refused) and others that landed on unrelated evidence; this test clicks them all.
"""

from __future__ import annotations

import re
import time

import pytest

from rai_widgets.demo import demo_notebook
from rai_widgets.static_html.audit import TAB_TITLES
from tests.browser.helpers import (
    expect,
    run_notebook_in_lab,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = demo_notebook("german")["cells"][-1]["source"]
WHERE = re.compile(r"^See (?P<tab>.+?)(?:, for (?P<slice>.+?))?(?: \((?P<n>[\d,]+) rows\))?$")
# a proxy or a leak: its sentence starts with the feature ("purpose alone predicts ...")
FEATURE_CHECKS = {
    "Proxy of a sensitive feature.": r"^(\S+) alone\b",
    "Possible leak.": r"^(\S+) alone\b",
}
CLICK_TIMEOUT_MS = 30_000


def _tab(page, title: str):
    return page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text=title)


def _open_every_list(audit) -> None:
    """Click each "Show N more" so that every finding's button is on the page."""
    toggles = audit.locator(".rai-audit-more")
    for i in range(toggles.count()):
        toggle = toggles.nth(i)
        if (
            toggle.is_visible()
            and toggle.inner_text().startswith("Show ")
            and ("fewer" not in toggle.inner_text())
        ):
            toggle.click()
            expect(toggle).to_have_text("Show fewer")


def test_every_show_evidence_opens_its_evidence(page, page_log, jupyterlab_server, notebook_dir):
    started = time.monotonic()
    path = write_notebook(notebook_dir, "audit_evidence.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    ran = time.monotonic()
    board = page.locator(".rai-dashboard")
    audit = board.locator(".rai-audit-view")
    expect(audit).to_contain_text("What to look at first", timeout=120_000)
    expect(audit).not_to_contain_text("checks are running", timeout=120_000)
    _open_every_list(audit)
    rows = audit.locator(".rai-audit-row")
    buttons = audit.locator(".rai-audit-row .rai-audit-finding")
    n_buttons = buttons.count()
    assert n_buttons >= 10, f"only {n_buttons} findings have a Show evidence button"
    following = board.locator(".rai-dashboard-following")
    clicked = 0
    for i in range(rows.count()):
        row = rows.nth(i)
        button = row.locator(".rai-audit-finding")
        if not button.count():
            continue  # a finding with nothing to show (e.g. no test cases were given)
        where = button.get_attribute("title") or ""
        match = WHERE.match(where.strip())
        assert match, f"finding {i}: its button says {where!r}"
        text = row.inner_text()
        button.click()
        clicked += 1
        # the finding is selected, and the tab it names is the one shown
        expect(row).to_have_class(re.compile("rai-audit-selected"), timeout=CLICK_TIMEOUT_MS)
        tab = _tab(page, match["tab"])
        expect(tab).to_have_class(re.compile("lm-mod-current"), timeout=CLICK_TIMEOUT_MS)
        if match["slice"]:  # every view follows the slice it names, with its rows
            expect(following).to_contain_text(
                f"{match['slice']} ({match['n']} rows)", timeout=CLICK_TIMEOUT_MS
            )
        for title, pattern in FEATURE_CHECKS.items():
            if title in text:
                feature = re.search(pattern, text.split(title, 1)[1].strip(), re.M)
                assert feature, text
                explanation = board.locator(".rai-explanation-view")
                expect(explanation).to_be_visible()
                current = explanation.locator(".rai-explanation-tabs .lm-mod-current")
                expect(current).to_contain_text("One feature", timeout=CLICK_TIMEOUT_MS)
                expect(explanation.locator(".rai-dependence")).to_contain_text(
                    feature[1], timeout=CLICK_TIMEOUT_MS
                )
        # back to the first tab for the next finding
        _tab(page, TAB_TITLES["audit"]).click()
        expect(audit).to_be_visible()
    assert clicked == n_buttons
    save_tall_screenshot(page, "audit-evidence-last", element=".rai-dashboard")
    page_log.assert_clean()
    elapsed = time.monotonic() - started
    print(
        f"ran the notebook in {ran - started:.0f} s, clicked {clicked} findings in {elapsed:.0f} s"
    )
