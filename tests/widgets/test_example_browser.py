"""ExampleBrowser logic through its traitlets: paging, sorting, filtering, selection, what-if,
pinning, and escaping (no browser needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html import examples
from tests.conftest import raw_column_pipeline

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(scope="module")
def session(adult):
    X, y = adult.data.iloc[:4_000], adult.target.iloc[:4_000]
    forest = RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0)
    model = raw_column_pipeline(forest).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


def test_pages_cover_every_row(session):
    b = rw.ExampleBrowser(session, page_size=25)
    assert b.n_rows == len(session.X)
    first = b.current_page()
    assert first.index.tolist() == session.X.index[:25].tolist()
    assert {"y_true", "y_pred", "confidence", "correct"} <= set(first.columns)
    b.page = 3
    assert b.current_page().index.tolist() == session.X.index[75:100].tolist()
    b.page = 10_000  # past the end: clamped to the last page
    last = b.current_page()
    assert b.page == (len(session.X) - 1) // 25 and last.index[-1] == session.X.index[-1]


@pytest.mark.parametrize(
    ("column", "ascending"), [("age", True), ("confidence", False), ("occupation", True)]
)
def test_sorting_matches_pandas(session, column, ascending):
    b = rw.ExampleBrowser(session, page_size=40)
    b.sort_by, b.ascending = column, ascending
    table = session.X.join(session.predictions())
    expected = table.sort_values(column, ascending=ascending, kind="stable", na_position="last")
    assert b.current_page().index.tolist() == expected.index[:40].tolist()


def test_query_and_slice_filters(session):
    b = rw.ExampleBrowser(session, page_size=10)
    b.query = "confident_errors"
    preds = session.predictions()
    wrong = preds[~preds["correct"]].sort_values("confidence", ascending=False, kind="stable")
    assert b.n_rows == len(wrong)
    assert b.current_page().index.tolist() == wrong.index[:10].tolist()
    b.slice = {"sex": "Female"}
    assert (b.current_page()["sex"] == "Female").all()
    female_wrong = wrong[session.X.loc[wrong.index, "sex"] == "Female"]
    assert b.n_rows == len(female_wrong)
    assert b.table.flags == [True] * len(b.current_page())  # errors highlighted
    b.query = ""
    b.slice = None
    assert b.n_rows == len(session.X)
    with pytest.raises(rw.ValidationError):
        examples.page_frame(session, np.arange(3), ["no-such-column"])


def test_clicks_select_rows_and_sort(session):
    b = rw.ExampleBrowser(session, page_size=10)
    b.table.selected_index = 4  # a click on the fifth row
    assert b.selected_row == session.X.index[4]
    assert "Similar real cases" in b.detail_html
    assert "confidence" in b.detail_html
    b.table.sort_request = "age"
    b.table.sort_clicks += 1
    assert b.sort_by == "age" and b.ascending
    b.table.sort_clicks += 1  # a second click on the same header flips the order
    assert b.sort_by == "age" and not b.ascending


def test_what_if_and_pin_from_the_detail_pane(session):
    b = rw.ExampleBrowser(session, page_size=10)
    b.selected_row = 3
    answer = b.what_if("age", "55")
    expected = session.what_if(3, {"age": 55}).summary
    assert expected.split(",")[0] in answer and answer == b.what_if_html
    b.what_if("age", "old")
    assert "takes a number" in b.what_if_html
    b.pin()
    b.selected_row = 7
    b.pin()
    assert len(b.test_cases) == 2
    assert b.test_cases.run(session)["row"].tolist() == [3, 7]


def test_hostile_values_are_escaped_in_the_fallback():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            "<script>x</script>": rng.choice(["<img src=x onerror=alert(1)>", "a"], 200),
            "n": rng.normal(size=200),
        }
    )
    y = (X["n"] > 0).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    s = rw.ModelSession(model, X, y, random_state=0)
    b = rw.ExampleBrowser(s, page_size=5)
    b.selected_row = 0
    page = b.static_html()
    assert "<img" not in page and "<script>x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_million_rows_are_never_truncated(adult):
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(adult.data), 1_000_000)
    X = adult.data[["age", "hours-per-week", "sex"]].iloc[idx].reset_index(drop=True)
    y = adult.target.iloc[idx].reset_index(drop=True)
    model = raw_column_pipeline(LogisticRegression(max_iter=200)).fit(X[:20_000], y[:20_000])
    s = rw.ModelSession(model, X, y, random_state=0)
    b = rw.ExampleBrowser(s, page_size=50)
    assert b.n_rows == 1_000_000
    b.page = 19_999
    assert b.current_page().index.tolist() == list(range(999_950, 1_000_000))
    b.sort_by = "age"
    assert b.current_page()["age"].tolist() == [int(X["age"].min())] * 50
    assert len(b.table.rows) == 50  # only one page goes to the browser
