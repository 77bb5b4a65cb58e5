"""The static-HTML layer: each view drawn from a session without widgets, the same picture as
its widget's ``static_html()``, and every piece of data escaped."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression, Ridge

import rai_widgets as rw
from rai_widgets import formatting, formatting_metrics
from rai_widgets.core.errors import ValidationError
from rai_widgets.static_html import (
    comparison,
    dashboard,
    examples,
    explanation,
    fairness,
    page,
    threshold,
    uncertainty,
)
from rai_widgets.static_html.page import style_tag
from tests.conftest import raw_column_pipeline

EVIL = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
PACKAGE = Path(rw.__file__).parent


def _assert_escaped(page_: str) -> None:
    assert "<img" not in page_ and "<script>" not in page_ and "<b>b</b>" not in page_
    assert ESCAPED in page_


@pytest.fixture(scope="module")
def hostile():
    """A binary task whose column names, category values and session name are hostile."""
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {
            EVIL: rng.choice([EVIL, "<b>b</b>", "<script>alert(2)</script>"], 400),
            "v": rng.normal(size=400),
        }
    )
    y = (X["v"] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    a = rw.ModelSession(
        raw_column_pipeline(LogisticRegression()).fit(X, y),
        X,
        y,
        sensitive_features=[EVIL],
        random_state=0,
        name=EVIL,
    )
    b = rw.ModelSession(
        raw_column_pipeline(LogisticRegression(C=0.01)).fit(X, y),
        X,
        y,
        sensitive_features=[EVIL],
        random_state=0,
        name="<b>b</b>",
    )
    return a, b


@pytest.fixture(scope="module")
def regression(wage, wage_model):
    return rw.ModelSession(
        wage_model, wage.data, wage.target, sensitive_features=["race"], random_state=0
    )


def test_no_widget_library_is_imported():
    for path in sorted((PACKAGE / "static_html").glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in ("ipywidgets", "anywidget", "traitlets"), path.name
                assert not name.startswith("rai_widgets.widgets"), path.name
                assert not name.startswith("rai_widgets.report"), path.name


def test_page_pieces():
    err = ValidationError(f"no column {EVIL}")
    assert page.error_box(err) == f'<div class="rai-error">no column {ESCAPED}</div>'
    assert page.safe(lambda: (_ for _ in ()).throw(err)) == page.error_box(err)
    cells = page.table([EVIL], [[EVIL]], css="rai-small-table")
    assert cells.count(ESCAPED) == 2 and "<img" not in cells
    css = page.stylesheet()
    for view in ("error", "fair", "unc", "cmp", "detail", "presenter"):
        assert f".rai-{view}" in css
    assert page.style_tag() == f"<style>\n{css}</style>"


def test_examples_pages_escape_and_order(hostile):
    s, _ = hostile
    order = examples.row_order(s, slice={EVIL: EVIL}, sort_by="v", ascending=False)
    expected = s.X[s.X[EVIL] == EVIL].sort_values("v", ascending=False, kind="stable")
    assert s.X.index[order].tolist() == expected.index.tolist()
    assert ("all rows", "") in examples.slice_options(s)
    with pytest.raises(ValidationError, match="not a column"):
        examples.page_frame(s, np.arange(3), ["no-such-column"])
    html = examples.view_html(s, page_size=5, selected_row=s.X.index[0])
    _assert_escaped(html)
    assert "Similar real cases" in html
    columns, rows, flags = examples.page_cells(examples.page_frame(s, np.arange(4)))
    assert columns[:3] == ["row", "prediction", "actual"] and len(rows) == len(flags) == 4
    assert examples.cell(float("nan")) == formatting.MISSING


def test_explanation_parts(hostile):
    s, _ = hostile
    html = explanation.view_html(
        s, row=s.X.index[1], slice_by=EVIL, feature=EVIL, parts=explanation.PARTS, max_rows=40
    )
    _assert_escaped(html)
    # waterfall, agreement, importance, dependence and the feature's effect per group
    assert html.count("<svg") == 5 and 'class="rai-error"' not in html
    assert 'class="rai-effects"' in html
    with pytest.raises(ValueError, match="parts"):
        explanation.view_html(s, parts=("nothing",))
    broken = explanation.view_html(s, row="no such row")
    assert 'class="rai-error"' in broken  # each part shows its own error box


def test_fairness_and_threshold(hostile):
    s, _ = hostile
    html = fairness.view_html(s, thresholds=0.4)
    _assert_escaped(html)
    assert "Blind spots" in html and "policy decision" in html
    assert fairness.grouping(EVIL, intersections=True, choices=[EVIL]) == EVIL
    table = s.slice_metrics(by=EVIL, metrics=["accuracy"])
    cells = fairness.groups_table_html(table, by=EVIL, metric="accuracy")
    for value in table["accuracy"]:
        assert formatting_metrics.metric_value("accuracy", value) in cells
    panel = threshold.panel_html(s, by=EVIL, thresholds=dict.fromkeys(table.index, 0.3))
    _assert_escaped(panel)
    assert "0.300" in panel
    counts, uniform, display = threshold.results(s, EVIL, 0.5, rate="tpr")
    assert len(uniform) == len(counts) and "gap" in counts and display.to_svg().startswith("<svg")
    assert 'class="rai-error"' in threshold.panel_html(s, by="no such column")


def test_uncertainty_readings(hostile, regression):
    s, _ = hostile
    html = uncertainty.view_html(s, row=s.X.index[2], confidence_level=0.8)
    _assert_escaped(html)
    assert "Promised 80%" in html and "Of 100 cases" in html
    result = regression.conformal(confidence_level=0.9, calibration=0.5)
    text, chart = uncertainty.case_reading(regression, regression.X.index[0], conformal=result)
    assert "landed between" in text and chart.count("<circle") == 20
    assert uncertainty.reliability_html(regression, "race") == ""


def test_comparison(hostile):
    a, b = hostile
    html = comparison.view_html(a, b)
    _assert_escaped(html)
    assert "Where they disagree" in html and "fixes" in html
    with pytest.raises(ValidationError):
        comparison.view_html(a, a.model)


def test_dashboard_escapes_and_follows(hostile):
    s, _ = hostile
    html = dashboard.view_html(
        s, selected_slice={EVIL: EVIL}, selected_row=s.X.index[0], presenter=True
    )
    _assert_escaped(html)
    # the audit under its own heading ("What to look at first"), then the four views
    assert "rai-presenter" in html and html.count("<h3>") == 4
    assert html.count("What to look at first") == 1
    assert f"{ESCAPED} = {ESCAPED}" in html
    assert dashboard.slice_text(None) == "all rows"


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_view_html_draws_what_the_widget_draws(hostile, regression):
    """For the default state, each ``view_html`` is the widget's ``static_body()`` (the
    picture without the stylesheet), and ``static_html()`` is the stylesheet once, then it."""
    s, other = hostile
    assert examples.view_html(s) == rw.ExampleBrowser(s).static_body()
    assert explanation.view_html(s) == rw.ExplanationView(s).static_body()
    assert fairness.view_html(s) == rw.FairnessView(s).static_body()
    assert uncertainty.view_html(s) == rw.UncertaintyView(s).static_body()
    assert uncertainty.view_html(regression) == rw.UncertaintyView(regression).static_body()
    assert comparison.view_html(s, other) == rw.ComparisonView(s, other).static_body()
    assert dashboard.view_html(s) == rw.Dashboard(s).static_html()
    view = rw.FairnessView(s)
    assert view.static_html() == style_tag() + view.static_body()


def test_missing_values_read_the_same_everywhere():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"g": rng.choice(["a", "b"], 200), "v": rng.normal(size=200)})
    X.loc[:9, "v"] = np.nan
    y = X["v"].fillna(0) * 2 + rng.normal(size=200)
    model = raw_column_pipeline(Ridge()).fit(X.fillna(0), y)
    s = rw.ModelSession(model, X.fillna({"v": 0}).astype({"v": float}), y, random_state=0)
    frame = examples.page_frame(s, np.arange(3))
    frame.iloc[0, frame.columns.get_loc("v")] = np.nan
    assert formatting.MISSING in examples.small_table(frame)


def test_a_pane_that_fails_shows_the_failure_in_place(caplog):
    from rai_widgets.static_html.page import safe

    def broken():
        raise ZeroDivisionError("<boom>")

    with caplog.at_level("ERROR", logger="rai_widgets"):
        html = safe(broken)
    assert html.startswith('<div class="rai-error">')
    assert "ZeroDivisionError: &lt;boom&gt;" in html and "<boom>" not in html
    assert "a view pane failed" in caplog.text


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_examples_picture_reads_years_and_labels_as_the_live_table(regression):
    """Wage's years read "2006" (not "2,006") and a row keeps one label; the static picture has
    the live table's columns in the live table's order, the model's answer first."""
    s = regression
    row = s.X.index[1_191]
    html = examples.view_html(s, page=59, page_size=20, selected_row=row)  # rows 1180-1199
    browser = rw.ExampleBrowser(s)
    browser.page, browser.selected_row = 59, row
    assert html == browser.static_body()
    head = html.split('<table class="rai-small-table"><tr>')[1].split("</tr>")[0]
    assert head.startswith("<th>row</th><th>prediction</th><th>actual</th><th>residual</th>")
    assert "<td>1191</td>" in html and "<h4>Row 1191</h4>" in html and "1,191" not in html
    year = str(s.X.loc[row, "year"])
    assert f"<td>{year}</td>" in html and f"{year[0]},{year[1:]}" not in html.split("<svg")[0]
    kinds = examples.column_kinds(s)
    assert kinds["year"] == "year" and kinds["age"] == "number"
    assert examples.cell(15024, kinds["age"]) == "15,024"  # a number keeps its separators


