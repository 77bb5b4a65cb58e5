"""The one home of the views' groupings: defaults and what follows a picked slice."""

from __future__ import annotations

import pytest

import rai_widgets as rw
from rai_widgets.views.groupings import (
    default_fairness_grouping,
    default_grouping,
    fairness_columns,
    follow_slice,
)


def test_defaults_read_the_sensitive_features(adult_session):
    assert default_grouping(adult_session.core) == "sex"
    assert fairness_columns(adult_session.core) == ["sex", "race"]
    assert default_fairness_grouping(adult_session.core) == "sex"


def test_without_sensitive_features_the_fairness_view_groups_by_a_few_valued_column(wage):
    from sklearn.linear_model import LinearRegression

    X = wage.data[["age", "year", "race"]].assign(age=lambda d: d["age"].astype(float))
    s = rw.ModelSession(LinearRegression().fit(X[["age", "year"]], wage.target), X[["age", "year"]])
    assert default_grouping(s.core) is None
    assert fairness_columns(s.core) == ["year"]  # 7 years; ages take more than 20 values


@pytest.mark.parametrize(
    ("slice_", "by", "group", "others"),
    [
        (None, None, None, None),
        ({"sex": "Female"}, "sex", "Female", "sex"),
        ({"age": "17-28"}, None, None, "age"),  # not a fairness grouping: the others follow
        ({"sex": "Female", "race": "White"}, None, None, None),  # an intersection: listed only
    ],
)
def test_what_follows_a_slice(slice_, by, group, others):
    following = follow_slice(slice_, fairness_columns=["sex", "race"])
    assert following.examples_slice == slice_
    assert (following.fairness_by, following.fairness_group) == (by, group)
    assert following.explanation_slice_by == others and following.uncertainty_by == others


def test_the_dashboard_and_its_picture_follow_alike(adult_session):
    board = rw.Dashboard(adult_session)
    board.wait(600)
    board.selected_slice = {"race": "Black"}
    assert board.fairness.by == "race" and board.fairness.selected_slice == "Black"
    assert board.uncertainty.by == "race" and board.explanation.slice_by == "race"
    assert board.examples.slice == {"race": "Black"}


def test_a_finding_opens_its_slice_tab_metric_and_reference(adult_session):
    from rai_widgets.session.checks.selection import selection_reference
    from rai_widgets.static_html.fairness import headline_metrics
    from rai_widgets.views.groupings import open_finding

    frame = adult_session.audit(checks=["four_fifths", "disparity", "baseline"]).frame()
    metrics = headline_metrics(adult_session)
    rule = frame[frame["check"] == "four_fifths"].iloc[0]
    opening = open_finding(adult_session, rule, metrics=metrics)
    assert opening.view == "fairness" and opening.metric == "selection_rate"
    assert opening.slice == rule["slice"] and opening.reference_for == rule["feature"]
    assert opening.reference == selection_reference(adult_session, rule["feature"])
    gap = frame[frame["check"] == "disparity"].iloc[0]
    opening = open_finding(adult_session, gap, metrics=metrics)
    assert opening.metric == gap["metric"] and opening.reference is None
    # a metric the fairness view does not offer is not opened
    assert open_finding(adult_session, gap, metrics=[]).metric is None
