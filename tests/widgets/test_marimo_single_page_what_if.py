"""The single page's "Show" picker and the case's what-if (the Dashboard's live view in marimo)
through its traitlets, on German credit and Wage: the rows a query keeps, counted and ordered
against numpy and the example browser; the what-if's answers against the model's own
``predict_proba`` / ``predict``, each read as the uncertainty tab reads a case."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError
from rai_widgets.readings.controls import number_needed
from rai_widgets.static_html import uncertainty
from rai_widgets.static_html.case_uncertainty import outcome_reading
from rai_widgets.static_html.dashboard import VIEWS
from rai_widgets.views.example_rows import row_order
from rai_widgets.widgets.live_view import live_view_of
from rai_widgets.widgets.single_page import SinglePageDashboard
from rai_widgets.widgets.single_page_controls import audit_section_html
from rai_widgets.widgets.single_page_what_if import listed_values
from tests.conftest import raw_column_pipeline
from tests.inert_html import problems
from tests.widgets.single_page_setup import SENSITIVE, click, credit_model_and_session

EXAMPLES, UNCERTAINTY = VIEWS.index("examples"), VIEWS.index("uncertainty")


@pytest.fixture(scope="module")
def credit(german):
    return credit_model_and_session(german)


def try_value(view: SinglePageDashboard, column: str, sent: float | None) -> None:
    """What the front end sends for "Try it": the column's place, then the number typed (or
    the place of the value picked) and a click."""
    view.what_if_column = list(view.session.core.frame.columns).index(column)
    view.what_if_value, view.what_if_clicks = sent, view.what_if_clicks + 1


def readings(html: str) -> list[str]:
    """The texts of the uncertainty readings in the what-if's answer (as it is, then changed)."""
    found = re.findall(r'<div class="rai-reading">(.*?)</div>', html)
    return [t.replace("&#x27;", "'") for t in found]


def likeliest(model, rows) -> str:
    """How the reading gives the model's likeliest class of one case: "about N would be C"."""
    proba = model.predict_proba(rows)[0]
    best = int(np.argmax(proba))
    p = proba[best]
    return f"about {round(100 * p)} would be {model.classes_[best]} ({formatting.percent(p, 0)}"


# -- the "Show" picker ----------------------------------------------------------------------------
def test_each_query_keeps_the_rows_numpy_finds_in_the_order_the_example_browser_shows(
    credit, german
):
    model, s = credit
    X, y = german.data, german.target.to_numpy()
    proba = model.predict_proba(X)
    wrong = np.flatnonzero(model.predict(X) != y)
    confident = wrong[np.argsort(-proba[wrong].max(axis=1), kind="stable")]
    good = list(model.classes_).index("good")
    ambiguous = np.argsort(np.abs(proba[:, good] - 0.5), kind="stable")
    view = SinglePageDashboard(s, page_size=20)
    view.tab = EXAMPLES
    browser = rw.ExampleBrowser(s, page_size=20, progressive=False)
    assert [label for _, label in view.query_choices()] == [
        label for label, _ in browser.query_picker.options
    ]
    expected = {"": np.arange(len(X)), "confident_errors": confident, "ambiguous": ambiguous}
    for place, (key, label) in enumerate(view.query_choices()):
        view.query_choice = place  # what the front end sends for a pick
        browser.query = key
        rows = expected[key]
        assert view.query == key and browser.n_rows == len(rows)
        assert f"{formatting.count(len(rows))} rows match" in view.sections["examples"]
        assert f'<option value="{place}" selected>{label}</option>' in view.sections["examples"]
        assert view.page_positions() == rows[:20].tolist()
        assert view.page_positions() == s.core.positions_of(browser.current_page().index).tolist()
        # every other view follows the slice (all rows), which a query does not narrow
        assert "all rows</b> (1,000 rows)" in view.header