@pytest.mark.parametrize("kind", [None, "number", "year", "identifier"])
def test_page_cells_write_every_value_as_cell_does(kind):
    """The live table writes whole columns at a time; each text equals ``cell(value, kind)``
    on the same value, for every dtype (floats large and small, NaN, ints, nullable ints,
    booleans, text with missing values, categories)."""
    frame = pd.DataFrame(
        {
            "f": [0.87654, 12345.6, -0.0004, 999.9996],
            "f_nan": [1.5, np.nan, 2_000_000.25, -3.0],
            "i": np.array([2007, -5, 1_234_567, 0], dtype=np.int64),
            "u8": np.array([0, 7, 255, 3], dtype=np.uint8),
            "nullable": pd.array([1, None, 30_000, 4], dtype="Int64"),
            "b": [True, False, True, False],
            "text": pd.array(["Male", None, "<b>x</b>", "nan"], dtype="str"),
            "cat": pd.Categorical(["a", "b", None, "a"]),
            "obj": ["x", 3, None, 2.5],
        },
        index=["r0", "r1", "r2", "r3"],
    )
    kinds = dict.fromkeys(frame.columns, kind)
    columns, rows, _ = examples.page_cells(frame, kinds=kinds)
    shown = [c for c in columns[1:]]
    for i, (label, row) in enumerate(zip(frame.index, rows, strict=True)):
        expected = [formatting.row_label(label)]
        expected += [examples.cell(frame[c].iloc[i], kind) for c in shown]
        assert row == expected
