"""EffectsView renders in a real JupyterLab and follows its controls: another feature, another
grouping, accumulated local effects."""

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

SOURCE = ADULT_SESSION + 'rw.EffectsView(session, feature="age", by="sex")\n'


def test_effects_view_follows_its_controls(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "effects.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=180)
    chart = page.locator(".rai-effects-pane")
    expect(chart.locator("svg")).to_contain_text("moves with age")
    expect(chart.locator("svg")).to_contain_text("Female")  # one curve per group, in the legend
    expect(chart).to_contain_text("Between age")  # the reading under the chart
    save_screenshot(page, "effects-view", element=".rai-effects-view")
    # another feature, picked in the page: the kernel draws its effect
    page.locator(".rai-effects-feature select").select_option(label="hours-per-week")
    expect(chart.locator("svg")).to_contain_text("moves with hours-per-week", timeout=60_000)
    # no groups, then accumulated local effects
    page.locator(".rai-effects-by select").select_option(label="(everyone)")
    expect(chart.locator("svg")).not_to_contain_text("Female", timeout=60_000)
    page.locator(".rai-effects-kind button", has_text="Accumulated (ALE)").click()
    expect(chart.locator("svg")).to_contain_text("accumulated local effects", timeout=60_000)
    save_screenshot(page, "effects-view-ale", element=".rai-effects-view")
    page_log.assert_clean()