def test_a_query_narrows_the_slice_and_a_row_clicked_is_the_querys(credit, german):
    model, s = credit
    X, y = german.data, german.target.to_numpy()
    value = sorted(X[SENSITIVE].unique())[1]
    in_slice = (X[SENSITIVE] == value).to_numpy()
    wrong = np.flatnonzero((model.predict(X) != y) & in_slice)
    view = SinglePageDashboard(s)
    view.tab = EXAMPLES
    view.selected_slice = {SENSITIVE: value}
    view.query = "confident_errors"  # set from Python: the picker shows it
    assert view.query_choice == 1
    assert f"{formatting.count(len(wrong))} rows match" in view.sections["examples"]
    confidence = model.predict_proba(X).max(axis=1)
    assert (
        view.page_positions() == wrong[np.argsort(-confidence[wrong], kind="stable")][:20].tolist()
    )
    click(view, 0)
    assert view.selected_row == X.index[view.page_positions()[0]]
    assert model.predict(X.loc[[view.selected_row]])[0] != german.target[view.selected_row]


def test_a_query_that_does_not_apply_is_refused_with_the_example_browsers_error(credit):
    _, s = credit
    view = SinglePageDashboard(s)
    for wrong in ("large_errors", "nonsense"):  # a regression query on a classifier, a typo
        with pytest.raises(ValidationError) as ours:
            view.query = wrong
        with pytest.raises(ValidationError) as browsers:  # the example browser's order
            row_order(s, query=wrong)
        assert str(ours.value) == str(browsers.value) and view.query == ""
        assert "query must be one of" in str(ours.value)


# -- the what-if ----------------------------------------------------------------------------------
def test_a_value_tried_gives_the_models_new_answer_beside_the_old(credit, german):
    model, s = credit
    X = german.data
    view = SinglePageDashboard(s)
    view.tab = EXAMPLES
    assert view.what_if_html == ""  # no case: no editor
    click(view, 4)
    row = view.selected_row
    assert '<div data-rai-fill="what_if_html"></div>' in view.sections["examples"]
    assert f"case {formatting.row_label(row)}" in view.what_if_html.replace("&#x27;", "'")
    try_value(view, "duration_in_month", 6.0)
    assert view.what_if_changes == {"duration_in_month": 6}
    good = list(model.classes_).index("good")
    before = model.predict_proba(X.loc[[row]])[0, good]
    after = model.predict_proba(X.loc[[row]].assign(duration_in_month=6))[0, good]
    result = view.what_if_result()
    assert result is not None
    assert result.after["proba_good"] == pytest.approx(after, abs=1e-12)
    assert result.before["proba_good"] == pytest.approx(before, abs=1e-12)
    html = view.what_if_html
    as_it_is, changed = readings(html)
    assert likeliest(model, X.loc[[row]]) in as_it_is
    assert likeliest(model, X.loc[[row]].assign(duration_in_month=6)) in changed
    assert formatting.chance(after) in html and formatting.chance(before) in html  # the sentence
    # the case as it is reads as the uncertainty tab reads it
    view.tab = UNCERTAINTY
    assert as_it_is in view.sections["uncertainty"].replace("&#x27;", "'")
    # and the changed case with the same conformal result
    conformal = s.conformal(confidence_level=0.9, calibration=0.5)
    text, _ = outcome_reading(
        s,
        X.loc[[row]].assign(duration_in_month=6),
        y_pred=model.predict(X.loc[[row]].assign(duration_in_month=6))[0],
        proba=dict(
            zip(
                model.classes_,
                model.predict_proba(X.loc[[row]].assign(duration_in_month=6))[0],
                strict=True,
            )
        ),
        conformal=conformal,
    )
    assert changed == text


