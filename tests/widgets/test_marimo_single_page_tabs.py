"""The single page's fairness and uncertainty tabs with their own controls (the Dashboard's live
view in marimo), through its traitlets, on German credit with two sensitive features: the
grouping, the metric and a decision threshold per group; the promised coverage and the
grouping. The numbers shown are checked against scikit-learn, numpy and fairlearn; the board
it is shown for follows it both ways; no control calls the model."""

from __future__ import annotations

import re
from html import escape

import numpy as np
import pytest
from fairlearn.metrics import MetricFrame, selection_rate
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, mean_absolute_error

import rai_widgets as rw
from rai_widgets import formatting, formatting_metrics
from rai_widgets.core.errors import ColumnNotFoundError, ValidationError
from rai_widgets.static_html import fairness, threshold
from rai_widgets.static_html.dashboard import VIEWS
from rai_widgets.views.fairness import GroupsModel
from rai_widgets.widgets.live_view import live_view_of
from rai_widgets.widgets.single_page import SinglePageDashboard
from tests.conftest import raw_column_pipeline
from tests.widgets.single_page_setup import credit_model_and_session

STATUS, FOREIGN = "personal_status_and_sex", "foreign_worker"
FAIRNESS, UNCERTAINTY = VIEWS.index("fairness"), VIEWS.index("uncertainty")


@pytest.fixture(scope="module")
def credit(german):
    return credit_model_and_session(german, [STATUS, FOREIGN])


def picked(html: str, control: str) -> str:
    """The text of the option picked in a control of the tab."""
    select = re.search(rf'<select data-rai-control="{control}">(.*?)</select>', html)
    assert select is not None, control
    option = re.search(r"<option value=\"\d+\" selected>(.*?)</option>", select.group(1))
    assert option is not None, control
    return option.group(1)


def place(view: SinglePageDashboard, control: str, text: str) -> int:
    """The place of the option that reads ``text`` in a control of the tab shown."""
    html = view.sections[view.shown_view()]
    select = re.search(rf'<select data-rai-control="{control}">(.*?)</select>', html)
    assert select is not None, control
    options = re.findall(r"<option value=\"\d+\"(?: selected)?>(.*?)</option>", select.group(1))
    return options.index(text)


def test_the_grouping_and_the_metric_show_what_scikit_learn_and_fairlearn_find(credit, german):
    model, s = credit
    X, y = german.data, german.target
    predicted = model.predict(X)
    view = SinglePageDashboard(s)
    view.tab = FAIRNESS
    html = view.sections["fairness"]
    assert picked(html, "fairness_by") == STATUS and picked(html, "fairness_metric") == "Accuracy"
    view.send_control("fairness_by", place(view, "fairness_by", FOREIGN))  # a pick on the page
    assert (
        view.fairness_by == FOREIGN and picked(view.sections["fairness"], "fairness_by") == FOREIGN
    )
    for value, rows in X.groupby(FOREIGN).groups.items():
        right = accuracy_score(y[rows], predicted[X.index.get_indexer(rows)])
        cells = f"<td>{formatting.count(len(rows))}</td><td>"
        cells += f"{formatting_metrics.metric_value('accuracy', right)}</td>"
        assert cells in view.sections["fairness"], value
    view.send_control("fairness_metric", place(view, "fairness_metric", "Selection rate"))
    assert view.fairness_metric == "selection_rate"
    frame = MetricFrame(  # fairlearn: the share the model selects ("good"), per group
        metrics=selection_rate,
        y_true=(y == "good").to_numpy(),
        y_pred=(predicted == "good"),
        sensitive_features=X[FOREIGN],
    )
    for value, share in frame.by_group.items():
        n = int((X[FOREIGN] == value).sum())
        cells = f"<td>{formatting.count(n)}</td><td>"
        cells += f"{formatting_metrics.metric_value('selection_rate', share)}</td>"
        assert cells in view.sections["fairness"], value
    # drawn from the same view models and renderers as the static picture
    groups = fairness.groups_html(GroupsModel.from_session(s, by=FOREIGN, metric="selection_rate"))
    assert groups in view.sections["fairness"]
    view.send_control("fairness_intersections", 1)  # "Intersections with the next group column"
    assert view.fairness_grouping() == [FOREIGN, STATUS]
    both = X.groupby([FOREIGN, STATUS]).size()
    for (worker, status), n in both.items():
        assert escape(formatting.label((worker, status))) in view.sections["fairness"]
        assert f"<td>{formatting.count(n)}</td>" in view.sections["fairness"]


