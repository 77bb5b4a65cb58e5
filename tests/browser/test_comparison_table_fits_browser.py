"""The comparison's "Where they disagree" table fits a 1300-pixel-wide page, in normal and in
presenter mode: no column is cut at the right edge and no sideways scrolling is needed (the
review found "Without-pay" cut and a scroll bar). The setting is the review's: gradient boosting
against logistic regression on Adult's test rows, the static picture of ``ComparisonView``.

Screenshots: ``test-artifacts/screenshots/comparison_table_fits[_presenter].png``."""

from __future__ import annotations

import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import rai_widgets as rw
from tests.browser.helpers import save_screenshot

pytestmark = pytest.mark.browser


def _encode():
    return make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )


@pytest.fixture(scope="module")
def pictures():
    adult = rw.datasets.load_adult()
    train = adult.split == "train"
    X, y = adult.data[train], adult.target[train]
    boosted = make_pipeline(_encode(), HistGradientBoostingClassifier(max_iter=60, random_state=0))
    linear = make_pipeline(_encode(), StandardScaler(), LogisticRegression(max_iter=500))
    Xe, ye = adult.data[~train], adult.target[~train]
    sensitive = adult.sensitive_features
    a = rw.ModelSession(boosted.fit(X, y), Xe, ye, sensitive_features=sensitive, name="adult-hgb")
    b = rw.ModelSession(linear.fit(X, y), Xe, ye, sensitive_features=sensitive, name="adult-logreg")
    view = rw.ComparisonView(a, b, progressive=False)
    normal = view.static_html()
    view.presenter = True
    return {"": normal, "_presenter": view.static_html()}


@pytest.mark.parametrize("mode", ["", "_presenter"])
def test_the_disagreement_table_fits_a_1300_pixel_page(page, pictures, mode):
    page.set_viewport_size({"width": 1300, "height": 1400})
    page.set_content("<!DOCTYPE html><html><body>" + pictures[mode] + "</body></html>")
    sizes = page.evaluate(
        """() => {
          const table = document.querySelector('.rai-cmp-rows');
          const wrapper = table.closest('.rai-scroll');
          const cells = Array.from(table.querySelectorAll('td, th'));
          const right = Math.max(...cells.map((c) => c.getBoundingClientRect().right));
          return {table: table.scrollWidth, wrapper: wrapper.clientWidth,
                  scrolls: wrapper.scrollWidth > wrapper.clientWidth + 1,
                  right, page: document.documentElement.clientWidth,
                  font: parseFloat(getComputedStyle(table).fontSize),
                  text: table.innerText};
        }"""
    )
    save_screenshot(page, f"comparison_table_fits{mode}")
    assert not sizes["scrolls"], sizes
    assert sizes["right"] <= sizes["page"], sizes
    # presenter mode keeps its larger type in the table too
    assert sizes["font"] >= (17 if mode else 13), sizes
    assert "Without-pay" in sizes["text"] and "over 99%" in sizes["text"]
