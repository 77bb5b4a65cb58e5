"""The Dashboard's one view model: what it decides, and that every renderer draws it.

The live widget, the static picture and the marimo single page take the summary, the "Every
view follows" line and each view's grouping from ``views.dashboard.dashboard_model``; the
numbers are checked against pandas on German credit (a slice's rows, the columns with few
values).
"""

from __future__ import annotations

import pytest

import rai_widgets as rw
from rai_widgets.static_html import dashboard as static
from rai_widgets.static_html import examples as static_examples
from rai_widgets.static_html import page
from rai_widgets.views.dashboard import (
    TABS,
    VIEWS,
    dashboard_model,
    dashboard_summary,
    slice_rows,
)
from rai_widgets.views.parts import Failed
from rai_widgets.widgets.single_page import SinglePageDashboard

STATUS = "personal_status_and_sex"
WOMEN = "female : divorced/separated/married"  # one of its groups (310 of 1,000 rows)
SINGLE_MEN = "male : single"


@pytest.fixture(scope="module")
def german_session(german, german_model):
    return rw.ModelSession(
        german_model,
        german.data,
        german.target,
        sensitive_features=["foreign_worker", STATUS],
        random_state=0,
    )


def test_a_slice_of_one_sensitive_column_regroups_every_view(german_session, german):
    X = german.data
    model = dashboard_model(german_session, selected_slice={STATUS: WOMEN})
    assert model.views == VIEWS and model.tabs == TABS and model.tabs[0] == "What to look at"
    assert model.n_rows == int((X[STATUS] == WOMEN).sum()) > 0
    assert model.fairness_by == STATUS and model.fairness_group == WOMEN
    assert model.explanation_slice_by == STATUS
    assert model.uncertainty_by == STATUS
    assert model.following.examples_slice == {STATUS: WOMEN}
    assert model.row is None and not model.presenter


def test_no_slice_and_an_intersection_keep_the_first_sensitive_feature(german_session, german):
    X = german.data
    plain = dashboard_model(german_session)
    assert plain.slice is None and plain.n_rows == len(X)
    assert (plain.fairness_by, plain.uncertainty_by) == ("foreign_worker", "foreign_worker")
    assert plain.explanation_slice_by == "" and plain.following.fairness_by is None
    both = {"foreign_worker": "yes", STATUS: SINGLE_MEN}
    model = dashboard_model(german_session, selected_slice=both, selected_row=X.index[4])
    expected = int(((X["foreign_worker"] == "yes") & (X[STATUS] == SINGLE_MEN)).sum())
    assert model.n_rows == slice_rows(german_session, both) == expected
    assert model.fairness_by == "foreign_worker" and model.fairness_group is None  # listed only
    assert model.explanation_slice_by == "" and model.row == X.index[4]


def test_without_sensitive_features_the_summary_groups_by_a_few_valued_column(german):
    from sklearn.dummy import DummyClassifier

    X = german.data[["duration_in_month", "job", "housing"]]
    s = rw.ModelSession(DummyClassifier().fit(X, german.target), X, german.target)
    few = [c for c in X.columns if X[c].nunique() <= 20]  # job (4 values), housing (3)
    model = dashboard_model(s)
    assert model.fairness_by == few[0] == "job" and model.uncertainty_by is None
    # the summary compares the groups of that column, as the fairness tab starts on it
    assert model.summary == dashboard_summary(s)
    assert len(model.summary) == 2 and "job" in model.summary[1]


def test_every_renderer_draws_the_model(german_session, german):
    X = german.data
    row = X.index[(X[STATUS] == WOMEN).to_numpy()][2]
    state = {"selected_slice": {STATUS: WOMEN}, "selected_row": row}
    board = rw.Dashboard(german_session)
    board.selected_slice, board.selected_row = state["selected_slice"], row
    model = board.view_model()
    assert model == dashboard_model(german_session, **state, n_rows=board.examples.n_rows)
    # the live views follow what the model says
    assert board.fairness.by == model.fairness_by
    assert board.fairness.selected_slice == model.fairness_group
    assert board.explanation.slice_by == model.explanation_slice_by
    assert board.uncertainty.by == model.uncertainty_by
    assert board.summary == model.summary_text
    header = static.summary_html(model.summary_text)
    following = static.following_html(model.slice, model.n_rows, model.row)
    assert board.summary_html == header and board.following_html == following
    n = rw.formatting.count((X[STATUS] == WOMEN).sum())
    assert f"({n} rows)" in following and f"case <b>{row}</b>" in following
    # the static picture, and the board's own, in the same state: the same page
    assert board.static_html() == static.view_html(german_session, **state)
    # the marimo single page: the same header, the same sections but the paged examples
    single = SinglePageDashboard(german_session, **state)
    assert header in single.header and following in single.header
    for view in ("explanation", "fairness", "uncertainty"):
        # the fairness tab's threshold controls stand between its parts: each part is there
        for part in static.section_html(german_session, model, view).split("<svg"):
            assert part in single.section_html(view)
    with pytest.raises(rw.RaiWidgetsError, match="view must be one of"):
        static.section_html(german_session, model, "nothing")


def test_a_row_set_back_to_none_leaves_the_line(german_session, german):
    board = rw.Dashboard(german_session)
    board.selected_row = german.data.index[7]
    assert "case <b>7</b>" in board.following_html
    board.selected_row = None  # no case any more: the line and the picture say so
    assert "case <b>" not in board.following_html and "case <b>" not in board.static_body()
    assert board.view_model().row is None


def test_part_html_has_one_home():
    failed = Failed("no model <b>")
    assert page.part_html(failed, str) == '<div class="rai-error">no model &lt;b&gt;</div>'
    assert (
        page.part_html(None, str) == "" and page.part_html(3, lambda n: f"<i>{n}</i>") == "<i>3</i>"
    )
    assert static_examples.part_html is page.part_html  # still importable where it was