def test_a_group_threshold_moved_on_the_page_gives_the_counts_numpy_finds(credit, german):
    model, s = credit
    X, y = german.data, german.target
    good = model.predict_proba(X)[:, list(model.classes_).index("good")]
    actual = (y == "good").to_numpy()
    view = SinglePageDashboard(s)
    view.tab = FAIRNESS
    statuses = sorted(X[STATUS].unique())
    assert list(view.thresholds) == statuses and set(view.thresholds.values()) == {0.5}
    html = view.sections["fairness"]
    assert html.count('type="range"') == len(statuses)
    view.send_control("threshold", 0.3, place=2)  # the third group's slider, slid to 0.3
    assert view.thresholds[statuses[2]] == 0.3

    def expected_row(group, at):
        rows = (X[STATUS] == group).to_numpy()
        chosen = good[rows] >= at
        truth = actual[rows]
        counts = [
            rows.sum(),
            chosen.sum(),
            (chosen & truth).sum(),
            (chosen & ~truth).sum(),
            (~chosen & truth).sum(),
            (~chosen & ~truth).sum(),
        ]
        cells = [formatting.number(at, decimals=3), *(formatting.count(c) for c in counts)]
        return "".join(f"<td>{c}</td>" for c in cells)

    for group in statuses:
        at = 0.3 if group == statuses[2] else 0.5
        assert expected_row(group, at) in view.sections["fairness"], group
    # "Equalise it across groups": each group's share selected as near the overall share at
    # 0.5 as its rows allow
    view.send_control("equalize")
    target = (good >= 0.5).mean()
    for group, at in view.thresholds.items():
        rows = (X[STATUS] == group).to_numpy()
        assert abs((good[rows] >= at).mean() - target) <= 1 / rows.sum(), group
        assert expected_row(group, at) in view.sections["fairness"], group
    view.send_control("rate", place(view, "rate", threshold.RATE_CHOICES[1][0]))
    assert (
        view.rate == "tpr"
        and "Positives caught (TPR) as the threshold moves" in view.sections["fairness"]
    )
    view.send_control("reset_thresholds")  # "Back to 0.5 for all"
    assert set(view.thresholds.values()) == {0.5}
    view.send_control("fairness_by", place(view, "fairness_by", FOREIGN))  # a new grouping
    assert view.thresholds == {"no": 0.5, "yes": 0.5}
    assert view.sections["fairness"].count('type="range"') == 2


def test_the_promised_coverage_and_the_grouping_show_what_numpy_finds(credit, german):
    model, s = credit
    X, y = german.data, german.target
    truth = model.predict_proba(X)[
        np.arange(len(X)), np.searchsorted(model.classes_, y.to_numpy())
    ]  # the model's chance of what happened
    view = SinglePageDashboard(s)
    view.tab = UNCERTAINTY
    html = view.sections["uncertainty"]
    assert picked(html, "confidence_level") == "90%" and picked(html, "uncertainty_by") == STATUS
    view.send_control("confidence_level", place(view, "confidence_level", "95%"))
    view.send_control("uncertainty_by", place(view, "uncertainty_by", FOREIGN))
    assert (view.confidence_level, view.uncertainty_by) == (0.95, FOREIGN)
    html = view.sections["uncertainty"]
    assert "Promised 95%" in html and picked(html, "uncertainty_by") == FOREIGN
    # the session's split into calibration and held-out rows; the rest is numpy's
    held_out = X.index.isin(s.conformal(confidence_level=0.95, calibration=0.5).index)
    scores = np.sort(1 - truth[~held_out])
    cutoff = scores[int(np.ceil((len(scores) + 1) * 0.95)) - 1]
    covered = (1 - truth) <= cutoff
    for value in sorted(X[FOREIGN].unique()):
        rows = held_out & (X[FOREIGN] == value).to_numpy()
        share = formatting.percent(covered[rows].mean(), 0)
        assert f"Covered {share} " in html and f"of {value} (n={rows.sum()})" in html, value
        assert f"of {value} (n={rows.sum()}) against a promised 95%" in html
    view.send_control("uncertainty_by", place(view, "uncertainty_by", "all rows"))
    assert view.uncertainty_by is None
    # the case's what-if is read at the promised coverage picked
    view.selected_row, view.what_if_changes = X.index[3], {"duration_in_month": 6}
    assert "cannot rule out at 95%" in view.what_if_html
    view.send_control("confidence_level", place(view, "confidence_level", "80%"))
    assert "cannot rule out at 80%" in view.what_if_html
    view.send_control("confidence_level", place(view, "confidence_level", "95%"))
    share = formatting.percent(covered[held_out].mean(), 0)
    assert f"Covered {share} " in view.sections["uncertainty"]


