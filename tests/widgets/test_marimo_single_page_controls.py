"""The single page's controls (the Dashboard's live view in marimo) through its traitlets, on
German credit: the board it is shown for follows it both ways (row and slice), the slice
picker, "Show evidence" and sorting the example rows. Checked against pandas, against the
JupyterLab Dashboard in the same state, and against the model's own calls (a redraw computes
no prediction and no audit again)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets import formatting
from rai_widgets.core.errors import ValidationError
from rai_widgets.static_html import dashboard, fairness
from rai_widgets.static_html.dashboard import VIEWS
from rai_widgets.views.dashboard import dashboard_model
from rai_widgets.widgets.live_view import live_view_of
from rai_widgets.widgets.single_page import SinglePageDashboard
from tests.conftest import raw_column_pipeline
from tests.widgets.single_page_setup import SENSITIVE, click, credit_model_and_session

EXAMPLES = VIEWS.index("examples")


@pytest.fixture(scope="module")
def credit(german):
    return credit_model_and_session(german)


def show_evidence(view: SinglePageDashboard, finding: int) -> None:
    """What the front end sends for a click on a finding's "Show evidence"."""
    view.finding_row, view.finding_clicks = finding, view.finding_clicks + 1


def headers(view: SinglePageDashboard) -> list[str]:
    """The headers of the example rows drawn (the detail's tables come after them)."""
    return re.findall(r"<th>(.*?)</th>", view.sections["examples"].split("rai-detail")[0])


def sort(view: SinglePageDashboard, header: str) -> None:
    """What the front end sends for a click on a header of the example rows."""
    view.sort_column, view.sort_clicks = headers(view).index(header), view.sort_clicks + 1


def assert_drawn(static_html: str, drawn: str) -> None:
    """The static picture's parts are all drawn (the fairness tab's threshold controls stand
    between its charts, each tab's controls over it)."""
    for part in static_html.split("<svg"):
        assert part in drawn


def test_a_row_clicked_on_the_page_is_the_boards_and_the_boards_row_moves_the_page(credit, german):
    _, s = credit
    X = german.data
    board = rw.Dashboard(s)
    view = live_view_of(board)
    view.tab = EXAMPLES
    click(view, 6)
    assert board.selected_row == X.index[6]  # what code written for JupyterLab reads
    # and the board's own views follow it, as in JupyterLab
    assert board.explanation.row == X.index[6] == board.uncertainty.row
    board.selected_row = X.index[13]
    assert view.selected_row == X.index[13] and view.highlighted == 13
    assert f"<h4>Row {formatting.row_label(X.index[13])}</h4>" in view.sections["examples"]


def test_a_slice_picked_on_the_page_is_the_boards_and_the_boards_slice_moves_the_page(
    credit, german
):
    _, s = credit
    X = german.data
    board = rw.Dashboard(s)
    view = live_view_of(board)
    choices = view.slice_choices()
    # the live Dashboard's choices (its example browser's picker), each value pandas finds
    offered = board.examples.slice_picker.options
    assert [label for label, _ in choices] == [label for label, _ in offered]
    values = sorted(X[SENSITIVE].unique())
    assert [spec for _, spec in choices] == [None, *({SENSITIVE: v} for v in values)]
    view.tab = EXAMPLES
    for place, value in enumerate(values, start=1):
        view.slice_choice = place  # what the front end sends for a pick
        n = int((X[SENSITIVE] == value).sum())
        assert board.selected_slice == {SENSITIVE: value} and board.examples.n_rows == n
        assert f"({formatting.count(n)} rows)" in view.header
        assert f'<option value="{place}" selected>' in view.header
        assert f"{formatting.count(n)} rows match" in view.sections["examples"]
    view.slice_choice = 0  # "Show all rows" sends the first choice
    assert board.selected_slice is None and "(1,000 rows)" in view.header
    assert 'data-rai-clear="slice" disabled' in view.header
    board.selected_slice = {SENSITIVE: values[2]}  # set from Python: the picker shows it
    assert view.slice_choice == 3 and '<option value="3" selected>' in view.header
    both = {SENSITIVE: values[0], "foreign_worker": "yes"}  # a slice no choice names
    board.selected_slice = both
    mask = (X[SENSITIVE] == values[0]) & (X["foreign_worker"] == "yes")
    assert view.slice_choices()[-1] == (f"{SENSITIVE} = {values[0]} & foreign_worker = yes", both)
    assert view.slice_choice == len(choices)
    assert f"({formatting.count(int(mask.sum()))} rows)" in view.header
    assert view.page_positions() == np.flatnonzero(mask.to_numpy())[:20].tolist()


def test_every_view_follows_the_slice_picked_as_the_dashboards_view_model_says(credit, german):
    _, s = credit
    view = SinglePageDashboard(s)
    spec = view.slice_choices()[2][1]
    view.slice_choice = 2
    model = dashboard_model(s, selected_slice=spec)
    assert model.fairness_by == SENSITIVE == model.uncertainty_by
    for i, name in enumerate(VIEWS):
        if name in ("audit", "examples"):
            continue
        view.tab = i
        expected = dashboard.section_html(s, model, name)
        if name == "explanation":  # the others with their controls
            assert view.sections[name] == f'<div class="rai-dashboard">{expected}</div>'
        assert_drawn(expected, view.sections[name])


