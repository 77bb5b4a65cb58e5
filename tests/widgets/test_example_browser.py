"""ExampleBrowser logic through its traitlets: paging, sorting, filtering, selection, what-if,
pinning, and escaping (no browser needed)."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html import examples
from rai_widgets.views import example_rows
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
    assert b.wait(timeout=600) == "ready"  # the model is slow here: it fills in
    assert b.n_rows == 1_000_000
    b.page = 19_999
    assert b.current_page().index.tolist() == list(range(999_950, 1_000_000))
    b.sort_by = "age"
    assert b.current_page()["age"].tolist() == [int(X["age"].min())] * 50
    assert len(b.table.rows) == 50  # only one page goes to the browser


# -- sorting: the order of every row, against pandas ------------------------------------------
def _expected(table: pd.DataFrame, column, ascending: bool, positions=None) -> list:
    """Positions sorted by pandas: stable (ties keep the given order), missing values last."""
    positions = np.arange(len(table)) if positions is None else np.asarray(positions)
    values = table[column].iloc[positions].reset_index(drop=True)
    order = values.sort_values(ascending=ascending, kind="stable", na_position="last").index
    return positions[order.to_numpy()].tolist()


@pytest.fixture(scope="module")
def ties_session():
    """Columns built for sorting: float ties, NaN and -0.0; small and wide integers; booleans;
    text with missing values; a shuffled index of labels that are not positions."""
    rng = np.random.default_rng(3)
    n = 3_000
    number = rng.integers(-3, 4, n).astype(float)
    number[rng.random(n) < 0.15] = np.nan
    number[rng.random(n) < 0.05] = -0.0
    X = pd.DataFrame(
        {
            "number": number,
            "count": rng.integers(0, 6, n),
            "wide": rng.integers(-(10**9), 10**9, n) // 10**8,
            "flag": rng.random(n) < 0.3,
            "text": pd.Series(rng.choice(["b", "a", "c", None], n), dtype=object),
        },
        index=rng.permutation(n) + 1_000,
    )
    y = np.where(rng.random(n) < 0.5, "yes", "no")
    model = raw_column_pipeline(HistGradientBoostingClassifier(max_iter=5, random_state=0))
    return rw.ModelSession(model.fit(X, y), X, y, random_state=0)


SORTED_COLUMNS = [
    "number", "count", "wide", "flag", "text",
    "confidence", "score", "proba_yes", "y_pred", "y_true", "correct",
]  # fmt: skip


def test_every_column_sorts_like_pandas_in_both_directions(ties_session):
    s = ties_session
    table = s.X.join(s.predictions())
    assert table["number"].isna().any() and table["text"].isna().any()
    keys: dict = {}  # one cache across directions and columns, as the widget keeps it
    for column in SORTED_COLUMNS:
        assert table[column].duplicated().any()  # ties to keep in row order
        for ascending in (False, True, False):
            order = examples.row_order(s, sort_by=column, ascending=ascending, keys=keys)
            assert order.tolist() == _expected(table, column, ascending), (column, ascending)
    assert len(keys) <= example_rows.MAX_SORTED_COLUMNS


@pytest.mark.parametrize("column", ["number", "text", "confidence", "flag"])
def test_sorting_a_slice_or_a_query_keeps_their_rows_and_ties(ties_session, column):
    s = ties_session
    table = s.X.join(s.predictions())
    mask = (table["count"] > 1).to_numpy()
    ranked = examples.row_order(s, query="confident_errors")  # ranked by the query
    for ascending in (True, False):
        keys: dict = {}
        sliced = examples.row_order(s, slice=mask, sort_by=column, ascending=ascending, keys=keys)
        assert sliced.tolist() == _expected(table, column, ascending, np.flatnonzero(mask))
        queried = examples.row_order(
            s, query="confident_errors", sort_by=column, ascending=ascending, keys=keys
        )
        assert queried.tolist() == _expected(table, column, ascending, ranked)


def test_the_browser_pages_through_the_sorted_rows(ties_session):
    s = ties_session
    table = s.X.join(s.predictions())
    b = rw.ExampleBrowser(s, page_size=100)
    for column in ("number", "text", "confidence", "y_pred"):
        for ascending in (False, True):  # the second direction comes from the cached first
            b.sort_by, b.ascending = column, ascending
            expected = table.index[_expected(table, column, ascending)]
            assert b.current_page().index.tolist() == expected[:100].tolist()
            b.page = 29  # the last page: missing values, still in row order
            assert b.current_page().index.tolist() == expected[2_900:].tolist()
            b.page = 0


def test_a_refitted_model_is_sorted_by_its_new_predictions(ties_session):
    s = ties_session
    X, y = s.X, s.y
    model = raw_column_pipeline(HistGradientBoostingClassifier(max_iter=5, random_state=0))
    s2 = rw.ModelSession(model.fit(X, y), X, y, random_state=0)
    b = rw.ExampleBrowser(s2, page_size=50)
    b.sort_by = "confidence"
    model.set_params(histgradientboostingclassifier__max_iter=2).fit(X, y)  # in place
    b.ascending = False
    table = X.join(s2.predictions())
    expected = table.index[_expected(table, "confidence", False)]
    assert b.current_page().index.tolist() == expected[:50].tolist()


def _live_cells_match_the_frame(b: rw.ExampleBrowser) -> None:
    """The live table (taken column by column) shows what the page's frame says."""
    kinds = examples.column_kinds(b.session)
    columns, rows, flags = examples.page_cells(b.current_page(), kinds=kinds)
    assert (b.table.columns, b.table.rows, b.table.flags) == (columns, rows, flags)