def test_the_board_follows_the_tabs_controls_and_moves_them(credit, german):
    _, s = credit
    board = rw.Dashboard(s)
    view = live_view_of(board)
    view.tab = FAIRNESS
    view.send_control("fairness_by", place(view, "fairness_by", FOREIGN))
    view.send_control("fairness_metric", place(view, "fairness_metric", "Selection rate"))
    assert (board.fairness.by, board.fairness.metric) == (FOREIGN, "selection_rate")
    board.fairness.by = STATUS  # set from Python: the page's tab follows
    assert view.fairness_by == STATUS and picked(view.sections["fairness"], "fairness_by") == STATUS
    view.tab = UNCERTAINTY
    view.send_control("confidence_level", place(view, "confidence_level", "80%"))
    view.send_control("uncertainty_by", place(view, "uncertainty_by", FOREIGN))
    assert (board.uncertainty.confidence_level, board.uncertainty.by) == (0.8, FOREIGN)
    board.uncertainty.confidence_level = 0.95
    assert "Promised 95%" in view.sections["uncertainty"]
    # a slice of one column regroups both tabs by it, on the page as on the board
    view.slice_choice = [spec for _, spec in view.slice_choices()].index({STATUS: "male : single"})
    assert view.fairness_by == STATUS == board.fairness.by
    assert view.uncertainty_by == STATUS == board.uncertainty.by
    # a finding's metric shows in the fairness tab's picker
    frame = view.findings()
    finding = int(frame.index[frame["metric"].isin(view.fairness_metrics())][0])
    view.show_evidence(finding)
    assert view.fairness_metric == frame.loc[finding, "metric"] == board.fairness.metric
    view.tab = FAIRNESS
    name = formatting_metrics.metric_name(view.fairness_metric)
    assert picked(view.sections["fairness"], "fairness_metric") == name


def test_no_control_of_the_tabs_calls_the_model(german):
    calls: list[int] = []

    class Counting:
        def __init__(self, fitted):
            self.fitted, self.classes_ = fitted, fitted.classes_

        def predict(self, X):
            calls.append(len(X))
            return self.fitted.predict(X)

        def predict_proba(self, X):
            calls.append(len(X))
            return self.fitted.predict_proba(X)

    fitted = raw_column_pipeline(LogisticRegression(max_iter=1000)).fit(german.data, german.target)
    s = rw.ModelSession(
        Counting(fitted), german.data, german.target, sensitive_features=[STATUS, FOREIGN],
        random_state=0,
    )  # fmt: skip
    view = SinglePageDashboard(s)
    view.tab = FAIRNESS
    view.tab = UNCERTAINTY
    assert calls  # the predictions, once
    before = len(calls)
    view.tab = FAIRNESS
    for control, value in (("fairness_by", 1), ("fairness_metric", 2), ("rate", 1)):
        view.send_control(control, value)
    view.send_control("threshold", 0.2, place=0)
    view.send_control("equalize")
    view.send_control("fairness_intersections", 1)
    view.tab = UNCERTAINTY
    view.send_control("confidence_level", 0)
    view.send_control("uncertainty_by", 2)
    assert "Promised 80%" in view.sections["uncertainty"]
    assert len(calls) == before


def test_refused_values_name_themselves_and_stray_messages_change_nothing(credit):
    _, s = credit
    view = SinglePageDashboard(s)
    with pytest.raises(ValidationError, match="fairness_by"):
        view.fairness_by = "credit_amount"
    with pytest.raises(ValidationError, match="fairness_metric"):
        view.fairness_metric = "no such metric"
    with pytest.raises(ValidationError, match="rate must be one of"):
        view.rate = "recall"
    with pytest.raises(ValidationError, match="not groups of"):
        view.thresholds = {"nobody": 0.3}
    with pytest.raises(ValidationError, match="from 0 to 1"):
        view.thresholds = {"male : single": 1.5}
    with pytest.raises(ValidationError, match="confidence_level"):
        view.confidence_level = 1.5
    with pytest.raises(ColumnNotFoundError):
        view.uncertainty_by = "no such column"
    view.thresholds = {"male : single": 0.4}  # the other groups at 0.5
    assert sorted(view.thresholds.values()) == [0.4, 0.5, 0.5, 0.5]
    state = (view.fairness_by, view.fairness_metric, dict(view.thresholds), view.uncertainty_by)
    view.send_control("fairness_by", 9)
    view.send_control("fairness_metric", -1)
    view.send_control("threshold", 0.2, place=17)
    view.send_control("uncertainty_by", None)
    view.send_control("nothing", 1)
    assert state == (
        view.fairness_by, view.fairness_metric, dict(view.thresholds), view.uncertainty_by
    )  # fmt: skip


def test_a_regression_has_no_thresholds_and_its_error_per_group_is_scikit_learns(wage, wage_model):
    X, y = wage.data, wage.target
    s = rw.ModelSession(
        wage_model, X, y, sensitive_features=["race", "maritl"], random_state=0
    )  # fmt: skip
    view = SinglePageDashboard(s)
    view.tab = FAIRNESS
    assert view.fairness_metric == "mae" and view.thresholds == {}
    assert "rai-single-page-thresholds" not in view.sections["fairness"]
    view.send_control("fairness_by", place(view, "fairness_by", "maritl"))
    predicted = wage_model.predict(X)
    for value, rows in X.groupby("maritl").groups.items():
        at = X.index.get_indexer(rows)
        error = mean_absolute_error(y.iloc[at], predicted[at])
        cells = f"<td>{formatting.count(len(rows))}</td><td>"
        cells += f"{formatting_metrics.metric_value('mae', error)}</td>"
        assert cells in view.sections["fairness"], value
    view.tab = UNCERTAINTY
    view.send_control("confidence_level", place(view, "confidence_level", "80%"))
    assert "Promised 80%" in view.sections["uncertainty"]
    assert "The 80% " in view.sections["uncertainty"]  # the case's interval, at 80%
