"""FairnessView and UncertaintyView render in a real JupyterLab and follow a control change."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_screenshot,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = (
    ADULT_SESSION
    + """\
import ipywidgets as widgets
fairness = rw.FairnessView(session)
uncertainty = rw.UncertaintyView(session, row=5)
widgets.VBox([fairness, uncertainty])
"""
)


def test_fairness_and_uncertainty_views(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "fairness_uncertainty.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=180)
    table = page.locator(".rai-fairness-table")
    expect(table).to_contain_text("Female")
    expect(page.locator(".rai-disparity svg")).to_contain_text("difference from Male")
    expect(page.locator(".rai-case-uncertainty")).to_contain_text("Of 100 cases")
    expect(page.locator(".rai-reliability svg")).to_be_visible()
    save_tall_screenshot(page, "fairness-view", element=".rai-fairness-view")
    # choose another grouping in the page: the kernel recomputes the table
    page.locator(".rai-fairness-view select").first.select_option(label="race")
    expect(table).to_contain_text("Amer-Indian-Eskimo", timeout=30_000)
    save_screenshot(page, "uncertainty-view", element=".rai-uncertainty-view")
    # per-group thresholds: press a slider's handle and the counts of that group change
    panel = page.locator(".rai-threshold-panel")
    counts = page.locator(".rai-threshold-table")
    expect(counts).to_contain_text("Amer-Indian-Eskimo", timeout=30_000)
    before = counts.inner_text()
    handle = page.locator(".rai-threshold .noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("PageUp")
    expect(counts).not_to_have_text(before, timeout=30_000)
    page.locator(".rai-threshold-panel select").select_option(
        label="true positive rate (equal opportunity)"
    )
    before = counts.inner_text()
    panel.locator(".rai-equalize").click()
    expect(counts).not_to_have_text(before, timeout=30_000)
    expect(counts).not_to_contain_text("0.500")  # every group got its own threshold
    expect(page.locator(".rai-threshold-chart svg")).to_contain_text("caught (TPR)")
    save_screenshot(page, "threshold-panel", element=".rai-threshold-panel")
    page_log.assert_clean()
