"""ExplanationView in a real JupyterLab and in Voila: it renders, its tabs and row picker work
through the kernel, and hostile data stays text."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    ADULT_SESSION,
    VOILA_TEMPLATE_CDN,
    expect,
    run_notebook_in_lab,
    save_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = (
    ADULT_SESSION
    + """\
view = rw.ExplanationView(session, max_rows=150)
view
"""
)

HOSTILE = """\
import numpy as np, pandas as pd
import rai_widgets as rw
from sklearn.linear_model import LogisticRegression
from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

evil = "<img src=x onerror=alert(1)>"
rng = np.random.default_rng(0)
X = pd.DataFrame({evil: rng.choice(["<script>alert(2)</script>", "<b>bold</b>"], 300),
                  "size": rng.normal(size=300)})
y = (X["size"] > 0).astype(int)
pre = make_column_transformer((OneHotEncoder(), [evil]), remainder="passthrough")
model = make_pipeline(pre, LogisticRegression()).fit(X, y)
s = rw.ModelSession(model, X, y, sensitive_features=[evil], random_state=0)
view = rw.ExplanationView(s, max_rows=40, slice_by=evil)
view.select_tab("Across slices")
view
"""


def test_explanation_view_in_jupyterlab(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "explanation_view.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=180)
    view = page.locator(".rai-explanation-view")
    expect(view).to_be_visible()
    reading = page.locator(".rai-explanation-reading")
    expect(reading).to_contain_text("The model gives >50K a")
    expect(page.locator(".rai-waterfall svg")).to_be_visible()
    expect(page.locator(".rai-agreement svg")).to_contain_text("SHAP and LIME")
    # what would change the answer: one sentence, then the case and its changes side by side
    recourse = page.locator(".rai-recourse-pane .rai-recourse")
    expect(recourse.locator("h4")).to_have_text("What would change it?")
    expect(recourse.locator(".rai-reading")).to_contain_text("the model would say")
    expect(recourse.locator("table tr").first).to_contain_text("This case")
    expect(recourse.locator("table tr").last).to_contain_text("The model says")
    recourse.scroll_into_view_if_needed()
    save_screenshot(page, "explanation-view-recourse", element=".rai-recourse-pane")
    save_screenshot(page, "explanation-view-case")
    save_screenshot(page, "explanation-view-case-whole", element=".rai-explanation-view")
    first_reading = reading.inner_text()

    # a user types another row label: the kernel recomputes and the page follows
    box = page.locator(".rai-row-picker input")
    box.fill("7")
    box.press("Enter")
    expect(reading).not_to_have_text(first_reading, timeout=30_000)

    page.get_by_role("tab", name="Across slices").click()
    expect(page.locator(".rai-importance svg")).to_contain_text("What the model relies on")
    save_screenshot(page, "explanation-view-slices", element=".rai-explanation-view")
    page.get_by_role("tab", name="One feature").click()
    expect(page.locator(".rai-dependence svg")).to_contain_text("moves predictions")
    # the feature's effect per group, with bands and the reading under it
    effects = page.locator(".rai-effects-pane .rai-effects")
    expect(effects.locator("svg")).to_contain_text("moves with")
    expect(effects.locator(".rai-reading")).to_contain_text("Between ")
    save_screenshot(page, "explanation-view-feature", element=".rai-explanation-view")
    page_log.assert_clean()


def test_hostile_data_renders_as_text(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "hostile_view.ipynb", HOSTILE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=180)
    expect(page.locator(".rai-importance svg")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator(".rai-explanation-view img").count() == 0
    assert page.locator(".rai-explanation-view script").count() == 0
    assert page.locator(".rai-explanation-view b").count() == 0
    save_screenshot(page, "explanation-view-hostile")
    page_log.assert_clean()  # no dialog opened


def test_explanation_view_in_voila(page, page_log, voila_server, notebook_dir):
    write_notebook(notebook_dir, "explanation_voila.ipynb", SOURCE)
    page.goto(f"{voila_server.url}/voila/render/explanation_voila.ipynb", timeout=180_000)
    expect(page.locator(".rai-explanation-reading")).to_contain_text("chance", timeout=180_000)
    expect(page.locator(".rai-waterfall svg")).to_be_visible()
    save_screenshot(page, "explanation-view-voila")
    page_log.assert_clean(allow_external=[VOILA_TEMPLATE_CDN])
