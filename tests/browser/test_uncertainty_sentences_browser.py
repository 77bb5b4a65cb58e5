"""The Dashboard's "How sure" tab in a real JupyterLab, on the review's multiclass session
(Wage education, five classes, 900 rows): the sentences a person reads say that the answer
sets hold most classes and which group the calibration chart leaves out, in normal and
presenter mode."""

from __future__ import annotations

import pytest

from tests.browser.helpers import (
    expect,
    run_notebook_in_lab,
    save_tall_screenshot,
    write_notebook,
)

pytestmark = pytest.mark.browser

SOURCE = """\
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

frame = rw.datasets.load_wage().frame
X, y = frame.drop(columns=["education", "logwage"]), frame["education"]
Xt, Xe, yt, ye = train_test_split(X, y, test_size=0.3, random_state=0)
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
     make_column_selector(dtype_exclude="number")),
    remainder="passthrough",
)
model = make_pipeline(encode, LogisticRegression(max_iter=500)).fit(Xt, yt)
session = rw.ModelSession(model, Xe, ye, sensitive_features=["race"], random_state=0)
board = rw.Dashboard(session)
board
"""


def _tab(page, title: str):
    return page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text=title)


def test_how_sure_says_what_its_numbers_cannot_tell(
    page, page_log, jupyterlab_server, notebook_dir
):
    path = write_notebook(notebook_dir, "how_sure.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=300)
    _tab(page, "How sure").click()
    view = page.locator(".rai-dashboard .rai-uncertainty-view")
    case = view.locator(".rai-case-uncertainty")
    expect(case).to_contain_text("(its 90% answer set)", timeout=120_000)
    expect(case).not_to_contain_text("own score for these together")
    coverage = view.locator(".rai-coverage")
    expect(coverage).to_contain_text("the answer sets hold")
    expect(coverage).to_contain_text("of the 5 classes on average")
    reliability = view.locator(".rai-reliability")
    expect(reliability).to_contain_text("Left out of the chart: 4. Other (8 rows).")
    expect(reliability.locator("svg")).not_to_contain_text("4. Other")
    save_tall_screenshot(page, "how-sure-multiclass", element=".rai-dashboard")
    # presenter mode: the same sentences, the technical notes in plain words
    page.locator(".rai-dashboard .rai-presenter-toggle input").check()
    expect(page.locator(".rai-dashboard.rai-presenter")).to_be_visible()
    _tab(page, "How sure").click()
    expect(coverage).to_contain_text("the answer sets hold")
    expect(reliability).to_contain_text("Left out of the chart: 4. Other (8 rows).")
    save_tall_screenshot(page, "how-sure-multiclass-presenter", element=".rai-dashboard")
    page_log.assert_clean()
