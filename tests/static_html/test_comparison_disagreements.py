"""The comparison's "Where they disagree" table says what its rows are, how they are sorted
(and is sorted so), what "fixed" and "broken" mean (and its columns mean that), and never
rounds a confidence up to "100%".

The setting is the review's: gradient boosting against logistic regression on Adult's test
rows; every expectation is computed again from the two sessions' predictions with pandas."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import rai_widgets as rw
from rai_widgets.static_html import comparison
from rai_widgets.static_html.page import stylesheet
from rai_widgets.views.comparison import DisagreementsModel
from tests.conftest import raw_column_pipeline

N = 15


def _encode():
    return make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            make_column_selector(dtype_exclude="number"),
        ),
        remainder="passthrough",
    )


@pytest.fixture(scope="module")
def pair(adult):
    train = adult.split == "train"
    X, y = adult.data[train], adult.target[train]
    boosted = make_pipeline(_encode(), HistGradientBoostingClassifier(max_iter=60, random_state=0))
    linear = make_pipeline(_encode(), StandardScaler(), LogisticRegression(max_iter=500))
    Xe, ye = adult.data[~train], adult.target[~train]
    a = rw.ModelSession(boosted.fit(X, y), Xe, ye, name="adult-hgb", random_state=0)
    b = rw.ModelSession(linear.fit(X, y), Xe, ye, name="adult-logreg", random_state=0)
    return a, b, ye


def _table(page: str) -> pd.DataFrame:
    """The table's cells as text, indexed by the row label."""
    head = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<th>(.*?)</th>", page)]
    body = [
        [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
        for r in re.findall(r"<tr[^>]*>(<td.*?)</tr>", page)
    ]
    return pd.DataFrame(body, columns=head).set_index("row")


def test_the_rows_are_the_most_confident_disagreements_sorted_as_the_caption_says(pair):
    a, b, y = pair
    model = DisagreementsModel.from_sessions(a, b, n=N)
    page = comparison.disagreements_html(model)
    pa, pb = a.predictions(), b.predictions()
    differ = pa["y_pred"].to_numpy() != pb["y_pred"].to_numpy()
    mean = ((pa["confidence"] + pb["confidence"]) / 2)[differ]
    caption = (
        f"The {N} of {int(differ.sum()):,} rows where they disagree most confidently, sorted by "
        "the two models' average confidence in their own answers, highest first. fixed = "
        "adult-logreg right where adult-hgb was wrong; broken = adult-logreg wrong where "
        "adult-hgb was right."
    )
    assert html.escape(caption) in page
    shown = _table(page)
    # the rows: the N largest average confidences of all rows where they disagree, in order
    top = mean.sort_values(ascending=False, kind="stable").head(N)
    assert [str(i) for i in top.index] == list(shown.index)
    assert shown["average confidence"].tolist() == [rw_chance(v) for v in top]
    # fixed and broken mean what the caption says
    right_a = pa["y_pred"].to_numpy() == y.to_numpy()
    right_b = pb["y_pred"].to_numpy() == y.to_numpy()
    positions = [y.index.get_loc(i) for i in top.index]
    fixed = right_b[positions] & ~right_a[positions]
    broken = right_a[positions] & ~right_b[positions]
    assert shown["fixed"].tolist() == ["yes" if f else "no" for f in fixed]
    assert shown["broken"].tolist() == ["yes" if f else "no" for f in broken]


def rw_chance(p: float) -> str:
    """A confidence as the table must write it, computed here: never "100%"."""
    if p > 0.995:
        return "over 99%"
    return f"{p:.0%}"


def test_a_confidence_over_99_percent_never_reads_100(pair):
    a, b, _ = pair
    model = DisagreementsModel.from_sessions(a, b, n=N)
    shown = _table(comparison.disagreements_html(model))
    confidences = pd.concat(
        [a.predictions()["confidence"], b.predictions()["confidence"]], axis=1, keys=["a", "b"]
    )
    listed = confidences.loc[[int(i) for i in shown.index]]
    assert (listed > 0.995).to_numpy().any()  # the review's "100%" rows are listed
    for column, key in (("adult-hgb confidence", "a"), ("adult-logreg confidence", "b")):
        assert shown[column].tolist() == [rw_chance(v) for v in listed[key]]
    assert "100%" not in shown.to_numpy().ravel().tolist()


def test_the_table_may_take_the_views_width_and_its_cells_wrap(pair):
    a, b, _ = pair
    page = comparison.disagreements_html(DisagreementsModel.from_sessions(a, b, n=3))
    assert page.startswith('<div class="rai-cmp rai-cmp-wide">')
    css = stylesheet()
    assert ".rai-cmp.rai-cmp-wide { max-width: none; }" in css
    assert ".rai-cmp .rai-scroll .rai-cmp-rows td { white-space: normal; }" in css


def test_a_regressions_rows_are_sorted_by_how_far_apart_they_are(wage, wage_model):
    other = raw_column_pipeline(RandomForestRegressor(n_estimators=10, max_depth=3, random_state=0))
    other.fit(wage.data, wage.target)
    a = rw.ModelSession(wage_model, wage.data, wage.target, name="forest")
    b = rw.ModelSession(other, wage.data, wage.target, name="shallow")
    model = DisagreementsModel.from_sessions(a, b, n=5)
    page = comparison.disagreements_html(model)
    gap = (a.predictions()["y_pred"] - b.predictions()["y_pred"]).abs()
    assert (
        html.escape(
            f"The 5 of {int((gap > 0).sum()):,} rows where their predictions are furthest apart, "
            "sorted by how far apart the two predictions are, furthest first."
        )
        in page
    )
    shown = _table(page)
    top = gap.sort_values(ascending=False, kind="stable").head(5)
    assert list(shown.index) == [str(i) for i in top.index]
    np.testing.assert_allclose(
        shown["how far apart"].str.replace(",", "").astype(float), top, rtol=5e-3
    )
    assert "fixed" not in page
