"""The Dashboard in a real JupyterLab: one selected slice and one selected row drive every view;
a hostile dataset stays text."""

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

SOURCE = ADULT_SESSION + "board = rw.Dashboard(session)\nboard\n"

HOSTILE = """\
import numpy as np, pandas as pd
import rai_widgets as rw
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

evil = "<img src=x onerror=alert(1)>"
rng = np.random.default_rng(0)
X = pd.DataFrame({evil: rng.choice([evil, "</script><b id=injected>b</b>"], 300),
                  "v": rng.normal(size=300)})
y = (X["v"] > 0).astype(int)
encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), [evil]),
                                 remainder="passthrough")
model = make_pipeline(encode, LogisticRegression()).fit(X, y)
s = rw.ModelSession(model, X, y, sensitive_features=[evil], random_state=0, name=evil)
board = rw.Dashboard(s)
board.selected_slice = {evil: evil}
board
"""


def _tab(page, title: str):
    return page.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text=title)


def test_dashboard_links_every_view_in_jupyterlab(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "dashboard.ipynb", SOURCE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    summary = page.locator(".rai-dashboard-summary")
    expect(summary).to_contain_text("is right for")
    following = page.locator(".rai-dashboard-following")
    expect(following).to_contain_text("all rows (6,000 rows)")
    _tab(page, "Examples").click()  # the first tab says what to look at first
    rows = page.locator(".rai-dashboard .rai-example-table tr.rai-table-row")
    expect(rows.first).to_be_visible()
    save_tall_screenshot(page, "dashboard-examples", element=".rai-dashboard")

    # pick a group in the fairness tab: the browser, explanation and uncertainty follow
    _tab(page, "Fairness by group").click()
    fairness = page.locator(".rai-dashboard .rai-fairness-view")
    fairness.locator("select").first.select_option(label="race")
    expect(fairness.locator(".rai-fairness-table")).to_contain_text("Amer-Indian-Eskimo")
    follow = fairness.locator("select").nth(2)  # the "Follow group" picker
    follow.select_option(label="Black")
    expect(following).to_contain_text("race = Black", timeout=30_000)
    _tab(page, "Examples").click()
    expect(page.locator(".rai-dashboard .rai-example-status")).to_contain_text("600 rows match")
    race = page.locator(".rai-dashboard .rai-example-table th").all_inner_texts().index("race")
    expect(rows.first.locator("td").nth(race)).to_have_text("Black")

    # click a row: the explanation and uncertainty read that case
    rows.nth(1).click()
    expect(following).to_contain_text("case", timeout=30_000)
    label = following.locator("b").nth(1).inner_text()
    expect(page.locator(".rai-dashboard .rai-example-detail")).to_contain_text(f"Row {label}")
    # what-if on that case
    page.locator(".rai-dashboard .rai-what-if-value input").fill("60")
    page.locator(".rai-dashboard .rai-what-if-apply").click()
    expect(page.locator(".rai-dashboard .rai-what-if-result")).to_contain_text(
        "instead of", timeout=30_000
    )
    _tab(page, "Why it decided").click()
    expect(page.locator(".rai-dashboard .rai-row-picker input")).to_have_value(label)
    expect(page.locator(".rai-dashboard .rai-waterfall svg")).to_be_visible()
    save_tall_screenshot(page, "dashboard-explanation", element=".rai-dashboard")
    _tab(page, "How sure").click()
    expect(page.locator(".rai-dashboard .rai-case-uncertainty")).to_contain_text("Of 100 cases")
    expect(page.locator(".rai-dashboard .rai-reliability svg")).to_contain_text("Black")
    save_tall_screenshot(page, "dashboard-uncertainty", element=".rai-dashboard")

    # presenter mode: larger type, raw scores hidden
    page.locator(".rai-dashboard .rai-presenter-toggle input").check()
    expect(page.locator(".rai-dashboard.rai-presenter")).to_be_visible()
    _tab(page, "Examples").click()
    headers = page.locator(".rai-dashboard .rai-example-table th")
    expect(headers.filter(has_text="score")).to_have_count(0)
    save_tall_screenshot(page, "dashboard-presenter", element=".rai-dashboard")
    page_log.assert_clean()


def test_hostile_data_stays_text_in_the_dashboard(page, page_log, jupyterlab_server, notebook_dir):
    path = write_notebook(notebook_dir, "dashboard_hostile.ipynb", HOSTILE)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    expect(page.locator(".rai-dashboard-following")).to_contain_text("<img src=x onerror")
    for title in ("Fairness by group", "How sure", "Why it decided"):
        _tab(page, title).click()
        page.wait_for_timeout(300)
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("#injected").count() == 0
    assert page_log.dialogs == []
    page_log.assert_clean()


# Two light sessions (2,000 and 1,000 Adult rows): whether two Dashboards interfere does not
# depend on their size.
TWO = """\
import ipywidgets as widgets
import rai_widgets as rw
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

data = rw.datasets.load_adult()
X, y = data.data.iloc[:2000], data.target.iloc[:2000]
encode = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False),
     make_column_selector(dtype_exclude="number")),
    remainder="passthrough",
)
model = make_pipeline(encode, HistGradientBoostingClassifier(max_iter=30, random_state=0))
session = rw.ModelSession(model.fit(X, y), X, y, sensitive_features=["sex", "race"],
                          random_state=0)
other = rw.ModelSession(make_pipeline(encode, LogisticRegression(max_iter=300)).fit(X, y),
                        X.iloc[:1000], y.iloc[:1000], sensitive_features=["race"], name="lr")
first, second = rw.Dashboard(session), rw.Dashboard(other)
widgets.VBox([first, second])
"""


def test_two_dashboards_in_one_notebook_do_not_interfere(
    page, page_log, jupyterlab_server, notebook_dir
):
    path = write_notebook(notebook_dir, "two_dashboards.ipynb", TWO)
    run_notebook_in_lab(page, jupyterlab_server, path, timeout=240)
    boards = page.locator(".rai-dashboard")
    expect(boards).to_have_count(2)
    first, second = boards.nth(0), boards.nth(1)
    expect(second.locator(".rai-dashboard-following")).to_contain_text("all rows (1,000 rows)")
    for board in (first, second):  # the first tab says what to look at first
        board.locator(".rai-dashboard-tabs .lm-TabBar-tab", has_text="Examples").click()
    first.locator(".rai-example-table tr.rai-table-row").nth(1).click()
    expect(first.locator(".rai-dashboard-following")).to_contain_text("case", timeout=30_000)
    second.locator(".rai-example-table tr.rai-table-row").nth(4).click()
    expect(second.locator(".rai-dashboard-following")).to_contain_text("case 4")
    expect(first.locator(".rai-dashboard-following")).to_contain_text("case 1")
    expect(second.locator(".rai-dashboard-summary")).to_contain_text("The model (lr)")
    page_log.assert_clean()