def test_several_changes_add_up_and_each_can_be_taken_back(credit, german):
    model, s = credit
    X = german.data
    view = SinglePageDashboard(s, selected_row=X.index[10])
    row = X.index[10]
    housing = listed_values(s, "housing")
    assert housing == sorted(X["housing"].unique())  # the values the model has seen
    other = next(v for v in housing if v != X.loc[row, "housing"])
    try_value(view, "housing", float(housing.index(other)))  # a value's place among them
    try_value(view, "credit_amount", 1500.0)
    edited = X.loc[[row]].assign(housing=other, credit_amount=1500)
    good = list(model.classes_).index("good")
    result = view.what_if_result()
    assert result is not None
    assert result.after["proba_good"] == pytest.approx(
        model.predict_proba(edited)[0, good], abs=1e-12
    )
    assert result.after["prediction"] == model.predict(edited)[0]
    assert f"housing: {X.loc[row, 'housing']} → {other}" in view.what_if_html
    assert f"credit_amount: {formatting.value(X.loc[row, 'credit_amount'])} → 1,500" in (
        view.what_if_html
    )
    view.what_if_remove, view.what_if_remove_clicks = 0, 1  # "Remove" on housing
    assert view.what_if_changes == {"credit_amount": 1500}
    result = view.what_if_result()
    assert result is not None
    assert result.after["proba_good"] == pytest.approx(
        model.predict_proba(X.loc[[row]].assign(credit_amount=1500))[0, good], abs=1e-12
    )
    view.what_if_remove, view.what_if_remove_clicks = -1, 2  # "Undo every change"
    assert view.what_if_changes == {} and view.what_if_result() is None
    assert "rai-what-if-pair" not in view.what_if_html


def test_no_number_typed_says_what_to_type_and_a_new_case_starts_afresh(credit, german):
    _, s = credit
    X = german.data
    view = SinglePageDashboard(s, selected_row=X.index[2])
    try_value(view, "age_in_years", None)  # the box left empty
    assert number_needed("age_in_years") in view.what_if_html
    assert view.what_if_changes == {}
    try_value(view, "age_in_years", 30.0)
    assert view.what_if_changes == {"age_in_years": 30}
    assert 'value="30"' in view.what_if_html  # the box shows the value tried
    view.selected_row = X.index[3]
    assert view.what_if_changes == {} and "rai-what-if-pair" not in view.what_if_html
    age = X.loc[X.index[3], "age_in_years"]
    assert f'value="{age}"' in view.what_if_html  # the new case's own value


def test_a_value_outside_the_data_says_the_model_extrapolates(credit, german):
    _, s = credit
    view = SinglePageDashboard(s, selected_row=german.data.index[0])
    try_value(view, "age_in_years", 130.0)
    oldest = german.data["age_in_years"].max()
    assert "outside the values seen in X" in view.what_if_html
    assert f"..{oldest}" in view.what_if_html


def test_a_regression_what_if_gives_the_models_prediction_and_its_interval(wage, wage_model):
    X = wage.data
    s = rw.ModelSession(wage_model, X, wage.target, random_state=0)
    row = X.index[7]
    view = SinglePageDashboard(s, selected_row=row)
    try_value(view, "age", 60.0)
    predicted = float(wage_model.predict(X.loc[[row]].assign(age=60))[0])
    result = view.what_if_result()
    assert result is not None and float(result.after["prediction"]) == pytest.approx(predicted)
    conformal = s.conformal(confidence_level=0.9, calibration=0.5)
    text, _ = outcome_reading(
        s, X.loc[[row]].assign(age=60), y_pred=predicted, proba=None, conformal=conformal
    )
    as_it_is, changed = readings(view.what_if_html)
    assert changed == text.replace("&#x27;", "'")
    before, _ = uncertainty.case_reading(s, row, conformal=conformal)
    assert as_it_is == before
    lower, upper = conformal.interval_for(X.loc[[row]].assign(age=60), [predicted])
    assert lower[0] < predicted < upper[0]


def test_hostile_values_tried_stay_text(german):
    hostile = "<img src=x onerror=alert(1)>"
    X = german.data[["duration_in_month", "credit_amount", "foreign_worker"]]
    X = X.rename(columns={"foreign_worker": hostile}).copy()
    X[hostile] = X[hostile].map({"yes": "</script><script>alert(2)</script>", "no": hostile})
    X.index = [f"{hostile}{i}" for i in range(len(X))]
    y = german.target.set_axis(X.index)
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=[hostile], random_state=0)
    view = SinglePageDashboard(s, selected_row=X.index[0])
    view.tab = EXAMPLES
    other = next(v for v in listed_values(s, hostile) if v != X[hostile].iloc[0])
    try_value(view, hostile, float(listed_values(s, hostile).index(other)))
    assert view.what_if_changes == {hostile: other}
    assert "rai-what-if-pair" in view.what_if_html
    view.pin_clicks += 1
    assert "<script>" not in view.pinned_html and len(view.test_cases) == 1
    drawn = (view.what_if_html, view.pinned_html, view.sections["examples"])
    seen = [p for html in drawn for p in problems(html)]
    assert not seen, seen[:5]


