"""SinglePageDashboard (the Dashboard's live view in marimo) through its traitlets, on German
credit: what the front end sends (a tab, a page, a row's place) and the HTML Python sends back,
checked against pandas and scikit-learn and against the static picture's own renderers."""

from __future__ import annotations

import numpy as np
import pytest
import traitlets
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.core.errors import RowNotFoundError, ValidationError
from rai_widgets.static_html import explanation, uncertainty
from rai_widgets.static_html.dashboard import TABS, VIEWS
from rai_widgets.widgets.live_view import live_view_of
from rai_widgets.widgets.single_page import FOLLOW_THE_ROW, SinglePageDashboard
from tests.conftest import raw_column_pipeline
from tests.inert_html import problems
from tests.widgets.single_page_setup import SENSITIVE, click, credit_model_and_session

EXAMPLES, EXPLANATION = VIEWS.index("examples"), VIEWS.index("explanation")


@pytest.fixture(scope="module")
def credit(german):
    return credit_model_and_session(german)


def test_only_the_tab_shown_is_drawn_and_a_tab_is_drawn_when_shown(credit):
    _, s = credit
    view = SinglePageDashboard(s)
    assert list(view.sections) == ["audit"] and view.tabs == list(TABS)
    for i, name in enumerate(VIEWS):
        view.tab = i
        assert name in view.sections and view.shown_view() == name
    assert sorted(view.sections) == sorted(VIEWS)


def test_a_clicked_row_is_the_case_of_the_detail_and_the_explanation(credit, german):
    model, s = credit
    X = german.data
    view = SinglePageDashboard(s, page_size=10)
    view.tab = EXAMPLES
    view.page = 2  # rows 20..29 of X, in X's order
    audit_html = view.sections["audit"]
    for place in (3, 7):
        click(view, place)
        label = X.index[20 + place]  # independent: pandas' own order
        assert view.selected_row == label and view.highlighted == place
        detail = view.sections["examples"]
        assert f"<h4>Row {formatting.row_label(label)}</h4>" in detail
        predicted = model.predict(X.loc[[label]])[0]  # scikit-learn's answer for that row
        assert f"Predicted {predicted}" in detail
        assert f"case <b>{formatting.row_label(label)}</b>" in view.header
        # the other tabs that show a case are drawn again when shown; the audit is kept
        assert not set(FOLLOW_THE_ROW[1:]) & set(view.sections)
        assert view.sections["audit"] is audit_html
    view.tab = EXPLANATION
    label = X.index[27]
    expected = explanation.view_html(s, row=label, slice_by="")
    assert view.sections["explanation"] == f'<div class="rai-dashboard">{expected}</div>'
    chance = model.predict_proba(X.loc[[label]])[0, list(model.classes_).index("good")]
    assert f"{round(100 * chance)}% chance" in view.sections["explanation"]
    view.tab = VIEWS.index("uncertainty")
    assert uncertainty.view_html(s, row=label, by=SENSITIVE) in view.sections["uncertainty"]


def test_a_second_click_on_the_same_place_of_another_page_registers(credit, german):
    _, s = credit
    view = SinglePageDashboard(s, page_size=5)
    view.tab = EXAMPLES
    click(view, 1)
    view.page = 1
    assert view.highlighted == -1  # the case is on page 0
    click(view, 1)
    assert view.selected_row == german.data.index[6] and view.highlighted == 1


def test_pages_are_clamped_and_show_their_rows(credit, german):
    _, s = credit
    view = SinglePageDashboard(s, page_size=20)
    view.tab = EXAMPLES
    view.page = 10**6
    assert view.page == 49 and view.page_positions() == list(range(980, 1000))
    assert "page 50 of 50" in view.sections["examples"]
    assert 'data-rai-step="1" disabled' in view.sections["examples"]
    view.page = -4
    assert view.page == 0 and 'data-rai-step="-1" disabled' in view.sections["examples"]
    click(view, 25)  # past the end of the page: nothing is picked
    assert view.selected_row is None


def test_a_slice_lists_its_rows_only(credit, german):
    _, s = credit
    value = german.data[SENSITIVE].iloc[0]
    in_slice = np.flatnonzero((german.data[SENSITIVE] == value).to_numpy())
    view = SinglePageDashboard(s, selected_slice={SENSITIVE: value})
    view.tab = EXAMPLES
    assert view.page_positions() == in_slice[:20].tolist()
    assert f"{formatting.count(len(in_slice))} rows match" in view.sections["examples"]
    click(view, 2)
    assert view.selected_row == german.data.index[in_slice[2]]


def test_the_dashboard_shows_its_live_view_in_marimo_and_it_follows_the_board(credit, german):
    _, s = credit
    board = rw.Dashboard(s)
    view = board._display_()  # what marimo calls first, for any object it shows
    assert isinstance(view, SinglePageDashboard) and view is live_view_of(board)
    view.tab = EXAMPLES
    board.selected_row = german.data.index[8]
    assert view.selected_row == german.data.index[8] and view.highlighted == 8
    assert "<h4>Row 8</h4>" in view.sections["examples"]
    assert "proba_good" in view.sections["examples"]
    board.presenter = True
    assert view.presenter and "rai-presenter" in view.sections["examples"]
    assert "proba_" not in view.sections["examples"]  # presenter mode hides the raw scores
    view.close()
    assert live_view_of(board) is not view  # a closed live view is made again


def test_refused_arguments_name_themselves(credit):
    _, s = credit
    with pytest.raises(ValidationError, match="page_size"):
        SinglePageDashboard(s, page_size=0)
    with pytest.raises(ValidationError, match="confidence_level"):
        SinglePageDashboard(s, confidence_level=1.5)
    view = SinglePageDashboard(s)
    with pytest.raises(RowNotFoundError):
        view.selected_row = "no such row"
    with pytest.raises(traitlets.TraitError, match="selected_slice"):
        view.selected_slice = "sex = male"
    with pytest.raises(ValidationError, match="view must be one of"):
        view.section_html("everything")


def test_hostile_text_stays_text(german):
    hostile = "<img src=x onerror=alert(1)>"
    X = german.data[["duration_in_month", "credit_amount", "age_in_years", "foreign_worker"]]
    X = X.rename(columns={"foreign_worker": hostile}).copy()
    X[hostile] = X[hostile].map({"yes": "</script><script>alert(2)</script>", "no": hostile})
    X.index = [f"{hostile}{i}" for i in range(len(X))]
    y = german.target.set_axis(X.index)
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=[hostile], random_state=0)
    view = SinglePageDashboard(s)
    for i in range(len(VIEWS)):
        view.tab = i
        if i == EXAMPLES:
            click(view, 0)
    outputs = [view.header, *view.sections.values()]
    assert len(outputs) == 1 + len(VIEWS)
    seen = [p for html in outputs for p in problems(html)]
    assert not seen, seen[:5]


def test_a_slice_set_on_a_later_page_starts_at_its_first_page(credit, german):
    _, s = credit
    view = SinglePageDashboard(s, page_size=10)
    view.tab = EXAMPLES
    view.page = 3
    value = german.data[SENSITIVE].iloc[0]
    in_slice = np.flatnonzero((german.data[SENSITIVE] == value).to_numpy())
    view.selected_slice = {SENSITIVE: value}
    assert view.page == 0 and view.page_positions() == in_slice[:10].tolist()
    assert f"{formatting.count(len(in_slice))} rows match" in view.sections["examples"]
    assert f"{formatting.count(len(in_slice))} rows)" in view.header
    view.selected_slice = None
    assert "1,000 rows match" in view.sections["examples"]
