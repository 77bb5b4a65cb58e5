"""AuditView and the Dashboard's first tab: a finding is a click away from its slice and view."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
import traitlets
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

import rai_widgets as rw
from rai_widgets.static_html.audit import MAX_SHOWN, finding_metric
from rai_widgets.static_html.dashboard import TABS, VIEWS
from rai_widgets.static_html.fairness import headline_metrics
from rai_widgets.views.audit import fold_untrained
from tests.conftest import raw_column_pipeline


@pytest.fixture(scope="module")
def session(adult):
    X, y = adult.data.iloc[:5_000], adult.target.iloc[:5_000]
    model = raw_column_pipeline(
        RandomForestClassifier(n_estimators=30, max_depth=8, random_state=0)
    ).fit(X, y)
    return rw.ModelSession(model, X, y, sensitive_features=["sex", "race"], random_state=0)


@pytest.fixture(scope="module")
def board(session):
    return rw.Dashboard(session)


def test_the_audit_is_the_first_tab(board):
    assert TABS[0] == "What to look at" and VIEWS[0] == "audit"
    assert [board._tabs.get_title(i) for i in range(len(TABS))] == list(TABS)
    assert board._tabs.children[0] is board.audit
    assert board._tabs.selected_index == 0
    assert "What to look at first" in board.audit.header_html


def test_the_view_lists_concerns_then_notes_with_their_buttons(session):
    view = rw.AuditView(session)
    frame = view.frame
    assert list(frame.columns[:3]) == ["check", "severity", "finding"]
    concerns = frame.index[frame["severity"] == "concern"]
    assert len(concerns) > 0  # Adult's model has gaps between sexes
    # every concern or note that names a slice or another view has a "Show evidence" button
    for i, row in frame.iterrows():
        clickable = row["view"] != "audit" or isinstance(row["slice"], dict)
        assert (i in view.buttons) == (clickable and row["severity"] != "ok")
    for button in view.buttons.values():
        assert "rai-audit-finding" in button._dom_classes
    i = next(iter(view.buttons))
    view.buttons[i].click()
    assert view.selected_finding == i
    assert view.finding()["finding"] == frame.loc[i, "finding"]
    with pytest.raises(traitlets.TraitError):
        view.selected_finding = len(frame)


def test_clicking_a_finding_selects_its_slice_and_opens_its_tab(board):
    frame = board.audit.frame
    fairness = [i for i in board.audit.buttons if frame.loc[i, "view"] == "fairness"]
    one_column = [i for i in fairness if len(frame.loc[i, "slice"] or {}) == 1]
    i = one_column[0]
    board.audit.buttons[i].click()
    expected = frame.loc[i, "slice"]
    assert board.selected_slice == expected
    assert board._tabs.selected_index == VIEWS.index("fairness")
    metric = finding_metric(frame.loc[i], headline_metrics(board.session))
    if frame.loc[i, "check"] == "four_fifths":
        assert metric == "selection_rate"
    if metric is not None:  # the fairness view shows the metric the finding is about
        assert board.fairness.metric == metric
    column, value = next(iter(expected.items()))
    assert board.examples.slice == expected
    assert board.examples.n_rows == int(board.session.core.slice_mask(expected).sum())
    if column in board.fairness.group_columns:
        assert board.fairness.by == column and board.fairness.selected_slice == value
    assert str(value) in board.following_html

    # a finding of the uncertainty view opens "How sure"
    others = [i for i in board.audit.buttons if frame.loc[i, "view"] == "uncertainty"]
    if others:
        board.audit.buttons[others[0]].click()
        assert board._tabs.selected_index == VIEWS.index("uncertainty")
        if isinstance(frame.loc[others[0], "slice"], dict):
            assert board.selected_slice == frame.loc[others[0], "slice"]

    # clicking the same finding again, after moving away, goes back to it
    board._tabs.selected_index = 1
    board.clear_slice()
    board.audit.buttons[i].click()
    assert board._tabs.selected_index == VIEWS.index("fairness")
    assert board.selected_slice == expected
    board.clear_slice()


def test_a_recourse_finding_opens_a_refused_person_of_its_group(board):
    frame = board.audit.frame
    recourse = [i for i in board.audit.buttons if frame.loc[i, "check"] == "recourse"]
    assert recourse, frame[frame["check"] == "recourse"]["finding"].tolist()
    i = recourse[0]
    board.audit.buttons[i].click()
    spec = frame.loc[i, "slice"]
    assert board.selected_slice == spec
    assert board._tabs.selected_index == VIEWS.index("explanation")
    row = board.selected_row
    column, value = next(iter(spec.items()))
    assert board.session.X.loc[row, column] == value  # a person of that group ...
    assert board.session.predictions().loc[row, "y_pred"] != ">50K"  # ... the model refuses
    board.explanation.wait()
    assert board.explanation.row == row
    assert "What would change it?" in board.explanation.recourse_html
    board.clear_slice()


def test_a_proxy_finding_opens_the_feature_coloured_by_what_it_stands_in_for(board):
    frame = board.audit.frame
    proxies = [i for i in board.audit.buttons if frame.loc[i, "check"] == "proxy"]
    assert proxies, frame[frame["check"] == "proxy"]["finding"].tolist()
    i = proxies[0]
    board.audit.buttons[i].click()
    assert board._tabs.selected_index == VIEWS.index("explanation")
    assert board.explanation.feature == frame.loc[i, "feature"]
    assert board.explanation.color_by == frame.loc[i, "grouping"] in ("sex", "race")
    assert board.explanation._tabs.selected_index == 2  # "One feature"
    board.explanation.wait()
    assert f"moves with {frame.loc[i, 'feature']}" in board.explanation.effects_html


def test_presenter_mode_shows_the_concerns_only(board, session):
    board.presenter = True
    try:
        view = board.audit
        assert view.presenter
        assert view._notes.layout.display == "none" and view._passed.layout.display == "none"
        page = board.static_html()
        assert "What passed" not in page and "Worth a look (" not in page
        assert "Concerns (" in page
    finally:
        board.presenter = False
    assert board.audit._passed.layout.display is None
    assert "What passed" in board.audit.static_html()


def test_presenter_says_nothing_needs_attention_without_concerns(session):
    view = rw.AuditView(session, presenter=True, audit=session.audit(checks=["data_gap"]))
    assert not (view.frame["severity"] == "concern").any()
    assert "Nothing here needs attention" in view.header_html
    assert "Nothing here needs attention" in view.static_html()


def test_hostile_values_stay_text():
    evil = "<img src=x onerror=alert(1)>"
    rng = np.random.default_rng(0)
    n = 600
    group = pd.Series(rng.choice([evil, "</b><script>x</script>"], n, p=[0.3, 0.7]), name=evil)
    X = pd.DataFrame({"v": rng.normal(size=n), "w": rng.normal(size=n)})
    # the model is much worse for one group: a concern naming it
    y = ((X["v"] > 0) ^ ((group == evil) & (rng.random(n) < 0.4))).astype(int)
    model = LogisticRegression().fit(X, y)
    s = rw.ModelSession(model, X, y, sensitive_features=group, random_state=0, name=evil)
    view = rw.AuditView(s)
    html = view.static_html() + view.header_html
    html += "".join(
        child.value
        for box in view._rows.values()
        for child in box.children
        if isinstance(child, type(view._header))
    )
    assert evil not in html and "<script>x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in view.static_html()
    for button in view.buttons.values():
        assert evil not in button.description


def test_beyond_the_first_findings_the_rest_are_one_click_away(session):
    view = rw.AuditView(session)
    concerns = view.frame[view.frame["severity"] == "concern"]
    if len(concerns) <= MAX_SHOWN:
        pytest.skip("few concerns")
    toggle = view._more["concern"]
    more = view._concerns.children[-2]
    assert view._concerns.children[-1] is toggle  # "Show fewer" ends the list it opened
    assert toggle.description == f"Show {len(concerns) - MAX_SHOWN} more concerns"
    assert more.layout.display == "none" and len(more.children) == len(concerns) - MAX_SHOWN
    toggle.click()
    assert more.layout.display is None and toggle.description == "Show fewer"
    toggle.click()
    assert more.layout.display == "none"
    view.show_all()
    assert more.layout.display is None
    assert f"Show {len(concerns) - MAX_SHOWN} more concerns" in view.static_html()


def test_an_audit_that_cannot_run_shows_why(session, monkeypatch):
    def fail(**kwargs):
        raise rw.ValidationError("the audit needs <y>")

    monkeypatch.setattr(session, "audit", fail)
    view = rw.AuditView(session)
    assert view.audit is None and view.frame.empty and view.buttons == {}
    assert "the audit needs &lt;y&gt;" in view.header_html
    assert "rai-error" in view.static_html()


# -- filling in check by check -------------------------------------------------------------------
def test_the_audit_reports_each_check_as_it_ends(session):
    seen = []
    final = session.audit(progress=seen.append)
    assert [len(a.checks) for a in seen] == list(range(1, len(final.checks)))
    for partial in seen:  # each partial audit is the final one's findings of the checks done
        assert set(partial.frame()["check"]) <= set(partial.checks)
        expected = final.frame()[final.frame()["check"].isin(partial.checks)]
        assert sorted(partial.frame()["finding"]) == sorted(expected["finding"])
    with pytest.raises(rw.ValidationError, match="progress"):
        session.audit(progress="every check")


def test_an_audit_view_fills_in_check_by_check(session, monkeypatch):
    view = rw.AuditView(session, run=False)
    assert not view.complete and view.audit is None and len(view.frame) == 0
    assert "0 of " in view.header_html and "checks are running" in view.header_html
    assert "checks are running" in view.static_html()  # a saved picture never runs the audit
    headers = []
    real_audit = type(session).audit

    def audit_watched(self, *args, progress=None, **kwargs):
        def watch(partial):
            progress(partial)
            headers.append((len(partial.checks), view.header_html, len(view.frame)))

        return real_audit(self, *args, progress=watch, **kwargs)

    monkeypatch.setattr(type(session), "audit", audit_watched)
    view.fill_in()
    assert [done for done, _, _ in headers] == list(range(1, len(view.audit.checks)))
    assert all(f"{done} of " in header for done, header, _ in headers)
    assert [n for _, _, n in headers] == sorted(n for _, _, n in headers)  # findings only add up
    assert view.complete and "What to look at first" in view.header_html
    assert "checks are running" not in view.header_html
    pd.testing.assert_frame_equal(view.frame, fold_untrained(real_audit(session).frame()))
    view.fill_in()  # complete: nothing more to do
    assert view.complete


def test_filling_in_makes_each_findings_row_once_and_its_button_follows_it(session, monkeypatch):
    view = rw.AuditView(session, run=False)
    first_seen: dict[str, object] = {}  # a finding's text -> the row widget it first had
    real_audit = type(session).audit

    def audit_watched(self, *args, progress=None, **kwargs):
        def watch(partial):
            progress(partial)
            for i, box in view._rows.items():
                first_seen.setdefault(view.frame.iloc[i]["finding"], box)

        return real_audit(self, *args, progress=watch, **kwargs)

    monkeypatch.setattr(type(session), "audit", audit_watched)
    made = []
    real_init = widgets.Box.__init__

    def counting_init(widget, *args, **kwargs):
        made.append(type(widget).__name__)
        real_init(widget, *args, **kwargs)

    monkeypatch.setattr(widgets.Box, "__init__", counting_init)
    view.fill_in()
    monkeypatch.undo()
    shown = {view.frame.iloc[i]["finding"]: box for i, box in view._rows.items()}
    again = set(first_seen) & set(shown)
    assert len(again) >= 5
    for text in again:  # the same widget from its check's end to the audit's
        assert shown[text] is first_seen[text], text
    # one HBox per finding shown at some point, not one per finding per check
    assert made.count("HBox") <= len(set(first_seen) | set(shown))
    for i, button in view.buttons.items():  # a reused button selects its finding's row now
        button.click()
        assert view.selected_finding == i


def test_the_dashboard_fills_its_audit_in_and_is_ready_only_when_complete(board, session):
    board.wait()
    assert board.audit.complete and "checks are running" not in board.audit.header_html
    pd.testing.assert_frame_equal(board.audit.frame, fold_untrained(session.audit().frame()))


def test_a_four_fifths_finding_opens_the_chart_on_the_rules_two_groups(board, session):
    from rai_widgets.session.checks.selection import selection_reference

    board.wait()
    rows = board.audit.frame.index[board.audit.frame["check"] == "four_fifths"]
    assert len(rows), "Adult's selection rates by sex fail the four-fifths rule"
    finding = board.audit.frame.loc[rows[0]]
    board.audit.select(int(rows[0]))
    top = selection_reference(session, finding["feature"])
    assert board.fairness.by == finding["feature"] and board.fairness.metric == "selection_rate"
    assert board.fairness.reference == top
    assert f"difference from {top} (reference)" in board.fairness.chart_html
    low = finding["slice"][finding["feature"]]
    ratio = session.disparities(finding["feature"], metric="selection_rate", reference=top)
    assert ratio.loc[low, "ratio"] == pytest.approx(finding["estimate"], rel=1e-9)
    # another grouping: back to the largest group
    other = next(c for c in board.fairness.group_columns if c != finding["feature"])
    board.fairness.by = other
    assert board.fairness.reference is None
    with pytest.raises(traitlets.TraitError, match="reference must be None"):
        board.fairness.reference = "no such group"


def test_every_finding_can_be_clicked_and_opens_its_tab(german):
    # a note without a feature (the four-fifths rule with no group to compare) once raised in
    # the Dashboard's click handler, so the click opened nothing
    cols = ["duration_in_month", "credit_amount", "age_in_years"]
    X = german.data[[*cols, "foreign_worker", "personal_status_and_sex"]]
    model = raw_column_pipeline(LogisticRegression(max_iter=1_000)).fit(X[cols], german.target)
    s = rw.ModelSession(
        model, X[cols].join(X[["foreign_worker", "personal_status_and_sex"]]), german.target,
        sensitive_features=["foreign_worker", "personal_status_and_sex"], random_state=0,
    )  # fmt: skip
    board = rw.Dashboard(s)
    frame = board.audit.frame
    assert (frame["check"] == "four_fifths").any()
    for i in range(len(frame)):
        board.audit.selected_finding = i  # raises if a handler fails
        view = frame["view"].iloc[i]
        if isinstance(view, str) and view in VIEWS:
            assert board._tabs.selected_index == VIEWS.index(view), frame.iloc[i]["check"]