def test_the_live_table_shows_the_current_page_frame(ties_session):
    """Every dtype (floats with NaN, ints, booleans, text with missing values), sorted both
    ways and paged; and after the model is refitted in place, its new predictions."""
    X, y = ties_session.X, ties_session.y
    model = raw_column_pipeline(HistGradientBoostingClassifier(max_iter=5, random_state=0))
    s = rw.ModelSession(model.fit(X, y), X, y, random_state=0)
    b = rw.ExampleBrowser(s, page_size=40)
    for column in ("text", "flag", "correct"):
        for ascending in (True, False):
            b.sort_by, b.ascending = column, ascending
            _live_cells_match_the_frame(b)
            b.page = 74  # the last page
            _live_cells_match_the_frame(b)
            b.page = 0
    before = b.table.rows
    model.set_params(histgradientboostingclassifier__max_iter=1).fit(X, y)  # in place
    b.page = 1
    b.page = 0  # drawn again: from the refitted model's predictions
    assert b.table.rows != before
    _live_cells_match_the_frame(b)
    confidence = b.table.columns.index("confidence")
    shown = [row[confidence] for row in b.table.rows]
    new = s.predictions()["confidence"].loc[b.current_page().index]
    assert shown == [examples.cell(v) for v in new]


@pytest.fixture(scope="module")
def wage_session(wage, wage_model):
    X = wage.data.set_axis(wage.data.index + 1_000)  # labels over 1,000: no separators
    return rw.ModelSession(wage_model, X, wage.target.set_axis(X.index), random_state=0)


def test_years_and_row_labels_read_without_separators(wage_session):
    b = rw.ExampleBrowser(wage_session, page_size=5)
    X = wage_session.X
    columns, rows = b.table.columns, b.table.rows
    assert columns[:3] == ["row", "prediction", "actual"]  # the answer beside the row label
    year, age = columns.index("year"), columns.index("age")
    assert [r[0] for r in rows] == [str(label) for label in X.index[:5]]  # "1000", not "1,000"
    assert [r[year] for r in rows] == [str(v) for v in X["year"].iloc[:5]]  # "2006"
    assert [r[age] for r in rows] == [str(v) for v in X["age"].iloc[:5]]  # whole, not "18.000"
    assert not any("," in r[0] or "," in r[year] for r in rows)
    # the same label in the table, the detail pane and the static picture
    label = rows[2][0]
    b.table.selected_index = 2
    assert b.selected_row == X.index[2]
    assert f"<h4>Row {label}</h4>" in b.detail_html
    picture = b.static_html()
    assert f"<td>{label}</td>" in picture and f"<td>{rows[2][year]}</td>" in picture
    tables = re.sub(r"<svg\b.*?</svg>", "", picture, flags=re.DOTALL)  # the waterfall aside
    assert "2,00" not in tables  # no year (2003-2009) with a separator


def test_similar_cases_show_the_answer_first_then_the_columns_that_drove_it(wage_session):
    b = rw.ExampleBrowser(wage_session, page_size=5)
    row = wage_session.X.index[7]
    b.selected_row = row  # the detail pane explains the case, then finds similar ones
    similar = b.detail_html.split("<h4>Similar real cases</h4>")[1]
    headers = [h.split("</th>")[0] for h in similar.split("<th>")[1:]]
    assert headers[:4] == ["row", "prediction", "actual", "distance"]
    explanation = wage_session.explain([row])
    strength = explanation.set_index("feature")["contribution"].abs()
    assert headers[4:] == sorted(wage_session.X.columns, key=lambda c: -strength[c])
    assert headers[4:] != list(wage_session.X.columns)
    assert "order of influence (this case&#x27;s explanation)" in similar


def test_the_static_picture_keeps_the_answer_beside_the_row_label(session):
    b = rw.ExampleBrowser(session, page_size=4)
    picture = b.static_html()
    head = picture.split('<table class="rai-small-table"><tr>')[1].split("</tr>")[0]
    assert head.startswith("<th>row</th><th>prediction</th><th>actual</th><th>confidence</th>")
    assert [html.escape(c) for c in b.table.columns] == [
        h.split("</th>")[0] for h in head.split("<th>")[1:]
    ]


def test_details_of_a_model_without_scores_keep_the_data_order():
    """A classifier without predict_proba: no confidence, no explanation, and the similar
    cases in the data's order (nothing is explained just to order them)."""
    from sklearn.datasets import load_iris
    from sklearn.svm import LinearSVC

    X, y = load_iris(return_X_y=True, as_frame=True)
    s = rw.ModelSession(LinearSVC().fit(X, y), X, y, random_state=0)
    b = rw.ExampleBrowser(s)
    b.selected_row = 3
    assert '<div class="rai-error">' not in b.detail_html
    assert "confidence" not in b.detail_html
    similar = b.detail_html.split("<h4>Similar real cases</h4>")[1]
    headers = [h.split("</th>")[0] for h in similar.split("<th>")[1:]]
    assert headers == ["row", "prediction", "actual", "distance", *X.columns]
    assert "in the data&#x27;s order" in similar


def test_browsing_never_copies_the_data(session, monkeypatch):
    """Pages, sorts, clicks and pins read the session's snapshot (``frame``); ``X`` is a copy
    (a deep one before pandas' copy-on-write: 0.24 s on a million rows), for users only."""
    copies = []
    real = type(session).X

    def counted(self):
        copies.append(1)
        return real.fget(self)

    browser = rw.ExampleBrowser(session, page_size=20)
    monkeypatch.setattr(type(session), "X", property(counted))
    browser.page = 2
    browser.sort_by = "age"
    browser.ascending = False
    browser.table.selected_index = 3  # a click on the fourth row
    browser.pin()
    assert copies == []
