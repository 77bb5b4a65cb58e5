"""Dashboard: one selected row and one selected slice drive every view (through traitlets)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import traitlets
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def session(adult):
    X, y = adult.data.iloc[:5_000], adult.target.iloc[:5_000]
    model = raw_column_pipeline(
        RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0)
    ).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


def test_a_clicked_row_drives_every_view(session):
    board = rw.Dashboard(session)
    board.examples.table.selected_index = 3  # a click on the fourth row of the first page
    row = board.examples.current_page().index[3]
    assert board.selected_row == row
    assert board.explanation.row == row and board.uncertainty.row == row
    assert f"case <b>{row}</b>" in board.following_html
    other = session.X.index[42]
    board.explanation.row = other  # a row typed in the explanation view
    assert board.selected_row == other and board.uncertainty.row == other
    assert board.examples.selected_row == other
    with pytest.raises(rw.RowNotFoundError):
        board.selected_row = "no such row"


def test_a_group_picked_in_the_fairness_view_filters_every_view(session):
    board = rw.Dashboard(session)
    board.fairness.by = "race"
    board.fairness.slice_picker.value = "Black"  # the user picks a group to follow
    assert board.selected_slice == {"race": "Black"}
    assert board.examples.slice == {"race": "Black"}
    assert board.examples.n_rows == int((session.X["race"] == "Black").sum())
    assert set(board.examples.current_page()["race"]) == {"Black"}
    assert board.explanation.slice_by == "race" and board.uncertainty.by == "race"
    assert "race = Black" in board.following_html
    board.clear_slice()
    assert board.selected_slice is None and board.examples.n_rows == len(session.X)
    assert board.fairness.selected_slice is None


def test_the_line_every_view_follows_counts_the_slice_not_the_browsers_query(session):
    board = rw.Dashboard(session)
    board.examples.query = "confident_errors"  # narrows the example browser only
    board.selected_slice = {"race": "Black"}
    black = int((session.X["race"] == "Black").sum())
    assert board.examples.n_rows < black  # the query did narrow the browser
    assert f"race = Black</b> ({black:,} rows)" in board.following_html
    assert board.view_model().n_rows == black


def test_a_slice_picked_in_the_browser_moves_the_fairness_view(session):
    board = rw.Dashboard(session)
    assert board.fairness.by == "sex"
    options = dict(board.examples.slice_picker.options)
    board.examples.slice_picker.value = options["race = White"]
    assert board.selected_slice == {"race": "White"}
    assert board.fairness.by == "race" and board.fairness.selected_slice == "White"
    assert "White" in board.fairness.slice_picker.label


def test_intersections_and_numeric_bins_filter_the_right_rows(session, adult):
    board = rw.Dashboard(session)
    board.fairness.intersections = True
    board.fairness.slice_picker.value = ("Female", "White")
    assert board.selected_slice == {"sex": "Female", "race": "White"}
    expected = ((session.X["race"] == "White") & (session.X["sex"] == "Female")).sum()
    assert board.examples.n_rows == expected

    X, y = adult.data.iloc[:3_000], adult.target.iloc[:3_000]
    model = raw_column_pipeline(LogisticRegression(max_iter=300)).fit(X, y)
    by_age = rw.ModelSession(model, X, y, sensitive_features=["age"], random_state=0)
    board = rw.Dashboard(by_age)
    assert board.fairness.by == "age"
    first = by_age.core.slices("age").labels[0]  # a quartile of age, labelled like "17–28"
    board.fairness.slice_picker.value = first
    assert board.selected_slice == {"age": first}
    low, high = (float(v) for v in first.split("–"))
    inside = X["age"].between(low, high)
    assert board.examples.n_rows == int(inside.sum()) > 0
    assert set(board.examples.current_page()["age"]) <= set(X["age"][inside])


def test_two_dashboards_do_not_interfere(session, german, german_model):
    a = rw.Dashboard(session)
    b = rw.Dashboard(
        rw.ModelSession(
            german_model, german.data, german.target, sensitive_features=["foreign_worker"]
        )
    )
    a.selected_row = session.X.index[7]
    a.selected_slice = {"race": "Black"}
    assert b.selected_row is None and b.selected_slice is None
    assert b.examples.n_rows == len(german.data) and b.explanation.row == german.data.index[0]
    c = rw.Dashboard(session)  # a second dashboard on the same session
    assert c.selected_slice is None and c.examples.n_rows == len(session.X)


def test_presenter_mode_hides_technical_columns_and_enlarges_type(session):
    board = rw.Dashboard(session)
    technical = {"score", "proba_<=50K", "proba_>50K"}
    assert technical <= set(board.examples.table.columns)
    board.presenter = True
    assert board.presenter and "rai-presenter" in board._dom_classes
    assert not technical & set(board.examples.table.columns)
    assert "prediction" in board.examples.table.columns
    page = board.static_html()
    assert "rai-presenter" in page and "rai-technical" in page
    # one line beside the trivial answer (no name given: the class name is not shown)
    assert board.summary.startswith("The model is right for") and "bounds" not in board.summary
    board.presenter = False
    assert "rai-presenter" not in board._dom_classes
    assert technical <= set(board.examples.table.columns)


def test_bad_selected_slice_is_a_clear_error(session):
    board = rw.Dashboard(session)
    with pytest.raises(traitlets.TraitError, match="dict such as"):
        board.selected_slice = "Black"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"race": "Martian"}, "holds no row: pick a group the data has, such as one of"),
        ({"ethnicity": "Black"}, "'ethnicity' is not a column"),
    ],
)
def test_a_refused_selected_slice_leaves_the_previous_one(session, bad, message):
    board = rw.Dashboard(session)
    board.selected_slice = {"race": "Black"}
    rows = board.examples.n_rows
    with pytest.raises(traitlets.TraitError, match=message):
        board.selected_slice = bad
    # nothing moved: the dashboard, the header and the browser still agree on the last slice
    assert board.selected_slice == {"race": "Black"}
    assert board.examples.slice == {"race": "Black"} and board.examples.n_rows == rows
    assert f"{rows:,} rows" in board._following.value


@pytest.mark.parametrize("task", ["regression", "multiclass"])
def test_dashboard_for_other_tasks(task, wage, wage_model, wage_education):
    if task == "regression":
        s = rw.ModelSession(wage_model, wage.data, wage.target, sensitive_features=["race"])
        phrase = "off by"
    else:
        model, X, y = wage_education
        s = rw.ModelSession(model, X, y, sensitive_features=["race"])
        phrase = "is right for"
    board = rw.Dashboard(s)
    assert phrase in board.summary
    assert board.fairness.threshold_panel is None
    board.selected_row = s.X.index[5]
    assert board.uncertainty.row == s.X.index[5]
    bundle = board._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle


def test_dashboard_escapes_hostile_data():
    rng = np.random.default_rng(0)
    evil = "<img src=x onerror=alert(1)>"
    X = pd.DataFrame(
        {evil: rng.choice([evil, "</script><b>b</b>"], 300), "v": rng.normal(size=300)}
    )
    y = (X["v"] > 0).astype(int)
    model = raw_column_pipeline(LogisticRegression()).fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=[evil], random_state=0, name=evil)
    board = rw.Dashboard(s)
    board.selected_slice = {evil: evil}
    board.selected_row = board.examples.current_page().index[0]
    page = board.static_html() + board.following_html + board.summary_html
    assert "<img" not in page and "<b>b</b>" not in page and "</script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_blind_spots_are_distinct_and_can_be_followed(session):
    board = rw.Dashboard(session)
    fairness = board.fairness
    spots = fairness.blind_spots
    assert 1 <= len(spots) <= 6
    masks = [session.core.slice_mask(spec) for spec in spots]
    for i in range(len(masks)):
        for j in range(i):
            overlap = (masks[i] & masks[j]).sum() / min(masks[i].sum(), masks[j].sum())
            assert overlap <= 0.8  # no two listed spots are the same finding
    fairness.spot_picker.value = 0  # the user follows the strongest blind spot
    assert fairness.selected_spot == spots[0]
    assert board.selected_slice == spots[0]
    assert board.examples.n_rows == int(masks[0].sum())
    text = " & ".join(f"{c} = {v}" for c, v in spots[0].items())
    assert text in board.following_html.replace("&amp;", "&")


class _Recorder:
    """A display publisher that keeps what IPython publishes (data, display id, update?)."""

    def __init__(self):
        self.messages = []

    def publish(self, data, metadata=None, *, transient=None, update=False, **kwargs):
        self.messages.append((data, (transient or {}).get("display_id"), update))


@pytest.fixture
def shell():
    """An in-process IPython shell whose displays are recorded (no kernel, no front end)."""
    from IPython.core.interactiveshell import InteractiveShell

    had = InteractiveShell.initialized()
    ipython = InteractiveShell.instance()
    saved = ipython.display_pub
    ipython.display_pub = _Recorder()
    yield ipython
    ipython.display_pub = saved
    if not had:
        InteractiveShell.clear_instance()


def test_the_static_picture_follows_the_clicked_case_and_the_followed_group(session, shell):
    from IPython.display import display

    board = rw.Dashboard(session)
    display(board)  # as a cell's last line shows it
    ((data, display_id, update),) = shell.display_pub.messages
    assert display_id and not update and "application/vnd.jupyter.widget-view+json" in data
    assert "case <b>" not in data["text/html"]
    shell.events.trigger("post_run_cell", None)  # nothing changed: nothing redrawn
    assert len(shell.display_pub.messages) == 1

    row = session.X.index[(session.X["race"] == "Black").to_numpy()][3]
    board.selected_row = row  # set from Python, as a later cell does
    board.selected_slice = {"race": "Black"}
    shell.events.trigger("post_run_cell", None)  # the end of that cell
    data, again, update = shell.display_pub.messages[-1]
    assert again == display_id and update  # the same output, redrawn
    picture = data["text/html"]
    label = rw.formatting.row_label(row)
    assert f"case <b>{label}</b>" in picture and "race = Black" in picture
    assert f"<h4>Row {label}</h4>" in picture  # the clicked case's details
    n_black = rw.formatting.count((session.X["race"] == "Black").sum())
    assert f"{n_black} rows match" in picture  # the browser's page: the followed group
    head = picture.split('<table class="rai-small-table"><tr>')[1].split("</tr>")[0]
    assert head.startswith("<th>row</th><th>prediction</th><th>actual</th>")
    assert picture == rw.widgets.fallback.fallback_html(board.static_html())

    board._view_count = 1  # a front end shows it live: its output is left alone
    board.selected_slice = None
    shell.events.trigger("post_run_cell", None)
    assert shell.display_pub.messages[-1][0] is data
    board._view_count = 0
    board.close()  # a closed widget stops following
    shell.events.trigger("post_run_cell", None)
    assert shell.display_pub.messages[-1][0] is data
    assert board._redraw_picture not in shell.events.callbacks["post_run_cell"]


def test_a_blind_spot_followed_from_the_audit_is_named_in_the_fairness_view(session):
    board = rw.Dashboard(session)
    frame = board.audit.frame
    spots = frame.index[(frame["check"] == "blind_spot") & frame["slice"].notna()].tolist()
    if not spots:
        pytest.skip("no blind spot found on this model")
    board.audit.select(spots[0])
    picker = board.fairness.spot_picker
    assert picker.value >= 0, "Follow a blind spot still reads none"
    assert board.fairness.blind_spots[picker.value] == board.selected_slice
    # a slice that is no blind spot: the picker says none and the slice stays followed
    board.selected_slice = {"sex": "Female"}
    assert picker.value == -1 and board.selected_slice == {"sex": "Female"}