def test_show_evidence_does_what_it_does_in_the_jupyterlab_dashboard(credit):
    _, s = credit
    lab = rw.Dashboard(s)
    lab_tabs = lab.children[-1]  # the Tab widget of the JupyterLab Dashboard
    view = SinglePageDashboard(s)
    assert view.findings().equals(lab.audit.frame)
    drawn = [int(i) for i in re.findall(r'data-rai-finding="(\d+)"', view.sections["audit"])]
    assert drawn == sorted(lab.audit.buttons)  # a button where JupyterLab has one
    frame = view.findings()
    first_of_each = [int(frame.index[frame["check"] == c][0]) for c in frame["check"].unique()]
    clicked = [i for i in first_of_each if i in lab.audit.buttons]
    assert len(clicked) >= 4
    for i in clicked:
        lab.audit.buttons[i].click()
        show_evidence(view, i)
        assert view.selected_finding == i
        assert view.selected_slice == lab.selected_slice
        assert view.selected_row == lab.selected_row
        assert view.tab == lab_tabs.selected_index, frame.iloc[i]["check"]
        shown = VIEWS[view.tab]
        if shown == "fairness":
            by, metric = lab.fairness.by, lab.fairness.metric
            assert (view.fairness_by, view.fairness_metric) == (by, metric)
            assert_drawn(fairness.view_html(s, by=by, metric=metric), view.sections["fairness"])
    view.tab = 0
    selected = r'rai-audit-selected">.*?data-rai-finding="(\d+)"'
    outlined = re.findall(selected, view.sections["audit"])
    assert outlined == [str(clicked[-1])]
    with pytest.raises(ValidationError, match="finding must be a row"):
        view.show_evidence(len(frame))


def test_a_findings_rows_show_under_it_as_in_jupyterlab(german):
    X, y = german.data, german.target
    train = np.arange(len(X)) < 600
    X_train, y_train = X[train], y[train].copy()
    single = np.flatnonzero((X_train[SENSITIVE] == "male : single").to_numpy())
    flip = np.random.default_rng(0).choice(single, int(0.3 * len(single)), replace=False)
    y_train.iloc[flip] = np.where(y_train.iloc[flip] == "good", "bad", "good")
    model = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    s = rw.ModelSession(
        model, X[~train], y[~train], sensitive_features=[SENSITIVE], random_state=0,
        train=(X_train, y_train),
    )  # fmt: skip
    view = SinglePageDashboard(s)
    lab = rw.AuditView(s)
    at = int(np.flatnonzero(view.findings()["check"] == "label_quality")[0])
    show_evidence(view, at)
    lab.buttons[at].click()
    view.tab = 0
    audit_html = view.sections["audit"]
    texts = [str(getattr(widget, "value", "")) for widget in _widgets(lab)]
    panes = [text for text in texts if 'class="rai-audit-evidence"' in text]
    assert len(panes) == 1 and panes[0] in audit_html  # the table JupyterLab shows
    rows = next(f for f in s.audit().findings if f.check == "label_quality").rows
    assert rows is not None and set(rows.index) <= set(X_train.index)  # training rows
    assert f"The {len(rows):,} training rows of {SENSITIVE} = male : single" in audit_html


def _widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def test_a_click_on_a_header_sorts_the_rows_as_pandas_does(credit, german):
    _, s = credit
    amount = german.data["credit_amount"].reset_index(drop=True)
    view = SinglePageDashboard(s, page_size=10)
    view.tab = EXAMPLES
    view.page = 3
    sort(view, "credit_amount")
    assert (view.sort_by, view.ascending, view.page) == ("credit_amount", True, 0)
    assert view.page_positions() == amount.sort_values(kind="stable").index[:10].tolist()
    assert view.sorted_place == headers(view).index("credit_amount")  # marked in the page
    sort(view, "credit_amount")  # again: the other way
    assert not view.ascending
    descending = amount.sort_values(ascending=False, kind="stable").index
    assert view.page_positions() == descending[:10].tolist()
    spec = view.slice_choices()[1][1]
    view.slice_choice = 1  # a slice keeps the sort
    in_slice = german.data[SENSITIVE].reset_index(drop=True) == spec[SENSITIVE]
    expected = amount[in_slice].sort_values(ascending=False, kind="stable").index[:10]
    assert view.page_positions() == expected.tolist()
    sort(view, "row")  # the data's own order
    assert view.sort_by == "" and view.sorted_place == -1
    assert view.page_positions() == np.flatnonzero(in_slice.to_numpy())[:10].tolist()
    sort(view, "prediction")
    assert view.sort_by == "y_pred"
    with pytest.raises(ValidationError, match="sort_by"):
        view.sort_by = "no such column"


def test_a_redraw_computes_no_prediction_and_no_audit_again(german):
    calls: list[tuple[int, bool]] = []  # (rows, the full data?), kept off the model

    class Counting:
        def __init__(self, fitted):
            self.fitted, self.classes_ = fitted, fitted.classes_

        def predict(self, X):
            return self.fitted.predict(X)

        def predict_proba(self, X):
            calls.append((len(X), len(X) == len(german.data) and X.equals(german.data)))
            return self.fitted.predict_proba(X)

    fitted = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(german.data, german.target)
    s = rw.ModelSession(
        Counting(fitted), german.data, german.target, sensitive_features=[SENSITIVE],
        random_state=0,
    )  # fmt: skip
    view = SinglePageDashboard(s)
    for i in range(len(VIEWS)):
        view.tab = i
    assert sum(full for _, full in calls) == 1  # the predictions, once
    view.tab = EXAMPLES
    before = len(calls)
    view.page = 2
    sort(view, "age_in_years")
    view.slice_choice = 2
    click(view, 1)  # a case: its explanation asks the model about that row
    assert view.selected_row is not None and len(calls) > before
    assert not any(full for _, full in calls[before:])
    view.tab = 0
    before = len(calls)
    view.presenter = True  # the audit is drawn again: from the session's audit
    frame = view.findings()
    show_evidence(view, int(frame.index[frame["view"] == "fairness"][0]))
    assert len(calls) == before  # no check ran again, no prediction was made
