"""ComparisonView in a real JupyterLab: two model versions on the same rows."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    expect,
    run_notebook_in_lab,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = (
    ADULT_SESSION
    + """\
from sklearn.linear_model import LogisticRegression
simple = make_pipeline(encode, LogisticRegression(max_iter=500)).fit(X, y)
v1 = rw.ModelSession(simple, X, y, sensitive_features=["sex", "race"], name="v1-logistic")
v2 = rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], name="v2-boosting")
rw.ComparisonView(v1, v2)
"""
)


def test_comparison_view_in_jupyterlab(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "comparison.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=180)
    summary = page.locator(".rai-comparison-summary")
    expect(summary).to_contain_text("v2-boosting fixes")
    expect(page.locator(".rai-comparison-groups svg")).to_contain_text("v2-boosting minus")
    page.locator(".rai-comparison-view select").first.select_option(label="race")
    expect(page.locator(".rai-comparison-groups")).to_contain_text("Amer-Indian-Eskimo")
    expect(page.locator(".rai-comparison-rows")).to_contain_text("Where they disagree")
    save_tall_screenshot(page, "comparison-view", element=".rai-comparison-view")
    page_log.assert_clean()