# -- pinning ----------------------------------------------------------------------------------
def pin(view: SinglePageDashboard, row) -> None:
    """What the front end sends: a click on a row of the page, then on the pin button."""
    view.selected_row = row
    view.pin_clicks += 1


def side_by_side(html: str) -> dict[str, list[str]]:
    """The pinned cases' table read back: each line's name -> its cells, one per case."""
    table = html.split("rai-single-page-pinned")[1].split("</table>")[0]
    lines = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr)
        lines[cells[0]] = cells[1:]
    return lines


def test_pinned_cases_show_side_by_side_with_the_models_answers(credit, german):
    model, s = credit
    X, y = german.data, german.target
    board = rw.Dashboard(s)
    view = live_view_of(board)
    view.tab = EXAMPLES
    assert view.pinned_html == ""  # no case, no pin
    picked = [X.index[5], X.index[40], X.index[5]]  # the third: pinned already
    for row in picked:
        pin(view, row)
    assert view.pinned_rows() == picked[:2]
    assert [c.row for c in board.examples.test_cases.cases] == picked[:2]  # the board's set
    assert "Case 5 is pinned</button>" in view.pinned_html and "data-rai-pin disabled" in (
        view.pinned_html
    )
    assert '<div data-rai-fill="pinned_html"></div>' in view.sections["examples"]
    lines = side_by_side(view.pinned_html)
    rows = X.loc[picked[:2]]
    assert lines["prediction"] == model.predict(rows).tolist()
    assert lines["actual"] == y.loc[picked[:2]].tolist()
    assert lines["credit_amount"] == [formatting.value(v) for v in rows["credit_amount"]]
    good = list(model.classes_).index("good")
    assert lines["proba_good"] == [
        formatting.number(p, decimals=3) for p in model.predict_proba(rows)[:, good]
    ]
    assert "<th>5</th><th>40</th>" in view.pinned_html
    board.presenter = True  # presenter mode leaves out the raw scores, as in the rows
    assert "proba_good" not in side_by_side(view.pinned_html)
    view.unpin_place, view.unpin_clicks = 0, view.unpin_clicks + 1
    assert view.pinned_rows() == [X.index[40]] == [c.row for c in board.examples.test_cases.cases]
    assert "Pin case 5 as a test case" in view.pinned_html  # the case shown may be pinned again


# -- the presenter switch -------------------------------------------------------------------------
def test_the_presenter_switch_is_the_boards_and_redraws_every_tab(credit):
    _, s = credit
    board = rw.Dashboard(s)
    view = live_view_of(board)
    explanation_tab = VIEWS.index("explanation")
    for i in (explanation_tab, EXAMPLES, 0):  # three tabs drawn, the audit shown last
        view.tab = i
    assert "data-rai-presenter>" in view.header and "rai-dashboard rai-presenter" not in view.header
    view.presenter = True  # what the front end sends for a tick of the switch
    assert board.presenter and board.examples.presenter and board.audit.presenter
    assert "data-rai-presenter checked>" in view.header
    assert 'class="rai-dashboard rai-presenter"' in view.header
    expected = audit_section_html(s, presenter=True, selected=-1)
    assert view.sections["audit"] == f'<div class="rai-dashboard rai-presenter">{expected}</div>'
    assert expected != audit_section_html(s, presenter=False, selected=-1)  # concerns only
    view.tab = explanation_tab  # a tab drawn before the switch is drawn again, in its type
    assert view.sections["explanation"].startswith('<div class="rai-dashboard rai-presenter">')
    view.tab = EXAMPLES
    assert "proba_good" not in view.sections["examples"]
    board.presenter = False  # and the board's own switch moves the page's
    assert not view.presenter and "data-rai-presenter>" in view.header
    assert "proba_good" in view.sections["examples"]
