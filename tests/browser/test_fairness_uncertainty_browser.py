"""FairnessView and UncertaintyView render in a real JupyterLab and follow a control change."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_screenshot,
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
    save_screenshot(page, "fairness-view", element=".rai-fairness-view")
    # choose another grouping in the page: the kernel recomputes the table
    page.locator(".rai-fairness-view select").first.select_option(label="race")
    expect(table).to_contain_text("Amer-Indian-Eskimo", timeout=30_000)
    save_screenshot(page, "uncertainty-view", element=".rai-uncertainty-view")
    page_log.assert_clean()
